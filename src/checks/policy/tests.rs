//! The policy against a scripted fake provider: every test counts the attempts it made.
//! Time is Tokio's paused clock, so waits and deadlines are exact and instant.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::time::{Instant, sleep};

use super::*;

/// A fake provider: each attempt takes the next scripted reply (the last one repeats) after
/// its delay, and counts itself.
struct Fake {
    script: Mutex<VecDeque<(Duration, Result<u32, ProviderError>)>>,
    attempts: AtomicUsize,
}

impl Fake {
    fn new(script: &[(u64, Result<u32, ProviderError>)]) -> Fake {
        Fake {
            script: Mutex::new(
                script
                    .iter()
                    .map(|(ms, r)| (Duration::from_millis(*ms), r.clone()))
                    .collect(),
            ),
            attempts: AtomicUsize::new(0),
        }
    }

    async fn attempt(&self) -> Result<u32, ProviderError> {
        self.attempts.fetch_add(1, Ordering::SeqCst);
        let (delay, reply) = {
            let mut script = self.script.lock().unwrap();
            if script.len() > 1 {
                script.pop_front().unwrap()
            } else {
                script.front().cloned().unwrap()
            }
        };
        sleep(delay).await;
        reply
    }

    fn attempts(&self) -> usize {
        self.attempts.load(Ordering::SeqCst)
    }
}

fn policy(tweak: impl FnOnce(&mut PolicySettings)) -> ProviderPolicy<u32> {
    let mut settings = PolicySettings::default();
    tweak(&mut settings);
    ProviderPolicy::new(CheckKind::Email, &settings)
}

fn in_4s() -> Instant {
    Instant::now() + Duration::from_secs(4)
}

async fn call(
    p: &ProviderPolicy<u32>,
    key: &str,
    fake: &Fake,
) -> Result<Served<u32>, ProviderError> {
    p.call(Some(key.to_owned()), in_4s(), || fake.attempt())
        .await
}

#[tokio::test(start_paused = true)]
async fn a_definite_answer_is_served_from_the_cache_the_second_time() {
    let p = policy(|_| {});
    let fake = Fake::new(&[(100, Ok(7))]);
    assert_eq!(
        call(&p, "a", &fake).await,
        Ok(Served {
            value: 7,
            cached: false
        })
    );
    assert_eq!(
        call(&p, "a", &fake).await,
        Ok(Served {
            value: 7,
            cached: true
        })
    );
    assert_eq!(call(&p, "b", &fake).await.map(|s| s.cached), Ok(false));
    assert_eq!(fake.attempts(), 2);
}

#[tokio::test(start_paused = true)]
async fn identical_calls_in_flight_share_one_attempt() {
    let p = policy(|_| {});
    let fake = Fake::new(&[(100, Ok(7))]);
    let calls = (0..10).map(|_| call(&p, "same", &fake));
    let served = futures::future::join_all(calls).await;
    assert_eq!(fake.attempts(), 1);
    assert_eq!(
        served.iter().filter(|s| s.as_ref().unwrap().cached).count(),
        9
    );
}

#[tokio::test(start_paused = true)]
async fn errors_are_not_cached_and_a_disabled_cache_calls_every_time() {
    let p = policy(|_| {});
    let fake = Fake::new(&[(10, Err(ProviderError::Malformed)), (10, Ok(1))]);
    assert_eq!(call(&p, "a", &fake).await, Err(ProviderError::Malformed));
    assert_eq!(call(&p, "a", &fake).await.map(|s| s.value), Ok(1));
    let uncached = policy(|s| s.cache_ttl = None);
    let fake = Fake::new(&[(10, Ok(1))]);
    call(&uncached, "a", &fake).await.unwrap();
    call(&uncached, "a", &fake).await.unwrap();
    assert_eq!(fake.attempts(), 2);
    let fake = Fake::new(&[(10, Ok(1))]);
    let keyless = p.call(None, in_4s(), || fake.attempt()).await;
    assert_eq!(
        keyless,
        Ok(Served {
            value: 1,
            cached: false
        }),
        "no key: asked afresh"
    );
}

