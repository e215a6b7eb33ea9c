//! The nine form fields, what can be wrong with each, and the ONE table of user-facing messages.
//!
//! Every text a person reads about a field comes from [`message`] (the contract's wording,
//! design.md) and, beside it, from the table of [`Hint`]s in `hint.rs` (what a check found, or
//! what to do), so both live in exactly one place each.

use serde::Serialize;
use strum::IntoStaticStr;

pub use super::hint::Hint;

/// A field of the sign-up form, named on the wire as the tutorial named it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, IntoStaticStr)]
#[strum(serialize_all = "camelCase")]
pub enum Field {
    FirstName,
    LastName,
    Email,
    PhoneNumber,
    Address,
    Address2,
    City,
    State,
    Zip,
}

impl Field {
    /// Form order: the order fields appear on the page and in the error summary.
    pub const ALL: [Field; 9] = [
        Field::FirstName,
        Field::LastName,
        Field::Email,
        Field::PhoneNumber,
        Field::Address,
        Field::Address2,
        Field::City,
        Field::State,
        Field::Zip,
    ];

    /// The name used by the form, the JSON API and the HTML `id`.
    pub fn wire_name(self) -> &'static str {
        self.into()
    }

    /// The visible label of the field's input.
    pub fn label(self) -> &'static str {
        match self {
            Field::FirstName => "First name",
            Field::LastName => "Last name",
            Field::Email => "Email address",
            Field::PhoneNumber => "Phone number",
            Field::Address => "Address",
            Field::Address2 => "Address line 2 (optional)",
            Field::City => "City",
            Field::State => "State",
            Field::Zip => "Zip",
        }
    }

    /// Only `address2` may be left blank.
    pub fn is_required(self) -> bool {
        self != Field::Address2
    }

    /// The most characters the field takes, after trimming: longer input is refused rather
    /// than cut, and never reaches a provider. `state` is a code from a list, so it has none.
    pub fn max_chars(self) -> Option<usize> {
        match self {
            Field::FirstName | Field::LastName => Some(100),
            Field::Email => Some(254),
            Field::PhoneNumber => Some(32),
            Field::Address | Field::Address2 => Some(100),
            Field::City => Some(64),
            Field::State => None,
            Field::Zip => Some(10),
        }
    }
}

/// What is wrong with a field, before it is put into words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// A required field was left blank (or only spaces).
    Missing,
    /// A local check or a provider says the value is wrong.
    Invalid,
    /// Longer than the field's limit ([`Field::max_chars`]).
    TooLong,
    /// Holds an invisible or direction-changing character (Unicode Cc or Cf).
    Hidden,
    /// The provider could not answer (timeout, refusal, 5xx, garbage).
    Unverified,
    /// Not sent to the provider because another part of the address is wrong.
    Blocked,
}

/// The message shown for `problem` on `field`, in the contract's wording.
pub fn message(field: Field, problem: Problem) -> &'static str {
    use Field as F;
    use Problem as P;
    match (problem, field) {
        (P::Missing, F::FirstName) => "First name is required.",
        (P::Missing, F::LastName) => "Last name is required.",
        (P::Invalid, F::FirstName) => "First name contains characters that aren't allowed.",
        (P::Invalid, F::LastName) => "Last name contains characters that aren't allowed.",
        (P::Missing, F::Email) => "Email address is required.",
        (P::Missing, F::PhoneNumber) => "Phone number is required.",
        (P::Missing, F::Address | F::Address2) => "Address is required.",
        (P::Missing, F::City) => "City is required.",
        (P::Missing, F::State) => "State is required.",
        (P::Missing, F::Zip) => "Zip is required.",
        (P::TooLong, F::FirstName) => "First name must be 100 characters or fewer.",
        (P::TooLong, F::LastName) => "Last name must be 100 characters or fewer.",
        (P::TooLong, F::Email) => "Email address must be 254 characters or fewer.",
        (P::TooLong, F::PhoneNumber) => "Phone number must be 32 characters or fewer.",
        (P::TooLong, F::Address) => "Address must be 100 characters or fewer.",
        (P::TooLong, F::Address2) => "Address line 2 must be 100 characters or fewer.",
        (P::TooLong, F::City) => "City must be 64 characters or fewer.",
        (P::TooLong, F::Zip) => "Zip must be 10 characters or fewer.",
        (P::Hidden, F::FirstName) => "First name contains hidden characters.",
        (P::Hidden, F::LastName) => "Last name contains hidden characters.",
        (P::Hidden, F::Email) => "Email address contains hidden characters.",
        (P::Hidden, F::PhoneNumber) => "Phone number contains hidden characters.",
        (P::Hidden, F::Address) => "Address contains hidden characters.",
        (P::Hidden, F::Address2) => "Address line 2 contains hidden characters.",
        (P::Hidden, F::City) => "City contains hidden characters.",
        (P::Hidden, F::State) => "State contains hidden characters.",
        (P::Hidden, F::Zip) => "Zip contains hidden characters.",
        (P::Invalid, F::Email) => "Invalid email address",
        (P::Invalid, F::PhoneNumber) => "Invalid phone number",
        (P::Invalid, F::Address | F::Address2) => "Invalid address",
        (P::Invalid, F::City) => "Invalid city",
        // `state` has no length limit: a long value is just not one of the codes.
        (P::Invalid | P::TooLong, F::State) => "Invalid state",
        (P::Invalid, F::Zip) => "Invalid zip",
        (P::Unverified, F::Email) => "Couldn't verify the email address right now",
        (P::Unverified, F::PhoneNumber) => "Couldn't verify the phone number right now",
        (P::Unverified, _) => "Couldn't verify the address right now",
        (P::Blocked, _) => "Not checked yet: correct the other address fields first",
    }
}

