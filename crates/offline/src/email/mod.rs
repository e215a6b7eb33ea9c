//! Email address checks that need no network: syntax, IDN, disposable/webmail/role flags and
//! "did you mean" suggestions.
//!
//! Syntax is RFC 5321/5322 as the `email_address` crate implements it, narrowed to what a
//! sign-up form should take. That crate accepts `a@b`, quoted local parts (`"john doe"@x.com`),
//! IP literals (`a@[127.0.0.1]`) and display names (`John <a@x.com>`); this module rejects all of
//! those as [`EmailSyntaxError::Malformed`]: no mainstream provider hands them out, they are far
//! likelier typos or probes than real addresses, and the provider check downstream expects a
//! plain `local@host.tld`. On top, the domain must be a DNS host name: at least two labels, each
//! 1–63 letters/digits/hyphens not starting or ending with a hyphen, an alphabetic TLD (or an
//! `xn--` one), at most 253 bytes; the local part at most 64 bytes, the whole address at most 254.
//!
//! Internationalised addresses are accepted (RFC 6531): the local part may hold any Unicode
//! letters (kept as typed), and the domain is converted to ASCII with UTS #46 (`bücher.de` →
//! `xn--bcher-kva.de`), which also lower-cases it and maps full-width dots.

mod lists;
mod mailbox;
#[cfg(test)]
mod tests;
mod typo;

use email_address::{EmailAddress, Options};

pub use mailbox::MailboxRule;

/// An input longer than this cannot be a valid address even after IDN conversion shrinks it
/// (a full-width or upper-case Unicode domain maps to fewer bytes); checked before any parsing.
const MAX_INPUT_LEN: usize = 1024;
/// RFC 5321 §4.5.3.1.1.
const MAX_LOCAL_LEN: usize = 64;
/// RFC 1035 name limit without the trailing dot.
const MAX_DOMAIN_LEN: usize = 253;
/// RFC 5321 path limit (256) minus the angle brackets.
const MAX_ADDRESS_LEN: usize = 254;
const MAX_LABEL_LEN: usize = 63;

/// What can be known about an address without asking anyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailFacts {
    /// Normalised: local part as typed, `@`, the ASCII (punycode) lower-case domain.
    pub address: String,
    /// The local part as typed (case kept: it is the mailbox owner's to interpret).
    pub local: String,
    /// ASCII, lower case.
    pub domain: String,
    /// The domain or one of its parents is a known throwaway-mail domain.
    pub disposable: bool,
    /// The domain is a consumer webmail provider.
    pub webmail: bool,
    /// The local part names a function (`admin`, `no-reply`, …), not a person.
    pub role: bool,
    /// The full corrected address when the domain looks like a typo of a free-mail domain
    /// (`jane.doe@gmial.com` → `jane.doe@gmail.com`); `None` when the domain is itself known,
    /// or when the corrected address would break that provider's [`MailboxRule`].
    pub suggestion: Option<String>,
}

/// Top-level domains that are slips of `.com`, `.net` or `.org` and are not delegated in the
/// DNS root zone, so no address under them can receive mail.
const TLD_SLIPS: [&str; 11] = [
    "cmo", "comm", "con", "cpm", "ent", "ner", "nte", "ocm", "ogr", "rog", "vom",
];

impl EmailFacts {
    /// Whether the domain could receive mail, as far as offline data can tell: `false` only
    /// for a TLD slip (`gmail.con`), which no DNS answers. A domain that merely looks like a
    /// typo (`mailw.com`) may be a real one: that is for the suggestion to raise, not for this
    /// verdict to decide.
    pub fn domain_takes_mail(&self) -> bool {
        let tld = self.domain.rsplit('.').next().unwrap_or("");
        !TLD_SLIPS.contains(&tld)
    }
}

