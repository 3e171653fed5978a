//! Waves and headcounts for admins: `GET`/`POST …/waves` lists and adds a survey's waves,
//! `PUT …/waves/{wave}/headcounts` records how many staff each context has in a wave (as JSON or
//! an uploaded CSV). How answers moved between waves is `admin::trend`.
//! What a wave may be and what a headcount may hold are decided in [`pulse_shared::wave`].

use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};
use pulse_shared::results::Heading;
use pulse_shared::{Date, Headcount, Wave};

use crate::auth::access::Admin;
use crate::error::{ApiError, ErrorBody};
use crate::http::extract::ApiJson;
use crate::store::{NewWave, Store, StoreError, WaveChange};
use crate::AppState;

pub use pulse_shared::admin::{WaveCorrection, WaveList, WaveRequest, WaveState, WaveSummary};

/// Every context of every version of a survey, in order of first appearance.
fn contexts(store: &Store, id: &str) -> Vec<Heading> {
    let mut out: Vec<Heading> = Vec::new();
    for v in store.survey_versions(id).iter().rev() {
        for c in &v.definition.contexts {
            if !out.iter().any(|h| h.id == c.id) {
                out.push(Heading { id: c.id.clone(), label: c.label.en.clone(), division: false });
            }
        }
    }
    out
}

/// Survey `id`'s waves as of `today`.
pub fn wave_list(store: &Store, id: &str, today: Date) -> Result<WaveList, ApiError> {
    crate::public::surveys::current(store, id)?;
    let headcounts = store.headcounts(id)?;
    let waves = store
        .waves(id)
        .into_iter()
        .map(|wave| {
            let state = if today < wave.opens {
                WaveState::Upcoming
            } else if wave.holds(today) {
                WaveState::Open
            } else {
                WaveState::Closed
            };
            let headcounts =
                headcounts.iter().filter(|h| h.wave == wave.id).map(|h| (h.context.clone(), h.headcount)).collect();
            WaveSummary { wave, state, headcounts }
        })
        .collect();
    Ok(WaveList { survey: id.to_string(), today, waves, contexts: contexts(store, id) })
}

/// Adds a wave through the store's writer, which checks it against the survey's waves and
/// responses.
pub async fn add_wave(store: &Store, id: &str, request: WaveRequest, today: Date) -> Result<Wave, ApiError> {
    crate::public::surveys::current(store, id)?;
    let wave = Wave { id: request.id, label: request.label, opens: request.opens, closes: request.closes };
    let new = NewWave { survey: id.to_string(), wave: wave.clone(), today, adopt: request.adopt };
    match store.add_wave(new).await {
        Ok(()) => Ok(wave),
        Err(StoreError::Refused(errors)) => Err(ApiError::InvalidInput("the wave cannot be added".into(), errors)),
        Err(e) => Err(e.into()),
    }
}

/// Corrects wave `wave` of survey `id` (each change checked by the store's writer against the
/// responses in the wave); returns the wave as it now is, and what changed, for the audit log.
pub async fn correct_wave(
    store: &Store,
    id: &str,
    wave: &str,
    correction: WaveCorrection,
    today: Date,
) -> Result<(Wave, String), ApiError> {
    crate::public::surveys::current(store, id)?;
    let mut edits = Vec::new();
    if let Some(label) = correction.label {
        edits.push(pulse_shared::WaveEdit::Rename(label));
    }
    if let Some(day) = correction.closes {
        edits.push(pulse_shared::WaveEdit::CloseOn(day));
    }
    if edits.is_empty() {
        return Err(ApiError::InvalidInput(
            "nothing to change".into(),
            vec![field("wave", "give a label, a closes day, or both".into())],
        ));
    }
    let mut changed = Vec::new();
    let mut now = None;
    for edit in edits {
        changed.push(match &edit {
            pulse_shared::WaveEdit::Rename(label) => format!("renamed {:?}", label.en),
            pulse_shared::WaveEdit::CloseOn(day) => format!("closes {day}"),
            pulse_shared::WaveEdit::Delete => String::new(),
        });
        now = edit_wave(store, id, wave, edit, today).await?;
    }
    let now = now.ok_or_else(|| ApiError::Internal("a corrected wave is gone".into()))?;
    Ok((now, format!("{id} wave {wave}: {}", changed.join(", "))))
}

/// Deletes a wave that has not opened, with its headcounts; refused while a "you said, we did"
/// note names it (the writer checks).
pub async fn delete_wave(store: &Store, id: &str, wave: &str, today: Date) -> Result<String, ApiError> {
    crate::public::surveys::current(store, id)?;
    edit_wave(store, id, wave, pulse_shared::WaveEdit::Delete, today).await?;
    Ok(format!("{id} wave {wave}"))
}

