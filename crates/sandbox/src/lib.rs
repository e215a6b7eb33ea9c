//! The embedded sandbox: wire-compatible simulations of Eva, Lob and Veriphone.
//!
//! One listener serves all three providers' paths (`/email`, `/v1/us_verifications`,
//! `/v2/verify`) plus `/healthz`, so a sandbox address works as any provider's base URL.
//! `vouch serve` starts it on a loopback port when no provider keys are configured, and
//! `vouch sandbox` runs it alone. The provider clients reach it over real HTTP, so they take
//! the same code path as against the real services.
//!
//! Verdicts come from [`vouch_offline`], the same functions the server's local checks use,
//! so the sandbox and the local checks never disagree. Every answer waits out a simulated
//! delay (`latency.rs`) on a precise timer of its own (`clock.rs`: Tokio's rounds up to the
//! next millisecond): thousands of requests in flight cost heap entries, not threads. `faults.rs` documents how to make a provider fail on purpose.
//!
//! Wire formats follow `providers.md`; `tests/fixtures/` pins them to the published examples.

mod clock;
mod eva;
mod faults;
mod latency;
mod lob;
mod serve;
mod state;
mod veriphone;

#[cfg(test)]
mod tests;

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;
use tokio::sync::oneshot;

pub use faults::{FAULT_HEADER, FaultRates};
pub use latency::LatencySpec;
pub(crate) use state::{Provider, Shared};

/// The API key vouch's clients send when none is configured, so the sandbox's auth checks
/// still run on every request.
pub const PLACEHOLDER_KEY: &str = "sandbox";

/// How the sandbox behaves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SandboxOptions {
    /// Median answer time per provider.
    pub latency: LatencySpec,
    /// `false`: every answer takes exactly the median (steady benchmarks).
    pub jitter: bool,
    /// `Some`: a repeatable latency and random-fault sequence (tests).
    pub seed: Option<u64>,
    /// Random fault probabilities; deterministic triggers work regardless.
    pub faults: FaultRates,
    /// Lob's 300 requests per 5 s per key; off for load tests.
    pub lob_rate_limit: bool,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        Self {
            latency: LatencySpec::default(),
            jitter: true,
            seed: None,
            faults: FaultRates::default(),
            lob_rate_limit: true,
        }
    }
}

/// All routes of the three simulated providers, with their own state.
pub fn router(opts: SandboxOptions) -> Router {
    routes(Arc::new(Shared::new(opts)))
}

fn routes(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/email", get(eva::check))
        .route("/v1/us_verifications", post(lob::verify))
        .route(
            "/v2/verify",
            get(veriphone::verify).post(veriphone::verify_post),
        )
        .route("/healthz", get(|| async { "ok" }))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(shared)
}

/// Serves until `shutdown` resolves. Used by `vouch sandbox` (standalone) and by the embedded
/// mode. On shutdown, simulated delays still pending are cut short so that stopping never
/// waits for them; requests that were waiting get their answer at once (a `timeout` fault
/// gets a dropped connection), with a few seconds to leave.
pub async fn serve(
    listener: tokio::net::TcpListener,
    opts: SandboxOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The phone metadata loads on first use (~0.5 s in debug builds); pay that before the
    // first request instead of inside it.
    tokio::task::spawn_blocking(vouch_offline::warm_up)
        .await
        .map_err(std::io::Error::other)?;
    let shared = Arc::new(Shared::new(opts));
    let app = routes(Arc::clone(&shared));
    let stop = async move {
        shutdown.await;
        shared.stop();
    };
    serve::serve(listener, app, stop, Duration::from_secs(5)).await;
    Ok(())
}

/// A sandbox running on the current runtime. Dropping it, or calling
/// [`shutdown`](Self::shutdown), stops the server.
#[derive(Debug)]
pub struct SandboxHandle {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
}

impl SandboxHandle {
    /// The loopback address the sandbox listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, usable as the base URL of any of the three providers.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops the server and returns at once: the server accepts nothing more, cuts pending
    /// simulated delays short and finishes what is in flight in the background.
    pub fn shutdown(mut self) {
        self.signal_stop();
    }

    fn signal_stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            // An error means the server task already ended; nothing is left to stop.
            let _ = stop.send(());
        }
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        self.signal_stop();
    }
}

/// Embedded mode inside `vouch serve`: binds `127.0.0.1:0`, spawns [`serve`] on the current
/// runtime and returns its address.
pub async fn spawn(opts: SandboxOptions) -> std::io::Result<SandboxHandle> {
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        // Either a message or the handle's sender dropping means stop.
        let shutdown = async move {
            let _ = stopped.await;
        };
        if let Err(error) = serve(listener, opts, shutdown).await {
            tracing::error!(%error, "sandbox stopped with an error");
        }
    });
    tracing::info!(%addr, "sandbox listening");
    Ok(SandboxHandle {
        addr,
        stop: Some(stop),
    })
}

/// Unknown paths: Lob's error shape under `/v1/`, Veriphone's under `/v2/`, plain JSON
/// elsewhere, so each provider's client sees what it would from the real host.
async fn not_found(uri: Uri) -> Response {
    path_error(&uri, StatusCode::NOT_FOUND)
}

async fn method_not_allowed(uri: Uri) -> Response {
    path_error(&uri, StatusCode::METHOD_NOT_ALLOWED)
}

fn path_error(uri: &Uri, status: StatusCode) -> Response {
    let path = uri.path();
    if path.starts_with("/v1/") {
        lob::error(
            status,
            "unrecognized_endpoint",
            "The requested endpoint does not exist.",
        )
    } else if path.starts_with("/v2/") {
        let kind = if status == StatusCode::NOT_FOUND {
            "NotFound"
        } else {
            "BadRequest"
        };
        veriphone::error(status, kind, "Unknown resource")
    } else {
        (status, Json(json!({"error": "not found"}))).into_response()
    }
}
