//! Lob's `us_verification` object as it goes on the wire (providers.md §2.2–2.4), and the
//! derived lines (`primary_line`, `last_line`) built from its components.

use serde::Serialize;

/// The answer to one verification. Field order follows Lob's examples.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct UsVerification {
    pub(crate) id: String,
    pub(crate) recipient: Option<String>,
    pub(crate) primary_line: String,
    pub(crate) secondary_line: String,
    pub(crate) urbanization: String,
    pub(crate) last_line: String,
    pub(crate) deliverability: &'static str,
    pub(crate) valid_address: bool,
    pub(crate) components: Components,
    pub(crate) deliverability_analysis: Analysis,
    /// Absent from test-key (canned) answers, as in Lob's own examples.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) lob_confidence_score: Option<Confidence>,
    pub(crate) object: &'static str,
}

impl UsVerification {
    /// Fills the derived lines from the components (upper case, Lob's default).
    pub(crate) fn new(id: String, deliverability: &'static str, components: Components) -> Self {
        Self {
            id,
            recipient: None,
            primary_line: components.primary_line(),
            secondary_line: String::new(),
            urbanization: String::new(),
            last_line: components.last_line(),
            deliverability,
            valid_address: deliverability != "undeliverable",
            deliverability_analysis: Analysis::no_match(),
            components,
            lob_confidence_score: None,
            object: "us_verification",
        }
    }

    /// `case=proper`: Lob title-cases only these lines; components stay upper case.
    pub(crate) fn into_proper_case(mut self) -> Self {
        self.primary_line = proper_case(&self.primary_line);
        self.secondary_line = proper_case(&self.secondary_line);
        self.urbanization = proper_case(&self.urbanization);
        self.recipient = self.recipient.map(|r| proper_case(&r));
        let c = &self.components;
        self.last_line = join(&[&proper_case(&c.city), &c.state, &c.zip_with_plus_4()]);
        self
    }
}

/// `components` (§2.3). Strings are `""` when not applicable.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Components {
    pub(crate) primary_number: String,
    pub(crate) street_predirection: String,
    pub(crate) street_name: String,
    pub(crate) street_suffix: String,
    pub(crate) street_postdirection: String,
    pub(crate) secondary_designator: String,
    pub(crate) secondary_number: String,
    pub(crate) pmb_designator: String,
    pub(crate) pmb_number: String,
    pub(crate) extra_secondary_designator: String,
    pub(crate) extra_secondary_number: String,
    pub(crate) city: String,
    pub(crate) state: String,
    pub(crate) zip_code: String,
    pub(crate) zip_code_plus_4: String,
    pub(crate) zip_code_type: &'static str,
    pub(crate) delivery_point_barcode: String,
    pub(crate) address_type: &'static str,
    pub(crate) record_type: &'static str,
    pub(crate) default_building_address: bool,
    pub(crate) county: String,
    pub(crate) county_fips: String,
    pub(crate) carrier_route: String,
    pub(crate) carrier_route_type: &'static str,
    pub(crate) po_box_only_flag: &'static str,
    pub(crate) latitude: Option<f64>,
    pub(crate) longitude: Option<f64>,
}

impl Components {
    /// Number, directions, name, suffix, unit, PMB; a box (`PO BOX`, `RR 2 BOX`) puts its
    /// number after the name.
    pub(crate) fn primary_line(&self) -> String {
        let boxed = self.street_name.ends_with("BOX");
        let (first, second) = if boxed {
            (&self.street_name, &self.primary_number)
        } else {
            (&self.primary_number, &self.street_predirection)
        };
        let street = if boxed { "" } else { self.street_name.as_str() };
        join(&[
            first,
            second,
            street,
            &self.street_suffix,
            &self.street_postdirection,
            &self.secondary_designator,
            &self.secondary_number,
            &self.pmb_designator,
            &self.pmb_number,
        ])
    }

    /// `CITY ST 12345-6789`.
    pub(crate) fn last_line(&self) -> String {
        join(&[&self.city, &self.state, &self.zip_with_plus_4()])
    }

    fn zip_with_plus_4(&self) -> String {
        if self.zip_code_plus_4.is_empty() {
            self.zip_code.clone()
        } else {
            format!("{}-{}", self.zip_code, self.zip_code_plus_4)
        }
    }

    /// The 12-digit delivery point barcode: ZIP, ZIP+4, a 2-digit delivery point (the last
    /// two digits of the primary number) and a check digit making the digit sum a multiple
    /// of 10. Empty without a ZIP+4.
    pub(crate) fn barcode(&self) -> String {
        if self.zip_code.len() != 5 || self.zip_code_plus_4.len() != 4 {
            return String::new();
        }
        let digits: String = self
            .primary_number
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        let point = format!("{:0>2}", &digits[digits.len().saturating_sub(2)..]);
        let body = format!("{}{}{point}", self.zip_code, self.zip_code_plus_4);
        let sum: u32 = body.chars().filter_map(|c| c.to_digit(10)).sum();
        format!("{body}{}", (10 - sum % 10) % 10)
    }
}

