//! The HTML form: fields, messages, values kept, accessibility attributes.

use std::time::Duration;

use wiremock::matchers::path;
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::{attr, form_with, lob_answer, spawn_app, texts, valid_form};

#[tokio::test]
async fn the_form_has_nine_labelled_fields_and_the_56_states() {
    let app = spawn_app().await;
    for path in ["/", "/sync", "/async"] {
        let resp = app.get(path).await;
        assert_eq!(resp.status(), 200, "{path}");
        let html = resp.text().await.unwrap();
        for id in crate::helpers::FIELD_NAMES {
            assert_eq!(
                texts(&html, &format!("label[for={id}]")).len(),
                1,
                "{path}: label for {id}"
            );
            assert!(
                attr(&html, &format!("[name={id}]"), "id").is_some(),
                "{path}: input {id}"
            );
        }
        assert_eq!(
            texts(&html, "#state option[value]:not([value=''])").len(),
            56,
            "{path}"
        );
    }
    let sync = app.get("/sync").await.text().await.unwrap();
    assert_eq!(attr(&sync, "form", "action").as_deref(), Some("/sync"));
    let home = app.get("/").await.text().await.unwrap();
    assert_eq!(attr(&home, "form", "action").as_deref(), Some("/async"));
}

#[tokio::test]
async fn an_empty_submission_names_every_missing_field_and_asks_no_provider() {
    let app = spawn_app().await;
    // No mocks mounted: any provider call would get a 404 and show up as unverified.
    let resp = app.post_form("/async", &[]).await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    let expected = [
        ("firstName", "First name is required."),
        ("lastName", "Last name is required."),
        ("email", "Email address is required."),
        ("phoneNumber", "Phone number is required."),
        ("address", "Address is required."),
        ("city", "City is required."),
        ("state", "State is required."),
        ("zip", "Zip is required."),
    ];
    for (id, message) in expected {
        assert_eq!(
            texts(&html, &format!("#{id}-error")),
            [format!("Error: {message}")],
            "{id}"
        );
        assert_eq!(
            attr(&html, &format!("#{id}"), "aria-invalid").as_deref(),
            Some("true"),
            "{id}"
        );
        assert_eq!(
            attr(&html, &format!("#{id}"), "aria-describedby"),
            Some(format!("{id}-error")),
            "{id}"
        );
        let link = format!(".error-summary a[href='#{id}']");
        assert_eq!(texts(&html, &link), [message], "summary link for {id}");
    }
    assert!(
        texts(&html, "#address2-error").is_empty(),
        "address2 is optional"
    );
    for server in [&app.eva, &app.lob, &app.veriphone] {
        assert!(server.received_requests().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_valid_submission_shows_success_and_keeps_the_values() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    let html = app
        .post_form("/async", &valid_form())
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(texts(&html, ".success h2"), ["Everything checks out"]);
    assert!(texts(&html, ".error-summary").is_empty());
    for (id, value) in valid_form() {
        if id != "state" {
            assert_eq!(
                attr(&html, &format!("#{id}"), "value").as_deref(),
                Some(value),
                "{id}"
            );
        }
    }
    assert_eq!(texts(&html, "#state option[selected]"), ["Colorado"]);
}

#[tokio::test]
async fn local_checks_give_the_contracts_messages() {
    let app = spawn_app().await;
    let cases = [
        (("email", "not-an-email"), "email", "Invalid email address"),
        (
            ("phoneNumber", "123"),
            "phoneNumber",
            "Invalid phone number",
        ),
        (("zip", "8030"), "zip", "Invalid zip"),
        (("state", "XX"), "state", "Invalid state"),
        (("address", "Pearl St"), "address", "Invalid address"),
    ];
    for (change, id, message) in cases {
        let html = app
            .post_form("/async", &form_with(&[change]))
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(
            texts(&html, &format!("#{id}-error")),
            [format!("Error: {message}")],
            "{change:?}"
        );
    }
}

#[tokio::test]
async fn the_page_shows_the_total_and_one_bar_per_call() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::from_millis(20)).await;
    let html = app
        .post_form("/sync", &valid_form())
        .await
        .text()
        .await
        .unwrap();
    // Two layouts of one chart (wide, and narrow for phones), one bar per call in each.
    assert_eq!(texts(&html, "svg.waterfall--wide rect.bar").len(), 3);
    assert_eq!(texts(&html, "svg.waterfall--narrow rect.bar").len(), 3);
    assert_eq!(texts(&html, ".timing-table tbody tr").len(), 3);
    let summary = texts(&html, ".timing p").join(" ");
    assert!(summary.contains("sequential"), "{summary}");
    // Durations in ms with one decimal; each call took at least the providers' 20 ms.
    let took: Vec<f64> = texts(&html, ".timing-table tbody td:nth-child(3)")
        .iter()
        .map(|t| {
            assert!(t.split_once('.').is_some_and(|(_, d)| d.len() == 1), "{t}");
            t.parse().unwrap()
        })
        .collect();
    assert!(took.iter().all(|t| *t >= 20.0), "{took:?}");
    let labels = texts(&html, "svg.waterfall text.bar-label");
    assert!(
        labels.iter().all(|l| l.ends_with(" ms · pass")),
        "{labels:?}"
    );
    // The whole page fits the buffer rendering reserves, so it is never copied while written.
    assert!(
        html.len() <= vouch::web::pages::PAGE_CAPACITY,
        "{} bytes",
        html.len()
    );
}

