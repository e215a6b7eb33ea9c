//! The ONE table of hints: what a check found, or what to do, said beside the contract's
//! message (design.md, "Experience"). A hint is built from what the offline data (ZIP table,
//! phone metadata, mailbox rules) or a provider's answer found, never from a typed value, so
//! it needs no escaping beyond the page's and can't echo input back.

use std::fmt;

use vouch_offline::email::MailboxRule;
use vouch_offline::states::UsState;
use vouch_offline::zip::ZipRecord;

/// What a check found, said beside the contract's message: the cause, or what to do. Hints
/// carry only what the offline data or a provider's answer found, never a typed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    EmailNoAt,
    EmailSpaces,
    EmailShape,
    /// The address breaks its provider's rule for mailbox names.
    Mailbox(MailboxRule),
    /// The provider says the domain is a throwaway-mail service.
    EmailThrowaway,
    /// The provider says the domain receives no mail.
    EmailNoMail,
    /// A US number with too few or too many digits.
    PhoneDigits,
    /// A number with `+` whose length its country's numbers never have.
    PhoneDigitsAbroad,
    /// Ten digits, but an area code or exchange no US number has.
    PhoneAreaCode,
    PhoneCountryCode,
    PhoneNotDigits,
    /// The provider knows no line at the number.
    PhoneUnknown,
    StreetShape,
    StateFromList,
    ZipShape,
    /// The ZIP table has no such ZIP.
    ZipUnknown,
    ZipRetired(&'static ZipRecord),
    /// On the ZIP: it belongs to another state.
    ZipElsewhere(&'static ZipRecord),
    /// On the state: the ZIP's state, for the same cause as `ZipElsewhere`.
    StateOfZip(&'static ZipRecord),
    /// On the city: not one of the ZIP's names.
    CityOfZip(&'static ZipRecord),
    /// On the street line: a street address with a PO-box-only ZIP.
    PoBoxZip(&'static ZipRecord),
    UnitMissing,
    UnitIncorrect,
    /// The address provider found no delivery point and the ZIP table no other cause.
    Undeliverable,
    /// The provider could not answer and the form is accepted anyway.
    SendAnyway,
    /// The provider could not answer and the form is refused for it.
    TryAgain,
}

/// The hint's text: one sentence or two, each ending with a full stop.
impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Hint as H;
        let state_name = |r: &ZipRecord| UsState::from_code(r.state).map_or(r.state, |s| s.name());
        match *self {
            H::EmailNoAt => f.write_str("An email address has an @, like jane@example.com."),
            H::EmailSpaces => f.write_str("An email address has no spaces."),
            H::EmailShape => f.write_str("It should look like name@example.com."),
            H::Mailbox(rule) => mailbox_rule(f, rule),
            H::EmailThrowaway => {
                f.write_str("Throwaway addresses aren't accepted: use one you'll keep.")
            }
            H::EmailNoMail => f.write_str("That domain takes no email: check the part after the @."),
            H::PhoneDigits => f.write_str("US numbers have 10 digits, like 303 442 2466."),
            H::PhoneDigitsAbroad => f.write_str("Check the digits after the country code."),
            H::PhoneAreaCode => {
                f.write_str("Check the area code and exchange: a US number looks like 303 442 2466.")
            }
            H::PhoneCountryCode => f.write_str("Check the country code after the +."),
            H::PhoneNotDigits => f.write_str("Use digits, like 303 442 2466."),
            H::PhoneUnknown => f.write_str("No phone line is known at this number: check the digits."),
            H::StreetShape => {
                f.write_str("Start with the house number, like 2600 Pearl St, or give a PO Box.")
            }
            H::StateFromList => f.write_str("Choose your state from the list."),
            H::ZipShape => f.write_str("A ZIP has 5 digits, like 80302, or 9 with the ZIP+4."),
            H::ZipUnknown => f.write_str("No ZIP code has these digits: check them."),
            H::ZipRetired(r) => write!(f, "ZIP {} is no longer in use.", r.zip),
            H::ZipElsewhere(r) => write!(
                f,
                "{} is {}, {} — check the ZIP or the city.",
                r.zip, r.city, r.state
            ),
            H::StateOfZip(r) => write!(f, "ZIP {} is in {}.", r.zip, state_name(r)),
            H::CityOfZip(r) => write!(
                f,
                "{} is {}, {} — check the city or the ZIP.",
                r.zip, r.city, r.state
            ),
            H::PoBoxZip(r) => write!(
                f,
                "{} is for PO Boxes only: give your PO Box, or your street's ZIP.",
                r.zip
            ),
            H::UnitMissing => f.write_str("This building needs an apartment or suite number."),
            H::UnitIncorrect => {
                f.write_str("That apartment or suite isn't known at this address: check it.")
            }
            H::Undeliverable => f.write_str(
                "The postal service doesn't deliver to this address: check the house number and street.",
            ),
            H::SendAnyway => f.write_str("You can still send the form."),
            H::TryAgain => f.write_str("Please try again in a moment."),
        }
    }
}

/// A provider's mailbox rule in words, its figures from the rule itself.
fn mailbox_rule(f: &mut fmt::Formatter<'_>, rule: MailboxRule) -> fmt::Result {
    let (name, min) = (rule.provider(), rule.min_len());
    let max = rule.max_len().unwrap_or(64);
    match rule {
        MailboxRule::Gmail => write!(
            f,
            "{name} addresses have {min} to {max} letters, digits and dots before the @."
        ),
        MailboxRule::Yahoo => write!(
            f,
            "{name} addresses start with a letter and have {min} to {max} letters, digits, \
             dots and underscores before the @."
        ),
        MailboxRule::Microsoft => write!(
            f,
            "{name} addresses have only letters, digits, dots, hyphens and underscores before the @."
        ),
        MailboxRule::ICloud => write!(
            f,
            "{name} addresses have at least {min} characters before the @."
        ),
        MailboxRule::Aol => write!(
            f,
            "{name} addresses start with a letter and have at least {min} characters before the @."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_name_what_was_found_and_end_a_sentence() {
        let schenectady = vouch_offline::zip::lookup("12345").unwrap();
        let cases = [
            (
                Hint::ZipElsewhere(schenectady),
                "12345 is Schenectady, NY — check the ZIP or the city.",
            ),
            (Hint::StateOfZip(schenectady), "ZIP 12345 is in New York."),
            (
                Hint::PhoneDigits,
                "US numbers have 10 digits, like 303 442 2466.",
            ),
            (
                Hint::Mailbox(MailboxRule::Gmail),
                "Gmail addresses have 6 to 30 letters, digits and dots before the @.",
            ),
            (
                Hint::Mailbox(MailboxRule::Yahoo),
                "Yahoo addresses start with a letter and have 4 to 32 letters, digits, dots \
                 and underscores before the @.",
            ),
        ];
        for (hint, text) in cases {
            assert_eq!(hint.to_string(), text, "{hint:?}");
        }
    }
}
