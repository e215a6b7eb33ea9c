//! Outgoing email: composing it ([`message`]), the way it leaves ([`Delivery`]: an SMTP server
//! or the embedded mailbox), and the background worker that drains the outbox ([`worker`]).

pub mod backoff;
pub mod message;
pub mod meters;
pub mod worker;

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::Error as SmtpError;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};

/// How the worker paces itself. Defaults suit production; tests shorten them.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// Longest sleep between two looks at the outbox (a new sign-up wakes it sooner).
    pub poll_interval: Duration,
    /// How long a wake-up waits before claiming, so that the sign-ups of the next moment share
    /// one claim: a claim costs the same few statements whether it takes one job or many.
    pub gather: Duration,
    /// Jobs taken per claim, sent concurrently. Each email in flight when the process dies
    /// may arrive twice (accepted, not yet marked), so this bounds the duplicates per crash.
    pub batch: u32,
    /// How long a claim holds a job; a dead worker's job is taken again after it.
    pub lease: Duration,
    /// Bound on one SMTP delivery, connection included; well inside the lease.
    pub send_timeout: Duration,
    /// Attempts before a job is left `failed`. With the default backoff, 12 span about 5.7 h,
    /// enough to ride out an outage of the mail server.
    pub max_attempts: u32,
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            poll_interval: Duration::from_secs(2),
            gather: Duration::from_millis(50),
            batch: 4,
            lease: Duration::from_secs(30),
            send_timeout: Duration::from_secs(10),
            max_attempts: 12,
            backoff_base: Duration::from_secs(10),
            backoff_cap: Duration::from_secs(3600),
        }
    }
}

/// Where emails go, who they are from, and the base of their links.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `smtp://` or `smtps://`, credentials included; `None` keeps emails in the mailbox.
    pub smtp_url: Option<SecretString>,
    pub from: Mailbox,
    /// Base of confirmation links, without a trailing `/`; `None`: `http://<listen address>`.
    pub public_url: Option<String>,
    pub worker: WorkerSettings,
}

impl MailSettings {
    pub const DEFAULT_FROM: &str = "vouch <no-reply@localhost>";
}

#[derive(Debug, thiserror::Error)]
pub enum SmtpConfigError {
    #[error("SMTP_URL must be smtp://[user:password@]host[:port][?tls=required] or smtps://…")]
    BadUrl,
}

/// An SMTP server to send through. `Debug` shows its host only: the URL may hold a password.
#[derive(Clone)]
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    host: String,
}

impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Smtp").field("host", &self.host).finish()
    }
}

impl Smtp {
    /// A pooled transport for `url` (lettre reads the scheme, TLS mode and credentials).
    pub fn new(url: &SecretString, timeout: Duration) -> Result<Smtp, SmtpConfigError> {
        let url = url.expose_secret();
        let host = smtp_host(url).ok_or(SmtpConfigError::BadUrl)?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|_| SmtpConfigError::BadUrl)?
            .timeout(Some(timeout))
            .build();
        Ok(Smtp { transport, host })
    }

    /// The server's host name, the one part of the URL fit for a log line.
    pub fn host(&self) -> &str {
        &self.host
    }

    pub async fn send(&self, message: Message) -> Result<(), SmtpError> {
        self.transport.send(message).await.map(|_| ())
    }
}

/// The host of an `smtp://` or `smtps://` URL; `None` for anything else.
pub fn smtp_host(url: &str) -> Option<String> {
    let parsed = reqwest::Url::parse(url).ok()?;
    match parsed.scheme() {
        "smtp" | "smtps" => parsed.host_str().map(str::to_owned),
        _ => None,
    }
}

/// How an email leaves vouch.
#[derive(Debug, Clone)]
pub enum Delivery {
    Smtp(Smtp),
    /// Stored in the database, shown at `/mailbox`.
    Mailbox,
}

/// A failed delivery's class and SMTP code: what is stored and logged. Never the server's
/// text, which often quotes the recipient's address.
pub fn describe(err: &SmtpError) -> String {
    let class = if err.is_permanent() {
        "permanent"
    } else if err.is_transient() {
        "transient"
    } else if err.is_timeout() {
        "timeout"
    } else {
        "connection"
    };
    match err.status() {
        Some(code) => format!("{class} {code}"),
        None => class.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The transport's pool starts a task, so this needs a runtime.
    #[tokio::test]
    async fn only_smtp_urls_are_taken_and_only_their_host_is_shown() {
        assert_eq!(
            smtp_host("smtps://user:s3cret@mail.example.com:465").as_deref(),
            Some("mail.example.com")
        );
        assert_eq!(
            smtp_host("smtp://127.0.0.1:2525").as_deref(),
            Some("127.0.0.1")
        );
        assert_eq!(smtp_host("http://mail.example.com"), None);
        assert_eq!(smtp_host("not a url"), None);
        let url = SecretString::from("smtps://user:s3cret@mail.example.com");
        let smtp = Smtp::new(&url, Duration::from_secs(1)).unwrap();
        assert!(!format!("{smtp:?}").contains("s3cret"));
        assert!(Smtp::new(&"smtp://h?tls=sometimes".into(), Duration::from_secs(1)).is_err());
    }
}
