use super::*;

fn ok(input: &str, region: &str) -> PhoneFacts {
    analyze(input, region).unwrap_or_else(|e| panic!("{input:?} ({region}) should parse, got {e}"))
}

#[test]
fn us_numbers_come_out_as_libphonenumber_says() {
    // (input, e164, valid, why)
    let cases = [
        (
            "(202) 456-1111",
            "+12024561111",
            true,
            "White House, national format",
        ),
        ("202-456-1111", "+12024561111", true, "dashes"),
        ("202.456.1111", "+12024561111", true, "dots"),
        ("2024561111", "+12024561111", true, "digits only"),
        ("1-202-456-1111", "+12024561111", true, "trunk prefix"),
        ("+1 (650) 253-0000", "+16502530000", true, "international"),
        (
            "212-555-0100",
            "+12125550100",
            true,
            "fictional 555-01xx is not modelled",
        ),
        ("800-555-0100", "+18005550100", true, "toll free"),
        ("1-800-FLOWERS", "+18003569377", true, "vanity letters"),
        (
            "202.456.1111 ext 12",
            "+12024561111",
            true,
            "extension dropped from formats",
        ),
        ("202-456-1111 x12", "+12024561111", true, "short extension"),
        (
            "+1 472 555 0123",
            "+14725550123",
            true,
            "new 472 area code, fresh metadata",
        ),
        (
            "(999) 456-1111",
            "+19994561111",
            false,
            "possible but unassigned area code",
        ),
    ];
    for (input, e164, valid, why) in cases {
        let facts = ok(input, "US");
        assert_eq!(
            (facts.e164.as_str(), facts.valid),
            (e164, valid),
            "{why}: {input}"
        );
        assert_eq!(facts.country_prefix, 1, "{why}: NANP");
    }
}

#[test]
fn formats_region_and_kind_are_filled() {
    let us = ok("(202) 456-1111", "US");
    assert_eq!(us.international, "+1 202-456-1111");
    assert_eq!(us.national, "(202) 456-1111");
    assert_eq!(us.region, Some("US"));
    assert_eq!(us.kind, PhoneKind::FixedLineOrMobile);

    let gb = ok("+44 20 7946 0958", "US");
    assert_eq!(
        (gb.e164.as_str(), gb.valid),
        ("+442079460958", true),
        "London"
    );
    assert_eq!((gb.region, gb.country_prefix), (Some("GB"), 44));
    assert_eq!(gb.international, "+44 20 7946 0958");
    assert_eq!(gb.national, "020 7946 0958");
    assert_eq!(gb.kind, PhoneKind::FixedLine);

    let de = ok("+49 1512 3577723", "US");
    assert_eq!(
        (de.region, de.kind),
        (Some("DE"), PhoneKind::Mobile),
        "Veriphone's example"
    );
    assert_eq!(de.national, "01512 3577723");

    let toll_free = ok("800-555-0100", "US");
    assert_eq!(toll_free.kind, PhoneKind::TollFree);
    assert_eq!(
        ok("202.456.1111 ext 12", "US").international,
        "+1 202-456-1111"
    );
}

#[test]
fn international_numbers_are_read_for_any_region() {
    // (input, default region, e164, region, kind, why)
    let cases = [
        (
            "+44 20 7946 0958",
            "US",
            "+442079460958",
            Some("GB"),
            PhoneKind::FixedLine,
            "London",
        ),
        (
            "011 44 20 7946 0958",
            "US",
            "+442079460958",
            Some("GB"),
            PhoneKind::FixedLine,
            "US IDD prefix",
        ),
        (
            "020 7946 0958",
            "GB",
            "+442079460958",
            Some("GB"),
            PhoneKind::FixedLine,
            "national, GB default",
        ),
        (
            "+33 6 12 34 56 78",
            "US",
            "+33612345678",
            Some("FR"),
            PhoneKind::Mobile,
            "French mobile",
        ),
        (
            "+1 264 497 1234",
            "US",
            "+12644971234",
            Some("AI"),
            PhoneKind::FixedLine,
            "NANP, not US",
        ),
        (
            "+1 273 555 0123",
            "US",
            "+12735550123",
            Some("CA"),
            PhoneKind::FixedLineOrMobile,
            "new Canadian area code",
        ),
        (
            "+800 1234 5678",
            "US",
            "+80012345678",
            None,
            PhoneKind::TollFree,
            "non-geographic",
        ),
        (
            "＋１ ２０２ ４５６ １１１１",
            "US",
            "+12024561111",
            Some("US"),
            PhoneKind::FixedLineOrMobile,
            "full-width",
        ),
        (
            "tel:+1-202-456-1111",
            "US",
            "+12024561111",
            Some("US"),
            PhoneKind::FixedLineOrMobile,
            "RFC 3966",
        ),
    ];
    for (input, default_region, e164, region, kind, why) in cases {
        let facts = ok(input, default_region);
        assert_eq!(
            (facts.e164.as_str(), facts.region, facts.kind, facts.valid),
            (e164, region, kind, true),
            "{why}: {input}"
        );
    }
}

