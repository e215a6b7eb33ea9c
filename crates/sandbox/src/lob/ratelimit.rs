//! Lob's rate limit: 300 `us_verifications` requests per 5-second window per API key, and the
//! headers that report it on every answer.
//!
//! A fixed window per key is enough to reproduce what a client sees (a burst past 300 gets
//! 429 until the window resets). Keys are held only as hashes, so a key never sits in memory
//! longer than its request.

use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, HeaderName, HeaderValue};

/// Requests allowed per key per window.
pub(crate) const LIMIT: u32 = 300;
/// Length of one window.
pub(crate) const WINDOW: Duration = Duration::from_secs(5);
/// Above this many tracked keys, expired windows are dropped, so random keys cannot grow the
/// map without bound.
const PRUNE_ABOVE: usize = 4096;

/// What the limiter decided for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Quota {
    /// Whether this request fits in the window.
    pub(crate) allowed: bool,
    /// Requests left in the window after this one.
    pub(crate) remaining: u32,
    /// When the window resets, in Unix epoch seconds.
    pub(crate) reset_epoch: u64,
    /// Seconds until then, rounded up (for `Retry-After`).
    pub(crate) retry_after: u64,
}

impl Quota {
    /// The report for an answer not charged to any key (e.g. missing credentials).
    pub(crate) fn unmetered() -> Self {
        quota(LIMIT, WINDOW, true)
    }

    /// Both spellings Lob's spec uses (the prose's `X-Rate-Limit-*` and the response
    /// definitions' `ratelimit-*`), since which one the live API sends is unknown.
    pub(crate) fn apply(&self, headers: &mut HeaderMap) {
        let values = [
            ("limit", u64::from(LIMIT)),
            ("remaining", u64::from(self.remaining)),
            ("reset", self.reset_epoch),
        ];
        for (suffix, value) in values {
            for prefix in ["x-rate-limit-", "ratelimit-"] {
                if let Ok(name) = HeaderName::try_from(format!("{prefix}{suffix}")) {
                    headers.insert(name, HeaderValue::from(value));
                }
            }
        }
        if !self.allowed {
            headers.insert("retry-after", HeaderValue::from(self.retry_after));
        }
    }
}

fn quota(remaining: u32, left: Duration, allowed: bool) -> Quota {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let reset = now + left;
    // Round up: a client that waits until `reset` must find the window open.
    let ceil = |d: Duration| d.as_secs() + u64::from(d.subsec_nanos() > 0);
    Quota {
        allowed,
        remaining,
        reset_epoch: ceil(reset),
        retry_after: ceil(left),
    }
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    used: u32,
}

/// Per-key fixed windows.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    windows: Mutex<HashMap<u64, Window>>,
    /// Off for load tests, where one key sends far more than Lob would ever allow.
    disabled: bool,
}

impl RateLimiter {
    /// A limiter that charges nothing and refuses nothing, but still reports headers.
    pub(crate) fn unlimited() -> Self {
        RateLimiter {
            disabled: true,
            ..RateLimiter::default()
        }
    }

    /// Charges one request to `key`.
    pub(crate) fn charge(&self, key: &str) -> Quota {
        self.charge_at(key, Instant::now())
    }

    fn charge_at(&self, key: &str, now: Instant) -> Quota {
        if self.disabled {
            return Quota::unmetered();
        }
        let mut hasher = DefaultHasher::new();
        key.hash(&mut hasher);
        let id = hasher.finish();
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() > PRUNE_ABOVE {
            windows.retain(|_, w| now.duration_since(w.started) < WINDOW);
        }
        let window = windows.entry(id).or_insert(Window {
            started: now,
            used: 0,
        });
        if now.duration_since(window.started) >= WINDOW {
            *window = Window {
                started: now,
                used: 0,
            };
        }
        let left = WINDOW.saturating_sub(now.duration_since(window.started));
        if window.used >= LIMIT {
            return quota(0, left, false);
        }
        window.used += 1;
        quota(LIMIT - window.used, left, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unlimited_limiter_never_refuses() {
        let limiter = RateLimiter::unlimited();
        let t0 = Instant::now();
        assert!((0..=2 * LIMIT).all(|_| limiter.charge_at("k", t0).allowed));
    }

    #[test]
    fn the_301st_request_in_a_window_is_refused_until_it_resets() {
        let limiter = RateLimiter::default();
        let t0 = Instant::now();
        for i in 1..=LIMIT {
            let q = limiter.charge_at("k", t0);
            assert!(q.allowed, "request {i}");
            assert_eq!(q.remaining, LIMIT - i);
        }
        let refused = limiter.charge_at("k", t0 + Duration::from_secs(2));
        assert!(!refused.allowed);
        assert_eq!((refused.remaining, refused.retry_after), (0, 3));
        assert!(
            limiter.charge_at("other", t0).allowed,
            "keys have separate budgets"
        );
        assert!(limiter.charge_at("k", t0 + WINDOW).allowed, "a new window");
    }

    #[test]
    fn headers_come_in_both_spellings() {
        let mut headers = HeaderMap::new();
        let q = Quota {
            allowed: false,
            remaining: 0,
            reset_epoch: 1_700_000_005,
            retry_after: 5,
        };
        q.apply(&mut headers);
        for name in ["x-rate-limit-limit", "ratelimit-limit"] {
            assert_eq!(headers[name], "300", "{name}");
        }
        for name in ["x-rate-limit-reset", "ratelimit-reset"] {
            assert_eq!(headers[name], "1700000005", "{name}");
        }
        assert_eq!(headers["x-rate-limit-remaining"], "0");
        assert_eq!(headers["retry-after"], "5");
    }
}
