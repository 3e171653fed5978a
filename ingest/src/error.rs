//! The one error type of the HTTP API. Every error leaves as JSON of one shape,
//! `{"error": "...", "details": [...]}`, and nothing about the server's insides leaves with a 5xx.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use pulse_shared::FieldError;
use serde_json::json;

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the body is not the JSON the endpoint takes.
    #[error("the request body is not valid JSON for this endpoint")]
    MalformedJson(String),
    /// 400: the body is not the TOML the endpoint takes.
    #[error("the request body is not valid TOML for this endpoint")]
    MalformedToml(String),
    /// 400: the request itself is malformed (e.g. two `Host` headers).
    #[error("{0}")]
    BadRequest(String),
    /// 400: the query string is not what the endpoint takes.
    #[error("the query string is not valid for this endpoint")]
    BadQuery(String),
    /// 415: the body is not declared as a type the endpoint reads (says which it does).
    #[error("send the body as {0}")]
    UnsupportedMediaType(&'static str),
    /// 413: the body is larger than the limit.
    #[error("the request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// 401: admin routes without a valid bearer token or signed-in session.
    #[error("sign in, or send a valid admin token")]
    Unauthorized,
    /// 403: a signed-in admin whose role does not allow this (says which roles do).
    #[error("{0}")]
    Forbidden(String),
    /// 403: a page on an origin the survey does not list.
    #[error(
        "this survey may not be embedded on {0}: list {0} in the survey's allowed_origins, or start the server \
         with --embed-origin {0}"
    )]
    OriginNotAllowed(String),
    /// 403: responses are accepted only between the survey's open and close days.
    #[error("{0}")]
    SurveyClosed(String),
    /// 404: no such survey or route.
    #[error("{0}")]
    NotFound(String),
    /// 405: the route exists but not with this method.
    #[error("this method is not allowed here")]
    MethodNotAllowed,
    /// 422: the response does not fit the survey; `details` lists every field error.
    #[error("the response does not fit the survey")]
    Invalid(Vec<FieldError>),
    /// 422: a survey definition that cannot be served; `details` lists every problem.
    #[error("the survey definition is not valid")]
    InvalidDefinition(Vec<pulse_shared::DefinitionError>),
    /// 422: a wave or headcounts that cannot be taken; `details` names each field and what is wrong.
    #[error("{0}")]
    InvalidInput(String, Vec<pulse_shared::DefinitionError>),
    /// 422: a request that is well formed but cannot be carried out as asked (says why).
    #[error("{0}")]
    Unprocessable(String),
    /// 409: the request conflicts with what is stored (e.g. a version already published).
    #[error("{0}")]
    Conflict(String),
    /// 408: the request (often a body sent too slowly) took longer than the server waits.
    #[error("the request took too long")]
    Timeout,
    /// 429: this client address sent more requests than the rate limit allows; retry after the
    /// given seconds.
    #[error("too many requests from this address; try again in {0} seconds")]
    RateLimited(u64),
    /// 503: the server is handling as many requests as it takes at once; retry shortly.
    #[error("the service is busy; try again shortly")]
    Overloaded,
    /// 503: the store is shutting down; the client should retry later.
    #[error("the service is shutting down; try again shortly")]
    Unavailable,
    /// 500: storage failed; logged with its sources, reported to the client without detail.
    #[error("internal error")]
    Storage(#[source] StoreError),
    /// 500: logged in full, reported to the client without detail.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    /// The error with each field's problem on a line of its own, for the command line.
    pub fn with_details(&self) -> String {
        match self {
            ApiError::InvalidInput(what, problems) => {
                let list: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
                format!("{what}:\n{}", list.join("\n"))
            }
            ApiError::BadQuery(why) | ApiError::MalformedJson(why) | ApiError::MalformedToml(why) => {
                format!("{self}: {why}")
            }
            other => other.to_string(),
        }
    }

    pub fn status_code(&self) -> StatusCode {
        match self {
            ApiError::MalformedJson(_)
            | ApiError::MalformedToml(_)
            | ApiError::BadQuery(_)
            | ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::OriginNotAllowed(_) | ApiError::SurveyClosed(_) | ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Invalid(_)
            | ApiError::InvalidDefinition(_)
            | ApiError::InvalidInput(..)
            | ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Timeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Overloaded | ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) | ApiError::Storage(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Closed => ApiError::Unavailable,
            StoreError::Conflict(why) => ApiError::Conflict(why),
            StoreError::NotFound(why) => ApiError::NotFound(why),
            other => ApiError::Storage(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status_code();
        let details = match &self {
            ApiError::MalformedJson(why) | ApiError::MalformedToml(why) | ApiError::BadQuery(why) => json!([why]),
            ApiError::Invalid(errors) => json!(errors),
            ApiError::InvalidDefinition(errors) | ApiError::InvalidInput(_, errors) => {
                json!(errors.iter().map(|e| json!({"field": e.field, "message": e.message})).collect::<Vec<_>>())
            }
            _ => json!([]),
        };
        let mut response = (status, Json(json!({ "error": self.to_string(), "details": details }))).into_response();
        let inside = match &self {
            ApiError::Internal(why) => Some(ServerError { kind: "internal error", error: why.clone(), causes: vec![] }),
            ApiError::Storage(e) => {
                let mut causes = Vec::new();
                let mut source = std::error::Error::source(e);
                while let Some(cause) = source {
                    causes.push(cause.to_string());
                    source = cause.source();
                }
                Some(ServerError { kind: "storage error", error: e.to_string(), causes })
            }
            _ => None,
        };
        if let Some(inside) = inside {
            response.extensions_mut().insert(inside);
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        let retry_after = match &self {
            ApiError::RateLimited(secs) => Some(*secs),
            ApiError::Overloaded | ApiError::Unavailable => Some(1),
            _ => None,
        };
        if let Some(secs) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// What went wrong inside the server behind a 500, kept with the response (never sent) for the one
/// layer that logs it, [`log_server_errors`].
#[derive(Debug, Clone)]
pub struct ServerError {
    kind: &'static str,
    error: String,
    causes: Vec<String>,
}

/// Logs the server's own failures, in the request's span (method and path only); everything else
/// an error says is for the client, in its JSON.
pub async fn log_server_errors(response: Response) -> Response {
    if let Some(e) = response.extensions().get::<ServerError>() {
        tracing::error!(error = %e.error, causes = ?e.causes, "{}", e.kind);
    }
    response
}

/// The shape of every error, for the API's documentation.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What is wrong, in a sentence.
    pub error: String,
    /// Specifics: field errors (`field`, `code`, `message`) for 422, a parser's message for 400.
    pub details: Vec<serde_json::Value>,
}
