//! The sandbox over real HTTP: each test starts its own instance on a loopback port (zero
//! latency unless the test is about timing) and talks to it with reqwest, as vouch's provider
//! clients do. Timing assertions are ordering bounds only; the machine is shared.

mod eva;
mod faults;
mod fixtures;
mod lob;
mod routing;
mod timing;
mod veriphone;

use std::time::Duration;

use reqwest::header::CONTENT_TYPE;
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

use super::{LatencySpec, PLACEHOLDER_KEY, SandboxHandle, SandboxOptions, spawn};

/// A running sandbox and a client for it.
pub(super) struct TestSandbox {
    pub(super) handle: SandboxHandle,
    pub(super) client: Client,
}

/// Zero latency, no random faults, a fixed seed.
pub(super) fn instant() -> SandboxOptions {
    SandboxOptions {
        latency: LatencySpec::uniform(Duration::ZERO),
        jitter: false,
        seed: Some(1),
        ..SandboxOptions::default()
    }
}

impl TestSandbox {
    pub(super) async fn start() -> Self {
        Self::start_with(instant()).await
    }

    pub(super) async fn start_with(opts: SandboxOptions) -> Self {
        let handle = spawn(opts).await.expect("sandbox binds a loopback port");
        let client = Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("client");
        Self { handle, client }
    }

    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.handle.base_url())
    }

    /// `GET /email?email=…`, encoded as a client should.
    pub(super) async fn eva(&self, email: &str) -> Response {
        let request = self
            .client
            .get(self.url("/email"))
            .query(&[("email", email)]);
        request.send().await.expect("eva answers")
    }

    /// `POST /v1/us_verifications` as a form, with the placeholder key.
    pub(super) async fn lob(&self, form: &[(&str, &str)]) -> Response {
        self.lob_as(Some(PLACEHOLDER_KEY), form).await
    }

    pub(super) async fn lob_as(&self, key: Option<&str>, form: &[(&str, &str)]) -> Response {
        let mut request = self
            .client
            .post(self.url("/v1/us_verifications"))
            .form(form);
        if let Some(key) = key {
            request = request.basic_auth(key, Some(""));
        }
        request.send().await.expect("lob answers")
    }

    /// `GET /v2/verify` with the placeholder key in the query, as vouch sends it.
    pub(super) async fn veriphone(&self, phone: &str, country: &str) -> Response {
        let query = [
            ("phone", phone),
            ("key", PLACEHOLDER_KEY),
            ("default_country", country),
        ];
        let request = self.client.get(self.url("/v2/verify")).query(&query);
        request.send().await.expect("veriphone answers")
    }
}

/// Status, content type and JSON body of an answer.
pub(super) async fn read(response: Response) -> (StatusCode, String, Value) {
    let status = response.status();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let text = response.text().await.expect("a complete body");
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, content_type, body)
}
