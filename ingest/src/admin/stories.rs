//! "Values in action" stories for admins: the scrubbed text and its value tags only — never the
//! context, the day or the submission — in a fresh random order each time, and only once
//! [`pulse_shared::publish`] allows (`k_text` responses in the groups shown), so a story cannot be
//! tied to when or where it was written.

pub use crate::store::Story;

/// The survey's stories (from the store's index of free-text answers), shuffled, each with its
/// values' names; empty while stories may not be published.
pub fn stories(published: bool, mut found: Vec<Story>) -> Vec<Story> {
    if !published {
        return Vec::new();
    }
    shuffle(&mut found);
    for story in &mut found {
        story.value_names = value_names(&story.values);
    }
    found
}

/// The names of NHS values, from their ids, as the dashboard shows them.
pub fn value_names(ids: &[String]) -> Vec<String> {
    ids.iter().filter_map(|id| pulse_shared::NhsValue::from_id(id)).map(|v| v.label().to_string()).collect()
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
    use crate::store::{free_texts, StoredResponse};
    use pulse_shared::default_survey::constitution;
    use pulse_shared::{Answer, SurveyDefinition};

    fn response(story: Option<&str>) -> StoredResponse {
        let mut answers = pulse_shared::Answers::new();
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

    /// The stories of `responses` as the store's index holds them.
    fn stories(def: &SurveyDefinition, responses: &[StoredResponse]) -> Vec<Story> {
        let found = responses.iter().flat_map(|r| free_texts(def, r)).collect();
        // As publish decides for responses all in one context: k_text of them in a shown group.
        super::stories(responses.len() as u32 >= def.text_threshold(), found)
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
            Story {
                question: "story".into(),
                text: "We stayed late.".into(),
                values: vec!["compassion".into()],
                value_names: vec!["Compassion".into()],
                media: None,
            }
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
