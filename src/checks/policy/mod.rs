//! The policy every provider call goes through, whatever the base URL: the verdict cache
//! (with identical calls in flight coalesced), the circuit breaker, the call budget, the
//! concurrency limit, the per-call timeout capped by the submission's deadline, at most one
//! retry and at most one hedge, each drawn from a budget. The clients only speak HTTP; the
//! engine only schedules; this module decides whether, when and how often to call.

mod breaker;
mod latency;
mod meters;
mod spend;

use std::future::Future;
use std::time::Duration;

use moka::future::Cache;
use rand::RngExt;
use tokio::sync::Semaphore;
use tokio::time::{Instant, sleep, timeout_at};
use tower::retry::budget::{Budget, TpsBudget};

pub use breaker::BreakerState;
pub use spend::{Period, SpendLimit};

use super::CheckKind;
use super::provider::ProviderError;
use breaker::Breaker;
use latency::RecentLatency;
use meters::PolicyMeters;
use spend::SpendGuard;

/// How the policy behaves; `Default` is the contract's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicySettings {
    /// Everything one submission's calls may take: attempts, hedges, waits.
    pub deadline: Duration,
    /// Each attempt's own limit, capped by what is left of the deadline.
    pub per_call: Duration,
    /// Hedge a call out longer than this quantile (0–1) of its provider's recent answers.
    pub hedge: Option<f64>,
    /// Hedges as a share of calls (0.05 = 5 %).
    pub hedge_budget: f32,
    /// How long a definite answer is reused; `None` turns the cache off.
    pub cache_ttl: Option<Duration>,
    pub cache_entries: u64,
    /// Calls in flight per provider.
    pub concurrency: usize,
    /// Call budgets, by provider.
    pub budgets: Vec<(CheckKind, SpendLimit)>,
    /// How long an open breaker refuses calls before one probe.
    pub breaker_cool_down: Duration,
}

impl Default for PolicySettings {
    fn default() -> Self {
        PolicySettings {
            deadline: Duration::from_secs(4),
            per_call: Duration::from_secs(3),
            hedge: None,
            hedge_budget: 0.05,
            cache_ttl: Some(Duration::from_secs(24 * 3600)),
            cache_entries: 100_000,
            concurrency: 256,
            budgets: Vec::new(),
            breaker_cool_down: Duration::from_secs(10),
        }
    }
}

/// Retries as a share of calls over the recent window, and the floor that lets a quiet
/// server retry at all.
const RETRY_SHARE: f32 = 0.1;
const RETRIES_PER_SEC_FLOOR: u32 = 1;
const BUDGET_WINDOW: Duration = Duration::from_secs(10);
/// Backoff before a retry (jittered ±50 %), unless the provider said how long to wait.
const BACKOFF: Duration = Duration::from_millis(50);
/// What a retry is assumed to need when the provider has no recent answer times.
const ASSUMED_ATTEMPT: Duration = Duration::from_millis(100);

/// A value a provider gave, and whether it came from the cache (or a coalesced call) rather
/// than a call of this submission's own.
#[derive(Debug, Clone, PartialEq)]
pub struct Served<T> {
    pub value: T,
    pub cached: bool,
}

/// The policy for one provider, whose definite answers are of type `T`.
pub struct ProviderPolicy<T> {
    settings: PolicySettings,
    breaker: Breaker,
    slots: Semaphore,
    retries: TpsBudget,
    hedges: TpsBudget,
    spend: Option<SpendGuard>,
    latency: RecentLatency,
    cache: Option<Cache<String, T>>,
    meters: PolicyMeters,
}

