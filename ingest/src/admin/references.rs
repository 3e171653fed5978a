//! Reference figures: `GET/PUT …/references`, where admins record figures published elsewhere
//! (the NHS Staff Survey's national average, a peer group's) to set beside the survey's own in the
//! heatmap, the board pack and the results workbook. What one may hold is decided in
//! [`pulse_shared::reference`].

use axum::extract::{Path, State};
use axum::Json;
use pulse_shared::reference::References;

use crate::error::{ApiError, ErrorBody};
use crate::http::extract::ApiJson;
use crate::public::surveys::CurrentSurvey;
use crate::AppState;

/// A survey's reference figures.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/references",
    operation_id = "get_references",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id")),
    responses(
        (status = 200, description = "The figures recorded, none until an admin records some", body = References),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn get_references(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CurrentSurvey(_): CurrentSurvey,
) -> Result<Json<References>, ApiError> {
    Ok(Json(state.store.read(move |store| store.references(&id)).await?))
}

/// Replaces a survey's reference figures.
#[utoipa::path(
    put,
    path = "/api/v1/surveys/{id}/references",
    operation_id = "set_references",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id")),
    request_body = References,
    responses(
        (status = 200, description = "Kept", body = References),
        (status = 400, description = "Malformed JSON or unknown fields", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
        (status = 422, description = "An item the survey has no figure for, a value off its scale, no source, a year out of range, or a figure given twice; details names each", body = ErrorBody),
    )
)]
pub async fn set_references(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CurrentSurvey(survey): CurrentSurvey,
    ApiJson(references): ApiJson<References>,
) -> Result<Json<References>, ApiError> {
    let references = references
        .kept(&survey.definition)
        .map_err(|errors| ApiError::InvalidInput("the reference figures cannot be kept".into(), errors))?;
    state.store.set_references(&id, &references).await?;
    Ok(Json(references))
}
