//! From answers to field verdicts: the local verdicts a submission starts with, and how each
//! provider's answer (or failure) changes them. Pure functions; the engine does the I/O.

use super::OnProviderError;
use super::eva::EmailAnswer;
use super::lob::{AddressAnswer, Deliverability};
use super::provider::ProviderError;
use super::report::FieldVerdicts;
use crate::domain::address::{AddressInput, PostalAddress};
use crate::domain::field::{Field, FieldVerdict, Flaw, Hint, Problem, Status};
use crate::domain::form::Submission;
use vouch_offline::address::{TypedAddress, assess};
use vouch_offline::zip::ZipKind;

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
    let mut note = |field, flaw: Option<Flaw>| {
        if let Some(flaw) = flaw {
            fields.set(field, FieldVerdict::flaw(field, flaw));
        }
    };
    note(
        Field::FirstName,
        sub.first_name.as_ref().err().map(|p| (*p).into()),
    );
    note(
        Field::LastName,
        sub.last_name.as_ref().err().map(|p| (*p).into()),
    );
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
                    Some((_, flaw)) => FieldVerdict::flaw(field, *flaw),
                    None if field == Field::Address2 && !unit_given => FieldVerdict::EMPTY,
                    None => FieldVerdict::problem(field, Problem::Blocked),
                };
                fields.set(field, verdict);
            }
        }
    }
    fields
}

/// The verdict for a field whose provider could not answer, per policy; `explain` says
/// whether this field carries the hint (one per check, not one per address part).
fn unverified(field: Field, policy: OnProviderError, explain: bool) -> FieldVerdict {
    let (status, hint) = match policy {
        OnProviderError::Accept => (Status::Unverified, Hint::SendAnyway),
        OnProviderError::Reject => (Status::Invalid, Hint::TryAgain),
    };
    let mut verdict = FieldVerdict::problem(field, Problem::Unverified);
    verdict.status = status;
    verdict.hint = explain.then_some(hint);
    verdict
}

/// Why the email provider refused an address, if that helps: a typo's suggestion already
/// says what to do (one cause, one explanation), else a throwaway domain or one without mail.
pub fn email_fail_hint(
    answer: Result<&EmailAnswer, &ProviderError>,
    suggested: bool,
) -> Option<Hint> {
    match answer {
        _ if suggested => None,
        Ok(a) if a.disposable => Some(Hint::EmailThrowaway),
        _ => Some(Hint::EmailNoMail),
    }
}

/// A one-field check (email, phone): passed, failed (explained by `fail_hint`), or the
/// provider could not answer.
pub fn apply_single(
    fields: &mut FieldVerdicts,
    field: Field,
    passed: Result<bool, &ProviderError>,
    fail_hint: Option<Hint>,
    policy: OnProviderError,
) {
    let verdict = match passed {
        Ok(true) => FieldVerdict::VALID,
        Ok(false) => FieldVerdict::flaw(
            field,
            Flaw {
                problem: Problem::Invalid,
                hint: fail_hint,
            },
        ),
        Err(_) => unverified(field, policy, true),
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
            filled.for_each(|f| fields.set(f, unverified(f, policy, f == Field::Address)));
            return;
        }
    };
    let at_fault: Vec<(Field, Option<Hint>)> = match answer.deliverability {
        Deliverability::Deliverable | Deliverability::DeliverableUnnecessaryUnit => vec![],
        Deliverability::DeliverableMissingUnit => vec![(Field::Address2, Some(Hint::UnitMissing))],
        Deliverability::DeliverableIncorrectUnit => {
            vec![(Field::Address2, Some(Hint::UnitIncorrect))]
        }
        Deliverability::Undeliverable => parts_at_fault(typed, answer),
    };
    for (field, hint) in at_fault {
        let flaw = Flaw {
            problem: Problem::Invalid,
            hint,
        };
        fields.set(field, FieldVerdict::flaw(field, flaw));
    }
}

/// Which parts of an undeliverable address to flag, each with what the ZIP table found: what
/// the table finds wrong, else what differs from the components the provider matched, else the
/// street line.
fn parts_at_fault(typed: &PostalAddress, answer: &AddressAnswer) -> Vec<(Field, Option<Hint>)> {
    let zip = typed.zip.full();
    let verdict = assess(&TypedAddress {
        primary_line: &typed.primary_line,
        secondary_line: &typed.secondary_line,
        city: &typed.city,
        state: typed.state.code(),
        zip_code: zip,
    });
    let f = verdict.faults;
    let record = verdict.zip;
    // A ZIP of another state flags state and ZIP for one cause: both hints name the ZIP's place.
    let elsewhere = f.state && f.zip && record.is_some();
    let street = record
        .filter(|r| r.kind == ZipKind::PoBox)
        .map_or(Hint::Undeliverable, Hint::PoBoxZip);
    let zip = match record {
        None => Hint::ZipUnknown,
        Some(r) if elsewhere => Hint::ZipElsewhere(r),
        Some(r) => Hint::ZipRetired(r),
    };
    let mut parts: Vec<(Field, Option<Hint>)> = [
        (f.street, Field::Address, Some(street)),
        (f.city, Field::City, record.map(Hint::CityOfZip)),
        (
            f.state,
            Field::State,
            record.filter(|_| elsewhere).map(Hint::StateOfZip),
        ),
        (f.zip, Field::Zip, Some(zip)),
    ]
    .into_iter()
    .filter_map(|(bad, field, hint)| bad.then_some((field, hint)))
    .collect();
    if parts.is_empty() {
        let differs = |matched: &str, typed: &str| {
            !matched.is_empty() && !matched.eq_ignore_ascii_case(typed.trim())
        };
        if differs(&answer.zip_code, typed.zip.five()) {
            parts.push((Field::Zip, None));
        }
        if differs(&answer.state, typed.state.code()) {
            parts.push((Field::State, None));
        }
        if differs(&answer.city, &typed.city)
            && !record.is_some_and(|z| z.city_matches(&typed.city))
        {
            parts.push((Field::City, None));
        }
    }
    if parts.is_empty() {
        parts.push((Field::Address, Some(Hint::Undeliverable)));
    }
    parts
}
