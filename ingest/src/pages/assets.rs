//! The widget's files at `/widget/…`, built into the binary from `dist/` so a fresh checkout (or a
//! copied binary) serves a working widget; and the pages at `/`. In demo mode (`--demo`) those are
//! demo "intranet pages" that embed the widget the way an editor would; otherwise `/` only says
//! what the service is, so a real deployment shows no fake trust's page storing real answers.

use axum::extract::Path;
use axum::http::header::{
    ACCEPT_ENCODING, ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY,
    CONTENT_TYPE, ETAG, VARY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ErrorBody};

/// A file the server sends to browsers, made at build time (see `build.rs`): as it is, and
/// compressed with gzip and with brotli.
pub struct Asset {
    /// The folder it is served from: `widget` or `admin`.
    pub folder: &'static str,
    /// The name it is served under: content-hashed for the files the loader fetches.
    pub name: &'static str,
    /// Its name in `dist/` (or the dashboard's folder), also served, but revalidated every time.
    pub plain_name: &'static str,
    pub content_type: &'static str,
    /// Whether `name` carries a hash of the content, so it may be cached for good.
    pub hashed: bool,
    /// A hash of the identity bytes (16 hex digits), the root of its ETags.
    pub digest: &'static str,
    pub identity: &'static [u8],
    pub gzip: &'static [u8],
    pub brotli: &'static [u8],
}

/// Every file a page loads from `/widget/`, and the dashboard's script and stylesheet.
pub const ASSETS: &[Asset] = include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// The asset served from `folder` as `name` (its hashed or its plain name), and whether it was
/// asked for by its hashed name.
pub fn asset(folder: &str, name: &str) -> Option<(&'static Asset, bool)> {
    ASSETS.iter().filter(|a| a.folder == folder).find_map(|a| match name {
        n if n == a.name => Some((a, a.hashed)),
        n if n == a.plain_name => Some((a, false)),
        _ => None,
    })
}

/// How long the loader, whose address editors paste into pages, may be used without asking again.
const LOADER_MAX_AGE: &str = "public, max-age=300";

/// A content coding the client accepts, from `Accept-Encoding` (a `q` of 0 refuses one).
fn accepts(headers: &HeaderMap, coding: &str) -> bool {
    let Some(value) = headers.get(ACCEPT_ENCODING).and_then(|v| v.to_str().ok()) else { return false };
    value.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let name = parts.next().unwrap_or("");
        let q = parts.find_map(|p| p.strip_prefix("q=")).and_then(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
        (name.eq_ignore_ascii_case(coding) || name == "*") && q > 0.0
    })
}

/// An asset in the encoding the client accepts (brotli, then gzip, then as it is), with its
/// caching: for good under a hashed name, briefly for the loader, revalidated otherwise.
pub fn respond(asset: &'static Asset, by_hash: bool, headers: &HeaderMap) -> Response {
    let (bytes, coding) = if accepts(headers, "br") {
        (asset.brotli, Some("br"))
    } else if accepts(headers, "gzip") {
        (asset.gzip, Some("gzip"))
    } else {
        (asset.identity, None)
    };
    // Each encoding is its own representation, so it has its own strong ETag.
    let etag = format!("\"{}{}\"", asset.digest, coding.map(|c| format!("-{c}")).unwrap_or_default());
    let cache = if by_hash {
        "public, max-age=31536000, immutable"
    } else if asset.plain_name == "embed.js" {
        LOADER_MAX_AGE
    } else {
        "no-cache"
    };
    let mut response = if crate::http::etag::etag_matches(headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = ([(CONTENT_TYPE, HeaderValue::from_static(asset.content_type))], bytes).into_response();
        if let Some(coding) = coding {
            r.headers_mut().insert(CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        r
    };
    let h = response.headers_mut();
    h.insert(ETAG, HeaderValue::from_str(&etag).expect("hex"));
    h.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(VARY, HeaderValue::from_static("Accept-Encoding"));
    response
}

const DEMO_PAGE: &str = include_str!("demo/index.html");
const DEMO_PAGE_CY: &str = include_str!("demo/cy.html");
const DEMO_PAGE_IFRAME: &str = include_str!("demo/iframe.html");
const DEMO_PAGE_STORIES: &str = include_str!("demo/stories.html");
const HOME_PAGE: &str = include_str!("home.html");

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
#[utoipa::path(get, path = "/", tag = "service", responses((status = 200, description = "HTML page", content_type = "text/html")))]
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

/// A demo intranet page showing approved stories with the showcase embed.
#[utoipa::path(get, path = "/demo/stories", tag = "service", responses((status = 200, description = "HTML page", content_type = "text/html")))]
pub async fn demo_page_stories() -> Response {
    demo_page_response(DEMO_PAGE_STORIES)
}

/// The widget's files: `embed.js` (the loader), `showcase.js` (the stories showcase), `results.js` (the
/// results for staff), `pulse-widget.js`
/// and `pulse-widget_bg.wasm`, each also under the content-hashed name the loader fetches it by.
#[utoipa::path(
    get,
    path = "/widget/{file}",
    tag = "staff",
    params(
        ("file" = String, Path, description = "embed.js, showcase.js, results.js, pulse-widget.js or pulse-widget_bg.wasm, or one of the last four's hashed names (as embed.js names them)"),
        ("Accept-Encoding" = Option<String>, Header, description = "br and gzip are sent compressed"),
    ),
    responses(
        (status = 200, description = "The file, in the encoding accepted, with an ETag and CORS open to every origin; cached for good under a hashed name"),
        (status = 304, description = "Unchanged since the ETag given"),
        (status = 404, description = "No such file", body = ErrorBody),
    )
)]
pub async fn widget_file(Path(name): Path<String>, headers: HeaderMap) -> Result<Response, ApiError> {
    let (file, by_hash) =
        asset("widget", &name).ok_or_else(|| ApiError::NotFound(format!("no widget file {name:?}")))?;
    let mut response = respond(file, by_hash, &headers);
    let h = response.headers_mut();
    // Module scripts and wasm are fetched in CORS mode from intranet pages on other origins.
    h.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    h.insert(HeaderName::from_static("cross-origin-resource-policy"), HeaderValue::from_static("cross-origin"));
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    Ok(response)
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
