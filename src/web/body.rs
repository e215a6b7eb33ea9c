//! Reading a posted form: as bytes (within the size and time limits), checked to be UTF-8,
//! then into a [`RawForm`].
//!
//! axum's `Form` turns bytes that are not UTF-8 into U+FFFD without a word, so the value
//! validated could differ from the one sent; here such a form is refused with `400` instead,
//! whether the bad bytes are raw or percent-encoded (`%FF`).

use std::error::Error;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode;

use crate::domain::form::RawForm;

/// A form body read strictly: see the module docs.
pub struct FormBody(pub RawForm);

/// Why a form body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FormRejection {
    #[error("not sent as application/x-www-form-urlencoded")]
    NotAForm,
    #[error("over the size limit")]
    TooLarge,
    #[error("did not arrive in time")]
    TimedOut,
    #[error("not UTF-8 text")]
    NotUtf8,
    #[error("not a readable form")]
    Malformed,
}

impl FormRejection {
    /// The status of the page that says so.
    pub fn status(self) -> StatusCode {
        match self {
            FormRejection::NotAForm => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            FormRejection::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            FormRejection::TimedOut => StatusCode::REQUEST_TIMEOUT,
            FormRejection::NotUtf8 | FormRejection::Malformed => StatusCode::BAD_REQUEST,
        }
    }
}

/// Handlers take `Result<FormBody, FormRejection>` and render their own page; this plain
/// answer is only for a handler that does not.
impl IntoResponse for FormRejection {
    fn into_response(self) -> Response {
        (self.status(), self.to_string()).into_response()
    }
}

impl<S: Send + Sync> FromRequest<S> for FormBody {
    type Rejection = FormRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_form(request.headers()) {
            return Err(FormRejection::NotAForm);
        }
        // `Bytes` keeps to the route's DefaultBodyLimit.
        let bytes =
            Bytes::from_request(request, state)
                .await
                .map_err(|rejection| match rejection.status() {
                    StatusCode::PAYLOAD_TOO_LARGE => FormRejection::TooLarge,
                    _ if timed_out(&rejection) => FormRejection::TimedOut,
                    _ => FormRejection::Malformed,
                })?;
        read_form(&bytes).map(FormBody)
    }
}

fn is_form(headers: &HeaderMap) -> bool {
    let content_type = headers.get(header::CONTENT_TYPE).map(|v| v.as_bytes());
    let essence = content_type.map(|v| v.split(|b| *b == b';').next().unwrap_or(v).trim_ascii());
    essence.is_some_and(|e| e.eq_ignore_ascii_case(b"application/x-www-form-urlencoded"))
}

/// An urlencoded body as a [`RawForm`] ([`RawForm::from_pairs`]: unknown names ignored, the
/// last of a repeated name kept), refusing bytes that are not UTF-8 before or after
/// percent-decoding. Pure, so the fuzzer and the benchmark call it directly.
pub fn read_form(body: &[u8]) -> Result<RawForm, FormRejection> {
    if std::str::from_utf8(body).is_err() {
        return Err(FormRejection::NotUtf8);
    }
    let decodes = |part: &[u8]| percent_decode(part).decode_utf8().is_ok();
    let every_part_decodes = body
        .split(|b| *b == b'&')
        .flat_map(|pair| pair.splitn(2, |b| *b == b'='))
        .all(decodes);
    if !every_part_decodes {
        return Err(FormRejection::NotUtf8);
    }
    // Nothing is left for serde_urlencoded to repair.
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(body).map_err(|_| FormRejection::Malformed)?;
    Ok(RawForm::from_pairs(pairs))
}

/// Whether a body-reading failure was the body deadline expiring (tower-http's
/// `TimeoutError`, somewhere down the chain of causes).
pub fn timed_out(error: &(dyn Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(err) = cause {
        if err.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        cause = err.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn a_utf8_form_reads_into_its_fields() {
        let raw = read_form(b"firstName=Jos%C3%A9&city=San+Francisco&email=a%40b.co&x=1").unwrap();
        assert_eq!(raw.first_name, "José");
        assert_eq!(raw.city, "San Francisco");
        assert_eq!(raw.email, "a@b.co");
        assert_eq!(raw.zip, "", "a missing key is empty");
        assert_eq!(read_form(b"").unwrap(), RawForm::default());
    }

    #[test]
    fn bytes_that_are_not_utf8_are_refused_raw_or_encoded() {
        let cases: [&[u8]; 6] = [
            b"firstName=\xff\xfe",
            b"firstName=%FF%FE",
            b"first%C3Name=x",
            b"city=%C3",
            b"city=%ED%A0%80", // an encoded surrogate
            b"city=ok&zip=%E2%82",
        ];
        for body in cases {
            assert_eq!(read_form(body), Err(FormRejection::NotUtf8), "{body:?}");
        }
    }

    #[test]
    fn a_field_sent_twice_keeps_its_last_value_and_odd_encoding_is_read_as_sent() {
        // A suggestion button (`name="email" value="…"`) comes after its field.
        let twice = read_form(b"firstName=a&firstName=b").unwrap();
        assert_eq!(twice.first_name, "b");
        // Stray `%` are kept as typed, like every browser's encoder would have sent them.
        assert_eq!(read_form(b"city=100%&zip=%%").unwrap().city, "100%");
        assert!(read_form(b"%%%&&&===").is_ok());
    }

    #[test]
    fn only_the_urlencoded_type_is_a_form() {
        let with = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(v));
            h
        };
        assert!(is_form(&with("application/x-www-form-urlencoded")));
        assert!(is_form(&with(
            "Application/X-WWW-Form-Urlencoded; charset=UTF-8"
        )));
        assert!(!is_form(&with("multipart/form-data; boundary=x")));
        assert!(!is_form(&with("text/plain")));
        assert!(!is_form(&HeaderMap::new()));
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;
    use proptest::test_runner::Config;

    use super::*;

    proptest! {
        #![proptest_config(Config { failure_persistence: None, cases: 512, ..Config::default() })]

        #[test]
        fn any_body_is_read_or_refused_without_panicking(body in prop::collection::vec(any::<u8>(), 0..4096)) {
            let _ = read_form(&body);
        }

        #[test]
        fn what_a_browser_encodes_is_read_back_exactly(values in prop::array::uniform9(any::<String>())) {
            let names = ["firstName", "lastName", "email", "phoneNumber", "address", "address2", "city", "state", "zip"];
            let pairs: Vec<(&str, &str)> = names.iter().copied().zip(values.iter().map(String::as_str)).collect();
            let body = serde_urlencoded::to_string(&pairs).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let raw = read_form(body.as_bytes()).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let got = [&raw.first_name, &raw.last_name, &raw.email, &raw.phone_number, &raw.address,
                &raw.address2, &raw.city, &raw.state, &raw.zip];
            for (got, sent) in got.into_iter().zip(&values) {
                prop_assert_eq!(got, sent);
            }
        }
    }
}
