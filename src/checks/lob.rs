//! Lob US verifications, the address provider: `POST {base}/v1/us_verifications`, HTTP basic
//! auth with the key as user and an empty password, form-encoded address fields.

use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::provider::{BadUrl, ProviderError, Route, Transport};
use crate::domain::address::PostalAddress;

/// Lob's documented `deliverability` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deliverability {
    Deliverable,
    DeliverableUnnecessaryUnit,
    DeliverableIncorrectUnit,
    DeliverableMissingUnit,
    Undeliverable,
}

impl Deliverability {
    /// Mail reaches the address as typed; an unneeded unit doesn't stop it.
    pub fn is_deliverable(self) -> bool {
        matches!(
            self,
            Deliverability::Deliverable | Deliverability::DeliverableUnnecessaryUnit
        )
    }
}

/// Lob's verdict, with the components it matched (upper case), so vouch can name the part at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressAnswer {
    pub deliverability: Deliverability,
    pub city: String,
    pub state: String,
    pub zip_code: String,
}

#[derive(Clone)]
pub struct LobClient {
    route: Route,
    key: SecretString,
}

#[derive(Deserialize)]
struct LobReply {
    deliverability: Deliverability,
    #[serde(default)]
    components: Components,
}

// Every component is optional to us: Lob adds fields over time and empties them on no match.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Components {
    city: Option<String>,
    state: Option<String>,
    zip_code: Option<String>,
}

impl LobClient {
    pub fn new(
        http: &Transport,
        base_url: &str,
        key: SecretString,
        timeout: Duration,
    ) -> Result<Self, BadUrl> {
        Ok(LobClient {
            route: Route::new(http, base_url, "/v1/us_verifications", timeout)?,
            key,
        })
    }

    pub async fn verify(&self, address: &PostalAddress) -> Result<AddressAnswer, ProviderError> {
        let zip = address.zip.full();
        let form = [
            ("primary_line", address.primary_line.as_str()),
            ("secondary_line", address.secondary_line.as_str()),
            ("city", address.city.as_str()),
            ("state", address.state.code()),
            ("zip_code", zip),
        ];
        let reply = self
            .route
            .post_form(self.key.expose_secret(), &form)
            .await?;
        read_reply(reply.body()?)
    }
}

/// Lob's verdict from the body of a successful reply: pure, so it is fuzzed and
/// property-tested on its own.
pub fn read_reply(body: &[u8]) -> Result<AddressAnswer, ProviderError> {
    let reply: LobReply = serde_json::from_slice(body).map_err(|_| ProviderError::Malformed)?;
    let c = reply.components;
    Ok(AddressAnswer {
        deliverability: reply.deliverability,
        city: c.city.unwrap_or_default(),
        state: c.state.unwrap_or_default(),
        zip_code: c.zip_code.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::provider::testing::{common_failures, http, serving};
    use crate::domain::address::AddressInput;
    use wiremock::matchers::{body_string, header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    /// Lob's answer for 2600 Pearl St.
    async fn verify(server: &MockServer) -> Result<AddressAnswer, ProviderError> {
        let timeout = Duration::from_millis(500);
        let lob = LobClient::new(&http(), &server.uri(), "test_k3y".into(), timeout).unwrap();
        lob.verify(&pearl_st()).await
    }

    fn pearl_st() -> PostalAddress {
        match AddressInput::parse("2600 Pearl St", "Apt 2", "Boulder", "CO", "80302") {
            AddressInput::Complete(a) => a,
            other => panic!("{other:?}"),
        }
    }

    fn answer(deliverability: &str) -> serde_json::Value {
        serde_json::json!({"id": "us_ver_1", "deliverability": deliverability, "primary_line": "2600 PEARL ST",
            "components": {"city": "BOULDER", "state": "CO", "zip_code": "80302", "latitude": null},
            "deliverability_analysis": {"dpv_footnotes": ["AA", "BB"]}, "object": "us_verification"})
    }

    #[tokio::test]
    async fn posts_the_form_fields_with_basic_auth() {
        let server = MockServer::start().await;
        // base64("test_k3y:")
        Mock::given(method("POST"))
            .and(path("/v1/us_verifications"))
            .and(header("authorization", "Basic dGVzdF9rM3k6"))
            .and(header("content-type", "application/x-www-form-urlencoded"))
            .and(body_string(
                "primary_line=2600+Pearl+St&secondary_line=Apt+2&city=Boulder&state=CO&zip_code=80302",
            ))
            .respond_with(ResponseTemplate::new(200).set_body_json(answer("deliverable")))
            .expect(1)
            .mount(&server)
            .await;
        let got = verify(&server).await.unwrap();
        assert_eq!(got.deliverability, Deliverability::Deliverable);
        assert_eq!(
            (got.city.as_str(), got.state.as_str(), got.zip_code.as_str()),
            ("BOULDER", "CO", "80302")
        );
    }

    #[tokio::test]
    async fn every_documented_deliverability_is_understood() {
        let cases = [
            (
                "deliverable_unnecessary_unit",
                Deliverability::DeliverableUnnecessaryUnit,
            ),
            (
                "deliverable_incorrect_unit",
                Deliverability::DeliverableIncorrectUnit,
            ),
            (
                "deliverable_missing_unit",
                Deliverability::DeliverableMissingUnit,
            ),
            ("undeliverable", Deliverability::Undeliverable),
        ];
        for (wire, expected) in cases {
            let server = MockServer::start().await;
            Mock::given(path("/v1/us_verifications"))
                .respond_with(ResponseTemplate::new(200).set_body_json(answer(wire)))
                .mount(&server)
                .await;
            assert_eq!(
                verify(&server).await.unwrap().deliverability,
                expected,
                "{wire}"
            );
        }
    }

    #[tokio::test]
    async fn failures_are_provider_errors() {
        let bad_key = serde_json::json!({"error": {"message": "x", "status_code": 401, "code": "invalid_api_key"}});
        let specific = [
            (
                ResponseTemplate::new(401).set_body_json(bad_key),
                ProviderError::Status(401),
            ),
            (
                ResponseTemplate::new(200).set_body_json(answer("maybe")),
                ProviderError::Malformed,
            ),
            (
                ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "x"})),
                ProviderError::Malformed,
            ),
        ];
        for (template, expected) in common_failures().into_iter().chain(specific) {
            let server = serving("/v1/us_verifications", template).await;
            assert_eq!(verify(&server).await, Err(expected));
        }
    }
}
