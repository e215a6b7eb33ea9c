//! Cleartext HTTP/2 (h2c) to an `http://` provider origin: every call in flight shares one
//! connection, driven by hyper's own HTTP/2 client connection.
//!
//! Why not reqwest here: on loopback against the sandbox, with C = 256 submissions in flight,
//! reqwest's pooled client spent 0.25–0.27 ms of CPU per submission (three calls) where hyper's
//! connection alone spent 0.16–0.18 ms, and at C = 1024 it held ~10 KiB more memory per call in
//! flight (bench/FINDINGS.md, "The provider client"). Calls over HTTPS (the live providers) still
//! go through reqwest, which negotiates HTTP/2 by ALPN.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::client::conn::http2::{self, SendRequest};
use hyper::{Request, Response, body::Incoming};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio::net::TcpStream;

use super::provider::ProviderError;

type Sender = SendRequest<Full<Bytes>>;

/// One h2c channel per origin (`host:port`), shared by every route to that origin.
#[derive(Default)]
pub struct Channels {
    by_origin: Mutex<HashMap<String, Channel>>,
}

impl Channels {
    /// The channel to `origin`, made on first ask. Routes ask once, at start-up.
    pub fn get(&self, origin: &str, connect_timeout: Duration) -> Channel {
        let mut map = self
            .by_origin
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.entry(origin.to_owned())
            .or_insert_with(|| Channel::new(origin, connect_timeout))
            .clone()
    }
}

/// A connection to one origin, dialled on first use and again whenever it has closed.
#[derive(Clone)]
pub struct Channel(Arc<Inner>);

struct Inner {
    origin: String,
    connect_timeout: Duration,
    /// Held only to clone or replace the sender, never across an await.
    live: Mutex<Option<Sender>>,
    /// One dial at a time: a thousand calls finding the connection gone make one connection.
    dialing: tokio::sync::Mutex<()>,
}

impl Channel {
    fn new(origin: &str, connect_timeout: Duration) -> Channel {
        Channel(Arc::new(Inner {
            origin: origin.to_owned(),
            connect_timeout,
            live: Mutex::new(None),
            dialing: tokio::sync::Mutex::new(()),
        }))
    }

    /// Sends `req` (absolute URI). A request the connection closed on before sending it is sent
    /// once more on a new connection; one that was sent is never repeated.
    pub async fn send(
        &self,
        req: Request<Full<Bytes>>,
    ) -> Result<Response<Incoming>, ProviderError> {
        let mut sender = self.sender().await?;
        match sender.try_send_request(req).await {
            Ok(resp) => Ok(resp),
            Err(mut err) => match err.take_message() {
                // `sender()` skips a closed connection, so this dials a new one.
                Some(unsent) => {
                    let mut fresh = self.sender().await?;
                    fresh.send_request(unsent).await.map_err(transport)
                }
                None => Err(transport(err.into_error())),
            },
        }
    }

    fn current(&self) -> Option<Sender> {
        let live = self
            .0
            .live
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        live.as_ref().filter(|s| !s.is_closed()).cloned()
    }

    async fn sender(&self) -> Result<Sender, ProviderError> {
        if let Some(s) = self.current() {
            return Ok(s);
        }
        let _one_dial = self.0.dialing.lock().await;
        if let Some(s) = self.current() {
            return Ok(s);
        }
        let sender = tokio::time::timeout(self.0.connect_timeout, self.dial())
            .await
            .map_err(|_| ProviderError::Connect)??;
        *self
            .0
            .live
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(sender.clone());
        Ok(sender)
    }

    async fn dial(&self) -> Result<Sender, ProviderError> {
        let tcp = TcpStream::connect(self.0.origin.as_str())
            .await
            .map_err(|_| ProviderError::Connect)?;
        tcp.set_nodelay(true).map_err(|_| ProviderError::Connect)?;
        let (sender, conn) = http2::Builder::new(TokioExecutor::new())
            .timer(TokioTimer::new())
            // Finds a peer that vanished without closing (a dead host, a dropped NAT entry).
            .keep_alive_interval(Duration::from_secs(30))
            .keep_alive_timeout(Duration::from_secs(10))
            .handshake(TokioIo::new(tcp))
            .await
            .map_err(|_| ProviderError::Connect)?;
        let origin = self.0.origin.clone();
        tokio::spawn(async move {
            if let Err(err) = conn.await {
                tracing::debug!(%origin, error = %err, "h2c connection to a provider ended");
            }
        });
        Ok(sender)
    }
}

fn transport(err: hyper::Error) -> ProviderError {
    ProviderError::Transport(err.to_string())
}
