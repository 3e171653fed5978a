//! The survey Values Pulse ships with: awareness of the NHS Constitution and how the NHS values are
//! lived, in the NHS's own words, with an optional "values in action" story of at most 250 words.
//! Every piece of text is in English and Welsh.

use crate::definition::{Choice, ContextTag, Protect, Question, QuestionKind, ShowIf, SurveyDefinition, DEFAULT_K};
use crate::lang::Text;
use crate::values::NhsValue;

pub const DEFAULT_SURVEY_ID: &str = "constitution";

/// Words allowed in a "values in action" story, as the NHS's own call for stories sets it.
pub const STORY_MAX_WORDS: u32 = 250;

const CHOOSE_ALL: (&str, &str) = ("Choose all that apply.", "Dewiswch bob un sy'n berthnasol.");

fn t((en, cy): (&str, &str)) -> Text {
    Text::both(en, cy)
}

fn choices(options: &[(&str, &str, &str)]) -> Vec<Choice> {
    options.iter().map(|(id, en, cy)| Choice::new(id, t((en, cy)))).collect()
}

fn value_choices() -> Vec<Choice> {
    NhsValue::ALL.iter().map(|v| Choice::new(v.id(), t((v.label(), v.label_cy())))).collect()
}

fn question(
    id: &str,
    prompt: (&str, &str),
    hint: Option<(&str, &str)>,
    required: bool,
    kind: QuestionKind,
) -> Question {
    Question {
        id: id.into(),
        prompt: t(prompt),
        hint: hint.map(t),
        required,
        show_if: None,
        protect: Protect::Groups,
        positive: Vec::new(),
        bank: None,
        kind,
    }
}

