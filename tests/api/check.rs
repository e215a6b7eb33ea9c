//! `POST /api/v1/check/{group}`: one group of fields, as the form checks it when the person
//! leaves the group. The same engine as the whole form, only narrower.

use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::path;
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::{
    TestApp, eva_answer, form_with, lob_answer, spawn_app, valid_form, veriphone_answer,
};
use crate::providers::to_json;

async fn check(app: &TestApp, group: &str, body: &Value) -> reqwest::Response {
    app.http
        .post(app.url(&format!("/api/v1/check/{group}")))
        .json(body)
        .send()
        .await
        .unwrap()
}

/// Each provider answers "valid" and must be called exactly `calls` times (email, address, phone).
async fn expect_calls(app: &TestApp, [eva, lob, veriphone]: [u64; 3]) {
    Mock::given(path("/email"))
        .respond_with(ResponseTemplate::new(200).set_body_json(eva_answer(true)))
        .expect(eva)
        .mount(&app.eva)
        .await;
    Mock::given(path("/v1/us_verifications"))
        .respond_with(ResponseTemplate::new(200).set_body_json(lob_answer(
            "deliverable",
            "BOULDER",
            "CO",
            "80302",
        )))
        .expect(lob)
        .mount(&app.lob)
        .await;
    Mock::given(path("/v2/verify"))
        .respond_with(ResponseTemplate::new(200).set_body_json(veriphone_answer(true)))
        .expect(veriphone)
        .mount(&app.veriphone)
        .await;
}

fn keys(json: &Value) -> Vec<String> {
    json["fields"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

#[tokio::test]
async fn leaving_the_email_asks_only_the_email_provider_about_only_the_email() {
    let app = spawn_app().await;
    expect_calls(&app, [1, 0, 0]).await;
    let resp = check(&app, "email", &to_json(&valid_form())).await;
    assert_eq!(resp.status(), 200);
    let timing = resp.headers()["server-timing"].to_str().unwrap().to_owned();
    assert!(
        timing.starts_with("eva;") && !timing.contains("lob;"),
        "{timing}"
    );
    let json: Value = resp.json().await.unwrap();
    assert_eq!(json["group"], "email");
    assert_eq!(json["valid"], true);
    assert_eq!(keys(&json), ["email"]);
    assert_eq!(json["fields"]["email"], json!({"status": "valid"}));
    let checks = json["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 1);
    assert_eq!(
        (&checks[0]["check"], &checks[0]["outcome"]),
        (&json!("email"), &json!("pass"))
    );
}

#[tokio::test]
async fn the_address_group_answers_for_its_five_fields_with_one_call() {
    let app = spawn_app().await;
    expect_calls(&app, [0, 1, 0]).await;
    let json: Value = check(&app, "address", &to_json(&valid_form()))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(keys(&json), ["address", "address2", "city", "state", "zip"]);
    assert_eq!(json["fields"]["address2"], json!({"status": "empty"}));
    assert_eq!(json["valid"], true);
}

#[tokio::test]
async fn a_group_check_never_speaks_of_fields_the_person_has_not_reached() {
    let app = spawn_app().await;
    expect_calls(&app, [0, 0, 1]).await;
    // Only the phone typed so far: the names and the rest are blank, and no concern here.
    let json: Value = check(&app, "phone", &json!({"phoneNumber": "(202) 456-1111"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(keys(&json), ["phoneNumber"]);
    assert_eq!(json["valid"], true);
}

#[tokio::test]
async fn a_value_local_checks_refuse_is_explained_and_never_sent() {
    let app = spawn_app().await;
    expect_calls(&app, [0, 0, 0]).await;
    let body = to_json(&form_with(&[
        ("phoneNumber", "303 442 246"),
        ("email", "a@gmail.com"),
    ]));
    let phone: Value = check(&app, "phone", &body).await.json().await.unwrap();
    assert_eq!(
        phone["fields"]["phoneNumber"],
        json!({"status": "invalid", "message": "Invalid phone number",
               "hint": "US numbers have 10 digits, like 303 442 2466."})
    );
    assert_eq!(phone["checks"][0]["outcome"], "skipped");
    let email: Value = check(&app, "email", &body).await.json().await.unwrap();
    assert_eq!(email["fields"]["email"]["message"], "Invalid email address");
    assert_eq!(
        email["fields"]["email"]["hint"],
        "Gmail addresses have 6 to 30 letters, digits and dots before the @."
    );
}

#[tokio::test]
async fn a_typo_is_suggested_and_a_provider_failure_leaves_the_group_unverified() {
    let app = spawn_app().await;
    Mock::given(path("/email"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&app.eva)
        .await;
    let body = to_json(&form_with(&[("email", "jane.doe@gmial.com")]));
    let json: Value = check(&app, "email", &body).await.json().await.unwrap();
    let email = &json["fields"]["email"];
    assert_eq!(email["status"], "unverified");
    assert_eq!(
        email["message"],
        "Couldn't verify the email address right now"
    );
    assert_eq!(email["hint"], "You can still send the form.");
    assert_eq!(email["suggestion"], "jane.doe@gmail.com");
    assert_eq!(json["valid"], true, "unverified does not count against it");
}

#[tokio::test]
async fn a_group_check_is_as_slow_as_its_one_call_not_the_form() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::from_millis(300)).await;
    let started = std::time::Instant::now();
    let resp = check(&app, "email", &to_json(&valid_form())).await;
    assert_eq!(resp.status(), 200);
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn bad_group_requests_get_json_errors_with_the_right_status() {
    let app = spawn_app().await;
    let post = |path: &str| app.http.post(app.url(path));
    let cases = [
        (
            "unknown group",
            post("/api/v1/check/name").json(&json!({})),
            404,
        ),
        (
            "no such API path",
            post("/api/v1/nothing").json(&json!({})),
            404,
        ),
        (
            "malformed JSON",
            post("/api/v1/check/email")
                .header("content-type", "application/json")
                .body("{"),
            400,
        ),
        (
            "not an object",
            post("/api/v1/check/email").json(&json!([1])),
            422,
        ),
        (
            "a number value",
            post("/api/v1/check/email").json(&json!({"email": 5})),
            422,
        ),
        (
            "wrong content type",
            post("/api/v1/check/email").body("{}"),
            415,
        ),
        (
            "over 64 KiB",
            post("/api/v1/check/email").json(&json!({"email": "a".repeat(70 * 1024)})),
            413,
        ),
    ];
    for (what, request, status) in cases {
        let resp = request.send().await.unwrap();
        assert_eq!(resp.status(), status, "{what}");
        let body: Value = resp.json().await.unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(
            body["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{what}: {body}"
        );
    }
}
