//! The JSON API's errors: the one place that knows their status codes and wording. Bodies are
//! ours, never the parser's text, which could echo the submitted values.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::body::timed_out;
use super::json::ErrorBody;
use super::ratelimit::RetryAfter;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// 400: the body is not JSON, or `mode` is not one of the two.
    #[error("the body is not valid JSON")]
    MalformedJson,
    #[error("mode must be `concurrent` or `sequential`")]
    BadMode,
    /// 404: a group other than the three, or no such API path.
    #[error("group must be `email`, `phone` or `address`")]
    UnknownGroup,
    #[error("no such API endpoint: see /openapi.json")]
    NotFound,
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
            ApiError::UnknownGroup | ApiError::NotFound => StatusCode::NOT_FOUND,
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
        let body = ErrorBody {
            error: self.to_string(),
        };
        let mut response = (self.status(), Json(body)).into_response();
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

/// The errors every JSON operation may answer, for `/openapi.json`: the statuses above, and
/// those the abuse protection in front of the API answers (design.md, "Abuse and web security").
#[derive(utoipa::IntoResponses)]
pub enum ErrorResponses {
    /// The body is not JSON, or a query parameter is not one of its documented values.
    #[response(status = 400)]
    BadRequest(ErrorBody),
    /// `VOUCH_API_TOKENS` is set and no `Authorization: Bearer <token>` names one of them.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// Live providers, no API tokens and `VOUCH_API_OPEN` not `true`: the API is closed. Or a
    /// browser sent the call from another site's page.
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// The body did not arrive within 10 s of the headers.
    #[response(status = 408)]
    BodyTimeout(ErrorBody),
    /// The body is over the 64 KiB limit.
    #[response(status = 413)]
    TooLarge(ErrorBody),
    /// The body is not sent as `Content-Type: application/json`.
    #[response(status = 415)]
    UnsupportedMediaType(ErrorBody),
    /// JSON, but not an object whose values are strings.
    #[response(status = 422)]
    WrongShape(ErrorBody),
    /// Over the client's rate limit; no provider was called.
    #[response(
        status = 429,
        headers(("Retry-After" = u64, description = "Seconds until a validation is allowed again."))
    )]
    TooManyRequests(ErrorBody),
}
