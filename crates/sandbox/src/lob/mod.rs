//! Lob US verifications: `POST /v1/us_verifications` (providers.md §2).
//!
//! Order of checks, as a client meets them: Basic auth (401), the per-key rate limit (429),
//! the body (422), then a fault trigger, a test-mode magic value ([`canned`]), or a real
//! verdict ([`answer`]). Every answer, errors included, carries the rate-limit headers.

mod answer;
mod canned;
mod ratelimit;
mod request;
mod single_line;
mod unit;
mod wire;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

pub(crate) use ratelimit::RateLimiter;

use super::faults::Fault;
use super::{Provider, Shared};
use ratelimit::Quota;
use request::{AuthError, BodyError, Fields};

/// Lob's documented field length limits.
const MAX_LENGTHS: [(&str, usize); 7] = [
    ("recipient", 500),
    ("primary_line", 200),
    ("secondary_line", 200),
    ("urbanization", 200),
    ("city", 200),
    ("state", 50),
    ("address", 500),
];

/// `POST /v1/us_verifications`.
pub(crate) async fn verify(
    State(sandbox): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let forced = match Fault::from_headers(&headers) {
        Ok(fault) => fault,
        Err(unknown) => return unknown.into_response(),
    };
    let (quota, outcome) = decide(&sandbox, &headers, query.as_deref(), &body);
    let (answer, trigger) = match outcome {
        Ok((verification, trigger)) => (Provider::Lob.json(StatusCode::OK, &verification), trigger),
        Err(error) => (error.into_response(), None),
    };
    let mut response = sandbox
        .deliver(Provider::Lob, forced.or(trigger), answer)
        .await;
    quota.apply(response.headers_mut());
    response
}

/// One of Lob's error answers (providers.md §2.5).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status} {code}: {message}")]
struct LobError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl LobError {
    fn invalid(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid",
            message: message.into(),
        }
    }
}

impl IntoResponse for LobError {
    fn into_response(self) -> Response {
        error(self.status, self.code, &self.message)
    }
}

type Outcome = Result<(wire::UsVerification, Option<Fault>), LobError>;

fn decide(
    sandbox: &Shared,
    headers: &HeaderMap,
    query: Option<&str>,
    body: &[u8],
) -> (Quota, Outcome) {
    let key = match request::api_key(headers) {
        Ok(key) => key,
        Err(e) => {
            let code = match e {
                AuthError::Missing => "unauthorized",
                AuthError::Invalid => "invalid_api_key",
            };
            let status = StatusCode::UNAUTHORIZED;
            return (
                Quota::unmetered(),
                Err(LobError {
                    status,
                    code,
                    message: e.to_string(),
                }),
            );
        }
    };
    let quota = sandbox.lob_limits.charge(&key);
    if !quota.allowed {
        return (
            quota,
            Err(LobError {
                status: StatusCode::TOO_MANY_REQUESTS,
                code: "rate_limit_exceeded",
                message: "Rate limit exceeded. Please wait 5 seconds and try your request again."
                    .into(),
            }),
        );
    }
    (quota, answer(headers, query, body))
}

fn answer(headers: &HeaderMap, query: Option<&str>, body: &[u8]) -> Outcome {
    let proper = proper_case(query).map_err(LobError::invalid)?;
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let fields = request::parse_body(content_type, body).map_err(|e| match e {
        BodyError::Unsupported => LobError {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code: "invalid",
            message: e.to_string(),
        },
        BodyError::Malformed(message) => LobError::invalid(message),
    })?;
    let line = match (&fields.address, &fields.primary_line) {
        (Some(_), _) if fields.has_components() => {
            return Err(LobError::invalid(
                "address cannot be combined with other address fields",
            ));
        }
        (Some(line), _) | (None, Some(line)) => line.clone(),
        (None, None) => {
            return Err(LobError::invalid(
                "primary_line is required or address is required",
            ));
        }
    };
    check_lengths(&fields)?;
    let trigger = Fault::from_street(&line);
    let verification = match canned::lookup(&line) {
        Some(canned) => canned,
        None if fields.address.is_some() => answer::verify(&single_line::split(&line)),
        None => {
            check_zip_or_city_state(&fields)?;
            answer::verify(&fields)
        }
    };
    Ok((
        if proper {
            verification.into_proper_case()
        } else {
            verification
        },
        trigger,
    ))
}

/// `case=upper` (the default) or `case=proper`.
fn proper_case(query: Option<&str>) -> Result<bool, String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|e| format!("invalid query string: {e}"))?;
    match pairs
        .iter()
        .rev()
        .find(|(name, _)| name == "case")
        .map(|(_, v)| v.as_str())
    {
        None | Some("upper") => Ok(false),
        Some("proper") => Ok(true),
        Some(_) => Err("case must be one of [upper, proper]".into()),
    }
}

fn check_lengths(fields: &Fields) -> Result<(), LobError> {
    let value = |name: &str| match name {
        "recipient" => &fields.recipient,
        "primary_line" => &fields.primary_line,
        "secondary_line" => &fields.secondary_line,
        "urbanization" => &fields.urbanization,
        "city" => &fields.city,
        "state" => &fields.state,
        _ => &fields.address,
    };
    for (name, max) in MAX_LENGTHS {
        if value(name)
            .as_ref()
            .is_some_and(|v| v.chars().count() > max)
        {
            return Err(LobError::invalid(format!(
                "{name} must be less than or equal to {max} characters long"
            )));
        }
    }
    Ok(())
}

/// Lob needs a ZIP, or city and state together, and takes ZIPs as `12345`, `12345-6789` or
/// `123456789`.
fn check_zip_or_city_state(fields: &Fields) -> Result<(), LobError> {
    match &fields.zip_code {
        Some(zip) if vouch_offline::zip::ZipCode::parse(zip).is_none() => Err(LobError::invalid(
            "zip_code must be in a valid zip or zip+4 format",
        )),
        Some(_) => Ok(()),
        None if fields.city.is_some() && fields.state.is_some() => Ok(()),
        None => Err(LobError::invalid(
            "zip_code is required or both city and state are required",
        )),
    }
}

/// Lob's error body: `{"error": {"message", "status_code", "code"}}`.
pub(crate) fn error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({"error": {"message": message, "status_code": status.as_u16(), "code": code}});
    Provider::Lob.json(status, &body)
}
