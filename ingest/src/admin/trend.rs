//! `GET …/trend` (and `trend.csv`): how each answer moved between waves, from the published waves
//! only, worked out once per publication ([`crate::store::Published::trend`]).

use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use pulse_shared::SurveyTrend;

use crate::admin::results::published;
use crate::error::{ApiError, ErrorBody};
use crate::AppState;

/// How each answer moved between waves, per context and overall, with 95% intervals.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/trend",
    operation_id = "trend",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id")),
    responses(
        (status = 200, description = "The trend, suppressed as each wave's results are", body = SurveyTrend),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn trend_json(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    // Written once per publication and kept: at the wave limit it is 10 MB of JSON.
    let published = published(&state, id).await?;
    let trend = published.trend().clone();
    let make = move || {
        Ok::<_, ApiError>((
            String::new(),
            serde_json::to_vec(&*trend).map_err(|e| ApiError::Internal(e.to_string()))?,
        ))
    };
    let (_, json) = published.file("trend.json".into(), make).await?;
    Ok(([(CONTENT_TYPE, "application/json")], json).into_response())
}

/// The trend as CSV: one row per figure, column and wave.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/trend.csv",
    operation_id = "trend_csv",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id")),
    responses(
        (status = 200, description = "CSV download", content_type = "text/csv", body = String),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn trend_csv(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let name = format!("{id}-trend.csv");
    let published = published(&state, id).await?;
    let trend = published.trend().clone();
    let make = move || Ok::<_, ApiError>((name, crate::export::trend_csv(&trend).into_bytes()));
    let (name, csv) = published.file("trend.csv".into(), make).await?;
    Ok(crate::http::responses::download("text/csv; charset=utf-8", name, csv))
}
