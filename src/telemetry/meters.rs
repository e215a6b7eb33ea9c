//! Handles for the request and provider-call metrics, each registered once and then reused.
//! `counter!` with labels builds, hashes and looks up its key on every use: eight times per
//! submission, a few percent of the server's CPU (bench/FINDINGS.md, "The request path's own work").

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};
use std::time::Duration;

use metrics::{Counter, Gauge, Histogram, counter, gauge, histogram};

use crate::checks::{CheckKind, Outcome};
use crate::store::outbox::QueueStats;

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

/// Statuses kept per route; beyond that, a rare status is counted without a kept handle.
const STATUSES_PER_ROUTE: usize = 32;

/// Per route template: requests by status, and their durations. Routes are the router's
/// templates (and `unmatched`), never raw paths, so the map stays small.
#[derive(Default)]
pub struct RequestMeters {
    by_route: RwLock<HashMap<String, RouteMeters>>,
}

struct RouteMeters {
    duration: Histogram,
    by_status: Vec<(u16, Counter)>,
}

impl RequestMeters {
    pub fn record(&self, route: &str, status: u16, took: Duration) {
        {
            let by_route = self.by_route.read().unwrap_or_else(PoisonError::into_inner);
            if let Some(meters) = by_route.get(route)
                && let Some((_, requests)) = meters.by_status.iter().find(|(s, _)| *s == status)
            {
                requests.increment(1);
                meters.duration.record(took.as_secs_f64());
                return;
            }
        }
        self.record_new(route, status, took);
    }

    /// The first request of its route and status (or of a status past the kept ones).
    fn record_new(&self, route: &str, status: u16, took: Duration) {
        let requests = counter!("vouch_http_requests_total",
            "route" => route.to_owned(), "status" => status.to_string());
        requests.increment(1);
        let mut by_route = self
            .by_route
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let meters = by_route
            .entry(route.to_owned())
            .or_insert_with(|| RouteMeters {
                duration: histogram!("vouch_http_request_duration_seconds",
                    "route" => route.to_owned()),
                by_status: Vec::new(),
            });
        meters.duration.record(took.as_secs_f64());
        let kept = meters.by_status.iter().any(|(s, _)| *s == status);
        if !kept && meters.by_status.len() < STATUSES_PER_ROUTE {
            meters.by_status.push((status, requests));
        }
    }
}

/// Sign-ups kept, by whether the address was new (`vouch_signups_total{kind}`).
pub struct SignupMeters {
    pub new: Counter,
    pub repeat: Counter,
}

impl SignupMeters {
    pub fn register() -> SignupMeters {
        SignupMeters {
            new: counter!("vouch_signups_total", "kind" => "new"),
            repeat: counter!("vouch_signups_total", "kind" => "repeat"),
        }
    }
}

/// The email worker's outcomes and the outbox as it stands.
pub struct MailMeters {
    pub sent: Counter,
    /// Attempts that failed and were scheduled again.
    pub retried: Counter,
    /// Jobs given up on (attempts spent, or refused for good).
    pub failed: Counter,
    queue_depth: Gauge,
    queue_oldest: Gauge,
    jobs_failed: Gauge,
}

impl MailMeters {
    pub fn register() -> MailMeters {
        let emails = |result: &'static str| counter!("vouch_emails_total", "result" => result);
        MailMeters {
            sent: emails("sent"),
            retried: emails("retried"),
            failed: emails("failed"),
            queue_depth: gauge!("vouch_email_queue_depth"),
            queue_oldest: gauge!("vouch_email_queue_oldest_seconds"),
            jobs_failed: gauge!("vouch_email_jobs_failed"),
        }
    }

    pub fn queue(&self, stats: &QueueStats) {
        self.queue_depth.set(stats.queued as f64);
        self.queue_oldest.set(stats.oldest_seconds);
        self.jobs_failed.set(stats.failed as f64);
    }
}

#[cfg(test)]
mod tests {
    use metrics_exporter_prometheus::PrometheusBuilder;

    use super::*;

    /// Series as the exporter renders them, recorded through kept handles.
    fn rendered(record: impl FnOnce()) -> String {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        metrics::with_local_recorder(&recorder, record);
        handle.render()
    }

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
        // veriphone's outcomes are the last six pairs: 13 + … + 18 calls.
        let veriphone = (13..=18).sum::<u32>();
        assert!(text.contains(&format!(
            r#"vouch_provider_call_duration_seconds_count{{provider="veriphone"}} {veriphone}"#
        )));
    }

    #[test]
    fn requests_are_counted_by_route_and_status_past_the_kept_handles() {
        let text = rendered(|| {
            let meters = RequestMeters::default();
            for status in 100..100 + STATUSES_PER_ROUTE as u16 + 5 {
                meters.record("/async", status, Duration::from_millis(1));
            }
            meters.record("/async", 200, Duration::from_millis(1));
            meters.record("/async", 200, Duration::from_millis(1));
            meters.record("/async", 999, Duration::from_millis(1));
        });
        let requests = |status: u16| {
            let series =
                format!(r#"vouch_http_requests_total{{route="/async",status="{status}"}} "#);
            text.lines()
                .find_map(|l| l.strip_prefix(series.as_str()).map(str::to_owned))
        };
        assert_eq!(requests(200).as_deref(), Some("2"), "{text}");
        assert_eq!(requests(999).as_deref(), Some("1"), "{text}");
        assert_eq!(requests(136).as_deref(), Some("1"), "{text}");
        let count = STATUSES_PER_ROUTE + 5 + 3;
        assert!(
            text.contains(&format!(
                r#"vouch_http_request_duration_seconds_count{{route="/async"}} {count}"#
            )),
            "{text}"
        );
    }
}
