//! "Values in action" stories for admins: the scrubbed text and its value tags only — never the
//! context, the day or the submission — in a fresh random order each time, and only once the survey
//! has at least `k` responses, so a story cannot be tied to when or where it was written.

use pulse_shared::{Answer, QuestionKind, SurveyDefinition};
use serde::Serialize;

use crate::store::StoredResponse;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Story {
    /// The free-text question it answers.
    pub question: String,
    pub text: String,
    /// The NHS values it was tagged with.
    pub values: Vec<String>,
}

/// The stories in `responses`, shuffled; empty while there are fewer than `k` responses.
pub fn stories(def: &SurveyDefinition, responses: &[StoredResponse]) -> Vec<Story> {
    if (responses.len() as u64) < u64::from(def.k) {
        return Vec::new();
    }
    let free_text: Vec<&str> = def
        .questions
        .iter()
        .filter(|q| matches!(q.kind, QuestionKind::FreeText { .. }))
        .map(|q| q.id.as_str())
        .collect();
    let mut out = Vec::new();
    for r in responses {
        for &q in &free_text {
            let Some(Answer::Text(text)) = r.answers.get(q) else { continue };
            let values = match def.value_tags_for(q).and_then(|t| r.answers.get(&t.id)) {
                Some(Answer::List(values)) => values.clone(),
                _ => Vec::new(),
            };
            out.push(Story { question: q.to_string(), text: text.clone(), values });
        }
    }
    shuffle(&mut out);
    out
}

/// Fisher–Yates with the operating system's randomness.
fn shuffle<T>(items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let mut bytes = [0u8; 8];
        let _ = getrandom::fill(&mut bytes);
        let j = (u64::from_le_bytes(bytes) % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulse_shared::default_survey::constitution;

    fn response(story: Option<&str>) -> StoredResponse {
        let mut answers = std::collections::BTreeMap::new();
        if let Some(s) = story {
            answers.insert("story".to_string(), Answer::Text(s.to_string()));
            answers.insert("story_values".to_string(), Answer::List(vec!["compassion".into()]));
        }
        StoredResponse {
            survey_version: 1,
            context: Some("estates".into()),
            received_on: "2026-11-21".parse().unwrap(),
            answers,
        }
    }

    #[test]
    fn stories_need_k_responses_and_carry_text_and_tags_only() {
        let mut responses: Vec<_> = (0..9).map(|i| response((i % 3 == 0).then_some("We stayed late."))).collect();
        assert!(stories(&constitution(), &responses).is_empty(), "9 responses: below k");
        responses.push(response(None));
        let found = stories(&constitution(), &responses);
        assert_eq!(found.len(), 3);
        assert_eq!(
            found[0],
            Story { question: "story".into(), text: "We stayed late.".into(), values: vec!["compassion".into()] }
        );
        let json = serde_json::to_string(&found).unwrap();
        assert!(!json.contains("estates") && !json.contains("2026"), "no context or day: {json}");
    }

    #[test]
    fn the_order_changes_between_reads() {
        let responses: Vec<_> = (0..40).map(|i| response(Some(&format!("story {i}")))).collect();
        let orders: std::collections::HashSet<Vec<String>> =
            (0..5).map(|_| stories(&constitution(), &responses).into_iter().map(|s| s.text).collect()).collect();
        assert!(orders.len() > 1, "five reads of 40 stories came back in one order");
    }
}
