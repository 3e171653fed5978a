//! Who is an admin, kept by owners: named admin tokens for the API and the command line, and the
//! allowlist of e-mail addresses and groups who may sign in, each with a role. A token is shown once
//! when it is made; only its SHA-256 is kept. Every change is recorded in the audit log in the same
//! transaction as the change.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use pulse_shared::{is_slug, Date, DefinitionError};
use sha2::{Digest, Sha256};

use crate::auth::access::{Admin, Role};
use crate::error::{ApiError, ErrorBody};
use crate::http::extract::ApiJson;
use crate::store::{timestamp, AccessChange, AuditEvent, Grant, Store, TokenRecord, Who};
use crate::AppState;

pub use pulse_shared::admin::{GrantLine, Grants, MadeToken, NewToken};

fn problem(field: &str, message: impl Into<String>) -> DefinitionError {
    DefinitionError { field: field.to_string(), message: message.into() }
}

/// Every context any version of any survey lists: all a viewer can be limited to.
fn known_contexts(store: &Store) -> std::collections::BTreeSet<String> {
    let versions = store.surveys().into_iter().flat_map(|s| store.survey_versions(&s.definition.id));
    versions.flat_map(|v| v.definition.contexts.iter().map(|c| c.id.clone()).collect::<Vec<_>>()).collect()
}

/// A role's contexts: a viewer names at least one, each one a survey lists (a viewer of a context
/// no survey has would read nothing but the notes about everyone else), every other role none.
fn check_contexts(store: &Store, field: &str, role: Role, contexts: &[String], problems: &mut Vec<DefinitionError>) {
    if role == Role::Viewer && contexts.is_empty() {
        problems.push(problem(field, "a viewer sees only the contexts named here: name at least one"));
    }
    if role != Role::Viewer && !contexts.is_empty() {
        problems.push(problem(field, "only a viewer is limited to contexts; other roles see every context"));
    }
    let known = known_contexts(store);
    for c in contexts {
        if !is_slug(c) {
            problems.push(problem(field, format!("{c:?} is not a context id (lower-case letters, digits, - and _)")));
        } else if !known.contains(c) {
            let list: Vec<&str> = known.iter().map(String::as_str).collect();
            problems
                .push(problem(field, format!("no survey has a context {c:?}; the contexts are: {}", list.join(", "))));
        }
    }
}

/// Makes a token, records who made it, and returns it (the only time it is shown).
pub async fn create_token(store: &Store, new: NewToken, by: AuditEvent, today: Date) -> Result<MadeToken, ApiError> {
    let mut problems = Vec::new();
    if !is_slug(&new.name) {
        problems.push(problem("name", "a token's name is a slug: lower-case letters, digits, - and _, up to 64"));
    }
    check_contexts(store, "contexts", new.role, &new.contexts, &mut problems);
    if new.expires.is_some_and(|d| d < today) {
        problems.push(problem("expires", "the last day a token works cannot be in the past"));
    }
    if !problems.is_empty() {
        return Err(ApiError::InvalidInput("the token cannot be made as asked".into(), problems));
    }
    let token = format!("pulse_{}", crate::auth::sessions::random_secret());
    let record = TokenRecord {
        name: new.name,
        hash: hex::encode(Sha256::digest(token.as_bytes())),
        role: new.role,
        contexts: new.contexts,
        expires: new.expires,
        created: timestamp(),
    };
    let detail = describe(record.role, &record.contexts, record.expires);
    let event = AuditEvent { action: "token created".into(), target: record.name.clone(), detail, ..by };
    store.change_access(AccessChange::AddToken(record.clone()), event).await?;
    Ok(MadeToken { token, record: record.listed() })
}

/// Revokes a token at once: the next request with it is refused.
pub async fn revoke_token(store: &Store, name: &str, by: AuditEvent) -> Result<(), ApiError> {
    let event = AuditEvent { action: "token revoked".into(), target: name.to_string(), ..by };
    store.change_access(AccessChange::RevokeToken(name.to_string()), event).await.map_err(Into::into)
}

fn describe(role: Role, contexts: &[String], expires: Option<Date>) -> String {
    let mut out = format!("role {}", role.name());
    if !contexts.is_empty() {
        out.push_str(&format!(", contexts {}", contexts.join(" ")));
    }
    if let Some(d) = expires {
        out.push_str(&format!(", expires after {d}"));
    }
    out
}

