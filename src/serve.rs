//! The accept loop both servers use (vouch's pages and API, and the sandbox), on hyper-util
//! directly rather than `axum::serve`: it lets each set HTTP/2's stream cap (the sandbox needs
//! thousands of streams on one h2c connection; hyper's default is 200), and it measured cheaper
//! under load (C = 1024: 0.32 instead of 0.36 ms of CPU and ~8 MiB less peak memory per run of
//! vouch, two runs each; bench/FINDINGS.md).
//!
//! Each connection's protocol is told from its first bytes with `peek`, then hyper's HTTP/1.1 or
//! HTTP/2 server gets the socket itself. hyper-util's auto-detection reads those bytes instead
//! and replays them, so hyper's first read returned only 24 bytes and its read buffer doubled to
//! 16 KiB on the next: 8 MiB more at 1,024 keep-alive connections.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::{http1, http2};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::workers::Workers;

/// What an HTTP/2 client sends first when it speaks HTTP/2 without TLS (RFC 9113, 3.4).
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// How a server treats its connections.
#[derive(Debug, Clone, Copy)]
pub struct ServeOptions {
    /// Concurrent streams one HTTP/2 connection may carry; `None` keeps hyper's default (200).
    pub h2_streams: Option<u32>,
    /// Once shutdown begins, how long requests in flight may take to finish.
    pub drain: Duration,
}

/// Serves `app` over HTTP/1.1 and HTTP/2 (TLS-less, by prior knowledge) until `shutdown`,
/// then stops accepting and lets requests in flight finish. Returns `false` if some were
/// still running when `drain` ran out.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send,
    opts: ServeOptions,
) -> bool {
    serve_on(&Workers::here(), listener, app, shutdown, opts).await
}

/// [`serve`], each connection served by one of `workers`, the least busy when it arrives.
pub async fn serve_on(
    workers: &Workers,
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send,
    opts: ServeOptions,
) -> bool {
    let protocols = Arc::new(Protocols::new(opts.h2_streams));
    let graceful = GracefulShutdown::new();
    // Connections still telling their protocol hold a watcher; this lets them go at shutdown.
    let (stop, stopped) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let (tcp, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                // Out of file descriptors, say: back off instead of spinning.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // No Nagle: an answer must leave the moment it is ready.
        let _ = tcp.set_nodelay(true);
        let conn = Arc::clone(&protocols);
        let (app, watcher, stopped) = (app.clone(), graceful.watcher(), stopped.clone());
        workers.spread(tcp, move |tcp| conn.serve(tcp, app, watcher, stopped));
    }
    drop(listener);
    let _ = stop.send(true);
    tokio::time::timeout(opts.drain, graceful.shutdown())
        .await
        .is_ok()
}

/// hyper's servers for each protocol, configured once.
struct Protocols {
    http1: http1::Builder,
    http2: http2::Builder<TokioExecutor>,
    /// For the rare client whose first bytes are only the start of the HTTP/2 preface.
    auto: auto::Builder<TokioExecutor>,
}

impl Protocols {
    fn new(h2_streams: Option<u32>) -> Self {
        let mut http2 = http2::Builder::new(TokioExecutor::new());
        let mut auto = auto::Builder::new(TokioExecutor::new());
        if let Some(streams) = h2_streams {
            http2.max_concurrent_streams(streams);
            auto.http2().max_concurrent_streams(streams);
        }
        Protocols {
            http1: http1::Builder::new(),
            http2,
            auto,
        }
    }

    /// Serves one connection to its end. A connection that has not sent a byte when shutdown
    /// begins is closed; from its first byte on, `watcher` lets it finish its requests.
    async fn serve(
        self: Arc<Self>,
        tcp: TcpStream,
        app: Router,
        watcher: Watcher,
        mut stopped: watch::Receiver<bool>,
    ) {
        let first = tokio::select! {
            first = peek_preface(&tcp) => first,
            _ = stopped.changed() => return,
        };
        let Ok(first) = first else {
            return;
        };
        let service = TowerToHyperService::new(app);
        let io = TokioIo::new(tcp);
        // A client hanging up mid-answer is normal: the results are not errors worth a log.
        match first {
            Preface::No => {
                let _ = watcher
                    .watch(self.http1.serve_connection(io, service))
                    .await;
            }
            Preface::Yes => {
                let _ = watcher
                    .watch(self.http2.serve_connection(io, service))
                    .await;
            }
            Preface::Partly => {
                let conn = self.auto.serve_connection(io, service).into_owned();
                let _ = watcher.watch(conn).await;
            }
        }
    }
}

