//! The one validation engine. Local verdicts first; then the provider calls a submission
//! still needs, run one after another or all at once — the mode is a parameter, the code path
//! is the same. Every call is timed on the submission's axis and counted in the metrics.

use std::time::{Duration, Instant};

use futures::future::join_all;

use super::eva::{EmailAnswer, EvaClient};
use super::lob::{AddressAnswer, LobClient};
use super::provider::ProviderError;
use super::report::Report;
use super::veriphone::{PhoneAnswer, VeriphoneClient};
use super::{CheckKind, CheckRecord, Mode, OnProviderError, Outcome, verdict};
use crate::domain::address::{AddressInput, PostalAddress};
use crate::domain::email::EmailAddress;
use crate::domain::field::Field;
use crate::domain::form::Submission;
use crate::domain::phone::PhoneNumber;
use crate::telemetry::meters::CallMeters;

/// The three provider clients and the failure policy; cheap to share behind an `Arc`.
pub struct Engine {
    pub eva: EvaClient,
    pub lob: LobClient,
    pub veriphone: VeriphoneClient,
    pub policy: OnProviderError,
    pub meters: CallMeters,
}

/// A provider call a submission needs, borrowing the value it is about.
enum Call<'a> {
    Email(&'a EmailAddress),
    Address(&'a PostalAddress),
    Phone(&'a PhoneNumber),
}

/// A finished call, its answer still typed by provider.
enum Answered<'a> {
    Email(Result<EmailAnswer, ProviderError>),
    Address(&'a PostalAddress, Result<AddressAnswer, ProviderError>),
    Phone(Result<PhoneAnswer, ProviderError>),
}

impl Engine {
    pub async fn validate(&self, sub: &Submission, mode: Mode) -> Report {
        let t0 = Instant::now();
        let mut fields = verdict::local(sub);
        let calls = plan(sub);
        let timed = |call| self.timed(t0, call);
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
        for (_, answer) in &finished {
            match answer {
                Answered::Email(_) => {
                    verdict::apply_single(&mut fields, Field::Email, answer.passed(), self.policy)
                }
                Answered::Address(typed, r) => {
                    verdict::apply_address(&mut fields, typed, r, self.policy)
                }
                Answered::Phone(_) => verdict::apply_single(
                    &mut fields,
                    Field::PhoneNumber,
                    answer.passed(),
                    self.policy,
                ),
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

    /// Runs one call, recording when it started relative to `t0` and how it ended.
    async fn timed<'a>(&self, t0: Instant, call: Call<'a>) -> (CheckRecord, Answered<'a>) {
        let start = t0.elapsed();
        let (kind, answer) = match call {
            Call::Email(e) => (CheckKind::Email, Answered::Email(self.eva.verify(e).await)),
            Call::Address(a) => (
                CheckKind::Address,
                Answered::Address(a, self.lob.verify(a).await),
            ),
            Call::Phone(p) => (
                CheckKind::Phone,
                Answered::Phone(self.veriphone.verify(p).await),
            ),
        };
        let duration = t0.elapsed().saturating_sub(start);
        let outcome = answer.outcome();
        let provider = kind.provider();
        if let Some(err) = answer.error() {
            // No values and no URL here: the error holds neither.
            tracing::warn!(provider, error = %err, "provider call failed");
        }
        self.meters.record(kind, outcome, duration);
        (
            CheckRecord {
                kind,
                start,
                duration,
                outcome,
            },
            answer,
        )
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
            Answered::Email(r) => r.as_ref().map(|a| a.acceptable),
            Answered::Address(_, r) => r.as_ref().map(|a| a.deliverability.is_deliverable()),
            Answered::Phone(r) => r.as_ref().map(|a| a.valid),
        }
    }

    fn outcome(&self) -> Outcome {
        match self.passed() {
            Ok(true) => Outcome::Pass,
            Ok(false) => Outcome::Fail,
            Err(e) => e.outcome(),
        }
    }

    fn error(&self) -> Option<&ProviderError> {
        match self {
            Answered::Email(r) => r.as_ref().err(),
            Answered::Address(_, r) => r.as_ref().err(),
            Answered::Phone(r) => r.as_ref().err(),
        }
    }
}
