//! The provider call path under faults, in both modes: each fault leaves its fields in the
//! expected state, the answer is 200 and inside the deadline, and the number of upstream
//! calls is what the policy promises (one retry for a transient failure, none otherwise).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{TestApp, spawn_app_with, valid_form, veriphone_answer};
use crate::providers::to_json;
use vouch::checks::CheckKind;
use vouch::config::Endpoint;

const DEADLINE: Duration = Duration::from_secs(2);
/// Scheduling noise allowed past the deadline.
const MARGIN: Duration = Duration::from_millis(50);

/// An app whose per-call timeout is 1 s and deadline 2 s, Eva and Lob answering at once.
async fn app() -> TestApp {
    let app = spawn_app_with(|s| s.policy.deadline = DEADLINE).await;
    app.providers_all_pass(Duration::ZERO).await;
    app.veriphone.reset().await;
    app
}

/// One submission in `mode`: its JSON and how long it took.
async fn submit(app: &TestApp, mode: &str) -> (Value, Duration) {
    let started = Instant::now();
    let resp = app
        .post_json(&format!("?mode={mode}"), &to_json(&valid_form()))
        .await;
    assert_eq!(resp.status(), 200, "{mode}");
    (resp.json().await.unwrap(), started.elapsed())
}

async fn upstream_calls(server: &MockServer) -> usize {
    server.received_requests().await.unwrap_or_default().len()
}

#[tokio::test]
async fn each_fault_leaves_the_phone_as_expected_in_both_modes_within_the_deadline() {
    let ok = || ResponseTemplate::new(200).set_body_json(veriphone_answer(true));
    let cases: Vec<(&str, Vec<ResponseTemplate>, &str, &str, usize)> = vec![
        (
            "hangs",
            vec![ok().set_delay(Duration::from_secs(30))],
            "unverified",
            "timeout",
            1,
        ),
        (
            "just under the timeout",
            vec![ok().set_delay(Duration::from_millis(700))],
            "valid",
            "pass",
            1,
        ),
        (
            "just over the timeout",
            vec![ok().set_delay(Duration::from_millis(1300))],
            "unverified",
            "timeout",
            1,
        ),
        (
            "500",
            vec![ResponseTemplate::new(500)],
            "unverified",
            "error",
            2,
        ),
        (
            "503 then 200",
            vec![ResponseTemplate::new(503), ok()],
            "valid",
            "pass",
            2,
        ),
        (
            "429 with Retry-After: 1, then 200",
            vec![
                ResponseTemplate::new(429).insert_header("retry-after", "1"),
                ok(),
            ],
            "valid",
            "pass",
            2,
        ),
        (
            "garbage",
            vec![ResponseTemplate::new(200).set_body_string("<<garbage>>")],
            "unverified",
            "error",
            1,
        ),
        (
            "truncated JSON",
            vec![ResponseTemplate::new(200).set_body_string(r#"{"status":"success","phone_va"#)],
            "unverified",
            "error",
            1,
        ),
        (
            "401",
            vec![ResponseTemplate::new(401)],
            "unverified",
            "error",
            1,
        ),
    ];
    for (what, replies, status, outcome, calls) in cases {
        for mode in ["concurrent", "sequential"] {
            let app = app().await;
            let last = replies.len() - 1;
            for (i, reply) in replies.iter().enumerate() {
                let mock = Mock::given(path("/v2/verify")).respond_with(reply.clone());
                let mock = if i < last {
                    mock.up_to_n_times(1)
                } else {
                    mock
                };
                mock.mount(&app.veriphone).await;
            }
            let (json, took) = submit(&app, mode).await;
            let case = format!("{what}, {mode}");
            assert_eq!(
                json["fields"]["phoneNumber"]["status"], status,
                "{case}: {json}"
            );
            assert_eq!(json["checks"][2]["outcome"], outcome, "{case}");
            assert_eq!(json["valid"], true, "{case}");
            assert!(took < DEADLINE + MARGIN, "{case}: took {took:?}");
            assert_eq!(upstream_calls(&app.veriphone).await, calls, "{case}");
        }
    }
}

/// A fake provider that answers every request with the head of a 200 and a few bytes of a
/// promised 400-byte body, then closes the connection; counts the connections it took.
async fn resetting_provider() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let taken = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&taken);
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = tcp.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                            content-length: 400\r\n\r\n{\"status\":\"success\",";
                let _ = tcp.write_all(head.as_bytes()).await;
            });
        }
    });
    (url, taken)
}

