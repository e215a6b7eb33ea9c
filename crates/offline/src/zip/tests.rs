use super::*;

#[test]
fn table_holds_every_shipped_row() {
    // PROVENANCE.md: 42,788 data rows, all 5-digit, unique and sorted.
    assert_eq!(table_len(), 42_788, "every CSV row parses");
    assert!(
        TABLE.windows(2).all(|w| w[0].zip < w[1].zip),
        "table sorted by ZIP, no duplicates"
    );
}

#[test]
fn lookups_return_the_documented_rows() {
    let cases = [
        (
            "80302",
            "Boulder",
            "CO",
            ZipKind::Standard,
            true,
            "tutorial's Boulder ZIP",
        ),
        (
            "12345",
            "Schenectady",
            "NY",
            ZipKind::Unique,
            true,
            "GE's unique ZIP",
        ),
        (
            "55101",
            "Saint Paul",
            "MN",
            ZipKind::Standard,
            true,
            "Saint Paul",
        ),
        (
            "00501",
            "Holtsville",
            "NY",
            ZipKind::Unique,
            true,
            "first row, leading zeros",
        ),
        (
            "33101",
            "Miami",
            "FL",
            ZipKind::PoBox,
            true,
            "PO-box-only ZIP",
        ),
        (
            "09001",
            "Apo",
            "AE",
            ZipKind::Military,
            true,
            "military ZIP",
        ),
        (
            "01133",
            "Springfield",
            "MA",
            ZipKind::Unique,
            false,
            "decommissioned ZIP",
        ),
    ];
    for (zip, city, state, kind, active, why) in cases {
        let record = lookup(zip).unwrap_or_else(|| panic!("{why}: {zip} missing"));
        assert_eq!(
            (
                record.zip,
                record.city,
                record.state,
                record.kind,
                record.active
            ),
            (zip, city, state, kind, active),
            "{why}"
        );
    }
}

#[test]
fn malformed_or_unknown_zips_are_none() {
    let cases = [
        ("", "empty"),
        ("8030", "four digits"),
        ("803021", "six digits"),
        ("80302-1234", "ZIP+4 is the caller's job"),
        (" 80302", "leading space"),
        ("8030a", "letter"),
        ("８０３０２", "full-width digits"),
        ("00000", "not a ZIP"),
        ("99999", "not a ZIP"),
    ];
    for (zip, why) in cases {
        assert!(lookup(zip).is_none(), "{why}: {zip:?}");
    }
}

#[test]
fn city_matching_tolerates_usps_variants() {
    let cases = [
        ("55101", "Saint Paul", true, "primary name"),
        ("55101", "St Paul", true, "St for Saint"),
        ("55101", "st. paul", true, "lower case with a dot"),
        ("55101", "  SAINT   PAUL  ", true, "extra spaces"),
        ("55101", "Minneapolis", false, "neighbouring city"),
        ("80914", "Colorado Springs", true, "primary"),
        ("80914", "Peterson AFB", true, "acceptable name"),
        ("80914", "Colo Spgs", true, "abbreviated acceptable name"),
        (
            "80914",
            "Cheyenne Mtn AFB",
            true,
            "abbreviation the table spells out",
        ),
        ("19104", "Phila", true, "acceptable abbreviation"),
        ("80302", "Boulder", true, "tutorial"),
        ("80302", "Denver", false, "wrong city"),
        ("12345", "Detroit", false, "tutorial's wrong city"),
        ("80302", "", false, "empty city"),
        ("80302", "...", false, "punctuation only"),
    ];
    for (zip, city, expected, why) in cases {
        let record = lookup(zip).unwrap_or_else(|| panic!("{why}: {zip} missing"));
        assert_eq!(
            record.city_matches(city),
            expected,
            "{why}: {city:?} for {zip}"
        );
    }
}

#[test]
fn acceptable_cities_split_on_semicolons() {
    let record = lookup("80914").unwrap();
    let names: Vec<_> = record.acceptable_cities().collect();
    assert_eq!(names.len(), 5, "five aliases: {names:?}");
    assert!(names.contains(&"Peterson AFB"));
    assert_eq!(
        lookup("80302").unwrap().acceptable_cities().count(),
        0,
        "no aliases"
    );
}

#[test]
fn zip_kinds_use_lob_wire_names() {
    let cases = [
        (ZipKind::Standard, "standard"),
        (ZipKind::PoBox, "po_box"),
        (ZipKind::Unique, "unique"),
        (ZipKind::Military, "military"),
    ];
    for (kind, wire) in cases {
        assert_eq!(kind.wire_name(), wire, "{kind:?}");
    }
}

#[test]
fn csv_rows_parse_quoted_fields_and_reject_bad_ones() {
    let quoted = parse_row("12345,\"Town, Upper\",NY,STANDARD,true,\"A, B;C\"").unwrap();
    assert_eq!(
        (quoted.city, quoted.acceptable),
        ("Town, Upper", "A, B;C"),
        "quoted fields"
    );
    let cases = [
        ("1234,Town,NY,STANDARD,true,", "short ZIP"),
        ("12345,Town,ny,STANDARD,true,", "lower-case state"),
        ("12345,Town,NY,OTHER,true,", "unknown type"),
        ("12345,Town,NY,STANDARD,yes,", "bad flag"),
        ("12345,Town", "too few columns"),
        ("", "empty line"),
    ];
    for (row, why) in cases {
        assert!(parse_row(row).is_none(), "{why}: {row:?}");
    }
}

#[test]
fn unsorted_input_is_sorted_and_deduplicated() {
    let text = "zip,city,state,zip_type,active,acceptable_cities\n\
                20000,B,DC,STANDARD,true,\n10000,A,NY,STANDARD,true,\n10000,A,NY,STANDARD,true,\n";
    let zips: Vec<_> = parse_table(text).iter().map(|r| r.zip).collect();
    assert_eq!(zips, ["10000", "20000"]);
}

/// Prints the measurements quoted in the module docs (`cargo test --lib load_cost -- --nocapture`).
#[test]
fn load_cost() {
    let started = std::time::Instant::now();
    let rows = parse_embedded_table();
    let elapsed = started.elapsed();
    let bytes = rows * std::mem::size_of::<ZipRecord>();
    println!("zip table: {rows} rows, {elapsed:?} to parse, {bytes} bytes of records");
    assert_eq!(
        std::mem::size_of::<ZipRecord>(),
        72,
        "record size quoted in the docs"
    );
}

#[test]
fn zip_codes_parse_in_the_forms_usps_accepts() {
    let cases = [
        ("80302", Some("80302")),
        (" 80302 ", Some("80302")),
        ("00501", Some("00501")),
        ("80302-1234", Some("80302-1234")),
        ("803021234", Some("80302-1234")),
        ("80302 1234", None),
        ("8030", None),
        ("803021", None),
        ("80302-12", None),
        ("80302-", None),
        ("803O2", None),
        ("abcde", None),
        ("٨٠٣٠٢", None),
        ("８０３０２", None),
        ("", None),
    ];
    for (typed, expected) in cases {
        let parsed = ZipCode::parse(typed);
        assert_eq!(parsed.as_ref().map(ZipCode::full), expected, "{typed:?}");
        if let Some(zip) = parsed {
            assert_eq!(zip.five(), &zip.full()[..5]);
        }
    }
}
