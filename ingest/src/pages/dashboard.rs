//! The admins' dashboard at `/admin`: a static page and its script and stylesheet, which read the
//! admin API with a token the admin types in. It is served apart from the staff widget, under a
//! strict Content-Security-Policy, and never cached.

use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::response::IntoResponse;

const PAGE: &str = include_str!("dashboard/admin.html");

/// Headers every admin page carries: no framing, no sniffing, no caching, nothing but our own files.
pub const ADMIN_HEADERS: [(axum::http::HeaderName, &str); 6] = [
    (
        CONTENT_SECURITY_POLICY,
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; \
         frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    ),
    (X_FRAME_OPTIONS, "DENY"),
    (X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (CACHE_CONTROL, "no-store"),
    (REFERRER_POLICY, "no-referrer"),
    // No page this one opens (or that opens it) gets a handle on its window.
    (axum::http::HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
];

/// Adds [`ADMIN_HEADERS`] to an admin API response.
pub async fn admin_headers(mut response: axum::response::Response) -> axum::response::Response {
    for (name, value) in ADMIN_HEADERS {
        response.headers_mut().insert(name, HeaderValue::from_static(value));
    }
    response
}

fn respond(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    ([(CONTENT_TYPE, HeaderValue::from_static(content_type))], body)
}

/// The admins' dashboard.
#[utoipa::path(get, path = "/admin", operation_id = "admin_dashboard", tag = "admin", responses((status = 200, description = "HTML page", content_type = "text/html")))]
pub async fn page() -> impl IntoResponse {
    respond("text/html; charset=utf-8", PAGE)
}

/// The dashboard's script and stylesheet.
#[utoipa::path(
    get,
    path = "/admin/{file}",
    operation_id = "admin_file",
    tag = "admin",
    params(("file" = String, Path, description = "admin.js or admin.css")),
    responses((status = 200, description = "The file"), (status = 404, description = "No such file", body = crate::error::ErrorBody))
)]
pub async fn file(
    axum::extract::Path(name): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<axum::response::Response, crate::error::ApiError> {
    let (asset, _) = crate::pages::assets::asset("admin", &name)
        .ok_or_else(|| crate::error::ApiError::NotFound(format!("no dashboard file {name:?}")))?;
    // Compressed as the widget's files are; the admin headers (no-store) still apply.
    Ok(crate::pages::assets::respond(asset, false, &headers))
}
