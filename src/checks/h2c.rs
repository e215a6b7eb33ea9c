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
//!
//! Each worker thread ([`crate::workers`]) has its own connection per origin (a lane): a call
//! and the task reading its answer then run on one thread, and no worker wakes another.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use h2::RecvStream;
use h2::client::{self, ResponseFuture, SendRequest};
use http::{Request, StatusCode};
use tokio::net::TcpStream;

use super::provider::{Body, ProviderError};

type Sender = SendRequest<Bytes>;

/// The most header bytes (HPACK-decoded) an answer may carry; real answers carry under 1 KiB.
const MAX_HEADERS: u32 = 64 * 1024;

/// How often an open connection is pinged, and how long a pong may take before the peer is
/// taken for gone.
#[derive(Debug, Clone, Copy)]
struct Pings {
    every: Duration,
    patience: Duration,
}

impl Default for Pings {
    fn default() -> Self {
        Pings {
            every: Duration::from_secs(30),
            patience: Duration::from_secs(10),
        }
    }
}

/// One h2c channel per origin (`host:port`), shared by every route to that origin.
pub struct Channels {
    by_origin: Mutex<HashMap<String, Channel>>,
    pings: Pings,
    /// Connections per origin, one per worker.
    lanes: NonZeroUsize,
}

impl Default for Channels {
    fn default() -> Self {
        Channels::with_lanes(NonZeroUsize::MIN)
    }
}

impl Channels {
    /// The channel to `origin`, made on first ask. Routes ask once, at start-up.
    pub fn get(&self, origin: &str, connect_timeout: Duration) -> Channel {
        let mut map = self
            .by_origin
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        map.entry(origin.to_owned())
            .or_insert_with(|| Channel::new(origin, connect_timeout, self.pings, self.lanes))
            .clone()
    }

    /// Channels with `lanes` connections per origin, one for each worker.
    pub fn with_lanes(lanes: NonZeroUsize) -> Channels {
        Channels {
            by_origin: Mutex::default(),
            pings: Pings::default(),
            lanes,
        }
    }
}

/// Connections to one origin, one per worker (lane), each dialled on first use and again
/// whenever it has ended.
#[derive(Clone)]
pub struct Channel(Arc<Inner>);

struct Inner {
    origin: String,
    connect_timeout: Duration,
    pings: Pings,
    lanes: Box<[Lane]>,
}

#[derive(Default)]
struct Lane {
    /// Held only to clone or replace the connection, never across an await.
    live: Mutex<Option<Live>>,
    /// One dial at a time: a thousand calls finding the connection gone make one connection.
    dialing: tokio::sync::Mutex<()>,
}

#[derive(Clone)]
struct Live {
    sender: Sender,
    /// Set when the connection ends (by the task driving it) or refuses a new stream.
    ended: Arc<AtomicBool>,
}

impl Channel {
    fn new(origin: &str, connect_timeout: Duration, pings: Pings, lanes: NonZeroUsize) -> Channel {
        Channel(Arc::new(Inner {
            origin: origin.to_owned(),
            connect_timeout,
            pings,
            lanes: (0..lanes.get()).map(|_| Lane::default()).collect(),
        }))
    }

    /// The calling worker's lane; its connection's task is spawned on that worker too.
    fn lane(&self) -> &Lane {
        let lanes = &self.0.lanes;
        &lanes[crate::workers::current() % lanes.len()]
    }

    /// Sends `req` (absolute URI) and reads the answer's status and body.
    pub async fn send(
        &self,
        req: Box<Request<Bytes>>,
    ) -> Result<(StatusCode, Bytes), ProviderError> {
        let answer = self.open(req).await?;
        let resp = answer.await.map_err(transport)?;
        let status = resp.status();
        let body = read_body(resp.into_body()).await?;
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
        let live = self
            .lane()
            .live
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
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
        let _one_dial = self.lane().dialing.lock().await;
        if let Some(s) = self.current() {
            return Ok(s);
        }
        let live = tokio::time::timeout(self.0.connect_timeout, self.dial())
            .await
            .map_err(|_| ProviderError::Connect)??;
        *self
            .lane()
            .live
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(live.clone());
        Ok(live)
    }

