//! Who an admin is and what each role may do. Every admin route's role and audit action is in
//! [`RULES`], the one place; [`require_admin`] is the layer over the admin routes that finds who is
//! asking (a named bearer token, or a signed-in session with its CSRF token), refuses a role the
//! route does not allow, and records the action in the audit log once it has succeeded.

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::store::AuditEvent;
use crate::AppState;

pub use crate::auth::role::{Admin, Role, Via};

impl Admin {
    /// The contexts this admin is limited to, or `None` for every figure.
    pub fn scope(&self) -> Option<&[String]> {
        (self.role == Role::Viewer).then_some(self.contexts.as_slice())
    }

    /// An audit entry of this admin's action.
    pub fn event(&self, action: &str, target: impl Into<String>, detail: impl Into<String>) -> AuditEvent {
        AuditEvent {
            admin: self.name.clone(),
            via: match self.via {
                Via::SignIn => "sign-in".into(),
                Via::Token => "token".into(),
            },
            action: action.into(),
            target: target.into(),
            detail: detail.into(),
            account: self.account.clone().unwrap_or_default(),
        }
    }
}

/// An admin route: the roles besides owner that may use it, and what the audit log calls a
/// successful request (`None`: not an action, e.g. reading one's own name).
pub struct Rule {
    pub method: &'static str,
    pub path: &'static str,
    pub roles: &'static [Role],
    pub action: Option<&'static str>,
}

const fn rule(method: &'static str, path: &'static str, roles: &'static [Role], action: &'static str) -> Rule {
    Rule { method, path, roles, action: Some(action) }
}

use Role::{Analyst, Moderator, Viewer};
const ANYONE: &[Role] = &[Analyst, Moderator, Viewer];
const RESULTS: &[Role] = &[Analyst, Viewer];
const ANALYST: &[Role] = &[Analyst];
const STORIES: &[Role] = &[Analyst, Moderator];
const MODERATOR: &[Role] = &[Moderator];
const OWNER: &[Role] = &[];

/// Every admin route's roles and audit action.
pub const RULES: &[Rule] = &[
    Rule { method: "GET", path: "/api/v1/me", roles: ANYONE, action: None },
    Rule { method: "GET", path: "/api/v1/surveys", roles: ANYONE, action: None },
    rule("POST", "/api/v1/surveys", ANALYST, "definition published"),
    rule("GET", "/api/v1/surveys/{id}/results", RESULTS, "results viewed"),
    rule("GET", "/api/v1/surveys/{id}/results.csv", RESULTS, "download: results CSV"),
    rule("GET", "/api/v1/surveys/{id}/results.xlsx", RESULTS, "download: results XLSX"),
    rule("GET", "/api/v1/surveys/{id}/trend", ANALYST, "trend viewed"),
    rule("GET", "/api/v1/surveys/{id}/trend.csv", ANALYST, "download: trend CSV"),
    rule("GET", "/api/v1/surveys/{id}/waves", RESULTS, "waves viewed"),
    rule("POST", "/api/v1/surveys/{id}/waves", ANALYST, "wave added"),
    rule("PATCH", "/api/v1/surveys/{id}/waves/{wave}", ANALYST, "wave corrected"),
    rule("DELETE", "/api/v1/surveys/{id}/waves/{wave}", ANALYST, "wave deleted"),
    rule("PUT", "/api/v1/surveys/{id}/waves/{wave}/headcounts", ANALYST, "headcounts recorded"),
    rule("GET", "/api/v1/surveys/{id}/stories", STORIES, "stories viewed"),
    rule("GET", "/api/v1/surveys/{id}/stories.csv", STORIES, "download: stories CSV"),
    rule("GET", "/api/v1/surveys/{id}/evidence.xlsx", ANALYST, "download: evidence pack XLSX"),
    rule("GET", "/api/v1/surveys/{id}/evidence/{value}", ANALYST, "evidence pack viewed"),
    rule("GET", "/api/v1/surveys/{id}/sharing", ANALYST, "sharing viewed"),
    rule("PUT", "/api/v1/surveys/{id}/sharing", ANALYST, "sharing changed"),
    rule("GET", "/api/v1/surveys/{id}/moderation", MODERATOR, "story queue viewed"),
    rule("POST", "/api/v1/surveys/{id}/moderation/{story}", MODERATOR, "story decided"),
    rule("GET", "/api/v1/admins/grants", OWNER, "admins viewed"),
    // These three record their change in the same transaction as the change (see `admin`).
    Rule { method: "PUT", path: "/api/v1/admins/grants", roles: OWNER, action: None },
    rule("GET", "/api/v1/admins/tokens", OWNER, "tokens viewed"),
    Rule { method: "POST", path: "/api/v1/admins/tokens", roles: OWNER, action: None },
    Rule { method: "DELETE", path: "/api/v1/admins/tokens/{name}", roles: OWNER, action: None },
    rule("GET", "/api/v1/audit", OWNER, "audit log viewed"),
    rule("GET", "/api/v1/audit.csv", OWNER, "download: audit log CSV"),
];

/// The rule of `method` on the route `path` (as the router writes it).
pub fn rule_for(method: &str, path: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.method == method && r.path == path)
}

impl Rule {
    /// Whether `role` may use this route.
    pub fn allows(&self, role: Role) -> bool {
        role == Role::Owner || self.roles.contains(&role)
    }

    /// The roles that may use it, in words.
    pub fn who(&self) -> String {
        let mut names = vec!["owner"];
        names.extend(self.roles.iter().map(|r| r.name()));
        names.join(", ")
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

/// The admin routes' layer (see `router`): who is asking, whether their role allows the route,
/// and, once it has succeeded, the audit entry. A route without a rule is refused to everyone.
pub async fn require_admin(
    State(state): State<AppState>,
    path: MatchedPath,
    mut request: Request,
    next: Next,
) -> Response {
    let (headers, method) = (request.headers().clone(), request.method().clone());
    let admin = match identify(&state, &headers, &method).await {
        Ok(admin) => admin,
        Err(e) => return e.into_response(),
    };
    let Some(rule) = rule_for(request.method().as_str(), path.as_str()) else {
        return ApiError::Forbidden("no role may use this route".into()).into_response();
    };
    if !rule.allows(admin.role) {
        let why = format!("this needs the role {}; you are signed in as {}", rule.who(), admin.role.name());
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
#[utoipa::path(get, path = "/api/v1/me", tag = "admin", security(("admin_token" = [])),
    responses((status = 200, description = "The admin asking", body = Object, example = json!({"name": "Jo Bloggs <jo.bloggs@example.nhs.uk>", "role": "viewer", "contexts": ["estates"], "via": "sign-in"}))))]
pub async fn me(axum::Extension(admin): axum::Extension<Admin>) -> axum::Json<Admin> {
    axum::Json(admin)
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
    fn owners_may_do_everything_and_each_route_has_one_rule() {
        for r in RULES {
            assert!(r.allows(Role::Owner), "{} {}", r.method, r.path);
            assert_eq!(RULES.iter().filter(|o| o.method == r.method && o.path == r.path).count(), 1);
        }
        let queue = rule_for("GET", "/api/v1/surveys/{id}/moderation").unwrap();
        assert!(queue.allows(Role::Moderator) && !queue.allows(Role::Analyst) && !queue.allows(Role::Viewer));
        let results = rule_for("GET", "/api/v1/surveys/{id}/results").unwrap();
        assert!(results.allows(Role::Viewer) && !results.allows(Role::Moderator));
    }
}
