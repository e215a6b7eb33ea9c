//! The background worker: leases due jobs from the outbox, composes each email from its
//! sign-up as it is now, delivers it, and marks it sent — or schedules a jittered retry, or,
//! when its attempts are spent, leaves it `failed` for operators to see.
//!
//! Crash safety comes from the order: a job is marked sent only after the SMTP server accepted
//! it (a crash in between sends it again: the one unavoidable duplicate), and a job held by a
//! worker that died is claimed again once its lease runs out.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::join_all;
use lettre::message::Mailbox;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

use super::backoff;
use super::message::{ComposeError, Composed, compose, mailbox_of, to_message};
use super::meters::MailMeters;
use super::{Delivery, Smtp, WorkerSettings, describe};
use crate::store::ids::{TOKEN_TTL, Token, new_id};
use crate::store::mailbox::{MailboxDelivery, StoredEmail};
use crate::store::outbox::{IssuedToken, Job, Recipient};
use crate::store::{Store, StoreError, micros, now_us};

/// Everything the worker needs; built by startup.
pub struct Worker {
    pub store: Store,
    pub delivery: Delivery,
    pub from: Mailbox,
    /// Base of confirmation links, without a trailing `/`.
    pub public_url: String,
    pub settings: WorkerSettings,
    /// Rung when a sign-up is stored, so its email need not wait for the next poll.
    pub wake: Arc<Notify>,
    pub meters: Arc<MailMeters>,
}

/// The running worker; `stop` lets its current batch finish.
pub struct WorkerHandle {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl WorkerHandle {
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(err) = self.task.await {
            tracing::error!(error = %err, "the email worker ended abnormally");
        }
    }
}

/// A token kept for its email's link, with the same expiry whichever way the email leaves.
fn issued(token: &Token) -> IssuedToken<'_> {
    IssuedToken {
        token,
        expires_at: now_us().saturating_add(micros(TOKEN_TTL)),
    }
}

/// How one attempt ended.
enum Delivered {
    Sent,
    /// Another worker holds the job now; it may send it too.
    LeaseLost,
}

/// Why an attempt failed: a class and code fit for a log line, and whether to try again.
struct Failure {
    reason: String,
    permanent: bool,
}

impl From<StoreError> for Failure {
    fn from(err: StoreError) -> Self {
        tracing::warn!(error = %err, "email job: database error");
        Failure {
            reason: "database".into(),
            permanent: false,
        }
    }
}

impl From<ComposeError> for Failure {
    fn from(err: ComposeError) -> Self {
        Failure {
            permanent: matches!(err, ComposeError::Address),
            reason: match err {
                ComposeError::Address => "address".into(),
                _ => "compose".into(),
            },
        }
    }
}

/// Jobs per claim for the embedded mailbox, all delivered in one transaction (see
/// [`crate::store::mailbox`]); SMTP takes [`WorkerSettings::batch`] at a time.
const MAILBOX_BATCH: u32 = 64;

/// An email composed for a job, with the token its link carries.
struct Letter {
    token: Option<Token>,
    email: Composed,
    to: Mailbox,
}

/// Queue gauges are refreshed at most this often.
const STATS_EVERY: Duration = Duration::from_secs(1);

impl Worker {
    pub fn spawn(self) -> WorkerHandle {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(self.run(stopped));
        WorkerHandle { stop, task }
    }