impl<T: Clone + Send + Sync + 'static> ProviderPolicy<T> {
    pub fn new(kind: CheckKind, settings: &PolicySettings) -> Self {
        let budget = |share: f32, floor: u32| TpsBudget::new(BUDGET_WINDOW, floor, share);
        ProviderPolicy {
            breaker: Breaker::new(settings.breaker_cool_down),
            slots: Semaphore::new(settings.concurrency.max(1)),
            retries: budget(RETRY_SHARE, RETRIES_PER_SEC_FLOOR),
            hedges: budget(settings.hedge_budget.clamp(0.0, 1.0), 0),
            spend: settings
                .budgets
                .iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, limit)| SpendGuard::new(*limit)),
            latency: RecentLatency::default(),
            cache: settings.cache_ttl.map(|ttl| {
                Cache::builder()
                    .max_capacity(settings.cache_entries)
                    .time_to_live(ttl)
                    .build()
            }),
            meters: PolicyMeters::register(kind),
            settings: settings.clone(),
        }
    }

    pub fn breaker_state(&self) -> BreakerState {
        self.breaker.state()
    }

    /// The provider's answer about `key` (its normalised value) by `deadline`: from the cache,
    /// from an identical call already in flight, or from `attempt`, run as the policy allows.
    /// Without a key, from `attempt` only.
    pub async fn call<F, Fut>(
        &self,
        key: Option<String>,
        deadline: Instant,
        attempt: F,
    ) -> Result<Served<T>, ProviderError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, ProviderError>>,
    {
        // Boxed when it runs, not before: moka's nested futures would otherwise each hold room
        // for the whole call, and an answer from the cache or a call in flight needs no box.
        let guarded = async { Box::pin(self.guarded(deadline, &attempt)).await };
        let work = async {
            let (Some(cache), Some(key)) = (&self.cache, key) else {
                let value = guarded.await?;
                return Ok(Served {
                    value,
                    cached: false,
                });
            };
            // Only `Ok` is stored: errors and timeouts reach every waiter but are not kept.
            let entry = cache.entry(key).or_try_insert_with(guarded).await;
            let served = match entry {
                Ok(entry) => Ok(Served {
                    cached: !entry.is_fresh(),
                    value: entry.into_value(),
                }),
                Err(shared) => Err((*shared).clone()),
            };
            self.meters
                .cache_lookup(served.as_ref().is_ok_and(|s| s.cached));
            served
        };
        timeout_at(deadline, work)
            .await
            .unwrap_or(Err(ProviderError::Timeout))
    }

    /// One call as the breaker, the budget and the concurrency limit allow, retried once if
    /// that can help and still finish in time.
    async fn guarded<F, Fut>(&self, deadline: Instant, attempt: &F) -> Result<T, ProviderError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, ProviderError>>,
    {
        let ticket = self.breaker.admit();
        self.meters.breaker(self.breaker.state());
        let ticket = ticket.ok_or(ProviderError::CircuitOpen)?;
        if !self.spend() {
            return Err(ProviderError::OverBudget);
        }
        let _slot = timeout_at(deadline, self.slots.acquire())
            .await
            .map_err(|_| ProviderError::Timeout)?
            .map_err(|_| ProviderError::Transport("no call slot".to_owned()))?;
        self.retries.deposit();
        self.hedges.deposit();
        let mut result = self.hedged(deadline, attempt).await;
        if let Err(err) = &result
            && let Some(wait) = self.retry_wait(err, deadline)
        {
            self.meters.retried();
            sleep(wait).await;
            result = self.hedged(deadline, attempt).await;
        }
        ticket.record(result.is_ok());
        self.meters.breaker(self.breaker.state());
        result
    }

    /// How long to wait before the one retry, or `None` if it should not happen: the error
    /// is not transient, the retry could not finish by the deadline, or a budget says no.
    fn retry_wait(&self, err: &ProviderError, deadline: Instant) -> Option<Duration> {
        if !err.is_transient() {
            return None;
        }
        let wait = match err {
            ProviderError::Throttled {
                retry_after: Some(asked),
            } => *asked,
            _ => BACKOFF.mul_f64(rand::rng().random_range(0.5..1.5)),
        };
        let needs = self.latency.quantile(0.5).unwrap_or(ASSUMED_ATTEMPT);
        let in_time = Instant::now() + wait + needs <= deadline;
        (in_time && self.retries.withdraw() && self.spend()).then_some(wait)
    }

    /// One attempt, and a second sent alongside it if the first is slower than the provider's
    /// recent tail; the first answer wins and the other is dropped (its request cancelled).
    async fn hedged<F, Fut>(&self, deadline: Instant, attempt: &F) -> Result<T, ProviderError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, ProviderError>>,
    {
        let first = self.once(deadline, attempt);
        let delay = self.settings.hedge.and_then(|q| self.latency.quantile(q));
        let Some(delay) = delay else {
            return first.await;
        };
        tokio::pin!(first);
        tokio::select! {
            result = &mut first => return result,
            () = sleep(delay) => {}
        }
        if !(self.hedges.withdraw() && self.spend()) {
            return first.await;
        }
        self.meters.hedged();
        // Boxed: a second attempt is rare, and its space would otherwise be in every call.
        let mut second = Box::pin(self.once(deadline, attempt));
        tokio::select! {
            result = &mut first => match result {
                Ok(value) => Ok(value),
                Err(_) => second.await,
            },
            result = &mut second => match result {
                Ok(value) => Ok(value),
                Err(_) => first.await,
            },
        }
    }

    /// One attempt, limited by the per-call timeout and what is left of the deadline.
    async fn once<F, Fut>(&self, deadline: Instant, attempt: &F) -> Result<T, ProviderError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, ProviderError>>,
    {
        let started = Instant::now();
        let limit = (started + self.settings.per_call).min(deadline);
        let result = timeout_at(limit, attempt())
            .await
            .unwrap_or(Err(ProviderError::Timeout));
        if result.is_ok() {
            self.latency.record(started.elapsed());
        }
        result
    }

    /// Takes one call from the provider's budget, if it has one.
    fn spend(&self) -> bool {
        self.spend.as_ref().is_none_or(SpendGuard::take)
    }
}

#[cfg(test)]
mod tests;
