//! Results for staff: the public `GET …/headlines` the results embed reads
//! (`<div data-pulse-results="…">`), from what admins share (`admin::sharing`). What the headlines may hold is decided in
//! [`pulse_shared::headlines`], from what [`pulse_shared::publish`] already publishes.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use pulse_shared::headlines::{headlines, latest_closed, HeadlineInput, Headlines};
use serde::Deserialize;

use crate::error::{ApiError, ErrorBody};
use crate::public::surveys::CurrentSurvey;
use crate::http::extract::ApiQuery;
use crate::store::StoreError;
use crate::AppState;

/// How long a browser or proxy may reuse the headlines: the figures change only when a wave closes
/// (or, without waves, as responses arrive), and an admin's new note shows within this.
const MAX_AGE_SECONDS: u32 = 300;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HeadlinesQuery {
    /// One of the survey's contexts, whose figures are shown beside everyone's when it has `k`
    /// responses or more.
    pub context: Option<String>,
    /// `en` or `cy`.
    pub lang: Option<String>,
    /// Instead of `lang`: the language tags the page declares, comma-separated, in order; the first
    /// Values Pulse speaks is used.
    pub page_lang: Option<String>,
}

/// The headline figures and notes staff may read, for the results embed.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/headlines",
    tag = "staff",
    params(("id" = String, Path, description = "The survey id"), HeadlinesQuery),
    responses(
        (status = 200, description = "Shared questions only, for everyone and at most one context with k responses or more, from the latest closed wave when the survey has waves; cacheable for five minutes, with an ETag", body = Headlines),
        (status = 304, description = "Unchanged since the ETag given"),
        (status = 400, description = "An unknown parameter, context or language", body = ErrorBody),
        (status = 403, description = "A page on an origin the survey does not allow", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn headlines_json(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<HeadlinesQuery>,
    headers: HeaderMap,
    CurrentSurvey(survey): CurrentSurvey,
) -> Result<Response, ApiError> {
    let def = survey.definition.clone();
    let context = query.context.filter(|c| !c.is_empty());
    if let Some(c) = &context {
        if !def.has_context(c) {
            let ids: Vec<&str> = def.contexts.iter().map(|c| c.id.as_str()).collect();
            return Err(ApiError::BadQuery(format!("context {c:?} is not one of this survey's: {}", ids.join(", "))));
        }
    }
    let asked = crate::http::language::embed_lang(query.lang.as_deref(), query.page_lang.as_deref())?;
    let lang = def.language_for(asked);
    let today = state.today();
    let waves = state.store.waves(&id);
    let body = state
        .store
        .read(move |store| {
            let sharing = store.sharing(&id)?;
            let Some(publication) = store.publication(&id)? else {
                return Err(StoreError::Corrupt(format!("survey {id:?} has no results")));
            };
            // Only a closed wave's results and the trend up to it are read; the trend is built only
            // when there is such a wave.
            let trend = latest_closed(&waves, today).map(|_| &**publication.trend());
            let input =
                HeadlineInput { def: &def, sharing: &sharing, waves: &waves, today, lang, context: context.as_deref() };
            Ok(headlines(&input, &publication.combined, &publication.waves, trend))
        })
        .await?;
    crate::http::etag::cacheable_json(&headers, &body, MAX_AGE_SECONDS)
}
