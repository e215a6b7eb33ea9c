//! Cleartext HTTP/2 (h2c) to an `http://` provider origin: every call in flight is a stream on
//! one connection, spoken with the `h2` crate (the HTTP/2 implementation under hyper).
//!
//! Why not reqwest or hyper's client here: on loopback against the sandbox, at C = 256
//! submissions in flight (three calls each), reqwest's pooled client spent 0.25–0.27 ms of CPU
//! per submission, hyper's HTTP/2 connection 0.15–0.18 ms, and `h2` alone 0.13 ms; at C = 1024
//! the process peaked at 59, 29 and 16 MB (bench/FINDINGS.md, "The provider client"). hyper
//! routes every request through a channel to its connection task and spawns a task per request
//! to wait for the answer; `h2` lets the caller own its stream. Calls over HTTPS (the live
//! providers) still go through reqwest, which negotiates HTTP/2 by ALPN.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use h2::RecvStream;
use h2::client::{self, ResponseFuture, SendRequest};
use http::{Request, StatusCode};
use tokio::net::TcpStream;

use super::provider::ProviderError;

type Sender = SendRequest<Bytes>;

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
            .unwrap_or_else(PoisonError::into_inner);
        map.entry(origin.to_owned())
            .or_insert_with(|| Channel::new(origin, connect_timeout))
            .clone()
    }
}

/// A connection to one origin, dialled on first use and again whenever it has ended.
#[derive(Clone)]
pub struct Channel(Arc<Inner>);

struct Inner {
    origin: String,
    connect_timeout: Duration,
    /// Held only to clone or replace the connection, never across an await.
    live: Mutex<Option<Live>>,
    /// One dial at a time: a thousand calls finding the connection gone make one connection.
    dialing: tokio::sync::Mutex<()>,
}

#[derive(Clone)]
struct Live {
    sender: Sender,
    /// Set by the task driving the connection when the connection ends.
    ended: Arc<AtomicBool>,
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

    /// Sends `req` (absolute URI) and reads the answer's status and body, refusing a body over
    /// `max_body` bytes as malformed.
    pub async fn send(
        &self,
        req: Box<Request<Bytes>>,
        max_body: usize,
    ) -> Result<(StatusCode, Bytes), ProviderError> {
        let answer = self.open(req).await?;
        let resp = answer.await.map_err(transport)?;
        let status = resp.status();
        let body = read_body(resp.into_body(), max_body).await?;
        Ok((status, body))
    }

    /// Opens a stream for `req` and sends its body. If the connection turns out to be gone
    /// before the stream opens, the request goes out once more on a new connection; a request
    /// that was sent is never repeated.
    async fn open(&self, req: Box<Request<Bytes>>) -> Result<ResponseFuture, ProviderError> {
        let live = self.live().await?;
        let mut sender = match live.sender.ready().await {
            Ok(ready) => ready,
            // Boxed: the rare path's state would otherwise weigh on every call in flight.
            Err(_) => Box::pin(self.redialled(&live.ended)).await?,
        };
        // Unboxed only now: kept boxed while waiting, the request costs each call in flight
        // 8 bytes instead of 256.
        let (parts, body) = req.into_parts();
        let last = body.is_empty();
        let head = Request::from_parts(parts, ());
        let (answer, mut stream) = sender.send_request(head, last).map_err(transport)?;
        if !last {
            stream.send_data(body, true).map_err(transport)?;
        }
        Ok(answer)
    }

    /// The connection behind `ended` refused a stream (closed, or going away): it is not handed
    /// out again, and the call goes out on the next one.
    async fn redialled(&self, ended: &AtomicBool) -> Result<Sender, ProviderError> {
        ended.store(true, Ordering::Release);
        let live = self.live().await?;
        live.sender.ready().await.map_err(transport)
    }

    fn current(&self) -> Option<Live> {
        let live = self.0.live.lock().unwrap_or_else(PoisonError::into_inner);
        live.as_ref()
            .filter(|l| !l.ended.load(Ordering::Acquire))
            .cloned()
    }

    async fn live(&self) -> Result<Live, ProviderError> {
        match self.current() {
            Some(live) => Ok(live),
            None => Box::pin(self.dial_once()).await,
        }
    }

    async fn dial_once(&self) -> Result<Live, ProviderError> {
        let _one_dial = self.0.dialing.lock().await;
        if let Some(s) = self.current() {
            return Ok(s);
        }
        let live = tokio::time::timeout(self.0.connect_timeout, self.dial())
            .await
            .map_err(|_| ProviderError::Connect)??;
        *self.0.live.lock().unwrap_or_else(PoisonError::into_inner) = Some(live.clone());
        Ok(live)
    }

    async fn dial(&self) -> Result<Live, ProviderError> {
        let tcp = TcpStream::connect(self.0.origin.as_str())
            .await
            .map_err(|_| ProviderError::Connect)?;
        tcp.set_nodelay(true).map_err(|_| ProviderError::Connect)?;
        // hyper's client windows: credit only, no memory is reserved for them.
        let (sender, mut conn) = client::Builder::new()
            .initial_window_size(2 * 1024 * 1024)
            .initial_connection_window_size(5 * 1024 * 1024)
            .handshake(tcp)
            .await
            .map_err(|_| ProviderError::Connect)?;
        let ended = Arc::new(AtomicBool::new(false));
        let (origin, flag) = (self.0.origin.clone(), Arc::clone(&ended));
        let pings = conn.ping_pong();
        tokio::spawn(async move {
            tokio::select! {
                result = &mut conn => if let Err(err) = result {
                    tracing::debug!(%origin, error = %err, "h2c connection to a provider ended");
                },
                () = peer_gone(pings) => {
                    tracing::debug!(%origin, "h2c provider stopped answering pings");
                }
            }
            flag.store(true, Ordering::Release);
        });
        Ok(Live { sender, ended })
    }
}

/// Resolves when the peer stops answering pings (a host that vanished without closing, a
/// dropped NAT entry); never, if pings are unavailable.
async fn peer_gone(pings: Option<h2::PingPong>) {
    let Some(mut pings) = pings else {
        return std::future::pending().await;
    };
    loop {
        tokio::time::sleep(Duration::from_secs(30)).await;
        let pong = tokio::time::timeout(Duration::from_secs(10), pings.ping(h2::Ping::opaque()));
        if !matches!(pong.await, Ok(Ok(_))) {
            return;
        }
    }
}

/// The whole body, giving its flow-control credit back as it arrives.
async fn read_body(mut body: RecvStream, max_body: usize) -> Result<Bytes, ProviderError> {
    let mut whole = BytesMut::new();
    while let Some(chunk) = body.data().await {
        let chunk = chunk.map_err(transport)?;
        let _ = body.flow_control().release_capacity(chunk.len());
        if whole.len() + chunk.len() > max_body {
            return Err(ProviderError::Malformed);
        }
        // The usual answer is one DATA frame: keep it as it is.
        if whole.is_empty() && body.is_end_stream() {
            return Ok(chunk);
        }
        whole.extend_from_slice(&chunk);
    }
    Ok(whole.freeze())
}

fn transport(err: h2::Error) -> ProviderError {
    ProviderError::Transport(err.to_string())
}