/// `deliverability_analysis` (§2.4).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Analysis {
    pub(crate) dpv_confirmation: &'static str,
    pub(crate) dpv_cmra: &'static str,
    pub(crate) dpv_vacant: &'static str,
    pub(crate) dpv_active: &'static str,
    pub(crate) dpv_inactive_reason: &'static str,
    pub(crate) dpv_throwback: &'static str,
    pub(crate) dpv_non_delivery_day_flag: &'static str,
    pub(crate) dpv_non_delivery_day_values: &'static str,
    pub(crate) dpv_no_secure_location: &'static str,
    pub(crate) dpv_door_not_accessible: &'static str,
    pub(crate) dpv_footnotes: Vec<&'static str>,
    pub(crate) ews_match: bool,
    pub(crate) lacs_indicator: &'static str,
    pub(crate) lacs_return_code: &'static str,
    pub(crate) suite_return_code: &'static str,
}

impl Analysis {
    /// A DPV match: `confirmation` is `Y`, `S`, `D` or `N`; the flags say "nothing unusual".
    pub(crate) fn matched(confirmation: &'static str, footnotes: &[&'static str]) -> Self {
        Self {
            dpv_confirmation: confirmation,
            dpv_cmra: "N",
            dpv_vacant: "N",
            dpv_active: if confirmation == "N" { "N" } else { "Y" },
            dpv_throwback: "N",
            dpv_non_delivery_day_flag: "N",
            dpv_no_secure_location: "N",
            dpv_door_not_accessible: "N",
            dpv_footnotes: footnotes.to_vec(),
            ..Self::no_match()
        }
    }

    /// No DPV match at all: every flag empty, footnote `A1`.
    pub(crate) fn no_match() -> Self {
        Self {
            dpv_confirmation: "",
            dpv_cmra: "",
            dpv_vacant: "",
            dpv_active: "",
            dpv_inactive_reason: "",
            dpv_throwback: "",
            dpv_non_delivery_day_flag: "",
            dpv_non_delivery_day_values: "",
            dpv_no_secure_location: "",
            dpv_door_not_accessible: "",
            dpv_footnotes: vec!["A1"],
            ews_match: false,
            lacs_indicator: "",
            lacs_return_code: "",
            suite_return_code: "",
        }
    }
}

/// `lob_confidence_score`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Confidence {
    pub(crate) score: Option<u8>,
    pub(crate) level: &'static str,
}

/// The non-empty parts, separated by single spaces.
pub(crate) fn join(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Title case, keeping directions, `PO` and state-like codes upper case.
fn proper_case(text: &str) -> String {
    const UPPER: [&str; 9] = ["N", "S", "E", "W", "NE", "NW", "SE", "SW", "PO"];
    let word = |w: &str| {
        if UPPER.contains(&w) || w.chars().any(|c| c.is_ascii_digit()) {
            return w.to_owned();
        }
        let mut chars = w.chars();
        chars.next().map_or_else(String::new, |first| {
            first
                .to_uppercase()
                .chain(chars.flat_map(char::to_lowercase))
                .collect()
        })
    };
    text.split(' ').map(word).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berry() -> Components {
        Components {
            primary_number: "185".into(),
            street_name: "BERRY".into(),
            street_suffix: "ST".into(),
            secondary_designator: "STE".into(),
            secondary_number: "6100".into(),
            city: "SAN FRANCISCO".into(),
            state: "CA".into(),
            zip_code: "94107".into(),
            zip_code_plus_4: "1728".into(),
            ..Components::default()
        }
    }

    #[test]
    fn lines_are_built_from_components() {
        let c = berry();
        assert_eq!(c.primary_line(), "185 BERRY ST STE 6100");
        assert_eq!(c.last_line(), "SAN FRANCISCO CA 94107-1728");
        let po = Components {
            primary_number: "720114".into(),
            street_name: "PO BOX".into(),
            ..Components::default()
        };
        assert_eq!(po.primary_line(), "PO BOX 720114");
    }

    #[test]
    fn barcode_has_a_valid_check_digit() {
        // Lob's published 941071728506 follows the same rule (digit sum 50); its delivery
        // point `50` comes from USPS data the sandbox lacks, so ours is `85`.
        let digit_sum = |s: &str| s.chars().filter_map(|c| c.to_digit(10)).sum::<u32>();
        assert_eq!(digit_sum("941071728506") % 10, 0);
        assert_eq!(berry().barcode(), "941071728858");
        assert_eq!(digit_sum(&berry().barcode()) % 10, 0);
        assert_eq!(
            Components {
                zip_code_plus_4: String::new(),
                ..berry()
            }
            .barcode(),
            ""
        );
    }

    #[test]
    fn proper_case_touches_only_the_lines() {
        let answer =
            UsVerification::new("us_ver_x".into(), "deliverable", berry()).into_proper_case();
        assert_eq!(answer.primary_line, "185 Berry St Ste 6100");
        assert_eq!(answer.last_line, "San Francisco CA 94107-1728");
        assert_eq!(answer.components.city, "SAN FRANCISCO");
    }
}