async fn edit_wave(
    store: &Store,
    id: &str,
    wave: &str,
    edit: pulse_shared::WaveEdit,
    today: Date,
) -> Result<Option<Wave>, ApiError> {
    let change = WaveChange { survey: id.to_string(), wave: wave.to_string(), edit, today };
    match store.edit_wave(change).await {
        Ok(now) => Ok(now),
        Err(StoreError::Refused(errors)) => Err(ApiError::InvalidInput("the wave cannot be changed so".into(), errors)),
        Err(e) => Err(e.into()),
    }
}

/// Checks and records headcounts for wave `wave` of survey `id`, given as (context, number) text.
pub async fn record_headcounts(
    store: &Store,
    id: &str,
    wave: &str,
    given: &[(String, String)],
) -> Result<Vec<Headcount>, ApiError> {
    crate::public::surveys::current(store, id)?;
    if !store.waves(id).iter().any(|w| w.id == wave) {
        return Err(ApiError::NotFound(format!("survey {id:?} has no wave {wave:?}")));
    }
    // Every version's contexts, the latest first: a file may name a context by its id or its label.
    let mut known: Vec<pulse_shared::ContextTag> = Vec::new();
    for v in store.survey_versions(id).iter().rev() {
        known.extend(
            v.definition.contexts.iter().filter(|c| !known.iter().any(|k| k.id == c.id)).cloned().collect::<Vec<_>>(),
        );
    }
    let headcounts = pulse_shared::parse_headcounts(wave, &known, given)
        .map_err(|errors| ApiError::InvalidInput("the headcounts cannot be recorded".into(), errors))?;
    store.set_headcounts(id, headcounts.clone()).await?;
    Ok(headcounts)
}

/// Headcounts from a CSV file: `context,headcount` per line, a header line allowed.
pub fn headcounts_from_csv(text: &str) -> Result<Vec<(String, String)>, ApiError> {
    let mut out = Vec::new();
    for (n, line) in text.trim_start_matches('\u{FEFF}').lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || (n == 0 && line.to_ascii_lowercase().starts_with("context")) {
            continue;
        }
        let Some((context, count)) = line.split_once(',') else {
            let why = format!("line {}: expected context,headcount, got {line:?}", n + 1);
            return Err(ApiError::InvalidInput("the headcounts cannot be read".into(), vec![field("csv", why)]));
        };
        out.push((context.trim().trim_matches('"').to_string(), count.trim().trim_matches('"').to_string()));
    }
    Ok(out)
}

/// A JSON object's entries as written, a key given twice kept twice, so it can be refused rather
/// than the last one silently winning.
struct Entries(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of context id to headcount")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(Visitor)
    }
}

/// Headcounts from a JSON object of context id → number, every entry kept (a context given twice
/// is refused by `parse_headcounts`). A headcount is a JSON number: the CSV form is text, the JSON
/// form is not, so `"420"` is refused.
pub fn headcounts_from_json(text: &str) -> Result<Vec<(String, String)>, ApiError> {
    let Entries(entries) = serde_json::from_str(text).map_err(|e| ApiError::MalformedJson(e.to_string()))?;
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for (context, value) in &entries {
        match value {
            serde_json::Value::Number(n) => out.push((context.clone(), n.to_string())),
            other => problems
                .push(field(context, format!("must be a whole number written as a number, like 420, not {other}"))),
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::InvalidInput("the headcounts cannot be recorded".into(), problems));
    }
    Ok(out)
}

fn field(field: &str, message: String) -> pulse_shared::DefinitionError {
    pulse_shared::DefinitionError { field: field.into(), message }
}

/// A survey's waves, with their headcounts; a viewer gets the headcounts of their own contexts
/// only, to choose a wave of their results by.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{id}/waves",
    operation_id = "list_waves",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id")),
    responses(
        (status = 200, description = "The waves, oldest first", body = WaveList),
        (status = 404, description = "No such survey", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Extension(admin): Extension<Admin>,
    Path(id): Path<String>,
) -> Result<Json<WaveList>, ApiError> {
    let today = state.today();
    let list = state.store.read(move |store| wave_list(store, &id, today)).await?;
    Ok(Json(match admin.scope() {
        Some(scope) => list.scoped(scope),
        None => list,
    }))
}

/// Adds a wave. Its window may not overlap another's or lie in the past; while a survey has waves it
/// takes responses only inside one.
#[utoipa::path(
    post,
    path = "/api/v1/surveys/{id}/waves",
    operation_id = "add_wave",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id")),
    request_body = WaveRequest,
    responses(
        (status = 201, description = "Added", body = Wave),
        (status = 400, description = "Malformed JSON or unknown fields", body = ErrorBody),
        (status = 404, description = "No such survey", body = ErrorBody),
        (status = 415, description = "Not sent as application/json", body = ErrorBody),
        (status = 422, description = "A wave the survey cannot take; details names each field", body = ErrorBody),
    )
)]
pub async fn add(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<WaveRequest>,
) -> Result<(StatusCode, Json<Wave>), ApiError> {
    Ok((StatusCode::CREATED, Json(add_wave(&state.store, &id, request, state.today()).await?)))
}

