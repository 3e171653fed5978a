//! `GET /api/v1/surveys/{id}/results`: suppressed aggregates for admins. Read from the stored
//! counters, so the cost follows the number of questions, not the number of responses.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use pulse_shared::SurveyResults;
use serde::Deserialize;

use crate::admin::Admin;
use crate::error::ApiError;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/surveys/{id}/results", get(results))
}

#[derive(Debug, Deserialize)]
struct ResultsQuery {
    /// Which version's results; the current one when absent.
    version: Option<u32>,
}

async fn results(
    _: Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: Result<Query<ResultsQuery>, QueryRejection>,
) -> Result<Json<SurveyResults>, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::BadQuery(e.body_text()))?;
    let survey = state.store.survey(&id).ok_or_else(|| ApiError::NotFound(format!("no survey {id:?}")))?;
    let version = query.version.unwrap_or(survey.definition.version);
    if version != survey.definition.version {
        return Err(ApiError::NotFound(format!("survey {id:?} has no version {version}")));
    }
    let store = state.store.clone();
    let counts = tokio::task::spawn_blocking(move || store.tally_counts(&id, version))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))??;
    Ok(Json(SurveyResults::from_counts(&survey.definition, &counts)))
}
