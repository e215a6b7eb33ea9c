//! The US ZIP table: which 5-digit ZIPs exist, their state, USPS city names and kind.
//!
//! The table is `data/us_zip_codes.csv` (42,788 rows, see `data/PROVENANCE.md`), embedded with
//! `include_str!` so the binary needs no data files at run time. It is parsed once, on first use
//! (or in [`crate::warm_up`]), into a `Vec<ZipRecord>` sorted by ZIP; a lookup is a
//! binary search. Every string in a record borrows from the embedded text, so parsing allocates
//! only the vector itself.

mod city;
#[cfg(test)]
mod tests;

use std::sync::LazyLock;

/// The shipped table; the path is relative to this file.
const CSV: &str = include_str!("../../data/us_zip_codes.csv");

static TABLE: LazyLock<Vec<ZipRecord>> = LazyLock::new(|| parse_table(CSV));

/// What a ZIP serves, as USPS classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZipKind {
    /// Street delivery (and usually PO boxes too).
    Standard,
    /// PO boxes only: a street address cannot use this ZIP.
    PoBox,
    /// A single organisation (a company, a university, an agency).
    Unique,
    /// APO/FPO/DPO.
    Military,
}

impl ZipKind {
    /// Lob's `components.zip_code_type` value.
    pub fn wire_name(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::PoBox => "po_box",
            Self::Unique => "unique",
            Self::Military => "military",
        }
    }

    fn from_source(value: &str) -> Option<Self> {
        match value {
            "STANDARD" => Some(Self::Standard),
            "PO BOX" => Some(Self::PoBox),
            "UNIQUE" => Some(Self::Unique),
            "MILITARY" => Some(Self::Military),
            _ => None,
        }
    }
}

/// One row of the ZIP table. All strings are as the source has them (title case city).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZipRecord {
    /// Exactly 5 ASCII digits.
    pub zip: &'static str,
    /// USPS preferred city name, title case (`Saint Paul`).
    pub city: &'static str,
    /// Two-letter USPS code, including territories and `AA`/`AE`/`AP`.
    pub state: &'static str,
    pub kind: ZipKind,
    /// `false` = decommissioned in the source data.
    pub active: bool,
    /// Other names USPS accepts, `;`-separated, often abbreviated (`St Paul`, `Colo Spgs`).
    acceptable: &'static str,
}

impl ZipRecord {
    /// Other city names USPS accepts for this ZIP (not including [`Self::city`]).
    pub fn acceptable_cities(&self) -> impl Iterator<Item = &'static str> {
        self.acceptable.split(';').filter(|name| !name.is_empty())
    }

    /// The typed city is the primary name or an acceptable one: case, punctuation, extra spaces
    /// and St/Saint, Ft/Fort, Mt/Mount style variants tolerated.
    pub fn city_matches(&self, city: &str) -> bool {
        city::matches_any(
            city,
            std::iter::once(self.city).chain(self.acceptable_cities()),
        )
    }
}

/// A ZIP code in one of the forms USPS and Lob accept: `12345`, `12345-6789` or `123456789`.
/// Whether it exists is for [`lookup`] and the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZipCode {
    /// `12345` or `12345-6789`: five ASCII digits, then a hyphen and four more if given.
    canonical: String,
}

impl ZipCode {
    /// Parses a typed ZIP, surrounding spaces ignored; `None` for any other shape.
    pub fn parse(typed: &str) -> Option<ZipCode> {
        let typed = typed.trim();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let (five, plus4) = match typed.len() {
            5 => (typed, None),
            9 => typed.split_at_checked(5).map(|(a, b)| (a, Some(b)))?,
            10 => {
                let (five, rest) = typed.split_at_checked(5)?;
                (five, Some(rest.strip_prefix('-')?))
            }
            _ => return None,
        };
        if !digits(five, 5) || plus4.is_some_and(|p| !digits(p, 4)) {
            return None;
        }
        let canonical = match plus4 {
            Some(plus4) => format!("{five}-{plus4}"),
            None => five.to_owned(),
        };
        Some(ZipCode { canonical })
    }

    /// The five-digit ZIP, which the table and comparisons use.
    pub fn five(&self) -> &str {
        self.canonical.get(..5).unwrap_or(&self.canonical)
    }

    /// `12345` or `12345-6789`, as it goes to a provider.
    pub fn full(&self) -> &str {
        &self.canonical
    }
}

/// The record for a ZIP: `zip5` must be exactly 5 ASCII digits, else `None`.
pub fn lookup(zip5: &str) -> Option<&'static ZipRecord> {
    if zip5.len() != 5 || !zip5.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let table = &*TABLE;
    table
        .binary_search_by(|record| record.zip.cmp(zip5))
        .ok()
        .and_then(|index| table.get(index))
}

/// Number of ZIPs in the table (loads it).
pub fn table_len() -> usize {
    TABLE.len()
}

/// Parses the embedded CSV again, bypassing the cache: for the load-time benchmark only.
#[doc(hidden)]
pub fn parse_embedded_table() -> usize {
    parse_table(CSV).len()
}

pub(crate) fn warm_up() {
    LazyLock::force(&TABLE);
}

fn parse_table(text: &'static str) -> Vec<ZipRecord> {
    // Counting lines first sizes the vector exactly instead of doubling it up to 2x.
    let rows = text.bytes().filter(|&b| b == b'\n').count();
    let mut records = Vec::with_capacity(rows);
    records.extend(text.lines().skip(1).filter_map(parse_row));
    // The shipped file is sorted (PROVENANCE.md); a regenerated one that is not must still work.
    if !records.is_sorted_by(|a, b| a.zip < b.zip) {
        records.sort_by(|a, b| a.zip.cmp(b.zip));
        records.dedup_by(|a, b| a.zip == b.zip);
    }
    records
}

/// One data row; `None` for a row that does not fit the documented columns.
fn parse_row(line: &'static str) -> Option<ZipRecord> {
    let mut fields = CsvFields {
        rest: Some(line.trim_end_matches('\r')),
    };
    let zip = fields.next()?;
    let city = fields.next()?;
    let state = fields.next()?;
    let kind = ZipKind::from_source(fields.next()?)?;
    let active = match fields.next()? {
        "true" => true,
        "false" => false,
        _ => return None,
    };
    let acceptable = fields.next().unwrap_or("");
    let well_formed = zip.len() == 5
        && zip.bytes().all(|b| b.is_ascii_digit())
        && state.len() == 2
        && state.bytes().all(|b| b.is_ascii_uppercase());
    well_formed.then_some(ZipRecord {
        zip,
        city,
        state,
        kind,
        active,
        acceptable,
    })
}

/// Splits one CSV line, as Python's `csv` module writes it: a field holding a comma is quoted.
/// A quoted field must not contain an escaped quote (`""`), which could not be borrowed as one
/// slice; the generator never writes one (no source name contains a quote).
struct CsvFields {
    rest: Option<&'static str>,
}

impl Iterator for CsvFields {
    type Item = &'static str;

    fn next(&mut self) -> Option<&'static str> {
        let rest = self.rest.take()?;
        if let Some(quoted) = rest.strip_prefix('"') {
            let (field, after) = quoted.split_once('"')?;
            self.rest = after.strip_prefix(',');
            return Some(field);
        }
        match rest.split_once(',') {
            Some((field, after)) => {
                self.rest = Some(after);
                Some(field)
            }
            None => Some(rest),
        }
    }
}
