//! The one offline verdict on a US postal address: which of street, city, state and ZIP are at
//! fault. The server uses it to flag fields before (or instead of) asking Lob, and the sandbox
//! uses it to answer as Lob would, so both always agree.
//!
//! It can only judge what the ZIP table knows: that the ZIP exists and is active, its state,
//! its city names and whether it is PO-box-only. It cannot tell whether a house number exists on
//! a street; a street line is only checked for shape (house number and street name, or a PO
//! box). A city or state cannot be judged against an unknown ZIP, so then only their presence
//! and the state code's validity count.

mod street;
#[cfg(test)]
mod tests;

pub use street::{StreetLine, parse_street};

use crate::states::UsState;
use crate::zip::{self, ZipCode, ZipKind, ZipRecord};

/// The address fields as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypedAddress<'a> {
    pub primary_line: &'a str,
    /// Unit line; not judged (nothing offline knows which units exist).
    pub secondary_line: &'a str,
    pub city: &'a str,
    /// Two-letter USPS code or full name, any case.
    pub state: &'a str,
    /// `12345`, `12345-6789` or `123456789`.
    pub zip_code: &'a str,
}

/// Which fields are wrong. Several can be at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AddressFaults {
    pub street: bool,
    pub city: bool,
    pub state: bool,
    pub zip: bool,
}

impl AddressFaults {
    /// At least one field is at fault.
    pub fn any(&self) -> bool {
        self.street || self.city || self.state || self.zip
    }
}

/// The verdict, with what it was based on so a Lob simulation can fill its components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressVerdict {
    pub faults: AddressFaults,
    /// The ZIP's record when the ZIP exists, active or not, whatever the other faults.
    pub zip: Option<&'static ZipRecord>,
    /// The parsed street line, `None` when it has no house number or no street name.
    pub street: Option<StreetLine>,
}

impl AddressVerdict {
    /// No field is at fault (as far as offline data can tell).
    pub fn deliverable(&self) -> bool {
        !self.faults.any()
    }
}

/// Judges an address. Rules, from the project contract:
///
/// * ZIP (its first 5 digits) not in the table, malformed, or inactive → `zip`;
/// * ZIP of another state → `state` and `zip`; a state that is no USPS code or name → `state`;
/// * city not the ZIP's primary or an acceptable name → `city` (an empty city too), unless the
///   ZIP is of another state: then the ZIP is the likelier culprit, and a city compared with
///   the wrong ZIP's names would only add a second puzzle to one cause;
/// * street line without house number or street name → `street`;
/// * a PO-box-only ZIP with a street line that is not a PO box → `street`.
///
/// Never panics, whatever the input.
pub fn assess(input: &TypedAddress<'_>) -> AddressVerdict {
    let street = parse_street(input.primary_line);
    let state = UsState::from_code_or_name(input.state);
    let zip = ZipCode::parse(input.zip_code).and_then(|z| zip::lookup(z.five()));
    let mut faults = AddressFaults {
        street: street.is_none(),
        state: state.is_none(),
        ..AddressFaults::default()
    };
    match zip {
        None => {
            faults.zip = true;
            // Without a ZIP there is nothing to compare a city with; only its absence is wrong.
            faults.city = input.city.trim().is_empty();
        }
        Some(record) => {
            faults.zip = !record.active;
            let other_state = state.is_some_and(|s| s.code() != record.state);
            if other_state {
                faults.state = true;
                faults.zip = true;
            }
            faults.city = if other_state {
                input.city.trim().is_empty()
            } else {
                !record.city_matches(input.city)
            };
            if record.kind == ZipKind::PoBox && street.as_ref().is_some_and(|s| !s.po_box) {
                faults.street = true;
            }
        }
    }
    AddressVerdict {
        faults,
        zip,
        street,
    }
}
