//! The one validation engine. Local verdicts first; then the provider calls a submission
//! still needs, run one after another or all at once — the mode is a parameter, the code path
//! is the same. The scope is one too: the whole form, or one group of fields (the live check
//! as the person leaves it), which only narrows [`plan`]. Every call is timed on the
//! submission's axis and counted in the metrics.

use std::time::{Duration, Instant};

use futures::future::join_all;

use super::eva::{EmailAnswer, EvaClient};
use super::lob::{AddressAnswer, LobClient};
use super::provider::ProviderError;
use super::report::Report;
use super::veriphone::{PhoneAnswer, VeriphoneClient};
use super::{CheckKind, CheckRecord, Mode, OnProviderError, Outcome, Scope, verdict};
use crate::domain::address::{AddressInput, PostalAddress};
use crate::domain::email::EmailAddress;
use crate::domain::field::{Field, Hint};
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
    /// Validates the whole form.
    pub async fn validate(&self, sub: &Submission, mode: Mode) -> Report {
        self.validate_in(sub, mode, Scope::Form).await
    }

    /// Validates what `scope` covers: only its provider calls run, and the report answers
    /// for its fields only.
    pub async fn validate_in(&self, sub: &Submission, mode: Mode, scope: Scope) -> Report {
        let t0 = Instant::now();
        let mut fields = verdict::local(sub);
        let calls = plan(sub, scope);
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
        let suggestion = sub
            .email
            .as_ref()
            .ok()
            .filter(|_| scope.runs(CheckKind::Email))
            .and_then(|e| e.suggestion());
        let mut checks = Vec::with_capacity(CheckKind::ALL.len());
        for kind in CheckKind::ALL.into_iter().filter(|k| scope.runs(*k)) {
            let record = finished.iter().map(|(r, _)| *r).find(|r| r.kind == kind);
            checks.push(record.unwrap_or(CheckRecord {
                kind,
                start: Duration::ZERO,
                duration: Duration::ZERO,
                outcome: Outcome::Skipped,
            }));
        }
        for (_, answer) in &finished {
            let passed = answer.passed();
            match answer {
                Answered::Address(typed, r) => {
                    verdict::apply_address(&mut fields, typed, r, self.policy)
                }
                Answered::Email(r) => {
                    let hint = verdict::email_fail_hint(r, suggestion.is_some());
                    verdict::apply_single(&mut fields, Field::Email, passed, hint, self.policy)
                }
                Answered::Phone(_) => {
                    let hint = Some(Hint::PhoneUnknown);
                    verdict::apply_single(
                        &mut fields,
                        Field::PhoneNumber,
                        passed,
                        hint,
                        self.policy,
                    )
                }
            }
        }
        Report {
            mode,
            scope,
            elapsed: t0.elapsed(),
            fields,
            checks,
            email_suggestion: suggestion.map(str::to_owned),
        }
    }

    /// Runs one call, recording when it started relative to `t0` and how it ended.
    async fn timed<'a>(&self, t0: Instant, call: Call<'a>) -> (CheckRecord, Answered<'a>) {
        let start = t0.elapsed();
        let kind = call.kind();
        let answer = match call {
            Call::Email(e) => Answered::Email(self.eva.verify(e).await),
            Call::Address(a) => Answered::Address(a, self.lob.verify(a).await),
            Call::Phone(p) => Answered::Phone(self.veriphone.verify(p).await),
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

/// The calls a submission needs within `scope`, in `CheckKind::ALL` order: only values local
/// checks passed.
fn plan(sub: &Submission, scope: Scope) -> Vec<Call<'_>> {
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
    calls.retain(|call| scope.runs(call.kind()));
    calls
}

impl Call<'_> {
    fn kind(&self) -> CheckKind {
        match self {
            Call::Email(_) => CheckKind::Email,
            Call::Address(_) => CheckKind::Address,
            Call::Phone(_) => CheckKind::Phone,
        }
    }
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
