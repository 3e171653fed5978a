//! Which counters a response adds one to. The server keeps these counters in the same transaction as
//! the response, so results are read in time proportional to the questions, not the responses.
//!
//! Keys are strings so the store can keep them as they are:
//! - `""`: responses;
//! - `q`: people who answered question `q`;
//! - `q=option`: people who chose `option` (choices and value tags);
//! - `q.row`: people who answered row `row` of matrix `q`;
//! - `q.row=3`: people who put row `row` at point 3.

use crate::definition::{QuestionKind, SurveyDefinition};
use crate::response::{Answer, SurveyResponse};

/// A counter's name; see the module documentation for the forms it takes.
pub type TallyKey = String;

/// The counter of responses.
pub const RESPONSES_KEY: &str = "";

pub fn question_key(question: &str) -> TallyKey {
    question.to_string()
}

pub fn option_key(question: &str, option: &str) -> TallyKey {
    format!("{question}={option}")
}

pub fn row_key(question: &str, row: &str) -> TallyKey {
    format!("{question}.{row}")
}

pub fn point_key(question: &str, row: &str, point: u8) -> TallyKey {
    format!("{question}.{row}={point}")
}

/// The counters a valid response adds one to. Call it only on a response that passed `validate`.
pub fn tally_keys(def: &SurveyDefinition, response: &SurveyResponse) -> Vec<TallyKey> {
    let mut keys = vec![RESPONSES_KEY.to_string()];
    for q in &def.questions {
        let Some(answer) = response.answers.get(&q.id).filter(|a| !a.is_empty()) else { continue };
        keys.push(question_key(&q.id));
        match (&q.kind, answer) {
            (QuestionKind::SingleChoice { .. } | QuestionKind::Consent { .. }, Answer::Text(option)) => {
                keys.push(option_key(&q.id, option))
            }
            (QuestionKind::MultipleChoice { .. } | QuestionKind::ValueTags, Answer::List(options)) => {
                keys.extend(options.iter().map(|o| option_key(&q.id, o)))
            }
            (QuestionKind::LikertMatrix { .. }, Answer::Matrix(points)) => {
                for (row, point) in points {
                    keys.push(row_key(&q.id, row));
                    keys.push(point_key(&q.id, row, *point));
                }
            }
            _ => {}
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::default_survey::constitution;
    use crate::response::SubmissionId;

    #[test]
    fn counts_each_answer_once() {
        let response = SurveyResponse {
            submission_id: SubmissionId([1; 16]),
            survey_version: 1,
            context: None,
            answers: serde_json::from_value(serde_json::json!({
                "awareness": "not_heard",
                "where_met": ["induction", "intranet"],
                "values_lived": {"compassion": 4},
                "story": "",
            }))
            .unwrap(),
        };
        let keys = tally_keys(&constitution(), &response);
        assert_eq!(
            keys,
            vec![
                "",
                "awareness",
                "awareness=not_heard",
                "where_met",
                "where_met=induction",
                "where_met=intranet",
                "values_lived",
                "values_lived.compassion",
                "values_lived.compassion=4",
            ]
        );
    }
}
