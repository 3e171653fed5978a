//! `GET /api/v1/surveys/{id}/showcase`: the approved "values in action" stories, for the showcase
//! embed (`<div data-pulse-showcase="…">`). Public and cacheable, so it holds only what staff may
//! read: each approved story's text, its values, and its photo or video link with the caption. Never a context, a date, a submission or a
//! story id, never a story that is pending, rejected or was not consented to, never one from a
//! hidden group, and nothing at all until [`pulse_shared::publish`] lets the survey's stories be read.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use pulse_shared::{NhsValue, StoryLink};
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorBody};
use crate::public::surveys::CurrentSurvey;
use crate::http::extract::ApiQuery;
use crate::store::StoryStatus;
use crate::AppState;

/// How long a browser or proxy may reuse the list before asking again: a story an admin approves
/// or withdraws shows (or goes) within this.
const MAX_AGE_SECONDS: u32 = 60;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ShowcaseQuery {
    /// Only stories tagged with this NHS value (its id, e.g. `compassion`).
    pub value: Option<String>,
    /// `en` or `cy`: the language of the title and value names (stories are as written).
    pub lang: Option<String>,
    /// Instead of `lang`: the language tags the page declares for the showcase, comma-separated,
    /// in order (its `data-pulse-lang`, then its nearest `lang`); the first Values Pulse speaks is
    /// used, English when none is, as the survey widget chooses.
    pub page_lang: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ShowcaseStory {
    pub text: String,
    /// Value ids.
    pub values: Vec<String>,
    /// The story's photo or video link and caption, once an admin has approved it with the story.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media: Option<StoryLink>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Showcase {
    pub survey: String,
    pub title: String,
    pub lang: String,
    /// The value asked for, if any.
    pub value: Option<String>,
    /// Every value id with its name in `lang`.
    pub labels: Vec<ValueLabel>,
    pub stories: Vec<ShowcaseStory>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ValueLabel {
    pub id: String,
    pub label: String,
}

/// Approved stories, optionally for one value.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/showcase",
    tag = "staff",
    params(("id" = String, Path, description = "The survey id"), ShowcaseQuery),
    responses(
        (status = 200, description = "Approved stories: text, values and approved links only; cacheable for a minute, with an ETag", body = Showcase),
        (status = 304, description = "Unchanged since the ETag given"),
        (status = 400, description = "An unknown parameter, value or language", body = ErrorBody),
        (status = 403, description = "A page on an origin the survey does not allow", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn showcase(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<ShowcaseQuery>,
    headers: HeaderMap,
    CurrentSurvey(survey): CurrentSurvey,
) -> Result<Response, ApiError> {
    let def = &survey.definition;
    let value = match query.value.as_deref() {
        None => None,
        Some(v) => Some(NhsValue::from_id(v).ok_or_else(|| {
            let ids: Vec<&str> = NhsValue::ALL.iter().map(|v| v.id()).collect();
            ApiError::BadQuery(format!("value {v:?} is not an NHS value: use one of {}", ids.join(", ")))
        })?),
    };
    let asked = crate::http::language::embed_lang(query.lang.as_deref(), query.page_lang.as_deref())?;
    let lang = def.language_for(asked);
    let found = survey.clone();
    let stories = state
        .store
        .read(move |store| match store.story_publication(&found.definition.id)? {
            Some(publication) => store.stories(&id, &publication),
            None => Ok(Vec::new()),
        })
        .await?
        .into_iter()
        .map(|(_, s)| s)
        .filter(|s| s.status == StoryStatus::Approved)
        .filter(|s| value.is_none_or(|v| s.values.iter().any(|x| x == v.id())))
        .map(|s| ShowcaseStory { text: s.text, values: s.values, media: s.media })
        .collect();
    let body = Showcase {
        survey: def.id.clone(),
        title: def.title.get(lang).to_string(),
        lang: lang.code().to_string(),
        value: value.map(|v| v.id().to_string()),
        labels: NhsValue::ALL
            .iter()
            .map(|v| ValueLabel { id: v.id().to_string(), label: v.label_in(lang).to_string() })
            .collect(),
        stories,
    };
    crate::http::etag::cacheable_json(&headers, &body, MAX_AGE_SECONDS)
}
