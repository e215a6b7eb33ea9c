//! How long each simulated provider takes to answer.
//!
//! Real provider latency is skewed: most answers arrive near a typical time, a few take much
//! longer. A log-normal distribution models that with two numbers: the median (configured per
//! provider, `--sandbox-latency`) and a spread chosen so that the 99th percentile is three times
//! the median. With jitter off every answer takes exactly the median, which keeps benchmarks
//! steady. Drawing a delay is cheap and never sleeps; the caller waits on the precise timer (`clock.rs`).

use std::str::FromStr;
use std::sync::Mutex;
use std::time::Duration;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, LogNormal};

use super::Provider;

/// z-score of the 99th percentile of a standard normal distribution.
const Z_P99: f64 = 2.326;
/// Log-normal sigma that puts p99 at three times the median: exp(Z_P99 · sigma) = 3.
pub(crate) fn tail_sigma() -> f64 {
    3f64.ln() / Z_P99
}
/// No single draw exceeds this multiple of the median, so one unlucky sample cannot stall a
/// demo for minutes (the p99.99 is already ≈ 6×).
const MAX_FACTOR: f64 = 20.0;

/// Median latency of each provider.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatencySpec {
    pub eva: Duration,
    pub lob: Duration,
    pub veriphone: Duration,
}

impl LatencySpec {
    /// The same median for all three providers.
    pub fn uniform(d: Duration) -> Self {
        Self {
            eva: d,
            lob: d,
            veriphone: d,
        }
    }

    pub(crate) fn median(&self, provider: Provider) -> Duration {
        match provider {
            Provider::Eva => self.eva,
            Provider::Lob => self.lob,
            Provider::Veriphone => self.veriphone,
        }
    }
}

impl Default for LatencySpec {
    fn default() -> Self {
        Self::uniform(Duration::from_millis(300))
    }
}

/// Parses `300ms` (all three), `eva=100ms,lob=200ms,veriphone=300ms`, or a base followed by
/// overrides (`300ms,lob=1s`). Providers not named keep the base, or 300 ms without one.
impl FromStr for LatencySpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut spec = Self::default();
        for (i, part) in s.split(',').map(str::trim).enumerate() {
            let parse = |text: &str| {
                humantime::parse_duration(text.trim())
                    .map_err(|e| format!("invalid duration {text:?} in {part:?}: {e}"))
            };
            match part.split_once('=') {
                None if part.is_empty() => return Err(format!("empty part in {s:?}")),
                None if i == 0 => spec = Self::uniform(parse(part)?),
                None => {
                    return Err(format!(
                        "{part:?}: only the first part may be a bare duration; \
                         name the provider (eva=, lob=, veriphone=)"
                    ));
                }
                Some((name, value)) => {
                    let slot = match name.trim().to_ascii_lowercase().as_str() {
                        "eva" => &mut spec.eva,
                        "lob" => &mut spec.lob,
                        "veriphone" => &mut spec.veriphone,
                        other => {
                            return Err(format!(
                                "unknown provider {other:?} in {part:?} \
                                 (expected eva, lob or veriphone)"
                            ));
                        }
                    };
                    *slot = parse(value)?;
                }
            }
        }
        Ok(spec)
    }
}

/// Draws per-request delays. Shared by all handlers; the RNG lock is held only for one draw.
#[derive(Debug)]
pub(crate) struct LatencyModel {
    spec: LatencySpec,
    jitter: bool,
    rng: Mutex<StdRng>,
}

impl LatencyModel {
    pub(crate) fn new(spec: LatencySpec, jitter: bool, seed: Option<u64>) -> Self {
        let rng = seed.map_or_else(rand::make_rng, StdRng::seed_from_u64);
        Self {
            spec,
            jitter,
            rng: Mutex::new(rng),
        }
    }

    /// The delay before `provider` answers the next request.
    pub(crate) fn sample(&self, provider: Provider) -> Duration {
        let median = self.spec.median(provider);
        if !self.jitter || median.is_zero() {
            return median;
        }
        // A poisoned lock only means another request panicked mid-draw; the RNG is still fine.
        let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        sample_from(median, &mut rng)
    }
}

/// One log-normal draw around `median`, capped at [`MAX_FACTOR`] × median.
pub(crate) fn sample_from(median: Duration, rng: &mut StdRng) -> Duration {
    let secs = median.as_secs_f64();
    match LogNormal::new(secs.ln(), tail_sigma()) {
        Ok(dist) => Duration::from_secs_f64(dist.sample(rng).min(secs * MAX_FACTOR)),
        // Only reachable for a non-finite median, which a Duration cannot be.
        Err(_) => median,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn parses_the_three_spellings() {
        let cases = [
            ("300ms", LatencySpec::uniform(ms(300))),
            (
                "eva=100ms,lob=200ms,veriphone=300ms",
                LatencySpec {
                    eva: ms(100),
                    lob: ms(200),
                    veriphone: ms(300),
                },
            ),
            (
                "300ms,lob=1s",
                LatencySpec {
                    eva: ms(300),
                    lob: ms(1000),
                    veriphone: ms(300),
                },
            ),
            (
                " 50ms , Veriphone = 2s ",
                LatencySpec {
                    eva: ms(50),
                    lob: ms(50),
                    veriphone: ms(2000),
                },
            ),
            ("0s", LatencySpec::uniform(Duration::ZERO)),
        ];
        for (input, want) in cases {
            assert_eq!(input.parse::<LatencySpec>(), Ok(want), "input {input:?}");
        }
    }

    #[test]
    fn errors_name_the_bad_part() {
        let cases = [
            ("3x", "3x"),
            ("300ms,fax=1s", "fax"),
            ("300ms,lob=soon", "lob=soon"),
            ("300ms,1s", "1s"),
            ("300ms,,lob=1s", "empty"),
            ("", "empty"),
        ];
        for (input, needle) in cases {
            let err = input.parse::<LatencySpec>().expect_err(input);
            assert!(
                err.contains(needle),
                "{input:?} gave {err:?}, which lacks {needle:?}"
            );
        }
    }

    #[test]
    fn fixed_latency_is_exactly_the_median() {
        let model = LatencyModel::new(LatencySpec::uniform(ms(50)), false, None);
        for _ in 0..100 {
            assert_eq!(model.sample(Provider::Lob), ms(50));
        }
    }

    #[test]
    fn seeded_models_repeat_their_sequence() {
        let spec = LatencySpec::uniform(ms(300));
        let a = LatencyModel::new(spec, true, Some(7));
        let b = LatencyModel::new(spec, true, Some(7));
        let draws = |m: &LatencyModel| (0..50).map(|_| m.sample(Provider::Eva)).collect::<Vec<_>>();
        assert_eq!(draws(&a), draws(&b));
    }

    #[test]
    fn jittered_delays_have_the_configured_median_and_tail() {
        let median = ms(300);
        let mut rng = StdRng::seed_from_u64(42);
        let mut draws: Vec<f64> = (0..20_000)
            .map(|_| sample_from(median, &mut rng).as_secs_f64())
            .collect();
        draws.sort_by(f64::total_cmp);
        let pct = |p: f64| draws[((draws.len() as f64) * p) as usize] / median.as_secs_f64();
        let (p50, p99) = (pct(0.50), pct(0.99));
        assert!((0.9..=1.1).contains(&p50), "median ratio {p50}");
        assert!((2.5..=3.5).contains(&p99), "p99 ratio {p99}");
        assert!(draws.iter().all(|d| *d <= 0.3 * MAX_FACTOR), "cap");
    }
}
