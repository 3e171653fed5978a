//! Which counters a response adds one to. The server keeps these counters in the same transaction as
//! the response, so results are read in time proportional to the questions, not the responses.
//!
//! The store keeps each key as a string:
//! - `""`: responses;
//! - `q`: people who answered question `q`;
//! - `q=option`: people who chose `option` (choices and value tags);
//! - `q.row`: people who answered row `row` of matrix `q`;
//! - `q.row=3`: people who put row `row` at point 3;
//! - `#engagement` and `#engagement=90` (and `#motivation`, …): people with an NHS engagement
//!   score, and people with it at 90/144 of 10 ([`crate::score`]).

use std::fmt;
use std::str::FromStr;

use crate::definition::{QuestionKind, SurveyDefinition};
use crate::response::{Answer, SurveyResponse};

/// A counter: what it counts, typed. The store keeps it as the string [`fmt::Display`] writes and
/// reads it back with [`FromStr`]; ids are slugs, so `=` and `.` never occur inside one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TallyKey {
    /// Responses (`""`).
    Responses,
    /// People who answered question `q` (`q`).
    Answered(String),
    /// People who chose an option of a question (`q=option`): choices, value tags and consent.
    Chose(String, String),
    /// People who answered a row of a matrix (`q.row`).
    Row(String, String),
    /// People who put a row of a matrix at a point of its scale, 1 to 5 (`q.row=3`).
    Point(String, String, u8),
}

impl TallyKey {
    /// The question this counter belongs to; `None` for responses.
    pub fn question(&self) -> Option<&str> {
        match self {
            TallyKey::Responses => None,
            TallyKey::Answered(q) | TallyKey::Chose(q, _) | TallyKey::Row(q, _) | TallyKey::Point(q, _, _) => Some(q),
        }
    }
}

impl fmt::Display for TallyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TallyKey::Responses => Ok(()),
            TallyKey::Answered(q) => write!(f, "{q}"),
            TallyKey::Chose(q, option) => write!(f, "{q}={option}"),
            TallyKey::Row(q, row) => write!(f, "{q}.{row}"),
            TallyKey::Point(q, row, point) => write!(f, "{q}.{row}={point}"),
        }
    }
}

/// A stored counter name that is none of the forms of [`TallyKey`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a counter name")]
pub struct BadTallyKey(pub String);

impl FromStr for TallyKey {
    type Err = BadTallyKey;

    fn from_str(s: &str) -> Result<TallyKey, BadTallyKey> {
        let bad = || BadTallyKey(s.to_string());
        if s.is_empty() {
            return Ok(TallyKey::Responses);
        }
        let (head, value) = match s.split_once('=') {
            Some((head, value)) if !value.is_empty() && !value.contains(['=', '.']) => (head, Some(value)),
            Some(_) => return Err(bad()),
            None => (s, None),
        };
        let (q, row) = match head.split_once('.') {
            Some((q, row)) if !row.is_empty() && !row.contains('.') => (q, Some(row)),
            Some(_) => return Err(bad()),
            None => (head, None),
        };
        if q.is_empty() {
            return Err(bad());
        }
        Ok(match (row, value) {
            (None, None) => TallyKey::Answered(q.into()),
            (None, Some(option)) => TallyKey::Chose(q.into(), option.into()),
            (Some(row), None) => TallyKey::Row(q.into(), row.into()),
            (Some(row), Some(point)) => match point.parse::<u8>() {
                Ok(p @ 1..=5) => TallyKey::Point(q.into(), row.into(), p),
                _ => return Err(bad()),
            },
        })
    }
}

/// The counters a valid response adds one to. Call it only on a response that passed `validate`.
pub fn tally_keys(def: &SurveyDefinition, response: &SurveyResponse) -> Vec<TallyKey> {
    let mut keys = vec![TallyKey::Responses];
    for q in &def.questions {
        let Some(answer) = response.answers.get(&q.id).filter(|a| !a.is_empty()) else { continue };
        keys.push(TallyKey::Answered(q.id.clone()));
        match (&q.kind, answer) {
            (QuestionKind::SingleChoice { .. } | QuestionKind::Consent { .. }, Answer::Text(option)) => {
                keys.push(TallyKey::Chose(q.id.clone(), option.clone()))
            }
            (QuestionKind::MultipleChoice { .. } | QuestionKind::ValueTags, Answer::List(options)) => {
                keys.extend(options.iter().map(|o| TallyKey::Chose(q.id.clone(), o.clone())))
            }
            (QuestionKind::LikertMatrix { .. }, Answer::Matrix(points)) => {
                for (row, point) in points {
                    keys.push(TallyKey::Row(q.id.clone(), row.clone()));
                    keys.push(TallyKey::Point(q.id.clone(), row.clone(), *point));
                }
            }
            _ => {}
        }
    }
    keys.extend(crate::score::score_keys(def, response));
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
        let keys: Vec<String> = tally_keys(&constitution(), &response).iter().map(|k| k.to_string()).collect();
        for key in &keys {
            assert_eq!(key.parse::<TallyKey>().unwrap().to_string(), *key, "round trip");
        }
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

#[cfg(test)]
mod key_tests {
    use super::*;

    #[test]
    fn malformed_counter_names_are_refused() {
        for bad in ["=x", "q=", "q.", "q.r.s", "q.r=0", "q.r=6", "q.r=x", "q=a=b", ".r"] {
            assert!(bad.parse::<TallyKey>().is_err(), "{bad}");
        }
        assert_eq!("q=a".parse(), Ok(TallyKey::Chose("q".into(), "a".into())));
    }
}
