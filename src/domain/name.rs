//! A person's first or last name: required, at most 100 characters, no control characters.

use super::field::Problem;

/// The longest name the form takes; longer input is refused rather than cut.
pub const MAX_NAME_CHARS: usize = 100;

/// A trimmed, non-empty name without control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<PersonName, Problem> {
        let name = input.trim();
        if name.is_empty() {
            Err(Problem::Missing)
        } else if name.chars().count() > MAX_NAME_CHARS {
            Err(Problem::TooLong)
        } else if name.chars().any(char::is_control) {
            Err(Problem::Invalid)
        } else {
            Ok(PersonName(name.to_owned()))
        }
    }
}

impl AsRef<str> for PersonName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_for_presence_length_and_control_characters() {
        let cases = [
            ("Jane", Ok("Jane")),
            ("  José María ", Ok("José María")),
            ("O'Brien-Smith", Ok("O'Brien-Smith")),
            ("", Err(Problem::Missing)),
            ("   ", Err(Problem::Missing)),
            ("\t\n", Err(Problem::Missing)),
            ("Ja\u{0}ne", Err(Problem::Invalid)),
            ("Ja\u{1b}[31mne", Err(Problem::Invalid)),
        ];
        for (input, expected) in cases {
            let got = PersonName::parse(input);
            assert_eq!(
                got.as_ref().map(AsRef::as_ref).map_err(|e| *e),
                expected,
                "input {input:?}"
            );
        }
        assert_eq!(PersonName::parse(&"a".repeat(101)), Err(Problem::TooLong));
        assert!(
            PersonName::parse(&"é".repeat(100)).is_ok(),
            "100 two-byte chars fit"
        );
    }
}
