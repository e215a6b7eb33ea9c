use super::*;

fn ok(input: &str) -> EmailFacts {
    analyze(input).unwrap_or_else(|e| panic!("{input:?} should be accepted, got {e}"))
}

#[test]
fn plain_addresses_are_accepted_and_normalised() {
    let cases = [
        ("jane.doe@gmail.com", "jane.doe@gmail.com", "plain"),
        (
            "  jane@example.com  ",
            "jane@example.com",
            "surrounding spaces",
        ),
        (
            "Jane.Doe@Example.COM",
            "Jane.Doe@example.com",
            "domain lower-cased, local kept",
        ),
        (
            "user.name+tag@example.co.uk",
            "user.name+tag@example.co.uk",
            "tag and sub-domains",
        ),
        ("o'brien@example.ie", "o'brien@example.ie", "apostrophe"),
        ("x@a-b.io", "x@a-b.io", "hyphen inside a label"),
        ("1234@123.example.com", "1234@123.example.com", "digits"),
        (
            "a@xn--bcher-kva.de",
            "a@xn--bcher-kva.de",
            "already punycode",
        ),
        (
            "josé@bücher.de",
            "josé@xn--bcher-kva.de",
            "IDN domain, Unicode local part",
        ),
        (
            "用户@例子.广告",
            "用户@xn--fsqu00a.xn--4rr70v",
            "CJK address",
        ),
        (
            "x@ＥＸＡＭＰＬＥ．ｃｏｍ",
            "x@example.com",
            "full-width domain mapped by UTS 46",
        ),
    ];
    for (input, expected, why) in cases {
        let facts = ok(input);
        assert_eq!(facts.address, expected, "{why}: {input}");
        assert_eq!(
            format!("{}@{}", facts.local, facts.domain),
            facts.address,
            "{why}: parts"
        );
    }
}

#[test]
fn malformed_addresses_are_rejected() {
    let cases = [
        ("", EmailSyntaxError::Empty, "empty"),
        ("   ", EmailSyntaxError::Empty, "spaces only"),
        ("plainaddress", EmailSyntaxError::Malformed, "no @"),
        ("@example.com", EmailSyntaxError::Malformed, "no local part"),
        ("jane@", EmailSyntaxError::Malformed, "no domain"),
        ("a@b", EmailSyntaxError::Malformed, "no dot in the domain"),
        (
            "jane doe@example.com",
            EmailSyntaxError::Malformed,
            "space inside",
        ),
        (
            "jane@exa mple.com",
            EmailSyntaxError::Malformed,
            "space in the domain",
        ),
        ("jane@@example.com", EmailSyntaxError::Malformed, "double @"),
        (
            "jane..doe@example.com",
            EmailSyntaxError::Malformed,
            "double dot",
        ),
        (
            ".jane@example.com",
            EmailSyntaxError::Malformed,
            "leading dot",
        ),
        (
            "jane@example..com",
            EmailSyntaxError::Malformed,
            "empty label",
        ),
        (
            "jane@example.com.",
            EmailSyntaxError::Malformed,
            "trailing dot",
        ),
        (
            "jane@-example.com",
            EmailSyntaxError::Malformed,
            "label starts with a hyphen",
        ),
        (
            "jane@example-.com",
            EmailSyntaxError::Malformed,
            "label ends with a hyphen",
        ),
        (
            "jane@exa_mple.com",
            EmailSyntaxError::Malformed,
            "underscore in the domain",
        ),
        (
            "jane@example.c0m",
            EmailSyntaxError::Malformed,
            "digit in the TLD",
        ),
        (
            "jane@example.c",
            EmailSyntaxError::Malformed,
            "one-letter TLD",
        ),
        (
            "jane@192.168.0.1",
            EmailSyntaxError::Malformed,
            "numeric TLD",
        ),
        (
            "jane@[192.168.0.1]",
            EmailSyntaxError::Malformed,
            "IP literal",
        ),
        (
            "\"jane doe\"@example.com",
            EmailSyntaxError::Malformed,
            "quoted local part",
        ),
        (
            "\"jane\"@example.com",
            EmailSyntaxError::Malformed,
            "quoted local part, no space",
        ),
        (
            "Jane <jane@example.com>",
            EmailSyntaxError::Malformed,
            "display name",
        ),
        (
            "jane(comment)@example.com",
            EmailSyntaxError::Malformed,
            "comment",
        ),
        (
            "jane@xn--.com",
            EmailSyntaxError::Malformed,
            "broken punycode",
        ),
        (
            "ja\u{0}ne@example.com",
            EmailSyntaxError::Malformed,
            "control character",
        ),
    ];
    for (input, expected, why) in cases {
        assert_eq!(analyze(input), Err(expected), "{why}: {input:?}");
    }
}

