//! The `vouch` binary: parse the command line, start logging, run `serve` or `sandbox`.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use vouch::cli::{Cli, Command, SandboxArgs, ServeArgs, Switch};
use vouch::config::Settings;
use vouch::sandbox::{FaultRates, SandboxOptions};
use vouch::startup::{App, shutdown_signal};
use vouch::workers::Workers;

// glibc's malloc took a quarter of vouch's CPU under load (arena locks, consolidation) and
// fragmented to twice the resident memory; mimalloc's per-thread heaps avoid both.
// Its v2 line (Cargo feature) measured cheaper than v3 here; see README.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    vouch::telemetry::init_logs();
    let result = match cli.command {
        None => serve(cli.serve),
        Some(Command::Serve(args)) => serve(args),
        Some(Command::Sandbox(args)) => sandbox(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("vouch: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// This thread's event loop is worker 0; `App` starts the others (vouch::workers).
fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let settings = match Settings::from_args(&args) {
        Ok(s) => s,
        // Bad configuration exits 2 before listening, like clap's own errors.
        Err(e) => Cli::command()
            .error(clap::error::ErrorKind::MissingRequiredArgument, e)
            .exit(),
    };
    event_loop()?.block_on(async {
        let app = App::build(settings).await?;
        tracing::info!(addr = %app.local_addr()?, workers = app.workers(), "vouch serving");
        app.run_until(shutdown_signal()).await
    })
}

/// The sandbox runs like `vouch serve`: one event loop per CPU, this thread's the first.
fn sandbox(args: SandboxArgs) -> anyhow::Result<()> {
    event_loop()?.block_on(run_sandbox(args))
}

/// Worker 0's single-threaded runtime, on this thread.
fn event_loop() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
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
    let workers = Workers::start(vouch::workers::per_cpu())?;
    vouch::sandbox::serve_on(&workers, listener, opts, shutdown_signal()).await?;
    Ok(())
}
