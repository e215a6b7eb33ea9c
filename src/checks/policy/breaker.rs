//! A circuit breaker per provider: after repeated failures the provider is not called at all
//! for a cool-down, then one probe decides whether it is back.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

// Tokio's clock, so that tests with paused time see cool-downs pass.
use tokio::time::Instant;

use strum::IntoStaticStr;

/// Consecutive failures that open the breaker.
const THRESHOLD: u32 = 5;

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
    /// Consecutive failures while closed.
    failures: u32,
    opened_at: Instant,
}

impl Breaker {
    pub fn new(cool_down: Duration) -> Breaker {
        Breaker {
            inner: Mutex::new(Inner {
                state: BreakerState::Closed,
                failures: 0,
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
        if provider_ok {
            inner.failures = 0;
            if probe {
                inner.state = BreakerState::Closed;
            }
            return;
        }
        inner.failures = inner.failures.saturating_add(1);
        if probe || (inner.state == BreakerState::Closed && inner.failures >= THRESHOLD) {
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

    fn fail(breaker: &Breaker, times: u32) {
        for _ in 0..times {
            breaker.admit().unwrap().record(false);
        }
    }

    #[test]
    fn opens_after_consecutive_failures_and_refuses_calls() {
        let breaker = Breaker::new(Duration::from_secs(60));
        fail(&breaker, THRESHOLD - 1);
        breaker.admit().unwrap().record(true);
        fail(&breaker, THRESHOLD - 1);
        assert_eq!(
            breaker.state(),
            BreakerState::Closed,
            "a success resets the count"
        );
        fail(&breaker, 1);
        assert_eq!(breaker.state(), BreakerState::Open);
        assert!(breaker.admit().is_none());
    }

    #[test]
    fn after_the_cool_down_one_probe_decides() {
        let breaker = Breaker::new(Duration::ZERO);
        fail(&breaker, THRESHOLD);
        let probe = breaker.admit().unwrap();
        assert_eq!(breaker.state(), BreakerState::HalfOpen);
        assert!(breaker.admit().is_none(), "only one probe at a time");
        probe.record(false);
        assert_eq!(breaker.state(), BreakerState::Open);
        breaker.admit().unwrap().record(true);
        assert_eq!(breaker.state(), BreakerState::Closed);
    }

    #[test]
    fn an_abandoned_probe_reopens_the_breaker() {
        let breaker = Breaker::new(Duration::ZERO);
        fail(&breaker, THRESHOLD);
        drop(breaker.admit().unwrap());
        assert_eq!(breaker.state(), BreakerState::Open);
        assert!(
            breaker.admit().is_some(),
            "the next probe may go after the cool-down"
        );
    }
}
