//! A circuit breaker per provider: when most of its recent calls failed, the provider is not
//! called at all for a cool-down, then one probe decides whether it is back.
//!
//! "Most of its recent calls" is a failure rate over a sliding window, not a run of failures:
//! at thousands of calls a second, a provider that fails 15 % of calls produces runs of five
//! failures every few seconds, and a run-counting breaker would cut off a provider that
//! answers 85 % of the time.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

// Tokio's clock, so that tests with paused time see cool-downs and windows pass.
use tokio::time::Instant;

use strum::IntoStaticStr;

/// The window is this many buckets of [`BUCKET`] each.
const BUCKETS: usize = 10;
const BUCKET: Duration = Duration::from_secs(1);
/// Fewer calls than this in the window say nothing.
const MIN_CALLS: u32 = 5;
/// The share of failed calls in the window that opens the breaker.
const FAILURE_RATE: f64 = 0.5;

/// What `/readyz` and the metrics show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum BreakerState {
    /// Calls go through.
    Closed,
    /// One probe call is out; others are refused until it ends.
    HalfOpen,
    /// Calls are refused until the cool-down ends.
    Open,
}

impl BreakerState {
    /// The value of `vouch_provider_breaker_state`.
    pub fn gauge(self) -> f64 {
        match self {
            BreakerState::Closed => 0.0,
            BreakerState::HalfOpen => 1.0,
            BreakerState::Open => 2.0,
        }
    }
}

pub struct Breaker {
    inner: Mutex<Inner>,
    cool_down: Duration,
}

struct Inner {
    state: BreakerState,
    window: Window,
    opened_at: Instant,
}

/// Calls and failures per bucket of the last [`BUCKETS`] × [`BUCKET`].
struct Window {
    /// (calls, failures) per bucket; `current` is the bucket of `current_start`.
    buckets: [(u32, u32); BUCKETS],
    current: usize,
    current_start: Instant,
}

impl Window {
    fn new() -> Window {
        Window {
            buckets: [(0, 0); BUCKETS],
            current: 0,
            current_start: Instant::now(),
        }
    }

    /// Moves the current bucket up to now, emptying the buckets it passes.
    fn advance(&mut self) {
        let mut passed = 0;
        while self.current_start.elapsed() >= BUCKET && passed < BUCKETS {
            self.current = (self.current + 1) % BUCKETS;
            self.buckets[self.current] = (0, 0);
            self.current_start += BUCKET;
            passed += 1;
        }
        if passed == BUCKETS {
            self.current_start = Instant::now();
        }
    }

    fn record(&mut self, failed: bool) {
        self.advance();
        let bucket = &mut self.buckets[self.current];
        bucket.0 += 1;
        bucket.1 += u32::from(failed);
    }

    fn too_many_failures(&self) -> bool {
        let (calls, failures) = self
            .buckets
            .iter()
            .fold((0, 0), |(c, f), (bc, bf)| (c + bc, f + bf));
        calls >= MIN_CALLS && f64::from(failures) >= FAILURE_RATE * f64::from(calls)
    }
}

impl Breaker {
    pub fn new(cool_down: Duration) -> Breaker {
        Breaker {
            inner: Mutex::new(Inner {
                state: BreakerState::Closed,
                window: Window::new(),
                opened_at: Instant::now(),
            }),
            cool_down,
        }
    }

    pub fn state(&self) -> BreakerState {
        self.lock().state
    }

