//! The JSON API's errors: the one place that knows their status codes and wording. Bodies are
//! ours, never the parser's text, which could echo the submitted values.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::body::timed_out;
use super::ratelimit::RetryAfter;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// 400: the body is not JSON, or `mode` is not one of the two.
    #[error("the body is not valid JSON")]
    MalformedJson,
    #[error("mode must be `concurrent` or `sequential`")]
    BadMode,
    /// 413: over the 64 KiB limit.
    #[error("the body is over the 64 KiB limit")]
    TooLarge,
    /// 415: not `application/json`.
    #[error("expected Content-Type: application/json")]
    UnsupportedMediaType,
    /// 422: JSON, but not an object of strings.
    #[error("expected a JSON object whose values are strings")]
    WrongShape,
    /// 408: the body did not arrive within the server's time limit.
    #[error("the body took too long to arrive")]
    BodyTimeout,
    /// 401: tokens are configured and the call has none of them.
    #[error("this API needs an Authorization: Bearer <token> header with a valid token")]
    Unauthorized,
    /// 403: live providers and no tokens: the API is closed until opened on purpose.
    #[error(
        "the JSON API is closed: it calls paid providers; set VOUCH_API_TOKENS to require tokens, or VOUCH_API_OPEN=true to open it to anyone"
    )]
    ApiClosed,
    /// 403: a browser sent this from another site's page.
    #[error("cross-site requests are not accepted")]
    CrossSite,
    /// 429: over the client's rate limit; `Retry-After` says when to try again.
    #[error("too many requests from this client; try again after the Retry-After delay")]
    TooManyRequests(RetryAfter),
}

impl ApiError {
    pub fn status(self) -> StatusCode {
        match self {
            ApiError::MalformedJson | ApiError::BadMode => StatusCode::BAD_REQUEST,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::WrongShape => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::ApiClosed | ApiError::CrossSite => StatusCode::FORBIDDEN,
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(_) => ApiError::WrongShape,
            JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
            r if r.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge,
            r if timed_out(&r) => ApiError::BodyTimeout,
            _ => ApiError::MalformedJson,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status(),
            Json(serde_json::json!({ "error": self.to_string() })),
        )
            .into_response();
        let headers = response.headers_mut();
        match self {
            ApiError::TooManyRequests(RetryAfter(secs)) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            // RFC 6750: a 401 names the scheme that would have worked.
            ApiError::Unauthorized => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            _ => {}
        }
        response
    }
}
