//! Paths, 404s and the handle's lifecycle.

use std::time::Duration;

use reqwest::StatusCode;

use super::{TestSandbox, read};

#[tokio::test]
async fn healthz_answers_ok() {
    let sb = TestSandbox::start().await;
    let response = sb.client.get(sb.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn base_url_is_loopback_with_the_bound_port() {
    let sb = TestSandbox::start().await;
    let addr = sb.handle.addr();
    assert!(addr.ip().is_loopback());
    assert_eq!(
        sb.handle.base_url(),
        format!("http://127.0.0.1:{}", addr.port())
    );
}

#[tokio::test]
async fn unknown_paths_get_each_providers_404_shape() {
    let sb = TestSandbox::start().await;
    let get = |path: &'static str| sb.client.get(sb.url(path)).send();

    let (status, content_type, body) = read(get("/v1/addresses").await.unwrap()).await;
    assert_eq!(
        (status, content_type.as_str()),
        (StatusCode::NOT_FOUND, "application/json")
    );
    assert_eq!(body["error"]["code"], "unrecognized_endpoint");
    assert_eq!(body["error"]["status_code"], 404);

    let (status, content_type, body) = read(get("/v2/nothing").await.unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(content_type, "application/json; charset=UTF-8");
    assert_eq!(
        (body["status"].as_str(), body["code"].as_u64()),
        (Some("error"), Some(404))
    );

    let (status, _, body) = read(get("/nope").await.unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["error"].is_string());
}

#[tokio::test]
async fn a_wrong_method_is_rejected_in_the_providers_shape() {
    let sb = TestSandbox::start().await;
    let response = sb
        .client
        .get(sb.url("/v1/us_verifications"))
        .send()
        .await
        .unwrap();
    let (status, _, body) = read(response).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body["error"]["status_code"], 405);
}

#[tokio::test]
async fn shutting_the_handle_down_stops_the_listener() {
    let sb = TestSandbox::start().await;
    let url = sb.url("/healthz");
    assert!(sb.client.get(&url).send().await.is_ok());
    let TestSandbox { handle, client } = sb;
    handle.shutdown();
    drop(client);
    assert!(
        refused_within_a_second(&url).await,
        "the sandbox still answers after shutdown"
    );
}

#[tokio::test]
async fn dropping_the_handle_stops_the_listener_too() {
    let sb = TestSandbox::start().await;
    let url = sb.url("/healthz");
    drop(sb);
    assert!(
        refused_within_a_second(&url).await,
        "the sandbox still answers after its handle was dropped"
    );
}

/// Whether `url` stops answering within a second. A fresh client, so that no pooled
/// connection is reused.
async fn refused_within_a_second(url: &str) -> bool {
    let fresh = reqwest::Client::new();
    for _ in 0..50 {
        if fresh.get(url).send().await.is_err() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}
