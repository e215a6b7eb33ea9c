//! A person's first or last name: required, at most 100 characters, no hidden characters.

use super::field::{Field, Problem};
use super::text::field_text;

/// A trimmed, non-empty name within its field's limit, without hidden characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    /// `field` is [`Field::FirstName`] or [`Field::LastName`]: which limit applies.
    pub fn parse(field: Field, input: &str) -> Result<PersonName, Problem> {
        field_text(field, input).map(|name| PersonName(name.to_owned()))
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
    fn names_are_checked_for_presence_length_and_hidden_characters() {
        let cases = [
            ("Jane", Ok("Jane")),
            ("  José María ", Ok("José María")),
            ("O'Brien-Smith", Ok("O'Brien-Smith")),
            ("", Err(Problem::Missing)),
            ("   ", Err(Problem::Missing)),
            ("\t\n", Err(Problem::Missing)),
            ("Ja\u{0}ne", Err(Problem::Hidden)),
            ("Ja\u{1b}[31mne", Err(Problem::Hidden)),
            ("Jane\u{202e}eoD", Err(Problem::Hidden)),
        ];
        for (input, expected) in cases {
            let got = PersonName::parse(Field::FirstName, input);
            assert_eq!(
                got.as_ref().map(AsRef::as_ref).map_err(|e| *e),
                expected,
                "input {input:?}"
            );
        }
        let parse = |s: &str| PersonName::parse(Field::LastName, s);
        assert_eq!(parse(&"a".repeat(101)), Err(Problem::TooLong));
        assert!(parse(&"é".repeat(100)).is_ok(), "100 two-byte chars fit");
    }
}
