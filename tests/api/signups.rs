//! Sign-ups: a valid form is kept, its confirmation email reaches the mailbox, the link
//! confirms once; the API; repeats; a database failure; the mailbox's own rules.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{attr, captured_log, form_with, spawn_app, spawn_app_with, texts, valid_form};

const KEPT: &str = "Your sign-up is saved, and a confirmation email is on its way: open the link \
                    in it to confirm your address.";

fn valid_json() -> Value {
    let map: serde_json::Map<String, Value> = valid_form()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Value::from(v)))
        .collect();
    Value::Object(map)
}

#[tokio::test]
async fn a_valid_form_is_kept_and_the_page_says_a_confirmation_email_is_on_its_way() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    for (path, email) in [
        ("/async", "jane@example.com"),
        ("/sync", "john@example.com"),
    ] {
        let resp = app.post_form(path, &form_with(&[("email", email)])).await;
        assert_eq!(resp.status(), 200, "{path}");
        let html = resp.text().await.unwrap();
        assert_eq!(texts(&html, "#signup-kept"), [KEPT], "{path}");
        let ids = app.wait_for_mail(email, 1).await;
        let (_, to, subject) = app
            .mailbox()
            .await
            .into_iter()
            .find(|m| m.0 == ids[0])
            .unwrap();
        assert_eq!(
            (to.as_str(), subject.as_str()),
            (&*format!("Jane Doe <{email}>"), "Confirm your sign-up")
        );
    }
    assert_eq!(app.export().await.len(), 2);
}

#[tokio::test]
async fn an_invalid_form_is_not_kept_and_says_nothing_about_an_email() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    let html = app
        .post_form("/async", &form_with(&[("zip", "8030")]))
        .await
        .text()
        .await
        .unwrap();
    assert!(texts(&html, "#signup-kept").is_empty());
    assert!(app.export().await.is_empty());
}

#[tokio::test]
async fn kept_values_are_the_normalised_ones() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    let form = form_with(&[
        ("firstName", "  Jane "),
        ("email", " Jane.Doe@EXAMPLE.com "),
        ("phoneNumber", "(202) 456-1111"),
        ("state", "co"),
        ("zip", "80302-1234"),
    ]);
    assert_eq!(app.post_form("/async", &form).await.status(), 200);
    let rows = app.export().await;
    let row: Vec<&str> = rows[0].iter().map(String::as_str).collect();
    assert_eq!(
        &row[1..11],
        [
            "Jane.Doe@example.com",
            "Jane",
            "Doe",
            "'+12024561111",
            "2600 Pearl St",
            "",
            "Boulder",
            "CO",
            "80302-1234",
            "pending_confirmation"
        ]
    );
}

#[tokio::test]
async fn the_validation_api_keeps_nothing_and_the_signup_api_keeps_a_valid_one() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    let body = app.validate("", &valid_json()).await;
    assert_eq!(body["valid"], true);
    assert!(app.export().await.is_empty(), "validate stores nothing");

    let resp = app.post_signup(&valid_json()).await;
    assert_eq!(resp.status(), 201);
    assert!(resp.headers().contains_key("server-timing"));
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["status"], "pending_confirmation");
    assert_eq!(body["fields"]["email"]["status"], "valid");
    assert_eq!(body["checks"].as_array().unwrap().len(), 3);
    let rows = app.export().await;
    assert_eq!(rows.len(), 1);
    assert_eq!(body["id"], rows[0][0].as_str());
    app.wait_for_mail("jane.doe@example.com", 1).await;
}

#[tokio::test]
async fn the_signup_api_answers_an_invalid_submission_with_the_validation_result() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    let mut body = valid_json();
    body["zip"] = json!("8030");
    let resp = app.post_signup(&body).await;
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["valid"], false);
    assert_eq!(body["fields"]["zip"]["message"], "Invalid zip");
    assert!(body.get("id").is_none());
    assert!(app.export().await.is_empty());
    let resp = app
        .http
        .post(app.url("/api/v1/signups"))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
}

