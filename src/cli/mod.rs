//! Command line and environment: one clap struct per subcommand; each flag names its env
//! variable and default, as design.md's configuration table does.

use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::sync::LazyLock;
use std::time::Duration;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use secrecy::SecretString;

use crate::web::client::TrustedProxies;
use crate::web::ratelimit::RateLimit;
use vouch_sandbox::LatencySpec;

mod values;

pub use values::{CacheTtl, Hedge, ProviderBudgets};
use values::{
    base_url, cache_ttl, hedge, mailbox, percent, positive_duration, provider_budgets, rate,
};

/// `vouch --version` also names the phone metadata, since stale metadata changes verdicts.
static LONG_VERSION: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{} (phone metadata: {})",
        env!("CARGO_PKG_VERSION"),
        vouch_offline::phone::metadata_version()
    )
});

#[derive(Debug, Parser)]
#[command(
    name = "vouch",
    version = LONG_VERSION.as_str(),
    about = "Checks sign-up contact details against verification services, all at once",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// With no subcommand, vouch serves.
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the form, the JSON API, /healthz and /metrics (the default).
    Serve(Box<ServeArgs>),
    /// Run the simulated providers (Eva, Lob, Veriphone) alone on one address.
    Sandbox(SandboxArgs),
    /// Work on the stored sign-ups: export them, or forget one person.
    Signups(SignupsArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProviderMode {
    /// Providers without an explicit base URL use the embedded sandbox.
    Sandbox,
    /// Providers use the real hosts (or their explicit base URLs); keys are required.
    Live,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ErrorPolicy {
    /// Leave the field unverified and accept the form.
    Accept,
    /// Treat the field as invalid.
    Reject,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Switch {
    On,
    Off,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "VOUCH_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Where providers are reached.
    #[arg(long, env = "VOUCH_PROVIDERS", value_enum, default_value = "sandbox")]
    pub providers: ProviderMode,
    /// Timeout of each provider call (e.g. 3s, 800ms).
    #[arg(long, env = "VOUCH_PROVIDER_TIMEOUT", default_value = "3s", value_parser = positive_duration)]
    pub provider_timeout: Duration,
    /// Median latency of the embedded sandbox: `300ms`, or per provider `eva=100ms,lob=200ms,veriphone=300ms`.
    #[arg(long, env = "VOUCH_SANDBOX_LATENCY", default_value = "300ms")]
    pub sandbox_latency: LatencySpec,
    /// What a provider failure does to its field.
    #[arg(
        long,
        env = "VOUCH_ON_PROVIDER_ERROR",
        value_enum,
        default_value = "accept"
    )]
    pub on_provider_error: ErrorPolicy,
    /// Everything one submission's provider calls may take: attempts, retries, hedges, waits.
    #[arg(long, env = "VOUCH_DEADLINE", default_value = "4s", value_parser = positive_duration)]
    pub deadline: Duration,
    /// Send a second call when one is out longer than its provider's recent pNN answer time
    /// (`p95`); `off` (a hedge is a second paid call).
    #[arg(long, env = "VOUCH_HEDGE", default_value = "off", value_parser = hedge)]
    pub hedge: Hedge,
    /// Hedges allowed, as a share of calls (`5%`).
    #[arg(long, env = "VOUCH_HEDGE_BUDGET", default_value = "5%", value_parser = percent)]
    pub hedge_budget: f32,
    /// How long a provider's definite answer is reused (`24h`); `off` disables the cache.
    #[arg(long, env = "VOUCH_CACHE_TTL", default_value = "24h", value_parser = cache_ttl)]
    pub cache_ttl: CacheTtl,
    /// Most answers the verdict cache keeps.
    #[arg(long, env = "VOUCH_CACHE_ENTRIES", default_value_t = 100_000)]
    pub cache_entries: u64,
    /// Calls in flight per provider; more wait (against the deadline).
    #[arg(long, env = "VOUCH_PROVIDER_CONCURRENCY", default_value_t = NonZeroUsize::new(256).unwrap_or(NonZeroUsize::MIN))]
    pub provider_concurrency: NonZeroUsize,
    /// Calls per provider and period: `lob=5000/day,eva=100/h,veriphone=10/min`; past it a
    /// provider is not called.
    #[arg(long, env = "VOUCH_PROVIDER_BUDGET", value_parser = provider_budgets)]
    pub provider_budget: Option<ProviderBudgets>,
    /// How long in-flight requests may run after SIGTERM or Ctrl-C.
    #[arg(long, env = "VOUCH_SHUTDOWN_GRACE", default_value = "10s", value_parser = humantime::parse_duration)]
    pub shutdown_grace: Duration,
    /// Speak HTTP/2 without TLS (h2c) to http:// provider URLs such as a `vouch sandbox`: one
    /// connection per provider carries every call at once. The embedded sandbox always gets it.
    #[arg(long, env = "VOUCH_PROVIDER_H2C", value_enum, default_value = "off")]
    pub provider_h2c: Switch,
    /// Eva's base URL (live: https://api.eva.pingutil.com). Always wins over --providers.
    #[arg(long, env = "EVA_BASE_URL", value_parser = base_url)]
    pub eva_base_url: Option<String>,
    /// Lob's base URL (live: https://api.lob.com). Always wins over --providers.
    #[arg(long, env = "LOB_BASE_URL", value_parser = base_url)]
    pub lob_base_url: Option<String>,
    /// Veriphone's base URL (live: https://api.veriphone.io). Always wins over --providers.
    #[arg(long, env = "VERIPHONE_BASE_URL", value_parser = base_url)]
    pub veriphone_base_url: Option<String>,
    /// Lob API key; prefer the environment variable (flags show in `ps`).
    #[arg(long, env = "LOB_API_KEY", hide_env_values = true)]
    pub lob_api_key: Option<SecretString>,
    /// Veriphone API key; prefer the environment variable (flags show in `ps`).
    #[arg(long, env = "VERIPHONE_API_KEY", hide_env_values = true)]
    pub veriphone_api_key: Option<SecretString>,
    /// Validations per client (form posts and API calls): `N/s`, `N/min` or `N/h`, or `off`.
    #[arg(long, env = "VOUCH_RATE_LIMIT", default_value = "30/min")]
    pub rate_limit: RateLimit,
    /// Proxies whose X-Forwarded-For is believed: comma-separated IPs or CIDR networks.
    #[arg(long, env = "VOUCH_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: TrustedProxies,
    /// Tokens the JSON API requires (`Authorization: Bearer …`), comma-separated; prefer the
    /// environment variable (flags show in `ps`).
    #[arg(long, env = "VOUCH_API_TOKENS", hide_env_values = true)]
    pub api_tokens: Option<SecretString>,
    /// With live providers and no tokens, open the JSON API to anyone anyway (`true`).
    #[arg(
        long,
        env = "VOUCH_API_OPEN",
        default_value_t = false,
        num_args = 0..=1,
        default_missing_value = "true",
        action = ArgAction::Set
    )]
    pub api_open: bool,
    /// Connections open at once; past it, new ones wait to be accepted.
    #[arg(long, env = "VOUCH_MAX_CONNECTIONS", default_value = "10000", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Serve /metrics on this address only (and 404 it on --listen).
    #[arg(long, env = "VOUCH_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,
    /// Where sign-ups are kept: `sqlite://FILE` (created if missing) or `postgres://…`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
    pub database_url: SecretString,
    /// SMTP server for outgoing mail: `smtps://user:pass@host`, `smtp://host?tls=required`
    /// (STARTTLS) or `smtp://host:port` (plain). Unset: emails are kept in the mailbox at /mailbox.
    #[arg(long, env = "SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<SecretString>,
    /// Sender of outgoing mail.
    #[arg(long, env = "VOUCH_MAIL_FROM", default_value = "vouch <no-reply@localhost>", value_parser = mailbox)]
    pub mail_from: lettre::message::Mailbox,
    /// Emails sent at once by this process. More is faster through a distant server; each
    /// one in flight when the process dies may be delivered twice.
    #[arg(long, env = "VOUCH_MAIL_CONCURRENCY", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=256))]
    pub mail_concurrency: u32,
    /// Base URL of links in emails (default: http://<listen address>).
    #[arg(long, env = "VOUCH_PUBLIC_URL", value_parser = base_url)]
    pub public_url: Option<String>,
}

