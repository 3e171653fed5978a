//! The one check of a response against its survey, run by the widget before sending and by the
//! server before storing.

use serde::{Deserialize, Serialize};

use crate::definition::{QuestionKind, SurveyDefinition};
use crate::lang::Lang;
use crate::media::check_link;
use crate::response::{Answer, Answers, SurveyResponse};

/// What is wrong with one field, in words a member of staff can act on.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// `survey_version`, `context`, or `answers.<question id>`.
    pub field: String,
    pub code: ErrorCode,
    pub message: String,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    WrongVersion,
    UnknownContext,
    UnknownQuestion,
    HiddenQuestion,
    MissingRequired,
    WrongAnswerType,
    UnknownOption,
    DuplicateOption,
    TooManyChoices,
    TooManyWords,
    ScaleOutOfRange,
    /// A story's link is not https, or goes to a host the survey does not list.
    BadLink,
    /// A story's link has no caption.
    MissingCaption,
    /// A story's caption has no link.
    MissingLink,
    /// A story's caption holds control characters, direction overrides, or nothing visible.
    BadCaption,
}

/// The longest caption, in characters (its words count in the story's too).
pub const MAX_CAPTION_CHARS: usize = 1000;

/// Words as a person counts them: runs of non-space characters.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Which questions are shown, in order, given the answers so far. A question whose condition
/// hangs off a hidden question is hidden too.
pub fn visible_questions(def: &SurveyDefinition, answers: &Answers) -> Vec<bool> {
    let mut visible: Vec<bool> = Vec::with_capacity(def.questions.len());
    for q in &def.questions {
        let shown = match &q.show_if {
            None => true,
            Some(cond) => {
                let earlier = def.questions.iter().position(|p| p.id == cond.question);
                let earlier_shown = earlier.is_some_and(|i| i < visible.len() && visible[i]);
                let answer = answers.get(&cond.question).filter(|a| !a.is_empty());
                earlier_shown
                    && match (&cond.equals, answer) {
                        (_, None) => false,
                        (None, Some(_)) => true,
                        (Some(value), Some(a)) => a.has(value),
                    }
            }
        };
        visible.push(shown);
    }
    visible
}

/// Every fault in `response` against `def`, in English; empty when it may be stored. An empty
/// answer (blank text, empty list) counts as no answer.
pub fn validate(def: &SurveyDefinition, response: &SurveyResponse) -> Vec<FieldError> {
    validate_in(def, response, Lang::En)
}