/// A field's problem with the hint its check found, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flaw {
    pub problem: Problem,
    pub hint: Option<Hint>,
}

impl From<Problem> for Flaw {
    fn from(problem: Problem) -> Flaw {
        Flaw {
            problem,
            hint: None,
        }
    }
}

impl Problem {
    /// This problem, explained by `hint`.
    pub fn because(self, hint: Hint) -> Flaw {
        Flaw {
            problem: self,
            hint: Some(hint),
        }
    }
}

/// A field's verdict as the page and the JSON API show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Valid,
    Invalid,
    /// The provider could not answer; the form is not rejected for it (unless policy says so).
    Unverified,
    /// An optional field left blank.
    Empty,
}

/// One field's verdict: a status and, for every status but `valid`/`empty`, a message; a
/// hint beside the message where the check found something to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldVerdict {
    pub status: Status,
    pub message: Option<&'static str>,
    pub hint: Option<Hint>,
}

impl FieldVerdict {
    pub const VALID: FieldVerdict = FieldVerdict {
        status: Status::Valid,
        message: None,
        hint: None,
    };
    pub const EMPTY: FieldVerdict = FieldVerdict {
        status: Status::Empty,
        message: None,
        hint: None,
    };

    /// The verdict for `problem`, worded for `field`.
    pub fn problem(field: Field, problem: Problem) -> FieldVerdict {
        FieldVerdict::flaw(field, Flaw::from(problem))
    }

    /// The verdict for `flaw`: its problem worded for `field`, and its hint.
    pub fn flaw(field: Field, flaw: Flaw) -> FieldVerdict {
        let status = match flaw.problem {
            Problem::Unverified | Problem::Blocked => Status::Unverified,
            Problem::Missing | Problem::Invalid | Problem::TooLong | Problem::Hidden => {
                Status::Invalid
            }
        };
        FieldVerdict {
            status,
            message: Some(message(field, flaw.problem)),
            hint: flaw.hint,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_keep_the_contracts_wording() {
        use Field as F;
        use Problem as P;
        let contract = [
            (F::FirstName, P::Missing, "First name is required."),
            (F::LastName, P::Missing, "Last name is required."),
            (F::Email, P::Missing, "Email address is required."),
            (F::PhoneNumber, P::Missing, "Phone number is required."),
            (F::Address, P::Missing, "Address is required."),
            (F::City, P::Missing, "City is required."),
            (F::State, P::Missing, "State is required."),
            (F::Zip, P::Missing, "Zip is required."),
            (F::Email, P::Invalid, "Invalid email address"),
            (F::PhoneNumber, P::Invalid, "Invalid phone number"),
            (F::Address, P::Invalid, "Invalid address"),
            (F::Address2, P::Invalid, "Invalid address"),
            (F::City, P::Invalid, "Invalid city"),
            (F::State, P::Invalid, "Invalid state"),
            (F::Zip, P::Invalid, "Invalid zip"),
            (
                F::PhoneNumber,
                P::Unverified,
                "Couldn't verify the phone number right now",
            ),
        ];
        for (field, problem, text) in contract {
            assert_eq!(message(field, problem), text, "{field:?} {problem:?}");
        }
    }

    #[test]
    fn limits_and_hidden_characters_are_worded_from_the_label_and_the_limit() {
        for field in Field::ALL {
            // The contract's labels are the visible ones without "(optional)".
            let label = field.label().trim_end_matches(" (optional)");
            assert_eq!(
                message(field, Problem::Hidden),
                format!("{label} contains hidden characters."),
                "{field:?}"
            );
            if let Some(max) = field.max_chars() {
                assert_eq!(
                    message(field, Problem::TooLong),
                    format!("{label} must be {max} characters or fewer."),
                    "{field:?}"
                );
            }
        }
        assert_eq!(
            message(Field::FirstName, Problem::TooLong),
            "First name must be 100 characters or fewer."
        );
        assert_eq!(
            message(Field::Address2, Problem::Hidden),
            "Address line 2 contains hidden characters."
        );
    }

    #[test]
    fn only_a_provider_failure_or_a_blocked_check_is_unverified() {
        for field in Field::ALL {
            let status = |p| FieldVerdict::problem(field, p).status;
            assert_eq!(status(Problem::Unverified), Status::Unverified);
            assert_eq!(status(Problem::Blocked), Status::Unverified);
            assert_eq!(status(Problem::Missing), Status::Invalid);
            assert_eq!(status(Problem::Invalid), Status::Invalid);
            assert_eq!(status(Problem::TooLong), Status::Invalid);
            assert_eq!(status(Problem::Hidden), Status::Invalid);
        }
    }

    #[test]
    fn wire_names_are_the_tutorials() {
        let names: Vec<_> = Field::ALL.iter().map(|f| f.wire_name()).collect();
        assert_eq!(
            names,
            [
                "firstName",
                "lastName",
                "email",
                "phoneNumber",
                "address",
                "address2",
                "city",
                "state",
                "zip"
            ]
        );
    }
}
