//! How long a failed email waits before its next attempt: exponential, capped, jittered.

use std::time::Duration;

/// The wait after failed attempt `attempt` (1 for the first): `base · 2^(attempt-1)`, at most
/// `cap`, then "equal jitter" — half of it fixed, half drawn by `unit` (0 ≤ unit < 1) — so jobs
/// that failed together (a mail server's outage) do not all come back at once.
pub fn delay(attempt: u32, base: Duration, cap: Duration, unit: f64) -> Duration {
    let doublings = attempt.saturating_sub(1).min(30);
    let full = base.saturating_mul(1 << doublings).min(cap);
    let half = full / 2;
    half + half.mul_f64(unit.clamp(0.0, 1.0))
}

/// A uniform draw in [0, 1) for the jitter; the middle if the system cannot give one.
pub fn jitter_unit() -> f64 {
    let mut bytes = [0u8; 8];
    match getrandom::fill(&mut bytes) {
        Ok(()) => (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64,
        Err(_) => 0.5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: Duration = Duration::from_secs(10);
    const CAP: Duration = Duration::from_secs(3600);

    #[test]
    fn waits_double_per_attempt_up_to_the_cap() {
        let full = |n| delay(n, BASE, CAP, 1.0);
        assert_eq!(full(1), Duration::from_secs(10));
        assert_eq!(full(2), Duration::from_secs(20));
        assert_eq!(full(5), Duration::from_secs(160));
        assert_eq!(full(20), CAP);
        assert_eq!(full(u32::MAX), CAP, "no overflow");
    }

    #[test]
    fn jitter_keeps_at_least_half_the_wait() {
        assert_eq!(delay(3, BASE, CAP, 0.0), Duration::from_secs(20));
        assert_eq!(delay(3, BASE, CAP, 0.5), Duration::from_secs(30));
        for _ in 0..100 {
            let u = jitter_unit();
            assert!((0.0..1.0).contains(&u), "{u}");
            let d = delay(3, BASE, CAP, u);
            assert!(d >= Duration::from_secs(20) && d <= Duration::from_secs(40));
        }
    }
}
