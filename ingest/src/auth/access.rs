//! Who an admin is and what each role may do. Every admin route's roles and audit action are a
//! [`Rule`] on its line in the route table; [`require_admin`] is the layer over each admin route that finds who is
//! asking (a named bearer token, or a signed-in session with its CSRF token), refuses a role the
//! route does not allow, and records the action in the audit log once it has succeeded.

use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::AppState;

pub use crate::auth::role::{Admin, Role, Via};

/// What guards an admin route (written beside it in the route table): the roles besides owner that
/// may use it, and what the audit log calls a successful request (`None`: not an action, e.g.
/// reading one's own name, or one its handler records itself).
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub roles: &'static [Role],
    pub action: Option<&'static str>,
}

use Role::{Analyst, Moderator, Viewer};
pub const ANYONE: &[Role] = &[Analyst, Moderator, Viewer];
pub const RESULTS: &[Role] = &[Analyst, Viewer];
pub const ANALYST: &[Role] = &[Analyst];
pub const STORIES: &[Role] = &[Analyst, Moderator];
pub const MODERATOR: &[Role] = &[Moderator];
pub const OWNER: &[Role] = &[];

impl Rule {
    /// Whether `role` may use this route.
    pub fn allows(&self, role: Role) -> bool {
        role == Role::Owner || self.roles.contains(&role)
    }

    /// The roles that may use it, owner first.
    pub fn names(&self) -> Vec<&'static str> {
        std::iter::once("owner").chain(self.roles.iter().map(|r| r.name())).collect()
    }
}

/// What a handler adds to its action's audit entry (a decision, a version, a token's role): put
/// in the response's extensions. Never staff words.
#[derive(Debug, Clone)]
pub struct AuditDetail(pub String);

/// A value of the request's `Cookie` header.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Who is asking: a bearer token (which must be unexpired), else the session cookie (whose CSRF
/// token a state-changing request must carry in `X-CSRF-Token`).
async fn identify(state: &AppState, headers: &HeaderMap, method: &Method) -> Result<Admin, ApiError> {
    let bearer = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    if let Some(token) = bearer {
        let today = state.today();
        let found = state.store.read(move |store| store.token(&token)).await?;
        return match found {
            Some(t) if t.expires.is_none_or(|last| today <= last) => {
                Ok(Admin { name: t.name, role: t.role, contexts: t.contexts, via: Via::Token, account: None })
            }
            _ => Err(ApiError::Unauthorized),
        };
    }
    let id = cookie(headers, crate::auth::sessions::COOKIE).ok_or(ApiError::Unauthorized)?;
    let (admin, csrf) = state.sessions.get(id).ok_or(ApiError::Unauthorized)?;
    let safe = matches!(*method, Method::GET | Method::HEAD);
    if !safe {
        let sent = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or_default();
        let from_elsewhere =
            headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()).is_some_and(|site| site != "same-origin");
        if from_elsewhere || !crate::auth::sessions::same_secret(sent, &csrf) {
            return Err(ApiError::Forbidden(
                "this request did not come from the dashboard (its CSRF token is missing or wrong)".into(),
            ));
        }
    }
    Ok(admin)
}

/// One admin route's guard: the state it reads and the route's [`Rule`].
#[derive(Clone)]
pub struct Guard {
    pub state: AppState,
    pub rule: Rule,
}

/// The layer over each admin route (see `router`): who is asking, whether their role allows the
/// route, and, once it has succeeded, the audit entry.
pub async fn require_admin(State(Guard { state, rule }): State<Guard>, mut request: Request, next: Next) -> Response {
    let (headers, method) = (request.headers().clone(), request.method().clone());
    let admin = match identify(&state, &headers, &method).await {
        Ok(admin) => admin,
        Err(e) => return e.into_response(),
    };
    if !rule.allows(admin.role) {
        let why =
            format!("this needs the role {}; you are signed in as {}", rule.names().join(", "), admin.role.name());
        return ApiError::Forbidden(why).into_response();
    }
    let target = audit_target(request.uri());
    request.extensions_mut().insert(admin.clone());
    let mut response = next.run(request).await;
    let (Some(action), true) = (rule.action, response.status().is_success() || response.status().as_u16() == 304)
    else {
        return response;
    };
    let detail = response.extensions_mut().remove::<AuditDetail>().map(|d| d.0).unwrap_or_default();
    // The action is on disk before the admin sees its result: a log that missed what was seen
    // would not answer "who looked".
    match state.store.record(admin.event(action, target, detail)).await {
        Ok(()) => response,
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// The query parameters admin routes read (`ResultsQuery`, `AuditQuery`): the only ones the audit
/// log records, so a made-up parameter cannot write into it.
const KNOWN_PARAMETERS: &[&str] = &["version", "wave", "since"];

/// What an audit entry says a request was done to: its path and its known parameters.
fn audit_target(uri: &axum::http::Uri) -> String {
    let mut target = uri.path().to_string();
    let known: Vec<&str> = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| KNOWN_PARAMETERS.contains(&pair.split('=').next().unwrap_or_default()))
        .collect();
    if !known.is_empty() {
        target.push('?');
        target.push_str(&known.join("&"));
    }
    target
}

/// Who is signed in or holds the token, and as what.
#[utoipa::path(get, path = "/api/v1/me", tag = "admin",
    responses((status = 200, description = "The admin asking", body = Object, example = json!({"name": "Jo Bloggs <jo.bloggs@example.nhs.uk>", "role": "viewer", "contexts": ["estates"], "via": "sign-in"}))))]
pub async fn me(axum::Extension(admin): axum::Extension<Admin>) -> axum::Json<Admin> {
    axum::Json(admin)
}

/// The organisation, as the board pack's first page names it (`--organisation`).
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Organisation {
    pub name: String,
}

#[utoipa::path(get, path = "/api/v1/organisation", tag = "admin",
    responses((status = 200, description = "The organisation's name", body = Organisation)))]
pub async fn organisation(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
) -> axum::Json<Organisation> {
    axum::Json(Organisation { name: state.organisation.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_log_records_known_parameters_only() {
        let target = |uri: &str| audit_target(&uri.parse().unwrap());
        assert_eq!(
            target("/api/v1/surveys/c/results?version=2&wave=q1"),
            "/api/v1/surveys/c/results?version=2&wave=q1"
        );
        assert_eq!(
            target("/api/v1/surveys/c/results?note=I%20was%20here&version=2"),
            "/api/v1/surveys/c/results?version=2"
        );
        assert_eq!(target("/api/v1/audit?x=1"), "/api/v1/audit");
    }

    #[test]
    fn owners_may_do_everything() {
        for roles in [ANYONE, RESULTS, ANALYST, STORIES, MODERATOR, OWNER] {
            let rule = Rule { roles, action: None };
            assert!(rule.allows(Role::Owner), "{roles:?}");
            assert_eq!(rule.names()[0], "owner");
        }
        let queue = Rule { roles: MODERATOR, action: None };
        assert!(queue.allows(Role::Moderator) && !queue.allows(Role::Analyst) && !queue.allows(Role::Viewer));
        let results = Rule { roles: RESULTS, action: None };
        assert!(results.allows(Role::Viewer) && !results.allows(Role::Moderator));
    }
}
