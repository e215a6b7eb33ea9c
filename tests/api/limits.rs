//! What a field may hold: at most its limit in characters (after trimming), and no hidden
//! characters (Unicode Cc and Cf). Either way the field is invalid with the contract's
//! message, and its provider is never asked.

use serde_json::Value;

use crate::helpers::{TestApp, form_with, spawn_app, texts};
use crate::providers::to_json;

/// Every field, its label in messages, its limit, and a valid value to pad or spoil.
const FIELDS: [(&str, &str, Option<usize>, &str); 9] = [
    ("firstName", "First name", Some(100), "Jane"),
    ("lastName", "Last name", Some(100), "Doe"),
    ("email", "Email address", Some(254), "jane.doe@example.com"),
    ("phoneNumber", "Phone number", Some(32), "(202) 456-1111"),
    ("address", "Address", Some(100), "2600 Pearl St"),
    ("address2", "Address line 2", Some(100), "Apt 2"),
    ("city", "City", Some(64), "Boulder"),
    ("state", "State", None, "CO"),
    ("zip", "Zip", Some(10), "80302"),
];

/// The fields' JSON verdicts for the tutorial's form with `changes`.
async fn verdicts(app: &TestApp, changes: &[(&str, &str)]) -> Value {
    let json = app.validate("", &to_json(&form_with(changes))).await;
    json["fields"].clone()
}

/// `value` padded to `len` characters.
fn padded(value: &str, len: usize) -> String {
    let pad = len.saturating_sub(value.chars().count());
    format!("{value}{}", "x".repeat(pad))
}

#[tokio::test]
async fn a_value_over_its_limit_is_invalid_and_never_sent() {
    let app = spawn_app().await;
    app.expect_no_provider_calls().await;
    let long: Vec<(&str, String)> = FIELDS
        .iter()
        .filter_map(|(field, _, limit, value)| Some((*field, padded(value, (*limit)? + 1))))
        .collect();
    let changes: Vec<(&str, &str)> = long.iter().map(|(f, v)| (*f, v.as_str())).collect();
    let fields = verdicts(&app, &changes).await;
    for (field, label, limit, _) in FIELDS {
        let Some(limit) = limit else { continue };
        let message = format!("{label} must be {limit} characters or fewer.");
        assert_eq!(
            fields[field]["status"], "invalid",
            "{field}: {}",
            fields[field]
        );
        assert_eq!(fields[field]["message"], message.as_str(), "{field}");
    }
}

#[tokio::test]
async fn a_value_at_its_limit_is_not_refused_for_its_length() {
    let app = spawn_app().await;
    app.providers_all_pass(std::time::Duration::ZERO).await;
    for (field, _, limit, value) in FIELDS {
        let Some(limit) = limit else { continue };
        // Spaces around a value do not count.
        let at_limit = format!("  {}  ", padded(value, limit));
        let fields = verdicts(&app, &[(field, &at_limit)]).await;
        let message = fields[field]["message"].as_str().unwrap_or_default();
        assert!(
            !message.contains("characters or fewer"),
            "{field}: {}",
            fields[field]
        );
    }
}

#[tokio::test]
async fn hidden_characters_in_any_field_are_refused_and_never_sent() {
    let app = spawn_app().await;
    app.expect_no_provider_calls().await;
    for c in [
        '\u{202e}', '\u{200b}', '\u{200e}', '\u{feff}', '\u{0}', '\u{1b}',
    ] {
        let spoiled: Vec<(&str, String)> = FIELDS
            .iter()
            .map(|(field, _, _, value)| {
                let mut v = String::from(*value);
                v.insert(1, c);
                (*field, v)
            })
            .collect();
        let changes: Vec<(&str, &str)> = spoiled.iter().map(|(f, v)| (*f, v.as_str())).collect();
        let fields = verdicts(&app, &changes).await;
        for (field, label, _, _) in FIELDS {
            let message = format!("{label} contains hidden characters.");
            let got = &fields[field];
            assert_eq!(
                got["status"], "invalid",
                "{field} U+{:04X}: {got}",
                c as u32
            );
            assert_eq!(
                got["message"],
                message.as_str(),
                "{field} U+{:04X}",
                c as u32
            );
        }
    }
}

#[tokio::test]
async fn the_page_names_the_limit_and_the_hidden_characters() {
    let app = spawn_app().await;
    app.providers_all_pass(std::time::Duration::ZERO).await;
    let long = "B".repeat(65);
    let form = form_with(&[("city", long.as_str()), ("firstName", "Jane\u{202e}eoD")]);
    let resp = app.post_form("/async", &form).await;
    assert_eq!(resp.status(), 200);
    let errors = texts(&resp.text().await.unwrap(), ".error-summary a").join(" | ");
    assert!(
        errors.contains("City must be 64 characters or fewer."),
        "{errors}"
    );
    assert!(
        errors.contains("First name contains hidden characters."),
        "{errors}"
    );
}
