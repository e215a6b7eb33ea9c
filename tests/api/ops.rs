//! Operations: health, metrics, graceful shutdown.

use std::time::{Duration, Instant};

use tokio::task::JoinHandle;

use crate::helpers::{TestApp, spawn_app, spawn_app_with, valid_form};

#[tokio::test]
async fn healthz_answers_ok() {
    let app = spawn_app().await;
    let resp = app.get("/healthz").await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.text().await.unwrap(), "ok");
}

#[tokio::test]
async fn metrics_count_requests_and_provider_calls() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    app.post_form("/async", &valid_form()).await;
    app.get("/healthz").await;
    let text = app.get("/metrics").await.text().await.unwrap();
    for needle in [
        "vouch_http_requests_total{",
        "route=\"/async\"",
        "vouch_http_request_duration_seconds_bucket",
        "vouch_provider_calls_total{",
        "provider=\"veriphone\"",
        "vouch_provider_call_duration_seconds_bucket",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
}

/// A `/sync` submission sent from a task, given time to reach the server: in flight.
async fn submission_in_flight(app: &TestApp) -> JoinHandle<reqwest::Result<reqwest::Response>> {
    let (http, url) = (app.http.clone(), app.url("/sync"));
    let request = tokio::spawn(async move { http.post(url).form(&valid_form()).send().await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    request
}

/// Starts shutdown and waits for the server to stop, at most `limit`; how long it took.
async fn shut_down_within(app: &mut TestApp, limit: Duration) -> Duration {
    let started = Instant::now();
    app.shutdown();
    let server = app.server.take().unwrap();
    tokio::time::timeout(limit, server)
        .await
        .expect("the server did not stop in time")
        .unwrap()
        .unwrap();
    started.elapsed()
}

#[tokio::test]
async fn shutdown_during_a_slow_request_lets_it_finish() {
    let mut app = spawn_app().await;
    app.providers_all_pass(Duration::from_millis(500)).await;
    let request = submission_in_flight(&app).await;
    shut_down_within(&mut app, Duration::from_secs(5)).await;
    let resp = request.await.unwrap().unwrap();
    assert_eq!(resp.status(), 200, "the in-flight request finished");
    assert!(resp.text().await.unwrap().contains("Everything checks out"));
    // Stopped accepting.
    assert!(app.http.get(app.url("/healthz")).send().await.is_err());
}

#[tokio::test]
async fn shutdown_waits_no_longer_than_the_grace() {
    let grace = Duration::from_millis(300);
    let mut app = spawn_app_with(|s| {
        s.shutdown_grace = grace;
        s.provider_timeout = Duration::from_secs(10);
    })
    .await;
    // Far longer than the grace: the request is still in flight when the grace runs out.
    app.providers_all_pass(Duration::from_secs(4)).await;
    let request = submission_in_flight(&app).await;
    let took = shut_down_within(&mut app, Duration::from_secs(3)).await;
    assert!(took >= grace, "stopped before the grace ran out");
    request.abort();
}
