//! The limiter itself: one allowance per client in governor's concurrent map, which never
//! grows past its capacity.

use std::net::IpAddr;

use axum::http::HeaderMap;
use governor::RateLimiter;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::StateStore;
use governor::state::keyed::{DashMapStateStore, ShrinkableKeyedStateStore};

use super::{RateLimit, RetryAfter};
use crate::web::client::{TrustedProxies, rate_key};

/// The most clients remembered at once; see the module docs for what happens past it.
pub const MAX_CLIENTS: usize = 100_000;

/// A client's allowance is kept under its address; `Shared` is the one allowance of clients
/// we cannot tell apart: those past [`MAX_CLIENTS`], or a request without a peer address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum ClientKey {
    Ip(IpAddr),
    Shared,
}

/// governor's map of allowances, which adds no key past its capacity.
struct Capped {
    map: DashMapStateStore<ClientKey>,
    capacity: usize,
}

impl StateStore for Capped {
    type Key = ClientKey;

    fn measure_and_replace<T, F, E>(&self, key: &ClientKey, f: F) -> Result<T, E>
    where
        F: Fn(Option<Nanos>) -> Result<(T, Nanos), E>,
    {
        let full = || self.map.len() >= self.capacity;
        let key = if !self.map.contains_key(key) && full() {
            &ClientKey::Shared
        } else {
            key
        };
        self.map.measure_and_replace(key, f)
    }
}

impl ShrinkableKeyedStateStore<ClientKey> for Capped {
    fn retain_recent(&self, drop_below: Nanos) {
        self.map.retain_recent(drop_below);
    }
    fn shrink_to_fit(&self) {
        self.map.shrink_to_fit();
    }
    fn len(&self) -> usize {
        self.map.len()
    }
    fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// The limiter of validations per client; `None` inside when the limit is off.
pub struct Limiter<C: Clock = DefaultClock> {
    clients: Option<RateLimiter<ClientKey, Capped, C, NoOpMiddleware<C::Instant>>>,
    clock: C,
    proxies: TrustedProxies,
}

impl Limiter {
    pub fn new(limit: RateLimit, proxies: TrustedProxies) -> Limiter {
        Limiter::with_clock(limit, proxies, DefaultClock::default(), MAX_CLIENTS)
    }
}

impl<C: Clock + Clone> Limiter<C> {
    fn with_clock(limit: RateLimit, proxies: TrustedProxies, clock: C, capacity: usize) -> Self {
        let clients = limit.quota().map(|quota| {
            let store = Capped {
                map: DashMapStateStore::default(),
                capacity,
            };
            RateLimiter::new(quota, store, clock.clone())
        });
        Limiter {
            clients,
            clock,
            proxies,
        }
    }