#[test]
fn length_limits_follow_the_rfcs() {
    let label = "a".repeat(63);
    // Three 63-byte labels, one of `n` bytes and `.com`: 196 + n bytes.
    let domain = |n: usize| format!("{label}.{label}.{label}.{}.com", "a".repeat(n));
    let cases = [
        (
            format!("{}@example.com", "a".repeat(64)),
            true,
            "64-byte local part",
        ),
        (
            format!("{}@example.com", "a".repeat(65)),
            false,
            "65-byte local part",
        ),
        (format!("a@{label}.com"), true, "63-byte label"),
        (format!("a@{}a.com", label), false, "64-byte label"),
        (format!("a@{}", domain(56)), true, "254-byte address"),
        (
            format!("a@{}", domain(57)),
            false,
            "255-byte address, 253-byte domain",
        ),
        (format!("a@{}", domain(58)), false, "254-byte domain"),
        ("x".repeat(5000), false, "far too long"),
    ];
    for (input, accepted, why) in cases {
        assert_eq!(
            analyze(&input).is_ok(),
            accepted,
            "{why}: {} bytes",
            input.len()
        );
    }
    assert_eq!(
        analyze(&"x".repeat(5000)),
        Err(EmailSyntaxError::TooLong),
        "long input"
    );
    assert_eq!(
        analyze(&format!("{}@example.com", "a".repeat(65))),
        Err(EmailSyntaxError::TooLong),
        "long local part"
    );
}

#[test]
fn flags_describe_the_domain_and_local_part() {
    // (input, disposable, webmail, role, why)
    let cases = [
        ("jane.doe@gmail.com", false, true, false, "free mail"),
        (
            "jane.doe@GMAIL.com",
            false,
            true,
            false,
            "free mail, upper case",
        ),
        ("signup@mailinator.com", true, false, false, "disposable"),
        (
            "x@sub.mailinator.com",
            true,
            false,
            false,
            "sub-domain of a disposable domain",
        ),
        (
            "x@0-mailer.dynv6.net",
            true,
            false,
            false,
            "listed dynamic-DNS host",
        ),
        ("jane@acme.com", false, false, false, "company"),
        ("admin@acme.com", false, false, true, "role"),
        (
            "no-reply@acme.com",
            false,
            false,
            true,
            "role with a hyphen",
        ),
        (
            "Support+x@acme.com",
            false,
            false,
            true,
            "role with a tag and case",
        ),
        ("info@yahoo.com", false, true, true, "role at free mail"),
    ];
    for (input, disposable, webmail, role, why) in cases {
        let facts = ok(input);
        assert_eq!(
            (facts.disposable, facts.webmail, facts.role),
            (disposable, webmail, role),
            "{why}: {input}"
        );
    }
}

#[test]
fn typos_of_free_mail_domains_get_a_suggestion() {
    let cases = [
        (
            "john.doe@gmial.com",
            Some("john.doe@gmail.com"),
            "swapped letters",
        ),
        (
            "John.Doe@gmail.con",
            Some("John.Doe@gmail.com"),
            "TLD slip keeps the local part",
        ),
        (
            "jane.doe@gmial.con",
            Some("jane.doe@gmail.com"),
            "providers.md example",
        ),
        ("jane@yahooo.com", Some("jane@yahoo.com"), "extra letter"),
        ("jane@hotmail.co", Some("jane@hotmail.com"), "short TLD"),
        (
            "jane.doe@GMAIL.CON",
            Some("jane.doe@gmail.com"),
            "upper case",
        ),
        ("jane.doe@gmail.com", None, "correct"),
        ("jane@acme.com", None, "unrelated"),
        ("jane@mailinator.com", None, "disposable, unrelated"),
        (
            "jane@gmial.com",
            None,
            "jane@gmail.com breaks Gmail's rule: no help to suggest it",
        ),
        (
            "jane.doe@mailw.com",
            Some("jane.doe@gmail.com"),
            "a look-alike of a big provider is only suggested",
        ),
    ];
    for (input, expected, why) in cases {
        assert_eq!(ok(input).suggestion.as_deref(), expected, "{why}: {input}");
    }
}

#[test]
fn a_mailbox_name_a_big_provider_never_hands_out_is_refused() {
    let cases = [
        (
            "a@gmail.com",
            MailboxRule::Gmail,
            "the tutorial's demo address",
        ),
        ("jane@googlemail.com", MailboxRule::Gmail, "four letters"),
        ("1jane@yahoo.com", MailboxRule::Yahoo, "starts with a digit"),
        (
            "jane!doe@outlook.com",
            MailboxRule::Microsoft,
            "exclamation mark",
        ),
    ];
    for (input, rule, why) in cases {
        assert_eq!(
            analyze(input),
            Err(EmailSyntaxError::Mailbox(rule)),
            "{why}"
        );
    }
    assert!(analyze("jane.doe+news@gmail.com").is_ok(), "a tag is fine");
}

#[test]
fn only_a_tld_slip_says_the_domain_takes_no_mail() {
    let cases = [
        ("jane.doe@gmail.con", false, "no .con in the root zone"),
        ("jane@example.cmo", false, "no .cmo either"),
        (
            "jane.doe@mailw.com",
            true,
            "a look-alike domain may be real",
        ),
        ("jane@yaho.com", true, "a typo of yahoo.com may be real"),
        ("jane@example.co", true, "Colombia"),
        ("jane@example.om", true, "Oman"),
    ];
    for (input, takes_mail, why) in cases {
        assert_eq!(ok(input).domain_takes_mail(), takes_mail, "{why}: {input}");
    }
}
