//! USPS state codes and names.

/// Every code in the ZIP table (PROVENANCE.md): 50 states, DC, five territories, three freely
/// associated states and the three military "states", with the names Lob also accepts.
const STATES: [(&str, &str); 62] = [
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
    ("AS", "American Samoa"),
    ("GU", "Guam"),
    ("MP", "Northern Mariana Islands"),
    ("PR", "Puerto Rico"),
    ("VI", "Virgin Islands"),
    ("FM", "Federated States of Micronesia"),
    ("MH", "Marshall Islands"),
    ("PW", "Palau"),
    ("AA", "Armed Forces Americas"),
    ("AE", "Armed Forces Europe"),
    ("AP", "Armed Forces Pacific"),
];

/// The USPS code for a typed state: a code or a full name, any case, extra spaces ignored
/// (`co`, `Colorado`, `new  york`). `None` for anything else.
pub fn normalize_state(typed: &str) -> Option<&'static str> {
    let typed = typed.trim();
    if typed.len() > 40 {
        return None;
    }
    if typed.len() == 2 {
        return STATES
            .iter()
            .find(|(code, _)| code.eq_ignore_ascii_case(typed))
            .map(|(code, _)| *code);
    }
    let words = || typed.split_whitespace();
    STATES
        .iter()
        .find(|(_, name)| {
            name.split(' ').count() == words().count()
                && name
                    .split(' ')
                    .zip(words())
                    .all(|(a, b)| a.eq_ignore_ascii_case(b))
        })
        .map(|(code, _)| *code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_normalise() {
        let cases = [
            ("CO", Some("CO"), "code"),
            ("co", Some("CO"), "lower-case code"),
            (" MI ", Some("MI"), "spaces"),
            ("Colorado", Some("CO"), "name"),
            ("new  york", Some("NY"), "name, case and spaces"),
            ("AE", Some("AE"), "military"),
            ("PR", Some("PR"), "territory"),
            ("XX", None, "no such code"),
            ("New", None, "partial name"),
            ("", None, "empty"),
            ("é", None, "two bytes but one non-ASCII char"),
        ];
        for (typed, expected, why) in cases {
            assert_eq!(normalize_state(typed), expected, "{why}: {typed:?}");
        }
    }

    #[test]
    fn table_matches_the_zip_data() {
        let mut codes: Vec<_> = STATES.iter().map(|(code, _)| *code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 62, "62 distinct codes");
    }
}
