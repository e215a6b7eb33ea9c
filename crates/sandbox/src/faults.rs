//! Injected failures, so clients can be tested against every way a provider misbehaves.
//!
//! A fault replaces the provider's answer with one of:
//!
//! | name             | what the client sees                                              |
//! |------------------|-------------------------------------------------------------------|
//! | `500`            | HTTP 500 with an HTML body (what a proxy in front of a provider sends) |
//! | `garbage`        | HTTP 200, the provider's JSON content type, a body that is not JSON |
//! | `timeout`        | no answer for [`TIMEOUT`] (60 s), far past any client's deadline  |
//! | `drop`           | the connection closes before a complete response arrives         |
//! | `missing-fields` | HTTP 200 with JSON that lacks the fields a client requires        |
//!
//! Deterministic triggers (checked in this order):
//!
//! 1. the request header `X-Sandbox-Fault: <name>` on any provider path (an unknown name is a
//!    400, so a typo in a test fails loudly);
//! 2. Eva: an email whose local part is `sandbox-fault-<name>`, e.g.
//!    `sandbox-fault-timeout@example.com`;
//! 3. Lob: a `primary_line` (or single-line `address`) of `sandbox fault <name>`, e.g.
//!    `sandbox fault 500` or `sandbox fault missing fields`.
//!
//! Veriphone has only the header: vouch rejects impossible numbers before calling, so no
//! reserved number would ever reach the sandbox. Names match case-insensitively; `-` and a
//! space are interchangeable. Without a trigger, [`FaultRates`] injects `500`, `timeout` and
//! `garbage` at random (repeatably with a seed).

use std::sync::Mutex;
use std::time::Duration;

use axum::body::Body;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::Provider;

/// How long a `timeout` fault withholds its answer: longer than any sensible client timeout,
/// still only a timer.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(60);
/// The request header that forces a fault.
pub const FAULT_HEADER: &str = "x-sandbox-fault";

/// One simulated failure; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    ServerError,
    Garbage,
    Timeout,
    Drop,
    MissingFields,
}

impl Fault {
    /// Parses a fault name (`500`, `garbage`, `timeout`, `drop`, `missing-fields`).
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().replace(' ', "-").as_str() {
            "500" => Some(Self::ServerError),
            "garbage" => Some(Self::Garbage),
            "timeout" => Some(Self::Timeout),
            "drop" => Some(Self::Drop),
            "missing-fields" => Some(Self::MissingFields),
            _ => None,
        }
    }

    /// The fault named by `X-Sandbox-Fault`, if the header is present.
    pub(crate) fn from_headers(headers: &HeaderMap) -> Result<Option<Self>, UnknownFault> {
        headers
            .get(FAULT_HEADER)
            .map(|value| {
                value
                    .to_str()
                    .ok()
                    .and_then(Self::from_name)
                    .ok_or(UnknownFault)
            })
            .transpose()
    }

    /// Eva trigger: local part `sandbox-fault-<name>`.
    pub(crate) fn from_email(email: &str) -> Option<Self> {
        let local = email.rsplit_once('@').map_or(email, |(local, _)| local);
        strip_prefix_ci(local.trim(), "sandbox-fault-").and_then(Self::from_name)
    }

    /// Lob trigger: street line `sandbox fault <name>`.
    pub(crate) fn from_street(line: &str) -> Option<Self> {
        strip_prefix_ci(line.trim(), "sandbox fault ").and_then(Self::from_name)
    }

    /// The answer that stands in for the provider's (not used for `Timeout`, which only waits).
    pub(crate) fn response(self, provider: Provider) -> Response {
        let json = provider.content_type();
        match self {
            Self::ServerError => (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(CONTENT_TYPE, HeaderValue::from_static("text/html"))],
                "<html><head><title>500 Internal Server Error</title></head>\
                 <body><h1>500 Internal Server Error</h1><hr>nginx</body></html>\n",
            )
                .into_response(),
            Self::Garbage => (
                StatusCode::OK,
                [(CONTENT_TYPE, json)],
                "<!DOCTYPE html><html><body>Service temporarily unavailable</body></html>\n",
            )
                .into_response(),
            Self::MissingFields => {
                let body = match provider {
                    Provider::Eva => r#"{"status":"success"}"#,
                    Provider::Lob => r#"{"id":"us_ver_sandbox_fault","object":"us_verification"}"#,
                    Provider::Veriphone => r#"{"status":"success","phone":""}"#,
                };
                (StatusCode::OK, [(CONTENT_TYPE, json)], body).into_response()
            }
            // The body stream fails before its first chunk, and hyper closes the connection
            // without sending even the status line (reqwest: `IncompleteMessage` at `send`).
            // A `Timeout` cut short by shutdown ends the same way: it must not look answered.
            Self::Drop | Self::Timeout => {
                let broken = futures::stream::once(async {
                    Err::<axum::body::Bytes, _>(std::io::Error::other("sandbox fault: drop"))
                });
                (
                    StatusCode::OK,
                    [(CONTENT_TYPE, json)],
                    Body::from_stream(broken),
                )
                    .into_response()
            }
        }
    }
}

