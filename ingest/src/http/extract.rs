//! Extractors whose refusals are the API's JSON errors rather than axum's plain text: bodies (JSON,
//! JSON or TOML, raw bytes, each within the body limit) and query strings.

use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A query string read as `T`: a malformed value or an unknown parameter gets the JSON 400
/// ([`ApiError::BadQuery`]) saying what is wrong.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(query)) => Ok(ApiQuery(query)),
            Err(rejection) => Err(ApiError::BadQuery(rejection.body_text())),
        }
    }
}

/// `Json` that checks the content type, keeps to the body limit and reports every failure as an
/// `ApiError`, so a bad body gets the same JSON error shape as everything else.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        if media_type(&req).as_deref() != Some("application/json") {
            return Err(ApiError::UnsupportedMediaType("application/json"));
        }
        let bytes = body(req).await?;
        serde_json::from_slice(&bytes).map(ApiJson).map_err(|e| ApiError::MalformedJson(e.to_string()))
    }
}

/// Like [`ApiJson`], but also reads a TOML body (`application/toml`), for what admins write by
/// hand: a survey definition, as ADMIN.md shows it.
#[derive(Debug, Clone)]
pub struct JsonOrToml<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonOrToml<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        const TYPES: &str = "application/json or application/toml";
        let toml = match media_type(&req).as_deref() {
            Some("application/json") => false,
            Some("application/toml") => true,
            _ => return Err(ApiError::UnsupportedMediaType(TYPES)),
        };
        let bytes = body(req).await?;
        if !toml {
            return serde_json::from_slice(&bytes).map(JsonOrToml).map_err(|e| ApiError::MalformedJson(e.to_string()));
        }
        let text = std::str::from_utf8(&bytes).map_err(|_| ApiError::MalformedToml("the body is not UTF-8".into()))?;
        toml::from_str(text).map(JsonOrToml).map_err(|e| ApiError::MalformedToml(e.to_string()))
    }
}

/// The raw body of a route that reads several formats, within the limit: a body over it (sent
/// chunked, so no length said so beforehand) gets the JSON 413 like every other route.
pub struct ApiBody(pub axum::body::Bytes);

impl<S: Send + Sync> FromRequest<S> for ApiBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        body(req).await.map(ApiBody)
    }
}

/// The request's media type, lower case, without parameters.
fn media_type(req: &Request) -> Option<String> {
    let value = req.headers().get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next()?.trim().to_ascii_lowercase())
}

/// The request's body within its route's limit ([`crate::config::body_limit`], the one home of
/// the limits): read here, so no layer of the router has to say it again.
async fn body(req: Request) -> Result<axum::body::Bytes, ApiError> {
    let limit = crate::config::body_limit(req.uri().path());
    axum::body::to_bytes(req.into_body(), limit).await.map_err(|e| {
        if std::error::Error::source(&e).is_some_and(|s| s.is::<http_body_util::LengthLimitError>()) {
            ApiError::PayloadTooLarge(limit)
        } else {
            ApiError::MalformedJson(format!("Failed to buffer the request body: {e}"))
        }
    })
}
