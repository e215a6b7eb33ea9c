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

use std::time::Duration;

use serde::Serialize;
use strum::{EnumString, IntoStaticStr};

/// What a provider check is about; each kind has one provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, IntoStaticStr)]
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
}

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, IntoStaticStr)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, EnumString, IntoStaticStr)]
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
