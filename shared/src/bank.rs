//! The question bank: questions an organisation can ask word for word, each with a stable bank id
//! that a survey keeps in its definition (`bank`), so results can later be compared across surveys
//! and organisations. Two sources:
//! - **the NHS Staff Survey's nine engagement questions** (questions 2a–2c, 3c, 3d, 3f, 25a, 25c and
//!   25d of the national questionnaire, asked every quarter in the National Quarterly Pulse Survey),
//!   in their three sub-themes, word for word with their response scales. The Welsh is Values
//!   Pulse's own translation, not the Staff Survey's: only the English wording is compared;
//! - **Values Pulse's own questions**: the default survey's Constitution awareness and NHS values
//!   questions and its "values in action" story block.
//!
//! A question is the bank's item only while its English wording, ids and scale are the item's
//! ([`departure`]); the templates an admin starts a survey from are built here too.

use serde::{Deserialize, Serialize};

use crate::definition::{Choice, Protect, Question, QuestionKind, SurveyDefinition, DEFAULT_K};
use crate::lang::{Lang, Text};

/// The bank ids of the default survey's questions: this prefix and the question's id.
pub const VALUES_PULSE_PREFIX: &str = "vp-";

/// The NHS Staff Survey's engagement sub-themes; each is three of the nine questions.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubTheme {
    Motivation,
    Involvement,
    Advocacy,
}

impl SubTheme {
    pub const ALL: [SubTheme; 3] = [SubTheme::Motivation, SubTheme::Involvement, SubTheme::Advocacy];

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            SubTheme::Motivation => lang.pick("Motivation", "Cymhelliant"),
            SubTheme::Involvement => lang.pick("Involvement", "Cyfranogiad"),
            SubTheme::Advocacy => lang.pick("Advocacy", "Eiriolaeth"),
        }
    }

    /// The bank id of the question that asks this sub-theme's three items.
    pub fn bank_id(self) -> &'static str {
        match self {
            SubTheme::Motivation => "nhsss-motivation",
            SubTheme::Involvement => "nhsss-involvement",
            SubTheme::Advocacy => "nhsss-advocacy",
        }
    }
}

/// Where a bank item's words come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The NHS Staff Survey (and its National Quarterly Pulse Survey), with the questions' numbers.
    StaffSurvey(&'static str),
    /// Values Pulse's default survey.
    ValuesPulse,
}

impl Source {
    pub fn describe(self, lang: Lang) -> String {
        match self {
            Source::StaffSurvey(numbers) => lang.pick(
                format!("NHS Staff Survey, questions {numbers}"),
                format!("Arolwg Staff y GIG, cwestiynau {numbers}"),
            ),
            Source::ValuesPulse => lang.pick("Values Pulse", "Values Pulse").to_string(),
        }
    }
}

/// One item of the bank: a question as the bank words it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// With `bank` set to the item's id.
    pub question: Question,
    pub source: Source,
    /// For the Staff Survey's engagement questions.
    pub sub_theme: Option<SubTheme>,
}

impl Item {
    pub fn id(&self) -> &str {
        self.question.bank.as_deref().unwrap_or_default()
    }
}

fn t(en: &str, cy: &str) -> Text {
    Text::both(en, cy)
}

/// The Staff Survey's frequency scale (questions 2a–2c).
fn how_often() -> [Text; 5] {
    [
        t("Never", "Byth"),
        t("Rarely", "Anaml"),
        t("Sometimes", "Weithiau"),
        t("Often", "Yn aml"),
        t("Always", "Bob amser"),
    ]
}

/// The Staff Survey's agreement scale.
fn agreement() -> [Text; 5] {
    [
        t("Strongly disagree", "Anghytuno'n gryf"),
        t("Disagree", "Anghytuno"),
        t("Neither agree nor disagree", "Ddim yn cytuno nac yn anghytuno"),
        t("Agree", "Cytuno"),
        t("Strongly agree", "Cytuno'n gryf"),
    ]
}

fn matrix(bank: &str, id: &str, prompt: Text, rows: &[(&str, &str, &str)], scale: [Text; 5]) -> Question {
    Question {
        id: id.into(),
        prompt,
        hint: None,
        required: false,
        show_if: None,
        protect: Protect::Groups,
        positive: Vec::new(),
        bank: Some(bank.into()),
        kind: QuestionKind::LikertMatrix {
            rows: rows.iter().map(|(id, en, cy)| Choice::new(id, t(en, cy))).collect(),
            scale,
        },
    }
}