/// Replaces the allowlist, checked; the audit entry lists each line added, removed or changed.
pub async fn set_grants(store: &Store, grants: Vec<Grant>, by: AuditEvent) -> Result<Vec<Grant>, ApiError> {
    let mut problems = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (i, g) in grants.iter().enumerate() {
        let field = format!("grants[{i}]");
        match &g.who {
            Who::Email(e)
                if !e.contains('@')
                    || e.trim().len() < 3
                    || pulse_shared::field::check_field(e, pulse_shared::field::Lines::One, 254).is_err() =>
            {
                problems.push(problem(&format!("{field}.email"), format!("{e:?} is not an e-mail address")))
            }
            Who::Group(id)
                if id.trim().is_empty()
                    || pulse_shared::field::check_field(id, pulse_shared::field::Lines::One, 128).is_err() =>
            {
                problems.push(problem(&format!("{field}.group"), "a group id is the group's object id, e.g. a GUID"))
            }
            _ => {}
        }
        if !seen.insert(g.who.key()) {
            problems.push(problem(&field, format!("{} is listed twice", g.who)));
        }
        check_contexts(store, &format!("{field}.contexts"), g.role, &g.contexts, &mut problems);
    }
    if !problems.is_empty() {
        return Err(ApiError::InvalidInput("the list of admins cannot be saved as it is".into(), problems));
    }
    let before = store.grants()?;
    let line = |g: &Grant| format!("{} as {}", g.who, describe(g.role, &g.contexts, None).trim_start_matches("role "));
    let mut changes: Vec<String> =
        before.iter().filter(|b| !grants.contains(b)).map(|g| format!("-{}", line(g))).collect();
    changes.extend(grants.iter().filter(|g| !before.contains(g)).map(|g| format!("+{}", line(g))));
    let event =
        AuditEvent { action: "roles changed".into(), target: "allowlist".into(), detail: changes.join("; "), ..by };
    store.change_access(AccessChange::SetGrants(grants), event).await?;
    Ok(store.grants()?)
}

/// The list of who may sign in, and as what.
#[utoipa::path(get, path = "/api/v1/admins/grants", tag = "owner",
    responses((status = 200, description = "The allowlist", body = [Grant])))]
pub async fn get_grants(State(state): State<AppState>) -> Result<Json<Vec<Grant>>, ApiError> {
    Ok(Json(state.store.read(|s| s.grants()).await?))
}

/// A line as the allowlist keeps it, or why it cannot be kept.
fn grant_of(line: GrantLine, i: usize) -> Result<Grant, pulse_shared::DefinitionError> {
    let who = match (line.email, line.group) {
        (Some(e), None) => Who::Email(e),
        (None, Some(g)) => Who::Group(g),
        _ => return Err(problem(&format!("grants[{i}]"), "give either an email or a group")),
    };
    Ok(Grant { who, role: line.role, contexts: line.contexts })
}

/// Replaces the list of who may sign in, and as what.
#[utoipa::path(put, path = "/api/v1/admins/grants", tag = "owner",
    request_body = Grants,
    responses((status = 200, description = "Saved", body = [Grant]),
        (status = 422, description = "A line that cannot be kept; details names each", body = ErrorBody)))]
pub async fn put_grants(
    State(state): State<AppState>,
    Extension(admin): Extension<Admin>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<Json<Vec<Grant>>, ApiError> {
    // Read field by field, so a misspelt or unknown field is refused by its name (422), as every
    // other problem with the list is.
    let body: Grants = serde_path_to_error::deserialize(body).map_err(|e| {
        let field = e.path().to_string();
        ApiError::InvalidInput(
            "the list of admins cannot be saved as it is".into(),
            vec![problem(&field, e.into_inner().to_string())],
        )
    })?;
    let (grants, problems): (Vec<_>, Vec<_>) =
        body.grants.into_iter().enumerate().map(|(i, line)| grant_of(line, i)).partition(Result::is_ok);
    if !problems.is_empty() {
        let problems = problems.into_iter().filter_map(Result::err).collect();
        return Err(ApiError::InvalidInput("the list of admins cannot be saved as it is".into(), problems));
    }
    let grants = grants.into_iter().filter_map(Result::ok).collect();
    let saved = set_grants(&state.store, grants, admin.event("", "", "")).await?;
    Ok(Json(saved))
}

/// Every named token (never the tokens themselves).
#[utoipa::path(get, path = "/api/v1/admins/tokens", tag = "owner",
    responses((status = 200, description = "The tokens", body = [TokenRecord])))]
pub async fn list_tokens(State(state): State<AppState>) -> Result<Json<Vec<TokenRecord>>, ApiError> {
    Ok(Json(state.store.read(|s| s.tokens()).await?))
}

/// Makes a named token with a role; the token is in the answer, and nowhere else, ever.
#[utoipa::path(post, path = "/api/v1/admins/tokens", tag = "owner",
    request_body = NewToken,
    responses((status = 201, description = "Made: the token is shown this once", body = MadeToken),
        (status = 409, description = "A token of that name exists", body = ErrorBody),
        (status = 422, description = "A field that cannot be taken; details names each", body = ErrorBody)))]
pub async fn post_token(
    State(state): State<AppState>,
    Extension(admin): Extension<Admin>,
    ApiJson(new): ApiJson<NewToken>,
) -> Result<(StatusCode, Json<MadeToken>), ApiError> {
    let made = create_token(&state.store, new, admin.event("", "", ""), state.today()).await?;
    Ok((StatusCode::CREATED, Json(made)))
}

/// Revokes a token: refused from the next request on.
#[utoipa::path(delete, path = "/api/v1/admins/tokens/{name}", tag = "owner",
    params(("name" = String, Path, description = "The token's name")),
    responses((status = 204, description = "Revoked"), (status = 404, description = "No such token", body = ErrorBody)))]
pub async fn delete_token(
    State(state): State<AppState>,
    Extension(admin): Extension<Admin>,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    revoke_token(&state.store, &name, admin.event("", "", "")).await?;
    Ok(StatusCode::NO_CONTENT)
}