#[tokio::test]
async fn a_refused_or_reset_connection_is_retried_once_then_left_unverified() {
    for mode in ["concurrent", "sequential"] {
        let refused =
            spawn_app_with(|s| s.veriphone = Endpoint::url("http://127.0.0.1:9", "k")).await;
        refused.providers_all_pass(Duration::ZERO).await;
        let (json, took) = submit(&refused, mode).await;
        assert_eq!(
            json["fields"]["phoneNumber"]["status"], "unverified",
            "refused, {mode}"
        );
        assert_eq!(json["checks"][2]["outcome"], "error", "refused, {mode}");
        assert!(
            took < Duration::from_secs(4) + MARGIN,
            "refused, {mode}: {took:?}"
        );

        let (url, connections) = resetting_provider().await;
        let reset = spawn_app_with(|s| s.veriphone = Endpoint::url(url, "k")).await;
        reset.providers_all_pass(Duration::ZERO).await;
        let (json, _) = submit(&reset, mode).await;
        assert_eq!(
            json["fields"]["phoneNumber"]["status"], "unverified",
            "reset, {mode}"
        );
        assert_eq!(json["checks"][2]["outcome"], "error", "reset, {mode}");
        assert_eq!(
            connections.load(Ordering::SeqCst),
            2,
            "reset, {mode}: one retry"
        );
    }
}

#[tokio::test]
async fn no_answer_is_later_than_the_deadline_whatever_the_providers_do() {
    let deadline = Duration::from_millis(1500);
    for mode in ["concurrent", "sequential"] {
        let app = spawn_app_with(|s| {
            s.policy.deadline = deadline;
            s.policy.per_call = Duration::from_secs(3);
        })
        .await;
        app.providers_all_pass(Duration::from_secs(30)).await;
        let (json, took) = submit(&app, mode).await;
        assert!(
            took >= deadline && took < deadline + MARGIN,
            "{mode}: took {took:?}"
        );
        for check in json["checks"].as_array().unwrap() {
            assert_eq!(check["outcome"], "timeout", "{mode}: {check}");
        }
        for field in ["email", "phoneNumber", "address", "city", "state", "zip"] {
            assert_eq!(
                json["fields"][field]["status"], "unverified",
                "{mode}: {field}"
            );
        }
    }
}

