//! The one validation engine. Local verdicts first; then the provider calls a submission
//! still needs, run one after another or all at once — the mode is a parameter, the code path
//! is the same. Every call goes through the provider's policy (cache, breaker, budgets,
//! deadline, retry, hedge), is timed on the submission's axis and counted in the metrics.

use std::time::Duration;

use futures::future::join_all;
use tokio::time::Instant;

use super::eva::{EmailAnswer, EvaClient};
use super::lob::{AddressAnswer, LobClient};
use super::meters::CallMeters;
use super::policy::{BreakerState, PolicySettings, ProviderPolicy, Served};
use super::provider::ProviderError;
use super::report::Report;
use super::veriphone::{PhoneAnswer, VeriphoneClient};
use super::{CheckKind, CheckRecord, Mode, OnProviderError, Outcome, verdict};
use crate::domain::address::{AddressInput, PostalAddress};
use crate::domain::email::EmailAddress;
use crate::domain::field::Field;
use crate::domain::form::Submission;
use crate::domain::phone::PhoneNumber;

/// The three provider clients, the policy each call goes through, and what a failure does
/// to its fields; cheap to share behind an `Arc`.
pub struct Engine {
    pub eva: EvaClient,
    pub lob: LobClient,
    pub veriphone: VeriphoneClient,
    pub on_provider_error: OnProviderError,
    pub policy: Policy,
    pub meters: CallMeters,
}

/// Each provider's policy, and the deadline of a submission.
pub struct Policy {
    deadline: Duration,
    eva: ProviderPolicy<EmailAnswer>,
    lob: ProviderPolicy<AddressAnswer>,
    veriphone: ProviderPolicy<PhoneAnswer>,
}

impl Policy {
    pub fn new(settings: &PolicySettings) -> Policy {
        Policy {
            deadline: settings.deadline,
            eva: ProviderPolicy::new(CheckKind::Email, settings),
            lob: ProviderPolicy::new(CheckKind::Address, settings),
            veriphone: ProviderPolicy::new(CheckKind::Phone, settings),
        }
    }

    /// Each provider's circuit breaker, for `/readyz`.
    pub fn breakers(&self) -> [(CheckKind, BreakerState); 3] {
        [
            (CheckKind::Email, self.eva.breaker_state()),
            (CheckKind::Address, self.lob.breaker_state()),
            (CheckKind::Phone, self.veriphone.breaker_state()),
        ]
    }
}