#[test]
fn region_falls_back_only_when_unambiguous() {
    let shared = ok("(999) 456-1111", "US");
    assert_eq!(
        (shared.region, shared.kind),
        (None, PhoneKind::Unknown),
        "+1 is shared"
    );
    let drama = ok("+44 1632 960000", "US");
    assert_eq!(
        (drama.valid, drama.region),
        (false, None),
        "+44 is shared with GG, IM, JE"
    );
    // Veriphone's recorded invalid answer (providers.md, S10) for the same number.
    let india = ok("895767133", "IN");
    assert_eq!(
        (india.valid, india.region, india.kind),
        (false, Some("IN"), PhoneKind::Unknown)
    );
    assert_eq!(india.e164, "+91895767133", "recorded e164");
    assert_eq!(
        india.international, "+91 895767133",
        "recorded international_number"
    );
    assert_eq!(india.national, "895767133", "recorded local_number");
}

#[test]
fn impossible_numbers_are_errors() {
    let cases = [
        ("", "US", PhoneError::Empty, "empty"),
        ("   ", "US", PhoneError::Empty, "spaces"),
        ("hello", "US", PhoneError::NotANumber, "words"),
        (
            "555-0100",
            "US",
            PhoneError::TooShort,
            "7 digits: local only",
        ),
        ("202-456-111", "US", PhoneError::TooShort, "9 digits"),
        ("12", "US", PhoneError::TooShort, "two digits"),
        ("202-456-11111", "US", PhoneError::TooLong, "11 digits"),
        (
            "123-456-7890",
            "US",
            PhoneError::Impossible,
            "area code starting with 1",
        ),
        (
            "023-456-7890",
            "US",
            PhoneError::Impossible,
            "area code starting with 0",
        ),
        (
            "202-056-1111",
            "US",
            PhoneError::Impossible,
            "exchange starting with 0",
        ),
        (
            "411-456-1111",
            "US",
            PhoneError::Impossible,
            "N11 service code as area code",
        ),
        (
            "+999 1234 5678",
            "US",
            PhoneError::InvalidCountryCode,
            "no such country code",
        ),
        (
            "2024561111",
            "",
            PhoneError::InvalidCountryCode,
            "no region, no +",
        ),
        (
            "2024561111",
            "ZZ",
            PhoneError::InvalidCountryCode,
            "unknown region",
        ),
        (
            "+1 202 456 1111 2222 3333",
            "US",
            PhoneError::TooLong,
            "extra digits",
        ),
    ];
    for (input, region, expected, why) in cases {
        assert_eq!(
            analyze(input, region),
            Err(expected),
            "{why}: {input:?} ({region})"
        );
    }
    let long = "1".repeat(65);
    assert_eq!(
        analyze(&long, "US"),
        Err(PhoneError::TooLong),
        "over 64 chars"
    );
}

#[test]
fn kinds_use_veriphone_wire_names() {
    let cases = [
        (PhoneKind::Mobile, "mobile"),
        (PhoneKind::FixedLine, "fixed_line"),
        (PhoneKind::FixedLineOrMobile, "fixed_line_or_mobile"),
        (PhoneKind::TollFree, "toll_free"),
        (PhoneKind::PremiumRate, "premium_rate"),
        (PhoneKind::SharedCost, "shared_cost"),
        (PhoneKind::Voip, "voip"),
        (PhoneKind::PersonalNumber, "personal_number"),
        (PhoneKind::Pager, "pager"),
        (PhoneKind::Uan, "uan"),
        (PhoneKind::Voicemail, "voicemail"),
        (PhoneKind::Unknown, "unknown"),
    ];
    for (kind, wire) in cases {
        assert_eq!(kind.wire_name(), wire, "{kind:?}");
    }
}

#[test]
fn the_forms_e164_agrees_with_the_full_analysis() {
    // The sign-up form uses the cheap path, the sandbox the full one: they must never differ
    // on what is a number or on its E.164 form.
    let inputs = [
        "(202) 456-1111",
        "1-800-FLOWERS",
        "+44 20 7946 0958",
        "+1 273 555 0100",
        "202-456-1111 ext. 12",
        "555-0100",
        "123-456-7890",
        "hello",
        "",
        "+999 1234",
        "202-456-11111",
        "+800 1234 5678",
    ];
    for input in inputs {
        assert_eq!(
            e164(input, "US"),
            analyze(input, "US").map(|facts| facts.e164),
            "{input:?}"
        );
    }
}