    async fn dial(&self) -> Result<Live, ProviderError> {
        let tcp = TcpStream::connect(self.0.origin.as_str())
            .await
            .map_err(|_| ProviderError::Connect)?;
        tcp.set_nodelay(true).map_err(|_| ProviderError::Connect)?;
        // hyper's client windows: credit only, no memory is reserved for them. Headers are
        // capped like bodies: h2 would otherwise buffer up to 16 MiB of them per answer.
        let (sender, mut conn) = client::Builder::new()
            .initial_window_size(2 * 1024 * 1024)
            .initial_connection_window_size(5 * 1024 * 1024)
            .max_header_list_size(MAX_HEADERS)
            .handshake(tcp)
            .await
            .map_err(|_| ProviderError::Connect)?;
        let ended = Arc::new(AtomicBool::new(false));
        let (origin, flag) = (self.0.origin.clone(), Arc::clone(&ended));
        let (pings, ping_pong) = (self.0.pings, conn.ping_pong());
        tokio::spawn(async move {
            tokio::select! {
                result = &mut conn => if let Err(err) = result {
                    tracing::debug!(%origin, error = %err, "h2c connection to a provider ended");
                },
                () = peer_gone(ping_pong, pings) => {
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
async fn peer_gone(ping_pong: Option<h2::PingPong>, pings: Pings) {
    let Some(mut ping_pong) = ping_pong else {
        return std::future::pending().await;
    };
    loop {
        tokio::time::sleep(pings.every).await;
        let pong = tokio::time::timeout(pings.patience, ping_pong.ping(h2::Ping::opaque()));
        if !matches!(pong.await, Ok(Ok(_))) {
            return;
        }
    }
}

/// The whole body, giving its flow-control credit back as it arrives.
async fn read_body(mut stream: RecvStream) -> Result<Bytes, ProviderError> {
    let mut body = Body::default();
    while let Some(chunk) = stream.data().await {
        let chunk = chunk.map_err(transport)?;
        let _ = stream.flow_control().release_capacity(chunk.len());
        body.push(chunk)?;
    }
    Ok(body.into_bytes())
}

fn transport(err: h2::Error) -> ProviderError {
    ProviderError::Transport(err.to_string())
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;
    use std::num::NonZeroUsize;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use axum::Router;
    use axum::routing::get;
    use tokio::net::{TcpListener, TcpStream};
    use tokio::task::JoinHandle;
    use wiremock::ResponseTemplate;

    use bytes::Bytes;
    use http::Request;

    use super::{Channels, Pings};
    use crate::checks::provider::{Route, Transport, testing};
    use crate::serve::{ServeOptions, serve};
    use crate::workers::Workers;

    /// A TCP relay in front of a fake provider that counts the connections it accepts and can
    /// cut them all, as a provider restarting would.
    struct Relay {
        addr: SocketAddr,
        accepted: Arc<AtomicUsize>,
        pipes: Arc<Mutex<Vec<JoinHandle<()>>>>,
        frozen: Arc<tokio::sync::Notify>,
    }

    impl Relay {
        async fn start(to: SocketAddr) -> Relay {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let relay = Relay {
                addr: listener.local_addr().unwrap(),
                accepted: Arc::default(),
                pipes: Arc::default(),
                frozen: Arc::default(),
            };
            let (accepted, pipes) = (relay.accepted.clone(), relay.pipes.clone());
            let frozen = relay.frozen.clone();
            tokio::spawn(async move {
                while let Ok((mut inbound, _)) = listener.accept().await {
                    accepted.fetch_add(1, Ordering::SeqCst);
                    let frozen = frozen.clone();
                    let pipe = tokio::spawn(async move {
                        let mut outbound = TcpStream::connect(to).await.unwrap();
                        let relay = tokio::io::copy_bidirectional(&mut inbound, &mut outbound);
                        tokio::select! {
                            _ = relay => {}
                            // Silent, yet open: nothing passes and nothing closes.
                            () = frozen.notified() => std::future::pending().await,
                        }
                    });
                    pipes.lock().unwrap().push(pipe);
                }
            });
            relay
        }

        /// The connections so far stop passing bytes but stay open: a host that vanished.
        fn freeze(&self) {
            self.frozen.notify_waiters();
        }

        fn cut(&self) {
            for pipe in self.pipes.lock().unwrap().drain(..) {
                pipe.abort();
            }
        }
    }

    /// A fake provider answering `/email` after `delay`, behind a relay; keep the server alive.
    async fn slow_behind_relay(delay: Duration) -> (wiremock::MockServer, Relay) {
        let slow = ResponseTemplate::new(200)
            .set_body_string("{}")
            .set_delay(delay);
        let server = testing::serving("/email", slow).await;
        let relay = Relay::start(*server.address()).await;
        (server, relay)
    }

    #[tokio::test]
    async fn h2c_calls_in_flight_share_one_connection_and_a_closed_one_is_redialled() {
        let (_server, relay) = slow_behind_relay(Duration::from_millis(200)).await;
        let h2c = Transport::new(Duration::from_secs(2), true).unwrap();
        let base = format!("http://{}", relay.addr);
        let route = Route::new(&h2c, &base, "/email", Duration::from_secs(2)).unwrap();

        let calls = (0..50).map(|_| route.get(&[("email", "a@b.co")]));
        for answer in futures::future::join_all(calls).await {
            assert!(answer.unwrap().json::<serde_json::Value>().is_ok());
        }
        assert_eq!(relay.accepted.load(Ordering::SeqCst), 1);

        relay.cut();
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(
            route
                .get(&[])
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .is_ok()
        );
        assert_eq!(relay.accepted.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn each_worker_has_its_own_connection_to_an_origin() {
        let (_server, relay) = slow_behind_relay(Duration::from_millis(100)).await;
        let workers = Workers::start(NonZeroUsize::new(2).unwrap()).unwrap();
        let h2c = Transport::with_lanes(Duration::from_secs(2), true, workers.count()).unwrap();
        let base = format!("http://{}", relay.addr);
        let route = Route::new(&h2c, &base, "/email", Duration::from_secs(2)).unwrap();

        let calls = (0..20).map(|i| {
            let route = route.clone();
            workers.spawn_on(i % 2, async move { route.get(&[]).await.map(|_| ()) })
        });
        for call in futures::future::join_all(calls).await {
            assert!(matches!(call, Ok(Ok(()))), "{call:?}");
        }
        assert_eq!(relay.accepted.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn routes_to_one_origin_share_its_h2c_connection() {
        let server =
            testing::serving("/email", ResponseTemplate::new(200).set_body_string("{}")).await;
        let relay = Relay::start(*server.address()).await;
        let h2c = Transport::new(Duration::from_secs(2), true).unwrap();
        let base = format!("http://{}/", relay.addr);
        for path in ["/email", "/v2/verify", "/email"] {
            let route = Route::new(&h2c, &base, path, Duration::from_secs(2)).unwrap();
            let _ = route.get(&[]).await.unwrap();
        }
        assert_eq!(relay.accepted.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn an_answer_with_oversized_headers_is_an_error_not_a_hang() {
        let huge = ResponseTemplate::new(200)
            .insert_header("x-padding", "x".repeat(100 * 1024).as_str())
            .set_body_string("{}");
        let server = testing::serving("/email", huge).await;
        let h2c = Transport::new(Duration::from_secs(2), true).unwrap();
        let route = Route::new(&h2c, &server.uri(), "/email", Duration::from_secs(2)).unwrap();
        let err = route.get(&[]).await.err();
        assert!(
            matches!(
                err,
                Some(crate::checks::provider::ProviderError::Transport(_))
            ),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn a_provider_gone_silent_is_found_by_pings_and_redialled() {
        let server =
            testing::serving("/email", ResponseTemplate::new(200).set_body_string("{}")).await;
        let relay = Relay::start(*server.address()).await;
        let channels = Channels {
            pings: Pings {
                every: Duration::from_millis(100),
                patience: Duration::from_millis(200),
            },
            ..Channels::default()
        };
        let channel = channels.get(&relay.addr.to_string(), Duration::from_secs(1));
        let url = format!("http://{}/email", relay.addr);
        let call = || {
            let req = Request::get(url.as_str()).body(Bytes::new()).unwrap();
            tokio::time::timeout(Duration::from_secs(2), channel.send(Box::new(req)))
        };
        assert!(matches!(call().await, Ok(Ok(_))));

        relay.freeze();
        // The next ping (within 100 ms) goes unanswered for 200 ms: the connection is dropped.
        tokio::time::sleep(Duration::from_secs(1)).await;
        let after = call().await;
        assert!(matches!(after, Ok(Ok(_))), "{after:?}");
        assert_eq!(relay.accepted.load(Ordering::SeqCst), 2);
    }

    /// A provider that answers `/email` after 300 ms, served (HTTP/2 included) by our own accept
    /// loop on `listener` until `stop` resolves; it then sends GOAWAY and drains.
    fn slow_provider(
        listener: TcpListener,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> JoinHandle<bool> {
        let slow = Router::new().route(
            "/email",
            get(|| async {
                tokio::time::sleep(Duration::from_millis(300)).await;
                "{}"
            }),
        );
        let opts = ServeOptions {
            h2_streams: None,
            drain: Duration::from_secs(5),
        };
        tokio::spawn(serve(listener, slow, stop, opts))
    }

    #[tokio::test]
    async fn a_provider_restarting_gracefully_loses_no_call() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let old = slow_provider(listener, async {
            let _ = stopped.await;
        });
        let h2c = Transport::new(Duration::from_secs(2), true).unwrap();
        let route = Route::new(
            &h2c,
            &format!("http://{addr}"),
            "/email",
            Duration::from_secs(2),
        )
        .unwrap();

        let in_flight = tokio::spawn({
            let route = route.clone();
            async move { route.get(&[]).await.map(|a| a.json::<serde_json::Value>()) }
        });
        tokio::time::sleep(Duration::from_millis(100)).await;
        // The old process says GOAWAY and stops listening; a new one takes the port.
        stop.send(()).unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        let _new = slow_provider(
            TcpListener::bind(addr).await.unwrap(),
            std::future::pending(),
        );

        let after = route.get(&[]).await.map(|a| a.json::<serde_json::Value>());
        assert!(matches!(after, Ok(Ok(_))), "{after:?}");
        let before = in_flight.await.unwrap();
        assert!(matches!(before, Ok(Ok(_))), "{before:?}");
        assert!(old.await.unwrap(), "the old provider drained");
    }
}
