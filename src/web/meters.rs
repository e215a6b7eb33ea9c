//! Request metrics by route template and status, and the sign-ups kept; each handle
//! registered once and then reused.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};
use std::time::Duration;

use metrics::{Counter, Histogram, counter, histogram};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telemetry::rendered;

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
