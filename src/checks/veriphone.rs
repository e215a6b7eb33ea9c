//! Veriphone v2, the phone provider: `GET {base}/v2/verify?phone=…&key=…&default_country=US`.
//! The key travels in the query string, so no URL of this client may reach a log or an error.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::provider::{BadUrl, ProviderError, Route, Transport};
use crate::domain::phone::{DEFAULT_REGION, PhoneNumber};

/// Veriphone's verdict on a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhoneAnswer {
    pub valid: bool,
}

#[derive(Clone)]
pub struct VeriphoneClient {
    route: Route,
    key: SecretString,
}

#[derive(Deserialize)]
struct VeriphoneReply {
    status: String,
    #[serde(default)]
    phone_valid: Option<bool>,
}

impl VeriphoneClient {
    pub fn new(
        http: &Transport,
        base_url: &str,
        key: SecretString,
        timeout: Duration,
    ) -> Result<Self, BadUrl> {
        Ok(VeriphoneClient {
            route: Route::new(http, base_url, "/v2/verify", timeout)?,
            key,
        })
    }

    pub async fn verify(&self, phone: &PhoneNumber) -> Result<PhoneAnswer, ProviderError> {
        let query = [
            ("phone", phone.e164()),
            ("key", self.key.expose_secret()),
            ("default_country", DEFAULT_REGION),
        ];
        let reply = self.route.get(&query).await?;
        read_reply(reply.body()?)
    }
}

/// Veriphone's verdict from the body of a successful reply: pure, so it is fuzzed and
/// property-tested on its own.
pub fn read_reply(body: &[u8]) -> Result<PhoneAnswer, ProviderError> {
    let reply: VeriphoneReply =
        serde_json::from_slice(body).map_err(|_| ProviderError::Malformed)?;
    match (reply.status.as_str(), reply.phone_valid) {
        ("success", Some(valid)) => Ok(PhoneAnswer { valid }),
        // Listed by Veriphone, never illustrated: the number is not a phone number.
        ("syntax-error", _) => Ok(PhoneAnswer { valid: false }),
        _ => Err(ProviderError::Malformed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::provider::testing::{common_failures, http, serving};
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    const KEY: &str = "k3y-veriphone-SECRET";

    /// Veriphone's answer for `number` from `base`.
    async fn verify(base: &str, number: &str) -> Result<PhoneAnswer, ProviderError> {
        let timeout = Duration::from_millis(500);
        let veriphone = VeriphoneClient::new(&http(), base, KEY.into(), timeout).unwrap();
        veriphone.verify(&phone(number)).await
    }

    fn phone(s: &str) -> PhoneNumber {
        PhoneNumber::parse(s).unwrap()
    }

    #[tokio::test]
    async fn sends_e164_key_and_default_country() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v2/verify"))
            .and(query_param("phone", "+12024561111"))
            .and(query_param("key", KEY))
            .and(query_param("default_country", "US"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "status": "success", "phone": "+12024561111", "phone_valid": true, "phone_type": "fixed_line",
                "phone_region": "Washington D.C.", "country": "United States", "country_code": "US",
                "country_prefix": "1", "international_number": "+1 202-456-1111",
                "local_number": "(202) 456-1111", "e164": "+12024561111", "carrier": ""})))
            .expect(1)
            .mount(&server)
            .await;
        assert_eq!(
            verify(&server.uri(), "(202) 456-1111").await,
            Ok(PhoneAnswer { valid: true })
        );
    }

    #[tokio::test]
    async fn an_invalid_number_is_a_verdict_not_an_error() {
        let server = MockServer::start().await;
        let body = serde_json::json!({"status": "success", "phone": "x", "phone_valid": false, "phone_type": "unknown"});
        Mock::given(path("/v2/verify"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
        assert_eq!(
            verify(&server.uri(), "2024561111").await,
            Ok(PhoneAnswer { valid: false })
        );
    }

    #[tokio::test]
    async fn failures_are_provider_errors_that_never_show_the_key() {
        let specific = [
            (
                ResponseTemplate::new(401).set_body_string("{}"),
                ProviderError::Status(401),
            ),
            (
                ResponseTemplate::new(200).set_body_json(serde_json::json!({"status": "error"})),
                ProviderError::Malformed,
            ),
        ];
        for (template, expected) in common_failures().into_iter().chain(specific) {
            let server = serving("/v2/verify", template).await;
            let err = verify(&server.uri(), "2024561111").await.unwrap_err();
            assert_eq!(err, expected);
            assert!(!format!("{err} {err:?}").contains(KEY));
        }
    }

    #[tokio::test]
    async fn a_refused_connection_is_an_error_without_the_key() {
        let err = verify("http://127.0.0.1:9", "2024561111")
            .await
            .unwrap_err();
        assert_eq!(err, ProviderError::Connect);
        assert!(!format!("{err} {err:?}").contains(KEY));
    }
}
