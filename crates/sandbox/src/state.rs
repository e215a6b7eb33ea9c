//! State shared by every handler, and the one place an answer is delayed or replaced by a
//! fault before it leaves.

use std::time::Duration;

use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tokio::sync::watch;

use super::SandboxOptions;
use super::clock::PreciseTimer;
use super::faults::{self, Fault, FaultDice};
use super::latency::LatencyModel;
use super::lob::RateLimiter;

/// Which provider a request is for: picks its latency, content type and fault bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub(crate) enum Provider {
    Eva,
    Lob,
    Veriphone,
}

impl Provider {
    fn name(self) -> &'static str {
        self.into()
    }

    /// The `Content-Type` of this provider's JSON answers.
    pub(crate) fn content_type(self) -> HeaderValue {
        match self {
            Self::Veriphone => HeaderValue::from_static("application/json; charset=UTF-8"),
            Self::Eva | Self::Lob => HeaderValue::from_static("application/json"),
        }
    }

    /// A JSON answer with this provider's content type.
    pub(crate) fn json(self, status: StatusCode, body: &impl Serialize) -> Response {
        match serde_json::to_vec(body) {
            Ok(bytes) => (status, [(CONTENT_TYPE, self.content_type())], bytes).into_response(),
            // Our wire structs hold only strings, bools and numbers; this cannot happen.
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    }
}

/// Everything the handlers share. Locks inside are held only for one draw or one counter
/// update, never across an `.await`.
#[derive(Debug)]
pub(crate) struct Shared {
    latency: LatencyModel,
    dice: FaultDice,
    /// Lob's per-key request budget.
    pub(crate) lob_limits: RateLimiter,
    /// Sub-millisecond delays: Tokio's timer would add up to 2 ms to each.
    timer: PreciseTimer,
    /// Becomes `true` on shutdown; pending delays end when it does.
    stopping: watch::Sender<bool>,
}

impl Shared {
    pub(crate) fn new(opts: SandboxOptions) -> Self {
        Self {
            latency: LatencyModel::new(opts.latency, opts.jitter, opts.seed),
            dice: FaultDice::new(opts.faults, opts.seed),
            lob_limits: if opts.lob_rate_limit {
                RateLimiter::default()
            } else {
                RateLimiter::unlimited()
            },
            timer: PreciseTimer::start(),
            stopping: watch::Sender::new(false),
        }
    }

    /// Cuts every pending and future delay short.
    pub(crate) fn stop(&self) {
        self.stopping.send_replace(true);
    }

    /// Sends `answer` after the provider's simulated delay, unless a fault (the one `forced`
    /// by a trigger, else a random one) replaces it.
    pub(crate) async fn deliver(
        &self,
        provider: Provider,
        forced: Option<Fault>,
        answer: Response,
    ) -> Response {
        let fault = forced.or_else(|| self.dice.roll());
        let delay = match fault {
            Some(Fault::Timeout) => faults::TIMEOUT,
            _ => self.latency.sample(provider),
        };
        self.pause(delay).await;
        let response = fault.map_or(answer, |f| f.response(provider));
        // Inputs and keys stay out of the log; the status and any fault are enough to debug.
        tracing::debug!(
            provider = provider.name(),
            status = response.status().as_u16(),
            fault = ?fault,
            delay_ms = delay.as_millis() as u64,
            "sandbox answered"
        );
        response
    }

    /// Sleeps for `delay` on the precise timer, or until shutdown begins.
    async fn pause(&self, delay: Duration) {
        if delay.is_zero() {
            return;
        }
        let mut stopping = self.stopping.subscribe();
        tokio::select! {
            () = self.timer.sleep_until(std::time::Instant::now() + delay) => {}
            // `self` owns the sender, so this only resolves on a real shutdown.
            _ = stopping.wait_for(|stop| *stop) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LatencySpec;
    use std::sync::Arc;
    use std::time::Instant;

    fn shared(latency_ms: u64) -> Shared {
        Shared::new(SandboxOptions {
            latency: LatencySpec::uniform(Duration::from_millis(latency_ms)),
            jitter: false,
            ..SandboxOptions::default()
        })
    }

    #[tokio::test]
    async fn answers_wait_for_the_fixed_latency() {
        let sb = shared(50);
        let start = Instant::now();
        let answer = sb
            .deliver(Provider::Eva, None, StatusCode::OK.into_response())
            .await;
        assert_eq!(answer.status(), StatusCode::OK);
        assert!(start.elapsed() >= Duration::from_millis(50));
    }

    #[tokio::test]
    async fn shutdown_cuts_a_timeout_fault_short_and_drops_it() {
        let sb = Arc::new(shared(0));
        let waiting = {
            let sb = Arc::clone(&sb);
            tokio::spawn(async move {
                let ok = StatusCode::OK.into_response();
                sb.deliver(Provider::Veriphone, Some(Fault::Timeout), ok)
                    .await
            })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(
            !waiting.is_finished(),
            "a timeout fault must still be waiting"
        );
        let start = Instant::now();
        sb.stop();
        let answer = waiting.await.expect("task");
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "shutdown must not wait a minute"
        );
        let body = axum::body::to_bytes(answer.into_body(), 1024).await;
        assert!(
            body.is_err(),
            "the body must fail, like a dropped connection"
        );
    }
}