/// The NHS Staff Survey's nine engagement questions, as three matrices (one per sub-theme), in the
/// questionnaire's words; row ids are the questionnaire's numbers.
pub fn engagement() -> Vec<Question> {
    vec![
        matrix(
            SubTheme::Motivation.bank_id(),
            "motivation",
            t(
                "How often, if at all, do the following statements describe the way you feel about your job?",
                "Pa mor aml, os o gwbl, mae'r datganiadau canlynol yn disgrifio sut rydych chi'n teimlo am eich swydd?",
            ),
            &[
                ("q2a", "I look forward to going to work.", "Rydw i'n edrych ymlaen at fynd i'r gwaith."),
                ("q2b", "I am enthusiastic about my job.", "Rydw i'n frwdfrydig am fy swydd."),
                ("q2c", "Time passes quickly when I am working.", "Mae amser yn mynd yn gyflym pan fydda i'n gweithio."),
            ],
            how_often(),
        ),
        matrix(
            SubTheme::Involvement.bank_id(),
            "involvement",
            t(
                "To what extent do you agree or disagree with the following statements?",
                "I ba raddau rydych chi'n cytuno neu'n anghytuno â'r datganiadau canlynol?",
            ),
            &[
                (
                    "q3c",
                    "There are frequent opportunities for me to show initiative in my role.",
                    "Mae cyfleoedd aml i mi ddangos menter yn fy rôl.",
                ),
                (
                    "q3d",
                    "I am able to make suggestions to improve the work of my team / department.",
                    "Rydw i'n gallu gwneud awgrymiadau i wella gwaith fy nhîm / adran.",
                ),
                (
                    "q3f",
                    "I am able to make improvements happen in my area of work.",
                    "Rydw i'n gallu gwneud i welliannau ddigwydd yn fy maes gwaith.",
                ),
            ],
            agreement(),
        ),
        matrix(
            SubTheme::Advocacy.bank_id(),
            "advocacy",
            t(
                "To what extent do you agree or disagree with the following statements about your organisation?",
                "I ba raddau rydych chi'n cytuno neu'n anghytuno â'r datganiadau canlynol am eich sefydliad?",
            ),
            &[
                (
                    "q25a",
                    "Care of patients / service users is my organisation's top priority.",
                    "Gofalu am gleifion / defnyddwyr gwasanaeth yw prif flaenoriaeth fy sefydliad.",
                ),
                (
                    "q25c",
                    "I would recommend my organisation as a place to work.",
                    "Byddwn i'n argymell fy sefydliad fel lle i weithio.",
                ),
                (
                    "q25d",
                    "If a friend or relative needed treatment I would be happy with the standard of care provided by this organisation.",
                    "Pe bai ffrind neu berthynas angen triniaeth, byddwn i'n hapus gyda safon y gofal a ddarperir gan y sefydliad hwn.",
                ),
            ],
            agreement(),
        ),
    ]
}

/// Every item of the bank: the engagement questions, then the default survey's.
pub fn items() -> Vec<Item> {
    let numbers = ["2a–2c", "3c, 3d, 3f", "25a, 25c, 25d"];
    let staff_survey = engagement().into_iter().zip(SubTheme::ALL).zip(numbers).map(|((question, theme), n)| Item {
        question,
        source: Source::StaffSurvey(n),
        sub_theme: Some(theme),
    });
    let ours = crate::default_survey::constitution().questions.into_iter().map(|question| Item {
        question,
        source: Source::ValuesPulse,
        sub_theme: None,
    });
    staff_survey.chain(ours).collect()
}

pub fn item(bank_id: &str) -> Option<Item> {
    items().into_iter().find(|i| i.id() == bank_id)
}

/// A question as far as its bank item fixes it: English words, ids, kind and scale. Its own id,
/// requirement, condition, protection and Welsh are the survey's to choose.
fn as_worded(q: &Question) -> Question {
    let english = |t: &Text| Text::from(t.en.trim());
    let choices = |cs: &[Choice]| cs.iter().map(|c| Choice::new(&c.id, english(&c.label))).collect();
    Question {
        id: String::new(),
        prompt: english(&q.prompt),
        hint: q.hint.as_ref().map(english),
        required: false,
        show_if: None,
        protect: Protect::Groups,
        positive: q.positive.clone(),
        bank: None,
        kind: match &q.kind {
            QuestionKind::SingleChoice { options } => QuestionKind::SingleChoice { options: choices(options) },
            QuestionKind::MultipleChoice { options, max } => {
                QuestionKind::MultipleChoice { options: choices(options), max: *max }
            }
            QuestionKind::LikertMatrix { rows, scale } => {
                QuestionKind::LikertMatrix { rows: choices(rows), scale: scale.clone().map(|s| english(&s)) }
            }
            QuestionKind::Consent { label, .. } => QuestionKind::Consent { of: String::new(), label: english(label) },
            kind => kind.clone(),
        },
    }
}

/// Why question `q`, which names bank item `bank`, is no longer that item; `None` while it asks it
/// word for word.
pub(crate) fn departure(bank: &str, q: &Question) -> Option<String> {
    let Some(item) = item(bank) else {
        return Some(format!("bank item {bank:?} is not in the question bank"));
    };
    (as_worded(q) != as_worded(&item.question)).then(|| {
        format!(
            "its wording differs from bank item {bank:?} ({}), so its results would not be comparable: \
             restore the bank's wording or unlink it from the bank",
            item.source.describe(Lang::En)
        )
    })
}