/// Whether a connection opened with the HTTP/2 preface.
#[derive(Debug, PartialEq, Eq)]
enum Preface {
    Yes,
    No,
    /// Its bytes so far are the preface's first few.
    Partly,
}

/// Looks at the first bytes without taking them, so hyper reads the whole request at once.
async fn peek_preface(tcp: &TcpStream) -> std::io::Result<Preface> {
    let mut first = [0u8; H2_PREFACE.len()];
    let n = tcp.peek(&mut first).await?;
    Ok(classify(&first[..n]))
}

fn classify(first: &[u8]) -> Preface {
    if first.is_empty() || !H2_PREFACE.starts_with(first) {
        Preface::No
    } else if first.len() == H2_PREFACE.len() {
        Preface::Yes
    } else {
        Preface::Partly
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::SocketAddr;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::sync::oneshot;

    #[test]
    fn the_preface_decides_the_protocol() {
        assert_eq!(classify(H2_PREFACE), Preface::Yes);
        assert_eq!(classify(b"POST /async HTTP/1.1\r\n"), Preface::No);
        assert_eq!(classify(b"PRI * HTTP/1.1\r\n\r\nXX\r\n\r\n"), Preface::No);
        assert_eq!(classify(b"PRI * HT"), Preface::Partly);
        // The peer closed without a byte: HTTP/1.1 sees the end and closes quietly.
        assert_eq!(classify(b""), Preface::No);
    }

    /// A server answering "ok" on `/`, and the handle that starts its shutdown.
    async fn start() -> (
        SocketAddr,
        oneshot::Sender<()>,
        tokio::task::JoinHandle<bool>,
    ) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new().route("/", axum::routing::get(|| async { "ok" }));
        let (stop, stopped) = oneshot::channel::<()>();
        let opts = ServeOptions {
            h2_streams: None,
            drain: Duration::from_secs(5),
        };
        let shutdown = async {
            let _ = stopped.await;
        };
        let server = tokio::spawn(serve(listener, app, shutdown, opts));
        (addr, stop, server)
    }

    #[tokio::test]
    async fn speaks_http1_and_http2_by_prior_knowledge() {
        let (addr, _stop, _server) = start().await;
        let url = format!("http://{addr}/");
        let h1 = reqwest::get(&url).await.unwrap();
        assert_eq!(h1.version(), reqwest::Version::HTTP_11);
        assert_eq!(h1.text().await.unwrap(), "ok");
        let h2c = reqwest::Client::builder()
            .http2_prior_knowledge()
            .build()
            .unwrap();
        let h2 = h2c.get(&url).send().await.unwrap();
        assert_eq!(h2.version(), reqwest::Version::HTTP_2);
        assert_eq!(h2.text().await.unwrap(), "ok");
    }

    #[tokio::test]
    async fn a_preface_in_pieces_still_gets_http2() {
        let (addr, _stop, _server) = start().await;
        let mut tcp = TcpStream::connect(addr).await.unwrap();
        tcp.write_all(&H2_PREFACE[..8]).await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        tcp.write_all(&H2_PREFACE[8..]).await.unwrap();
        // An HTTP/2 server opens with its SETTINGS frame: 3 bytes of length, then type 0x4.
        let mut frame = [0u8; 9];
        tokio::time::timeout(Duration::from_secs(5), tcp.read_exact(&mut frame))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(frame[3], 0x4, "{frame:?}");
    }

    #[tokio::test]
    async fn a_silent_connection_does_not_hold_up_shutdown() {
        let (addr, stop, server) = start().await;
        let _silent = TcpStream::connect(addr).await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        let started = std::time::Instant::now();
        stop.send(()).unwrap();
        let drained = server.await.unwrap();
        assert!(drained, "the drain timed out");
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}
