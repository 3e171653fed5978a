//! "Values in action" stories for admins: the scrubbed text and its value tags only — never the
//! context, the day or the submission — in a fresh random order each time, and only once
//! [`pulse_shared::publish`] allows (`k_text` responses in the groups shown), so a story cannot be
//! tied to when or where it was written.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;

use crate::admin::results::ResultsError;
use crate::error::{ApiError, ErrorBody};
use crate::export;
use crate::http::responses::download;
use crate::store::Store;
use crate::AppState;

pub use crate::store::Story;

/// The stories of every version of a survey, shuffled; none until [`pulse_shared::publish`] allows.
pub fn survey_stories(store: &Store, id: &str) -> Result<Vec<Story>, ResultsError> {
    let publication = store.publication(id)?.ok_or_else(|| ResultsError::NoSurvey(id.to_string()))?;
    Ok(stories(publication.stories, store.free_texts(id, &publication)?))
}

/// Values-in-action stories: scrubbed text and value tags only, shuffled; none below k responses.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/stories",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id")),
    responses(
        (status = 200, description = "Stories", body = Vec<Story>),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn stories_json(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Vec<Story>>, ApiError> {
    Ok(Json(state.store.read(move |store| survey_stories(store, &id)).await?))
}

/// The stories as CSV.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/stories.csv",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id")),
    responses(
        (status = 200, description = "CSV download", content_type = "text/csv", body = String),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn stories_csv(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let name = format!("{id}-stories.csv");
    let found = state.store.read(move |store| survey_stories(store, &id)).await?;
    Ok(download("text/csv; charset=utf-8", name, export::stories_csv(&found)))
}

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
