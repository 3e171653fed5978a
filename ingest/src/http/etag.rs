//! Conditional GETs: a client that already holds a file or definition pays for a 304 only.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// `body` as JSON that any browser or proxy may keep for `max_age` seconds, with an ETag from its
/// content, or a 304 when the request already holds it: for the public reads the embeds make.
pub fn cacheable_json(headers: &HeaderMap, body: &impl serde::Serialize, max_age: u32) -> Result<Response, ApiError> {
    let json = serde_json::to_vec(body).map_err(|e| ApiError::Internal(e.to_string()))?;
    let etag = format!("\"{}\"", hex::encode(&Sha256::digest(&json)[..12]));
    let common = [
        (ETAG, HeaderValue::from_str(&etag).expect("hex")),
        (CACHE_CONTROL, HeaderValue::from_str(&format!("public, max-age={max_age}")).expect("ASCII")),
    ];
    if etag_matches(headers, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, common).into_response());
    }
    Ok((common, [(CONTENT_TYPE, HeaderValue::from_static("application/json"))], json).into_response())
}

/// Whether the request's `If-None-Match` names `etag` (or `*`), so a 304 will do.
pub fn etag_matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}
