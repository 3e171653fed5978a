//! `/embed/{survey}`: the survey on a page of its own, for intranets that let editors add an iframe
//! but not a script (SharePoint's Embed web part). The page holds the same loader and element an
//! editor would paste, takes the context and language from its query string, and tells the page
//! that frames it how tall it is (`frame.js`), so the frame can fit the survey; without that, the
//! survey scrolls inside a frame of fixed height.
//!
//! Only the survey's allowed origins, the server's `--embed-origin`s and this server may frame it.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::HeaderValue;
use axum::response::{Html, IntoResponse, Response};
use pulse_shared::{Lang, SurveyDefinition};
use serde::Deserialize;

use crate::error::ApiError;
use crate::http::responses::escape;
use crate::AppState;

const SCRIPT: &str = include_str!("frame/frame.js");

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FrameQuery {
    /// A context tag of the survey, attached to every response sent from this page.
    pub context: Option<String>,
    /// `en` or `cy`; English when absent, or when the survey has no Welsh.
    pub lang: Option<String>,
}

/// The survey alone on a page, to be framed.
#[utoipa::path(
    get,
    path = "/embed/{survey}",
    operation_id = "embed_page",
    tag = "staff",
    params(("survey" = String, Path, description = "The survey id"), FrameQuery),
    responses(
        (status = 200, description = "HTML page that shows the survey and reports its height to the parent page", content_type = "text/html"),
        (status = 400, description = "HTML page, in English and Welsh, saying the page cannot take answers: an unknown parameter, a context the survey does not have, or a language other than en or cy", content_type = "text/html"),
        (status = 404, description = "HTML page, in English and Welsh, saying the page cannot take answers: no such survey", content_type = "text/html"),
    )
)]
pub async fn page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: Result<Query<FrameQuery>, QueryRejection>,
) -> Response {
    match survey_page(state, id, query) {
        Ok(page) => page,
        Err(e) => refusal_page(&e),
    }
}

/// A framed page that cannot show the survey (an unknown survey, context or language) is still a
/// page: staff read, in both languages, that it cannot take answers; its editor reads why, on the
/// page and in the console (`frame.js`). The status says what went wrong.
fn refusal_page(e: &ApiError) -> Response {
    let why = escape(&e.with_details());
    let html = format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Values Pulse</title>
<script type="module" src="/embed/frame.js"></script>
</head>
<body data-pulse-error="{why}">
<main>
<p>This page cannot take answers to the survey. Please tell the person who looks after this page.</p>
<p lang="cy">Ni all y dudalen hon dderbyn atebion i'r arolwg. Rhowch wybod i'r person sy'n gofalu am y dudalen hon.</p>
<p><small>{why}</small></p>
</main>
</body>
</html>
"#
    );
    let csp = HeaderValue::from_static("default-src 'none'; script-src 'self'; base-uri 'none'; form-action 'none'");
    (e.status_code(), page_headers(csp), Html(html)).into_response()
}

/// A framed page's headers, with its content security policy.
pub(crate) fn page_headers(csp: HeaderValue) -> [(axum::http::HeaderName, HeaderValue); 4] {
    [
        (CONTENT_SECURITY_POLICY, csp),
        (CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        // The survey's own requests need no referrer, and the intranet page's address stays put.
        (REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
    ]
}

fn survey_page(
    state: AppState,
    id: String,
    query: Result<Query<FrameQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::BadQuery(e.body_text()))?;
    let survey = crate::public::surveys::current(&state.store, &id)?;
    let def = &survey.definition;
    let lang = def.language_for(crate::http::language::lang_param(query.lang.as_deref())?);
    let context = query.context.filter(|c| !c.is_empty());
    if let Some(c) = &context {
        if !def.has_context(c) {
            let known: Vec<&str> = def.contexts.iter().map(|c| c.id.as_str()).collect();
            return Err(ApiError::BadQuery(format!(
                "context {c:?} is not one of survey {id:?}'s contexts: {}",
                known.join(", ")
            )));
        }
    }
    // Framing is for the pages that may embed the survey; everything else stays this server's own.
    // Only values that are origins, exactly, reach the header: a definition kept before origins
    // were checked so strictly cannot add a directive of its own.
    let ancestors: Vec<&str> = std::iter::once("'self'")
        .chain(
            def.allowed_origins
                .iter()
                .chain(state.embed_origins.iter())
                .map(String::as_str)
                .filter(|o| pulse_shared::address::check_origin(o).is_ok()),
        )
        .collect();
    let html = widget_page(def, lang, context.as_deref(), None);
    Ok((page_headers(widget_csp(&ancestors.join(" "))?), Html(html)).into_response())
}

/// A page holding the survey's loader and element as an editor would paste them, for a context;
/// with `endpoint`, the widget talks to it rather than to this server's API (a preview), and the
/// page does not report its height (only a framed survey needs that).
pub(crate) fn widget_page(def: &SurveyDefinition, lang: Lang, context: Option<&str>, endpoint: Option<&str>) -> String {
    let context = context.map(|c| format!(r#" data-pulse-context="{}""#, escape(c))).unwrap_or_default();
    let (endpoint, frame) = match endpoint {
        Some(e) => (format!(r#" data-pulse-endpoint="{}""#, escape(e)), ""),
        None => (String::new(), "\n<script type=\"module\" src=\"/embed/frame.js\"></script>"),
    };
    format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<script type="module" src="/widget/embed.js"></script>{frame}
</head>
<body>
<main>
<div data-pulse-survey="{survey}" data-pulse-lang="{lang}"{endpoint}{context}></div>
</main>
</body>
</html>
"#,
        lang = lang.code(),
        title = escape(def.title.get(lang)),
        survey = escape(&def.id),
    )
}

/// The content security policy of a page showing the widget, framed by `ancestors`.
pub(crate) fn widget_csp(ancestors: &str) -> Result<HeaderValue, ApiError> {
    let csp = format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; \
         img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors {ancestors}"
    );
    HeaderValue::from_str(&csp).map_err(|e| ApiError::Internal(e.to_string()))
}

/// The framed page's script: reports the page's height to the parent page.
#[utoipa::path(get, path = "/embed/frame.js", operation_id = "embed_script", tag = "staff", responses((status = 200, description = "JavaScript", content_type = "text/javascript")))]
pub async fn script() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "no-cache"),
            (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        SCRIPT,
    )
}
