//! The 56 US state and territory codes of the tutorial's list: the 50 states, DC, AS, GU, MP, PR, VI.

/// A two-letter USPS code from the form's list; any other value cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UsState {
    AL,
    AK,
    AS,
    AZ,
    AR,
    CA,
    CO,
    CT,
    DE,
    DC,
    FL,
    GA,
    GU,
    HI,
    ID,
    IL,
    IN,
    IA,
    KS,
    KY,
    LA,
    ME,
    MD,
    MA,
    MI,
    MN,
    MS,
    MO,
    MT,
    NE,
    NV,
    NH,
    NJ,
    NM,
    NY,
    NC,
    ND,
    MP,
    OH,
    OK,
    OR,
    PA,
    PR,
    RI,
    SC,
    SD,
    TN,
    TX,
    UT,
    VT,
    VI,
    VA,
    WA,
    WV,
    WI,
    WY,
}

/// Code and display name, in the order the form lists them (alphabetical by name).
const STATES: [(UsState, &str, &str); 56] = [
    (UsState::AL, "AL", "Alabama"),
    (UsState::AK, "AK", "Alaska"),
    (UsState::AS, "AS", "American Samoa"),
    (UsState::AZ, "AZ", "Arizona"),
    (UsState::AR, "AR", "Arkansas"),
    (UsState::CA, "CA", "California"),
    (UsState::CO, "CO", "Colorado"),
    (UsState::CT, "CT", "Connecticut"),
    (UsState::DE, "DE", "Delaware"),
    (UsState::DC, "DC", "District of Columbia"),
    (UsState::FL, "FL", "Florida"),
    (UsState::GA, "GA", "Georgia"),
    (UsState::GU, "GU", "Guam"),
    (UsState::HI, "HI", "Hawaii"),
    (UsState::ID, "ID", "Idaho"),
    (UsState::IL, "IL", "Illinois"),
    (UsState::IN, "IN", "Indiana"),
    (UsState::IA, "IA", "Iowa"),
    (UsState::KS, "KS", "Kansas"),
    (UsState::KY, "KY", "Kentucky"),
    (UsState::LA, "LA", "Louisiana"),
    (UsState::ME, "ME", "Maine"),
    (UsState::MD, "MD", "Maryland"),
    (UsState::MA, "MA", "Massachusetts"),
    (UsState::MI, "MI", "Michigan"),
    (UsState::MN, "MN", "Minnesota"),
    (UsState::MS, "MS", "Mississippi"),
    (UsState::MO, "MO", "Missouri"),
    (UsState::MT, "MT", "Montana"),
    (UsState::NE, "NE", "Nebraska"),
    (UsState::NV, "NV", "Nevada"),
    (UsState::NH, "NH", "New Hampshire"),
    (UsState::NJ, "NJ", "New Jersey"),
    (UsState::NM, "NM", "New Mexico"),
    (UsState::NY, "NY", "New York"),
    (UsState::NC, "NC", "North Carolina"),
    (UsState::ND, "ND", "North Dakota"),
    (UsState::MP, "MP", "Northern Mariana Islands"),
    (UsState::OH, "OH", "Ohio"),
    (UsState::OK, "OK", "Oklahoma"),
    (UsState::OR, "OR", "Oregon"),
    (UsState::PA, "PA", "Pennsylvania"),
    (UsState::PR, "PR", "Puerto Rico"),
    (UsState::RI, "RI", "Rhode Island"),
    (UsState::SC, "SC", "South Carolina"),
    (UsState::SD, "SD", "South Dakota"),
    (UsState::TN, "TN", "Tennessee"),
    (UsState::TX, "TX", "Texas"),
    (UsState::UT, "UT", "Utah"),
    (UsState::VT, "VT", "Vermont"),
    (UsState::VI, "VI", "U.S. Virgin Islands"),
    (UsState::VA, "VA", "Virginia"),
    (UsState::WA, "WA", "Washington"),
    (UsState::WV, "WV", "West Virginia"),
    (UsState::WI, "WI", "Wisconsin"),
    (UsState::WY, "WY", "Wyoming"),
];

impl UsState {
    /// Parses a code, ignoring case and surrounding spaces (the form sends `CO`; API clients may send `co`).
    pub fn parse(input: &str) -> Option<UsState> {
        let code = input.trim();
        STATES
            .iter()
            .find(|(_, c, _)| c.eq_ignore_ascii_case(code))
            .map(|(s, _, _)| *s)
    }

    /// The two-letter USPS code.
    pub fn code(self) -> &'static str {
        self.entry().1
    }

    /// The name shown in the form's list.
    pub fn name(self) -> &'static str {
        self.entry().2
    }

    /// Every state in form order.
    pub fn all() -> impl Iterator<Item = UsState> {
        STATES.iter().map(|(s, _, _)| *s)
    }

    fn entry(self) -> &'static (UsState, &'static str, &'static str) {
        // Every variant has exactly one row; the fallback is unreachable but keeps this panic-free.
        STATES
            .iter()
            .find(|(s, _, _)| *s == self)
            .unwrap_or(&STATES[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_has_the_tutorials_56_codes() {
        assert_eq!(UsState::all().count(), 56);
        for code in ["CO", "DC", "AS", "GU", "MP", "PR", "VI", "WY"] {
            assert_eq!(
                UsState::parse(code).map(UsState::code),
                Some(code),
                "{code}"
            );
        }
    }

    #[test]
    fn codes_round_trip_and_case_is_ignored() {
        for state in UsState::all() {
            assert_eq!(UsState::parse(state.code()), Some(state));
        }
        assert_eq!(UsState::parse(" co "), Some(UsState::CO));
    }

    #[test]
    fn other_values_are_refused() {
        for bad in ["", "XX", "AA", "AE", "FM", "Colorado", "C", "COL", "C\u{0}"] {
            assert_eq!(UsState::parse(bad), None, "{bad:?}");
        }
    }
}
