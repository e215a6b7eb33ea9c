//! What the biggest free-mail providers allow before the `@`.
//!
//! RFC 5322 allows far more than any of these providers hands out, so `a@gmail.com` passes a
//! syntax check although no Gmail account can be one letter long. Only rules the providers
//! state for their own sign-up forms are encoded, and only where no older account can break
//! them; a rule we are unsure of is left out, since the provider check downstream still runs:
//!
//! * Gmail (`gmail.com`, `googlemail.com`): 6–30 letters and digits, dots allowed and not
//!   counted (Gmail ignores them).
//! * Yahoo (`yahoo.com`, `ymail.com`, `rocketmail.com`): starts with a letter; 4–32 letters,
//!   digits, underscores and dots. A hyphen marks one of Yahoo's disposable addresses
//!   (`base-keyword`), whose base has rules of its own, so only the first letter is checked.
//! * Microsoft (Outlook, Hotmail, Live, MSN): letters, digits, dots, hyphens and underscores.
//! * iCloud (`icloud.com`): at least 3 characters.
//! * AOL (`aol.com`): starts with a letter, at least 3 characters.
//!
//! Every provider here delivers `name+tag` to `name`, so the rules apply to the part before
//! the first `+`.

/// A provider's rule for the mailbox name; see the module docs for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailboxRule {
    Gmail,
    Yahoo,
    Microsoft,
    ICloud,
    Aol,
}

const MICROSOFT: [&str; 14] = [
    "hotmail.co.uk",
    "hotmail.com",
    "hotmail.de",
    "hotmail.es",
    "hotmail.fr",
    "hotmail.it",
    "live.ca",
    "live.co.uk",
    "live.com",
    "live.fr",
    "msn.com",
    "outlook.com",
    "outlook.de",
    "outlook.fr",
];

impl MailboxRule {
    /// The rule of `domain` (ASCII, lower case), if it belongs to a provider listed above.
    pub fn for_domain(domain: &str) -> Option<MailboxRule> {
        match domain {
            "gmail.com" | "googlemail.com" => Some(MailboxRule::Gmail),
            "yahoo.com" | "ymail.com" | "rocketmail.com" => Some(MailboxRule::Yahoo),
            "icloud.com" => Some(MailboxRule::ICloud),
            "aol.com" => Some(MailboxRule::Aol),
            d if MICROSOFT.contains(&d) => Some(MailboxRule::Microsoft),
            _ => None,
        }
    }

    /// The provider's name as people know it.
    pub fn provider(self) -> &'static str {
        match self {
            MailboxRule::Gmail => "Gmail",
            MailboxRule::Yahoo => "Yahoo",
            MailboxRule::Microsoft => "Outlook, Hotmail and Live",
            MailboxRule::ICloud => "iCloud",
            MailboxRule::Aol => "AOL",
        }
    }

    /// The fewest characters a mailbox name has (Gmail: not counting dots).
    pub fn min_len(self) -> usize {
        match self {
            MailboxRule::Gmail => 6,
            MailboxRule::Yahoo => 4,
            MailboxRule::ICloud | MailboxRule::Aol => 3,
            MailboxRule::Microsoft => 1,
        }
    }

    /// The most characters a mailbox name has, where the provider states one.
    pub fn max_len(self) -> Option<usize> {
        match self {
            MailboxRule::Gmail => Some(30),
            MailboxRule::Yahoo => Some(32),
            MailboxRule::Microsoft | MailboxRule::ICloud | MailboxRule::Aol => None,
        }
    }

    /// Whether `local` (the whole part before the `@`) keeps the rule.
    pub fn allows(self, local: &str) -> bool {
        let name = local.split('+').next().unwrap_or(local);
        let starts_with_letter = name.starts_with(|c: char| c.is_ascii_alphabetic());
        let only = |extra: &[char]| {
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
        };
        let length = match self {
            MailboxRule::Gmail => name.chars().filter(|c| *c != '.').count(),
            _ => name.chars().count(),
        };
        let long_enough = length >= self.min_len() && self.max_len().is_none_or(|m| length <= m);
        match self {
            MailboxRule::Gmail => only(&['.']) && long_enough,
            MailboxRule::Yahoo if name.contains('-') => starts_with_letter,
            MailboxRule::Yahoo => starts_with_letter && only(&['.', '_']) && long_enough,
            MailboxRule::Microsoft => only(&['.', '-', '_']) && long_enough,
            MailboxRule::ICloud => long_enough,
            MailboxRule::Aol => starts_with_letter && long_enough,
        }
    }
}

/// The rule `local@domain` breaks, if any.
pub(super) fn broken_rule(local: &str, domain: &str) -> Option<MailboxRule> {
    MailboxRule::for_domain(domain).filter(|rule| !rule.allows(local))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_provider_keeps_its_own_rule() {
        // (local part, domain, allowed, why)
        let cases = [
            ("a", "gmail.com", false, "one letter"),
            ("jane5", "gmail.com", false, "five characters"),
            ("jane.doe", "gmail.com", true, "seven letters and a dot"),
            ("j.a.n.e.d", "gmail.com", false, "dots are not counted"),
            ("jane.doe+news", "gmail.com", true, "tag after the name"),
            ("jane_doe", "gmail.com", false, "underscore"),
            ("jane-doe", "googlemail.com", false, "hyphen"),
            (&"a".repeat(30), "gmail.com", true, "thirty letters"),
            (&"a".repeat(31), "gmail.com", false, "thirty-one letters"),
            ("josé.maría", "gmail.com", false, "non-ASCII letter"),
            ("info", "yahoo.com", true, "four letters"),
            ("abc", "yahoo.com", false, "three letters"),
            ("1jane", "yahoo.com", false, "starts with a digit"),
            ("jane_doe.1", "ymail.com", true, "underscore, dot, digit"),
            ("jd-shopping", "yahoo.com", true, "disposable base-keyword"),
            ("a", "hotmail.com", true, "one letter"),
            (
                "jane_doe-1.x",
                "outlook.com",
                true,
                "Microsoft's characters",
            ),
            ("jane!doe", "live.com", false, "exclamation mark"),
            ("jo", "icloud.com", false, "two characters"),
            ("joe", "icloud.com", true, "three characters"),
            ("7up", "aol.com", false, "starts with a digit"),
            ("joe", "aol.com", true, "three letters"),
            ("a", "example.com", true, "no rule for other domains"),
        ];
        for (local, domain, allowed, why) in cases {
            assert_eq!(
                broken_rule(local, domain).is_none(),
                allowed,
                "{why}: {local}@{domain}"
            );
        }
    }

    #[test]
    fn every_microsoft_domain_is_a_free_mail_domain() {
        for domain in MICROSOFT {
            assert!(super::super::lists::is_free(domain), "{domain}");
        }
        assert!(MICROSOFT.is_sorted());
    }
}