#[tokio::test]
async fn a_typo_in_a_common_domain_offers_a_suggestion_that_works_without_javascript() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    let html = app
        .post_form("/async", &form_with(&[("email", "jane.doe@gmial.com")]))
        .await
        .text()
        .await
        .unwrap();
    let button = "#email-suggestion button[type=submit]";
    assert_eq!(attr(&html, button, "name").as_deref(), Some("email"));
    assert_eq!(
        attr(&html, button, "value").as_deref(),
        Some("jane.doe@gmail.com")
    );
    // Pressing it sends the form with the button's value after the field's: the fix wins.
    let mut form = form_with(&[("email", "jane.doe@gmial.com")]);
    form.push(("email", "jane.doe@gmail.com"));
    let html = app.post_form("/async", &form).await.text().await.unwrap();
    assert_eq!(
        attr(&html, "#email", "value").as_deref(),
        Some("jane.doe@gmail.com")
    );
    assert!(texts(&html, "#email-suggestion").is_empty());
    assert_eq!(texts(&html, "#email-ok"), ["Checked"]);
}

#[tokio::test]
async fn enter_in_a_field_submits_with_the_main_button_not_a_suggestion() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    let html = app
        .post_form("/async", &form_with(&[("email", "jane.doe@gmial.com")]))
        .await
        .text()
        .await
        .unwrap();
    // Implicit submission uses the form's first submit button: it carries no name.
    let first = attr(&html, "form button[type=submit]", "class");
    assert_eq!(first.as_deref(), Some("default-submit"));
    assert_eq!(attr(&html, "form button[type=submit]", "name"), None);
}

#[tokio::test]
async fn hints_stand_beside_the_message_and_describe_the_input() {
    let app = spawn_app().await;
    let html = app
        .post_form("/async", &form_with(&[("phoneNumber", "303 442 246")]))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        texts(&html, "#phoneNumber-error"),
        ["Error: Invalid phone number"]
    );
    assert_eq!(
        texts(&html, "#phoneNumber-hint"),
        ["US numbers have 10 digits, like 303 442 2466."]
    );
    assert_eq!(
        attr(&html, "#phoneNumber", "aria-describedby").as_deref(),
        Some("phoneNumber-error phoneNumber-hint")
    );
    assert_eq!(
        texts(&html, ".error-summary a[href='#phoneNumber']"),
        ["Invalid phone number"]
    );
}

#[tokio::test]
async fn valid_fields_say_so_in_words_not_colour_alone() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    let html = app
        .post_form("/async", &valid_form())
        .await
        .text()
        .await
        .unwrap();
    for id in ["email", "phoneNumber", "address", "city", "state", "zip"] {
        assert_eq!(texts(&html, &format!("#{id}-ok")), ["Checked"], "{id}");
        let described = attr(&html, &format!("#{id}"), "aria-describedby");
        assert_eq!(described, Some(format!("{id}-ok")), "{id}");
    }
    assert!(texts(&html, "#address2-ok").is_empty(), "left blank");
}

#[tokio::test]
async fn no_part_of_an_address_that_failed_is_marked_checked() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    app.lob.reset().await;
    Mock::given(path("/v1/us_verifications"))
        .respond_with(ResponseTemplate::new(200).set_body_json(lob_answer(
            "undeliverable",
            "SCHENECTADY",
            "NY",
            "12345",
        )))
        .mount(&app.lob)
        .await;
    let form = form_with(&[
        ("address", "1600 Huron Pkwy"),
        ("city", "Detroit"),
        ("state", "MI"),
        ("zip", "12345"),
    ]);
    let html = app.post_form("/async", &form).await.text().await.unwrap();
    assert_eq!(texts(&html, "#zip-error"), ["Error: Invalid zip"]);
    // The street and the city are not at fault, but nobody confirmed them either.
    for id in ["address", "city"] {
        assert!(texts(&html, &format!("#{id}-ok")).is_empty(), "{id}");
        assert!(texts(&html, &format!("#{id}-error")).is_empty(), "{id}");
    }
    assert_eq!(
        texts(&html, "#email-ok"),
        ["Checked"],
        "its own check passed"
    );
}
