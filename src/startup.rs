//! Builds the application from settings — HTTP client, engine, embedded sandbox, database,
//! email worker, router, bound listeners — and runs it until a shutdown signal, with a bounded
//! grace period.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};

use crate::checks::engine::{Engine, Policy};
use crate::checks::eva::EvaClient;
use crate::checks::lob::LobClient;
use crate::checks::meters::CallMeters;
use crate::checks::provider::Transport;
use crate::checks::veriphone::VeriphoneClient;
use crate::config::{Settings, Target};
use crate::mail::meters::MailMeters;
use crate::mail::worker::Worker;
use crate::mail::{Delivery, Smtp};
use crate::serve::{self, Limits};
use crate::store::Store;
use crate::store::writer::SignupWriter;
use crate::telemetry::metrics_handle;
use crate::web::meters::{RequestMeters, SignupMeters};
use crate::web::ratelimit::{self, Limiter};
use crate::web::state::{AppState, Guard, Shared, ShutdownFlag, Signups};
use crate::web::{self, access::ApiAccess};
use vouch_sandbox::SandboxHandle;

pub struct App {
    listener: TcpListener,
    router: axum::Router,
    /// `/metrics` on an address of its own (`--metrics-listen`).
    metrics: Option<(TcpListener, axum::Router)>,
    limits: Limits,
    grace: Duration,
    shutdown: Arc<ShutdownFlag>,
    /// Kept alive as long as the app; stops the embedded sandbox when the app ends.
    sandbox: Option<SandboxHandle>,
    store: Store,
    /// The sign-up writer's connection (on SQLite the email worker's too).
    writes: Store,
    /// Started by `run_until`, so email goes out only while the app serves.
    worker: Worker,
}

impl App {
    pub async fn build(settings: Settings) -> anyhow::Result<App> {
        // Loading the phone metadata and ZIP table takes a moment (longer in debug builds): off
        // the runtime's threads, and before the first request rather than inside it.
        tokio::task::spawn_blocking(vouch_offline::warm_up)
            .await
            .context("loading the offline tables")?;
        let sandbox = if settings.needs_sandbox() {
            Some(
                vouch_sandbox::spawn(settings.sandbox)
                    .await
                    .context("starting the embedded sandbox")?,
            )
        } else {
            None
        };
        let url = |target: &Target| match (target, &sandbox) {
            (Target::Url(u), _) => u.clone(),
            (Target::EmbeddedSandbox, Some(s)) => s.base_url(),
            // needs_sandbox() was true for any embedded target, so the sandbox exists.
            (Target::EmbeddedSandbox, None) => String::new(),
        };
        let timeout = settings.policy.per_call;
        let http =
            Transport::new(timeout, settings.use_h2c()).context("building the HTTP client")?;
        let metrics = metrics_handle();
        let engine = Engine {
            eva: EvaClient::new(&http, &url(&settings.eva.target), timeout)?,
            lob: LobClient::new(
                &http,
                &url(&settings.lob.target),
                settings.lob.key.clone(),
                timeout,
            )?,
            veriphone: VeriphoneClient::new(
                &http,
                &url(&settings.veriphone.target),
                settings.veriphone.key.clone(),
                timeout,
            )?,
            on_provider_error: settings.on_provider_error,
            policy: Policy::new(&settings.policy),
            meters: CallMeters::register(),
        };
        spawn_metrics_upkeep(metrics.clone());
        let protection = &settings.protection;
        let limiter = Arc::new(Limiter::new(
            protection.rate_limit,
            protection.trusted_proxies.clone(),
        ));
        ratelimit::spawn_sweeper(&limiter);
        if let ApiAccess::Tokens(tokens) = &protection.api
            && tokens.any_short()
        {
            tracing::warn!("an API token is shorter than 16 characters: easy to guess");
        }
        let shutdown = Arc::new(ShutdownFlag::default());
        let (signups, mut worker, writes) = open_signups(&settings).await?;
        let store = signups.store.clone();
        let state = AppState::new(Shared {
            engine,
            metrics,
            requests: RequestMeters::default(),
            shutdown: Arc::clone(&shutdown),
            signups,
            guard: Guard {
                limiter,
                api: protection.api.clone(),
                body_timeout: protection.body_timeout,
                metrics_here: protection.metrics_listen.is_none(),
            },
        });
        let metrics = match protection.metrics_listen {
            Some(addr) => Some((bind(addr).await?, web::metrics_router(state.clone()))),
            None => None,
        };
        let listener = bind(settings.listen).await?;
        if settings.mail.public_url.is_none() {
            worker.public_url = format!("http://{}", listener.local_addr()?);
        }
        Ok(App {
            listener,
            router: web::router(state),
            metrics,
            limits: Limits {
                header_timeout: protection.header_timeout,
                max_connections: protection.max_connections,
            },
            grace: settings.shutdown_grace,
            shutdown,
            sandbox,
            store,
            writes,
            worker,
        })
    }

