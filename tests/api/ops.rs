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

/// The value of the series starting with `series` (name and labels) in `/metrics`, 0 if absent.
async fn metric(app: &TestApp, series: &str) -> f64 {
    let text = app.get("/metrics").await.text().await.unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.trim().parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test]
async fn metrics_count_requests_and_provider_calls() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    // Series exist before they count (provider ones from start-up), and tests share the
    // process's recorder: compare before and after.
    let series = [
        r#"vouch_http_requests_total{route="/async",status="200"}"#,
        r#"vouch_http_request_duration_seconds_count{route="/async"}"#,
        r#"vouch_provider_calls_total{provider="veriphone",outcome="pass"}"#,
        r#"vouch_provider_call_duration_seconds_count{provider="veriphone"}"#,
    ];
    let mut before = Vec::new();
    for s in series {
        before.push(metric(&app, s).await);
    }
    app.post_form("/async", &valid_form()).await;
    for (s, was) in series.into_iter().zip(before) {
        let now = metric(&app, s).await;
        assert!(now >= was + 1.0, "{s}: {was} before, {now} after");
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
        s.policy.per_call = Duration::from_secs(10);
    })
    .await;
    // Far longer than the grace: the request is still in flight when the grace runs out.
    app.providers_all_pass(Duration::from_secs(4)).await;
    let request = submission_in_flight(&app).await;
    let took = shut_down_within(&mut app, Duration::from_secs(3)).await;
    assert!(took >= grace, "stopped before the grace ran out");
    request.abort();
}
