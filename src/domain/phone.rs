//! A phone number that libphonenumber's metadata finds possible for its region.

use super::field::{Field, Problem};
use super::text::field_text;
use vouch_offline::phone::{self, PhoneError};

/// The region for numbers typed without `+`; the form is for US sign-ups.
pub const DEFAULT_REGION: &str = "US";

/// A number libphonenumber finds possible. One its metadata does not know (a new area code,
/// say) is still sent: only the provider may call it invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(input: &str) -> Result<PhoneNumber, Problem> {
        match phone::e164(field_text(Field::PhoneNumber, input)?, DEFAULT_REGION) {
            Ok(e164) => Ok(PhoneNumber(e164)),
            Err(PhoneError::Empty) => Err(Problem::Missing),
            Err(_) => Err(Problem::Invalid),
        }
    }

    /// The E.164 form (`+12024561111`), which is what goes to the provider.
    pub fn e164(&self) -> &str {
        &self.0
    }
}
