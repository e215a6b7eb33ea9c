//! A provider's recent answer times, for the hedging delay and for judging whether a retry
//! can still finish inside the deadline.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// Answer times kept per provider: enough for a p99 to mean something.
const KEPT: usize = 512;
/// Fewer samples than this say nothing about a tail.
const ENOUGH: usize = 20;

#[derive(Default)]
pub struct RecentLatency {
    samples: Mutex<VecDeque<Duration>>,
}

impl RecentLatency {
    pub fn record(&self, took: Duration) {
        let mut samples = self.samples.lock().unwrap_or_else(PoisonError::into_inner);
        if samples.len() == KEPT {
            samples.pop_front();
        }
        samples.push_back(took);
    }

    /// The `q` quantile (0 to 1) of the recent answer times, if there are enough of them.
    pub fn quantile(&self, q: f64) -> Option<Duration> {
        let mut sorted: Vec<Duration> = {
            let samples = self.samples.lock().unwrap_or_else(PoisonError::into_inner);
            if samples.len() < ENOUGH {
                return None;
            }
            samples.iter().copied().collect()
        };
        sorted.sort_unstable();
        // Nearest rank; the float-to-int `as` saturates.
        let rank = (q.clamp(0.0, 1.0) * sorted.len() as f64).ceil() as usize;
        sorted.get(rank.saturating_sub(1)).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_come_from_the_recent_samples_only() {
        let recent = RecentLatency::default();
        for ms in 1..ENOUGH as u64 {
            recent.record(Duration::from_millis(ms));
        }
        assert_eq!(recent.quantile(0.5), None, "too few samples");
        // Older samples (10 s) fall out as new ones (1..=512 ms) come in.
        for _ in 0..100 {
            recent.record(Duration::from_secs(10));
        }
        for ms in 1..=KEPT as u64 {
            recent.record(Duration::from_millis(ms));
        }
        assert_eq!(recent.quantile(0.95), Some(Duration::from_millis(487)));
        assert_eq!(recent.quantile(0.5), Some(Duration::from_millis(256)));
        assert_eq!(recent.quantile(1.0), Some(Duration::from_millis(512)));
    }
}
