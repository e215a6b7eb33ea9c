//! Provider-call metrics, each handle registered once and then reused: `counter!` with labels
//! builds, hashes and looks up its key on every use.

use std::time::Duration;

use metrics::{Counter, Histogram, counter, histogram};

use crate::checks::{CheckKind, Outcome};

/// Per provider: a call counter for each outcome, and the calls' durations.
pub struct CallMeters {
    calls: [[Counter; Outcome::ALL.len()]; CheckKind::ALL.len()],
    durations: [Histogram; CheckKind::ALL.len()],
}

impl CallMeters {
    /// Registers every series with the process's recorder (install it first).
    pub fn register() -> CallMeters {
        CallMeters {
            calls: CheckKind::ALL.map(|kind| {
                Outcome::ALL.map(|outcome| {
                    counter!("vouch_provider_calls_total",
                        "provider" => kind.provider(), "outcome" => outcome.name())
                })
            }),
            durations: CheckKind::ALL.map(|kind| {
                histogram!("vouch_provider_call_duration_seconds", "provider" => kind.provider())
            }),
        }
    }

    pub fn record(&self, kind: CheckKind, outcome: Outcome, took: Duration) {
        self.calls[kind as usize][outcome as usize].increment(1);
        self.durations[kind as usize].record(took.as_secs_f64());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telemetry::rendered;

    /// Every provider × outcome pair recorded a different number of times lands on its own
    /// series: `record` indexes by declaration order, `register` by `ALL`'s order.
    #[test]
    fn provider_calls_are_counted_by_provider_and_outcome() {
        let pairs = || {
            CheckKind::ALL
                .into_iter()
                .flat_map(|k| Outcome::ALL.map(|o| (k, o)))
                .zip(1..)
        };
        let text = rendered(|| {
            let meters = CallMeters::register();
            for ((kind, outcome), times) in pairs() {
                for _ in 0..times {
                    meters.record(kind, outcome, Duration::from_millis(5));
                }
            }
        });
        for ((kind, outcome), times) in pairs() {
            let series = format!(
                r#"vouch_provider_calls_total{{provider="{}",outcome="{}"}} "#,
                kind.provider(),
                outcome.name()
            );
            let value = text.lines().find_map(|l| l.strip_prefix(series.as_str()));
            assert_eq!(value, Some(times.to_string().as_str()), "{series}\n{text}");
        }
        // veriphone's outcomes are the last pairs.
        let n = Outcome::ALL.len() as u32;
        let veriphone = (2 * n + 1..=3 * n).sum::<u32>();
        assert!(text.contains(&format!(
            r#"vouch_provider_call_duration_seconds_count{{provider="veriphone"}} {veriphone}"#
        )));
    }
}
