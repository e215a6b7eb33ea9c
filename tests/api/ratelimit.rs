//! Each validation may cost three paid calls, so each client gets the contract's default of
//! 30 a minute: the 31st is refused with `429` and `Retry-After`, before any provider is
//! asked, while other clients and the pages carry on. The client is the peer, or behind a
//! trusted proxy the rightmost `X-Forwarded-For` hop that is not a proxy.

use reqwest::StatusCode;
use vouch::web::ratelimit::RateLimit;

use crate::helpers::{TestApp, spawn_app_with, texts, valid_form};
use crate::providers::to_json;

/// The contract's default limit, behind a proxy on loopback when `proxied`.
async fn limited_app(proxied: bool) -> TestApp {
    spawn_app_with(|s| {
        s.protection.rate_limit = RateLimit::default();
        if proxied {
            s.protection.trusted_proxies = "127.0.0.1".parse().unwrap();
        }
    })
    .await
}

/// An empty form from `client` (as `X-Forwarded-For`, if any): checked locally, no provider.
async fn submit_empty(app: &TestApp, client: Option<&str>) -> reqwest::Response {
    let mut request = app.http.post(app.url("/async")).form(&[("firstName", "")]);
    if let Some(xff) = client {
        request = request.header("x-forwarded-for", xff);
    }
    request.send().await.unwrap()
}

fn retry_after(resp: &reqwest::Response) -> u64 {
    let value = resp.headers()["retry-after"].to_str().unwrap();
    value.parse().unwrap()
}

#[tokio::test]
async fn the_31st_submission_in_a_minute_is_refused_without_a_provider_call() {
    let app = limited_app(false).await;
    for n in 1..=30 {
        assert_eq!(
            submit_empty(&app, None).await.status(),
            200,
            "submission {n}"
        );
    }
    app.expect_no_provider_calls().await;
    let resp = app.post_form("/async", &valid_form()).await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        (1..=60).contains(&retry_after(&resp)),
        "whole seconds, at least 1"
    );
    let html = resp.text().await.unwrap();
    let notice = texts(&html, ".notice").join(" ");
    assert!(notice.contains("Please wait a little"), "{notice}");
    // The JSON API shares the client's allowance and answers in its own format.
    let resp = app.post_json("", &to_json(&valid_form())).await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after(&resp) >= 1);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("too many"),
        "{body}"
    );
    // So do the group checks, API sign-ups and the comparison: each spends provider calls.
    for path in ["/api/v1/check/phone", "/api/v1/signups"] {
        let resp = app
            .http
            .post(app.url(path))
            .json(&to_json(&valid_form()))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS, "{path}");
    }
    let resp = app.post_form("/compare", &valid_form()).await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn another_client_still_gets_its_own_allowance() {
    let app = limited_app(false).await;
    for _ in 0..30 {
        submit_empty(&app, None).await;
    }
    assert_eq!(submit_empty(&app, None).await.status(), 429);
    // Another machine: a second loopback address as the source.
    let other = reqwest::Client::builder()
        .local_address("127.0.0.2".parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap();
    let resp = other
        .post(app.url("/async"))
        .form(&[("firstName", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "127.0.0.2 is another client");
}

#[tokio::test]
async fn behind_a_trusted_proxy_clients_are_told_apart_and_a_forged_hop_buys_nothing() {
    let app = limited_app(true).await;
    for _ in 0..30 {
        submit_empty(&app, Some("198.51.100.7")).await;
    }
    assert_eq!(submit_empty(&app, Some("198.51.100.7")).await.status(), 429);
    // The client writes its own leftmost entries; the proxy appends the address it saw.
    for forged in [
        "6.6.6.6, 198.51.100.7",
        "10.1.2.3,198.51.100.7",
        "::1, 198.51.100.7",
    ] {
        let resp = submit_empty(&app, Some(forged)).await;
        assert_eq!(resp.status(), 429, "{forged}");
    }
    assert_eq!(submit_empty(&app, Some("198.51.100.8")).await.status(), 200);
}

#[tokio::test]
async fn an_untrusted_peer_cannot_pose_as_others_with_x_forwarded_for() {
    let app = limited_app(false).await;
    for n in 0..30 {
        submit_empty(&app, Some(&format!("198.51.100.{n}"))).await;
    }
    assert_eq!(submit_empty(&app, Some("203.0.113.1")).await.status(), 429);
}

#[tokio::test]
async fn pages_assets_and_operations_are_not_limited() {
    let app = limited_app(false).await;
    for _ in 0..31 {
        submit_empty(&app, None).await;
    }
    for route in [
        "/",
        "/sync",
        "/async",
        "/static/vouch.css",
        "/healthz",
        "/metrics",
    ] {
        for _ in 0..3 {
            assert_eq!(app.get(route).await.status(), 200, "{route}");
        }
    }
}

#[tokio::test]
async fn off_means_no_limit() {
    let app = spawn_app_with(|s| s.protection.rate_limit = RateLimit::Off).await;
    for n in 1..=40 {
        assert_eq!(
            submit_empty(&app, None).await.status(),
            200,
            "submission {n}"
        );
    }
}