/// Why a string is not an address a sign-up form should take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailSyntaxError {
    #[error("empty")]
    Empty,
    #[error("too long")]
    TooLong,
    #[error("malformed")]
    Malformed,
    /// Valid by the RFCs, but no mailbox the domain's provider hands out.
    #[error("not a {} mailbox name", .0.provider())]
    Mailbox(MailboxRule),
}

/// Checks the syntax of `input` and gathers the offline facts about it.
///
/// Surrounding whitespace is ignored; whitespace inside is [`EmailSyntaxError::Malformed`].
pub fn analyze(input: &str) -> Result<EmailFacts, EmailSyntaxError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(EmailSyntaxError::Empty);
    }
    if input.len() > MAX_INPUT_LEN {
        return Err(EmailSyntaxError::TooLong);
    }
    let (local, domain) = split(input)?;
    let address = format!("{local}@{domain}");
    if address.len() > MAX_ADDRESS_LEN {
        return Err(EmailSyntaxError::TooLong);
    }
    // The crate has the last word on RFC syntax; the checks above only narrow it.
    let options = Options::default()
        .without_display_text()
        .without_domain_literal()
        .with_required_tld();
    if EmailAddress::parse_with_options(&address, options).is_err() {
        return Err(EmailSyntaxError::Malformed);
    }
    if let Some(rule) = mailbox::broken_rule(local, &domain) {
        return Err(EmailSyntaxError::Mailbox(rule));
    }
    // A "fix" the provider would refuse is no help.
    let suggestion = typo::suggest_domain(&domain)
        .filter(|fixed| mailbox::broken_rule(local, fixed).is_none())
        .map(|fixed| format!("{local}@{fixed}"));
    Ok(EmailFacts {
        local: local.to_owned(),
        disposable: lists::is_disposable(&domain),
        webmail: lists::is_free(&domain),
        role: lists::is_role(local),
        suggestion,
        address,
        domain,
    })
}

/// Splits at the last `@` and returns the local part and the ASCII domain.
fn split(input: &str) -> Result<(&str, String), EmailSyntaxError> {
    if input.contains(char::is_whitespace) {
        return Err(EmailSyntaxError::Malformed);
    }
    let (local, raw_domain) = input.rsplit_once('@').ok_or(EmailSyntaxError::Malformed)?;
    if local.len() > MAX_LOCAL_LEN {
        return Err(EmailSyntaxError::TooLong);
    }
    // Quoted local parts and IP literals: see the module docs.
    if local.starts_with('"') || raw_domain.starts_with('[') {
        return Err(EmailSyntaxError::Malformed);
    }
    if !EmailAddress::is_valid_local_part(local) {
        return Err(EmailSyntaxError::Malformed);
    }
    let domain = idna::domain_to_ascii_cow(raw_domain.as_bytes(), idna::AsciiDenyList::STD3)
        .map_err(|_| EmailSyntaxError::Malformed)?
        .into_owned();
    if domain.len() > MAX_DOMAIN_LEN {
        return Err(EmailSyntaxError::TooLong);
    }
    if !is_host_name(&domain) {
        return Err(EmailSyntaxError::Malformed);
    }
    Ok((local, domain))
}

/// `domain` (ASCII) is a public DNS host name: two or more LDH labels and a real-looking TLD.
fn is_host_name(domain: &str) -> bool {
    let Some((_, tld)) = domain.rsplit_once('.') else {
        return false;
    };
    let tld_ok =
        tld.starts_with("xn--") || (tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()));
    tld_ok && domain.split('.').all(is_ldh_label)
}

/// RFC 1123 label: 1–63 letters, digits and hyphens, not starting or ending with a hyphen.
fn is_ldh_label(label: &str) -> bool {
    (1..=MAX_LABEL_LEN).contains(&label.len())
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Loads the domain lists and the ranked typo candidates.
pub(crate) fn warm_up() {
    lists::warm_up();
    typo::warm_up();
}

/// Parses the embedded lists again, bypassing the cache: for the load-time benchmark only.
#[doc(hidden)]
pub fn parse_embedded_lists() -> usize {
    lists::parse_embedded_lists()
}
