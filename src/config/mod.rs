//! Settings, resolved and checked once at start-up: where each provider is, with which key.
//! Errors name the variable at fault, never a value.

use std::net::SocketAddr;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use crate::checks::OnProviderError;
use crate::checks::policy::PolicySettings;
use crate::cli::{ErrorPolicy, ProviderMode, ServeArgs, Switch};
use crate::mail::{MailSettings, WorkerSettings, smtp_host};
use crate::store::Backend;
use crate::web::access::{ApiAccess, ApiTokens, BadTokens};
use crate::web::client::TrustedProxies;
use crate::web::ratelimit::RateLimit;
use vouch_sandbox::{PLACEHOLDER_KEY, SandboxOptions};

pub const EVA_LIVE_URL: &str = "https://api.eva.pingutil.com";
pub const LOB_LIVE_URL: &str = "https://api.lob.com";
pub const VERIPHONE_LIVE_URL: &str = "https://api.veriphone.io";

/// Where a provider is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Url(String),
    /// The sandbox `vouch serve` starts on a loopback port of its own.
    EmbeddedSandbox,
}

/// A provider's target and key (Eva takes none). `Debug` shows the key as `[REDACTED]`.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub target: Target,
    pub key: SecretString,
}

impl Endpoint {
    pub fn url(base: impl Into<String>, key: &str) -> Endpoint {
        Endpoint {
            target: Target::Url(base.into()),
            key: key.into(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: SocketAddr,
    pub on_provider_error: OnProviderError,
    /// The per-call timeout, deadline, retries, hedging, cache, concurrency and call budgets.
    pub policy: PolicySettings,
    pub shutdown_grace: Duration,
    pub eva: Endpoint,
    pub lob: Endpoint,
    pub veriphone: Endpoint,
    /// Used when any endpoint targets the embedded sandbox.
    pub sandbox: SandboxOptions,
    /// HTTP/2 by prior knowledge to http:// providers (see `--provider-h2c`).
    pub provider_h2c: bool,
    /// `sqlite://…` or `postgres://…`; secret, since it may hold a password.
    pub database_url: SecretString,
    pub mail: MailSettings,
    /// What keeps the service safe in public.
    pub protection: Protection,
}

/// Defences for a service on the open internet (design.md, "Abuse and web security").
/// `Default` is the contract's defaults, with the API open as in sandbox mode.
#[derive(Debug, Clone)]
pub struct Protection {
    pub rate_limit: RateLimit,
    pub trusted_proxies: TrustedProxies,
    pub api: ApiAccess,
    pub max_connections: usize,
    /// `/metrics` on an address of its own instead of the app's.
    pub metrics_listen: Option<SocketAddr>,
    /// Time to send a request's headers; also how long a keep-alive connection may idle.
    pub header_timeout: Duration,
    /// Time for a request's body to arrive once its headers have.
    pub body_timeout: Duration,
}

impl Default for Protection {
    fn default() -> Self {
        Protection {
            rate_limit: RateLimit::default(),
            trusted_proxies: TrustedProxies::default(),
            api: ApiAccess::Open,
            max_connections: 10_000,
            metrics_listen: None,
            // Ample for a person on a slow phone, short for a client holding a connection.
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("VOUCH_PROVIDERS=live needs {0}; set it, or use VOUCH_PROVIDERS=sandbox")]
    MissingKey(&'static str),
    #[error(
        "VOUCH_PROVIDER_H2C=on needs http:// provider base URLs; HTTPS negotiates HTTP/2 itself"
    )]
    H2cOverTls,
    #[error("VOUCH_API_TOKENS: {0}")]
    ApiTokens(BadTokens),
    #[error("VOUCH_METRICS_LISTEN must differ from VOUCH_LISTEN")]
    MetricsOnListen,
    #[error("DATABASE_URL (--database-url) must start with sqlite:// or postgres://")]
    DatabaseUrl,
    #[error(
        "SMTP_URL (--smtp-url) must be smtps://[user:password@]host[:port] or smtp://…[?tls=required]"
    )]
    SmtpUrl,
}

impl Settings {
    pub fn from_args(args: &ServeArgs) -> Result<Settings, ConfigError> {
        let live = args.providers == ProviderMode::Live;
        let target = |explicit: &Option<String>, live_url: &str| match explicit {
            Some(url) => Target::Url(url.clone()),
            None if live => Target::Url(live_url.to_owned()),
            None => Target::EmbeddedSandbox,
        };
        let key = |given: &Option<SecretString>,
                   var: &'static str|
         -> Result<SecretString, ConfigError> {
            match given {
                Some(k) if !k.expose_secret().trim().is_empty() => Ok(k.clone()),
                _ if live => Err(ConfigError::MissingKey(var)),
                _ => Ok(PLACEHOLDER_KEY.into()),
            }
        };
        let settings = Settings {
            listen: args.listen,
            on_provider_error: match args.on_provider_error {
                ErrorPolicy::Accept => OnProviderError::Accept,
                ErrorPolicy::Reject => OnProviderError::Reject,
            },
            policy: policy(args),
            shutdown_grace: args.shutdown_grace,
            eva: Endpoint {
                target: target(&args.eva_base_url, EVA_LIVE_URL),
                key: PLACEHOLDER_KEY.into(),
            },
            lob: Endpoint {
                target: target(&args.lob_base_url, LOB_LIVE_URL),
                key: key(&args.lob_api_key, "LOB_API_KEY")?,
            },
            veriphone: Endpoint {
                target: target(&args.veriphone_base_url, VERIPHONE_LIVE_URL),
                key: key(&args.veriphone_api_key, "VERIPHONE_API_KEY")?,
            },
            sandbox: SandboxOptions {
                latency: args.sandbox_latency,
                ..SandboxOptions::default()
            },
            provider_h2c: args.provider_h2c == Switch::On,
            protection: protection(args, live)?,
            database_url: args.database_url.clone(),
            mail: mail(args),
        };
        settings.check(args)?;
        Ok(settings)
    }

