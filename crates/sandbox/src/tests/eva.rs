//! Eva over HTTP.

use reqwest::StatusCode;
use serde_json::Value;

use super::{TestSandbox, read};

const DATA_FIELDS: [&str; 9] = [
    "email_address",
    "domain",
    "valid_syntax",
    "disposable",
    "webmail",
    "deliverable",
    "catch_all",
    "gibberish",
    "spam",
];

async fn check(sb: &TestSandbox, email: &str) -> Value {
    let (status, content_type, body) = read(sb.eva(email).await).await;
    assert_eq!(status, StatusCode::OK, "{email}");
    assert_eq!(content_type, "application/json");
    assert_eq!(body["status"], "success");
    for field in DATA_FIELDS {
        assert!(
            body["data"].get(field).is_some(),
            "{email}: data.{field} missing"
        );
    }
    body["data"].clone()
}

#[tokio::test]
async fn a_gmail_address_is_valid_webmail_and_deliverable() {
    let sb = TestSandbox::start().await;
    let data = check(&sb, "jane.doe@gmail.com").await;
    assert_eq!(data["email_address"], "jane.doe@gmail.com");
    assert_eq!(data["domain"], "gmail.com");
    assert_eq!(
        (&data["valid_syntax"], &data["webmail"]),
        (&Value::Bool(true), &Value::Bool(true))
    );
    assert_eq!(
        (&data["disposable"], &data["deliverable"]),
        (&Value::Bool(false), &Value::Bool(true))
    );
}

#[tokio::test]
async fn a_malformed_address_is_still_a_200_with_valid_syntax_false() {
    let sb = TestSandbox::start().await;
    for email in ["not-an-email", "a@", "two@@at.com"] {
        let data = check(&sb, email).await;
        assert_eq!(data["valid_syntax"], false, "{email}");
        assert_eq!(data["deliverable"], false, "{email}");
    }
}

#[tokio::test]
async fn a_disposable_address_is_flagged_and_not_deliverable() {
    let sb = TestSandbox::start().await;
    let data = check(&sb, "x@mailinator.com").await;
    assert_eq!(
        (&data["valid_syntax"], &data["disposable"]),
        (&Value::Bool(true), &Value::Bool(true))
    );
    assert_eq!(data["deliverable"], false);
}

#[tokio::test]
async fn a_tld_slip_is_not_deliverable_but_a_look_alike_domain_is() {
    let sb = TestSandbox::start().await;
    for (email, deliverable) in [
        ("john.doe@gmail.con", false),
        ("john@yaho.com", true),
        ("jane.doe@mailw.com", true),
    ] {
        let data = check(&sb, email).await;
        assert_eq!(data["valid_syntax"], true, "{email}");
        assert_eq!(data["deliverable"], deliverable, "{email}");
    }
}

#[tokio::test]
async fn a_missing_or_empty_email_is_a_400_failure() {
    let sb = TestSandbox::start().await;
    for url in [
        sb.url("/email"),
        sb.url("/email?email="),
        sb.url("/email?email=%20"),
    ] {
        let (status, content_type, body) = read(sb.client.get(&url).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{url}");
        assert_eq!(content_type, "application/json");
        assert_eq!(body["status"], "failure");
    }
}

#[tokio::test]
async fn a_plus_sent_as_percent_2b_arrives_as_a_plus() {
    let sb = TestSandbox::start().await;
    // reqwest's `.query` encodes `+` as `%2B`, as vouch's client does.
    let data = check(&sb, "jane.doe+news@gmail.com").await;
    assert_eq!(data["email_address"], "jane.doe+news@gmail.com");
    assert_eq!(data["valid_syntax"], true);
    // A client that forgets to encode it sends a space, which is no valid address.
    let raw = sb
        .client
        .get(sb.url("/email?email=jane.doe+news@gmail.com"))
        .send()
        .await
        .unwrap();
    let (_, _, body) = read(raw).await;
    assert_eq!(body["data"]["email_address"], "jane.doe news@gmail.com");
    assert_eq!(body["data"]["valid_syntax"], false);
}

#[tokio::test]
async fn the_same_address_always_gets_the_same_answer() {
    let sb = TestSandbox::start().await;
    let first = check(&sb, "Jane.Doe@Example.com").await;
    assert_eq!(first, check(&sb, "Jane.Doe@Example.com").await);
}
