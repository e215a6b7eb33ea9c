//! A real verdict on a typed address, in Lob's shape, from [`vouch_offline::address::assess`].
//!
//! Deliverable: components standardised (upper case, USPS abbreviations), city and state from
//! the ZIP table, DPV `Y` with footnotes `AA` `BB`. Undeliverable: footnote `A1`, and the
//! components a client compares with its input (providers.md §2.9): when the ZIP exists they
//! hold the table's state and ZIP, and its city unless the typed one is accepted, so a ZIP of
//! another state or a wrong city shows as a difference; for an unknown ZIP they echo the input.
//!
//! Fields that need USPS data the sandbox does not have (county, carrier route, coordinates,
//! the ZIP+4 unless typed, address type) are `""` or `null`, as Lob sends when it cannot tell.

use super::request::Fields;
use super::unit;
use super::wire::{Analysis, Components, Confidence, UsVerification};
use vouch_offline::address::{self, TypedAddress};
use vouch_offline::states::UsState;
use vouch_offline::zip::ZipCode;
use vouch_offline::zip::ZipKind;

/// Verifies the component form. Same fields in, same answer out (the `id` too).
pub(crate) fn verify(fields: &Fields) -> UsVerification {
    fn text(f: &Option<String>) -> &str {
        f.as_deref().unwrap_or("")
    }
    let typed_zip = text(&fields.zip_code);
    let input = TypedAddress {
        primary_line: text(&fields.primary_line),
        secondary_line: text(&fields.secondary_line),
        city: text(&fields.city),
        state: text(&fields.state),
        zip_code: typed_zip,
    };
    let verdict = address::assess(&input);
    let deliverable = verdict.deliverable();
    let record = verdict.zip;
    let upper = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_uppercase()
    };

    let mut c = Components {
        city: match record {
            // The ZIP's own city wherever the typed one is not among its names (Lob matches
            // on the ZIP), whether or not the verdict blames the city for it.
            Some(r) if !r.city_matches(input.city) => r.city.to_uppercase(),
            _ => upper(input.city),
        },
        state: match record {
            Some(r) => r.state.to_owned(),
            None => UsState::from_code_or_name(input.state)
                .map_or_else(|| upper(input.state), |s| s.code().to_owned()),
        },
        zip_code: record.map_or_else(
            || ZipCode::parse(typed_zip).map_or_else(String::new, |z| z.five().to_owned()),
            |r| r.zip.into(),
        ),
        zip_code_type: record.map_or("", |r| r.kind.wire_name()),
        ..Components::default()
    };
    let po_box = match &verdict.street {
        Some(street) => {
            c.primary_number.clone_from(&street.primary_number);
            c.street_predirection.clone_from(&street.predirection);
            c.street_name.clone_from(&street.street_name);
            c.street_suffix.clone_from(&street.suffix);
            c.street_postdirection.clone_from(&street.postdirection);
            street.po_box
        }
        None => false,
    };
    if let Some(unit) = unit::find(input.primary_line, input.secondary_line).filter(|_| !po_box) {
        c.secondary_designator = unit.designator;
        c.secondary_number = unit.number;
    }

    let mut answer = if deliverable {
        c.zip_code_plus_4 = plus_4(typed_zip).to_owned();
        c.delivery_point_barcode = c.barcode();
        c.record_type = if po_box {
            "po_box"
        } else if c.secondary_designator.is_empty() {
            "street"
        } else {
            "highrise"
        };
        c.carrier_route_type = if po_box { "po_box" } else { "" };
        c.po_box_only_flag = if record.is_some_and(|r| r.kind == ZipKind::PoBox) {
            "Y"
        } else {
            "N"
        };
        let mut answer = UsVerification::new(id(fields), "deliverable", c);
        answer.deliverability_analysis = Analysis::matched("Y", &["AA", "BB"]);
        answer.lob_confidence_score = Some(Confidence {
            score: Some(100),
            level: "high",
        });
        answer
    } else {
        let mut answer = UsVerification::new(id(fields), "undeliverable", c);
        if verdict.street.is_none() {
            // Nothing parsed: echo the line as typed rather than an empty one.
            answer.primary_line = upper(input.primary_line);
        }
        answer.lob_confidence_score = Some(Confidence {
            score: None,
            level: "",
        });
        answer
    };
    answer.recipient = fields.recipient.as_deref().map(upper);
    answer.urbanization = upper(text(&fields.urbanization));
    answer
}

