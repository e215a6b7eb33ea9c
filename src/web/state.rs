//! What every handler shares.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use metrics_exporter_prometheus::PrometheusHandle;
use tokio::sync::Notify;

use super::access::ApiAccess;
use super::meters::{RequestMeters, SignupMeters};
use super::ratelimit::Limiter;
use crate::checks::engine::Engine;
use crate::domain::form::Submission;
use crate::store::signups::{Kept, NewSignup};
use crate::store::writer::SignupWriter;
use crate::store::{Store, StoreError};

/// Cloned by every extractor and middleware of every request, so one `Arc`: one atomic
/// count on a cache line both cores share, not one per part.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// The parts, built once at start-up; handlers reach them through `AppState`'s `Deref`.
pub struct Shared {
    pub engine: Engine,
    pub metrics: PrometheusHandle,
    pub requests: RequestMeters,
    pub shutdown: Arc<ShutdownFlag>,
    pub signups: Signups,
    pub guard: Guard,
}

impl AppState {
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// Set once a graceful shutdown has begun, so that `/readyz` tells load balancers to send
/// nothing more on connections still open.
#[derive(Debug, Default)]
pub struct ShutdownFlag(AtomicBool);

impl ShutdownFlag {
    pub fn begin(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn has_begun(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// The web layer's defences for a service on the open internet (design.md, "Abuse and web
/// security"), configured once at start-up.
pub struct Guard {
    /// Validations per client.
    pub limiter: Arc<Limiter>,
    /// Who may call `/api/v1/*`.
    pub api: ApiAccess,
    /// How long a request body may take to arrive, from the end of its headers.
    pub body_timeout: Duration,
    /// Whether `/metrics` is served with the app; not when it has an address of its own.
    pub metrics_here: bool,
}

/// Where valid submissions are kept, and the embedded mailbox when there is no SMTP server.
pub struct Signups {
    pub store: Store,
    /// Keeps sign-ups in `store`, those arriving together in one transaction.
    pub writer: SignupWriter,
    /// Wakes the email worker when a sign-up (and so an email job) is stored.
    pub wake: Arc<Notify>,
    pub meters: SignupMeters,
    /// True without SMTP: `/mailbox` shows what would have been sent.
    pub mailbox_open: bool,
}

impl Signups {
    /// Keeps a submission the engine found valid, and wakes the worker for its email.
    pub async fn keep(&self, submission: &Submission) -> Result<Kept, StoreError> {
        let signup = NewSignup::from_submission(submission)?;
        let kept = self.writer.keep(signup).await?;
        self.wake.notify_one();
        if kept.new {
            self.meters.new.increment(1);
        } else {
            self.meters.repeat.increment(1);
        }
        Ok(kept)
    }
}
