//! The whole sign-up path on a real PostgreSQL (VOUCH_TEST_POSTGRES_URL) and through a real
//! SMTP server (the sink of VOUCH_TEST_SMTP_URL / VOUCH_TEST_SMTP_DIR). Each test says it
//! skipped when its service is not configured; .ci/run starts both.

use std::time::Duration;

use crate::helpers::{
    form_with, postgres_database, sink_messages, smtp_sink, spawn_app_with, valid_form,
};

#[tokio::test]
async fn the_sign_up_path_works_on_postgres() {
    let Some(url) = postgres_database().await else {
        return;
    };
    let app = spawn_app_with(|s| s.database_url = url.into()).await;
    app.providers_all_pass(Duration::ZERO).await;
    assert_eq!(app.post_form("/async", &valid_form()).await.status(), 200);
    app.wait_for_mail("jane.doe@example.com", 1).await;
    // Once the first email is out, a repeat gets one of its own (while it waits, a repeat
    // shares it: the email is composed when sent).
    assert_eq!(app.post_form("/sync", &valid_form()).await.status(), 200);
    let ids = app.wait_for_mail("jane.doe@example.com", 2).await;
    let link = app.confirmation_link(&ids[0]).await.unwrap();
    assert_eq!(app.http.get(&link).send().await.unwrap().status(), 200);
    assert_eq!(app.http.get(&link).send().await.unwrap().status(), 410);
    let rows = app.export().await;
    assert_eq!(rows.len(), 1, "one sign-up per address");
    assert_eq!(rows[0][10], "confirmed");
}

/// Undoes quoted-printable's soft line breaks and `=3D`, enough to read a link back.
fn unfold(raw: &str) -> String {
    raw.replace("=\r\n", "").replace("=3D", "=")
}

#[tokio::test]
async fn a_confirmation_email_reaches_a_real_smtp_server_once_with_both_parts() {
    let Some((smtp_url, dir)) = smtp_sink() else {
        return;
    };
    let app = spawn_app_with(|s| s.mail.smtp_url = Some(smtp_url.into())).await;
    app.providers_all_pass(Duration::ZERO).await;
    let to = format!("smtp-{}@example.com", vouch::store::ids::new_id().unwrap());
    let sent = "vouch_emails_total{result=\"sent\"}";
    let before = app.metric(sent).await;
    assert_eq!(
        app.post_form("/async", &form_with(&[("email", &to)]))
            .await
            .status(),
        200
    );
    let found = sink_messages(&dir, &to, 1).await;
    assert_eq!(found.len(), 1, "delivered");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink_messages(&dir, &to, 2).await.len(), 1, "and only once");
    let message = unfold(&found[0]);
    for part in [
        "Content-Type: text/plain",
        "Content-Type: text/html",
        "Hello Jane",
        "Message-ID: <",
    ] {
        assert!(message.contains(part), "{part} in {message}");
    }
    let start = message.find("http://").unwrap();
    let link: String = message[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '"' && *c != '<')
        .collect();
    assert!(link.contains("/confirm/"), "{link}");
    assert_eq!(app.http.get(&link).send().await.unwrap().status(), 200);
    assert!(app.metric(sent).await >= before + 1.0);
}