/// The `+4` of a typed `12345-6789` or `123456789`, else `""`.
fn plus_4(zip_code: &str) -> &str {
    let digits: &str = zip_code.trim();
    let tail = digits.get(digits.len().saturating_sub(4)..).unwrap_or("");
    match digits.len() {
        9 | 10 if tail.bytes().all(|b| b.is_ascii_digit()) => tail,
        _ => "",
    }
}

/// `us_ver_` + a stable hash (64-bit FNV-1a) of the fields, so a repeated request gets the
/// same id in every run and build (std's hasher promises neither).
fn id(fields: &Fields) -> String {
    let parts = [
        &fields.recipient,
        &fields.primary_line,
        &fields.secondary_line,
        &fields.urbanization,
        &fields.city,
        &fields.state,
        &fields.zip_code,
    ];
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part
            .as_deref()
            .unwrap_or("")
            .to_lowercase()
            .bytes()
            .chain([0xff])
        {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("us_ver_{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str, city: &str, state: &str, zip: &str) -> Fields {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        Fields {
            primary_line: some(line),
            city: some(city),
            state: some(state),
            zip_code: some(zip),
            ..Fields::default()
        }
    }

    #[test]
    fn a_good_address_is_deliverable_and_standardised() {
        let answer = verify(&fields("2600 pearl street", "boulder", "co", "80302-1234"));
        assert_eq!(answer.deliverability, "deliverable");
        assert_eq!(answer.primary_line, "2600 PEARL ST");
        assert_eq!(answer.last_line, "BOULDER CO 80302-1234");
        assert_eq!(answer.components.zip_code_type, "standard");
        assert_eq!(answer.components.delivery_point_barcode.len(), 12);
        assert_eq!(answer.deliverability_analysis.dpv_footnotes, ["AA", "BB"]);
        assert!(answer.valid_address);
    }

    #[test]
    fn a_zip_of_another_state_shows_the_tables_place() {
        let answer = verify(&fields("1600 Huron Pkwy", "Detroit", "MI", "12345"));
        assert_eq!(answer.deliverability, "undeliverable");
        let c = &answer.components;
        assert_eq!(
            (c.city.as_str(), c.state.as_str(), c.zip_code.as_str()),
            ("SCHENECTADY", "NY", "12345")
        );
        assert_eq!(answer.deliverability_analysis.dpv_footnotes, ["A1"]);
    }

    #[test]
    fn an_unknown_zip_echoes_the_input() {
        let answer = verify(&fields("1 Main St", "Springfield", "Illinois", "00000"));
        assert_eq!(answer.deliverability, "undeliverable");
        let c = &answer.components;
        assert_eq!(
            (c.city.as_str(), c.state.as_str(), c.zip_code.as_str()),
            ("SPRINGFIELD", "IL", "00000")
        );
    }

    #[test]
    fn units_and_ids_are_stable() {
        let f = fields("185 Berry St Ste 6100", "San Francisco", "CA", "94107");
        let answer = verify(&f);
        assert_eq!(answer.deliverability, "deliverable");
        assert_eq!(answer.primary_line, "185 BERRY ST STE 6100");
        assert_eq!(answer.components.record_type, "highrise");
        assert_eq!(answer.id, verify(&f).id);
        assert_ne!(
            answer.id,
            verify(&fields("185 Berry St", "San Francisco", "CA", "94107")).id
        );
        assert!(answer.id.starts_with("us_ver_"));
    }
}