    async fn run(self, mut stopped: watch::Receiver<bool>) {
        // Random per process: a lease names its holder, so a stale holder cannot mark a job.
        let owner = new_id().unwrap_or_else(|_| format!("worker-{}", std::process::id()));
        let mut stats_at: Option<Instant> = None;
        loop {
            let now = now_us();
            let lease_until = now.saturating_add(micros(self.settings.lease));
            let limit = match self.delivery {
                Delivery::Smtp(_) => self.settings.batch,
                Delivery::Mailbox => MAILBOX_BATCH,
            };
            let jobs = match self.store.claim(&owner, now, lease_until, limit).await {
                Ok(jobs) => jobs,
                Err(err) => {
                    tracing::warn!(error = %err, "claiming email jobs failed");
                    Vec::new()
                }
            };
            self.deliver(&jobs, &owner).await;
            if stats_at.is_none_or(|t| t.elapsed() >= STATS_EVERY) {
                self.report_queue().await;
                stats_at = Some(Instant::now());
            }
            if *stopped.borrow() {
                break;
            }
            // A full batch suggests more are due: look again at once.
            if jobs.len() == limit as usize {
                continue;
            }
            tokio::select! {
                changed = stopped.changed() => if changed.is_err() || *stopped.borrow() { break },
                () = self.wake.notified() => tokio::time::sleep(self.settings.gather).await,
                () = tokio::time::sleep(self.settings.poll_interval) => {}
            }
        }
        tracing::info!("email worker stopped");
    }

    /// Composes a claim's emails from their sign-ups as they are now (read in one statement)
    /// and sends them the configured way. A sign-up deleted meanwhile (a request to be
    /// forgotten) took its job with it: nothing to send.
    async fn deliver(&self, jobs: &[Job], owner: &str) {
        let ids: Vec<&str> = jobs.iter().map(|job| job.signup_id.as_str()).collect();
        let recipients = match self.store.recipients(&ids).await {
            Ok(recipients) => recipients,
            Err(err) => return self.all_failed(jobs.iter(), owner, err.into()).await,
        };
        let mut letters = Vec::with_capacity(jobs.len());
        for job in jobs {
            let Some(to) = recipients.get(&job.signup_id) else {
                tracing::debug!(job = %job.id, "email dropped: its sign-up was deleted");
                continue;
            };
            match self.letter_to(to) {
                Ok(letter) => letters.push((job, letter)),
                Err(failure) => self.failed(job, owner, &failure).await,
            }
        }
        match &self.delivery {
            Delivery::Smtp(smtp) => {
                let sends = letters.into_iter();
                join_all(sends.map(|(job, letter)| self.attempt(job, letter, owner, smtp))).await;
            }
            Delivery::Mailbox => self.to_mailbox(&letters, owner).await,
        }
    }

    /// One attempt at one job, and what follows from it.
    async fn attempt(&self, job: &Job, letter: Letter, owner: &str, smtp: &Smtp) {
        match self.send(job, letter, owner, smtp).await {
            Ok(delivered) => self.delivered(job, delivered),
            Err(failure) => self.failed(job, owner, &failure).await,
        }
    }

    fn delivered(&self, job: &Job, delivered: Delivered) {
        match delivered {
            Delivered::Sent => {
                self.meters.sent.increment(1);
                tracing::debug!(job = %job.id, attempt = job.attempts, "email sent");
            }
            Delivered::LeaseLost => {
                tracing::warn!(job = %job.id, "email job's lease ran out before it was marked");
            }
        }
    }

    async fn failed(&self, job: &Job, owner: &str, failure: &Failure) {
        let reason = failure.reason.as_str();
        if failure.permanent || job.attempts >= self.settings.max_attempts {
            self.meters.failed.increment(1);
            tracing::error!(job = %job.id, attempts = job.attempts, reason,
                "email job failed for good; it stays in the outbox as failed");
            if let Err(err) = self.store.mark_failed(job, owner, reason).await {
                tracing::warn!(job = %job.id, error = %err, "marking an email job failed");
            }
            return;
        }
        let s = &self.settings;
        let wait = backoff::delay(
            job.attempts,
            s.backoff_base,
            s.backoff_cap,
            backoff::jitter_unit(),
        );
        self.meters.retried.increment(1);
        tracing::info!(job = %job.id, attempt = job.attempts, reason, retry_in = ?wait,
            "email not sent; will retry");
        let run_at = now_us().saturating_add(micros(wait));
        if let Err(err) = self.store.retry_later(job, owner, run_at, reason).await {
            tracing::warn!(job = %job.id, error = %err, "rescheduling an email job");
        }
    }