    /// What no single flag can tell: values that must agree with each other.
    fn check(&self, args: &ServeArgs) -> Result<(), ConfigError> {
        let settings = self;
        if Backend::of(settings.database_url.expose_secret()).is_none() {
            return Err(ConfigError::DatabaseUrl);
        }
        if let Some(url) = &settings.mail.smtp_url
            && smtp_host(url.expose_secret()).is_none()
        {
            return Err(ConfigError::SmtpUrl);
        }
        if args.metrics_listen == Some(args.listen) {
            return Err(ConfigError::MetricsOnListen);
        }
        if settings.provider_h2c
            && settings
                .endpoints()
                .any(|e| matches!(&e.target, Target::Url(u) if !u.starts_with("http://")))
        {
            return Err(ConfigError::H2cOverTls);
        }
        Ok(())
    }

    fn endpoints(&self) -> impl Iterator<Item = &Endpoint> {
        [&self.eva, &self.lob, &self.veriphone].into_iter()
    }

    /// Whether provider calls use h2c: when asked, or when every provider is our own sandbox.
    pub fn use_h2c(&self) -> bool {
        self.provider_h2c
            || self
                .endpoints()
                .all(|e| e.target == Target::EmbeddedSandbox)
    }

    /// True when some provider is to be served by the embedded sandbox.
    pub fn needs_sandbox(&self) -> bool {
        self.endpoints()
            .any(|e| e.target == Target::EmbeddedSandbox)
    }
}

fn policy(args: &ServeArgs) -> PolicySettings {
    PolicySettings {
        deadline: args.deadline,
        per_call: args.provider_timeout,
        hedge: args.hedge.0,
        hedge_budget: args.hedge_budget,
        cache_ttl: args.cache_ttl.0,
        cache_entries: args.cache_entries,
        concurrency: args.provider_concurrency.get(),
        budgets: args
            .provider_budget
            .clone()
            .map(|b| b.0)
            .unwrap_or_default(),
        ..PolicySettings::default()
    }
}

fn protection(args: &ServeArgs, live: bool) -> Result<Protection, ConfigError> {
    Ok(Protection {
        rate_limit: args.rate_limit,
        trusted_proxies: args.trusted_proxies.clone(),
        api: api_access(args, live)?,
        max_connections: args.max_connections as usize,
        metrics_listen: args.metrics_listen,
        ..Protection::default()
    })
}

fn mail(args: &ServeArgs) -> MailSettings {
    MailSettings {
        smtp_url: args.smtp_url.clone(),
        from: args.mail_from.clone(),
        public_url: args.public_url.clone(),
        worker: WorkerSettings {
            batch: args.mail_concurrency,
            ..WorkerSettings::default()
        },
    }
}

/// Tokens if any; else closed in live mode unless opened on purpose; else open.
fn api_access(args: &ServeArgs, live: bool) -> Result<ApiAccess, ConfigError> {
    let tokens = match &args.api_tokens {
        Some(list) => ApiTokens::parse(list).map_err(ConfigError::ApiTokens)?,
        None => None,
    };
    Ok(match tokens {
        Some(tokens) => ApiAccess::Tokens(tokens),
        None if live && !args.api_open => ApiAccess::Closed,
        None => ApiAccess::Open,
    })
}

#[cfg(test)]
mod tests;
