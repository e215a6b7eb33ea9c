//! The latency model over real sockets. Bounds are loose (the machine is shared): an answer
//! never comes before its delay, and concurrent delays overlap instead of adding up.

use std::time::{Duration, Instant};

use super::{TestSandbox, instant};
use crate::{LatencySpec, SandboxOptions};

fn fixed(ms: u64) -> SandboxOptions {
    SandboxOptions {
        latency: LatencySpec::uniform(Duration::from_millis(ms)),
        ..instant()
    }
}

#[tokio::test]
async fn a_fixed_50ms_latency_delays_every_provider() {
    let sb = TestSandbox::start_with(fixed(50)).await;
    let start = Instant::now();
    sb.eva("jane@gmail.com").await;
    assert!(
        start.elapsed() >= Duration::from_millis(50),
        "eva {:?}",
        start.elapsed()
    );
    let start = Instant::now();
    sb.lob(&[("primary_line", "deliverable"), ("zip_code", "11111")])
        .await;
    assert!(
        start.elapsed() >= Duration::from_millis(50),
        "lob {:?}",
        start.elapsed()
    );
    let start = Instant::now();
    sb.veriphone("+12024561111", "US").await;
    assert!(
        start.elapsed() >= Duration::from_millis(50),
        "veriphone {:?}",
        start.elapsed()
    );
    let start = Instant::now();
    sb.client.get(sb.url("/healthz")).send().await.unwrap();
    assert!(
        start.elapsed() < Duration::from_millis(200),
        "healthz is not delayed"
    );
}

#[tokio::test]
async fn each_provider_has_its_own_median() {
    let latency = "eva=0ms,lob=150ms,veriphone=0ms".parse().unwrap();
    let sb = TestSandbox::start_with(SandboxOptions {
        latency,
        ..instant()
    })
    .await;
    let start = Instant::now();
    sb.lob(&[("primary_line", "deliverable"), ("zip_code", "11111")])
        .await;
    assert!(start.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn two_hundred_concurrent_requests_wait_on_timers_not_threads() {
    let sb = TestSandbox::start_with(fixed(100)).await;
    // Warm the connection path once so the measurement is about the delays.
    sb.veriphone("+12024561111", "US").await;
    let start = Instant::now();
    let requests = (0..200).map(|i| {
        let sb = &sb;
        async move {
            match i % 3 {
                0 => sb.eva("jane@gmail.com").await.status(),
                1 => sb
                    .lob(&[("primary_line", "deliverable"), ("zip_code", "11111")])
                    .await
                    .status(),
                _ => sb.veriphone("+12024561111", "US").await.status(),
            }
        }
    });
    let statuses = futures::future::join_all(requests).await;
    let elapsed = start.elapsed();
    assert!(statuses.iter().all(|s| s.is_success()), "{statuses:?}");
    // Serially this is 20 s; overlapping timers make it ~0.1 s plus overhead.
    assert!(elapsed >= Duration::from_millis(100), "{elapsed:?}");
    assert!(
        elapsed < Duration::from_secs(2),
        "200 × 100 ms took {elapsed:?}"
    );
}

#[tokio::test]
async fn jittered_latency_varies_around_the_median() {
    let opts = SandboxOptions {
        jitter: true,
        seed: Some(3),
        ..fixed(40)
    };
    let sb = TestSandbox::start_with(opts).await;
    let mut took = Vec::new();
    for _ in 0..15 {
        let start = Instant::now();
        sb.eva("jane@gmail.com").await;
        took.push(start.elapsed());
    }
    let (min, max) = (took.iter().min().unwrap(), took.iter().max().unwrap());
    assert!(
        *max - *min >= Duration::from_millis(5),
        "no jitter: {took:?}"
    );
}
