//! `GET /api/v1/surveys/{id}`: the public definition the widget renders, with an ETag so a page
//! that already has it pays for a 304 only.

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use axum::Json;
use pulse_shared::SurveyDefinition;
use sha2::Digest;

use crate::error::{ApiError, ErrorBody};
use crate::http::extract::JsonOrToml;
use crate::store::{Store, StoreError};
use crate::AppState;

/// The current version of survey `id`, or the 404 every public and admin route gives for it.
pub fn current(store: &Store, id: &str) -> Result<std::sync::Arc<crate::store::PublishedSurvey>, ApiError> {
    store.survey(id).ok_or_else(|| ApiError::NotFound(format!("no survey {id:?}")))
}

/// The current version of the survey a route's `{id}` names, as an extractor: the 404 for an
/// unknown survey before the handler runs. Put it after the path and query, before a body.
pub struct CurrentSurvey(pub std::sync::Arc<crate::store::PublishedSurvey>);

impl axum::extract::FromRequestParts<AppState> for CurrentSurvey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &AppState) -> Result<Self, ApiError> {
        let params = axum::extract::RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::BadRequest(e.body_text()))?;
        let id = params.iter().find(|(name, _)| *name == "id").map(|(_, value)| value);
        let id = id.ok_or_else(|| ApiError::Internal("a route without {id} asks for its survey".into()))?;
        current(&state.store, id).map(CurrentSurvey)
    }
}

/// The public definition a widget renders.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}",
    tag = "staff",
    params(("id" = String, Path, description = "The survey id"), ("If-None-Match" = Option<String>, Header, description = "An ETag from an earlier answer")),
    responses(
        (status = 200, description = "The current definition, with an ETag; outside its dates or waves with `closed` (why, in English and Welsh), inside a wave with `wave` (its id)", body = SurveyDefinition),
        (status = 304, description = "Unchanged since the ETag given"),
        (status = 403, description = "A page on an origin the survey does not allow", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn definition(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let survey = current(&state.store, &id)?;
    // Outside its window or its waves, the definition says why it is closed (in both languages),
    // so the widget says so instead of showing a form it cannot send. Inside a wave it names the
    // wave, so the widget's "already answered" note lasts for that wave only, not for the version.
    let today = state.today();
    // During a wave, on every first view: the stored JSON is spliced rather than the definition
    // serialised again, and a 304 is answered before any body is made.
    let added = match state.store.closed_message(&id, &survey.definition, today) {
        Some(why) => {
            let digest = sha2::Sha256::digest(why.en.as_bytes());
            Some(("closed", serde_json::to_string(&why).expect("text always serialises"), hex::encode(&digest[..4])))
        }
        // A wave id is a slug: safe in a JSON string and in an ETag as it is.
        None => {
            Some(state.store.wave_of(&id, today)).filter(|w| !w.is_empty()).map(|w| ("wave", format!("\"{w}\""), w))
        }
    };
    let tag = match &added {
        None => survey.etag.clone(),
        Some((key, _, mark)) => format!("{}-{key}-{mark}\"", survey.etag.trim_end_matches('"')),
    };
    let etag = HeaderValue::from_str(&tag).expect("etag is ASCII");
    // Revalidate every time: an admin may publish a new version or add a wave at any moment.
    let cache = HeaderValue::from_static("no-cache");
    if crate::http::etag::etag_matches(&headers, &tag) {
        return Ok((StatusCode::NOT_MODIFIED, [(ETAG, etag), (CACHE_CONTROL, cache)]).into_response());
    }
    let body = match added {
        None => survey.json.clone(),
        Some((key, value, _)) => {
            // The stored JSON is one object: the field goes in before its closing brace.
            let json = &survey.json[..survey.json.len() - 1];
            [json, format!(",\"{key}\":{value}}}").as_bytes()].concat().into()
        }
    };
    let json = HeaderValue::from_static("application/json");
    Ok(([(CONTENT_TYPE, json), (ETAG, etag), (CACHE_CONTROL, cache)], body).into_response())
}

pub use pulse_shared::admin::SurveySummary;

/// Every survey with its response count, as its results publish it.
pub fn summaries(store: &Store) -> Result<Vec<SurveySummary>, StoreError> {
    store
        .surveys()
        .into_iter()
        .map(|s| {
            let d = &s.definition;
            let versions: Vec<u32> = store.survey_versions(&d.id).iter().map(|v| v.definition.version).collect();
            let responses = store.publication(&d.id)?.and_then(|p| p.combined.responses);
            Ok(SurveySummary {
                id: d.id.clone(),
                title: d.title.en.clone(),
                title_cy: d.title.cy.clone(),
                languages: d.languages().iter().map(|l| l.code().to_string()).collect(),
                language_names: d.languages().iter().map(|l| l.name().to_string()).collect(),
                version: d.version,
                versions,
                k: d.k,
                responses,
                responses_note: responses.is_none().then(|| format!("no group has {} or more yet", d.k)),
            })
        })
        .collect()
}

/// Every survey with its versions and response count.
#[utoipa::path(
    get,
    path = "/api/v1/surveys",
    tag = "admin",
    responses(
        (status = 200, description = "The surveys", body = Vec<SurveySummary>),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    axum::Extension(admin): axum::Extension<crate::auth::access::Admin>,
) -> Result<Json<Vec<SurveySummary>>, ApiError> {
    let mut all = state.store.read(summaries).await?;
    if admin.scope().is_some() {
        // A count of everyone's responses, less what a viewer's contexts show, would be the rest.
        for s in &mut all {
            s.responses = None;
            s.responses_note = Some("see the results of your groups".into());
        }
    }
    Ok(Json(all))
}

/// Publishes a definition: a new survey, or a new version of one (its version must be higher).
#[utoipa::path(
    post,
    path = "/api/v1/surveys",
    tag = "admin",
    request_body(content(
        (SurveyDefinition = "application/json"),
        (SurveyDefinition = "application/toml"),
    ), description = "A definition, as JSON or as TOML (the format ADMIN.md shows and the CLI imports)"),
    responses(
        (status = 201, description = "Published", body = SurveySummary),
        (status = 400, description = "Not JSON or TOML, or not a definition", body = ErrorBody),
        (status = 409, description = "That version, or a later one, is already published", body = ErrorBody),
        (status = 415, description = "Not sent as application/json or application/toml", body = ErrorBody),
        (status = 422, description = "The definition breaks a rule; details lists each", body = ErrorBody),
    )
)]
pub async fn publish(
    State(state): State<AppState>,
    JsonOrToml(def): JsonOrToml<SurveyDefinition>,
) -> Result<(StatusCode, axum::Extension<crate::auth::access::AuditDetail>, Json<SurveySummary>), ApiError> {
    let problems = def.check();
    if !problems.is_empty() {
        return Err(ApiError::InvalidDefinition(problems));
    }
    match state.store.publish(def.clone()).await {
        Ok(()) => {}
        Err(StoreError::VersionExists(id, v)) => {
            return Err(ApiError::Conflict(format!("survey {id:?} already has version {v} or a later one")));
        }
        Err(e) => return Err(e.into()),
    }
    let id = def.id.clone();
    let all = state.store.read(summaries).await?;
    let summary =
        all.into_iter().find(|s| s.id == id).ok_or_else(|| ApiError::Internal("published survey missing".into()))?;
    let detail = crate::auth::access::AuditDetail(format!("{} version {}", def.id, def.version));
    Ok((StatusCode::CREATED, axum::Extension(detail), Json(summary)))
}
