//! Small pieces of HTTP that several routes share: conditional GETs and the `lang` parameter.

use axum::http::header::IF_NONE_MATCH;
use axum::http::HeaderMap;
use pulse_shared::Lang;

use crate::error::ApiError;

/// Whether the request's `If-None-Match` names `etag` (or `*`), so a 304 will do.
pub fn etag_matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

/// A `lang` query parameter: English when absent or empty, a 400 for a language Values Pulse does
/// not speak.
pub fn lang_param(tag: Option<&str>) -> Result<Lang, ApiError> {
    match tag.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(Lang::En),
        Some(tag) => Lang::from_tag(tag)
            .ok_or_else(|| ApiError::BadQuery(format!("lang {tag:?} is not a language of Values Pulse: use en or cy"))),
    }
}
