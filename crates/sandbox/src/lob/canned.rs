//! Lob's test-environment magic values (providers.md §2.7): a `primary_line` (or single-line
//! `address`) such as `missing unit` gets a fixed answer of that kind, whatever the key, so
//! Lob's own SDK tests and vouch's client tests can reach every `deliverability` value.
//!
//! Matching is trimmed and case-insensitive. A bare `undeliverable` (used by Lob's Node SDK
//! tests, not in Lob's table) answers like `undeliverable no match`. The `po box` answer is
//! Lob's published example; the other addresses are invented, in the documented shapes.

use super::wire::{Analysis, Components, UsVerification};

/// What Lob puts in `recipient` of every test-key answer.
const TEST_RECIPIENT: &str = "TEST KEYS DO NOT VERIFY ADDRESSES";

/// One canned answer, written as the fields that differ from [`BASE`].
struct Canned {
    magic: &'static str,
    deliverability: &'static str,
    number: &'static str,
    street: &'static str,
    suffix: &'static str,
    unit: (&'static str, &'static str),
    extra_unit: (&'static str, &'static str),
    urbanization: &'static str,
    city: &'static str,
    state: &'static str,
    zip: (&'static str, &'static str),
    zip_type: &'static str,
    address_type: &'static str,
    record_type: &'static str,
    default_building: bool,
    route_type: &'static str,
    dpv: &'static str,
    footnotes: &'static [&'static str],
}

const BASE: Canned = Canned {
    magic: "",
    deliverability: "deliverable",
    number: "",
    street: "",
    suffix: "",
    unit: ("", ""),
    extra_unit: ("", ""),
    urbanization: "",
    city: "SAN FRANCISCO",
    state: "CA",
    zip: ("94107", "1728"),
    zip_type: "standard",
    address_type: "residential",
    record_type: "street",
    default_building: false,
    route_type: "city_delivery",
    dpv: "Y",
    footnotes: &["AA", "BB"],
};

const HIGHRISE: Canned = Canned {
    number: "185",
    street: "BERRY",
    suffix: "ST",
    unit: ("STE", "6100"),
    address_type: "commercial",
    record_type: "highrise",
    ..BASE
};

const HOUSE: Canned = Canned {
    number: "1459",
    street: "LA PLAYA",
    suffix: "ST",
    zip: ("94122", "1031"),
    ..BASE
};

const NO_MATCH: Canned = Canned {
    magic: "undeliverable no match",
    deliverability: "undeliverable",
    number: "1",
    street: "NOWHERE",
    suffix: "RD",
    zip: ("11111", ""),
    zip_type: "",
    address_type: "",
    record_type: "",
    route_type: "",
    dpv: "",
    footnotes: &["A1"],
    ..BASE
};

const TABLE: [Canned; 15] = [
    Canned {
        magic: "commercial highrise",
        ..HIGHRISE
    },
    Canned {
        magic: "residential highrise",
        number: "1000",
        street: "CHESTNUT",
        unit: ("APT", "805"),
        zip: ("94109", "1216"),
        address_type: "residential",
        ..HIGHRISE
    },
    Canned {
        magic: "residential house",
        ..HOUSE
    },
    Canned {
        magic: "po box",
        number: "720114",
        street: "PO BOX",
        zip: ("94172", "0114"),
        zip_type: "po_box",
        record_type: "po_box",
        route_type: "po_box",
        ..BASE
    },
    Canned {
        magic: "rural route",
        number: "47",
        street: "RR 2 BOX",
        city: "MONTROSE",
        state: "CO",
        zip: ("81401", "9802"),
        record_type: "rural_route",
        route_type: "rural_route",
        ..BASE
    },
    Canned {
        magic: "puerto rico",
        number: "150",
        street: "CALLE A",
        urbanization: "URB LAS GLADIOLAS",
        city: "SAN JUAN",
        state: "PR",
        zip: ("00926", "3232"),
        ..BASE
    },
    Canned {
        magic: "military",
        number: "4190",
        street: "UNIT 2050 BOX",
        city: "APO",
        state: "AP",
        zip: ("96278", "2050"),
        zip_type: "military",
        footnotes: &["AA", "BB", "F1"],
        ..BASE
    },
    Canned {
        magic: "department of state",
        number: "9900",
        street: "PARIS",
        suffix: "PL",
        city: "DPO",
        state: "AE",
        zip: ("09777", "9900"),
        zip_type: "military",
        footnotes: &["AA", "BB", "F1"],
        ..BASE
    },
    Canned {
        magic: "deliverable",
        ..HOUSE
    },
    Canned {
        magic: "missing unit",
        deliverability: "deliverable_missing_unit",
        unit: ("", ""),
        default_building: true,
        dpv: "D",
        footnotes: &["AA", "N1"],
        ..HIGHRISE
    },
    Canned {
        magic: "incorrect unit",
        deliverability: "deliverable_incorrect_unit",
        unit: ("STE", "9999"),
        default_building: true,
        dpv: "S",
        footnotes: &["AA", "CC"],
        ..HIGHRISE
    },
    Canned {
        magic: "unnecessary unit",
        deliverability: "deliverable_unnecessary_unit",
        extra_unit: ("APT", "2"),
        dpv: "S",
        footnotes: &["AA", "CC"],
        ..HOUSE
    },
    Canned {
        magic: "undeliverable block match",
        deliverability: "undeliverable",
        number: "9999",
        dpv: "N",
        footnotes: &["AA", "M3"],
        zip: ("94122", ""),
        ..HOUSE
    },
    NO_MATCH,
    Canned {
        magic: "undeliverable",
        ..NO_MATCH
    },
];

