//! "Did you mean gmail.com?": typo suggestions for free-mail domains.
//!
//! A typed domain that is not itself a free-mail domain is compared with every free-mail domain
//! by Damerau–Levenshtein distance (insert, delete, substitute, swap two neighbours). The
//! allowed edits shrink with the candidate's length, because a short domain is one edit away
//! from many real ones: `gmx.com` is one letter from `gmc.com`, and `aim.com` two from `ibm.com`
//! (see [`typo_distance`]). TLD slips (`gmail.con`, `gmail.co`, `gmail.cmo`) are
//! one or two edits and fall out of the same rule. On equal distance the most used providers win.
//! A domain on the disposable list gets a suggestion only for a single slip (see
//! [`suggest_domain`]).

use std::sync::LazyLock;

use super::lists::{VERY_COMMON, free_domains, is_disposable, is_free};

/// The free-mail domains in the order ties are settled: the very common ones, then the other
/// `.com` domains, then the rest, each alphabetically.
static CANDIDATES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let rest = free_domains()
        .iter()
        .copied()
        .filter(|d| !VERY_COMMON.contains(d));
    let (dotcom, other): (Vec<_>, Vec<_>) = rest.partition(|d| d.ends_with(".com"));
    VERY_COMMON.into_iter().chain(dotcom).chain(other).collect()
});

/// Typed domains longer than this are never typos of a free-mail domain (the longest is 16).
const MAX_TYPED_LEN: usize = 40;

/// The free-mail domain `domain` (ASCII, lower case) is most likely a typo of, if any.
pub(super) fn suggest_domain(domain: &str) -> Option<&'static str> {
    if domain.len() > MAX_TYPED_LEN || is_free(domain) {
        return None;
    }
    // The disposable list holds typo-squatted domains (`gmial.com`, `hotmial.com`) as well as
    // real throwaway services two edits from a provider (`yopmail.com`, `tempail.com`): only a
    // single slip counts as a typo there.
    let max_distance = if is_disposable(domain) { 1 } else { 2 };
    let typed = domain.as_bytes();
    // `min_by_key` keeps the first of equal distances, hence the ranked order.
    CANDIDATES
        .iter()
        .copied()
        .filter_map(|candidate| typo_distance(typed, candidate).map(|d| (d, candidate)))
        .filter(|&(distance, _)| distance <= max_distance)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

pub(super) fn warm_up() {
    LazyLock::force(&CANDIDATES);
}

/// The edit distance from `typed` to `candidate` when it is small enough to call a typo.
///
/// Candidates of 9+ bytes (`gmail.com`) allow two edits. Shorter ones (`aol.com`, `live.com`)
/// allow one, and only a TLD slip or a swap of neighbours: one substituted letter in a short
/// name is as likely another real domain (`gmc.com` vs `gmx.com`, `life.com` vs `live.com`).
fn typo_distance(typed: &[u8], candidate: &str) -> Option<usize> {
    let wanted = candidate.as_bytes();
    if wanted.len() < 9 {
        if is_neighbour_swap(typed, wanted) {
            return Some(1);
        }
        let same_name = typed.split(|&b| b == b'.').next() == wanted.split(|&b| b == b'.').next();
        let one_edit =
            || typed.len().abs_diff(wanted.len()) <= 1 && damerau_levenshtein(typed, wanted) == 1;
        return (same_name && one_edit()).then_some(1);
    }
    // Both bounds are cheap and rule out nearly every candidate before the quadratic distance.
    if typed.len().abs_diff(wanted.len()) > 2 || bag_distance(typed, wanted) > 2 {
        return None;
    }
    let distance = damerau_levenshtein(typed, wanted);
    (1..=2).contains(&distance).then_some(distance)
}

/// A lower bound on the edit distance: how many bytes one string has that the other lacks
/// (the larger of the two counts). A swap leaves it unchanged and any other edit lowers it by
/// at most one. Bytes are folded to 7 bits; a collision can only lower the bound.
fn bag_distance(a: &[u8], b: &[u8]) -> usize {
    let mut counts = [0i32; 128];
    for &byte in a {
        counts[usize::from(byte & 0x7f)] += 1;
    }
    for &byte in b {
        counts[usize::from(byte & 0x7f)] -= 1;
    }
    let surplus: i32 = counts.iter().filter(|&&c| c > 0).sum();
    let deficit: i32 = counts.iter().filter(|&&c| c < 0).map(|c| -c).sum();
    usize::try_from(surplus.max(deficit)).unwrap_or(usize::MAX)
}

/// `a` is `b` with exactly two neighbouring bytes swapped.
fn is_neighbour_swap(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let Some(first) = a.iter().zip(b).position(|(x, y)| x != y) else {
        return false;
    };
    a.get(first + 2..) == b.get(first + 2..)
        && a.get(first) == b.get(first + 1)
        && a.get(first + 1) == b.get(first)
}

