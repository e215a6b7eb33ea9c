//! The policy's metrics for one provider, each handle registered once.

use metrics::{Counter, Gauge, counter, gauge};

use super::BreakerState;
use crate::checks::CheckKind;

pub struct PolicyMeters {
    retries: Counter,
    hedges: Counter,
    cache_hits: Counter,
    cache_misses: Counter,
    breaker: Gauge,
}

impl PolicyMeters {
    pub fn register(kind: CheckKind) -> PolicyMeters {
        let provider = kind.provider();
        let lookups = |result: &'static str| counter!("vouch_cache_lookups_total", "provider" => provider, "result" => result);
        let meters = PolicyMeters {
            retries: counter!("vouch_provider_retries_total", "provider" => provider),
            hedges: counter!("vouch_provider_hedges_total", "provider" => provider),
            cache_hits: lookups("hit"),
            cache_misses: lookups("miss"),
            breaker: gauge!("vouch_provider_breaker_state", "provider" => provider),
        };
        meters.breaker(BreakerState::Closed);
        meters
    }

    pub fn retried(&self) {
        self.retries.increment(1);
    }

    pub fn hedged(&self) {
        self.hedges.increment(1);
    }

    pub fn cache_lookup(&self, hit: bool) {
        let counter = if hit {
            &self.cache_hits
        } else {
            &self.cache_misses
        };
        counter.increment(1);
    }

    pub fn breaker(&self, state: BreakerState) {
        self.breaker.set(state.gauge());
    }
}
