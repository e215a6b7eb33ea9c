//! The JSON API spends paid calls too: with `VOUCH_API_TOKENS` it wants one of them as a
//! bearer token; in live mode without tokens it is closed unless opened on purpose. Tokens
//! never show in an answer or a log line.

use std::time::Duration;

use secrecy::SecretString;
use vouch::web::access::{ApiAccess, ApiTokens};

use crate::helpers::{TestApp, captured_log, spawn_app_with, valid_form};
use crate::providers::to_json;

const TOKEN_A: &str = "tok_A_7f3c9e1b5d2a48c6";
const TOKEN_B: &str = "tok_B_0e8d4c2a6b1f3957";

async fn app_with_tokens() -> TestApp {
    let list = SecretString::from(format!("{TOKEN_A},{TOKEN_B}"));
    let tokens = ApiTokens::parse(&list).unwrap().unwrap();
    spawn_app_with(|s| s.protection.api = ApiAccess::Tokens(tokens)).await
}

async fn call(app: &TestApp, authorization: Option<&str>) -> reqwest::Response {
    let mut request = app
        .http
        .post(app.url("/api/v1/validate"))
        .json(&to_json(&valid_form()));
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn a_listed_token_is_accepted() {
    let app = app_with_tokens().await;
    app.providers_all_pass(Duration::ZERO).await;
    for header in [
        format!("Bearer {TOKEN_A}"),
        format!("Bearer {TOKEN_B}"),
        format!("bearer {TOKEN_A}"),
    ] {
        assert_eq!(call(&app, Some(&header)).await.status(), 200, "{header}");
    }
}

#[tokio::test]
async fn a_missing_or_wrong_token_is_401_and_calls_no_provider() {
    let app = app_with_tokens().await;
    app.expect_no_provider_calls().await;
    let prefix = &TOKEN_A[..TOKEN_A.len() - 1];
    let wrong = [
        None,
        Some("Bearer".to_owned()),
        Some("Bearer nope".to_owned()),
        Some(format!("Bearer {prefix}")),
        Some(format!("Bearer {TOKEN_A}x")),
        Some(format!("Basic {TOKEN_A}")),
        Some(TOKEN_A.to_owned()),
    ];
    for header in wrong {
        let resp = call(&app, header.as_deref()).await;
        assert_eq!(resp.status(), 401, "{header:?}");
        assert_eq!(resp.headers()["www-authenticate"], "Bearer");
        let body = resp.text().await.unwrap();
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert!(json["error"].as_str().unwrap().contains("Bearer"), "{body}");
        assert!(!body.contains(TOKEN_A) && !body.contains(prefix), "{body}");
    }
}

#[tokio::test]
async fn tokens_never_reach_the_log() {
    let app = app_with_tokens().await;
    app.providers_all_pass(Duration::ZERO).await;
    call(&app, Some(&format!("Bearer {TOKEN_A}"))).await;
    call(&app, Some(&format!("Bearer {TOKEN_B}-wrong"))).await;
    let log = captured_log();
    assert!(log.contains("validated"), "requests were logged:\n{log}");
    for secret in [TOKEN_A, TOKEN_B, "tok_A_", "tok_B_"] {
        assert!(!log.contains(secret), "{secret} in the log");
    }
}

#[tokio::test]
async fn the_group_checks_need_a_token_too() {
    let app = app_with_tokens().await;
    app.providers_all_pass(Duration::ZERO).await;
    let check = |authorization: Option<String>| {
        let mut request = app
            .http
            .post(app.url("/api/v1/check/email"))
            .json(&to_json(&valid_form()));
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        request.send()
    };
    assert_eq!(check(None).await.unwrap().status(), 401);
    let resp = check(Some(format!("Bearer {TOKEN_B}"))).await.unwrap();
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn the_form_needs_no_token() {
    let app = app_with_tokens().await;
    app.providers_all_pass(Duration::ZERO).await;
    assert_eq!(app.post_form("/async", &valid_form()).await.status(), 200);
}

#[tokio::test]
async fn a_closed_api_says_how_to_open_it_and_calls_no_provider() {
    let app = spawn_app_with(|s| s.protection.api = ApiAccess::Closed).await;
    app.expect_no_provider_calls().await;
    let resp = call(&app, Some("Bearer anything")).await;
    assert_eq!(resp.status(), 403);
    let json: serde_json::Value = resp.json().await.unwrap();
    let error = json["error"].as_str().unwrap();
    assert!(error.contains("VOUCH_API_OPEN=true"), "{error}");
    assert!(error.contains("VOUCH_API_TOKENS"), "{error}");
    // The form is the product; closing the API leaves it alone.
    assert_eq!(
        app.post_form("/async", &[("firstName", "")]).await.status(),
        200
    );
}