/// A provider call a submission needs, borrowing the value it is about.
enum Call<'a> {
    Email(&'a EmailAddress),
    Address(&'a PostalAddress),
    Phone(&'a PhoneNumber),
}

/// A finished call, its answer still typed by provider.
enum Answered<'a> {
    Email(Result<Served<EmailAnswer>, ProviderError>),
    Address(
        &'a PostalAddress,
        Result<Served<AddressAnswer>, ProviderError>,
    ),
    Phone(Result<Served<PhoneAnswer>, ProviderError>),
}

impl Engine {
    pub async fn validate(&self, sub: &Submission, mode: Mode) -> Report {
        let t0 = Instant::now();
        let deadline = t0 + self.policy.deadline;
        let mut fields = verdict::local(sub);
        let calls = plan(sub);
        let timed = |call| self.timed(t0, deadline, call);
        let finished = match mode {
            Mode::Sequential => {
                let mut done = Vec::with_capacity(calls.len());
                for call in calls {
                    done.push(timed(call).await);
                }
                done
            }
            Mode::Concurrent => join_all(calls.into_iter().map(timed)).await,
        };
        let mut checks = Vec::with_capacity(CheckKind::ALL.len());
        for kind in CheckKind::ALL {
            let record = finished.iter().map(|(r, _)| *r).find(|r| r.kind == kind);
            checks.push(record.unwrap_or(CheckRecord {
                kind,
                start: Duration::ZERO,
                duration: Duration::ZERO,
                outcome: Outcome::Skipped,
            }));
        }
        let policy = self.on_provider_error;
        for (_, answer) in &finished {
            match answer {
                Answered::Email(_) => {
                    verdict::apply_single(&mut fields, Field::Email, answer.passed(), policy)
                }
                Answered::Address(typed, r) => {
                    let r = r.as_ref().map(|s| &s.value);
                    verdict::apply_address(&mut fields, typed, r, policy)
                }
                Answered::Phone(_) => {
                    verdict::apply_single(&mut fields, Field::PhoneNumber, answer.passed(), policy)
                }
            }
        }
        Report {
            mode,
            elapsed: t0.elapsed(),
            fields,
            checks,
            email_suggestion: sub
                .email
                .as_ref()
                .ok()
                .and_then(|e| e.suggestion())
                .map(str::to_owned),
        }
    }

    /// Runs one call through its provider's policy, recording when it started relative to
    /// `t0` and how it ended.
    async fn timed<'a>(
        &self,
        t0: Instant,
        deadline: Instant,
        call: Call<'a>,
    ) -> (CheckRecord, Answered<'a>) {
        let start = t0.elapsed();
        let p = &self.policy;
        let (kind, answer) = match call {
            Call::Email(e) => {
                let key = e.as_ref().to_owned();
                let r = p.eva.call(key, deadline, || self.eva.verify(e)).await;
                (CheckKind::Email, Answered::Email(r))
            }
            Call::Address(a) => {
                let r = p.lob.call(a.key(), deadline, || self.lob.verify(a)).await;
                (CheckKind::Address, Answered::Address(a, r))
            }
            Call::Phone(n) => {
                let key = n.e164().to_owned();
                let r = p
                    .veriphone
                    .call(key, deadline, || self.veriphone.verify(n))
                    .await;
                (CheckKind::Phone, Answered::Phone(r))
            }
        };
        let duration = t0.elapsed().saturating_sub(start);
        let outcome = answer.outcome();
        if let Some(err) = answer.error() {
            // No values and no URL here: the error holds neither.
            tracing::warn!(provider = kind.provider(), error = %err, "provider call failed");
        }
        self.meters.record(kind, outcome, duration);
        let record = CheckRecord {
            kind,
            start,
            duration,
            outcome,
        };
        (record, answer)
    }
}

/// The calls a submission needs, in `CheckKind::ALL` order: only values local checks passed.
fn plan(sub: &Submission) -> Vec<Call<'_>> {
    let mut calls = Vec::with_capacity(3);
    if let Ok(email) = &sub.email {
        calls.push(Call::Email(email));
    }
    if let AddressInput::Complete(address) = &sub.address {
        calls.push(Call::Address(address));
    }
    if let Ok(phone) = &sub.phone {
        calls.push(Call::Phone(phone));
    }
    calls
}

impl Answered<'_> {
    /// Whether the provider passed the value; the one place each answer is read as pass/fail.
    fn passed(&self) -> Result<bool, &ProviderError> {
        match self {
            Answered::Email(r) => r.as_ref().map(|s| s.value.acceptable),
            Answered::Address(_, r) => r.as_ref().map(|s| s.value.deliverability.is_deliverable()),
            Answered::Phone(r) => r.as_ref().map(|s| s.value.valid),
        }
    }

    fn cached(&self) -> bool {
        match self {
            Answered::Email(r) => r.as_ref().is_ok_and(|s| s.cached),
            Answered::Address(_, r) => r.as_ref().is_ok_and(|s| s.cached),
            Answered::Phone(r) => r.as_ref().is_ok_and(|s| s.cached),
        }
    }

    fn outcome(&self) -> Outcome {
        match self.passed() {
            Ok(_) if self.cached() => Outcome::Cached,
            Ok(true) => Outcome::Pass,
            Ok(false) => Outcome::Fail,
            Err(e) => e.outcome(),
        }
    }

    fn error(&self) -> Option<&ProviderError> {
        self.passed().err()
    }
}
