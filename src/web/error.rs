//! The JSON API's errors: the one place that knows their status codes and wording. Bodies are
//! ours, never the parser's text, which could echo the submitted values.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::json::ErrorBody;

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
}

impl ApiError {
    pub fn status(self) -> StatusCode {
        match self {
            ApiError::MalformedJson | ApiError::BadMode => StatusCode::BAD_REQUEST,
            ApiError::UnknownGroup | ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::WrongShape => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(_) => ApiError::WrongShape,
            JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
            r if r.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge,
            _ => ApiError::MalformedJson,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.to_string(),
        };
        (self.status(), Json(body)).into_response()
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
    /// Live providers, no API tokens and `VOUCH_API_OPEN` not `true`: the API is closed.
    #[response(status = 403)]
    Forbidden(ErrorBody),
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
