//! The JSON API's errors: the one place that knows their status codes and wording. Bodies are
//! ours, never the parser's text, which could echo the submitted values.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

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
}

impl ApiError {
    pub fn status(self) -> StatusCode {
        match self {
            ApiError::MalformedJson | ApiError::BadMode => StatusCode::BAD_REQUEST,
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
        (
            self.status(),
            Json(serde_json::json!({ "error": self.to_string() })),
        )
            .into_response()
    }
}
