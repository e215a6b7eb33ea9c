//! A phone number that libphonenumber's metadata finds possible for its region.

use super::field::{Field, Flaw, Hint, Problem};
use super::text::field_text;
use vouch_offline::phone::{self, PhoneError};

/// The region for numbers typed without `+`; the form is for US sign-ups.
pub const DEFAULT_REGION: &str = "US";

/// A number libphonenumber finds possible. One its metadata does not know (a new area code,
/// say) is still sent: only the provider may call it invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(input: &str) -> Result<PhoneNumber, Flaw> {
        let input = field_text(Field::PhoneNumber, input)?;
        let abroad = input.starts_with('+');
        let hint = match phone::e164(input, DEFAULT_REGION) {
            Ok(e164) => return Ok(PhoneNumber(e164)),
            Err(PhoneError::Empty) => return Err(Problem::Missing.into()),
            Err(PhoneError::TooShort | PhoneError::TooLong) if abroad => Hint::PhoneDigitsAbroad,
            Err(PhoneError::TooShort | PhoneError::TooLong) => Hint::PhoneDigits,
            Err(PhoneError::Impossible) if abroad => Hint::PhoneDigitsAbroad,
            Err(PhoneError::Impossible) => Hint::PhoneAreaCode,
            Err(PhoneError::InvalidCountryCode) => Hint::PhoneCountryCode,
            Err(PhoneError::NotANumber) => Hint::PhoneNotDigits,
        };
        Err(Problem::Invalid.because(hint))
    }

    /// The E.164 form (`+12024561111`), which is what goes to the provider.
    pub fn e164(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_impossible_number_says_what_to_check() {
        let cases = [
            ("303 442 246", Hint::PhoneDigits),
            ("303 442 24666", Hint::PhoneDigits),
            ("123 456 7890", Hint::PhoneAreaCode),
            ("+44 20 7946", Hint::PhoneDigitsAbroad),
            ("+999 1234 5678", Hint::PhoneCountryCode),
            ("call me", Hint::PhoneNotDigits),
        ];
        for (input, hint) in cases {
            let flaw = PhoneNumber::parse(input).unwrap_err();
            assert_eq!(
                (flaw.problem, flaw.hint),
                (Problem::Invalid, Some(hint)),
                "{input:?}"
            );
        }
        assert!(PhoneNumber::parse("(202) 456-1111").is_ok());
    }
}
