//! The accept loop, used by `startup` alone.
//!
//! `axum::serve` sets no time limit for reading a request's headers (hyper's
//! `header_read_timeout`) and no cap on open connections, so a slowloris client could hold
//! connections without end; that is why vouch accepts connections itself, here. It speaks
//! HTTP/1.1 only: hyper-util's HTTP/1-or-2 detection waits for a connection's first bytes
//! with no time limit, HTTP/2 has no header timeout, and browsers use HTTP/2 only over TLS,
//! which the proxy in front of vouch terminates.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_http::add_extension::AddExtension;

/// What a connection may hold and for how long.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Time to send a request's line and headers. hyper starts this clock whenever it waits
    /// for a request, so it also closes a keep-alive connection left idle that long.
    pub header_timeout: Duration,
    /// Connections open at once; past it, new ones wait in the kernel's backlog.
    pub max_connections: usize,
}

/// The most a connection buffers: with many connections open, hyper's default (about
/// 400 KiB each) would be a lot of memory to hand out.
const MAX_BUF: usize = 64 * 1024;

/// The longest request line and headers taken (`431` past it): far more than a browser or
/// a proxy sends, and vouch sets no cookies.
const MAX_HEADER_BYTES: usize = 16 * 1024;

/// Serves `app` on `listener` until `shutdown` resolves; then stops accepting, lets each
/// connection finish the request it is on, and returns once all are closed. The caller
/// bounds that wait.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_header_size(MAX_HEADER_BYTES)
        .max_buf_size(MAX_BUF);
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = open.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors, say: back off instead of spinning.
                Err(err) => {
                    tracing::debug!(error = %err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = tcp.set_nodelay(true);
        // What `into_make_service_with_connect_info` would add: the rate limit needs the peer.
        let service = AddExtension::new(app.clone(), ConnectInfo::<SocketAddr>(peer));
        let conn = http.serve_connection(TokioIo::new(tcp), TowerToHyperService::new(service));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // A client hanging up or timing out is normal, not an error worth a log.
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}
