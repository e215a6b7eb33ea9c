//! From answers to field verdicts: the local verdicts a submission starts with, and how each
//! provider's answer (or failure) changes them. Pure functions; the engine does the I/O.

use super::OnProviderError;
use super::lob::{AddressAnswer, Deliverability};
use super::provider::ProviderError;
use super::report::FieldVerdicts;
use crate::domain::address::{AddressInput, PostalAddress};
use crate::domain::field::{Field, FieldVerdict, Problem, Status};
use crate::domain::form::Submission;
use vouch_offline::address::{TypedAddress, assess};

const ADDRESS_FIELDS: [Field; 5] = [
    Field::Address,
    Field::Address2,
    Field::City,
    Field::State,
    Field::Zip,
];

/// The verdicts local checks alone can give. Fields that await a provider start `valid` and
/// are overwritten by the provider's answer.
pub fn local(sub: &Submission) -> FieldVerdicts {
    let mut fields = FieldVerdicts::all_valid();
    let mut note = |field, problem: Option<Problem>| {
        if let Some(p) = problem {
            fields.set(field, FieldVerdict::problem(field, p));
        }
    };
    note(Field::FirstName, sub.first_name.as_ref().err().copied());
    note(Field::LastName, sub.last_name.as_ref().err().copied());
    note(Field::Email, sub.email.as_ref().err().copied());
    note(Field::PhoneNumber, sub.phone.as_ref().err().copied());
    match &sub.address {
        AddressInput::Complete(addr) => {
            if addr.secondary_line.is_empty() {
                fields.set(Field::Address2, FieldVerdict::EMPTY);
            }
        }
        AddressInput::Incomplete {
            problems,
            unit_given,
        } => {
            for field in ADDRESS_FIELDS {
                let verdict = match problems.iter().find(|(f, _)| *f == field) {
                    Some((_, problem)) => FieldVerdict::problem(field, *problem),
                    None if field == Field::Address2 && !unit_given => FieldVerdict::EMPTY,
                    None => FieldVerdict::problem(field, Problem::Blocked),
                };
                fields.set(field, verdict);
            }
        }
    }
    fields
}

/// The verdict for a field whose provider could not answer, per policy.
fn unverified(field: Field, policy: OnProviderError) -> FieldVerdict {
    let mut verdict = FieldVerdict::problem(field, Problem::Unverified);
    if policy == OnProviderError::Reject {
        verdict.status = Status::Invalid;
    }
    verdict
}

/// A one-field check (email, phone): passed, failed, or the provider could not answer.
pub fn apply_single(
    fields: &mut FieldVerdicts,
    field: Field,
    passed: Result<bool, &ProviderError>,
    policy: OnProviderError,
) {
    let verdict = match passed {
        Ok(true) => FieldVerdict::VALID,
        Ok(false) => FieldVerdict::problem(field, Problem::Invalid),
        Err(_) => unverified(field, policy),
    };
    fields.set(field, verdict);
}

pub fn apply_address(
    fields: &mut FieldVerdicts,
    typed: &PostalAddress,
    result: Result<&AddressAnswer, &ProviderError>,
    policy: OnProviderError,
) {
    let filled = ADDRESS_FIELDS
        .into_iter()
        .filter(|f| *f != Field::Address2 || !typed.secondary_line.is_empty());
    let answer = match result {
        Ok(answer) => answer,
        Err(_) => {
            filled.for_each(|f| fields.set(f, unverified(f, policy)));
            return;
        }
    };
    let at_fault: Vec<Field> = match answer.deliverability {
        Deliverability::Deliverable | Deliverability::DeliverableUnnecessaryUnit => vec![],
        Deliverability::DeliverableMissingUnit | Deliverability::DeliverableIncorrectUnit => {
            vec![Field::Address2]
        }
        Deliverability::Undeliverable => parts_at_fault(typed, answer),
    };
    for field in at_fault {
        fields.set(field, FieldVerdict::problem(field, Problem::Invalid));
    }
}

/// Which parts of an undeliverable address to flag: what the ZIP table finds wrong, else what
/// differs from the components the provider matched, else the street line.
fn parts_at_fault(typed: &PostalAddress, answer: &AddressAnswer) -> Vec<Field> {
    let zip = typed.zip.full();
    let verdict = assess(&TypedAddress {
        primary_line: &typed.primary_line,
        secondary_line: &typed.secondary_line,
        city: &typed.city,
        state: typed.state.code(),
        zip_code: zip,
    });
    let f = verdict.faults;
    let mut parts: Vec<Field> = [
        (f.street, Field::Address),
        (f.city, Field::City),
        (f.state, Field::State),
        (f.zip, Field::Zip),
    ]
    .into_iter()
    .filter_map(|(bad, field)| bad.then_some(field))
    .collect();
    if parts.is_empty() {
        let differs = |matched: &str, typed: &str| {
            !matched.is_empty() && !matched.eq_ignore_ascii_case(typed.trim())
        };
        if differs(&answer.zip_code, typed.zip.five()) {
            parts.push(Field::Zip);
        }
        if differs(&answer.state, typed.state.code()) {
            parts.push(Field::State);
        }
        if differs(&answer.city, &typed.city)
            && !verdict.zip.is_some_and(|z| z.city_matches(&typed.city))
        {
            parts.push(Field::City);
        }
    }
    if parts.is_empty() {
        parts.push(Field::Address);
    }
    parts
}