    /// A ticket to call the provider, or `None` while the breaker is open (or a probe is out).
    pub fn admit(&self) -> Option<Ticket<'_>> {
        let mut inner = self.lock();
        let probe = match inner.state {
            BreakerState::Closed => false,
            BreakerState::Open if inner.opened_at.elapsed() >= self.cool_down => {
                inner.state = BreakerState::HalfOpen;
                true
            }
            BreakerState::Open | BreakerState::HalfOpen => return None,
        };
        Some(Ticket {
            breaker: self,
            probe,
            recorded: false,
        })
    }

    fn record(&self, probe: bool, provider_ok: bool) {
        let mut inner = self.lock();
        if probe {
            // The probe alone decides; the calls before the breaker opened are history.
            inner.window = Window::new();
            if provider_ok {
                inner.state = BreakerState::Closed;
            } else {
                inner.state = BreakerState::Open;
                inner.opened_at = Instant::now();
            }
            return;
        }
        inner.window.record(!provider_ok);
        if inner.state == BreakerState::Closed && inner.window.too_many_failures() {
            inner.state = BreakerState::Open;
            inner.opened_at = Instant::now();
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A poisoned lock only means a panic elsewhere; the state is still consistent.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Permission for one call; how it went is recorded once. A probe abandoned without an
/// answer (its submission's deadline passed) counts as a failure, so the breaker never waits
/// forever on a probe nobody finishes.
pub struct Ticket<'a> {
    breaker: &'a Breaker,
    probe: bool,
    recorded: bool,
}

impl Ticket<'_> {
    /// `provider_ok`: the provider answered (a pass or a fail); `false` for any failure of it.
    pub fn record(mut self, provider_ok: bool) {
        self.recorded = true;
        self.breaker.record(self.probe, provider_ok);
    }
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        if !self.recorded && self.probe {
            self.breaker.record(true, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(breaker: &Breaker, ok: bool, times: u32) {
        for _ in 0..times {
            breaker.admit().unwrap().record(ok);
        }
    }

    #[tokio::test(start_paused = true)]
    async fn opens_when_most_recent_calls_failed_and_refuses_calls() {
        let breaker = Breaker::new(Duration::from_secs(60));
        calls(&breaker, false, MIN_CALLS - 1);
        assert_eq!(
            breaker.state(),
            BreakerState::Closed,
            "too few calls to judge"
        );
        let breaker = Breaker::new(Duration::from_secs(60));
        calls(&breaker, true, 10);
        calls(&breaker, false, 9);
        assert_eq!(
            breaker.state(),
            BreakerState::Closed,
            "9 of 19 failed: under half"
        );
        calls(&breaker, false, 1);
        assert_eq!(breaker.state(), BreakerState::Open, "10 of 20");
        assert!(breaker.admit().is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn a_steady_share_of_failures_under_half_never_opens_it() {
        let breaker = Breaker::new(Duration::from_secs(60));
        // 15 % failing, in runs of five: a run-counting breaker would open at once.
        for _ in 0..200 {
            calls(&breaker, true, 28);
            calls(&breaker, false, 5);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(breaker.state(), BreakerState::Closed);
    }

    #[tokio::test(start_paused = true)]
    async fn old_failures_leave_the_window() {
        let breaker = Breaker::new(Duration::from_secs(60));
        calls(&breaker, false, MIN_CALLS - 1);
        tokio::time::sleep(BUCKET * BUCKETS as u32).await;
        calls(&breaker, false, 1);
        calls(&breaker, true, 1);
        assert_eq!(breaker.state(), BreakerState::Closed);
    }

    #[tokio::test(start_paused = true)]
    async fn after_the_cool_down_one_probe_decides() {
        let breaker = Breaker::new(Duration::from_secs(5));
        calls(&breaker, false, MIN_CALLS);
        assert!(breaker.admit().is_none());
        tokio::time::sleep(Duration::from_secs(5)).await;
        let probe = breaker.admit().unwrap();
        assert_eq!(breaker.state(), BreakerState::HalfOpen);
        assert!(breaker.admit().is_none(), "only one probe at a time");
        probe.record(false);
        assert_eq!(breaker.state(), BreakerState::Open);
        tokio::time::sleep(Duration::from_secs(5)).await;
        breaker.admit().unwrap().record(true);
        assert_eq!(breaker.state(), BreakerState::Closed);
        calls(&breaker, false, 1);
        assert_eq!(
            breaker.state(),
            BreakerState::Closed,
            "the window started afresh"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn an_abandoned_probe_reopens_the_breaker() {
        let breaker = Breaker::new(Duration::ZERO);
        calls(&breaker, false, MIN_CALLS);
        drop(breaker.admit().unwrap());
        assert_eq!(breaker.state(), BreakerState::Open);
        assert!(
            breaker.admit().is_some(),
            "the next probe may go after the cool-down"
        );
    }
}