#[tokio::test]
async fn a_failing_provider_opens_its_breaker_and_is_not_called_while_open() {
    let app = app().await;
    Mock::given(path("/v2/verify"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&app.veriphone)
        .await;
    for _ in 0..5 {
        submit(&app, "concurrent").await;
    }
    let calls = upstream_calls(&app.veriphone).await;
    let (json, took) = submit(&app, "concurrent").await;
    assert_eq!(json["checks"][2]["outcome"], "circuit_open");
    assert_eq!(json["fields"]["phoneNumber"]["status"], "unverified");
    assert!(
        took < Duration::from_millis(500),
        "refused at once: {took:?}"
    );
    assert_eq!(
        upstream_calls(&app.veriphone).await,
        calls,
        "not called while open"
    );
    let ready: Value = app.get("/readyz").await.json().await.unwrap();
    assert_eq!(ready["providers"]["veriphone"], "open", "{ready}");
    assert_eq!(ready["providers"]["eva"], "closed", "{ready}");
    // The process's recorder is shared by every app in this test binary, so only the series'
    // presence is asserted here; the policy's unit tests check the values.
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(metrics.contains(r#"vouch_provider_breaker_state{provider="veriphone"}"#));
    assert!(metrics.contains(r#"vouch_provider_retries_total{provider="veriphone"}"#));
}

#[tokio::test]
async fn the_same_details_twice_are_answered_from_the_cache() {
    let app = spawn_app_with(|s| s.policy.cache_ttl = Some(Duration::from_secs(60))).await;
    app.providers_all_pass(Duration::ZERO).await;
    let (first, _) = submit(&app, "concurrent").await;
    let (second, _) = submit(&app, "sequential").await;
    for i in 0..3 {
        assert_eq!(first["checks"][i]["outcome"], "pass", "{first}");
        assert_eq!(second["checks"][i]["outcome"], "cached", "{second}");
    }
    assert_eq!(second["valid"], true);
    for server in [&app.eva, &app.lob, &app.veriphone] {
        assert_eq!(upstream_calls(server).await, 1);
    }
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(metrics.contains(r#"vouch_cache_lookups_total{provider="eva",result="hit"}"#));
}

#[tokio::test]
async fn identical_submissions_at_the_same_moment_share_one_call_per_provider() {
    let app = spawn_app_with(|s| s.policy.cache_ttl = Some(Duration::from_secs(60))).await;
    app.providers_all_pass(Duration::from_millis(300)).await;
    let submissions = (0..10).map(|_| submit(&app, "concurrent"));
    let answers = futures::future::join_all(submissions).await;
    for server in [&app.eva, &app.lob, &app.veriphone] {
        assert_eq!(upstream_calls(server).await, 1);
    }
    assert!(answers.iter().all(|(json, _)| json["valid"] == true));
}

#[tokio::test]
async fn an_error_is_never_cached() {
    let app = spawn_app_with(|s| s.policy.cache_ttl = Some(Duration::from_secs(60))).await;
    app.providers_all_pass(Duration::ZERO).await;
    app.veriphone.reset().await;
    Mock::given(path("/v2/verify"))
        .respond_with(ResponseTemplate::new(400))
        .mount(&app.veriphone)
        .await;
    submit(&app, "concurrent").await;
    let (json, _) = submit(&app, "concurrent").await;
    assert_eq!(json["checks"][2]["outcome"], "error");
    assert_eq!(json["checks"][0]["outcome"], "cached");
    assert_eq!(upstream_calls(&app.veriphone).await, 2);
}

#[tokio::test]
async fn readyz_is_ready_with_closed_breakers_until_shutdown_begins() {
    let served = app().await;
    let ready = served.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"ready": true, "providers":
            {"eva": "closed", "lob": "closed", "veriphone": "closed"}})
    );
    // A connection still open sees 503 once the flag is up...
    served.shutdown_flag.begin();
    let not_ready = served.get("/readyz").await;
    assert_eq!(not_ready.status(), 503);
    assert_eq!(not_ready.json::<Value>().await.unwrap()["ready"], false);
    assert_eq!(served.get("/healthz").await.status(), 200, "still alive");
    // ...and a graceful shutdown raises it.
    let fresh = app().await;
    assert!(!fresh.shutdown_flag.has_begun());
    let mut fresh = fresh;
    fresh.shutdown();
    let started = Instant::now();
    while !fresh.shutdown_flag.has_begun() && started.elapsed() < Duration::from_secs(2) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(fresh.shutdown_flag.has_begun());
}

#[tokio::test]
async fn past_its_call_budget_a_provider_is_not_called() {
    let app = spawn_app_with(|s| {
        s.policy.budgets = vec![(CheckKind::Phone, "2/day".parse().unwrap())];
    })
    .await;
    app.providers_all_pass(Duration::ZERO).await;
    for _ in 0..2 {
        let (json, _) = submit(&app, "concurrent").await;
        assert_eq!(json["checks"][2]["outcome"], "pass");
    }
    let (json, _) = submit(&app, "concurrent").await;
    assert_eq!(json["checks"][2]["outcome"], "over_budget", "{json}");
    assert_eq!(json["fields"]["phoneNumber"]["status"], "unverified");
    assert_eq!(
        json["checks"][0]["outcome"], "pass",
        "other providers are not limited"
    );
    assert_eq!(upstream_calls(&app.veriphone).await, 2);
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics
            .contains(r#"vouch_provider_calls_total{provider="veriphone",outcome="over_budget"} "#),
        "{metrics}"
    );
}
