//! Previews of a definition being edited, shown by the real survey widget: the editor sends the
//! definition (`POST /api/v1/drafts/{id}/preview`) and frames `/preview/{ticket}/{mode}`, a page
//! holding the loader and element an editor would paste, whose endpoint is the preview itself. It
//! serves that definition (open, or closed as staff would see it after its last day) and checks
//! answers as the real endpoint does, but stores nothing: a preview is never a response.
//!
//! A ticket is 256 random bits, lasts an hour and is kept in memory only.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use pulse_shared::{SurveyDefinition, SurveyResponse};
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorBody};
use crate::http::extract::ApiJson;
use crate::pages::frame::{self, FrameQuery};
use crate::AppState;

/// How long a preview can be opened after it was made.
const LIFETIME: Duration = Duration::from_secs(3600);
/// At most this many previews at once; the oldest goes first.
const MOST: usize = 200;

/// The previews made in the last hour, by ticket.
#[derive(Default)]
pub struct Previews(Mutex<HashMap<String, (Instant, std::sync::Arc<SurveyDefinition>)>>);

impl Previews {
    fn add(&self, def: SurveyDefinition) -> String {
        let ticket = crate::auth::sessions::random_secret();
        let mut all = self.0.lock().expect("previews lock");
        all.retain(|_, (made, _)| made.elapsed() < LIFETIME);
        if all.len() >= MOST {
            let oldest = all.iter().min_by_key(|(_, (made, _))| *made).map(|(t, _)| t.clone());
            all.remove(&oldest.expect("not empty"));
        }
        all.insert(ticket.clone(), (Instant::now(), std::sync::Arc::new(def)));
        ticket
    }

    fn get(&self, ticket: &str) -> Result<std::sync::Arc<SurveyDefinition>, ApiError> {
        let all = self.0.lock().expect("previews lock");
        all.get(ticket)
            .filter(|(made, _)| made.elapsed() < LIFETIME)
            .map(|(_, def)| def.clone())
            .ok_or_else(|| ApiError::NotFound("this preview has expired: make a new one from the editor".into()))
    }
}

/// Where a preview is.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PreviewMade {
    /// The page to frame, followed by `/open` or `/closed`, and `?lang=cy` for Welsh.
    pub address: String,
}

/// Makes a preview of a definition as the editor holds it (saved or not).
#[utoipa::path(
    post,
    path = "/api/v1/drafts/{id}/preview",
    operation_id = "preview_draft",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id")),
    request_body = SurveyDefinition,
    responses(
        (status = 201, description = "A preview, for an hour", body = PreviewMade),
        (status = 422, description = "The definition breaks a rule (the widget could not show it as staff would see it); details lists each", body = ErrorBody),
    )
)]
pub async fn make(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(def): ApiJson<SurveyDefinition>,
) -> Result<(StatusCode, Json<PreviewMade>), ApiError> {
    if def.id != id {
        return Err(ApiError::Unprocessable(format!("the definition's id {:?} is not {id:?}", def.id)));
    }
    let problems = def.check();
    if !problems.is_empty() {
        return Err(ApiError::InvalidDefinition(problems));
    }
    let ticket = state.previews.add(def);
    Ok((StatusCode::CREATED, Json(PreviewMade { address: format!("/preview/{ticket}") })))
}

/// Whether the preview shows the survey open, or closed.
fn closed(mode: &str) -> Result<bool, ApiError> {
    match mode {
        "open" => Ok(false),
        "closed" => Ok(true),
        _ => Err(ApiError::NotFound(format!("a preview is open or closed, not {mode:?}"))),
    }
}

/// The preview page: the survey widget, as an intranet page embeds it, for the editor to frame.
#[utoipa::path(
    get,
    path = "/preview/{ticket}/{mode}",
    operation_id = "preview_page",
    tag = "admin",
    params(("ticket" = String, Path, description = "The preview's ticket"), ("mode" = String, Path, description = "open or closed"), FrameQuery),
    responses(
        (status = 200, description = "HTML page with the survey widget", content_type = "text/html"),
        (status = 404, description = "No such preview, or it has expired", body = ErrorBody),
    )
)]
pub async fn page(
    State(state): State<AppState>,
    Path((ticket, mode)): Path<(String, String)>,
    query: Result<Query<FrameQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::BadQuery(e.body_text()))?;
    closed(&mode)?;
    let def = state.previews.get(&ticket)?;
    let lang = def.language_for(crate::http::language::lang_param(query.lang.as_deref())?);
    // An unknown context is left out rather than refused: the editor previews contexts not yet saved.
    let context = query.context.filter(|c| def.has_context(c));
    let endpoint = format!("/preview/{ticket}/{mode}");
    let html = frame::widget_page(&def, lang, context.as_deref(), Some(&endpoint));
    Ok((frame::page_headers(frame::widget_csp("'self'")?), Html(html)).into_response())
}

/// The definition a preview shows, as the widget reads it: closed, it says so as staff would read
/// it the day after it closed.
#[utoipa::path(
    get,
    path = "/preview/{ticket}/{mode}/api/v1/surveys/{id}",
    operation_id = "preview_definition",
    tag = "admin",
    params(("ticket" = String, Path, description = "The preview's ticket"), ("mode" = String, Path, description = "open or closed"), ("id" = String, Path, description = "The survey id")),
    responses(
        (status = 200, description = "The definition", body = SurveyDefinition),
        (status = 404, description = "No such preview, or it has expired", body = ErrorBody),
    )
)]
pub async fn definition(
    State(state): State<AppState>,
    Path((ticket, mode, id)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let closed = closed(&mode)?;
    let def = state.previews.get(&ticket)?;
    if def.id != id {
        return Err(ApiError::NotFound(format!("this preview is of survey {:?}", def.id)));
    }
    let mut body = serde_json::to_value(&*def).map_err(|e| ApiError::Internal(e.to_string()))?;
    if closed {
        let today = state.today();
        let mut ended = (*def).clone();
        ended.opens = None;
        ended.closes = Some(pulse_shared::Date::from_days_since_epoch(today.days_since_epoch() - 1));
        let why = pulse_shared::closed_message(&ended, &[], today);
        body["closed"] = serde_json::to_value(why).map_err(|e| ApiError::Internal(e.to_string()))?;
    }
    Ok(([(CACHE_CONTROL, HeaderValue::from_static("no-store"))], Json(body)).into_response())
}

/// Answers to a preview: checked as the real endpoint checks them, then dropped.
#[utoipa::path(
    post,
    path = "/preview/{ticket}/{mode}/api/v1/surveys/{id}/responses",
    operation_id = "preview_response",
    tag = "admin",
    params(("ticket" = String, Path, description = "The preview's ticket"), ("mode" = String, Path, description = "open or closed"), ("id" = String, Path, description = "The survey id")),
    request_body = SurveyResponse,
    responses(
        (status = 201, description = "The answers fit the survey; nothing was stored"),
        (status = 404, description = "No such preview, or it has expired", body = ErrorBody),
        (status = 422, description = "The answers do not fit the survey", body = ErrorBody),
    )
)]
pub async fn response(
    State(state): State<AppState>,
    Path((ticket, mode, _id)): Path<(String, String, String)>,
    headers: axum::http::HeaderMap,
    ApiJson(response): ApiJson<SurveyResponse>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    closed(&mode)?;
    let def = state.previews.get(&ticket)?;
    let lang = def.language_for(crate::http::language::accept_language(&headers));
    let errors = pulse_shared::validate_in(&def, &response, lang);
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    Ok((StatusCode::CREATED, Json(serde_json::json!({"preview": true, "stored": false}))))
}
