//! The tutorial's claim: concurrent costs the slowest call, sequential the sum. Wide ordering
//! bounds only; the benchmark harness measures the real numbers.

use std::time::{Duration, Instant};

use crate::helpers::{spawn_app, valid_form};

const DELAY: Duration = Duration::from_millis(300);

#[tokio::test]
async fn async_costs_the_slowest_call_and_sync_the_sum() {
    let app = spawn_app().await;
    app.providers_all_pass(DELAY).await;
    // Warm the connection pool so both modes pay the same connection costs.
    app.post_form("/async", &valid_form()).await;

    let started = Instant::now();
    let resp = app.post_form("/async", &valid_form()).await;
    let concurrent = started.elapsed();
    assert_eq!(resp.status(), 200);

    let started = Instant::now();
    let resp = app.post_form("/sync", &valid_form()).await;
    let sequential = started.elapsed();
    assert_eq!(resp.status(), 200);

    assert!(concurrent < 2 * DELAY, "concurrent took {concurrent:?}");
    assert!(sequential > 3 * DELAY, "sequential took {sequential:?}");
}

#[tokio::test]
async fn every_validation_response_carries_server_timing() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::from_millis(10)).await;
    let html = app.post_form("/sync", &valid_form()).await;
    let json = app
        .post_json(
            "?mode=sequential",
            &crate::providers::to_json(&valid_form()),
        )
        .await;
    for resp in [html, json] {
        let header = resp.headers()["server-timing"].to_str().unwrap().to_owned();
        for name in ["eva;", "lob;", "veriphone;", "total;dur="] {
            assert!(header.contains(name), "{name} missing in {header}");
        }
    }
}

#[tokio::test]
async fn sequential_spans_form_a_staircase_and_concurrent_ones_overlap() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::from_millis(50)).await;
    let body = crate::providers::to_json(&valid_form());
    for (mode, staircase) in [("sequential", true), ("concurrent", false)] {
        let json: serde_json::Value = app
            .post_json(&format!("?mode={mode}"), &body)
            .await
            .json()
            .await
            .unwrap();
        let spans: Vec<(f64, f64)> = json["checks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["start_ms"].as_f64().unwrap(),
                    c["duration_ms"].as_f64().unwrap(),
                )
            })
            .collect();
        for pair in spans.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let b_starts_after_a_ends = b.0 >= a.0 + a.1 - 0.5;
            assert_eq!(b_starts_after_a_ends, staircase, "{mode}: {spans:?}");
        }
    }
}
