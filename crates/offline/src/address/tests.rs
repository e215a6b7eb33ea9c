use super::*;

fn input<'a>(
    primary_line: &'a str,
    city: &'a str,
    state: &'a str,
    zip_code: &'a str,
) -> TypedAddress<'a> {
    TypedAddress {
        primary_line,
        secondary_line: "",
        city,
        state,
        zip_code,
    }
}

fn faults(street: bool, city: bool, state: bool, zip: bool) -> AddressFaults {
    AddressFaults {
        street,
        city,
        state,
        zip,
    }
}

#[test]
fn verdicts_flag_only_the_fields_at_fault() {
    let none = AddressFaults::default();
    let cases = [
        (
            input("2600 Pearl St", "Boulder", "CO", "80302"),
            none,
            "tutorial's good address",
        ),
        (
            input("2600 pearl street", "BOULDER", "co", "80302-1234"),
            none,
            "case, ZIP+4, long suffix",
        ),
        (
            input("2600 Pearl St", "Boulder", "Colorado", "803021234"),
            none,
            "state name, 9-digit ZIP",
        ),
        (
            input("1600 Huron Pkwy", "Detroit", "MI", "12345"),
            faults(false, false, true, true),
            "tutorial: 12345 is Schenectady NY, so zip and state (one cause, not the city too)",
        ),
        (
            input("1600 Huron Pkwy", "Ann Arbor", "MI", "48105"),
            none,
            "tutorial's corrected address",
        ),
        (
            input("100 Main St", "St Paul", "MN", "55101"),
            none,
            "St Paul for Saint Paul",
        ),
        (
            input("100 Main St", "Saint Paul", "MN", "55101"),
            none,
            "primary name",
        ),
        (
            input("100 Main St", "Minneapolis", "MN", "55101"),
            faults(false, true, false, false),
            "wrong city",
        ),
        (
            input("100 Main St", "Saint Paul", "WI", "55101"),
            faults(false, false, true, true),
            "ZIP of another state",
        ),
        (
            input("100 Main St", "Saint Paul", "XX", "55101"),
            faults(false, false, true, false),
            "no such state",
        ),
        (
            input("100 Main St", "Saint Paul", "", "55101"),
            faults(false, false, true, false),
            "empty state",
        ),
        (
            input("100 Main St", "", "MN", "55101"),
            faults(false, true, false, false),
            "empty city",
        ),
        (
            input("100 Main St", "Springfield", "IL", "00000"),
            faults(false, false, false, true),
            "unknown ZIP",
        ),
        (
            input("100 Main St", "Springfield", "IL", "6270"),
            faults(false, false, false, true),
            "4-digit ZIP",
        ),
        (
            input("100 Main St", "Springfield", "IL", "62704-12"),
            faults(false, false, false, true),
            "bad ZIP+4",
        ),
        (
            input("100 Main St", "", "IL", ""),
            faults(false, true, false, true),
            "no ZIP, no city",
        ),
        (
            input("100 Main St", "Springfield", "MA", "01133"),
            faults(false, false, false, true),
            "inactive ZIP",
        ),
        (
            input("Main St", "Boulder", "CO", "80302"),
            faults(true, false, false, false),
            "no house number",
        ),
        (
            input("123", "Boulder", "CO", "80302"),
            faults(true, false, false, false),
            "no street name",
        ),
        (
            input("", "Boulder", "CO", "80302"),
            faults(true, false, false, false),
            "empty street",
        ),
        (
            input("100 Biscayne Blvd", "Miami", "FL", "33101"),
            faults(true, false, false, false),
            "street line in a PO-box-only ZIP",
        ),
        (
            input("PO Box 1234", "Miami", "FL", "33101"),
            none,
            "PO box in a PO-box-only ZIP",
        ),
        (
            input("P.O. Box 1234", "Boulder", "CO", "80302"),
            none,
            "PO box in a standard ZIP",
        ),
        (
            input("Unit 2050 Box 4190", "APO", "AP", "96278"),
            none,
            "military unit and box",
        ),
        (
            input("1 Main St", "Apo", "AE", "09001"),
            none,
            "military ZIP, APO city",
        ),
    ];
    for (address, expected, why) in cases {
        let verdict = assess(&address);
        assert_eq!(verdict.faults, expected, "{why}: {address:?}");
        assert_eq!(verdict.deliverable(), !expected.any(), "{why}: deliverable");
    }
}

#[test]
fn verdict_carries_the_zip_record_and_street() {
    let verdict = assess(&input("1600 Huron Pkwy", "Detroit", "MI", "12345"));
    let zip = verdict.zip.expect("12345 exists");
    assert_eq!(
        (zip.city, zip.state),
        ("Schenectady", "NY"),
        "the ZIP's own record"
    );
    assert_eq!(
        verdict.street.map(|s| s.street_name),
        Some("HURON".to_owned())
    );
    assert!(
        assess(&input("1 Main St", "X", "CA", "00000"))
            .zip
            .is_none(),
        "unknown ZIP"
    );
}
