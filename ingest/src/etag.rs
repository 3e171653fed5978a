//! Conditional GETs: a client that already holds a file or definition pays for a 304 only.

use axum::http::header::IF_NONE_MATCH;
use axum::http::HeaderMap;

/// Whether the request's `If-None-Match` names `etag` (or `*`), so a 304 will do.
pub fn etag_matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}
