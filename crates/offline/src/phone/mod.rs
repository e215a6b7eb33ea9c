//! Phone number checks from libphonenumber's metadata (the `rlibphonenumber` port).
//!
//! Two verdicts, deliberately apart. [`analyze`] returns `Err` only for numbers that cannot be
//! right whatever the metadata's age: not a number, an unknown country code, a length no number
//! of that country has, a local-only length (7 digits in the US), or a NANP number whose area
//! code or exchange starts with 0/1 or whose area code is an N11 service code (the numbering
//! plan's structure, not its assignments). Everything else is `Ok`, and
//! [`PhoneFacts::valid`] says whether the metadata knows the number's range. `valid: false`
//! means "unverified locally" (an area code newer than our metadata, say); only the provider
//! may call such a number invalid.
//!
//! Parsing follows libphonenumber: a number starting with `+` is read for any region, any other
//! against `default_region`; vanity letters (`1-800-FLOWERS`) are converted when there are at
//! least three; an extension (`ext 12`, `x12`, `#12`) is accepted and left out of the formats.
//! The metadata loads on first use or in [`crate::warm_up`] (`benches/local_checks.rs` measures
//! the load and a parse).

mod regions;
#[cfg(test)]
mod tests;

pub use regions::{calling_code, country_name, metadata_version};

use rlibphonenumber::{
    NumberLengthType, ParseError, PhoneNumber, PhoneNumberFormat, PhoneNumberType, ValidationError,
    enums::Region,
};

/// Longer inputs are rejected before parsing: no real number needs more, even with an
/// extension, and it bounds the work the parser's regular expressions do.
const MAX_INPUT_CHARS: usize = 64;

/// libphonenumber's number types, named on the wire as Veriphone names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum PhoneKind {
    Mobile,
    FixedLine,
    /// NANP numbers: the metadata cannot tell mobile from fixed line.
    FixedLineOrMobile,
    TollFree,
    PremiumRate,
    SharedCost,
    Voip,
    PersonalNumber,
    Pager,
    Uan,
    Voicemail,
    /// Also the kind of every number the metadata does not call valid.
    Unknown,
}

impl PhoneKind {
    /// Veriphone's `phone_type` string.
    pub fn wire_name(self) -> &'static str {
        self.into()
    }

    fn from_lib(kind: PhoneNumberType) -> Self {
        match kind {
            PhoneNumberType::Mobile => Self::Mobile,
            PhoneNumberType::FixedLine => Self::FixedLine,
            PhoneNumberType::FixedLineOrMobile => Self::FixedLineOrMobile,
            PhoneNumberType::TollFree => Self::TollFree,
            PhoneNumberType::PremiumRate => Self::PremiumRate,
            PhoneNumberType::SharedCost => Self::SharedCost,
            PhoneNumberType::VoIP => Self::Voip,
            PhoneNumberType::PersonalNumber => Self::PersonalNumber,
            PhoneNumberType::Pager => Self::Pager,
            PhoneNumberType::UAN => Self::Uan,
            PhoneNumberType::VoiceMail => Self::Voicemail,
            PhoneNumberType::Unknown => Self::Unknown,
        }
    }
}

/// What the metadata says about a possible number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneFacts {
    /// `+12024561111`.
    pub e164: String,
    /// `+1 202-456-1111`.
    pub international: String,
    /// `(202) 456-1111`, the number's own country's national format.
    pub national: String,
    /// ISO 3166 alpha-2 of the number (`US`); for a number the metadata does not place, the
    /// country code's region when it has only one (`+44` → `GB`), else `None` (`+1` is shared
    /// by 25 regions, and non-geographic `+800` numbers have none).
    pub region: Option<&'static str>,
    /// `1` for NANP.
    pub country_prefix: u32,
    pub kind: PhoneKind,
    /// The metadata knows the number's range. `false` = possible but unknown to the metadata:
    /// callers treat it as unverified locally; only the provider may call it invalid.
    pub valid: bool,
}

/// Why a string cannot be a phone number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("empty")]
    Empty,
    #[error("not a number")]
    NotANumber,
    #[error("invalid country code")]
    InvalidCountryCode,
    #[error("too short")]
    TooShort,
    #[error("too long")]
    TooLong,
    #[error("impossible")]
    Impossible,
}

