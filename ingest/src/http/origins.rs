//! Which pages may use a survey. A survey lists the origins of the intranet pages that embed it;
//! its public routes answer those origins (and the server's own pages) with CORS headers and
//! refuse every other origin outright, before anything is read or stored.

use axum::extract::{Request, State};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_MAX_AGE,
    HOST, ORIGIN, VARY,
};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::AppState;

/// Whether `origin` is this server itself, as the request's `Host` names it.
fn is_same_origin(origin: &str, host: Option<&str>) -> bool {
    let authority = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"));
    matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h))
}

/// The survey id in `/api/v1/surveys/{id}[/…]`.
fn survey_id(path: &str) -> Option<&str> {
    path.strip_prefix("/api/v1/surveys/")?.split('/').next().filter(|id| !id.is_empty())
}

/// Middleware for a survey's public routes: allow the survey's own origins, refuse the rest. Every
/// answer says `Vary: Origin`, with or without an `Origin` asked with, so a shared cache never hands
/// one page's answer (or its CORS headers) to another.
pub async fn check_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut response = answer_origin(state, req, next).await;
    response.headers_mut().append(VARY, HeaderValue::from_static("Origin"));
    response
}

async fn answer_origin(state: AppState, req: Request, next: Next) -> Response {
    // No Origin header: not a browser's cross-origin request (curl, a server, a same-origin GET).
    let Some(origin) = req.headers().get(ORIGIN).and_then(|v| v.to_str().ok()).map(str::to_owned) else {
        return next.run(req).await;
    };
    // An unknown survey is the handler's to answer (404).
    let Some(survey) = survey_id(req.uri().path()).and_then(|id| state.store.survey(id)) else {
        return next.run(req).await;
    };
    let host = req.headers().get(HOST).and_then(|v| v.to_str().ok());
    let allowed = is_same_origin(&origin, host)
        || survey.definition.allowed_origins.iter().chain(state.embed_origins.iter()).any(|o| o == &origin);
    let origin_header = HeaderValue::from_str(&origin).expect("came from a header");
    if !allowed {
        // A refused read may be read by the page, so the widget can tell the page's editor in
        // the console which origin to allow; it carries nothing but that.
        let readable = req.method() == Method::GET;
        let mut refusal = ApiError::OriginNotAllowed(origin).into_response();
        if readable {
            refusal.headers_mut().insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin_header);
        }
        return refusal;
    }
    let mut response = if req.method() == Method::OPTIONS {
        let mut preflight = StatusCode::NO_CONTENT.into_response();
        let h = preflight.headers_mut();
        h.insert(ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST"));
        h.insert(ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type"));
        h.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        preflight
    } else {
        next.run(req).await
    };
    response.headers_mut().insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin_header);
    response
}

/// `OPTIONS` on a public route. [`check_origin`] answers a browser's preflight before this runs;
/// this answers the rest (no `Origin`), with no CORS headers.
pub async fn preflight() -> StatusCode {
    StatusCode::NO_CONTENT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_origin_is_the_host_itself() {
        assert!(is_same_origin("http://127.0.0.1:8080", Some("127.0.0.1:8080")));
        assert!(is_same_origin("https://Pulse.example.nhs.uk", Some("pulse.example.nhs.uk")));
        assert!(!is_same_origin("http://127.0.0.1:8081", Some("127.0.0.1:8080")));
        assert!(!is_same_origin("null", Some("127.0.0.1:8080")));
        assert!(!is_same_origin("http://a", None));
    }

    #[test]
    fn finds_the_survey_in_the_path() {
        assert_eq!(survey_id("/api/v1/surveys/constitution"), Some("constitution"));
        assert_eq!(survey_id("/api/v1/surveys/constitution/responses"), Some("constitution"));
        assert_eq!(survey_id("/api/v1/surveys/"), None);
        assert_eq!(survey_id("/healthz"), None);
    }
}