#[tokio::test]
async fn the_link_confirms_once_then_answers_410_and_an_unknown_token_404() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    app.post_form("/async", &valid_form()).await;
    let ids = app.wait_for_mail("jane.doe@example.com", 1).await;
    let link = app.confirmation_link(&ids[0]).await.unwrap();
    let token = link.rsplit('/').next().unwrap();
    assert!(token.len() >= 22, "at least 128 bits: {token}");
    assert!(
        link.starts_with(&format!("http://{}/confirm/", app.addr)),
        "{link}"
    );

    let first = app.http.get(&link).send().await.unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["cache-control"], "no-store");
    assert_eq!(
        texts(&first.text().await.unwrap(), "h1"),
        ["Sign-up confirmed"]
    );
    assert_eq!(app.export().await[0][10], "confirmed");

    let again = app.http.get(&link).send().await.unwrap();
    assert_eq!(again.status(), 410);
    let html = again.text().await.unwrap();
    assert_eq!(
        texts(&html, "h1"),
        ["This link has been used or has expired"]
    );

    for unknown in ["A".repeat(43), "nope".into(), format!("{token}x")] {
        let resp = app.get(&format!("/confirm/{unknown}")).await;
        assert_eq!(resp.status(), 404, "{unknown}");
    }
}

#[tokio::test]
async fn signing_up_again_neither_duplicates_nor_reveals_and_the_email_says_what_is_needed() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    let success = |html: String| texts(&html, ".success");
    let first = success(
        app.post_form("/async", &valid_form())
            .await
            .text()
            .await
            .unwrap(),
    );
    let ids = app.wait_for_mail("jane.doe@example.com", 1).await;
    let old_link = app.confirmation_link(&ids[0]).await.unwrap();

    // Still pending: the same page, and a fresh link.
    let changed = form_with(&[("email", "JANE.DOE@example.com"), ("address2", "Apt 1")]);
    let second = success(
        app.post_form("/async", &changed)
            .await
            .text()
            .await
            .unwrap(),
    );
    assert_eq!(
        first, second,
        "the page does not tell a repeat from a first sign-up"
    );
    let ids = app.wait_for_mail("example.com", 2).await;
    let new_link = app.confirmation_link(&ids[0]).await.unwrap();
    assert_ne!(old_link, new_link);
    let rows = app.export().await;
    assert_eq!(rows.len(), 1, "one sign-up per address");
    assert_eq!(
        rows[0][6], "Apt 1",
        "a pending sign-up takes the latest details"
    );

    assert_eq!(app.http.get(&new_link).send().await.unwrap().status(), 200);
    assert_eq!(
        app.http.get(&old_link).send().await.unwrap().status(),
        410,
        "every link is spent"
    );

    // Confirmed: the same page again, and an email that says so, without a link.
    let third = success(
        app.post_form("/async", &valid_form())
            .await
            .text()
            .await
            .unwrap(),
    );
    assert_eq!(first, third);
    let ids = app.wait_for_mail("example.com", 3).await;
    let (_, _, subject) = app
        .mailbox()
        .await
        .into_iter()
        .find(|m| m.0 == ids[0])
        .unwrap();
    assert_eq!(subject, "You are already signed up");
    assert_eq!(app.confirmation_link(&ids[0]).await, None);
    let rows = app.export().await;
    assert_eq!(
        (rows.len(), rows[0][6].as_str()),
        (1, "Apt 1"),
        "a confirmed sign-up is left alone"
    );
}

#[tokio::test]
async fn the_signup_counter_grows_with_each_kept_submission() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    let new = "vouch_signups_total{kind=\"new\"}";
    let before = app.metric(new).await;
    app.post_form("/async", &valid_form()).await;
    assert!(app.metric(new).await >= before + 1.0);
    let body = app.get("/metrics").await.text().await.unwrap();
    for name in [
        "vouch_emails_total{result=\"sent\"}",
        "vouch_emails_total{result=\"retried\"}",
        "vouch_emails_total{result=\"failed\"}",
        "vouch_email_queue_depth",
        "vouch_email_queue_oldest_seconds",
    ] {
        assert!(body.contains(name), "{name}");
    }
}

