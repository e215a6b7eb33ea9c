use super::*;

fn line(number: &str, pre: &str, name: &str, suffix: &str, post: &str, po_box: bool) -> StreetLine {
    StreetLine {
        primary_number: number.to_owned(),
        predirection: pre.to_owned(),
        street_name: name.to_owned(),
        suffix: suffix.to_owned(),
        postdirection: post.to_owned(),
        po_box,
    }
}

#[test]
fn street_lines_parse_into_usps_parts() {
    let cases = [
        (
            "2600 Pearl St",
            line("2600", "", "PEARL", "ST", "", false),
            "tutorial",
        ),
        (
            "1600 Huron Pkwy",
            line("1600", "", "HURON", "PKWY", "", false),
            "tutorial",
        ),
        (
            "1600 Pennsylvania Avenue NW",
            line("1600", "", "PENNSYLVANIA", "AVE", "NW", false),
            "postdirection",
        ),
        (
            "123 N. Main Street",
            line("123", "N", "MAIN", "ST", "", false),
            "predirection with a dot",
        ),
        (
            "123 North St",
            line("123", "", "NORTH", "ST", "", false),
            "direction as the name",
        ),
        (
            "123 East West Hwy",
            line("123", "E", "WEST", "HWY", "", false),
            "both directions",
        ),
        (
            "185 Berry St Ste 6100",
            line("185", "", "BERRY", "ST", "", false),
            "unit dropped",
        ),
        (
            "185 Berry St, Apt. 4",
            line("185", "", "BERRY", "ST", "", false),
            "unit after a comma",
        ),
        (
            "185 Berry St #4",
            line("185", "", "BERRY", "ST", "", false),
            "# unit",
        ),
        (
            "185 Berry St Rear",
            line("185", "", "BERRY", "ST", "", false),
            "unit without number",
        ),
        (
            "12 1/2 Elm St",
            line("12 1/2", "", "ELM", "ST", "", false),
            "fraction",
        ),
        (
            "123-45 Queens Blvd",
            line("123-45", "", "QUEENS", "BLVD", "", false),
            "hyphenated number",
        ),
        (
            "123A Main St",
            line("123A", "", "MAIN", "ST", "", false),
            "lettered number",
        ),
        (
            "1211 Avenue of the Americas",
            line("1211", "", "AVENUE OF THE AMERICAS", "", "", false),
            "no suffix",
        ),
        (
            "350 5th Ave",
            line("350", "", "5TH", "AVE", "", false),
            "numbered street",
        ),
        (
            "10 O'Brien Rd",
            line("10", "", "OBRIEN", "RD", "", false),
            "apostrophe",
        ),
        (
            "1 Avenue",
            line("1", "", "AVENUE", "", "", false),
            "suffix word alone is the name",
        ),
        (
            "PO Box 123",
            line("123", "", "PO BOX", "", "", true),
            "PO box",
        ),
        (
            "P.O. Box 123",
            line("123", "", "PO BOX", "", "", true),
            "dotted PO box",
        ),
        (
            "p o box #77",
            line("77", "", "PO BOX", "", "", true),
            "spaced PO box with #",
        ),
        ("POB 5", line("5", "", "PO BOX", "", "", true), "POB"),
        (
            "Post Office Box 9",
            line("9", "", "PO BOX", "", "", true),
            "spelled out",
        ),
        (
            "RR 2 Box 152",
            line("152", "", "RR 2", "", "", false),
            "rural route",
        ),
        (
            "HC 1 Box 20",
            line("20", "", "HC 1", "", "", false),
            "highway contract",
        ),
        (
            "PSC 3 Box 12",
            line("12", "", "PSC 3", "", "", false),
            "military postal service center",
        ),
    ];
    for (typed, expected, why) in cases {
        assert_eq!(parse_street(typed), Some(expected), "{why}: {typed:?}");
    }
}

#[test]
fn lines_without_number_or_name_do_not_parse() {
    let cases = [
        ("", "empty"),
        ("   ", "spaces"),
        ("Main St", "no house number"),
        ("123", "no street name"),
        ("123 #4", "only a unit"),
        ("PO Box", "PO box without number"),
        ("PO Box 12 34", "two box numbers"),
        ("RR Box 5", "route without number"),
        ("One Microsoft Way", "number in words"),
        ("123 ,,, ...", "punctuation only"),
    ];
    for (typed, why) in cases {
        assert_eq!(parse_street(typed), None, "{why}: {typed:?}");
    }
    assert_eq!(
        parse_street(&"1 Main St ".repeat(30)),
        None,
        "over 200 bytes"
    );
}