/// The canned answer for a magic street line, if `line` is one.
pub(crate) fn lookup(line: &str) -> Option<UsVerification> {
    let line = line.trim();
    TABLE
        .iter()
        .find(|c| c.magic.eq_ignore_ascii_case(line))
        .map(Canned::answer)
}

impl Canned {
    fn answer(&self) -> UsVerification {
        let deliverable = self.deliverability != "undeliverable";
        let mut components = Components {
            primary_number: self.number.into(),
            street_name: self.street.into(),
            street_suffix: self.suffix.into(),
            secondary_designator: self.unit.0.into(),
            secondary_number: self.unit.1.into(),
            extra_secondary_designator: self.extra_unit.0.into(),
            extra_secondary_number: self.extra_unit.1.into(),
            city: self.city.into(),
            state: self.state.into(),
            zip_code: self.zip.0.into(),
            zip_code_plus_4: self.zip.1.into(),
            zip_code_type: self.zip_type,
            address_type: self.address_type,
            record_type: self.record_type,
            default_building_address: self.default_building,
            carrier_route_type: self.route_type,
            po_box_only_flag: if !deliverable {
                ""
            } else if self.zip_type == "po_box" {
                "Y"
            } else {
                "N"
            },
            ..Components::default()
        };
        components.delivery_point_barcode = components.barcode();
        let id = format!("us_ver_{}", self.magic.replace(' ', "_"));
        let mut answer = UsVerification::new(id, self.deliverability, components);
        answer.recipient = Some(TEST_RECIPIENT.into());
        answer.urbanization = self.urbanization.into();
        if !self.dpv.is_empty() {
            answer.deliverability_analysis = Analysis::matched(self.dpv, self.footnotes);
        }
        answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_magic_value_answers_its_deliverability() {
        let cases = [
            ("deliverable", "deliverable"),
            (" Commercial Highrise ", "deliverable"),
            ("PO BOX", "deliverable"),
            ("missing unit", "deliverable_missing_unit"),
            ("incorrect unit", "deliverable_incorrect_unit"),
            ("unnecessary unit", "deliverable_unnecessary_unit"),
            ("undeliverable block match", "undeliverable"),
            ("undeliverable no match", "undeliverable"),
            ("UNDELIVERABLE", "undeliverable"),
        ];
        for (magic, want) in cases {
            let answer = lookup(magic).unwrap_or_else(|| panic!("{magic:?} is magic"));
            assert_eq!(answer.deliverability, want, "{magic:?}");
            assert_eq!(answer.recipient.as_deref(), Some(TEST_RECIPIENT));
        }
        assert!(lookup("185 Berry St").is_none());
    }

    #[test]
    fn po_box_matches_lobs_published_example() {
        let answer = lookup("po box").expect("magic");
        assert_eq!(answer.id, "us_ver_po_box");
        assert_eq!(answer.primary_line, "PO BOX 720114");
        assert_eq!(answer.last_line, "SAN FRANCISCO CA 94172-0114");
        assert_eq!(answer.components.zip_code_type, "po_box");
        assert_eq!(answer.components.record_type, "po_box");
        assert_eq!(answer.deliverability_analysis.dpv_footnotes, ["AA", "BB"]);
        assert!(answer.lob_confidence_score.is_none());
    }

    #[test]
    fn every_table_entry_has_a_unique_magic_value() {
        let mut seen: Vec<&str> = TABLE.iter().map(|c| c.magic).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), TABLE.len());
    }
}
