//! The widget's files at `/widget/…`, built into the binary from `dist/` so a fresh checkout (or a
//! copied binary) serves a working widget, and the demo "intranet page" at `/` that embeds it the
//! way an editor would.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONTENT_TYPE, ETAG, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ErrorBody};
use crate::AppState;

/// A file the widget is made of.
pub struct WidgetFile {
    pub name: &'static str,
    pub bytes: &'static [u8],
    pub content_type: &'static str,
}

/// Everything trunk builds into `dist/` that a page loads.
pub const WIDGET_FILES: &[WidgetFile] = &[
    WidgetFile {
        name: "embed.js",
        bytes: include_bytes!("../../dist/embed.js"),
        content_type: "text/javascript; charset=utf-8",
    },
    WidgetFile {
        name: "showcase.js",
        bytes: include_bytes!("../../dist/showcase.js"),
        content_type: "text/javascript; charset=utf-8",
    },
    WidgetFile {
        name: "pulse-widget.js",
        bytes: include_bytes!("../../dist/pulse-widget.js"),
        content_type: "text/javascript; charset=utf-8",
    },
    WidgetFile {
        name: "pulse-widget_bg.wasm",
        bytes: include_bytes!("../../dist/pulse-widget_bg.wasm"),
        content_type: "application/wasm",
    },
];

const DEMO_PAGE: &str = include_str!("demo/index.html");
const DEMO_PAGE_CY: &str = include_str!("demo/cy.html");
const DEMO_PAGE_IFRAME: &str = include_str!("demo/iframe.html");
const DEMO_PAGE_STORIES: &str = include_str!("demo/stories.html");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(demo_page))
        .route("/demo/cy", get(demo_page_cy))
        .route("/demo/iframe", get(demo_page_iframe))
        .route("/demo/stories", get(demo_page_stories))
        .route("/widget/{file}", get(widget_file))
}

/// The demo intranet page, with the widget embedded as an editor would embed it.
#[utoipa::path(get, path = "/", tag = "service", responses((status = 200, description = "HTML page", content_type = "text/html")))]
pub async fn demo_page() -> Html<&'static str> {
    Html(DEMO_PAGE)
}

/// The demo intranet page in Welsh: the widget follows the page's `lang="cy"`.
#[utoipa::path(get, path = "/demo/cy", tag = "service", responses((status = 200, description = "HTML page", content_type = "text/html")))]
pub async fn demo_page_cy() -> Html<&'static str> {
    Html(DEMO_PAGE_CY)
}

/// A demo page that frames `/embed/constitution`, as SharePoint's Embed web part does, with the
/// optional resizing snippet.
#[utoipa::path(get, path = "/demo/iframe", tag = "service", responses((status = 200, description = "HTML page", content_type = "text/html")))]
pub async fn demo_page_iframe() -> Html<&'static str> {
    Html(DEMO_PAGE_IFRAME)
}

fn etags() -> &'static [String] {
    static ETAGS: OnceLock<Vec<String>> = OnceLock::new();
    ETAGS.get_or_init(|| {
        WIDGET_FILES.iter().map(|f| format!("\"{}\"", hex::encode(&Sha256::digest(f.bytes)[..12]))).collect()
    })
}

/// A demo intranet page showing approved stories with the showcase embed.
#[utoipa::path(get, path = "/demo/stories", tag = "service", responses((status = 200, description = "HTML page", content_type = "text/html")))]
pub async fn demo_page_stories() -> Html<&'static str> {
    Html(DEMO_PAGE_STORIES)
}

/// The widget's files: `embed.js` (the loader), `showcase.js` (the stories showcase), `pulse-widget.js` and `pulse-widget_bg.wasm`.
#[utoipa::path(
    get,
    path = "/widget/{file}",
    tag = "staff",
    params(("file" = String, Path, description = "embed.js, showcase.js, pulse-widget.js or pulse-widget_bg.wasm")),
    responses(
        (status = 200, description = "The file, with an ETag and CORS open to every origin"),
        (status = 304, description = "Unchanged since the ETag given"),
        (status = 404, description = "No such file", body = ErrorBody),
    )
)]
pub async fn widget_file(Path(name): Path<String>, headers: HeaderMap) -> Result<Response, ApiError> {
    let index = WIDGET_FILES
        .iter()
        .position(|f| f.name == name)
        .ok_or_else(|| ApiError::NotFound(format!("no widget file {name:?}")))?;
    let (file, etag) = (&WIDGET_FILES[index], &etags()[index]);
    let common = [
        (ETAG, HeaderValue::from_str(etag).expect("hex")),
        // The names are fixed, so browsers must check back; a matching ETag costs a 304 only.
        (CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        // Module scripts and wasm are fetched in CORS mode from intranet pages on other origins.
        (ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*")),
        (HeaderName::from_static("cross-origin-resource-policy"), HeaderValue::from_static("cross-origin")),
        (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    ];
    if crate::http::etag_matches(&headers, etag) {
        return Ok((StatusCode::NOT_MODIFIED, common).into_response());
    }
    Ok((common, [(CONTENT_TYPE, HeaderValue::from_static(file.content_type))], file.bytes).into_response())
}
