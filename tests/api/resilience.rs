//! A slow, failing or lying provider never breaks sign-up: its field is `unverified` and the
//! page answers 200 within the timeout plus a margin.

use std::time::{Duration, Instant};

use serde_json::Value;
use wiremock::matchers::path;
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::{spawn_app, spawn_app_with, valid_form};
use crate::providers::to_json;
use vouch::checks::OnProviderError;
use vouch::config::Endpoint;

async fn phone_provider_fails_with(template: ResponseTemplate) -> (Value, Duration) {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    app.veriphone.reset().await;
    Mock::given(path("/v2/verify"))
        .respond_with(template)
        .mount(&app.veriphone)
        .await;
    let started = Instant::now();
    let resp = app.post_json("", &to_json(&valid_form())).await;
    assert_eq!(resp.status(), 200);
    (resp.json().await.unwrap(), started.elapsed())
}

#[tokio::test]
async fn a_failing_phone_provider_leaves_the_phone_unverified_and_the_form_valid() {
    let cases = [
        (
            "hangs",
            ResponseTemplate::new(200).set_delay(Duration::from_secs(30)),
            "timeout",
        ),
        (
            "answers 500",
            ResponseTemplate::new(500).set_body_string("<h1>down</h1>"),
            "error",
        ),
        (
            "answers garbage",
            ResponseTemplate::new(200).set_body_string("<<garbage>>"),
            "error",
        ),
        (
            "answers 401",
            ResponseTemplate::new(401).set_body_string("{}"),
            "error",
        ),
    ];
    for (what, template, outcome) in cases {
        let (json, took) = phone_provider_fails_with(template).await;
        assert_eq!(
            json["fields"]["phoneNumber"]["status"], "unverified",
            "{what}"
        );
        assert_eq!(
            json["fields"]["phoneNumber"]["message"], "Couldn't verify the phone number right now",
            "{what}"
        );
        assert_eq!(json["valid"], true, "{what}");
        assert_eq!(json["checks"][2]["outcome"], outcome, "{what}");
        // Timeout is 1 s in tests.
        assert!(took < Duration::from_secs(3), "{what}: took {took:?}");
    }
}

#[tokio::test]
async fn a_refused_connection_leaves_its_fields_unverified() {
    let app = spawn_app_with(|s| s.lob = Endpoint::url("http://127.0.0.1:9", "k")).await;
    // The Lob fake is mounted but unused: Lob's base URL points at a closed port.
    app.providers_all_pass(Duration::ZERO).await;
    let json: Value = app.validate("", &to_json(&valid_form())).await;
    for field in ["address", "city", "state", "zip"] {
        assert_eq!(json["fields"][field]["status"], "unverified", "{field}");
    }
    assert_eq!(json["fields"]["address2"]["status"], "empty");
    assert_eq!(json["checks"][1]["outcome"], "error");
    assert_eq!(json["valid"], true);
}

#[tokio::test]
async fn the_reject_policy_turns_unverified_into_invalid() {
    let app = spawn_app_with(|s| s.on_provider_error = OnProviderError::Reject).await;
    app.providers_all_pass(Duration::ZERO).await;
    app.veriphone.reset().await;
    Mock::given(path("/v2/verify"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&app.veriphone)
        .await;
    let json: Value = app.validate("", &to_json(&valid_form())).await;
    assert_eq!(json["fields"]["phoneNumber"]["status"], "invalid");
    assert_eq!(json["valid"], false);
}

#[tokio::test]
async fn the_html_page_tells_the_person_what_could_not_be_checked() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    app.eva.reset().await;
    Mock::given(path("/email"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&app.eva)
        .await;
    let resp = app.post_form("/async", &valid_form()).await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert_eq!(
        crate::helpers::texts(&html, "#email-note"),
        ["Couldn't verify the email address right now"]
    );
    assert!(crate::helpers::texts(&html, ".error-summary").is_empty());
}