/// Parses `input` (numbers starting with `+` for any region, others for `default_region`, an
/// ISO code such as `US`) and reports what the metadata says. `Err` only for numbers that
/// cannot be right: see the module docs.
pub fn analyze(input: &str, default_region: &str) -> Result<PhoneFacts, PhoneError> {
    let mut number = parse_possible(input, default_region)?;
    let valid = number.is_valid();
    let kind = PhoneKind::from_lib(number.get_type());
    let region = regions::region_of(&number);
    // Formats describe the line itself; the extension is not part of it.
    number.extension = None;
    Ok(PhoneFacts {
        e164: number.format_as(PhoneNumberFormat::E164).into_owned(),
        international: number
            .format_as(PhoneNumberFormat::International)
            .into_owned(),
        national: number.format_as(PhoneNumberFormat::National).into_owned(),
        region,
        country_prefix: u32::try_from(number.country_code).unwrap_or(0),
        kind,
        valid,
    })
}

/// The E.164 form of a possible number, with the same `Err`s as [`analyze`]: the sign-up
/// form's check, which needs neither the number's type nor its validity (matching the
/// metadata's type patterns is most of `analyze`'s cost).
pub fn e164(input: &str, default_region: &str) -> Result<String, PhoneError> {
    let mut number = parse_possible(input, default_region)?;
    number.extension = None;
    Ok(number.format_as(PhoneNumberFormat::E164).into_owned())
}

/// Parses `input` and rejects what cannot be a phone number.
fn parse_possible(input: &str, default_region: &str) -> Result<PhoneNumber, PhoneError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(PhoneError::Empty);
    }
    if input.chars().nth(MAX_INPUT_CHARS).is_some() {
        return Err(PhoneError::TooLong);
    }
    // An unknown region code only matters for numbers without `+`, which then fail to parse
    // with InvalidCountryCode, as libphonenumber does.
    let region = Region::from_code(default_region).ok();
    let number = PhoneNumber::parse(input, region).map_err(from_parse_error)?;
    match number.is_possible_with_reason() {
        Ok(NumberLengthType::IsPossible) => {}
        // A number that is only diallable inside its area (a US 7-digit one) is incomplete.
        Ok(NumberLengthType::IsPossibleLocalOnly) => return Err(PhoneError::TooShort),
        Err(reason) => return Err(from_validation_error(reason)),
    }
    if number.country_code == 1 && !is_nanp_shaped(number.national_number) {
        return Err(PhoneError::Impossible);
    }
    Ok(number)
}

/// The NANP's fixed structure, `NXX-NXX-XXXX` with N = 2–9, and no N11 service code as area
/// code. True of every NANP number ever assigned, so it cannot go stale like the metadata.
fn is_nanp_shaped(national_number: u64) -> bool {
    if !(1_000_000_000..10_000_000_000).contains(&national_number) {
        return false;
    }
    let area = national_number / 10_000_000;
    let exchange = national_number / 10_000 % 1000;
    area >= 200 && exchange >= 200 && area % 100 != 11
}

fn from_parse_error(error: ParseError) -> PhoneError {
    match error {
        ParseError::InvalidCountryCode => PhoneError::InvalidCountryCode,
        ParseError::NotANumber(_) => PhoneError::NotANumber,
        ParseError::TooShortAfterIdd | ParseError::TooShortNsn => PhoneError::TooShort,
        ParseError::TooLongNsn => PhoneError::TooLong,
    }
}

fn from_validation_error(error: ValidationError) -> PhoneError {
    match error {
        ValidationError::InvalidCountryCode => PhoneError::InvalidCountryCode,
        ValidationError::TooShort => PhoneError::TooShort,
        ValidationError::TooLong => PhoneError::TooLong,
        ValidationError::InvalidLength => PhoneError::Impossible,
    }
}

/// Loads the metadata (the first parse builds libphonenumber's tables and regexes).
pub(crate) fn warm_up() {
    // The result does not matter, only that the tables are built.
    let _ = PhoneNumber::parse("+12024561111", None).map(|n| n.is_valid());
}
