//! The secondary unit (`Ste 6100`, `Apt 4`, `# 5`) for Lob's `secondary_designator` and
//! `secondary_number`. The offline street parser drops a unit from the street line, since
//! nothing offline can judge it; Lob still reports it, so it is recovered here.

/// USPS Publication 28 designators: (accepted spellings, standard abbreviation, takes a number).
const DESIGNATORS: [(&[&str], &str, bool); 25] = [
    (&["APT", "APARTMENT"], "APT", true),
    (&["BLDG", "BUILDING"], "BLDG", true),
    (&["DEPT", "DEPARTMENT"], "DEPT", true),
    (&["FL", "FLOOR"], "FL", true),
    (&["HNGR", "HANGAR"], "HNGR", true),
    (&["KEY"], "KEY", true),
    (&["LOT"], "LOT", true),
    (&["PIER"], "PIER", true),
    (&["RM", "ROOM"], "RM", true),
    (&["SLIP"], "SLIP", true),
    (&["SPC", "SPACE"], "SPC", true),
    (&["STOP"], "STOP", true),
    (&["STE", "SUITE"], "STE", true),
    (&["TRLR", "TRAILER"], "TRLR", true),
    (&["UNIT"], "UNIT", true),
    (&["#"], "#", true),
    (&["BSMT", "BASEMENT"], "BSMT", false),
    (&["FRNT", "FRONT"], "FRNT", false),
    (&["LBBY", "LOBBY"], "LBBY", false),
    (&["LOWR", "LOWER"], "LOWR", false),
    (&["OFC", "OFFICE"], "OFC", false),
    (&["PH", "PENTHOUSE"], "PH", false),
    (&["REAR"], "REAR", false),
    (&["SIDE"], "SIDE", false),
    (&["UPPR", "UPPER"], "UPPR", false),
];

/// A unit as Lob reports it: standard designator and number, upper case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Unit {
    pub(crate) designator: String,
    pub(crate) number: String,
}

/// Upper-case words; `#` is a word of its own and punctuation other than `-` separates.
fn words(text: &str) -> Vec<String> {
    text.replace('#', " # ")
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '#'))
        .filter(|w| !w.is_empty())
        .map(str::to_uppercase)
        .collect()
}

fn designator(word: &str) -> Option<(&'static str, bool)> {
    DESIGNATORS
        .iter()
        .find(|(names, _, _)| names.contains(&word))
        .map(|(_, abbr, n)| (*abbr, *n))
}

/// The unit in `secondary_line` (`Apt 4`, `#5`, a bare `4`), or else one at the end of
/// `primary_line` (`185 Berry St Ste 6100`), found past the house number and street name.
pub(crate) fn find(primary_line: &str, secondary_line: &str) -> Option<Unit> {
    let secondary = words(secondary_line);
    if let Some(unit) = parse(&secondary) {
        return Some(unit);
    }
    if let [number] = secondary.as_slice() {
        return Some(Unit {
            designator: "#".into(),
            number: number.clone(),
        });
    }
    let primary = words(primary_line);
    (2..primary.len()).find_map(|i| parse(&primary[i..]))
}

/// `words` is exactly one unit: a designator, then its number if it takes one.
fn parse(words: &[String]) -> Option<Unit> {
    let (first, rest) = words.split_first()?;
    let (abbr, numbered) = designator(first)?;
    match (numbered, rest) {
        (true, [number]) => Some(Unit {
            designator: abbr.into(),
            number: number.clone(),
        }),
        (false, []) => Some(Unit {
            designator: abbr.into(),
            number: String::new(),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(designator: &str, number: &str) -> Option<Unit> {
        Some(Unit {
            designator: designator.into(),
            number: number.into(),
        })
    }

    #[test]
    fn finds_units_in_either_line() {
        let cases = [
            ("185 Berry St Ste 6100", "", unit("STE", "6100")),
            ("185 Berry St", "Suite 6100", unit("STE", "6100")),
            ("12 Main St", "#5", unit("#", "5")),
            ("12 Main St #5", "", unit("#", "5")),
            ("12 Main St", "4B", unit("#", "4B")),
            ("12 Main St", "apartment 4", unit("APT", "4")),
            ("12 Main St Rear", "", unit("REAR", "")),
            ("12 Unit Rd", "", None),
            ("2600 Pearl St", "", None),
        ];
        for (primary, secondary, want) in cases {
            assert_eq!(
                find(primary, secondary),
                want,
                "{primary:?} / {secondary:?}"
            );
        }
    }
}
