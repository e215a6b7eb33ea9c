//! An email address that passed the offline syntax check, with what the offline lists know of it.

use super::field::{Field, Flaw, Hint, Problem};
use super::text::field_text;
use vouch_offline::email::{self, EmailFacts, EmailSyntaxError};

/// A syntactically valid address; only such an address is sent to Eva.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(EmailFacts);

impl EmailAddress {
    pub fn parse(input: &str) -> Result<EmailAddress, Flaw> {
        let input = field_text(Field::Email, input)?;
        match email::analyze(input) {
            Ok(facts) => Ok(EmailAddress(facts)),
            Err(EmailSyntaxError::Empty) => Err(Problem::Missing.into()),
            // Within 254 characters, but over an RFC limit in bytes (a local part over 64,
            // an IDN domain longer in ASCII): the address cannot exist, so it is invalid.
            Err(EmailSyntaxError::TooLong) => Err(Problem::Invalid.into()),
            Err(EmailSyntaxError::Mailbox(rule)) => {
                Err(Problem::Invalid.because(Hint::Mailbox(rule)))
            }
            Err(EmailSyntaxError::Malformed) => Err(Problem::Invalid.because(shape_hint(input))),
        }
    }

    /// A likely intended address when the domain looks like a typo of a common provider.
    pub fn suggestion(&self) -> Option<&str> {
        self.0.suggestion.as_deref()
    }
}

/// The likeliest slip in a malformed address, in the order a person would fix them.
fn shape_hint(input: &str) -> Hint {
    if input.contains(char::is_whitespace) {
        Hint::EmailSpaces
    } else if !input.contains('@') {
        Hint::EmailNoAt
    } else {
        Hint::EmailShape
    }
}

impl AsRef<str> for EmailAddress {
    /// The normalised address (IDN domain in ASCII), as sent to the provider.
    fn as_ref(&self) -> &str {
        &self.0.address
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_address_is_explained_by_its_likeliest_slip() {
        let cases = [
            ("jane.doe.example.com", Some(Hint::EmailNoAt)),
            ("jane doe@example.com", Some(Hint::EmailSpaces)),
            ("jane@example", Some(Hint::EmailShape)),
            (
                "a@gmail.com",
                Some(Hint::Mailbox(email::MailboxRule::Gmail)),
            ),
            ("", None),
        ];
        for (input, hint) in cases {
            let flaw = EmailAddress::parse(input).unwrap_err();
            assert_eq!(flaw.hint, hint, "{input:?}");
        }
    }
}
