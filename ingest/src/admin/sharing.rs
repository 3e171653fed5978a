//! What a survey shares with staff: `GET/PUT …/sharing`, where admins choose which questions'
//! headline figures the results embed shows (`public::headlines`) and write "you said, we did" notes.

use axum::extract::{Path, State};
use axum::Json;
use pulse_shared::headlines::{Sharing, SharingState};

use crate::error::{ApiError, ErrorBody};
use crate::http::extract::ApiJson;
use crate::public::surveys::CurrentSurvey;
use crate::AppState;

/// What a survey shares with staff.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/sharing",
    operation_id = "get_sharing",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id")),
    responses(
        (status = 200, description = "The questions shared and the notes, with the questions that may be shared and whether notes need Welsh", body = SharingState),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn get_sharing(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CurrentSurvey(survey): CurrentSurvey,
) -> Result<Json<SharingState>, ApiError> {
    let sharing = state.store.read(move |store| store.sharing(&id)).await?;
    Ok(Json(SharingState::of(sharing, &survey.definition)))
}

/// Replaces what a survey shares with staff: the questions whose headline figures the results
/// embed shows (none by default), and the "you said, we did" notes.
#[utoipa::path(
    put,
    path = "/api/v1/surveys/{id}/sharing",
    operation_id = "set_sharing",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id")),
    request_body = Sharing,
    responses(
        (status = 200, description = "Kept; shown to staff within five minutes", body = Sharing),
        (status = 400, description = "Malformed JSON or unknown fields", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
        (status = 422, description = "A question that is unknown or never shared, a note without Welsh in a Welsh survey, too long, or for an unknown wave; details names each", body = ErrorBody),
    )
)]
pub async fn set_sharing(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CurrentSurvey(survey): CurrentSurvey,
    ApiJson(sharing): ApiJson<Sharing>,
) -> Result<Json<Sharing>, ApiError> {
    let errors = sharing.check(&survey.definition, &state.store.waves(&id));
    if !errors.is_empty() {
        return Err(ApiError::InvalidInput("the sharing settings cannot be kept".into(), errors));
    }
    state.store.set_sharing(&id, sharing.clone()).await?;
    Ok(Json(sharing))
}
