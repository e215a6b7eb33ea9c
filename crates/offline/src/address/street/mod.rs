//! Parsing a US street line into USPS-style parts, the way Lob's `components` report them.
//!
//! Not a full USPS standardiser: it finds a house number, optional directionals and suffix, and
//! drops a trailing unit (`Apt 4`, `# 5`, `Ste 100`), which belongs in `secondary_line`. Forms:
//! `2600 Pearl St`, `123 N Main St SW Apt 4`, `PO Box 123` / `P.O. Box 123` / `POB 123`, and
//! rural routes and military lines (`RR 2 Box 152`, `HC 1 Box 20`, `Unit 2050 Box 4190`: the box
//! is the primary number, the route the street name).

mod suffixes;
#[cfg(test)]
mod tests;

use suffixes::{direction, suffix, unit_designator};

/// Lob accepts street lines of up to 200 characters; anything longer is not one.
const MAX_LINE_LEN: usize = 200;
/// Longest house number token we accept (`12345-678` style Queens numbers fit).
const MAX_NUMBER_LEN: usize = 12;

/// A parsed street line, upper case, abbreviations standardised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreetLine {
    /// House number (`2600`, `123-45`, `12 1/2`) or PO box / rural route box number.
    pub primary_number: String,
    /// `N`, `S`, `E`, `W`, `NE`, `NW`, `SE`, `SW` or `""`.
    pub predirection: String,
    /// `PEARL`; `PO BOX` for PO boxes; `RR 2` / `HC 1` for rural routes.
    pub street_name: String,
    /// USPS abbreviation (`ST`, `PKWY`) or `""`.
    pub suffix: String,
    /// As `predirection`.
    pub postdirection: String,
    /// The line is a PO box.
    pub po_box: bool,
}

/// Parses a street line; `None` when it has no house number or no street name (`Main St`,
/// `123`, `""`), or is not a street line at all.
pub fn parse_street(line: &str) -> Option<StreetLine> {
    if line.len() > MAX_LINE_LEN {
        return None;
    }
    let words = tokenize(line);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    po_box(&words)
        .or_else(|| rural_route(&words))
        .or_else(|| street(&words))
}

/// Upper-case words. `.` `,` and other punctuation separate words, apostrophes vanish
/// (`O'Brien` → `OBRIEN`), `-` and `/` stay inside (`123-45`, `1/2`), `#` is a word of its own.
fn tokenize(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in line.chars() {
        match c {
            '\'' | '’' => {}
            '#' => {
                flush(&mut word, &mut words);
                words.push("#".to_owned());
            }
            c if c.is_alphanumeric() || c == '-' || c == '/' => word.extend(c.to_uppercase()),
            _ => flush(&mut word, &mut words),
        }
    }
    flush(&mut word, &mut words);
    words
}

fn flush(word: &mut String, words: &mut Vec<String>) {
    let trimmed = word.trim_matches(['-', '/']);
    if !trimmed.is_empty() {
        words.push(trimmed.to_owned());
    }
    word.clear();
}

/// `PO BOX 123`, `P O BOX 123`, `POB 123`, `POBOX 123`, `POST OFFICE BOX 123`, `BOX 123`.
fn po_box(words: &[&str]) -> Option<StreetLine> {
    let rest = match words {
        ["PO" | "POBOX" | "POB", rest @ ..] => rest.strip_prefix(&["BOX"]).unwrap_or(rest),
        ["P", "O", "BOX", rest @ ..]
        | ["POST", "OFFICE", "BOX", rest @ ..]
        | ["BOX", rest @ ..] => rest,
        _ => return None,
    };
    let number = box_number(rest)?;
    Some(StreetLine {
        primary_number: number.to_owned(),
        street_name: "PO BOX".to_owned(),
        po_box: true,
        ..empty()
    })
}

