//! USPS state codes and names: the one table of them. The enum is the table: each variant is a
//! code, its message the name; parsing and the code's text are derived (strum).

use strum::{EnumIter, EnumMessage, EnumString, IntoEnumIterator, IntoStaticStr};

/// Every code in the ZIP table (PROVENANCE.md): 50 states, DC, five territories, three freely
/// associated states and the three military "states", in alphabetical order of their names.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, EnumMessage, EnumString, IntoStaticStr,
)]
#[strum(ascii_case_insensitive)]
pub enum UsState {
    #[strum(message = "Alabama")]
    AL,
    #[strum(message = "Alaska")]
    AK,
    #[strum(message = "American Samoa")]
    AS,
    #[strum(message = "Arizona")]
    AZ,
    #[strum(message = "Arkansas")]
    AR,
    #[strum(message = "Armed Forces Americas")]
    AA,
    #[strum(message = "Armed Forces Europe")]
    AE,
    #[strum(message = "Armed Forces Pacific")]
    AP,
    #[strum(message = "California")]
    CA,
    #[strum(message = "Colorado")]
    CO,
    #[strum(message = "Connecticut")]
    CT,
    #[strum(message = "Delaware")]
    DE,
    #[strum(message = "District of Columbia")]
    DC,
    #[strum(message = "Federated States of Micronesia")]
    FM,
    #[strum(message = "Florida")]
    FL,
    #[strum(message = "Georgia")]
    GA,
    #[strum(message = "Guam")]
    GU,
    #[strum(message = "Hawaii")]
    HI,
    #[strum(message = "Idaho")]
    ID,
    #[strum(message = "Illinois")]
    IL,
    #[strum(message = "Indiana")]
    IN,
    #[strum(message = "Iowa")]
    IA,
    #[strum(message = "Kansas")]
    KS,
    #[strum(message = "Kentucky")]
    KY,
    #[strum(message = "Louisiana")]
    LA,
    #[strum(message = "Maine")]
    ME,
    #[strum(message = "Marshall Islands")]
    MH,
    #[strum(message = "Maryland")]
    MD,
    #[strum(message = "Massachusetts")]
    MA,
    #[strum(message = "Michigan")]
    MI,
    #[strum(message = "Minnesota")]
    MN,
    #[strum(message = "Mississippi")]
    MS,
    #[strum(message = "Missouri")]
    MO,
    #[strum(message = "Montana")]
    MT,
    #[strum(message = "Nebraska")]
    NE,
    #[strum(message = "Nevada")]
    NV,
    #[strum(message = "New Hampshire")]
    NH,
    #[strum(message = "New Jersey")]
    NJ,
    #[strum(message = "New Mexico")]
    NM,
    #[strum(message = "New York")]
    NY,
    #[strum(message = "North Carolina")]
    NC,
    #[strum(message = "North Dakota")]
    ND,
    #[strum(message = "Northern Mariana Islands")]
    MP,
    #[strum(message = "Ohio")]
    OH,
    #[strum(message = "Oklahoma")]
    OK,
    #[strum(message = "Oregon")]
    OR,
    #[strum(message = "Palau")]
    PW,
    #[strum(message = "Pennsylvania")]
    PA,
    #[strum(message = "Puerto Rico")]
    PR,
    #[strum(message = "Rhode Island")]
    RI,
    #[strum(message = "South Carolina")]
    SC,
    #[strum(message = "South Dakota")]
    SD,
    #[strum(message = "Tennessee")]
    TN,
    #[strum(message = "Texas")]
    TX,
    #[strum(message = "U.S. Virgin Islands")]
    VI,
    #[strum(message = "Utah")]
    UT,
    #[strum(message = "Vermont")]
    VT,
    #[strum(message = "Virginia")]
    VA,
    #[strum(message = "Washington")]
    WA,
    #[strum(message = "West Virginia")]
    WV,
    #[strum(message = "Wisconsin")]
    WI,
    #[strum(message = "Wyoming")]
    WY,
}

impl UsState {
    /// A two-letter code, any case, surrounding spaces ignored (`CO`, ` co `).
    pub fn from_code(typed: &str) -> Option<UsState> {
        typed.trim().parse().ok()
    }

    /// A code or a full name, any case, extra spaces ignored (`co`, `new  york`), as Lob
    /// accepts them.
    pub fn from_code_or_name(typed: &str) -> Option<UsState> {
        let words = || typed.split_whitespace();
        UsState::from_code(typed).or_else(|| {
            UsState::iter().find(|state| {
                let name = state.name().split(' ');
                name.clone().count() == words().count()
                    && name.zip(words()).all(|(a, b)| a.eq_ignore_ascii_case(b))
            })
        })
    }

    /// The two-letter USPS code.
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// The full name.
    pub fn name(self) -> &'static str {
        self.get_message().unwrap_or_else(|| self.code())
    }

    /// On the sign-up form's list (the tutorial's): the 50 states, DC and the five inhabited
    /// territories; not the freely associated states nor the military "states".
    pub fn on_form(self) -> bool {
        use UsState::{AA, AE, AP, FM, MH, PW};
        !matches!(self, FM | MH | PW | AA | AE | AP)
    }

    /// The form's list, in its order (alphabetical by name).
    pub fn form_list() -> impl Iterator<Item = UsState> {
        UsState::iter().filter(|s| s.on_form())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_parse() {
        let cases = [
            ("CO", Some(UsState::CO), "code"),
            ("co", Some(UsState::CO), "lower-case code"),
            (" MI ", Some(UsState::MI), "spaces"),
            ("Colorado", Some(UsState::CO), "name"),
            ("new  york", Some(UsState::NY), "name, case and spaces"),
            ("AE", Some(UsState::AE), "military"),
            ("PR", Some(UsState::PR), "territory"),
            ("XX", None, "no such code"),
            ("New", None, "partial name"),
            ("", None, "empty"),
            ("é", None, "two bytes but one non-ASCII char"),
        ];
        for (typed, expected, why) in cases {
            assert_eq!(
                UsState::from_code_or_name(typed),
                expected,
                "{why}: {typed:?}"
            );
        }
        assert_eq!(UsState::from_code("Colorado"), None, "a name is not a code");
    }

    #[test]
    fn every_code_round_trips_and_has_a_name() {
        assert_eq!(UsState::iter().count(), 62);
        for state in UsState::iter() {
            assert_eq!(UsState::from_code(state.code()), Some(state));
            assert_eq!(state.code().len(), 2);
            assert_ne!(state.name(), state.code(), "{state:?} has no name");
        }
    }

    #[test]
    fn the_form_lists_the_tutorials_56_codes_in_name_order() {
        let listed: Vec<_> = UsState::form_list().collect();
        assert_eq!(listed.len(), 56);
        for code in ["CO", "DC", "AS", "GU", "MP", "PR", "VI", "WY"] {
            assert!(listed.iter().any(|s| s.code() == code), "{code}");
        }
        for code in ["AA", "AE", "AP", "FM", "MH", "PW"] {
            assert!(!listed.iter().any(|s| s.code() == code), "{code}");
        }
        let names: Vec<_> = listed.iter().map(|s| s.name()).collect();
        assert!(names.is_sorted(), "{names:?}");
    }
}
