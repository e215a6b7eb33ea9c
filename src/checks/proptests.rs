//! The three provider-answer readers against anything a provider (or a man in the middle)
//! could send: they never panic, and each well-formed answer maps to the verdict it states.

use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Value, json};

use super::lob::Deliverability;
use super::provider::ProviderError;
use super::{eva, lob, veriphone};

/// Any JSON value, nested a few levels, with the keys the readers look for mixed in.
fn any_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("status".to_owned()),
        Just("data".to_owned()),
        Just("deliverability".to_owned()),
        Just("components".to_owned()),
        Just("phone_valid".to_owned()),
        "[a-z_]{0,12}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        prop_oneof![
            Just("success".to_owned()),
            Just("deliverable".to_owned()),
            ".{0,20}"
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::from),
            prop::collection::btree_map(key.clone(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn read_all(body: &[u8]) {
    let _ = eva::read_reply(body);
    let _ = lob::read_reply(body);
    let _ = veriphone::read_reply(body);
}

fn config() -> Config {
    Config {
        failure_persistence: None,
        cases: 512,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn readers_never_panic_on_any_bytes(body in prop::collection::vec(any::<u8>(), 0..2048)) {
        read_all(&body);
    }

    #[test]
    fn readers_never_panic_on_any_json(value in any_json()) {
        read_all(value.to_string().as_bytes());
    }

    #[test]
    fn eva_accepts_only_valid_deliverable_lasting_addresses(
        valid_syntax: bool, deliverable: bool, disposable: bool, extra in any_json(),
    ) {
        let body = json!({"status": "success", "extra": extra, "data": {
            "valid_syntax": valid_syntax, "deliverable": deliverable, "disposable": disposable}});
        let answer = eva::read_reply(body.to_string().as_bytes());
        prop_assert_eq!(answer.map(|a| a.acceptable), Ok(valid_syntax && deliverable && !disposable));
    }

    #[test]
    fn veriphone_says_what_phone_valid_says(valid: bool, status in ".{0,12}") {
        let body = json!({"status": "success", "phone_valid": valid}).to_string();
        prop_assert_eq!(veriphone::read_reply(body.as_bytes()).map(|a| a.valid), Ok(valid));
        let other = json!({"status": status, "phone_valid": valid}).to_string();
        let got = veriphone::read_reply(other.as_bytes());
        let expected = match status.as_str() {
            "success" => Ok(valid),
            "syntax-error" => Ok(false),
            _ => Err(ProviderError::Malformed),
        };
        prop_assert_eq!(got.map(|a| a.valid), expected);
    }

    #[test]
    fn lob_knows_only_its_documented_deliverabilities(
        word in prop_oneof![
            Just("deliverable".to_owned()),
            Just("deliverable_missing_unit".to_owned()),
            Just("undeliverable".to_owned()),
            "[a-z_]{0,30}",
        ],
        city in ".{0,20}",
    ) {
        let known = [
            ("deliverable", Deliverability::Deliverable),
            ("deliverable_unnecessary_unit", Deliverability::DeliverableUnnecessaryUnit),
            ("deliverable_incorrect_unit", Deliverability::DeliverableIncorrectUnit),
            ("deliverable_missing_unit", Deliverability::DeliverableMissingUnit),
            ("undeliverable", Deliverability::Undeliverable),
        ];
        let body = json!({"deliverability": word, "components": {"city": city}}).to_string();
        let got = lob::read_reply(body.as_bytes());
        match known.iter().find(|(w, _)| *w == word) {
            Some((_, d)) => {
                let answer = got.map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(answer.deliverability, *d);
                prop_assert_eq!(answer.city, city);
            }
            None => prop_assert_eq!(got, Err(ProviderError::Malformed)),
        }
    }
}
