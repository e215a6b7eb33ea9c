//! An email address that passed the offline syntax check, with what the offline lists know of it.

use super::field::Problem;
use vouch_offline::email::{self, EmailFacts, EmailSyntaxError};

/// A syntactically valid address; only such an address is sent to Eva.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(EmailFacts);

impl EmailAddress {
    pub fn parse(input: &str) -> Result<EmailAddress, Problem> {
        match email::analyze(input.trim()) {
            Ok(facts) => Ok(EmailAddress(facts)),
            Err(EmailSyntaxError::Empty) => Err(Problem::Missing),
            Err(
                EmailSyntaxError::TooLong
                | EmailSyntaxError::Malformed
                | EmailSyntaxError::Mailbox(_),
            ) => Err(Problem::Invalid),
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
