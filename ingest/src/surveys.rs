//! `GET /api/v1/surveys/{id}`: the public definition the widget renders, with an ETag so a page
//! that already has it pays for a 304 only.

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::error::ApiError;
use crate::AppState;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/api/v1/surveys/{id}", get(definition).options(crate::embedding::preflight))
        .layer(from_fn_with_state(state, crate::embedding::check_origin))
}

async fn definition(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let survey = state.store.survey(&id).ok_or_else(|| ApiError::NotFound(format!("no survey {id:?}")))?;
    let etag = HeaderValue::from_str(&survey.etag).expect("etag is ASCII");
    // Revalidate every time: an admin may publish a new version at any moment.
    let cache = HeaderValue::from_static("no-cache");
    let matches = headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == survey.etag || tag.trim() == "*"));
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, [(ETAG, etag), (CACHE_CONTROL, cache)]).into_response());
    }
    let json = HeaderValue::from_static("application/json");
    Ok(([(CONTENT_TYPE, json), (ETAG, etag), (CACHE_CONTROL, cache)], survey.json.clone()).into_response())
}
