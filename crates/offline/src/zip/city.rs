//! Tolerant comparison of a typed city with the USPS names of a ZIP.
//!
//! Both sides are reduced to a canonical key: letters and digits only, upper case, common
//! Spanish/French accents folded (Puerto Rico's `Cataño` is `Catano` in the table), each word's
//! USPS abbreviation expanded (`St` → `SAINT`, `Spgs` → `SPRINGS`), and the words joined without
//! spaces so `Mc Allen`/`McAllen` and `Winston-salem`/`Winston Salem` meet. The table's
//! acceptable names are themselves abbreviated (`Colo Spgs`), which is why the expansion runs on
//! both sides rather than only on the input.

/// Longest city name we bother to compare; the longest in the table is under 40 characters.
const MAX_CITY_LEN: usize = 100;

/// Does `typed` name the same city as any of `names`?
pub(super) fn matches_any(typed: &str, names: impl Iterator<Item = &'static str>) -> bool {
    if typed.len() > MAX_CITY_LEN {
        return false;
    }
    let mut key = String::new();
    canonical(typed, &mut key);
    if key.is_empty() {
        return false;
    }
    let mut candidate = String::new();
    names.into_iter().any(|name| {
        canonical(name, &mut candidate);
        candidate == key
    })
}

/// Writes the canonical key of `name` into `out` (cleared first).
pub(super) fn canonical(name: &str, out: &mut String) {
    out.clear();
    let mut word = String::new();
    for raw in name.split(|c: char| !c.is_alphanumeric()) {
        word.clear();
        word.extend(raw.chars().map(fold));
        if !word.is_empty() {
            out.push_str(expand(&word));
        }
    }
}

/// Upper case with the accents that occur in US place names dropped.
fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'Á' | 'À' | 'Â' | 'Ä' => 'A',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'E',
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'I',
        'ó' | 'ò' | 'ô' | 'ö' | 'Ó' | 'Ò' | 'Ô' | 'Ö' => 'O',
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'U',
        'ñ' | 'Ñ' => 'N',
        'ç' | 'Ç' => 'C',
        // Multi-char upper cases (ß → SS) keep their first char: the key only needs consistency.
        other => other.to_uppercase().next().unwrap_or(other),
    }
}

/// The long form of a USPS city-word abbreviation (the ones in the table's acceptable names).
fn expand(word: &str) -> &str {
    match word {
        "ST" => "SAINT",
        "STE" => "SAINTE",
        "FT" => "FORT",
        "MT" => "MOUNT",
        "MTN" => "MOUNTAIN",
        "PT" => "POINT",
        "N" => "NORTH",
        "S" => "SOUTH",
        "E" => "EAST",
        "W" => "WEST",
        "SPGS" => "SPRINGS",
        "SPG" => "SPRING",
        "HTS" => "HEIGHTS",
        "HLS" => "HILLS",
        "JCT" => "JUNCTION",
        "CTR" => "CENTER",
        "VLG" => "VILLAGE",
        "VLY" => "VALLEY",
        "BCH" => "BEACH",
        "LK" => "LAKE",
        "PK" => "PARK",
        "IS" => "ISLAND",
        "TWP" => "TOWNSHIP",
        "CTY" => "CITY",
        "HBR" => "HARBOR",
        "COLO" => "COLORADO",
        "PHILA" => "PHILADELPHIA",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> String {
        let mut out = String::new();
        canonical(name, &mut out);
        out
    }

    #[test]
    fn variants_share_a_key() {
        let cases = [
            ("St. Paul", "Saint Paul", "St abbreviation with a dot"),
            ("  saint   paul ", "SAINT PAUL", "case and extra spaces"),
            ("Ft Worth", "Fort Worth", "Ft"),
            ("Mt. Vernon", "Mount Vernon", "Mt"),
            ("Winston Salem", "Winston-salem", "hyphen"),
            ("McAllen", "Mc Allen", "joined words"),
            ("Cataño", "Catano", "accent"),
            ("Colo Spgs", "Colorado Springs", "Spgs"),
            ("O'Fallon", "O Fallon", "apostrophe"),
        ];
        for (a, b, why) in cases {
            assert_eq!(key(a), key(b), "{why}: {a:?} vs {b:?}");
        }
    }

    #[test]
    fn different_cities_differ() {
        let cases = [
            ("Detroit", "Ann Arbor"),
            ("Saint Paul", "Paul"),
            ("Springfield", "Spring Field Lake"),
        ];
        for (a, b) in cases {
            assert_ne!(key(a), key(b), "{a:?} must not match {b:?}");
        }
    }
}
