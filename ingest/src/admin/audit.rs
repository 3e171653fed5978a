//! The audit log as owners read it: JSON, CSV, and `pulse audit`. Entries are written by the
//! admin routes' layer ([`crate::auth::access::require_admin`]), by sign-in and sign-out, and with each
//! change of who is an admin.

use axum::extract::State;
use axum::response::Response;
use axum::Json;
use pulse_shared::Date;
use serde::Deserialize;

use crate::error::{ApiError, ErrorBody};
use crate::http::extract::ApiQuery;
use crate::store::{AuditEntry, Store, StoreError};
use crate::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries from this day on (UTC, YYYY-MM-DD).
    pub since: Option<Date>,
}

/// The entries from `since` on (all without it), oldest first.
pub fn entries(store: &Store, since: Option<Date>) -> Result<Vec<AuditEntry>, StoreError> {
    let all = store.audit(1)?;
    Ok(match since {
        // RFC 3339 times in UTC sort as text.
        Some(day) => {
            let from = day.to_string();
            all.into_iter().filter(|e| e.at.as_str() >= from.as_str()).collect()
        }
        None => all,
    })
}

/// The entries as CSV, one line each, by the same writer as every other download (so a name from
/// the identity provider that starts like a formula is defused there too).
pub fn csv(entries: &[AuditEntry]) -> String {
    let rows = entries.iter().map(|e| {
        vec![
            e.seq.to_string(),
            e.at.clone(),
            e.event.admin.clone(),
            e.event.via.clone(),
            e.event.action.clone(),
            e.event.target.clone(),
            e.event.detail.clone(),
            e.event.account.clone(),
        ]
    });
    crate::export::csv_document(&["seq", "at", "admin", "via", "action", "target", "detail", "account"], rows)
}

async fn read(state: &AppState, query: AuditQuery) -> Result<(Vec<AuditEntry>, Option<Date>), ApiError> {
    let since = query.since;
    Ok((state.store.read(move |s| entries(s, since)).await?, since))
}

/// Every admin action, oldest first: who, what, to what, and when.
#[utoipa::path(get, path = "/api/v1/audit", tag = "owner", params(AuditQuery),
    responses((status = 200, description = "The audit log", body = [AuditEntry]),
        (status = 400, description = "A malformed day", body = ErrorBody)))]
pub async fn audit_json(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    Ok(Json(read(&state, query).await?.0))
}

/// The audit log as CSV.
#[utoipa::path(get, path = "/api/v1/audit.csv", tag = "owner", params(AuditQuery),
    responses((status = 200, description = "The audit log", content_type = "text/csv", body = String),
        (status = 400, description = "A malformed day", body = ErrorBody)))]
pub async fn audit_csv(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Response, ApiError> {
    let (entries, since) = read(&state, query).await?;
    let name = match since {
        Some(d) => format!("pulse-audit-since-{d}.csv"),
        None => "pulse-audit.csv".into(),
    };
    Ok(crate::http::responses::download("text/csv; charset=utf-8", name, csv(&entries)))
}
