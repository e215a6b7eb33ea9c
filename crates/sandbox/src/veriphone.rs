//! Veriphone v2: `GET`/`POST /v2/verify?phone=…&key=…&default_country=…` (providers.md §3).
//!
//! The key is read as Veriphone documents: `Authorization: Bearer` first, then a `key` cookie,
//! then `key=` (query string, or a POST body). Any non-empty key works except `invalid` (401).
//! The verdict comes from [`vouch_offline::phone::analyze`] with `default_country` (default
//! `US`) as the region for numbers without `+`. An invalid or unparsable number is still a 200
//! with `status: success` and `phone_valid: false`, as the real service answers. `carrier` is
//! always `""`: no carrier data ships offline.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

use super::faults::Fault;
use super::{Provider, Shared};
use vouch_offline::phone::{self, PhoneFacts};

/// Keys the sandbox refuses, so a client's bad-key path can be exercised.
const REJECTED_KEYS: [&str; 1] = ["invalid"];

/// The twelve fields, in the documented order.
#[derive(Debug, Serialize)]
struct VeriphoneBody {
    status: &'static str,
    phone: String,
    phone_valid: bool,
    phone_type: &'static str,
    phone_region: &'static str,
    country: &'static str,
    country_code: String,
    country_prefix: String,
    international_number: String,
    local_number: String,
    e164: String,
    carrier: &'static str,
}

/// `GET /v2/verify`.
pub(crate) async fn verify(
    State(sandbox): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    respond(&sandbox, &headers, pairs(query.as_deref())).await
}

/// `POST /v2/verify`: parameters from the query string and a form or JSON body.
pub(crate) async fn verify_post(
    State(sandbox): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut params = pairs(query.as_deref());
    let json = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"));
    if json {
        let map: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(&body).unwrap_or_default();
        params.extend(
            map.into_iter()
                .filter_map(|(k, v)| Some((k, v.as_str()?.to_owned()))),
        );
    } else {
        params.extend(
            serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body).unwrap_or_default(),
        );
    }
    respond(&sandbox, &headers, params).await
}

fn pairs(query: Option<&str>) -> Vec<(String, String)> {
    serde_urlencoded::from_str(query.unwrap_or("")).unwrap_or_default()
}

async fn respond(sandbox: &Shared, headers: &HeaderMap, params: Vec<(String, String)>) -> Response {
    let forced = match Fault::from_headers(headers) {
        Ok(fault) => fault,
        Err(unknown) => return unknown.into_response(),
    };
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.as_str())
    };
    let key = bearer(headers)
        .or_else(|| cookie_key(headers))
        .or_else(|| param("key"));
    let answer = match (key, param("phone")) {
        (None, _) => error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "API key or token required",
        ),
        (Some(key), _) if REJECTED_KEYS.contains(&key.trim()) => error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "Invalid API key or token",
        ),
        (Some(_), None) => error(
            StatusCode::BAD_REQUEST,
            "MissingParameter",
            "phone is required",
        ),
        (Some(_), Some(number)) => {
            let region = param("default_country")
                .unwrap_or("US")
                .trim()
                .to_ascii_uppercase();
            Provider::Veriphone.json(StatusCode::OK, &verdict(number, &region))
        }
    };
    sandbox.deliver(Provider::Veriphone, forced, answer).await
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

fn cookie_key(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == "key" && !value.is_empty())
        .map(|(_, value)| value)
}

fn verdict(number: &str, default_region: &str) -> VeriphoneBody {
    match phone::analyze(number, default_region) {
        Ok(facts) => from_facts(number, default_region, facts),
        Err(_) => {
            // Like Veriphone's recorded answer for a number it cannot place: the country
            // fields come from `default_country`, the formats from the digits as typed.
            let prefix = country_prefix(default_region);
            let digits: String = number.chars().filter(char::is_ascii_digit).collect();
            let (international, e164) = match (digits.is_empty(), number.trim().starts_with('+')) {
                (true, _) => (String::new(), String::new()),
                (false, true) => (format!("+{digits}"), format!("+{digits}")),
                (false, false) => (format!("+{prefix} {digits}"), format!("+{prefix}{digits}")),
            };
            VeriphoneBody {
                status: "success",
                phone: number.to_owned(),
                phone_valid: false,
                phone_type: "unknown",
                phone_region: "",
                country: phone::country_name(default_region),
                country_code: default_region.to_owned(),
                country_prefix: prefix,
                international_number: international,
                local_number: digits,
                e164,
                carrier: "",
            }
        }
    }
}

fn from_facts(number: &str, default_region: &str, facts: PhoneFacts) -> VeriphoneBody {
    let region = facts.region.unwrap_or(default_region);
    VeriphoneBody {
        status: "success",
        phone: number.to_owned(),
        phone_valid: facts.valid,
        // Veriphone calls every number it does not know `unknown`, whatever its shape.
        phone_type: if facts.valid {
            facts.kind.wire_name()
        } else {
            "unknown"
        },
        phone_region: if facts.valid {
            phone::country_name(region)
        } else {
            ""
        },
        country: phone::country_name(region),
        country_code: region.to_owned(),
        country_prefix: facts.country_prefix.to_string(),
        international_number: facts.international,
        local_number: facts.national,
        e164: facts.e164,
        carrier: "",
    }
}

/// The calling code of a region (`US` → `1`), `""` for a code libphonenumber does not know.
fn country_prefix(region: &str) -> String {
    phone::calling_code(region).map_or_else(String::new, |code| code.to_string())
}

/// Veriphone's error body: `{"status": "error", "code", "type", "message"}`.
pub(crate) fn error(status: StatusCode, kind: &str, message: &str) -> Response {
    let body =
        json!({"status": "error", "code": status.as_u16(), "type": kind, "message": message});
    Provider::Veriphone.json(status, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_follow_the_offline_metadata() {
        // (number, default country, valid, country_code, e164)
        let cases = [
            ("(202) 456-1111", "US", true, "US", "+12024561111"),
            ("+44 20 7946 0958", "US", true, "GB", "+442079460958"),
            ("+4915123577723", "US", true, "DE", "+4915123577723"),
            ("123-456-7890", "US", false, "US", "+11234567890"),
            ("895767133", "IN", false, "IN", "+91895767133"),
            ("hello", "US", false, "US", ""),
        ];
        for (number, region, valid, code, e164) in cases {
            let a = verdict(number, region);
            let got = (a.phone_valid, a.country_code.as_str(), a.e164.as_str());
            assert_eq!(got, (valid, code, e164), "{number}");
            assert_eq!(
                (a.status, a.carrier, a.phone.as_str()),
                ("success", "", number)
            );
            if !valid {
                assert_eq!((a.phone_type, a.phone_region), ("unknown", ""), "{number}");
            }
        }
    }

    #[test]
    fn a_german_mobile_matches_the_published_example() {
        let a = verdict("+4915123577723", "US");
        assert_eq!(
            (a.phone_type, a.country, a.country_prefix.as_str()),
            ("mobile", "Germany", "49")
        );
        assert_eq!(a.international_number, "+49 1512 3577723");
        assert_eq!(a.local_number, "01512 3577723");
    }
}
