//! The sandbox's accept loop. `axum::serve` would do, but it caps HTTP/2 at hyper's default
//! of 200 concurrent streams per connection, and vouch multiplexes thousands of provider calls
//! over one cleartext HTTP/2 connection (h2c) to the sandbox: a cap would queue them.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// Streams one HTTP/2 connection may carry at once: far above any load we test.
const MAX_STREAMS: u32 = 100_000;
/// How long in-flight answers may take to leave once shutdown begins.
const DRAIN: Duration = Duration::from_secs(5);

/// Serves `app` over HTTP/1.1 and HTTP/2 (TLS-less, by prior knowledge) until `shutdown`.
pub(crate) async fn serve_connections(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send,
) {
    let mut builder = Builder::new(TokioExecutor::new());
    builder.http2().max_concurrent_streams(MAX_STREAMS);
    let graceful = GracefulShutdown::new();
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
        // No Nagle: an answer must leave the moment its simulated delay ends.
        let _ = tcp.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        let conn = builder.serve_connection_with_upgrades(TokioIo::new(tcp), service);
        let conn = graceful.watch(conn.into_owned());
        tokio::spawn(async move {
            // A client hanging up mid-answer is normal here.
            let _ = conn.await;
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(DRAIN, graceful.shutdown()).await;
}