    /// The email for a sign-up as it is now.
    fn letter_to(&self, to: &Recipient) -> Result<Letter, Failure> {
        // A pending sign-up gets a fresh link; a confirmed one is told it needs nothing.
        let token = if to.confirmed {
            None
        } else {
            Some(Token::generate()?)
        };
        let link = token
            .as_ref()
            .map(|t| format!("{}/confirm/{}", self.public_url, t.secret));
        Ok(Letter {
            email: compose(to, link.as_deref())?,
            to: mailbox_of(to)?,
            token,
        })
    }

    /// Delivers a claim to the embedded mailbox, in one transaction.
    async fn to_mailbox(&self, letters: &[(&Job, Letter)], owner: &str) {
        let jobs = || letters.iter().map(|(job, _)| *job);
        let mut deliveries = Vec::with_capacity(letters.len());
        for (job, letter) in letters {
            let email = match new_id() {
                Ok(id) => StoredEmail {
                    id,
                    sender: self.from.to_string(),
                    recipient: letter.to.to_string(),
                    subject: letter.email.subject.to_owned(),
                    text_body: letter.email.text.clone(),
                    html_body: letter.email.html.clone(),
                    created_at: now_us(),
                },
                Err(err) => return self.all_failed(jobs(), owner, err.into()).await,
            };
            let token = letter.token.as_ref().map(issued);
            deliveries.push(MailboxDelivery { job, token, email });
        }
        match self.store.deliver_to_mailbox(owner, &deliveries).await {
            Ok(done) => {
                for (job, sent) in jobs().zip(done) {
                    self.delivered(
                        job,
                        if sent {
                            Delivered::Sent
                        } else {
                            Delivered::LeaseLost
                        },
                    );
                }
            }
            Err(err) => self.all_failed(jobs(), owner, err.into()).await,
        }
    }

    async fn all_failed<'j>(
        &self,
        jobs: impl Iterator<Item = &'j Job>,
        owner: &str,
        failure: Failure,
    ) {
        for job in jobs {
            self.failed(job, owner, &failure).await;
        }
    }

    /// One SMTP delivery: the token is stored before the email leaves, the job marked after.
    async fn send(
        &self,
        job: &Job,
        letter: Letter,
        owner: &str,
        smtp: &Smtp,
    ) -> Result<Delivered, Failure> {
        let message = to_message(&self.from, letter.to, &job.id, &letter.email)?;
        if let Some(t) = &letter.token {
            self.store.issue_token(job, issued(t)).await?;
        }
        match tokio::time::timeout(self.settings.send_timeout, smtp.send(message)).await {
            Ok(Ok(())) => self.mark_sent(job, owner).await,
            Ok(Err(err)) => {
                // The server answered with a refusal, so the link went nowhere: withdraw it.
                // After a connection error the outcome is unknown and the token stays.
                if let (Some(t), true) = (&letter.token, err.is_permanent() || err.is_transient()) {
                    let _ = self.store.withdraw_token(t).await;
                }
                Err(Failure {
                    reason: describe(&err),
                    permanent: err.is_permanent(),
                })
            }
            Err(_) => Err(Failure {
                reason: "timeout".into(),
                permanent: false,
            }),
        }
    }

    /// The server has the email: mark it, trying a few times, since every moment until the
    /// mark lands is one in which a crash would send it again.
    async fn mark_sent(&self, job: &Job, owner: &str) -> Result<Delivered, Failure> {
        let mut last = None;
        for wait_ms in [0, 50, 250, 1000] {
            tokio::time::sleep(Duration::from_millis(wait_ms)).await;
            match self.store.mark_sent(job, owner).await {
                Ok(true) => return Ok(Delivered::Sent),
                Ok(false) => return Ok(Delivered::LeaseLost),
                Err(err) => last = Some(err),
            }
        }
        tracing::error!(job = %job.id, error = ?last.map(|e| e.to_string()),
            "an email was sent but could not be marked; it will be sent again");
        Ok(Delivered::LeaseLost)
    }

    async fn report_queue(&self) {
        match self.store.queue_stats().await {
            Ok(stats) => self.meters.queue(&stats),
            Err(err) => tracing::warn!(error = %err, "reading the email queue's size failed"),
        }
    }
}