/// Unrestricted Damerau–Levenshtein distance over bytes (Lowrance–Wagner algorithm): unlike
/// the simpler "optimal string alignment" variant it also counts an edit next to a swap
/// correctly (`ca` → `abc` is 2, not 3).
pub(super) fn damerau_levenshtein(a: &[u8], b: &[u8]) -> usize {
    let (n, m) = (a.len(), b.len());
    let infinity = n + m;
    let width = m + 2;
    // (n + 2) x (m + 2) matrix, row-major; row/column 0 hold the sentinel `infinity`.
    let mut d = vec![0usize; (n + 2) * width];
    d[0] = infinity;
    for i in 0..=n {
        d[(i + 1) * width] = infinity;
        d[(i + 1) * width + 1] = i;
    }
    for j in 0..=m {
        d[j + 1] = infinity;
        d[width + j + 1] = j;
    }
    // Last row (1-based) where each byte value was seen in `a`.
    let mut last_row = [0usize; 256];
    for i in 1..=n {
        let mut last_match_col = 0;
        for j in 1..=m {
            let swap_row = last_row[usize::from(b[j - 1])];
            let swap_col = last_match_col;
            let cost = if a[i - 1] == b[j - 1] {
                last_match_col = j;
                0
            } else {
                1
            };
            let substitute = d[i * width + j] + cost;
            let insert = d[(i + 1) * width + j] + 1;
            let delete = d[i * width + j + 1] + 1;
            let swap = d[swap_row * width + swap_col] + (i - swap_row - 1) + 1 + (j - swap_col - 1);
            d[(i + 1) * width + j + 1] = substitute.min(insert).min(delete).min(swap);
        }
        last_row[usize::from(a[i - 1])] = i;
    }
    d[(n + 1) * width + m + 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_matches_known_values() {
        let cases = [
            ("", "", 0),
            ("", "abc", 3),
            ("abc", "", 3),
            ("gmail", "gmail", 0),
            ("gmial", "gmail", 1),
            ("gmal", "gmail", 1),
            ("gmaill", "gmail", 1),
            ("ca", "abc", 2),
            ("gmial.con", "gmail.com", 2),
            ("kitten", "sitting", 3),
        ];
        for (a, b, expected) in cases {
            assert_eq!(
                damerau_levenshtein(a.as_bytes(), b.as_bytes()),
                expected,
                "{a} → {b}"
            );
        }
    }

    #[test]
    fn bag_distance_never_exceeds_the_edit_distance() {
        let words = [
            "",
            "gmail.com",
            "gmial.con",
            "hotmail.co",
            "yahoo.com",
            "ca",
            "abc",
            "aab",
        ];
        for a in words {
            for b in words {
                let (a, b) = (a.as_bytes(), b.as_bytes());
                assert!(
                    bag_distance(a, b) <= damerau_levenshtein(a, b),
                    "{a:?} vs {b:?}"
                );
            }
        }
        assert_eq!(
            bag_distance(b"gmial.com", b"gmail.com"),
            0,
            "a swap is free"
        );
        assert_eq!(
            bag_distance(b"yahoo.com", b"gmail.com"),
            4,
            "y,a,h,o vs g,m,a,i,l"
        );
    }

    #[test]
    fn suggestions_fix_common_slips() {
        let cases = [
            ("gmial.com", Some("gmail.com"), "swapped letters"),
            ("gmal.com", Some("gmail.com"), "missing letter"),
            ("gmaill.com", Some("gmail.com"), "doubled letter"),
            ("gnail.com", Some("gmail.com"), "neighbouring key"),
            ("gmail.con", Some("gmail.com"), "TLD slip"),
            ("gmail.co", Some("gmail.com"), "truncated TLD"),
            ("gmail.cmo", Some("gmail.com"), "swapped TLD letters"),
            ("gmial.con", Some("gmail.com"), "two slips"),
            ("yaho.com", Some("yahoo.com"), "yahoo"),
            ("hotmial.com", Some("hotmail.com"), "hotmail"),
            ("outlok.com", Some("outlook.com"), "outlook"),
            ("iclod.com", Some("icloud.com"), "icloud"),
            ("comcast.ent", Some("comcast.net"), "comcast"),
            ("aol.con", Some("aol.com"), "short domain, one slip"),
            (
                "live.co",
                Some("live.com"),
                "most used wins a tie with live.ca",
            ),
            ("gmail.com", None, "itself free"),
            ("hotmail.co.uk", None, "itself free"),
            (
                "ibm.com",
                None,
                "two edits from aim.com is too far for a short domain",
            ),
            (
                "gmc.com",
                None,
                "one edit from gmx.com, but gmx.com is short",
            ),
            ("example.com", None, "unrelated"),
            ("mailinator.com", None, "disposable, unrelated"),
            (
                "hotmial.com",
                Some("hotmail.com"),
                "typo-squatted domain on the disposable list",
            ),
            (
                "yopmail.com",
                None,
                "disposable service two edits from hotmail.com",
            ),
            ("company.co.uk", None, "unrelated"),
        ];
        for (domain, expected, why) in cases {
            assert_eq!(suggest_domain(domain), expected, "{why}: {domain}");
        }
    }
}
