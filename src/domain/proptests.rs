//! Parsing a submission, whatever was posted: it never panics, a hidden character anywhere
//! in a field is always caught, and so is a value over its field's limit.

use proptest::prelude::*;
use proptest::test_runner::Config;

use super::address::AddressInput;
use super::field::{Field, Problem};
use super::form::{RawForm, Submission};
use super::text::is_hidden;

/// The local problem of `field` in `sub`, if it has one.
fn problem(sub: &Submission, field: Field) -> Option<Problem> {
    match field {
        Field::FirstName => sub.first_name.as_ref().err().copied(),
        Field::LastName => sub.last_name.as_ref().err().copied(),
        Field::Email => sub.email.as_ref().err().map(|flaw| flaw.problem),
        Field::PhoneNumber => sub.phone.as_ref().err().map(|flaw| flaw.problem),
        _ => match &sub.address {
            AddressInput::Complete(_) => None,
            AddressInput::Incomplete { problems, .. } => {
                let flaw = problems.iter().find(|(f, _)| *f == field);
                flaw.map(|(_, flaw)| flaw.problem)
            }
        },
    }
}

/// The tutorial's valid form.
fn valid() -> RawForm {
    RawForm {
        first_name: "Jane".into(),
        last_name: "Doe".into(),
        email: "jane.doe@example.com".into(),
        phone_number: "(202) 456-1111".into(),
        address: "2600 Pearl St".into(),
        address2: "Apt 2".into(),
        city: "Boulder".into(),
        state: "CO".into(),
        zip: "80302".into(),
    }
}

fn slot(raw: &mut RawForm, field: Field) -> &mut String {
    match field {
        Field::FirstName => &mut raw.first_name,
        Field::LastName => &mut raw.last_name,
        Field::Email => &mut raw.email,
        Field::PhoneNumber => &mut raw.phone_number,
        Field::Address => &mut raw.address,
        Field::Address2 => &mut raw.address2,
        Field::City => &mut raw.city,
        Field::State => &mut raw.state,
        Field::Zip => &mut raw.zip,
    }
}

fn any_field() -> impl Strategy<Value = Field> {
    prop::sample::select(Field::ALL.to_vec())
}

/// Text of every kind, hidden characters included, up to a few KiB.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,300}",
        ".{0,4000}",
        "[\\u{0}-\\u{2f}\\u{200b}-\\u{206f}a-z0-9 ]{0,40}"
    ]
}

/// Controls and format characters, except the whitespace ones trimming removes at the ends.
fn hidden_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::char::range('\u{0}', '\u{1f}'),
        prop::char::range('\u{7f}', '\u{9f}'),
        Just('\u{ad}'),
        prop::char::range('\u{600}', '\u{605}'),
        prop::char::range('\u{200b}', '\u{200f}'),
        prop::char::range('\u{202a}', '\u{202e}'),
        prop::char::range('\u{2060}', '\u{206f}'),
        Just('\u{feff}'),
        prop::char::range('\u{e0001}', '\u{e007f}'),
    ]
    .prop_filter("a hidden character", |c| {
        is_hidden(*c) && !c.is_whitespace()
    })
}

proptest! {
    #![proptest_config(Config { failure_persistence: None, cases: 256, ..Config::default() })]

    #[test]
    fn any_nine_values_parse_without_panicking(values in prop::array::uniform9(text())) {
        let mut raw = RawForm::default();
        for (field, value) in Field::ALL.into_iter().zip(values) {
            *slot(&mut raw, field) = value;
        }
        let _ = Submission::parse(&raw);
    }

    #[test]
    fn a_hidden_character_anywhere_is_caught(
        field in any_field(),
        hidden in hidden_char(),
        at in any::<prop::sample::Index>(),
    ) {
        let mut raw = valid();
        let value = slot(&mut raw, field);
        let boundaries: Vec<usize> = (0..=value.len()).filter(|i| value.is_char_boundary(*i)).collect();
        value.insert(*at.get(&boundaries), hidden);
        prop_assert_eq!(problem(&Submission::parse(&raw), field), Some(Problem::Hidden));
    }

    #[test]
    fn a_value_over_its_limit_is_caught(field in any_field(), extra in 1usize..300, fill in "[a-zé]") {
        let Some(max) = field.max_chars() else { return Ok(()) };
        let mut raw = valid();
        let value = slot(&mut raw, field);
        // The valid values are all well under their limits.
        let missing = max + extra - value.chars().count();
        value.push_str(&fill.repeat(missing));
        prop_assert_eq!(problem(&Submission::parse(&raw), field), Some(Problem::TooLong));
    }
}
