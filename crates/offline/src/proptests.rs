//! No input, however odd or long, makes an offline check panic.

use proptest::prelude::*;
use proptest::test_runner::Config;

use super::address::{TypedAddress, assess, parse_street};
use super::zip::ZipCode;
use super::{email, phone};

/// Any Unicode text up to 10 KB, or text built from characters the parsers treat specially.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,10240}",
        "[0-9+()#@. -]{0,80}",
        "[a-zA-Z0-9@.\"\\[\\]+_-]{0,300}",
        "[0-9]{1,6} [A-Za-z ]{0,40}(Apt|#|Ste|Box)? ?[0-9]{0,4}",
        "(P\\.?O\\.? ?Box|RR [0-9] Box) ?[0-9#]{0,6}",
    ]
}

fn config() -> Config {
    // No regression file: the lib has no `tests/` directory for proptest to find, and inputs
    // that failed are pinned as table cases beside the code instead.
    Config {
        failure_persistence: None,
        cases: 256,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn email_analyze_never_panics(input in text()) {
        let _ = email::analyze(&input);
    }

    #[test]
    fn phone_analyze_never_panics(input in text(), region in "[A-Za-z0-9]{0,3}") {
        let _ = phone::analyze(&input, &region);
        let _ = phone::analyze(&input, "US");
    }

    #[test]
    fn zip_parse_never_panics_and_reads_every_zip_shape(
        input in text(),
        five in "[0-9]{5}",
        four in "[0-9]{4}",
        sep in prop_oneof![Just(""), Just("-")],
    ) {
        let _ = ZipCode::parse(&input);
        let plus4 = ZipCode::parse(&format!(" {five}{sep}{four} "));
        let canonical = format!("{five}-{four}");
        prop_assert_eq!(plus4.as_ref().map(ZipCode::full), Some(canonical.as_str()));
        let plain = ZipCode::parse(&five);
        prop_assert_eq!(plain.as_ref().map(ZipCode::five), Some(five.as_str()));
    }

    #[test]
    fn parse_street_never_panics(input in text()) {
        let _ = parse_street(&input);
    }

    #[test]
    fn assess_never_panics(
        primary_line in text(),
        secondary_line in text(),
        city in text(),
        state in "\\PC{0,4}",
        zip_code in prop_oneof!["[0-9-]{0,11}", text()],
    ) {
        let input = TypedAddress {
            primary_line: &primary_line,
            secondary_line: &secondary_line,
            city: &city,
            state: &state,
            zip_code: &zip_code,
        };
        let verdict = assess(&input);
        prop_assert_eq!(verdict.deliverable(), !verdict.faults.any());
    }

    #[test]
    fn valid_emails_normalise_idempotently(input in "[a-z0-9._+-]{1,20}@[a-z0-9-]{1,20}\\.(com|org|xn--p1ai)") {
        if let Ok(facts) = email::analyze(&input) {
            let again = email::analyze(&facts.address);
            prop_assert_eq!(again.map(|f| f.address), Ok(facts.address));
        }
    }
}