/// The default survey, id `constitution`, version 1.
pub fn constitution() -> SurveyDefinition {
    let mut story_values = question(
        "story_values",
        ("Which NHS values does your example show?", "Pa rai o werthoedd y GIG y mae eich enghraifft yn eu dangos?"),
        Some(CHOOSE_ALL),
        true,
        QuestionKind::ValueTags,
    );
    story_values.show_if = Some(ShowIf { question: "story".into(), equals: None });
    let mut story_consent = question(
        "story_consent",
        ("Sharing your example", "Rhannu eich enghraifft"),
        Some((
            "We would like to show some examples to other staff, to celebrate them. An admin reads each one \
             first and takes out anything that could identify someone. Leave this unticked to keep yours \
             for the survey team only.",
            "Hoffen ni ddangos rhai enghreifftiau i staff eraill, i'w dathlu. Mae gweinyddwr yn darllen pob \
             un yn gyntaf ac yn tynnu unrhyw beth a allai ddangos pwy yw rhywun. Peidiwch â thicio hwn i \
             gadw eich un chi i dîm yr arolwg yn unig.",
        )),
        false,
        QuestionKind::Consent {
            of: "story".into(),
            label: t((
                "You may show my story, without my name, to other staff",
                "Cewch ddangos fy stori, heb fy enw, i staff eraill",
            )),
        },
    );
    story_consent.show_if = Some(ShowIf { question: "story".into(), equals: None });

    let mut shared_purpose = question(
        "shared_purpose",
        (
            "I understand how my work contributes to our shared purpose.",
            "Rydw i'n deall sut mae fy ngwaith yn cyfrannu at ein diben cyffredin.",
        ),
        Some(("How much do you agree?", "I ba raddau rydych chi'n cytuno?")),
        true,
        QuestionKind::SingleChoice {
            options: choices(&[
                ("strongly_disagree", "Strongly disagree", "Anghytuno'n gryf"),
                ("disagree", "Disagree", "Anghytuno"),
                ("neither", "Neither agree nor disagree", "Ddim yn cytuno nac yn anghytuno"),
                ("agree", "Agree", "Cytuno"),
                ("strongly_agree", "Strongly agree", "Cytuno'n gryf"),
            ]),
        },
    );
    // Scored as the NHS Staff Survey scores agreement: agree or strongly agree.
    shared_purpose.positive = vec!["agree".into(), "strongly_agree".into()];

    let mut def = SurveyDefinition {
        privacy_url: None,
        // The seeds invite a photo or video link with a caption. An organisation lists its own
        // SharePoint or video service here when it publishes its survey.
        media_hosts: ["www.youtube.com", "youtu.be", "vimeo.com"].map(String::from).to_vec(),
        id: DEFAULT_SURVEY_ID.into(),
        version: 1,
        title: t(("Our NHS values", "Ein gwerthoedd GIG")),
        intro: t((
            "The NHS Constitution sets out what staff, patients and the public can expect from the NHS, \
             and the values we share. Tell us how they show up in your work. It takes about 3 minutes \
             and your answers are anonymous.",
            "Mae Cyfansoddiad y GIG yn nodi beth y gall staff, cleifion a'r cyhoedd ei ddisgwyl gan y GIG, \
             a'r gwerthoedd rydyn ni'n eu rhannu. Dywedwch wrthym sut maen nhw'n dod i'r amlwg yn eich \
             gwaith. Mae'n cymryd tua 3 munud ac mae eich atebion yn ddienw.",
        )),
        questions: vec![
            question(
                "awareness",
                (
                    "How much do you know about the NHS Constitution?",
                    "Faint ydych chi'n ei wybod am Gyfansoddiad y GIG?",
                ),
                None,
                true,
                QuestionKind::SingleChoice {
                    options: choices(&[
                        ("not_heard", "I have not heard of it", "Dydw i ddim wedi clywed amdano"),
                        (
                            "heard_not_content",
                            "I have heard of it but don't know what's in it",
                            "Rydw i wedi clywed amdano ond dydw i ddim yn gwybod beth sydd ynddo",
                        ),
                        ("know_whats_in_it", "I know what's in it", "Rydw i'n gwybod beth sydd ynddo"),
                    ]),
                },
            ),
            question(
                "where_met",
                (
                    "Where have you come across the NHS Constitution or the NHS values at work?",
                    "Ble ydych chi wedi dod ar draws Cyfansoddiad y GIG neu werthoedd y GIG yn y gwaith?",
                ),
                Some(CHOOSE_ALL),
                false,
                QuestionKind::MultipleChoice {
                    options: choices(&[
                        ("induction", "My induction", "Fy nghyfnod sefydlu"),
                        ("job_description", "My job description", "Fy swydd-ddisgrifiad"),
                        ("appraisal", "My appraisal", "Fy arfarniad"),
                        ("team_meetings", "Team meetings", "Cyfarfodydd tîm"),
                        ("intranet", "The intranet or staff news", "Y fewnrwyd neu newyddion staff"),
                        ("training", "Training", "Hyfforddiant"),
                        ("elsewhere", "Somewhere else", "Rhywle arall"),
                        (
                            "nowhere",
                            "I have not come across them at work",
                            "Dydw i ddim wedi dod ar eu traws yn y gwaith",
                        ),
                    ]),
                    max: None,
                },
            ),
            question(
                "values_lived",
                (
                    "How often does your team live each of the NHS values?",
                    "Pa mor aml mae eich tîm yn byw pob un o werthoedd y GIG?",
                ),
                None,
                true,
                QuestionKind::LikertMatrix {
                    rows: value_choices(),
                    scale: [
                        ("Never", "Byth"),
                        ("Rarely", "Anaml"),
                        ("Sometimes", "Weithiau"),
                        ("Often", "Yn aml"),
                        ("Always", "Bob amser"),
                    ]
                    .map(t),
                },
            ),
            question(
                "focus_value",
                (
                    "Which one value should your team focus on most?",
                    "Ar ba un gwerth y dylai eich tîm ganolbwyntio fwyaf?",
                ),
                None,
                true,
                QuestionKind::SingleChoice { options: value_choices() },
            ),
            shared_purpose,
            question(
                "story",
                (
                    "Share an example of the NHS values in action (optional)",
                    "Rhannwch enghraifft o werthoedd y GIG ar waith (dewisol)",
                ),
                Some((
                    "Something you saw or did, big or small, in 250 words or fewer, or a link to a photo or \
                     video with a short caption. Please leave out names and anything else that could identify \
                     a person.",
                    "Rhywbeth a welsoch neu a wnaethoch, mawr neu fach, mewn 250 o eiriau neu lai, neu ddolen \
                     i lun neu fideo gyda chapsiwn byr. Peidiwch â chynnwys enwau nac unrhyw beth arall a allai \
                     ddangos pwy yw rhywun.",
                )),
                false,
                QuestionKind::FreeText { max_words: STORY_MAX_WORDS, media: true },
            ),
            story_values,
            story_consent,
        ],
        k: DEFAULT_K,
        k_text: None,
        opens: None,
        closes: None,
        contexts: [
            ("clinical", "Clinical services", "Gwasanaethau clinigol"),
            ("community", "Community services", "Gwasanaethau cymunedol"),
            ("corporate", "Corporate services", "Gwasanaethau corfforaethol"),
            ("estates", "Estates and facilities", "Ystadau a chyfleusterau"),
        ]
        .iter()
        .map(|(id, en, cy)| ContextTag { id: id.to_string(), label: t((en, cy)), division: None })
        .collect(),
        divisions: Vec::new(),
        allowed_origins: Vec::new(),
    };
    // Each question is an item of the question bank, as it is worded here.
    for q in &mut def.questions {
        q.bank = Some(format!("{}{}", crate::bank::VALUES_PULSE_PREFIX, q.id));
    }
    def
}

/// For tests: the results of `times` people from `context` giving the same answers to the default
/// survey (one group, shown once `times` reaches `k`).
#[cfg(test)]
pub(crate) fn results_of(context: &str, times: u64) -> crate::SurveyResults {
    let def = constitution();
    let response = crate::SurveyResponse {
        submission_id: crate::SubmissionId([0; 16]),
        survey_version: def.version,
        context: Some(context.into()),
        answers: serde_json::from_value(serde_json::json!({
            "awareness": "know_whats_in_it",
            "values_lived": {"working_together": 4, "respect_dignity": 5, "commitment_to_quality": 3,
                              "compassion": 4, "improving_lives": 2, "everyone_counts": 5},
            "focus_value": "compassion",
            "shared_purpose": "agree",
        }))
        .unwrap(),
    };
    let mut counts = crate::results::TallyCounts::default();
    for key in crate::tally_keys(&def, &response) {
        *counts.entry((context.to_string(), key)).or_default() += times;
    }
    crate::SurveyResults::from_counts(&def, &counts)
}
