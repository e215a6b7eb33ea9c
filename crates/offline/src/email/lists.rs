//! The two shipped domain lists and the role-account names.
//!
//! Both lists are embedded with `include_str!` and parsed once into sorted `Vec<&'static str>`
//! (binary search, no per-entry allocation); `benches/local_checks.rs` times the load. See
//! `data/PROVENANCE.md` for where the lists come from.

use std::sync::LazyLock;

const DISPOSABLE: &str = include_str!("../../data/disposable_email_domains.txt");
const FREE: &str = include_str!("../../data/free_email_domains.txt");

static DISPOSABLE_DOMAINS: LazyLock<Vec<&'static str>> = LazyLock::new(|| sorted_lines(DISPOSABLE));
static FREE_DOMAINS: LazyLock<Vec<&'static str>> = LazyLock::new(|| sorted_lines(FREE));

/// Free-mail domains tried first when looking for a typo, most used first (PROVENANCE.md):
/// on equal distance the earlier one wins, so `live.co` suggests `live.com`, not `live.ca`.
pub(super) const VERY_COMMON: [&str; 11] = [
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "icloud.com",
    "aol.com",
    "comcast.net",
    "live.com",
    "msn.com",
    "att.net",
    "proton.me",
];

/// Local parts (compared without `.`, `-`, `_` and case, and before any `+tag`) that name a
/// function rather than a person. Sorted for binary search.
const ROLE_NAMES: [&str; 40] = [
    "abuse",
    "accounting",
    "accounts",
    "admin",
    "administrator",
    "billing",
    "careers",
    "compliance",
    "contact",
    "contactus",
    "customerservice",
    "devnull",
    "donotreply",
    "enquiries",
    "feedback",
    "hello",
    "help",
    "helpdesk",
    "hostmaster",
    "hr",
    "info",
    "inquiries",
    "jobs",
    "legal",
    "mailerdaemon",
    "marketing",
    "media",
    "news",
    "noreply",
    "office",
    "postmaster",
    "press",
    "privacy",
    "root",
    "sales",
    "security",
    "service",
    "support",
    "team",
    "webmaster",
];

fn sorted_lines(text: &'static str) -> Vec<&'static str> {
    let mut lines: Vec<&'static str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    // Shipped sorted in byte order (PROVENANCE.md); re-sorting keeps a hand-edited file working.
    if !lines.is_sorted() {
        lines.sort_unstable();
        lines.dedup();
    }
    lines
}

/// `domain` (ASCII, lower case) or one of its parent domains is a known throwaway-mail domain.
/// Parents matter because the list names e.g. dynamic-DNS hosts whose sub-domains are all
/// throwaway. The bare TLD is never looked up.
pub(super) fn is_disposable(domain: &str) -> bool {
    let list = &*DISPOSABLE_DOMAINS;
    let mut candidate = domain;
    loop {
        if list.binary_search(&candidate).is_ok() {
            return true;
        }
        match candidate.split_once('.') {
            Some((_, parent)) if parent.contains('.') => candidate = parent,
            _ => return false,
        }
    }
}

/// `domain` (ASCII, lower case) is a consumer webmail domain.
pub(super) fn is_free(domain: &str) -> bool {
    FREE_DOMAINS.binary_search(&domain).is_ok()
}

/// All free-mail domains, sorted.
pub(super) fn free_domains() -> &'static [&'static str] {
    &FREE_DOMAINS
}

/// `local` names a role (`admin`, `no-reply`, `Support+tickets`) rather than a person.
pub(super) fn is_role(local: &str) -> bool {
    let base = local.split('+').next().unwrap_or(local);
    if base.len() > 32 {
        return false;
    }
    let key: String = base
        .chars()
        .filter(|c| !matches!(c, '.' | '-' | '_'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    ROLE_NAMES.binary_search(&key.as_str()).is_ok()
}

pub(super) fn warm_up() {
    LazyLock::force(&DISPOSABLE_DOMAINS);
    LazyLock::force(&FREE_DOMAINS);
}

/// Parses both lists again, bypassing the cache: for the load-time benchmark only.
pub(super) fn parse_embedded_lists() -> usize {
    sorted_lines(DISPOSABLE).len() + sorted_lines(FREE).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_load_sorted_and_complete() {
        assert_eq!(DISPOSABLE_DOMAINS.len(), 10_181, "PROVENANCE.md row count");
        assert_eq!(FREE_DOMAINS.len(), 132, "PROVENANCE.md row count");
        assert!(
            ROLE_NAMES.is_sorted(),
            "ROLE_NAMES must stay sorted for binary search"
        );
        for domain in VERY_COMMON {
            assert!(is_free(domain), "{domain} is in free_email_domains.txt");
        }
        assert!(
            FREE_DOMAINS.iter().all(|d| !is_disposable(d)),
            "no free domain is disposable"
        );
    }

    #[test]
    fn disposable_checks_parents_but_not_the_tld() {
        let cases = [
            ("mailinator.com", true, "listed"),
            ("0-mailer.dynv6.net", true, "listed sub-domain"),
            ("x.y.mailinator.com", true, "sub-domain of a listed domain"),
            (
                "dynv6.net",
                false,
                "parent of a listed sub-domain is not itself listed",
            ),
            ("gmail.com", false, "free, not disposable"),
            ("com", false, "bare TLD"),
        ];
        for (domain, expected, why) in cases {
            assert_eq!(is_disposable(domain), expected, "{why}: {domain}");
        }
    }

    #[test]
    fn role_accounts_are_recognised() {
        let cases = [
            ("admin", true, "plain"),
            ("No-Reply", true, "hyphen and case"),
            ("no_reply", true, "underscore"),
            ("support+tickets", true, "tag"),
            ("postmaster", true, "RFC 5321 mailbox"),
            ("john.smith", false, "a person"),
            ("administrators", false, "not an exact role name"),
            ("", false, "empty"),
        ];
        for (local, expected, why) in cases {
            assert_eq!(is_role(local), expected, "{why}: {local}");
        }
    }
}
