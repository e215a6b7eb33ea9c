//! Eva, the email provider: `GET {base}/email?email=…`, no key.

use std::time::Duration;

use serde::Deserialize;

use super::provider::{BadUrl, ProviderError, Route, Transport};
use crate::domain::email::EmailAddress;

/// Eva's verdict on an address, reduced to what the form decides on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmailAnswer {
    /// Valid syntax, a domain with mail servers, and not a throwaway domain.
    pub acceptable: bool,
    /// The domain is a throwaway-mail service: why an address is not acceptable, for the hint.
    pub disposable: bool,
}

#[derive(Clone)]
pub struct EvaClient {
    route: Route,
}

#[derive(Deserialize)]
struct EvaReply {
    status: String,
    data: Option<Data>,
}

// Every flag defaults: Eva's 2020 answers carried five fields, later ones nine.
#[derive(Deserialize)]
struct Data {
    #[serde(default)]
    valid_syntax: bool,
    #[serde(default)]
    deliverable: bool,
    #[serde(default)]
    disposable: bool,
}

impl EvaClient {
    pub fn new(http: &Transport, base_url: &str, timeout: Duration) -> Result<Self, BadUrl> {
        Ok(EvaClient {
            route: Route::new(http, base_url, "/email", timeout)?,
        })
    }

    pub async fn verify(&self, email: &EmailAddress) -> Result<EmailAnswer, ProviderError> {
        let reply = self.route.get(&[("email", email.as_ref())]).await?;
        read_reply(reply.body()?)
    }
}

/// Eva's verdict from the body of a successful reply: pure, so it is fuzzed and
/// property-tested on its own.
pub fn read_reply(body: &[u8]) -> Result<EmailAnswer, ProviderError> {
    let reply: EvaReply = serde_json::from_slice(body).map_err(|_| ProviderError::Malformed)?;
    // Anything but `success` with a `data` object is Eva failing, not the address.
    match (reply.status.as_str(), reply.data) {
        ("success", Some(d)) => Ok(EmailAnswer {
            acceptable: d.valid_syntax && d.deliverable && !d.disposable,
            disposable: d.disposable,
        }),
        _ => Err(ProviderError::Malformed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::provider::testing::{common_failures, http, serving};
    use wiremock::matchers::{header, method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const USER_AGENT: &str = concat!("vouch/", env!("CARGO_PKG_VERSION"));

    /// Eva's answer to `address`.
    async fn verify(server: &MockServer, address: &str) -> Result<EmailAnswer, ProviderError> {
        let eva = EvaClient::new(&http(), &server.uri(), Duration::from_millis(500)).unwrap();
        eva.verify(&email(address)).await
    }

    fn email(s: &str) -> EmailAddress {
        EmailAddress::parse(s).unwrap()
    }

    fn answer(valid_syntax: bool, deliverable: bool, disposable: bool) -> serde_json::Value {
        serde_json::json!({"status": "success", "data": {
            "email_address": "x", "domain": "x", "valid_syntax": valid_syntax,
            "deliverable": deliverable, "disposable": disposable, "webmail": false,
            "catch_all": false, "gibberish": false, "spam": false}})
    }

    #[tokio::test]
    async fn sends_the_whole_address_as_one_encoded_parameter() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/email"))
            .and(query_param("email", "john+tag&key=x@example.com"))
            .and(header("user-agent", USER_AGENT))
            .respond_with(ResponseTemplate::new(200).set_body_json(answer(true, true, false)))
            .expect(1)
            .mount(&server)
            .await;
        let got = verify(&server, "john+tag&key=x@example.com").await;
        assert_eq!(
            got,
            Ok(EmailAnswer {
                acceptable: true,
                disposable: false
            })
        );
    }

    #[tokio::test]
    async fn undeliverable_or_disposable_is_not_acceptable() {
        for (deliverable, disposable) in [(false, false), (true, true)] {
            let server = MockServer::start().await;
            Mock::given(path("/email"))
                .respond_with(ResponseTemplate::new(200).set_body_json(answer(
                    true,
                    deliverable,
                    disposable,
                )))
                .mount(&server)
                .await;
            let got = verify(&server, "jane@example.com").await;
            assert_eq!(
                got,
                Ok(EmailAnswer {
                    acceptable: false,
                    disposable
                }),
                "{deliverable} {disposable}"
            );
        }
    }

    #[tokio::test]
    async fn the_2020_five_field_answer_is_understood() {
        let server = MockServer::start().await;
        let body = r#"{"status":"success","data":{"email_address":"a@b.co","domain":"b.co","valid_syntax":true,"disposable":false,"deliverable":true}}"#;
        Mock::given(path("/email"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/html"))
            .mount(&server)
            .await;
        assert_eq!(
            verify(&server, "a@b.co").await,
            Ok(EmailAnswer {
                acceptable: true,
                disposable: false
            })
        );
    }

    #[tokio::test]
    async fn failures_are_provider_errors() {
        let failure = serde_json::json!({"status": "failure"});
        let specific = [(
            ResponseTemplate::new(200).set_body_json(failure),
            ProviderError::Malformed,
        )];
        for (template, expected) in common_failures().into_iter().chain(specific) {
            let server = serving("/email", template).await;
            let got = verify(&server, "jane@example.com").await;
            assert_eq!(got, Err(expected));
        }
    }
}
