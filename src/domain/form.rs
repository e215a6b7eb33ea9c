//! The form as posted (nine strings) and the submission it parses into, once.

use serde::Deserialize;

use super::address::AddressInput;
use super::email::EmailAddress;
use super::field::{Field, Flaw, Problem};
use super::name::PersonName;
use super::phone::PhoneNumber;

/// The nine fields exactly as posted; a missing key is an empty string. Also the JSON API's
/// request body, whose schema is derived from it.
#[derive(Clone, Default, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", default)]
#[schema(
    as = Form,
    description = "The sign-up form's nine fields, all strings; a missing key counts as empty.",
    example = json!({"firstName": "Jane", "lastName": "Doe", "email": "jane.doe@example.com",
        "phoneNumber": "(202) 456-1111", "address": "2600 Pearl St", "address2": "",
        "city": "Boulder", "state": "CO", "zip": "80302"})
)]
pub struct RawForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone_number: String,
    /// Street line: house number and street, or a PO Box.
    pub address: String,
    /// Apartment, suite or unit; optional.
    pub address2: String,
    pub city: String,
    /// Two-letter code of a state, DC or a territory on the form's list.
    pub state: String,
    /// `12345`, `12345-6789` or `123456789`.
    pub zip: String,
}

impl RawForm {
    /// The posted value of `field`, to re-render the form with what was typed.
    pub fn value(&self, field: Field) -> &str {
        match field {
            Field::FirstName => &self.first_name,
            Field::LastName => &self.last_name,
            Field::Email => &self.email,
            Field::PhoneNumber => &self.phone_number,
            Field::Address => &self.address,
            Field::Address2 => &self.address2,
            Field::City => &self.city,
            Field::State => &self.state,
            Field::Zip => &self.zip,
        }
    }
}

impl RawForm {
    /// The form from its posted name/value pairs, unknown names ignored. A repeated name keeps
    /// its last value: a button carrying a suggested value (`name="email" value="…"`) comes
    /// after its field, so pressing it sends the form with the suggestion in place.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> RawForm {
        let mut form = RawForm::default();
        for (name, value) in pairs {
            if let Some(field) = Field::ALL.into_iter().find(|f| f.wire_name() == name) {
                *form.value_mut(field) = value;
            }
        }
        form
    }

    fn value_mut(&mut self, field: Field) -> &mut String {
        match field {
            Field::FirstName => &mut self.first_name,
            Field::LastName => &mut self.last_name,
            Field::Email => &mut self.email,
            Field::PhoneNumber => &mut self.phone_number,
            Field::Address => &mut self.address,
            Field::Address2 => &mut self.address2,
            Field::City => &mut self.city,
            Field::State => &mut self.state,
            Field::Zip => &mut self.zip,
        }
    }
}

/// Personal data stays out of logs: `Debug` shows only which fields were filled.
impl std::fmt::Debug for RawForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let filled: Vec<_> = Field::ALL
            .into_iter()
            .filter(|field| !self.value(*field).trim().is_empty())
            .map(Field::wire_name)
            .collect();
        f.debug_struct("RawForm").field("filled", &filled).finish()
    }
}

/// A parsed submission: each field holds its value or its local problem, so one bad field
/// never hides the others and only skips its own provider check.
#[derive(Debug, Clone)]
pub struct Submission {
    pub first_name: Result<PersonName, Problem>,
    pub last_name: Result<PersonName, Problem>,
    pub email: Result<EmailAddress, Flaw>,
    pub phone: Result<PhoneNumber, Flaw>,
    pub address: AddressInput,
}

impl Submission {
    pub fn parse(raw: &RawForm) -> Submission {
        Submission {
            first_name: PersonName::parse(Field::FirstName, &raw.first_name),
            last_name: PersonName::parse(Field::LastName, &raw.last_name),
            email: EmailAddress::parse(&raw.email),
            phone: PhoneNumber::parse(&raw.phone_number),
            address: AddressInput::parse(
                &raw.address,
                &raw.address2,
                &raw.city,
                &raw.state,
                &raw.zip,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keys_are_the_tutorials_and_missing_keys_are_empty() {
        let raw: RawForm =
            serde_json::from_str(r#"{"firstName":"Jane","phoneNumber":"1","address2":"Apt 1"}"#)
                .unwrap();
        assert_eq!(
            (raw.first_name.as_str(), raw.phone_number.as_str()),
            ("Jane", "1")
        );
        assert_eq!((raw.address2.as_str(), raw.email.as_str()), ("Apt 1", ""));
    }

    #[test]
    fn a_repeated_name_keeps_its_last_value() {
        let pairs = [
            ("email", "jane@gmial.com"),
            ("city", "Boulder"),
            ("x", "y"),
            ("email", "jane@gmail.com"),
        ];
        let raw = RawForm::from_pairs(pairs.map(|(k, v)| (k.to_owned(), v.to_owned())));
        assert_eq!(
            (raw.email.as_str(), raw.city.as_str()),
            ("jane@gmail.com", "Boulder")
        );
    }

    #[test]
    fn debug_output_holds_no_personal_data() {
        let raw = RawForm {
            email: "jane@example.com".into(),
            phone_number: "2024561111".into(),
            ..RawForm::default()
        };
        let shown = format!("{raw:?}");
        assert!(
            !shown.contains("jane") && !shown.contains("2024561111"),
            "{shown}"
        );
        assert!(
            shown.contains("email") && shown.contains("phoneNumber"),
            "{shown}"
        );
    }
}