/// `RR 2 BOX 152`, `RURAL ROUTE 2 BOX 152`, `HC 1 BOX 20`, `HIGHWAY CONTRACT 1 BOX 20`, and
/// the military forms of the same shape, `UNIT 2050 BOX 4190`, `PSC 3 BOX 12`, `CMR 4 BOX 5`.
fn rural_route(words: &[&str]) -> Option<StreetLine> {
    let (kind, rest) = match words {
        ["RR" | "RT" | "RFD", rest @ ..] | ["RURAL", "ROUTE", rest @ ..] => ("RR", rest),
        ["HC" | "HCR", rest @ ..] | ["HIGHWAY", "CONTRACT", rest @ ..] => ("HC", rest),
        [kind @ ("UNIT" | "PSC" | "CMR"), rest @ ..] => (*kind, rest),
        _ => return None,
    };
    let [route, "BOX", rest @ ..] = rest else {
        return None;
    };
    if !route.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = box_number(rest)?;
    Some(StreetLine {
        primary_number: number.to_owned(),
        street_name: format!("{kind} {route}"),
        ..empty()
    })
}

/// The box number: one word with a digit in it, optionally after `#`, and nothing else.
fn box_number<'w>(words: &[&'w str]) -> Option<&'w str> {
    match words {
        [number] | ["#", number] if number.bytes().any(|b| b.is_ascii_digit()) => Some(number),
        _ => None,
    }
}

/// `NUMBER [FRACTION] [PREDIR] NAME… [SUFFIX] [POSTDIR] [UNIT…]`.
fn street(words: &[&str]) -> Option<StreetLine> {
    let (&number, mut rest) = words.split_first()?;
    if !is_house_number(number) {
        return None;
    }
    let mut primary_number = number.to_owned();
    if let Some((&fraction, after)) = rest.split_first()
        && is_fraction(fraction)
    {
        primary_number = format!("{number} {fraction}");
        rest = after;
    }
    // A unit starts at its designator, not at the first word (`Space Center Blvd`, `Lot Rd`
    // are street names), except for `#`, which never is one.
    let first_unit =
        (0..rest.len()).find(|&i| (i > 0 || rest[0] == "#") && starts_unit(&rest[i..]));
    if let Some(at) = first_unit {
        rest = &rest[..at];
    }
    let mut line = StreetLine {
        primary_number,
        ..empty()
    };
    if let [name @ .., last] = rest
        && !name.is_empty()
        && let Some(dir) = direction(last)
    {
        line.postdirection = dir.to_owned();
        rest = name;
    }
    if let [name @ .., last] = rest
        && !name.is_empty()
        && let Some(abbr) = suffix(last)
    {
        line.suffix = abbr.to_owned();
        rest = name;
    }
    if let [first, name @ ..] = rest
        && !name.is_empty()
        && let Some(dir) = direction(first)
    {
        line.predirection = dir.to_owned();
        rest = name;
    }
    if !rest.iter().any(|w| w.chars().any(char::is_alphanumeric)) {
        return None;
    }
    line.street_name = rest.join(" ");
    Some(line)
}

/// `2600`, `123A`, `123-45`: starts with a digit, letters/digits/hyphens after.
fn is_house_number(word: &str) -> bool {
    word.len() <= MAX_NUMBER_LEN
        && word.starts_with(|c: char| c.is_ascii_digit())
        && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `1/2`, `3/4`.
fn is_fraction(word: &str) -> bool {
    matches!(word.split_once('/'), Some((a, b)) if !a.is_empty() && !b.is_empty()
        && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit()))
}

/// `words` begins a secondary unit: a designator, followed by its number when it takes one.
fn starts_unit(words: &[&str]) -> bool {
    match words {
        [designator, rest @ ..] => match unit_designator(designator) {
            Some(true) => !rest.is_empty(),
            Some(false) => true,
            None => false,
        },
        [] => false,
    }
}

fn empty() -> StreetLine {
    StreetLine {
        primary_number: String::new(),
        predirection: String::new(),
        street_name: String::new(),
        suffix: String::new(),
        postdirection: String::new(),
        po_box: false,
    }
}
