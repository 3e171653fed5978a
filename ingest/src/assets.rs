//! The widget's files at `/widget/…`, built into the binary from `dist/` so a fresh checkout (or a
//! copied binary) serves a working widget; and the pages at `/`. In demo mode (`--demo`) those are
//! demo "intranet pages" that embed the widget the way an editor would; otherwise `/` only says
//! what the service is, so a real deployment shows no fake trust's page storing real answers.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ErrorBody};

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
const HOME_PAGE: &str = include_str!("pages/home.html");

/// A demo page with a Content-Security-Policy as strict as an intranet's could be: this server's
/// files only, and the page's own inline style and script by their hashes.
fn demo_page_response(page: &'static str) -> Response {
    let csp = format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'{scripts}; style-src 'self'{styles}; img-src 'self'; \
         connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        scripts = inline_hashes(page, "script"),
        styles = inline_hashes(page, "style"),
    );
    ([(CONTENT_SECURITY_POLICY, HeaderValue::from_str(&csp).expect("ASCII"))], Html(page)).into_response()
}

/// ` 'sha256-…'` for each inline `<tag>` element of `page` (one without `src`).
fn inline_hashes(page: &str, tag: &str) -> String {
    use base64::Engine;
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut hashes = String::new();
    let mut rest = page;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start..];
        let (Some(head_end), Some(end)) = (after.find('>'), after.find(&close)) else { break };
        if !after[..head_end].contains("src=") {
            let digest = Sha256::digest(&after.as_bytes()[head_end + 1..end]);
            hashes.push_str(&format!(" 'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest)));
        }
        rest = &after[end + close.len()..];
    }
    hashes
}

/// What the service is, with links to the dashboard and the API document (without `--demo`).
pub async fn home_page() -> Html<&'static str> {
    Html(HOME_PAGE)
}

/// With `--demo`, the demo intranet page, with the widget embedded as an editor would embed it;
/// otherwise a page saying what the service is.
#[utoipa::path(get, path = "/", tag = "service", responses((status = 200, description = "HTML page", content_type = "text/html")))]
pub async fn demo_page() -> Response {
    demo_page_response(DEMO_PAGE)
}

/// The demo intranet page in Welsh: the widget follows the page's `lang="cy"`.
#[utoipa::path(get, path = "/demo/cy", tag = "service", responses((status = 200, description = "HTML page", content_type = "text/html")))]
pub async fn demo_page_cy() -> Response {
    demo_page_response(DEMO_PAGE_CY)
}

/// A demo page that frames `/embed/constitution`, as SharePoint's Embed web part does, with the
/// optional resizing snippet.
#[utoipa::path(get, path = "/demo/iframe", tag = "service", responses((status = 200, description = "HTML page", content_type = "text/html")))]
pub async fn demo_page_iframe() -> Response {
    demo_page_response(DEMO_PAGE_IFRAME)
}

fn etags() -> &'static [String] {
    static ETAGS: OnceLock<Vec<String>> = OnceLock::new();
    ETAGS.get_or_init(|| {
        WIDGET_FILES.iter().map(|f| format!("\"{}\"", hex::encode(&Sha256::digest(f.bytes)[..12]))).collect()
    })
}

/// A demo intranet page showing approved stories with the showcase embed.
#[utoipa::path(get, path = "/demo/stories", tag = "service", responses((status = 200, description = "HTML page", content_type = "text/html")))]
pub async fn demo_page_stories() -> Response {
    demo_page_response(DEMO_PAGE_STORIES)
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
    if crate::etag::etag_matches(&headers, etag) {
        return Ok((StatusCode::NOT_MODIFIED, common).into_response());
    }
    Ok((common, [(CONTENT_TYPE, HeaderValue::from_static(file.content_type))], file.bytes).into_response())
}

#[cfg(test)]
mod tests {
    use super::inline_hashes;

    #[test]
    fn hashes_inline_elements_only() {
        let page = "<style>a{}</style><script type=\"module\" src=\"/x.js\"></script><script>go()</script>";
        assert_eq!(inline_hashes(page, "style").matches("'sha256-").count(), 1);
        assert_eq!(inline_hashes(page, "script").matches("'sha256-").count(), 1, "the src script needs no hash");
        assert_eq!(inline_hashes("<p>none</p>", "script"), "");
    }
}