    /// Set when a graceful shutdown begins; `/readyz` answers 503 from then on.
    pub fn shutdown_flag(&self) -> Arc<ShutdownFlag> {
        Arc::clone(&self.shutdown)
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Where `/metrics` is served when it has an address of its own.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        let (listener, _) = self.metrics.as_ref()?;
        listener.local_addr().ok()
    }

    /// Serves until `shutdown` resolves, then stops accepting and lets in-flight requests
    /// finish for at most the grace period.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let (stopping, stopped) = watch::channel(false);
        let stop = move || {
            let mut stopped = stopped.clone();
            async move {
                let _ = stopped.wait_for(|&stop| stop).await;
            }
        };
        let mail = self.worker.store.clone();
        let worker = self.worker.spawn();
        let metrics = self.metrics.map(|(listener, router)| {
            tokio::spawn(serve::serve(listener, router, self.limits, stop()))
        });
        let server = serve::serve(self.listener, self.router, self.limits, stop());
        tokio::pin!(server);
        // Shutdown begins here, once: /readyz turns 503, both servers stop accepting, and the
        // grace starts.
        let begin = async {
            shutdown.await;
            self.shutdown.begin();
            let _ = stopping.send(true);
            tokio::time::sleep(self.grace).await;
        };
        tokio::select! {
            () = &mut server => {}
            () = begin => {
                tracing::warn!(grace = ?self.grace, "shutdown grace elapsed with requests still in flight");
            }
        }
        if let Some(metrics) = metrics {
            metrics.abort();
        }
        // The worker finishes the emails in hand (each bounded by the send timeout); a job
        // cut off here is taken again once its lease runs out.
        if tokio::time::timeout(self.grace, worker.stop())
            .await
            .is_err()
        {
            tracing::warn!("the email worker did not stop within the grace period");
        }
        // Every pool is closed here, once what uses it has stopped (closing one twice, as the
        // writer's and the worker's on SQLite, is harmless), so that SQLite checkpoints its WAL.
        self.writes.close().await;
        mail.close().await;
        self.store.close().await;
        if let Some(sandbox) = self.sandbox {
            sandbox.shutdown();
        }
        Ok(())
    }
}

/// The database (migrated), how email leaves, and the worker that sends it. Three pools: the
/// web side's, the sign-up writer's one connection (returned, to be closed last) and the
/// worker's ([`Store::open_for_worker`]: on SQLite, the writer's).
async fn open_signups(settings: &Settings) -> anyhow::Result<(Signups, Worker, Store)> {
    let store = Store::open(&settings.database_url)
        .await
        .context("opening the database (DATABASE_URL)")?;
    let mail = &settings.mail;
    let delivery = match &mail.smtp_url {
        Some(url) => {
            Delivery::Smtp(Smtp::new(url, mail.worker.send_timeout).context("setting up SMTP_URL")?)
        }
        None => Delivery::Mailbox,
    };
    let database = store.backend().name();
    match &delivery {
        Delivery::Smtp(smtp) => {
            tracing::info!(
                database,
                smtp_host = smtp.host(),
                "sign-ups kept; email sent by SMTP"
            );
        }
        Delivery::Mailbox => tracing::info!(
            database,
            "sign-ups kept; email kept in the mailbox at /mailbox (no SMTP_URL)"
        ),
    }
    let writes = Store::open_for_writer(&settings.database_url)
        .await
        .context("opening the database for the sign-up writer")?;
    let wake = Arc::new(Notify::new());
    let signups = Signups {
        writer: SignupWriter::spawn(writes.clone()),
        store,
        wake: wake.clone(),
        meters: SignupMeters::register(),
        mailbox_open: matches!(delivery, Delivery::Mailbox),
    };
    let worker = Worker {
        store: Store::open_for_worker(&settings.database_url, &writes)
            .await
            .context("opening the database for the email worker")?,
        delivery,
        from: mail.from.clone(),
        // Until the listener is bound, a configured URL or nothing.
        public_url: mail.public_url.clone().unwrap_or_default(),
        settings: mail.worker.clone(),
        wake,
        meters: Arc::new(MailMeters::register()),
    };
    Ok((signups, worker, writes))
}

async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))
}

/// The Prometheus recorder needs periodic upkeep to drain histogram buffers.
fn spawn_metrics_upkeep(handle: metrics_exporter_prometheus::PrometheusHandle) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            handle.run_upkeep();
        }
    });
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown signal received");
}