#[tokio::test(start_paused = true)]
async fn a_transient_failure_is_retried_once() {
    let p = policy(|_| {});
    let fake = Fake::new(&[(10, Err(ProviderError::Status(503))), (10, Ok(1))]);
    assert_eq!(call(&p, "a", &fake).await.map(|s| s.value), Ok(1));
    assert_eq!(fake.attempts(), 2);
    let fake = Fake::new(&[(10, Err(ProviderError::Status(500)))]);
    assert_eq!(call(&p, "b", &fake).await, Err(ProviderError::Status(500)));
    assert_eq!(fake.attempts(), 2, "one retry, never two");
}

#[tokio::test(start_paused = true)]
async fn failures_a_retry_cannot_mend_are_not_retried() {
    let p = policy(|_| {});
    for err in [
        ProviderError::Status(400),
        ProviderError::Status(401),
        ProviderError::Malformed,
        ProviderError::Timeout,
    ] {
        let fake = Fake::new(&[(10, Err(err.clone()))]);
        assert_eq!(call(&p, "a", &fake).await, Err(err.clone()));
        assert_eq!(fake.attempts(), 1, "{err:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured_when_it_fits_the_deadline() {
    let p = policy(|_| {});
    let throttled = |secs| ProviderError::Throttled {
        retry_after: Some(Duration::from_secs(secs)),
    };
    let fake = Fake::new(&[(10, Err(throttled(1))), (10, Ok(1))]);
    let started = Instant::now();
    assert_eq!(call(&p, "a", &fake).await.map(|s| s.value), Ok(1));
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited as asked"
    );
    let fake = Fake::new(&[(10, Err(throttled(30))), (10, Ok(1))]);
    assert_eq!(call(&p, "b", &fake).await, Err(throttled(30)));
    assert_eq!(fake.attempts(), 1, "30 s does not fit a 4 s deadline");
}

#[tokio::test(start_paused = true)]
async fn retries_stay_within_their_budget() {
    let p = policy(|s| s.breaker_cool_down = Duration::ZERO);
    let fake = Fake::new(&[(1, Err(ProviderError::Status(503)))]);
    let calls = 200;
    for i in 0..calls {
        let _ = call(&p, &i.to_string(), &fake).await;
    }
    let retries = fake.attempts() - calls;
    // 10 % of the calls, plus the floor of one a second over the 10 s window.
    assert!(
        retries <= calls / 10 + 10,
        "{retries} retries for {calls} calls"
    );
    assert!(retries > 0);
}

#[tokio::test(start_paused = true)]
async fn repeated_failures_open_the_breaker_and_a_probe_closes_it() {
    let p = policy(|s| s.breaker_cool_down = Duration::from_secs(5));
    let fake = Fake::new(&[(10, Err(ProviderError::Malformed))]);
    for i in 0..5 {
        let _ = call(&p, &i.to_string(), &fake).await;
    }
    assert_eq!(p.breaker_state(), BreakerState::Open);
    assert_eq!(call(&p, "x", &fake).await, Err(ProviderError::CircuitOpen));
    assert_eq!(fake.attempts(), 5, "an open breaker calls nobody");
    sleep(Duration::from_secs(5)).await;
    let healthy = Fake::new(&[(10, Ok(1))]);
    assert_eq!(call(&p, "y", &healthy).await.map(|s| s.value), Ok(1));
    assert_eq!(p.breaker_state(), BreakerState::Closed);
}

#[tokio::test(start_paused = true)]
async fn a_hanging_provider_costs_the_deadline_and_no_more() {
    let p = policy(|s| s.per_call = Duration::from_secs(10));
    let fake = Fake::new(&[(60_000, Ok(1))]);
    let started = Instant::now();
    let deadline = started + Duration::from_millis(1500);
    let result = p.call(Some("a".into()), deadline, || fake.attempt()).await;
    assert_eq!(result, Err(ProviderError::Timeout));
    assert_eq!(started.elapsed(), Duration::from_millis(1500));
}

#[tokio::test(start_paused = true)]
async fn a_slow_call_is_hedged_and_the_first_answer_wins() {
    let p = policy(|s| {
        s.hedge = Some(0.95);
        s.hedge_budget = 1.0;
        s.cache_ttl = None;
    });
    let fast = Fake::new(&[(100, Ok(1))]);
    for _ in 0..40 {
        call(&p, "warm", &fast).await.unwrap();
    }
    // The next attempt hangs; its hedge (sent after ~100 ms) answers.
    let tail = Fake::new(&[(3_000, Ok(2)), (100, Ok(3))]);
    let started = Instant::now();
    assert_eq!(call(&p, "slow", &tail).await.map(|s| s.value), Ok(3));
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(tail.attempts(), 2);
}

#[tokio::test(start_paused = true)]
async fn hedging_off_sends_no_second_call() {
    let p = policy(|s| s.cache_ttl = None);
    let fast = Fake::new(&[(100, Ok(1))]);
    for _ in 0..40 {
        call(&p, "warm", &fast).await.unwrap();
    }
    let tail = Fake::new(&[(3_000, Ok(2)), (100, Ok(3))]);
    assert_eq!(call(&p, "slow", &tail).await.map(|s| s.value), Ok(2));
    assert_eq!(tail.attempts(), 1);
}

#[tokio::test(start_paused = true)]
async fn past_its_budget_a_provider_is_not_called() {
    let p = policy(|s| {
        s.budgets = vec![(CheckKind::Email, "2/day".parse().unwrap())];
        s.cache_ttl = None;
    });
    let fake = Fake::new(&[(10, Ok(1))]);
    call(&p, "a", &fake).await.unwrap();
    call(&p, "b", &fake).await.unwrap();
    assert_eq!(call(&p, "c", &fake).await, Err(ProviderError::OverBudget));
    assert_eq!(fake.attempts(), 2);
}

#[tokio::test(start_paused = true)]
async fn waiting_for_a_call_slot_counts_against_the_deadline() {
    let p = policy(|s| {
        s.concurrency = 1;
        s.cache_ttl = None;
    });
    let slow = Fake::new(&[(3_000, Ok(1))]);
    let deadline = Instant::now() + Duration::from_secs(4);
    let (first, second) = tokio::join!(
        p.call(Some("a".into()), deadline, || slow.attempt()),
        p.call(Some("b".into()), deadline, || slow.attempt()),
    );
    assert_eq!(first.map(|s| s.value), Ok(1));
    assert_eq!(
        second,
        Err(ProviderError::Timeout),
        "1 s left for a 3 s call"
    );
}

#[tokio::test(start_paused = true)]
async fn the_metrics_show_retries_hedges_cache_lookups_and_the_breaker() {
    let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
    let exported = recorder.handle();
    let p = metrics::with_local_recorder(&recorder, || policy(|_| {}));
    let ok = Fake::new(&[(10, Ok(1))]);
    call(&p, "a", &ok).await.unwrap();
    call(&p, "a", &ok).await.unwrap();
    let failing = Fake::new(&[(10, Err(ProviderError::Status(503)))]);
    for i in 0..5 {
        let _ = call(&p, &i.to_string(), &failing).await;
    }
    let text = exported.render();
    for series in [
        r#"vouch_cache_lookups_total{provider="eva",result="hit"} 1"#,
        r#"vouch_provider_breaker_state{provider="eva"} 2"#,
    ] {
        assert!(text.contains(series), "{series}\n{text}");
    }
    assert!(
        !text.contains(r#"vouch_provider_retries_total{provider="eva"} 0"#),
        "{text}"
    );
}
