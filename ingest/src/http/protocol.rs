//! What every request and response goes through before and after the routes: requests refused
//! on their headers alone, the headers every response carries, and the log line's span.

use axum::extract::Request;
use axum::http::header::{
    CONNECTION, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE, HOST, REFERRER_POLICY, TRANSFER_ENCODING,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// Refuses, from its headers alone, a request with two `Host`s or a declared body over the limit
/// (at once, so a client waiting on `Expect: 100-continue` is not kept waiting for the body); and
/// closes, saying so, a connection whose request body was left unread.
pub async fn guard(request: Request, next: Next) -> Response {
    let headers = request.headers();
    if headers.get_all(HOST).iter().count() > 1 {
        return closing(ApiError::BadRequest("the request has more than one Host header".into()).into_response());
    }
    let declared = headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    let limit = crate::config::body_limit(request.uri().path());
    if declared.is_some_and(|n| n > limit as u64) {
        return closing(ApiError::PayloadTooLarge(limit).into_response());
    }
    let has_body = declared.is_some_and(|n| n > 0) || headers.contains_key(TRANSFER_ENCODING);
    let response = next.run(request).await;
    // An error may come before the body was read (429, 503, 401, 403, 413, 415), and then the
    // connection cannot carry another request: say so, or a client reusing it breaks its pipe.
    if has_body && (response.status().is_client_error() || response.status().is_server_error()) {
        closing(response)
    } else {
        response
    }
}

fn closing(mut response: Response) -> Response {
    response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Grants no browser feature to any page of this server.
const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), \
     fullscreen=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), \
     picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), usb=(), xr-spatial-tracking=()";

/// The policy of an HTML page that sets none of its own: this server's files only, never framed.
const DEFAULT_PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
     connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Headers every response carries, where the route has not set its own: no sniffing, no referrer,
/// no browser features; and on an HTML page a Content-Security-Policy and frame protection.
pub async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.entry(X_CONTENT_TYPE_OPTIONS).or_insert(HeaderValue::from_static("nosniff"));
    headers.entry(REFERRER_POLICY).or_insert(HeaderValue::from_static("no-referrer"));
    headers
        .entry(HeaderName::from_static("permissions-policy"))
        .or_insert(HeaderValue::from_static(PERMISSIONS_POLICY));
    let html = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if html {
        let csp = headers.entry(CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(DEFAULT_PAGE_CSP));
        // A page that may be framed says by whom in its own frame-ancestors; X-Frame-Options cannot
        // name origins, so it only goes on pages that no one may frame.
        let frames_none = csp.to_str().is_ok_and(|v| v.contains("frame-ancestors 'none'"));
        if frames_none {
            headers.entry(X_FRAME_OPTIONS).or_insert(HeaderValue::from_static("DENY"));
        }
    }
    response
}

/// The log's span for a request: its method and path, never its query string (which may hold
/// anything a client put there, a token included), its address or its headers.
pub fn span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    if sends_an_answer(request) {
        return tracing::Span::none();
    }
    tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
}

/// Whether `request` sends (or prepares to send) a member of staff's answers. Such a request gets
/// no span and no log line: a line has a time, and the log would then say when someone answered.
/// Its failures inside the server are still logged, without its path.
fn sends_an_answer(request: &axum::http::Request<axum::body::Body>) -> bool {
    let path = request.uri().path();
    path.starts_with("/api/v1/surveys/") && path.trim_end_matches('/').ends_with("/responses")
}

/// The line each request's start gets, at debug; none for an answer (see [`span`]).
pub fn on_request(request: &axum::http::Request<axum::body::Body>, span: &tracing::Span) {
    if !span.is_none() {
        tower_http::trace::OnRequest::on_request(&mut tower_http::trace::DefaultOnRequest::new(), request, span);
    }
}

/// The line each response gets, at info, with its status and latency; none for an answer.
pub fn on_response<B>(response: &axum::http::Response<B>, latency: std::time::Duration, span: &tracing::Span) {
    if !span.is_none() {
        let line = tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO);
        tower_http::trace::OnResponse::on_response(line, response, latency, span);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn html_pages_get_a_policy_unless_they_set_their_own() {
        let page = ([(CONTENT_TYPE, "text/html; charset=utf-8")], "<p>hi</p>").into_response();
        let page = security_headers(page).await;
        assert_eq!(page.headers()[CONTENT_SECURITY_POLICY], DEFAULT_PAGE_CSP);
        assert_eq!(page.headers()[X_FRAME_OPTIONS], "DENY");
        let framable = (
            [(CONTENT_TYPE, "text/html"), (CONTENT_SECURITY_POLICY, "frame-ancestors 'self' https://intranet.example")],
            "<p>hi</p>",
        )
            .into_response();
        let framable = security_headers(framable).await;
        assert_eq!(framable.headers()[CONTENT_SECURITY_POLICY], "frame-ancestors 'self' https://intranet.example");
        assert!(framable.headers().get(X_FRAME_OPTIONS).is_none(), "its own frame-ancestors decides");
        let json = security_headers(axum::Json(1).into_response()).await;
        assert_eq!(json.headers()[X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(json.headers().get(CONTENT_SECURITY_POLICY).is_none());
    }
}