#[tokio::test]
async fn a_database_failure_keeps_the_validation_result_and_answers_503() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    // Break the outbox under the running app.
    let pool = sqlx::SqlitePool::connect(&app.database_url).await.unwrap();
    sqlx::query("ALTER TABLE email_outbox RENAME TO broken_outbox")
        .execute(&pool)
        .await
        .unwrap();
    let form = form_with(&[("email", "db.down@example.com")]);
    let resp = app.post_form("/async", &form).await;
    assert_eq!(resp.status(), 503);
    let html = resp.text().await.unwrap();
    assert_eq!(
        texts(&html, ".notice"),
        ["We couldn't save your sign-up, please try again."]
    );
    assert!(texts(&html, "#signup-kept").is_empty());
    assert_eq!(
        attr(&html, "#email", "value").as_deref(),
        Some("db.down@example.com")
    );
    assert_eq!(texts(&html, ".success h2"), ["Everything checks out"]);

    let mut body = valid_json();
    body["email"] = json!("db.down@example.com");
    let resp = app.post_signup(&body).await;
    assert_eq!(resp.status(), 503);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["fields"]["email"]["status"], "valid");
    assert!(
        app.export().await.is_empty(),
        "the transaction left nothing behind"
    );
    assert!(captured_log().contains("keeping a sign-up failed"));
    assert!(
        !captured_log().contains("db.down@"),
        "no address in the log"
    );
}

#[tokio::test]
async fn the_mailbox_lists_newest_first_and_escapes_what_people_typed() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    let name = "<b>Ann</b>";
    app.post_form(
        "/async",
        &form_with(&[("email", "first@example.com"), ("firstName", name)]),
    )
    .await;
    app.wait_for_mail("first@example.com", 1).await;
    app.post_form("/async", &form_with(&[("email", "second@example.com")]))
        .await;
    app.wait_for_mail("second@example.com", 1).await;
    let mail = app.mailbox().await;
    assert!(
        mail[0].1.contains("second@") && mail[1].1.contains("first@"),
        "{mail:?}"
    );

    let resp = app.get(&format!("/mailbox/{}", mail[1].0)).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let html = resp.text().await.unwrap();
    assert!(!html.contains("<b>Ann"), "escaped on the page");
    let text = texts(&html, "pre.email-text").join("");
    assert!(text.contains("Hello <b>Ann</b>,"), "{text}");
    let html_part = texts(&html, "pre.email-html").join("");
    assert!(
        html_part.contains("Hello &#60;b&#62;Ann&#60;/b&#62;,"),
        "escaped in the email: {html_part}"
    );
    assert_eq!(
        app.get("/mailbox/0123456789abcdef0123456789abcdef")
            .await
            .status(),
        404
    );
    assert_eq!(app.get("/mailbox/not-an-id").await.status(), 404);
}

#[tokio::test]
async fn with_smtp_configured_the_mailbox_is_404() {
    let app = spawn_app_with(|s| s.mail.smtp_url = Some("smtp://127.0.0.1:9".into())).await;
    assert_eq!(app.get("/mailbox").await.status(), 404);
    assert_eq!(
        app.get("/mailbox/0123456789abcdef0123456789abcdef")
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn an_email_that_cannot_be_sent_is_retried_then_left_failed_and_counted() {
    // Nothing listens on the discard port: every attempt is refused.
    let app = spawn_app_with(|s| s.mail.smtp_url = Some("smtp://127.0.0.1:9".into())).await;
    app.providers_all_pass(Duration::ZERO).await;
    let (retried, failed) = (
        "vouch_emails_total{result=\"retried\"}",
        "vouch_emails_total{result=\"failed\"}",
    );
    let (retried_before, failed_before) = (app.metric(retried).await, app.metric(failed).await);
    app.post_form("/async", &form_with(&[("email", "unlucky@example.com")]))
        .await;
    let pool = sqlx::SqlitePool::connect(&app.database_url).await.unwrap();
    let mut state = String::new();
    for _ in 0..200 {
        let row: (String, i64) = sqlx::query_as("SELECT state, attempts FROM email_outbox")
            .fetch_one(&pool)
            .await
            .unwrap();
        state = row.0;
        if state == "failed" {
            assert_eq!(row.1, 3, "the cap on attempts");
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(state, "failed", "the job stays visible as failed");
    assert!(app.metric(retried).await >= retried_before + 2.0);
    assert!(app.metric(failed).await >= failed_before + 1.0);
    let log = captured_log();
    assert!(log.contains("email job failed for good"), "{log}");
    assert!(!log.contains("unlucky@"), "no address in the log");
}
