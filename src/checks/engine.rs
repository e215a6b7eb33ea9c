//! The one validation engine. Local verdicts first; then the provider calls a submission
//! still needs, run one after another or all at once — the mode is a parameter, the code path
//! is the same. The scope is one too: the whole form, or one group of fields (the live check
//! as the person leaves it), which only narrows [`plan`]. Every call goes through its
//! provider's policy (cache, breaker, budgets, deadline, retry, hedge), is timed on the
//! submission's axis and counted in the metrics.

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
use super::{CheckKind, CheckRecord, Mode, OnProviderError, Outcome, Scope, verdict};
use crate::domain::address::{AddressInput, PostalAddress};
use crate::domain::email::EmailAddress;
use crate::domain::field::{Field, Hint};
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

/// Whether answers given to other submissions may answer this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reuse {
    Allowed,
    Never,
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
    /// Validates the whole form.
    pub async fn validate(&self, sub: &Submission, mode: Mode) -> Report {
        self.validate_in(sub, mode, Scope::Form).await
    }

    /// Validates what `scope` covers: only its provider calls run, and the report answers
    /// for its fields only.
    pub async fn validate_in(&self, sub: &Submission, mode: Mode, scope: Scope) -> Report {
        self.run(sub, mode, scope, Reuse::Allowed).await
    }

    /// Validates the whole form with every provider asked afresh: neither the verdict cache
    /// nor a call in flight answers for them (`/compare`, whose picture is the calls' timing).
    pub async fn validate_fresh(&self, sub: &Submission, mode: Mode) -> Report {
        self.run(sub, mode, Scope::Form, Reuse::Never).await
    }

    async fn run(&self, sub: &Submission, mode: Mode, scope: Scope, reuse: Reuse) -> Report {
        let t0 = Instant::now();
        let deadline = t0 + self.policy.deadline;
        let mut fields = verdict::local(sub);
        let calls = plan(sub, scope);
        let timed = |call| self.timed(t0, deadline, reuse, call);
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
        let policy = self.on_provider_error;
        for (_, answer) in &finished {
            let passed = answer.passed();
            match answer {
                Answered::Address(typed, r) => {
                    let r = r.as_ref().map(|s| &s.value);
                    verdict::apply_address(&mut fields, typed, r, policy)
                }
                Answered::Email(r) => {
                    let r = r.as_ref().map(|s| &s.value);
                    let hint = verdict::email_fail_hint(r, suggestion.is_some());
                    verdict::apply_single(&mut fields, Field::Email, passed, hint, policy)
                }
                Answered::Phone(_) => {
                    let hint = Some(Hint::PhoneUnknown);
                    verdict::apply_single(&mut fields, Field::PhoneNumber, passed, hint, policy)
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

    /// Runs one call through its provider's policy, recording when it started relative to
    /// `t0` and how it ended.
    async fn timed<'a>(
        &self,
        t0: Instant,
        deadline: Instant,
        reuse: Reuse,
        call: Call<'a>,
    ) -> (CheckRecord, Answered<'a>) {
        let start = t0.elapsed();
        let p = &self.policy;
        // Without a key the policy neither looks in the cache nor joins a call in flight.
        let key = |key: String| (reuse == Reuse::Allowed).then_some(key);
        let kind = call.kind();
        let answer = match call {
            Call::Email(e) => {
                let key = key(e.as_ref().to_owned());
                let r = p.eva.call(key, deadline, || self.eva.verify(e)).await;
                Answered::Email(r)
            }
            Call::Address(a) => {
                let r = p
                    .lob
                    .call(key(a.key()), deadline, || self.lob.verify(a))
                    .await;
                Answered::Address(a, r)
            }
            Call::Phone(n) => {
                let key = key(n.e164().to_owned());
                let r = p
                    .veriphone
                    .call(key, deadline, || self.veriphone.verify(n))
                    .await;
                Answered::Phone(r)
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