    /// Counts one validation from the client at `peer` (or behind it); how long to wait if
    /// it is over the limit.
    pub fn check(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Result<(), RetryAfter> {
        let Some(clients) = &self.clients else {
            return Ok(());
        };
        let key = match peer {
            Some(peer) => ClientKey::Ip(rate_key(self.proxies.client(peer, headers))),
            None => ClientKey::Shared,
        };
        clients
            .check_key(&key)
            .map_err(|not_until| RetryAfter::from_wait(not_until.wait_time_from(self.clock.now())))
    }

    /// Forgets clients whose allowance is full again: they are no different from new ones.
    pub fn sweep(&self) {
        if let Some(clients) = &self.clients {
            clients.retain_recent();
            clients.shrink_to_fit();
        }
    }

    /// Clients remembered now.
    pub fn len(&self) -> usize {
        self.clients.as_ref().map_or(0, RateLimiter::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use axum::http::HeaderValue;
    use governor::clock::FakeRelativeClock;

    use super::*;

    fn limiter(
        limit: &str,
        proxies: &str,
        capacity: usize,
    ) -> (Limiter<FakeRelativeClock>, FakeRelativeClock) {
        let clock = FakeRelativeClock::default();
        let limit = limit.parse().unwrap();
        let proxies = proxies.parse().unwrap();
        (
            Limiter::with_clock(limit, proxies, clock.clone(), capacity),
            clock,
        )
    }

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    fn forwarded(xff: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_str(xff).unwrap());
        headers
    }

    #[test]
    fn a_client_gets_its_burst_then_waits_for_the_next_allowance() {
        let (limiter, clock) = limiter("3/min", "", 10);
        let none = HeaderMap::new();
        for n in 1..=3 {
            assert_eq!(limiter.check(ip("192.0.2.1"), &none), Ok(()), "request {n}");
        }
        assert_eq!(limiter.check(ip("192.0.2.1"), &none), Err(RetryAfter(20)));
        assert_eq!(
            limiter.check(ip("192.0.2.2"), &none),
            Ok(()),
            "another client"
        );
        clock.advance(Duration::from_millis(19_500));
        assert_eq!(limiter.check(ip("192.0.2.1"), &none), Err(RetryAfter(1)));
        clock.advance(Duration::from_millis(500));
        assert_eq!(limiter.check(ip("192.0.2.1"), &none), Ok(()));
    }

    #[test]
    fn behind_a_trusted_proxy_a_forged_leftmost_hop_buys_nothing() {
        let (limiter, _) = limiter("1/h", "10.0.0.0/8", 10);
        let proxy = ip("10.0.0.1");
        assert_eq!(limiter.check(proxy, &forwarded("198.51.100.7")), Ok(()));
        assert!(
            limiter
                .check(proxy, &forwarded("1.1.1.1, 198.51.100.7"))
                .is_err()
        );
        assert!(
            limiter
                .check(proxy, &forwarded("2.2.2.2,198.51.100.7"))
                .is_err()
        );
        assert_eq!(limiter.check(proxy, &forwarded("198.51.100.8")), Ok(()));
        // An untrusted peer's header is ignored: it counts as itself.
        assert_eq!(
            limiter.check(ip("203.0.113.5"), &forwarded("198.51.100.9")),
            Ok(())
        );
        assert!(
            limiter
                .check(ip("203.0.113.5"), &forwarded("198.51.100.10"))
                .is_err()
        );
    }

    #[test]
    fn ipv6_clients_count_by_their_64() {
        let (limiter, _) = limiter("1/h", "", 10);
        let none = HeaderMap::new();
        assert_eq!(limiter.check(ip("2001:db8:0:1::1"), &none), Ok(()));
        assert!(limiter.check(ip("2001:db8:0:1::2"), &none).is_err());
        assert_eq!(limiter.check(ip("2001:db8:0:2::1"), &none), Ok(()));
    }

    #[test]
    fn past_capacity_new_clients_share_one_allowance_and_known_ones_keep_theirs() {
        let (limiter, clock) = limiter("2/min", "", 2);
        let none = HeaderMap::new();
        assert_eq!(limiter.check(ip("192.0.2.1"), &none), Ok(()));
        assert_eq!(limiter.check(ip("192.0.2.2"), &none), Ok(()));
        assert_eq!(limiter.len(), 2);
        // Full: two newcomers draw from the shared allowance of 2, a third is refused.
        assert_eq!(limiter.check(ip("192.0.2.3"), &none), Ok(()));
        assert_eq!(limiter.check(ip("192.0.2.4"), &none), Ok(()));
        assert!(limiter.check(ip("192.0.2.5"), &none).is_err());
        assert!(
            limiter.len() <= 3,
            "the map stays bounded: {}",
            limiter.len()
        );
        assert_eq!(
            limiter.check(ip("192.0.2.1"), &none),
            Ok(()),
            "known client"
        );
        // Once every allowance has long refilled, a sweep forgets everyone.
        clock.advance(Duration::from_secs(120));
        limiter.sweep();
        assert!(limiter.is_empty(), "{} left", limiter.len());
        assert_eq!(limiter.check(ip("192.0.2.5"), &none), Ok(()));
    }

    #[test]
    fn requests_without_a_peer_share_one_allowance() {
        let (limiter, _) = limiter("1/min", "", 10);
        assert_eq!(limiter.check(None, &HeaderMap::new()), Ok(()));
        assert!(limiter.check(None, &HeaderMap::new()).is_err());
    }

    #[test]
    fn off_counts_nothing_and_remembers_no_one() {
        let (limiter, _) = limiter("off", "", 10);
        for _ in 0..100 {
            assert_eq!(limiter.check(ip("192.0.2.1"), &HeaderMap::new()), Ok(()));
        }
        assert!(limiter.is_empty());
    }
}
