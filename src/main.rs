//! The `vouch` binary: parse the command line, start logging, run `serve`, `sandbox` or
//! `signups`.

use std::process::ExitCode;

use anyhow::Context;
use clap::{CommandFactory, Parser};
use vouch::cli::{
    Cli, Command, ExportFormat, SandboxArgs, ServeArgs, SignupsAction, SignupsArgs, Switch,
};
use vouch::config::Settings;
use vouch::startup::{App, shutdown_signal};
use vouch_sandbox::{FaultRates, SandboxOptions};

// glibc's malloc cost vouch much CPU under load (arena locks, consolidation) and fragmented
// to twice the resident memory; mimalloc's per-thread heaps avoid both (bench/FINDINGS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    vouch::telemetry::init_logs();
    let result = match cli.command {
        None => serve(cli.serve),
        Some(Command::Serve(args)) => serve(*args),
        Some(Command::Sandbox(args)) => sandbox(args),
        Some(Command::Signups(args)) => signups(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("vouch: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let settings = match Settings::from_args(&args) {
        Ok(s) => s,
        // Bad configuration exits 2 before listening, like clap's own errors.
        Err(e) => Cli::command()
            .error(clap::error::ErrorKind::MissingRequiredArgument, e)
            .exit(),
    };
    runtime()?.block_on(async {
        let app = App::build(settings).await?;
        tracing::info!(addr = %app.local_addr()?, "vouch serving");
        app.run_until(shutdown_signal()).await
    })
}

fn sandbox(args: SandboxArgs) -> anyhow::Result<()> {
    runtime()?.block_on(run_sandbox(args))
}

fn signups(args: SignupsArgs) -> anyhow::Result<()> {
    runtime()?.block_on(async {
        let store = vouch::store::Store::open(&args.database_url)
            .await
            .context("opening the database (DATABASE_URL)")?;
        match args.action {
            SignupsAction::Export {
                format: ExportFormat::Csv,
            } => {
                let count = store.export_csv(std::io::stdout().lock()).await?;
                eprintln!("vouch: exported {count} sign-ups");
            }
            SignupsAction::Delete { email } => {
                let gone = store.forget(&email).await?;
                println!(
                    "deleted {} sign-up(s), {} token(s), {} email job(s), {} mailbox cop(ies)",
                    gone.signups, gone.tokens, gone.emails_queued, gone.mailbox_copies
                );
            }
        }
        store.close().await;
        Ok(())
    })
}

/// Tokio's multi-threaded runtime, one worker per CPU.
fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}

async fn run_sandbox(args: SandboxArgs) -> anyhow::Result<()> {
    let opts = SandboxOptions {
        latency: args.latency,
        jitter: args.jitter == Switch::On,
        seed: args.seed,
        faults: FaultRates {
            error: args.error_rate,
            timeout: args.timeout_rate,
            garbage: args.garbage_rate,
        },
        lob_rate_limit: args.lob_rate_limit == Switch::On,
    };
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    tracing::info!(addr = %listener.local_addr()?, "vouch sandbox serving");
    vouch_sandbox::serve(listener, opts, shutdown_signal()).await?;
    Ok(())
}
