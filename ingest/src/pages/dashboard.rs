//! The admins' dashboard at `/admin`: a page naming the dashboard app (built from
//! `widget/dashboard/` into `dist/dashboard/`), which reads the admin API as a signed-in admin or
//! with a token the admin types in. It is served apart from the staff widget, under a strict
//! Content-Security-Policy; the page is never cached, and the app's files, named by their content,
//! are cached for good.

use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::response::IntoResponse;

/// `dashboard/admin.html` with the app's files' hashed names (see `build.rs`).
const PAGE: &str = include_str!(concat!(env!("OUT_DIR"), "/admin.html"));

/// The page's policy: the app's own files, and its WebAssembly compiled from them.
const PAGE_CSP: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

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

/// Adds [`ADMIN_HEADERS`] to an admin API response (a page that sets its own policy keeps it).
pub async fn admin_headers(mut response: axum::response::Response) -> axum::response::Response {
    for (name, value) in ADMIN_HEADERS {
        if name == CONTENT_SECURITY_POLICY && response.headers().contains_key(CONTENT_SECURITY_POLICY) {
            continue;
        }
        response.headers_mut().insert(name, HeaderValue::from_static(value));
    }
    response
}

/// [`ADMIN_HEADERS`] for the dashboard's own files, but their caching, which
/// [`crate::pages::assets::respond`] decides (for good, under a hashed name).
pub async fn file_headers(mut response: axum::response::Response) -> axum::response::Response {
    for (name, value) in ADMIN_HEADERS.into_iter().filter(|(name, _)| *name != CACHE_CONTROL) {
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
    ([(CONTENT_SECURITY_POLICY, HeaderValue::from_static(PAGE_CSP))], respond("text/html; charset=utf-8", PAGE))
}

/// `dashboard/editor.html` with the editor's files' hashed names.
const EDITOR_PAGE: &str = include_str!(concat!(env!("OUT_DIR"), "/editor.html"));

/// The survey editor (the dashboard's crate built with its `editor` feature): its previews are
/// this server's own pages, framed.
#[utoipa::path(get, path = "/admin/editor", operation_id = "survey_editor", tag = "admin", responses((status = 200, description = "HTML page", content_type = "text/html")))]
pub async fn editor_page() -> impl IntoResponse {
    ([(CONTENT_SECURITY_POLICY, HeaderValue::from_static(PAGE_CSP))], respond("text/html; charset=utf-8", EDITOR_PAGE))
}

/// The survey editor's files.
#[utoipa::path(
    get,
    path = "/admin/editor/{file}",
    operation_id = "editor_file",
    tag = "admin",
    params(("file" = String, Path, description = "boot.js, pulse-dashboard.js, pulse-dashboard_bg.wasm, admin.css or editor.css, by its plain or its hashed name")),
    responses((status = 200, description = "The file"), (status = 404, description = "No such file", body = crate::error::ErrorBody))
)]
pub async fn editor_file(
    axum::extract::Path(name): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<axum::response::Response, crate::error::ApiError> {
    app_file("admin/editor", &name, &headers)
}

/// `dashboard/report.html` with the reports' files' hashed names.
const REPORT_PAGE: &str = include_str!(concat!(env!("OUT_DIR"), "/report.html"));

/// The reports (the dashboard's crate built with its `report` feature): the trend, the heatmap,
/// the board pack and the values evidence pack, kept out of the dashboard's first view.
#[utoipa::path(get, path = "/admin/report", operation_id = "admin_reports", tag = "admin", responses((status = 200, description = "HTML page", content_type = "text/html")))]
pub async fn report_page() -> impl IntoResponse {
    ([(CONTENT_SECURITY_POLICY, HeaderValue::from_static(PAGE_CSP))], respond("text/html; charset=utf-8", REPORT_PAGE))
}

/// The reports' files.
#[utoipa::path(
    get,
    path = "/admin/report/{file}",
    operation_id = "report_file",
    tag = "admin",
    params(("file" = String, Path, description = "boot.js, pulse-dashboard.js, pulse-dashboard_bg.wasm or admin.css, by its plain or its hashed name")),
    responses((status = 200, description = "The file"), (status = 404, description = "No such file", body = crate::error::ErrorBody))
)]
pub async fn report_file(
    axum::extract::Path(name): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<axum::response::Response, crate::error::ApiError> {
    app_file("admin/report", &name, &headers)
}

/// The dashboard's files: its loader, glue, WebAssembly and stylesheet.
#[utoipa::path(
    get,
    path = "/admin/{file}",
    operation_id = "admin_file",
    tag = "admin",
    params(("file" = String, Path, description = "boot.js, pulse-dashboard.js, pulse-dashboard_bg.wasm or admin.css, by its plain or its hashed name")),
    responses((status = 200, description = "The file"), (status = 404, description = "No such file", body = crate::error::ErrorBody))
)]
pub async fn file(
    axum::extract::Path(name): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<axum::response::Response, crate::error::ApiError> {
    app_file("admin", &name, &headers)
}

/// File `name` of the app in `folder`, compressed and cached as the widget's files are.
fn app_file(
    folder: &str,
    name: &str,
    headers: &axum::http::HeaderMap,
) -> Result<axum::response::Response, crate::error::ApiError> {
    let (asset, by_hash) = crate::pages::assets::asset(folder, name)
        .ok_or_else(|| crate::error::ApiError::NotFound(format!("no file {name:?} in /{folder}")))?;
    Ok(crate::pages::assets::respond(asset, by_hash, headers))
}
