//! The survey Values Pulse ships with: awareness of the NHS Constitution and how the NHS values are
//! lived, in the NHS's own words, with an optional "values in action" story of at most 250 words.

use crate::definition::{Choice, ContextTag, Question, QuestionKind, ShowIf, SurveyDefinition, DEFAULT_K};
use crate::values::NhsValue;

pub const DEFAULT_SURVEY_ID: &str = "constitution";

/// Words allowed in a "values in action" story, as the NHS's own call for stories sets it.
pub const STORY_MAX_WORDS: u32 = 250;

fn choices(pairs: &[(&str, &str)]) -> Vec<Choice> {
    pairs.iter().map(|(id, label)| Choice::new(id, label)).collect()
}

fn value_choices() -> Vec<Choice> {
    NhsValue::ALL.iter().map(|v| Choice::new(v.id(), v.label())).collect()
}

fn question(id: &str, prompt: &str, hint: Option<&str>, required: bool, kind: QuestionKind) -> Question {
    Question { id: id.into(), prompt: prompt.into(), hint: hint.map(Into::into), required, show_if: None, kind }
}

/// The default survey, id `constitution`, version 1.
pub fn constitution() -> SurveyDefinition {
    let mut story_values = question(
        "story_values",
        "Which NHS values does your example show?",
        Some("Choose all that apply."),
        true,
        QuestionKind::ValueTags,
    );
    story_values.show_if = Some(ShowIf { question: "story".into(), equals: None });

    SurveyDefinition {
        id: DEFAULT_SURVEY_ID.into(),
        version: 1,
        title: "Our NHS values".into(),
        intro: "The NHS Constitution sets out what staff, patients and the public can expect from the NHS, \
                and the values we share. Tell us how they show up in your work. It takes about 3 minutes \
                and your answers are anonymous."
            .into(),
        questions: vec![
            question(
                "awareness",
                "How much do you know about the NHS Constitution?",
                None,
                true,
                QuestionKind::SingleChoice {
                    options: choices(&[
                        ("not_heard", "I have not heard of it"),
                        ("heard_not_content", "I have heard of it but don't know what's in it"),
                        ("know_whats_in_it", "I know what's in it"),
                    ]),
                },
            ),
            question(
                "where_met",
                "Where have you come across the NHS Constitution or the NHS values at work?",
                Some("Choose all that apply."),
                false,
                QuestionKind::MultipleChoice {
                    options: choices(&[
                        ("induction", "My induction"),
                        ("job_description", "My job description"),
                        ("appraisal", "My appraisal"),
                        ("team_meetings", "Team meetings"),
                        ("intranet", "The intranet or staff news"),
                        ("training", "Training"),
                        ("elsewhere", "Somewhere else"),
                        ("nowhere", "I have not come across them at work"),
                    ]),
                    max: None,
                },
            ),
            question(
                "values_lived",
                "How often does your team live each of the NHS values?",
                None,
                true,
                QuestionKind::LikertMatrix {
                    rows: value_choices(),
                    scale: ["Never", "Rarely", "Sometimes", "Often", "Always"].map(String::from),
                },
            ),
            question(
                "focus_value",
                "Which one value should your team focus on most?",
                None,
                true,
                QuestionKind::SingleChoice { options: value_choices() },
            ),
            question(
                "shared_purpose",
                "I understand how my work contributes to our shared purpose.",
                Some("How much do you agree?"),
                true,
                QuestionKind::SingleChoice {
                    options: choices(&[
                        ("strongly_disagree", "Strongly disagree"),
                        ("disagree", "Disagree"),
                        ("neither", "Neither agree nor disagree"),
                        ("agree", "Agree"),
                        ("strongly_agree", "Strongly agree"),
                    ]),
                },
            ),
            question(
                "story",
                "Share an example of the NHS values in action (optional)",
                Some(
                    "Something you saw or did, big or small, in 250 words or fewer. Please leave out names \
                     and anything else that could identify a person.",
                ),
                false,
                QuestionKind::FreeText { max_words: STORY_MAX_WORDS },
            ),
            story_values,
        ],
        k: DEFAULT_K,
        opens: None,
        closes: None,
        contexts: vec![
            ContextTag { id: "clinical".into(), label: "Clinical services".into() },
            ContextTag { id: "community".into(), label: "Community services".into() },
            ContextTag { id: "corporate".into(), label: "Corporate services".into() },
            ContextTag { id: "estates".into(), label: "Estates and facilities".into() },
        ],
        allowed_origins: Vec::new(),
    }
}
