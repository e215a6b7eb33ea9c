//! Fault injection over HTTP: what a client sees for each fault, by trigger and at random.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use super::{TestSandbox, instant};
use crate::{FAULT_HEADER, FaultRates, PLACEHOLDER_KEY, SandboxOptions};

/// One request per provider path, each carrying `X-Sandbox-Fault: fault`.
fn with_header(sb: &TestSandbox, fault: &str) -> Vec<reqwest::RequestBuilder> {
    let key = [("key", PLACEHOLDER_KEY), ("phone", "+12024561111")];
    vec![
        sb.client
            .get(sb.url("/email"))
            .query(&[("email", "jane@gmail.com")]),
        sb.client
            .post(sb.url("/v1/us_verifications"))
            .basic_auth(PLACEHOLDER_KEY, Some(""))
            .form(&[("primary_line", "deliverable"), ("zip_code", "11111")]),
        sb.client.get(sb.url("/v2/verify")).query(&key),
        sb.client.post(sb.url("/v2/verify")).query(&key),
    ]
    .into_iter()
    .map(|r| r.header(FAULT_HEADER, fault))
    .collect()
}

#[tokio::test]
async fn header_500_is_an_html_500_on_every_provider_path() {
    let sb = TestSandbox::start().await;
    for request in with_header(&sb, "500") {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.headers()["content-type"], "text/html");
        assert!(response.text().await.unwrap().contains("<html>"));
    }
}

#[tokio::test]
async fn header_garbage_is_a_200_that_is_not_json() {
    let sb = TestSandbox::start().await;
    for request in with_header(&sb, "garbage") {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let text = response.text().await.unwrap();
        assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
    }
}

#[tokio::test]
async fn header_missing_fields_lacks_what_clients_require() {
    let sb = TestSandbox::start().await;
    let required = ["data", "deliverability", "phone_valid", "phone_valid"];
    for (request, field) in with_header(&sb, "missing-fields").into_iter().zip(required) {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        assert!(body.get(field).is_none(), "{field} present in {body}");
    }
}

#[tokio::test]
async fn header_drop_breaks_the_response() {
    let sb = TestSandbox::start().await;
    for request in with_header(&sb, "drop") {
        let outcome = match request.send().await {
            Ok(response) => response.text().await.map(|_| ()),
            Err(e) => Err(e),
        };
        assert!(
            outcome.is_err(),
            "a dropped connection must fail the client"
        );
    }
}

#[tokio::test]
async fn header_timeout_outlasts_the_clients_deadline() {
    let sb = TestSandbox::start().await;
    for request in with_header(&sb, "timeout") {
        let error = request
            .timeout(Duration::from_millis(200))
            .send()
            .await
            .unwrap_err();
        assert!(error.is_timeout(), "{error}");
    }
}

#[tokio::test]
async fn an_unknown_fault_name_is_a_400() {
    let sb = TestSandbox::start().await;
    for request in with_header(&sb, "explode") {
        assert_eq!(
            request.send().await.unwrap().status(),
            StatusCode::BAD_REQUEST
        );
    }
}

#[tokio::test]
async fn email_and_street_line_triggers_work_without_the_header() {
    let sb = TestSandbox::start().await;
    assert_eq!(
        sb.eva("sandbox-fault-500@example.com").await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    let garbage = sb
        .eva("Sandbox-Fault-Garbage@example.com")
        .await
        .text()
        .await
        .unwrap();
    assert!(serde_json::from_str::<Value>(&garbage).is_err());
    let missing: Value = sb
        .eva("sandbox-fault-missing-fields@x.io")
        .await
        .json()
        .await
        .unwrap();
    assert!(missing.get("data").is_none());
    let dropped = match sb
        .client
        .get(sb.url("/email"))
        .query(&[("email", "sandbox-fault-drop@x.io")])
        .send()
        .await
    {
        Ok(response) => response.text().await.is_err(),
        Err(_) => true,
    };
    assert!(dropped, "the drop trigger must break the response");

    let lob = sb
        .lob(&[("primary_line", "sandbox fault 500"), ("zip_code", "11111")])
        .await;
    assert_eq!(lob.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(
        lob.headers().contains_key("ratelimit-limit"),
        "Lob faults keep the rate headers"
    );
    let timeout = sb
        .client
        .post(sb.url("/v1/us_verifications"))
        .basic_auth(PLACEHOLDER_KEY, Some(""))
        .form(&[("address", "sandbox fault timeout")])
        .timeout(Duration::from_millis(200));
    assert!(timeout.send().await.unwrap_err().is_timeout());
}

#[tokio::test]
async fn random_faults_follow_the_rates_and_repeat_with_a_seed() {
    let always = SandboxOptions {
        faults: FaultRates {
            error: 1.0,
            ..FaultRates::default()
        },
        ..instant()
    };
    let sb = TestSandbox::start_with(always).await;
    assert_eq!(
        sb.eva("jane@gmail.com").await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );

    let half = SandboxOptions {
        faults: FaultRates {
            error: 0.3,
            garbage: 0.3,
            ..FaultRates::default()
        },
        seed: Some(99),
        ..instant()
    };
    let mut runs = Vec::new();
    for _ in 0..2 {
        let sb = TestSandbox::start_with(half).await;
        let mut outcomes = Vec::new();
        for _ in 0..30 {
            let response = sb.veriphone("+12024561111", "US").await;
            let status = response.status();
            let json = serde_json::from_str::<Value>(&response.text().await.unwrap()).is_ok();
            outcomes.push((status, json));
        }
        runs.push(outcomes);
    }
    assert_eq!(runs[0], runs[1], "same seed, same fault sequence");
    let kinds: std::collections::HashSet<_> = runs[0].iter().collect();
    assert_eq!(kinds.len(), 3, "ok, 500 and garbage all occur: {kinds:?}");
}