/// What a new survey starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// A quarterly pulse of the NHS Staff Survey's nine engagement questions.
    Engagement,
    /// The default survey: the NHS Constitution, the NHS values and "values in action" stories.
    Values,
    /// A title and one question to change.
    Blank,
}

impl Template {
    pub const ALL: [Template; 3] = [Template::Engagement, Template::Values, Template::Blank];

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Template::Engagement => lang.pick("Quarterly engagement pulse", "Pwls ymgysylltu chwarterol"),
            Template::Values => lang.pick("NHS values and Constitution", "Gwerthoedd a Chyfansoddiad y GIG"),
            Template::Blank => lang.pick("Blank survey", "Arolwg gwag"),
        }
    }

    pub fn describe(self, lang: Lang) -> &'static str {
        match self {
            Template::Engagement => lang.pick(
                "The NHS Staff Survey's nine engagement questions, word for word, as the National Quarterly Pulse Survey asks them.",
                "Naw cwestiwn ymgysylltu Arolwg Staff y GIG, air am air, fel y mae'r Arolwg Pwls Chwarterol Cenedlaethol yn eu gofyn.",
            ),
            Template::Values => lang.pick(
                "Awareness of the NHS Constitution, how the six NHS values are lived, and \"values in action\" stories.",
                "Ymwybyddiaeth o Gyfansoddiad y GIG, sut mae chwe gwerth y GIG yn cael eu byw, a straeon \"gwerthoedd ar waith\".",
            ),
            Template::Blank => lang.pick("A title and one question, to write your own.", "Teitl ac un cwestiwn, i ysgrifennu eich rhai eich hun."),
        }
    }

    /// A new survey `id` from this template, version 1, with no contexts or origins yet.
    pub fn build(self, id: &str) -> SurveyDefinition {
        let mut def = crate::default_survey::constitution();
        def.id = id.into();
        def.contexts.clear();
        match self {
            Template::Values => {}
            Template::Engagement => {
                def.title = t("Staff pulse", "Pwls staff");
                def.intro = t(
                    "Nine questions the NHS asks its staff every quarter. It takes about 2 minutes and your answers are anonymous.",
                    "Naw cwestiwn y mae'r GIG yn eu gofyn i'w staff bob chwarter. Mae'n cymryd tua 2 funud ac mae eich atebion yn ddienw.",
                );
                def.questions = engagement();
                def.media_hosts.clear();
            }
            Template::Blank => {
                def.title = Text::default();
                def.intro = Text::default();
                def.media_hosts.clear();
                def.questions = vec![Question {
                    id: "question_1".into(),
                    prompt: Text::default(),
                    hint: None,
                    required: false,
                    show_if: None,
                    protect: Protect::Groups,
                    positive: Vec::new(),
                    bank: None,
                    kind: QuestionKind::SingleChoice { options: Vec::new() },
                }];
            }
        }
        def.k = DEFAULT_K;
        def
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bank_item_is_its_own_item_and_ids_are_unique() {
        let items = items();
        assert_eq!(items.iter().filter(|i| i.sub_theme.is_some()).count(), 3);
        let rows: usize = engagement()
            .iter()
            .map(|q| match &q.kind {
                QuestionKind::LikertMatrix { rows, .. } => rows.len(),
                _ => 0,
            })
            .sum();
        assert_eq!(rows, 9, "the nine engagement questions");
        let mut ids: Vec<&str> = items.iter().map(Item::id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), items.len());
        for i in &items {
            assert_eq!(departure(i.id(), &i.question), None, "{}", i.id());
        }
    }

    #[test]
    fn templates_are_sound_or_say_what_is_missing() {
        for template in [Template::Engagement, Template::Values] {
            let def = template.build("pulse");
            assert_eq!(def.check(), vec![], "{template:?}");
        }
        let blank = Template::Blank.build("mine");
        let fields: Vec<String> = blank.check().into_iter().map(|e| e.field).collect();
        assert!(fields.contains(&"title".to_string()), "{fields:?}");
        assert!(fields.contains(&"questions.question_1".to_string()), "{fields:?}");
    }

    #[test]
    fn changed_english_wording_is_no_longer_the_item_but_welsh_and_ids_may_change() {
        let mut def = Template::Engagement.build("pulse");
        def.questions[0].id = "how_often".into();
        def.questions[0].required = true;
        def.questions[0].prompt.cy = Some("Cyfieithiad arall".into());
        assert_eq!(def.check(), vec![]);
        let QuestionKind::LikertMatrix { rows, .. } = &mut def.questions[1].kind else { panic!() };
        rows[1].label.en = "I can make suggestions to improve my team.".into();
        let problems = def.check();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field, "questions.involvement");
        assert!(problems[0].message.contains("NHS Staff Survey, questions 3c, 3d, 3f"), "{}", problems[0].message);
        def.questions[1].bank = None;
        assert_eq!(def.check(), vec![], "unlinked, it is the survey's own question");
        def.questions[2].bank = Some("nhsss-nothing".into());
        assert!(def.check()[0].message.contains("not in the question bank"));
    }
}
