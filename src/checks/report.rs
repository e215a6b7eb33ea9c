//! The engine's result: every field's verdict, every check's span, and the elapsed time.

use std::time::Duration;

use super::{CheckRecord, Mode, Scope};
use crate::domain::field::{Field, FieldVerdict, Status};

/// A verdict for each of the nine fields; a field can't be missing from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldVerdicts([FieldVerdict; 9]);

impl FieldVerdicts {
    /// Every field valid, as a starting point the checks then overwrite.
    pub fn all_valid() -> Self {
        FieldVerdicts(Field::ALL.map(|_| FieldVerdict::VALID))
    }

    pub fn get(&self, field: Field) -> &FieldVerdict {
        &self.0[index(field)]
    }

    pub fn set(&mut self, field: Field, verdict: FieldVerdict) {
        self.0[index(field)] = verdict;
    }

    /// Fields in form order with their verdicts.
    pub fn iter(&self) -> impl Iterator<Item = (Field, &FieldVerdict)> {
        Field::ALL.into_iter().zip(self.0.iter())
    }
}

fn index(field: Field) -> usize {
    Field::ALL
        .iter()
        .position(|f| *f == field)
        .unwrap_or_default()
}

/// What one validation found.
#[derive(Debug, Clone)]
pub struct Report {
    pub mode: Mode,
    /// What was validated; verdicts outside it are local ones only and not part of the answer.
    pub scope: Scope,
    pub elapsed: Duration,
    pub fields: FieldVerdicts,
    /// One record per check kind the scope runs, in `CheckKind::ALL` order, skipped ones
    /// included.
    pub checks: Vec<CheckRecord>,
    /// "Did you mean …?" for an email domain that looks like a typo.
    pub email_suggestion: Option<String>,
}

impl Report {
    /// True when no field in scope is invalid; unverified fields don't count against it.
    pub fn valid(&self) -> bool {
        self.verdicts().all(|(_, v)| v.status != Status::Invalid)
    }

    /// The verdicts this report answers for: every field for the form, a group's own for a
    /// group check. In form order.
    pub fn verdicts(&self) -> impl Iterator<Item = (Field, &FieldVerdict)> {
        self.fields.iter().filter(|(f, _)| self.scope.covers(*f))
    }
}
