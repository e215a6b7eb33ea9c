//! The accept loop both servers use (vouch's pages and API, and the sandbox), on hyper-util
//! directly rather than `axum::serve`: it lets each set HTTP/2's stream cap (the sandbox needs
//! thousands of streams on one h2c connection; hyper's default is 200), and it measured cheaper
//! under load (C = 1024: 0.32 instead of 0.36 ms of CPU and ~8 MiB less peak memory per run of
//! vouch, two runs each; bench/FINDINGS.md).

use std::future::Future;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

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
    let mut builder = Builder::new(TokioExecutor::new());
    if let Some(streams) = opts.h2_streams {
        builder.http2().max_concurrent_streams(streams);
    }
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
        // No Nagle: an answer must leave the moment it is ready.
        let _ = tcp.set_nodelay(true);
        let service = TowerToHyperService::new(app.clone());
        let conn = builder.serve_connection_with_upgrades(TokioIo::new(tcp), service);
        let conn = graceful.watch(conn.into_owned());
        tokio::spawn(async move {
            // A client hanging up mid-answer is normal.
            let _ = conn.await;
        });
    }
    drop(listener);
    tokio::time::timeout(opts.drain, graceful.shutdown())
        .await
        .is_ok()
}
