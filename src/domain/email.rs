//! An email address that passed the offline syntax check, with what the offline lists know of it.

use super::field::{Field, Problem};
use super::text::field_text;
use vouch_offline::email::{self, EmailFacts, EmailSyntaxError};

/// A syntactically valid address; only such an address is sent to Eva.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(EmailFacts);

impl EmailAddress {
    pub fn parse(input: &str) -> Result<EmailAddress, Problem> {
        match email::analyze(field_text(Field::Email, input)?) {
            Ok(facts) => Ok(EmailAddress(facts)),
            Err(EmailSyntaxError::Empty) => Err(Problem::Missing),
            // Within 254 characters, but over an RFC limit in bytes (a local part over 64,
            // an IDN domain longer in ASCII): the address cannot exist, so it is invalid.
            Err(EmailSyntaxError::TooLong | EmailSyntaxError::Malformed) => Err(Problem::Invalid),
        }
    }

    /// A likely intended address when the domain looks like a typo of a common provider.
    pub fn suggestion(&self) -> Option<&str> {
        self.0.suggestion.as_deref()
    }
}

impl AsRef<str> for EmailAddress {
    /// The normalised address (IDN domain in ASCII), as sent to the provider.
    fn as_ref(&self) -> &str {
        &self.0.address
    }
}