/// Corrects a wave: renames it, or closes it early (a last day no earlier than the last response
/// in it). Audited.
#[utoipa::path(
    patch,
    path = "/api/v1/surveys/{id}/waves/{wave}",
    operation_id = "correct_wave",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id"), ("wave" = String, Path, description = "The wave id")),
    request_body = WaveCorrection,
    responses(
        (status = 200, description = "Changed: the wave as it now is", body = Wave),
        (status = 400, description = "Malformed JSON or unknown fields", body = ErrorBody),
        (status = 404, description = "No such survey or wave", body = ErrorBody),
        (status = 415, description = "Not sent as application/json", body = ErrorBody),
        (status = 422, description = "Nothing to change, an empty name, or a last day later than the wave's or before a response in it; details names each", body = ErrorBody),
    )
)]
pub async fn correct(
    State(state): State<AppState>,
    Path((id, wave)): Path<(String, String)>,
    ApiJson(correction): ApiJson<WaveCorrection>,
) -> Result<(Extension<crate::auth::access::AuditDetail>, Json<Wave>), ApiError> {
    let (now, detail) = correct_wave(&state.store, &id, &wave, correction, state.today()).await?;
    Ok((Extension(crate::auth::access::AuditDetail(detail)), Json(now)))
}

/// Deletes a wave that has not opened yet (one that has may hold responses, and is kept). Audited.
#[utoipa::path(
    delete,
    path = "/api/v1/surveys/{id}/waves/{wave}",
    operation_id = "delete_wave",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id"), ("wave" = String, Path, description = "The wave id")),
    responses(
        (status = 204, description = "Deleted, with its headcounts"),
        (status = 404, description = "No such survey or wave", body = ErrorBody),
        (status = 422, description = "The wave has opened, or a \"you said, we did\" note names it", body = ErrorBody),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    Path((id, wave)): Path<(String, String)>,
) -> Result<(StatusCode, Extension<crate::auth::access::AuditDetail>), ApiError> {
    let detail = delete_wave(&state.store, &id, &wave, state.today()).await?;
    Ok((StatusCode::NO_CONTENT, Extension(crate::auth::access::AuditDetail(detail))))
}

/// Records headcounts for a wave: a JSON object of context id → number, or (as `text/csv`) lines of
/// `context,headcount`. Each replaces the one given before for its context.
#[utoipa::path(
    put,
    path = "/api/v1/surveys/{id}/waves/{wave}/headcounts",
    operation_id = "record_headcounts",
    tag = "admin",
    params(("id" = String, Path, description = "The survey id"), ("wave" = String, Path, description = "The wave id")),
    request_body(content = BTreeMap<String, u64>, description = "Context id → headcount; or text/csv lines context,headcount", content_type = "application/json"),
    responses(
        (status = 200, description = "Recorded", body = Vec<Headcount>),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 404, description = "No such survey or wave", body = ErrorBody),
        (status = 415, description = "Neither application/json nor text/csv", body = ErrorBody),
        (status = 422, description = "A headcount that is not a whole number from 1, or an unknown context; details names each", body = ErrorBody),
    )
)]
pub async fn headcounts(
    State(state): State<AppState>,
    Path((id, wave)): Path<(String, String)>,
    headers: HeaderMap,
    crate::http::extract::ApiBody(body): crate::http::extract::ApiBody,
) -> Result<Json<Vec<Headcount>>, ApiError> {
    let kind = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let text = std::str::from_utf8(&body).map_err(|_| ApiError::BadRequest("the body is not UTF-8".into()))?;
    let given: Vec<(String, String)> = if kind.starts_with("application/json") {
        headcounts_from_json(text)?
    } else if kind.starts_with("text/csv") {
        headcounts_from_csv(text)?
    } else {
        return Err(ApiError::UnsupportedMediaType("application/json or text/csv"));
    };
    Ok(Json(record_headcounts(&state.store, &id, &wave, &given).await?))
}
