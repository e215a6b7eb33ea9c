//! The per-client limit on validations (`--rate-limit`): every validation may cost three paid
//! provider calls, so one client may not ask for more than its share.
//!
//! A GCRA limiter (governor) keyed by client ([`super::client`]): `30/min` lets a client send
//! 30 at once, then one every 2 s. Memory is bounded twice over: keys whose allowance has
//! refilled are dropped by a periodic sweep, and past [`MAX_CLIENTS`] keys, clients not yet
//! known share one allowance until the sweep makes room.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::str::FromStr;
use std::sync::{Arc, Weak};
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use governor::Quota;

use super::error::ApiError;
use super::pages::{self, Refusal};
use super::state::AppState;

mod limiter;

pub use limiter::{Limiter, MAX_CLIENTS};

/// Validations allowed per client and period, or none counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimit {
    Off,
    Every { count: NonZeroU32, period: Period },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumString, strum::IntoStaticStr)]
pub enum Period {
    #[strum(serialize = "s")]
    Second,
    #[strum(serialize = "min")]
    Minute,
    #[strum(serialize = "h")]
    Hour,
}

impl Period {
    fn duration(self) -> Duration {
        Duration::from_secs(match self {
            Period::Second => 1,
            Period::Minute => 60,
            Period::Hour => 3600,
        })
    }
}

impl Default for RateLimit {
    /// The contract's `30/min`.
    fn default() -> Self {
        RateLimit::Every {
            count: NonZeroU32::new(30).unwrap_or(NonZeroU32::MIN),
            period: Period::Minute,
        }
    }
}

impl FromStr for RateLimit {
    type Err = &'static str;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        const EXPECTED: &str = "expected N/s, N/min or N/h (N from 1), or off";
        if s.trim() == "off" {
            return Ok(RateLimit::Off);
        }
        let (count, period) = s.trim().split_once('/').ok_or(EXPECTED)?;
        let count = count.trim().parse().map_err(|_| EXPECTED)?;
        let period = period.trim().parse().map_err(|_| EXPECTED)?;
        let limit = RateLimit::Every { count, period };
        // One allowance every period / count must still be a time governor can count in.
        match limit.quota() {
            Some(_) => Ok(limit),
            None => Err("too many per period to count"),
        }
    }
}

impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RateLimit::Off => f.write_str("off"),
            RateLimit::Every { count, period } => {
                write!(f, "{count}/{}", <&str>::from(*period))
            }
        }
    }
}

impl RateLimit {
    /// `count` at once, then one more every `period / count`.
    pub(super) fn quota(self) -> Option<Quota> {
        match self {
            RateLimit::Off => None,
            RateLimit::Every { count, period } => {
                Quota::with_period(period.duration() / count.get()).map(|q| q.allow_burst(count))
            }
        }
    }
}

/// How long a refused client should wait: whole seconds, at least 1 (`Retry-After`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub u64);

impl RetryAfter {
    pub(super) fn from_wait(wait: Duration) -> RetryAfter {
        let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        RetryAfter(secs.max(1))
    }
}

/// How often forgotten clients are swept out.
const SWEEP_EVERY: Duration = Duration::from_secs(10);

/// Sweeps `limiter` every [`SWEEP_EVERY`] for as long as something else holds it.
pub fn spawn_sweeper(limiter: &Arc<Limiter>) {
    let limiter: Weak<Limiter> = Arc::downgrade(limiter);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SWEEP_EVERY);
        loop {
            tick.tick().await;
            match limiter.upgrade() {
                Some(limiter) => limiter.sweep(),
                None => break,
            }
        }
    });
}

/// The peer's address, put on every request by the server's accept loop.
fn peer(request: &Request) -> Option<IpAddr> {
    let info = request.extensions().get::<ConnectInfo<SocketAddr>>();
    info.map(|ConnectInfo(addr)| addr.ip())
}

/// A form submission over the limit gets the form back with a notice, status 429.
pub async fn limit_form(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let checked = state.guard.limiter.check(peer(&request), request.headers());
    match checked {
        Ok(()) => next.run(request).await,
        Err(wait) => pages::refused(request.uri().path(), Refusal::TooMany(wait)),
    }
}

/// An API call over the limit gets `429` `{"error": …}`.
pub async fn limit_api(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let checked = state.guard.limiter.check(peer(&request), request.headers());
    checked.map_err(ApiError::TooManyRequests)?;
    Ok(next.run(request).await)
}

#[cfg(test)]
mod tests;
