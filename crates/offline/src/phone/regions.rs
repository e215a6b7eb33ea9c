//! Region codes as `&'static str`, country names, and the metadata version.

use rlibphonenumber::{PHONE_NUMBER_UTIL, PhoneNumber};

/// The pinned crate and the libphonenumber metadata it embeds. The crate does not expose its
/// version at run time; keep this in step with `rlibphonenumber` in Cargo.toml (a test checks
/// it against Cargo.lock).
const METADATA_VERSION: &str = "rlibphonenumber 2.2.15 (metadata 9.0.42)";

/// Every two-letter code `AA`..`ZZ`, back to back, so a region code can be handed out as a
/// `&'static str` slice of it without allocating or leaking.
const PAIRS: [u8; 26 * 26 * 2] = {
    let mut out = [0u8; 26 * 26 * 2];
    let mut i = 0;
    while i < 26 * 26 {
        out[2 * i] = b'A' + (i / 26) as u8;
        out[2 * i + 1] = b'A' + (i % 26) as u8;
        i += 1;
    }
    out
};
const PAIRS_STR: &str = match std::str::from_utf8(&PAIRS) {
    Ok(text) => text,
    Err(_) => "",
};

/// The calling code of a region (`US` → 1), `None` for a code libphonenumber does not know.
pub fn calling_code(region: &str) -> Option<i32> {
    rlibphonenumber::enums::Region::from_code(region)
        .ok()
        .and_then(|r| PHONE_NUMBER_UTIL.get_country_code_for_region(r))
}

/// `"rlibphonenumber 2.2.15 (metadata 9.0.42)"`.
pub fn metadata_version() -> &'static str {
    METADATA_VERSION
}

/// The static copy of a two-letter code (either case), or `None` for anything else.
fn static_code(code: &str) -> Option<&'static str> {
    let [first, second] = <[u8; 2]>::try_from(code.as_bytes()).ok()?;
    let (first, second) = (first.to_ascii_uppercase(), second.to_ascii_uppercase());
    if !first.is_ascii_uppercase() || !second.is_ascii_uppercase() {
        return None;
    }
    let index = usize::from(first - b'A') * 26 + usize::from(second - b'A');
    PAIRS_STR.get(2 * index..2 * index + 2)
}

/// The region of `number`; falls back to the country code's only region (see
/// [`super::PhoneFacts::region`]).
pub(super) fn region_of(number: &PhoneNumber) -> Option<&'static str> {
    let region = number.get_region_code().or_else(|| {
        let mut regions =
            PHONE_NUMBER_UTIL.get_regions_for_country_calling_code(number.country_code)?;
        let only = regions.next();
        if regions.next().is_some() { None } else { only }
    })?;
    // `World` ("001", non-geographic numbers) is no ISO 3166 code; `static_code` drops it.
    static_code(&region.as_region_str())
}

/// English short name of a region (`US` → `United States`), for Veriphone's `country` field.
/// Covers the regions sign-ups most often come from; any other two-letter code is returned as
/// it is (upper case), anything else as `""`.
pub fn country_name(region: &str) -> &'static str {
    let Some(code) = static_code(region) else {
        return "";
    };
    match code {
        "US" => "United States",
        "CA" => "Canada",
        "MX" => "Mexico",
        "PR" => "Puerto Rico",
        "VI" => "U.S. Virgin Islands",
        "GU" => "Guam",
        "AS" => "American Samoa",
        "MP" => "Northern Mariana Islands",
        "BS" => "Bahamas",
        "JM" => "Jamaica",
        "DO" => "Dominican Republic",
        "TT" => "Trinidad and Tobago",
        "BR" => "Brazil",
        "AR" => "Argentina",
        "CL" => "Chile",
        "CO" => "Colombia",
        "PE" => "Peru",
        "VE" => "Venezuela",
        "GB" => "United Kingdom",
        "IE" => "Ireland",
        "FR" => "France",
        "DE" => "Germany",
        "NL" => "Netherlands",
        "BE" => "Belgium",
        "LU" => "Luxembourg",
        "CH" => "Switzerland",
        "AT" => "Austria",
        "IT" => "Italy",
        "ES" => "Spain",
        "PT" => "Portugal",
        "DK" => "Denmark",
        "NO" => "Norway",
        "SE" => "Sweden",
        "FI" => "Finland",
        "IS" => "Iceland",
        "PL" => "Poland",
        "CZ" => "Czech Republic",
        "SK" => "Slovakia",
        "HU" => "Hungary",
        "RO" => "Romania",
        "BG" => "Bulgaria",
        "GR" => "Greece",
        "UA" => "Ukraine",
        "RU" => "Russia",
        "TR" => "Turkey",
        "IL" => "Israel",
        "AE" => "United Arab Emirates",
        "SA" => "Saudi Arabia",
        "EG" => "Egypt",
        "NG" => "Nigeria",
        "KE" => "Kenya",
        "ZA" => "South Africa",
        "MA" => "Morocco",
        "IN" => "India",
        "PK" => "Pakistan",
        "BD" => "Bangladesh",
        "CN" => "China",
        "HK" => "Hong Kong",
        "TW" => "Taiwan",
        "JP" => "Japan",
        "KR" => "South Korea",
        "SG" => "Singapore",
        "MY" => "Malaysia",
        "TH" => "Thailand",
        "VN" => "Vietnam",
        "PH" => "Philippines",
        "ID" => "Indonesia",
        "AU" => "Australia",
        "NZ" => "New Zealand",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_become_static_slices() {
        let cases = [
            ("US", Some("US")),
            ("gb", Some("GB")),
            ("AA", Some("AA")),
            ("ZZ", Some("ZZ")),
            ("001", None),
            ("U", None),
            ("U1", None),
            ("ÜS", None),
            ("", None),
        ];
        for (code, expected) in cases {
            assert_eq!(static_code(code), expected, "{code:?}");
        }
    }

    #[test]
    fn country_names_cover_common_regions() {
        let cases = [
            ("US", "United States"),
            ("us", "United States"),
            ("GB", "United Kingdom"),
            ("DE", "Germany"),
            ("XK", "XK"),
            ("001", ""),
            ("", ""),
        ];
        for (code, expected) in cases {
            assert_eq!(country_name(code), expected, "{code:?}");
        }
    }

    #[test]
    fn metadata_version_matches_the_locked_crate() {
        let lock = include_str!("../../../../Cargo.lock");
        let locked = lock
            .split("[[package]]")
            .find(|p| p.contains("name = \"rlibphonenumber\""))
            .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
            .map(|v| v.trim_matches('"'));
        let version = locked.expect("rlibphonenumber in Cargo.lock");
        assert!(
            METADATA_VERSION.starts_with(&format!("rlibphonenumber {version} ")),
            "update METADATA_VERSION (and the metadata number from the crate's Readme) for {version}"
        );
    }
}