/// `sqlite://vouch.db`: a file in the working directory, so a first run needs no setup.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://vouch.db";

#[derive(Debug, Clone, Args)]
pub struct SignupsArgs {
    /// The database to work on, as for `serve`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true, global = true)]
    pub database_url: SecretString,
    #[command(subcommand)]
    pub action: SignupsAction,
}

#[derive(Debug, Clone, Subcommand)]
pub enum SignupsAction {
    /// Write every sign-up to standard output, oldest first.
    Export {
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormat,
    },
    /// Forget one person: their sign-up, its tokens, its queued emails and mailbox copies.
    Delete {
        /// The address they signed up with (any capitalisation).
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// RFC 4180 CSV with a header row; cells a spreadsheet would run as formulas are defused.
    Csv,
}

#[derive(Debug, Clone, Args)]
pub struct SandboxArgs {
    /// Address to listen on.
    #[arg(long, env = "VOUCH_SANDBOX_LISTEN", default_value = "127.0.0.1:8081")]
    pub listen: SocketAddr,
    /// Median latency: `300ms`, or per provider `eva=100ms,lob=200ms,veriphone=300ms`.
    #[arg(long, env = "VOUCH_SANDBOX_LATENCY", default_value = "300ms")]
    pub latency: LatencySpec,
    /// `off` answers after exactly the median (for benchmarks); `on` draws a heavy-tailed delay.
    #[arg(long, value_enum, default_value = "on")]
    pub jitter: Switch,
    /// Seed for repeatable latency and fault draws.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Share of requests answered 500 (0 to 1).
    #[arg(long, default_value_t = 0.0, value_parser = rate)]
    pub error_rate: f64,
    /// Share of requests never answered in time (0 to 1).
    #[arg(long, default_value_t = 0.0, value_parser = rate)]
    pub timeout_rate: f64,
    /// Share of requests answered 200 with a body that is not the provider's format (0 to 1).
    #[arg(long, default_value_t = 0.0, value_parser = rate)]
    pub garbage_rate: f64,
    /// Lob's limit of 300 requests per 5 s per key; `off` for load tests.
    #[arg(long, value_enum, default_value = "on")]
    pub lob_rate_limit: Switch,
}

#[cfg(test)]
mod tests;
