//! A US postal address: the five form fields, each parsed on its own so one bad part names
//! itself and the address goes to the provider only when every part is plausible.

use super::field::{Field, Flaw, Hint, Problem};
use super::text::field_text;
use vouch_offline::address::parse_street;
pub use vouch_offline::states::UsState;
pub use vouch_offline::zip::ZipCode;

/// A plausible, complete address: the only thing the address provider is asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostalAddress {
    pub primary_line: String,
    /// Empty when the person left `address2` blank.
    pub secondary_line: String,
    pub city: String,
    pub state: UsState,
    pub zip: ZipCode,
}

impl PostalAddress {
    /// The address as one string, for the verdict cache: parts in upper case, inner spaces
    /// collapsed, so that what a provider would read the same is one key.
    pub fn key(&self) -> String {
        let parts = [
            self.primary_line.as_str(),
            self.secondary_line.as_str(),
            self.city.as_str(),
            self.state.code(),
            self.zip.full(),
        ];
        parts
            .map(|part| {
                part.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_uppercase()
            })
            .join("\n")
    }
}

/// The address as parsed: either complete, or the problem of each part that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressInput {
    Complete(PostalAddress),
    /// One entry per address field with a local problem; the other parts are not checked.
    Incomplete {
        problems: Vec<(Field, Flaw)>,
        /// Whether `address2` was filled in (a blank optional line is just blank).
        unit_given: bool,
    },
}

impl AddressInput {
    pub fn parse(address: &str, address2: &str, city: &str, state: &str, zip: &str) -> Self {
        let mut problems = Vec::new();
        let mut note = |field, r: Result<(), Flaw>| {
            if let Err(p) = r {
                problems.push((field, p));
            }
        };
        note(Field::Address, street(address));
        note(Field::Address2, unit(address2));
        note(
            Field::City,
            field_text(Field::City, city).map(drop).map_err(Flaw::from),
        );
        let state_code = state_code(state);
        note(Field::State, state_code.map(|_| ()));
        let zip_code = zip_code(zip);
        note(Field::Zip, zip_code.as_ref().map(|_| ()).map_err(|f| *f));
        match (state_code, zip_code) {
            (Ok(state), Ok(zip)) if problems.is_empty() => AddressInput::Complete(PostalAddress {
                primary_line: address.trim().to_owned(),
                secondary_line: address2.trim().to_owned(),
                city: city.trim().to_owned(),
                state,
                zip,
            }),
            _ => AddressInput::Incomplete {
                problems,
                unit_given: !address2.trim().is_empty(),
            },
        }
    }
}

/// The optional second line: blank is fine.
fn unit(input: &str) -> Result<(), Flaw> {
    match field_text(Field::Address2, input) {
        Ok(_) | Err(Problem::Missing) => Ok(()),
        Err(problem) => Err(problem.into()),
    }
}

/// A street line needs a house (or box) number and a street name.
fn street(input: &str) -> Result<(), Flaw> {
    let line = field_text(Field::Address, input)?;
    parse_street(line)
        .map(drop)
        .ok_or(Problem::Invalid.because(Hint::StreetShape))
}

/// One of the form's states, by its code.
fn state_code(input: &str) -> Result<UsState, Flaw> {
    let code = field_text(Field::State, input)?;
    UsState::from_code(code)
        .filter(|s| s.on_form())
        .ok_or(Problem::Invalid.because(Hint::StateFromList))
}

fn zip_code(input: &str) -> Result<ZipCode, Flaw> {
    ZipCode::parse(field_text(Field::Zip, input)?).ok_or(Problem::Invalid.because(Hint::ZipShape))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tutorials_address_is_complete() {
        let got = AddressInput::parse("2600 Pearl St", "", "Boulder", "CO", "80302");
        let AddressInput::Complete(addr) = got else {
            panic!("expected complete, got {got:?}");
        };
        assert_eq!((addr.state, addr.zip.full()), (UsState::CO, "80302"));
    }

    #[test]
    fn each_bad_part_names_itself_and_what_to_do() {
        let missing = Flaw::from(Problem::Missing);
        let cases = [
            (
                ["", "", "Boulder", "CO", "80302"],
                vec![(Field::Address, missing)],
            ),
            (
                ["Pearl St", "", "Boulder", "CO", "80302"],
                vec![(Field::Address, Problem::Invalid.because(Hint::StreetShape))],
            ),
            (
                ["2600 Pearl St", "", "", "CO", "80302"],
                vec![(Field::City, missing)],
            ),
            (
                ["2600 Pearl St", "", "Boulder", "XX", "80302"],
                vec![(Field::State, Problem::Invalid.because(Hint::StateFromList))],
            ),
            (
                ["2600 Pearl St", "", "Boulder", "CO", "8030"],
                vec![(Field::Zip, Problem::Invalid.because(Hint::ZipShape))],
            ),
            (
                ["", "", "", "", ""],
                vec![
                    (Field::Address, missing),
                    (Field::City, missing),
                    (Field::State, missing),
                    (Field::Zip, missing),
                ],
            ),
            (
                ["2600 Pearl St", "Apt\u{7}", "Boulder", "CO", "80302"],
                vec![(Field::Address2, Problem::Hidden.into())],
            ),
            (
                [
                    "2600 Pearl\u{200b} St",
                    "",
                    "Boul\u{202e}der",
                    "C\u{feff}O",
                    "8030\u{0}2",
                ],
                vec![
                    (Field::Address, Problem::Hidden.into()),
                    (Field::City, Problem::Hidden.into()),
                    (Field::State, Problem::Hidden.into()),
                    (Field::Zip, Problem::Hidden.into()),
                ],
            ),
            (
                ["2600 Pearl St", "", &"B".repeat(65), "CO", "80302-12345"],
                vec![
                    (Field::City, Problem::TooLong.into()),
                    (Field::Zip, Problem::TooLong.into()),
                ],
            ),
        ];
        for ([a, a2, c, s, z], problems) in cases {
            let got = AddressInput::parse(a, a2, c, s, z);
            let want = AddressInput::Incomplete {
                problems,
                unit_given: !a2.is_empty(),
            };
            assert_eq!(got, want, "input {a:?} {a2:?} {c:?} {s:?} {z:?}");
        }
    }
}