/// `X-Sandbox-Fault` names no fault we know; answered with a 400 so a typo fails loudly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown X-Sandbox-Fault; expected 500, garbage, timeout, drop or missing-fields")]
pub(crate) struct UnknownFault;

impl IntoResponse for UnknownFault {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": self.to_string()});
        (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
    }
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// Probabilities of random faults per request, each in `[0, 1]`. They are tried in the order
/// error, timeout, garbage on one uniform draw, so their sum should stay at or below 1.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FaultRates {
    pub error: f64,
    pub timeout: f64,
    pub garbage: f64,
}

impl FaultRates {
    /// Rates forced into `[0, 1]`; a NaN counts as 0.
    fn sanitized(self) -> Self {
        let p = |rate: f64| {
            if rate.is_nan() {
                0.0
            } else {
                rate.clamp(0.0, 1.0)
            }
        };
        Self {
            error: p(self.error),
            timeout: p(self.timeout),
            garbage: p(self.garbage),
        }
    }
}

/// Random fault source; its lock is held only for one draw.
#[derive(Debug)]
pub(crate) struct FaultDice {
    rates: FaultRates,
    rng: Mutex<StdRng>,
}

impl FaultDice {
    pub(crate) fn new(rates: FaultRates, seed: Option<u64>) -> Self {
        // A different stream from the latency model's, so turning faults on does not change
        // the seeded latency sequence.
        let rng = seed.map_or_else(rand::make_rng, |s| StdRng::seed_from_u64(s ^ 0xFA17));
        Self {
            rates: rates.sanitized(),
            rng: Mutex::new(rng),
        }
    }

    /// A random fault for the next request, or none.
    pub(crate) fn roll(&self) -> Option<Fault> {
        let FaultRates {
            error,
            timeout,
            garbage,
        } = self.rates;
        if error + timeout + garbage == 0.0 {
            return None;
        }
        let draw: f64 = self.rng.lock().unwrap_or_else(|e| e.into_inner()).random();
        let (timeout, garbage) = (error + timeout, error + timeout + garbage);
        if draw < error {
            Some(Fault::ServerError)
        } else if draw < timeout {
            Some(Fault::Timeout)
        } else if draw < garbage {
            Some(Fault::Garbage)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers_are_recognised_in_any_case_and_spacing() {
        let cases = [
            (
                Fault::from_email("sandbox-fault-500@example.com"),
                Some(Fault::ServerError),
            ),
            (
                Fault::from_email("Sandbox-Fault-Timeout@x.io"),
                Some(Fault::Timeout),
            ),
            (
                Fault::from_email("sandbox-fault-missing-fields@x.io"),
                Some(Fault::MissingFields),
            ),
            (Fault::from_email("sandbox-fault-nope@x.io"), None),
            (Fault::from_email("jane@sandbox-fault-500.com"), None),
            (
                Fault::from_street("  SANDBOX FAULT garbage "),
                Some(Fault::Garbage),
            ),
            (
                Fault::from_street("sandbox fault missing fields"),
                Some(Fault::MissingFields),
            ),
            (Fault::from_street("sandbox fault drop"), Some(Fault::Drop)),
            (Fault::from_street("1 sandbox fault drop"), None),
            (Fault::from_street("sandbox"), None),
        ];
        for (i, (got, want)) in cases.into_iter().enumerate() {
            assert_eq!(got, want, "case {i}");
        }
    }

    #[test]
    fn unknown_header_value_is_a_bad_request() {
        let mut headers = HeaderMap::new();
        headers.insert(FAULT_HEADER, HeaderValue::from_static("explode"));
        let err = Fault::from_headers(&headers).expect_err("unknown name");
        assert_eq!(err.into_response().status(), StatusCode::BAD_REQUEST);
        headers.insert(FAULT_HEADER, HeaderValue::from_static("Missing-Fields"));
        assert_eq!(
            Fault::from_headers(&headers).ok(),
            Some(Some(Fault::MissingFields))
        );
    }

    #[test]
    fn random_faults_follow_the_rates() {
        let rates = FaultRates {
            error: 0.1,
            timeout: 0.05,
            garbage: 0.2,
        };
        let dice = FaultDice::new(rates, Some(1));
        let rolls: Vec<_> = (0..20_000).map(|_| dice.roll()).collect();
        let share = |f| rolls.iter().filter(|r| **r == Some(f)).count() as f64 / 20_000.0;
        assert!((share(Fault::ServerError) - 0.1).abs() < 0.01);
        assert!((share(Fault::Timeout) - 0.05).abs() < 0.01);
        assert!((share(Fault::Garbage) - 0.2).abs() < 0.01);
        let again = FaultDice::new(rates, Some(1));
        assert!(
            rolls.iter().take(500).all(|r| *r == again.roll()),
            "seeded rolls repeat"
        );
    }

    #[test]
    fn zero_and_nonsense_rates_never_fault() {
        let nan = FaultRates {
            error: f64::NAN,
            timeout: -1.0,
            garbage: 0.0,
        };
        for rates in [FaultRates::default(), nan] {
            let dice = FaultDice::new(rates, None);
            assert!((0..1000).all(|_| dice.roll().is_none()), "{rates:?}");
        }
    }
}
