//! Provider checks: the clients for Eva, Lob and Veriphone, and the one engine that schedules
//! them (sequentially or concurrently) and turns their answers into field verdicts.

pub mod engine;
pub mod eva;
pub mod lob;
pub mod meters;
pub mod policy;
pub mod provider;
pub mod report;
pub mod verdict;
pub mod veriphone;

#[cfg(test)]
mod proptests;

use std::time::Duration;

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr};

use crate::domain::field::Field;

/// What a provider check is about; each kind has one provider and one group of fields.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, EnumString, IntoStaticStr, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum CheckKind {
    Email,
    Address,
    Phone,
}

impl CheckKind {
    /// In the order the tutorial called them: the `/sync` staircase has this order.
    pub const ALL: [CheckKind; 3] = [CheckKind::Email, CheckKind::Address, CheckKind::Phone];

    pub fn provider(self) -> &'static str {
        match self {
            CheckKind::Email => "eva",
            CheckKind::Address => "lob",
            CheckKind::Phone => "veriphone",
        }
    }

    pub fn name(self) -> &'static str {
        self.into()
    }

    /// `email`, `address` or `phone`; `None` for anything else.
    pub fn parse(s: &str) -> Option<CheckKind> {
        s.parse().ok()
    }

    /// The fields whose verdicts this check decides, in form order.
    pub fn fields(self) -> &'static [Field] {
        match self {
            CheckKind::Email => &[Field::Email],
            CheckKind::Address => &[
                Field::Address,
                Field::Address2,
                Field::City,
                Field::State,
                Field::Zip,
            ],
            CheckKind::Phone => &[Field::PhoneNumber],
        }
    }
}

/// What one validation covers: the whole form, or one group of fields as the person leaves it
/// (the live check). Either way it is the same engine, so whatever wraps its provider calls
/// holds for both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    Form,
    Group(CheckKind),
}

impl Scope {
    /// Whether the check `kind` runs in this scope.
    pub fn runs(self, kind: CheckKind) -> bool {
        match self {
            Scope::Form => true,
            Scope::Group(group) => group == kind,
        }
    }

    /// Whether the verdict on `field` belongs to this scope's answer.
    pub fn covers(self, field: Field) -> bool {
        match self {
            Scope::Form => true,
            Scope::Group(group) => group.fields().contains(&field),
        }
    }

    /// `form`, or the group's name.
    pub fn name(self) -> &'static str {
        match self {
            Scope::Form => "form",
            Scope::Group(group) => group.name(),
        }
    }
}

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, IntoStaticStr, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Outcome {
    /// The provider says the value is good.
    Pass,
    /// The provider says the value is wrong.
    Fail,
    /// The provider refused, answered 4xx/5xx or something that is not its format.
    Error,
    /// No answer within the per-call timeout or the submission's deadline.
    Timeout,
    /// Not sent: a local check already decided the field.
    Skipped,
    /// Answered from the verdict cache, or by a call another submission made at the same time.
    Cached,
    /// Not sent: the provider's circuit breaker is open.
    CircuitOpen,
    /// Not sent: the provider's call budget is spent.
    OverBudget,
}

impl Outcome {
    pub const ALL: [Outcome; 8] = [
        Outcome::Pass,
        Outcome::Fail,
        Outcome::Error,
        Outcome::Timeout,
        Outcome::Skipped,
        Outcome::Cached,
        Outcome::CircuitOpen,
        Outcome::OverBudget,
    ];

    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// One check's span on the submission's time axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckRecord {
    pub kind: CheckKind,
    /// When the call started, from the start of validation.
    pub start: Duration,
    pub duration: Duration,
    pub outcome: Outcome,
}

/// Sequential is the tutorial's `/sync`, concurrent its `/async`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    Serialize,
    Deserialize,
    EnumString,
    IntoStaticStr,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Mode {
    Sequential,
    #[default]
    Concurrent,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Mode> {
        s.parse().ok()
    }

    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// What to do with a field whose provider could not answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnProviderError {
    /// Leave it `unverified`; the form is not rejected for it.
    #[default]
    Accept,
    /// Treat it as `invalid`.
    Reject,
}