/// [`validate`], with each message in `lang`. The fields and codes are the same in every language.
pub fn validate_in(def: &SurveyDefinition, response: &SurveyResponse, lang: Lang) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut push = |field: String, code: ErrorCode, message: String| errors.push(FieldError { field, code, message });
    let say = |en: String, cy: String| lang.pick(en, cy);

    if response.survey_version != def.version {
        push(
            "survey_version".into(),
            ErrorCode::WrongVersion,
            say(
                format!(
                    "This survey has changed (version {} answered, version {} current). Please reload the page.",
                    response.survey_version, def.version
                ),
                format!(
                    "Mae'r arolwg hwn wedi newid (atebwyd fersiwn {}, fersiwn {} yw'r un presennol). Ail-lwythwch y dudalen.",
                    response.survey_version, def.version
                ),
            ),
        );
    }
    if let Some(ctx) = &response.context {
        if !def.has_context(ctx) {
            push(
                "context".into(),
                ErrorCode::UnknownContext,
                say(
                    format!("{ctx:?} is not a context this survey accepts."),
                    format!("Nid yw {ctx:?} yn gyd-destun y mae'r arolwg hwn yn ei dderbyn."),
                ),
            );
        }
    }
    for id in response.answers.keys() {
        if def.question(id).is_none() {
            push(
                format!("answers.{id}"),
                ErrorCode::UnknownQuestion,
                say(
                    format!("{id:?} is not a question in this survey."),
                    format!("Nid yw {id:?} yn gwestiwn yn yr arolwg hwn."),
                ),
            );
        }
    }

    let visible = visible_questions(def, &response.answers);
    for (q, shown) in def.questions.iter().zip(visible) {
        let field = format!("answers.{}", q.id);
        let answer = response.answers.get(&q.id).filter(|a| !a.is_empty());
        let Some(answer) = answer else {
            if shown && q.required {
                push(
                    field,
                    ErrorCode::MissingRequired,
                    say("Answer this question.".into(), "Atebwch y cwestiwn hwn.".into()),
                );
            }
            continue;
        };
        if !shown {
            push(
                field,
                ErrorCode::HiddenQuestion,
                say(
                    "This question was not asked, so it cannot be answered.".into(),
                    "Ni ofynnwyd y cwestiwn hwn, felly nid oes modd ei ateb.".into(),
                ),
            );
            continue;
        }
        match (&q.kind, answer) {
            (QuestionKind::SingleChoice { .. } | QuestionKind::Consent { .. }, Answer::Text(choice)) => {
                if !q.kind.option_ids().contains(&choice.as_str()) {
                    push(
                        field,
                        ErrorCode::UnknownOption,
                        say(
                            format!("{choice:?} is not one of the options."),
                            format!("Nid yw {choice:?} yn un o'r dewisiadau."),
                        ),
                    );
                }
            }
            (QuestionKind::MultipleChoice { .. } | QuestionKind::ValueTags, Answer::List(chosen)) => {
                let allowed = q.kind.option_ids();
                // A few options at most: a scan of the earlier ones, and no hash set in the widget.
                for (i, c) in chosen.iter().enumerate() {
                    if !allowed.contains(&c.as_str()) {
                        push(
                            field.clone(),
                            ErrorCode::UnknownOption,
                            say(
                                format!("{c:?} is not one of the options."),
                                format!("Nid yw {c:?} yn un o'r dewisiadau."),
                            ),
                        );
                    } else if chosen[..i].contains(c) {
                        push(
                            field.clone(),
                            ErrorCode::DuplicateOption,
                            say(format!("{c:?} is chosen twice."), format!("Mae {c:?} wedi'i ddewis ddwywaith.")),
                        );
                    }
                }
                if let QuestionKind::MultipleChoice { max: Some(max), .. } = q.kind {
                    if chosen.len() > max as usize {
                        push(
                            field,
                            ErrorCode::TooManyChoices,
                            say(format!("Choose no more than {max}."), format!("Dewiswch ddim mwy na {max}.")),
                        );
                    }
                }
            }
            (QuestionKind::LikertMatrix { rows, .. }, Answer::Matrix(points)) => {
                for (row, point) in points {
                    if !rows.iter().any(|r| &r.id == row) {
                        push(
                            field.clone(),
                            ErrorCode::UnknownOption,
                            say(format!("{row:?} is not one of the rows."), format!("Nid yw {row:?} yn un o'r rhesi.")),
                        );
                    } else if !(1..=5).contains(point) {
                        push(
                            field.clone(),
                            ErrorCode::ScaleOutOfRange,
                            say(
                                format!("{row:?}: choose a point from 1 to 5."),
                                format!("{row:?}: dewiswch bwynt o 1 i 5."),
                            ),
                        );
                    }
                }
                if q.required {
                    if let Some(row) = rows.iter().find(|r| !points.contains_key(&r.id)) {
                        push(
                            field,
                            ErrorCode::MissingRequired,
                            say(
                                format!("Answer every row (\"{}\" is missing).", row.label.get(lang)),
                                format!("Atebwch bob rhes (mae \"{}\" ar goll).", row.label.get(lang)),
                            ),
                        );
                    }
                }
            }
            (QuestionKind::FreeText { max_words, media }, answer @ (Answer::Text(_) | Answer::Story { .. }))
                if *media || matches!(answer, Answer::Text(_)) =>
            {
                let (text, link, caption) = answer.story().unwrap_or_default();
                let (link, caption) = (link.trim(), caption.trim());
                let words = word_count(text) + word_count(caption);
                if words > *max_words as usize {
                    push(
                        field.clone(),
                        ErrorCode::TooManyWords,
                        if caption.is_empty() {
                            say(
                                format!("Use {max_words} words or fewer (you have {words})."),
                                format!("Defnyddiwch {max_words} o eiriau neu lai (mae gennych chi {words})."),
                            )
                        } else {
                            say(
                                format!("Use {max_words} words or fewer, with the caption (you have {words})."),
                                format!(
                                    "Defnyddiwch {max_words} o eiriau neu lai, gyda'r capsiwn (mae gennych chi {words})."
                                ),
                            )
                        },
                    );
                }
                if !link.is_empty() {
                    if let Err(problem) = check_link(&def.media_hosts, link) {
                        push(format!("{field}.link"), ErrorCode::BadLink, problem.message(&def.media_hosts, lang));
                    }
                    if let Err(problem) =
                        crate::field::check_field(caption, crate::field::Lines::One, MAX_CAPTION_CHARS)
                    {
                        push(
                            format!("{field}.caption"),
                            ErrorCode::BadCaption,
                            match problem {
                                crate::field::FieldProblem::TooLong(max) => say(
                                    format!("Keep the caption to {max} characters or fewer."),
                                    format!("Cadwch y capsiwn i {max} nod neu lai."),
                                ),
                                _ => say(
                                    "Write the caption as one line of ordinary text.".into(),
                                    "Ysgrifennwch y capsiwn fel un llinell o destun cyffredin.".into(),
                                ),
                            },
                        );
                    }
                    if caption.is_empty() {
                        push(
                            format!("{field}.caption"),
                            ErrorCode::MissingCaption,
                            say(
                                "Add a short caption saying what the photo or video shows.".into(),
                                "Ychwanegwch gapsiwn byr yn dweud beth mae'r llun neu'r fideo yn ei ddangos.".into(),
                            ),
                        );
                    }
                } else if !caption.is_empty() {
                    push(
                        format!("{field}.link"),
                        ErrorCode::MissingLink,
                        say(
                            "Add the link to the photo or video, or clear the caption.".into(),
                            "Ychwanegwch y ddolen i'r llun neu'r fideo, neu cliriwch y capsiwn.".into(),
                        ),
                    );
                }
            }
            (kind, _) => {
                let expected = match kind {
                    QuestionKind::SingleChoice { .. } => lang.pick("one option id", "un id dewis"),
                    QuestionKind::Consent { .. } => lang.pick("\"yes\"", "\"yes\""),
                    QuestionKind::MultipleChoice { .. } | QuestionKind::ValueTags => {
                        lang.pick("a list of option ids", "rhestr o ids dewis")
                    }
                    QuestionKind::LikertMatrix { .. } => {
                        lang.pick("an object of row id to a point from 1 to 5", "gwrthrych o id rhes i bwynt o 1 i 5")
                    }
                    QuestionKind::FreeText { .. } => lang.pick("text", "testun"),
                };
                push(
                    field,
                    ErrorCode::WrongAnswerType,
                    say(format!("The answer must be {expected}."), format!("Rhaid i'r ateb fod yn {expected}.")),
                );
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::default_survey::constitution;
    use crate::response::SubmissionId;

    fn response(answers: serde_json::Value) -> SurveyResponse {
        SurveyResponse {
            submission_id: SubmissionId([7; 16]),
            survey_version: 1,
            context: None,
            answers: serde_json::from_value(answers).unwrap(),
        }
    }

    fn codes(errors: &[FieldError]) -> Vec<(String, ErrorCode)> {
        errors.iter().map(|e| (e.field.clone(), e.code)).collect()
    }

    fn complete() -> serde_json::Value {
        serde_json::json!({
            "awareness": "know_whats_in_it",
            "where_met": ["induction", "appraisal"],
            "values_lived": {"working_together": 4, "respect_dignity": 5, "commitment_to_quality": 3,
                              "compassion": 4, "improving_lives": 2, "everyone_counts": 5},
            "focus_value": "compassion",
            "shared_purpose": "agree",
            "story": "Our porters stayed late to help a family find the ward.",
            "story_values": ["compassion", "working_together"]
        })
    }

    #[test]
    fn a_complete_response_is_valid() {
        assert_eq!(validate(&constitution(), &response(complete())), vec![]);
    }

    #[test]
    fn every_fault_is_reported_at_once() {
        let mut r = response(serde_json::json!({
            "awareness": "maybe",
            "where_met": ["induction", "induction", "carrier pigeon"],
            "values_lived": {"compassion": 9, "kindness": 3},
            "shared_purpose": ["agree"],
            "favourite_colour": "blue"
        }));
        r.survey_version = 2;
        r.context = Some("mars".into());
        let got = codes(&validate(&constitution(), &r));
        for want in [
            ("survey_version", ErrorCode::WrongVersion),
            ("context", ErrorCode::UnknownContext),
            ("answers.favourite_colour", ErrorCode::UnknownQuestion),
            ("answers.awareness", ErrorCode::UnknownOption),
            ("answers.where_met", ErrorCode::DuplicateOption),
            ("answers.where_met", ErrorCode::UnknownOption),
            ("answers.values_lived", ErrorCode::ScaleOutOfRange),
            ("answers.values_lived", ErrorCode::UnknownOption),
            ("answers.focus_value", ErrorCode::MissingRequired),
            ("answers.shared_purpose", ErrorCode::WrongAnswerType),
        ] {
            assert!(got.contains(&(want.0.to_string(), want.1)), "missing {want:?} in {got:?}");
        }
    }

    #[test]
    fn word_limit_is_enforced() {
        let mut answers = complete();
        answers["story"] = serde_json::Value::String("word ".repeat(251));
        let got = codes(&validate(&constitution(), &response(answers.clone())));
        assert_eq!(got, vec![("answers.story".into(), ErrorCode::TooManyWords)]);
        answers["story"] = serde_json::Value::String("word ".repeat(250));
        assert_eq!(validate(&constitution(), &response(answers)), vec![]);
    }

    #[test]
    fn answers_to_hidden_questions_are_refused() {
        let mut answers = complete();
        answers.as_object_mut().unwrap().remove("story");
        let got = codes(&validate(&constitution(), &response(answers)));
        assert_eq!(got, vec![("answers.story_values".into(), ErrorCode::HiddenQuestion)]);
    }

    #[test]
    fn multiple_choice_maximum_is_enforced() {
        let mut def = constitution();
        let QuestionKind::MultipleChoice { max, .. } = &mut def.questions[1].kind else { panic!() };
        *max = Some(3);
        let mut answers = complete();
        answers["where_met"] = serde_json::json!(["induction", "job_description", "appraisal", "team_meetings"]);
        let got = codes(&validate(&def, &response(answers.clone())));
        assert_eq!(got, vec![("answers.where_met".into(), ErrorCode::TooManyChoices)]);
        answers["where_met"] = serde_json::json!(["induction", "job_description", "appraisal"]);
        let got = codes(&validate(&def, &response(answers)));
        assert_eq!(got, vec![]);
    }

    #[test]
    fn blank_answers_count_as_missing() {
        let mut answers = complete();
        answers["focus_value"] = "  ".into();
        answers["story"] = "".into();
        answers.as_object_mut().unwrap().remove("story_values");
        let got = codes(&validate(&constitution(), &response(answers)));
        assert_eq!(got, vec![("answers.focus_value".into(), ErrorCode::MissingRequired)]);
    }

    #[test]
    fn messages_come_in_welsh_with_the_same_fields_and_codes() {
        let mut answers = complete();
        answers["values_lived"] = serde_json::json!({"compassion": 3});
        answers["story"] = serde_json::Value::String("gair ".repeat(251));
        answers.as_object_mut().unwrap().remove("awareness");
        let r = response(answers);
        let (en, cy) = (validate(&constitution(), &r), validate_in(&constitution(), &r, Lang::Cy));
        assert_eq!(codes(&en), codes(&cy));
        let messages: Vec<&str> = cy.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "Atebwch y cwestiwn hwn.",
                "Atebwch bob rhes (mae \"Cydweithio er budd cleifion\" ar goll).",
                "Defnyddiwch 250 o eiriau neu lai (mae gennych chi 251).",
            ]
        );
        assert_eq!(en[1].message, "Answer every row (\"Working together for patients\" is missing).");
    }

    #[test]
    fn a_story_link_goes_only_to_a_listed_host_with_a_caption() {
        let def = constitution();
        let with = |link: &str, caption: &str| {
            let mut answers = complete();
            answers["story"] = serde_json::json!({"text": "", "link": link, "caption": caption});
            codes(&validate(&def, &response(answers)))
        };
        assert_eq!(with("https://www.youtube.com/watch?v=abc", "Our ward's open day"), vec![]);
        assert_eq!(
            with("https://evil.example/x", "A caption"),
            vec![("answers.story.link".into(), ErrorCode::BadLink)]
        );
        assert_eq!(
            with("http://www.youtube.com/x", "A caption"),
            vec![("answers.story.link".into(), ErrorCode::BadLink)]
        );
        assert_eq!(with("https://youtu.be/x", " "), vec![("answers.story.caption".into(), ErrorCode::MissingCaption)]);
        assert_eq!(with("", "A caption"), vec![("answers.story.link".into(), ErrorCode::MissingLink)]);
        for bad in ["A\u{0}caption", "A\ncaption", "evil\u{202E}txt.exe", "\u{200B}\u{200B}"] {
            assert_eq!(
                with("https://youtu.be/x", bad),
                vec![("answers.story.caption".into(), ErrorCode::BadCaption)],
                "{bad:?}"
            );
        }
        // The caption counts in the story's words.
        let mut answers = complete();
        answers["story"] = serde_json::json!({"text": "word ".repeat(200), "link": "https://youtu.be/x", "caption": "cap ".repeat(51)});
        let errors = validate(&def, &response(answers));
        assert_eq!(codes(&errors), vec![("answers.story".into(), ErrorCode::TooManyWords)]);
        assert_eq!(errors[0].message, "Use 250 words or fewer, with the caption (you have 251).");
        // The same refusal in Welsh names the same hosts.
        let mut answers = complete();
        answers["story"] = serde_json::json!({"link": "https://evil.example/x", "caption": "Capsiwn"});
        let cy = validate_in(&def, &response(answers), Lang::Cy);
        assert_eq!(cy[0].message, "Dim ond dolenni i www.youtube.com, youtu.be, vimeo.com y gellir eu rhannu yma.");
        // A question without media takes text only.
        let mut plain = def.clone();
        plain.questions.iter_mut().for_each(|q| {
            if let QuestionKind::FreeText { media, .. } = &mut q.kind {
                *media = false;
            }
        });
        let mut answers = complete();
        answers["story"] = serde_json::json!({"text": "A story", "link": "https://youtu.be/x", "caption": "c"});
        assert_eq!(
            codes(&validate(&plain, &response(answers))),
            vec![("answers.story".into(), ErrorCode::WrongAnswerType)]
        );
    }

    #[test]
    fn a_required_matrix_needs_every_row() {
        let mut answers = complete();
        answers["values_lived"] = serde_json::json!({"compassion": 3});
        let got = codes(&validate(&constitution(), &response(answers)));
        assert_eq!(got, vec![("answers.values_lived".into(), ErrorCode::MissingRequired)]);
    }
}
