//! Eva: `GET /email?email=ADDRESS` (providers.md §1). No auth.
//!
//! The verdict comes from [`vouch_offline::email::analyze`]. With no DNS to ask, `deliverable`
//! stands for "would have MX records": true when the syntax is valid, the domain is not a
//! throwaway one and its TLD exists ([`email::EmailFacts::domain_takes_mail`]). A domain that only
//! looks like a typo (`mailw.com`) may be real, so it stays deliverable, as it would at Eva. Eva
//! checks syntax and MX, not mailboxes: an address a provider never hands out (`a@gmail.com`)
//! has valid syntax and a deliverable domain there. The three flags the offline data cannot
//! judge (`catch_all`, `gibberish`, `spam`) are always `false`.
//! A malformed address is still a 200 with `valid_syntax: false`, as the real service most
//! likely answers; only a missing `email` parameter is an error (400, our convention).

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

use super::faults::Fault;
use super::{Provider, Shared};
use vouch_offline::email::{self, EmailSyntaxError};

/// The whole answer.
#[derive(Debug, Serialize)]
struct EvaBody<'a> {
    status: &'static str,
    data: Data<'a>,
}

/// The nine `data` fields, in the documented order.
#[derive(Debug, Serialize)]
struct Data<'a> {
    email_address: &'a str,
    domain: String,
    valid_syntax: bool,
    disposable: bool,
    webmail: bool,
    deliverable: bool,
    catch_all: bool,
    gibberish: bool,
    spam: bool,
}

/// `GET /email`.
pub(crate) async fn check(
    State(sandbox): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let forced = match Fault::from_headers(&headers) {
        Ok(fault) => fault,
        Err(unknown) => return unknown.into_response(),
    };
    // Standard form decoding: `%2B` is a `+`, a bare `+` a space (as a client that forgot to
    // encode it would find out).
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.as_deref().unwrap_or("")).unwrap_or_default();
    let address = pairs
        .into_iter()
        .find(|(name, _)| name == "email")
        .map(|(_, value)| value);
    let (answer, trigger) = match address.as_deref().filter(|a| !a.trim().is_empty()) {
        None => {
            let body = json!({"status": "failure", "message": "email parameter is required"});
            (Provider::Eva.json(StatusCode::BAD_REQUEST, &body), None)
        }
        Some(address) => (
            Provider::Eva.json(StatusCode::OK, &verdict(address)),
            Fault::from_email(address),
        ),
    };
    sandbox
        .deliver(Provider::Eva, forced.or(trigger), answer)
        .await
}

fn verdict(address: &str) -> EvaBody<'_> {
    let data = match email::analyze(address) {
        Ok(facts) => Data {
            email_address: address,
            valid_syntax: true,
            disposable: facts.disposable,
            webmail: facts.webmail,
            deliverable: !facts.disposable && facts.domain_takes_mail(),
            domain: facts.domain,
            ..NOTHING
        },
        // Only the big free-mail providers have mailbox rules.
        Err(EmailSyntaxError::Mailbox(_)) => Data {
            email_address: address,
            domain: domain_of(address),
            valid_syntax: true,
            webmail: true,
            deliverable: true,
            ..NOTHING
        },
        Err(_) => Data {
            email_address: address,
            domain: domain_of(address),
            ..NOTHING
        },
    };
    EvaBody {
        status: "success",
        data,
    }
}

/// The text after the last `@`, lower case, or `""`.
fn domain_of(address: &str) -> String {
    address
        .rsplit_once('@')
        .map_or("", |(_, d)| d)
        .trim()
        .to_ascii_lowercase()
}

/// Every flag false: the answer for a malformed address, and the base of every other.
const NOTHING: Data<'static> = Data {
    email_address: "",
    domain: String::new(),
    valid_syntax: false,
    disposable: false,
    webmail: false,
    deliverable: false,
    catch_all: false,
    gibberish: false,
    spam: false,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_follow_the_offline_facts() {
        // (address, valid_syntax, disposable, webmail, deliverable)
        let cases = [
            ("jane.doe@gmail.com", true, false, true, true),
            ("x@mailinator.com", true, true, false, false),
            // The shipped disposable list holds gmial.com: a typo-squatted domain.
            ("john.doe@gmial.com", true, true, false, false),
            ("john.doe@gmial.con", true, false, false, false),
            ("jane.doe@mailw.com", true, false, false, true),
            ("a@gmail.com", true, false, true, true),
            ("not-an-email", false, false, false, false),
            ("a@", false, false, false, false),
        ];
        for (address, syntax, disposable, webmail, deliverable) in cases {
            let EvaBody { status, data } = verdict(address);
            assert_eq!(status, "success");
            assert_eq!(data.email_address, address);
            let got = (
                data.valid_syntax,
                data.disposable,
                data.webmail,
                data.deliverable,
            );
            assert_eq!(got, (syntax, disposable, webmail, deliverable), "{address}");
            assert!(!data.catch_all && !data.gibberish && !data.spam);
        }
    }

    #[test]
    fn the_domain_is_reported_even_for_bad_syntax() {
        assert_eq!(verdict("a b@example.com").data.domain, "example.com");
        assert_eq!(verdict("nobody").data.domain, "");
        assert_eq!(verdict("Jane@Example.COM").data.domain, "example.com");
    }
}
