//! `POST /api/v1/surveys/{id}/responses`: check a response with the shared rules, scrub its free
//! text, store it once, and answer with a receipt.
//!
//! Nothing about the request is read beyond its body and the language to write error messages in
//! (`Accept-Language`: English or Welsh, and not kept): no address, no user agent, no cookies. The stored record carries the day it arrived, never the time.

use axum::extract::{Path, State};
use axum::http::header::VARY;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use pulse_shared::{scrub, tally_keys, validate_in, Answer, Date, QuestionKind, SurveyDefinition, SurveyResponse};

use crate::error::{ApiError, ErrorBody};
use crate::http::extract::ApiJson;
use crate::public::surveys::CurrentSurvey;
use crate::store::{Receipt, Store, StoreError, Stored, StoredResponse};
use crate::AppState;

/// Says that the answer depends on `Accept-Language` (refusals are written in the language asked for).
pub async fn vary_accept_language(mut response: axum::response::Response) -> axum::response::Response {
    response.headers_mut().append(VARY, axum::http::HeaderValue::from_static("Accept-Language"));
    response
}

pub use crate::store::system_today as today;

/// Stores a response once; a resend of the same `submission_id` gets the same receipt.
#[utoipa::path(
    post,
    path = "/api/v1/surveys/{id}/responses",
    tag = "staff",
    params(("id" = String, Path, description = "The survey id")),
    request_body = SurveyResponse,
    responses(
        (status = 201, description = "Stored (durably) now", body = Receipt),
        (status = 200, description = "Stored before; nothing new was stored", body = Receipt),
        (status = 400, description = "Malformed JSON or unknown fields", body = ErrorBody),
        (status = 403, description = "An origin the survey does not allow, or the survey is closed", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
        (status = 413, description = "Body over 16 KiB", body = ErrorBody),
        (status = 415, description = "Not sent as application/json", body = ErrorBody),
        (status = 422, description = "The response does not fit the survey; details lists every field error", body = ErrorBody),
    )
)]
pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    CurrentSurvey(current): CurrentSurvey,
    ApiJson(response): ApiJson<SurveyResponse>,
) -> Result<(StatusCode, Json<Receipt>), ApiError> {
    let asked = crate::http::language::accept_language(&headers);
    // A page loaded before a new version was published answers the version it showed; that version's
    // rules apply and its results hold the response.
    let survey = state.store.survey_version(&id, response.survey_version).unwrap_or(current);
    let def = &survey.definition;
    // Messages in the language asked for, when the survey has it: a form is never in two languages.
    let lang = def.language_for(asked);
    let today = state.today();
    // A resend of a stored response gets its receipt, even if the survey has since changed or closed:
    // the widget keeps retrying until it hears back, and must not be told its stored answer is
    // invalid. Only a response that would be refused needs this look-up; the writer recognises every
    // other resend itself.
    let stored_before = || {
        let (survey_id, submission) = (id.clone(), response.submission_id);
        state.store.read(move |store| store.receipt(&survey_id, submission))
    };
    if let Some(closed) = state.store.closed_message(&id, def, today) {
        if let Some(receipt) = stored_before().await? {
            return Ok((StatusCode::OK, Json(receipt)));
        }
        return Err(ApiError::SurveyClosed(closed.get(lang).to_string()));
    }
    let errors = validate_in(def, &response, lang);
    if !errors.is_empty() {
        if let Some(receipt) = stored_before().await? {
            return Ok((StatusCode::OK, Json(receipt)));
        }
        return Err(ApiError::Invalid(errors));
    }
    match store_checked(&state.store, def, response, today).await? {
        Stored::New(receipt) => Ok((StatusCode::CREATED, Json(receipt))),
        Stored::Already(receipt) => Ok((StatusCode::OK, Json(receipt))),
    }
}

/// Stores a response that passed `validate` against `def`: empty answers dropped, free text
/// scrubbed, counters named, kept with the day only. Every path that stores a response (this
/// endpoint, the demo data, the benchmark loader) comes through here.
pub async fn store_checked(
    store: &Store,
    def: &SurveyDefinition,
    mut response: SurveyResponse,
    today: Date,
) -> Result<Stored, StoreError> {
    response.answers.retain(|_, a| !a.is_empty());
    for q in &def.questions {
        if !matches!(q.kind, QuestionKind::FreeText { .. }) {
            continue;
        }
        match response.answers.get_mut(&q.id) {
            Some(Answer::Text(text)) => *text = scrub(text).text,
            // The link was checked against the survey's hosts; the words around it are scrubbed.
            Some(Answer::Story { text, link, caption }) => {
                *text = scrub(text).text;
                *caption = scrub(caption.trim()).text;
                *link = link.trim().to_string();
            }
            _ => {}
        }
    }
    let keys = tally_keys(def, &response);
    let record = StoredResponse {
        survey_version: response.survey_version,
        context: response.context,
        received_on: today,
        answers: response.answers,
    };
    store.store_response(&def.id, response.submission_id, def, record, keys).await
}
