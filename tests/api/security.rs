//! Safe by default: headers, escaping, hostile input, and no key or personal data leaking.

use std::time::Duration;

use wiremock::matchers::path;
use wiremock::{Mock, ResponseTemplate};

use crate::helpers::{LOB_KEY, VERIPHONE_KEY, captured_log, form_with, spawn_app, valid_form};
use crate::providers::to_json;

#[tokio::test]
async fn html_responses_carry_a_strict_csp_and_nosniff() {
    let app = spawn_app().await;
    for resp in [app.get("/").await, app.post_form("/sync", &[]).await] {
        let csp = resp.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            csp.contains("script-src 'self'") && csp.contains("style-src 'self'"),
            "{csp}"
        );
        assert!(
            csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert!(csp.contains("connect-src 'self'"), "the live checks: {csp}");
        assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    }
}

#[tokio::test]
async fn every_answer_carries_the_contracts_headers() {
    let app = spawn_app().await;
    let answers = [
        app.get("/").await,
        app.post_form("/async", &[]).await,
        app.get("/healthz").await,
        app.get("/no-such-page").await,
        app.post_json("", &serde_json::json!({})).await,
    ];
    for resp in answers {
        let url = resp.url().clone();
        let headers = resp.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        for directive in [
            "default-src 'self'",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "base-uri 'none'",
            "object-src 'none'",
        ] {
            assert!(csp.contains(directive), "{url}: {directive} in {csp}");
        }
        assert!(!csp.contains("unsafe-"), "{url}: {csp}");
        assert_eq!(
            headers["cross-origin-opener-policy"], "same-origin",
            "{url}"
        );
        let permissions = headers["permissions-policy"].to_str().unwrap();
        for feature in ["camera=()", "microphone=()", "geolocation=()", "payment=()"] {
            assert!(permissions.contains(feature), "{url}: {permissions}");
        }
    }
}

#[tokio::test]
async fn every_answer_forbids_framing_and_referrers() {
    let app = spawn_app().await;
    let answers = [
        app.get("/").await,
        app.get("/healthz").await,
        app.get("/static/vouch.css").await,
        app.get("/no-such-page").await,
        app.post_json("", &serde_json::json!({})).await,
    ];
    for resp in answers {
        let url = resp.url().clone();
        let headers = resp.headers();
        assert_eq!(headers["x-frame-options"], "DENY", "{url}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{url}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{url}");
        assert!(headers.contains_key("content-security-policy"), "{url}");
        assert_eq!(
            headers.get_all("x-frame-options").iter().count(),
            1,
            "{url}"
        );
    }
}

#[tokio::test]
async fn an_xss_payload_in_any_field_comes_back_escaped() {
    let app = spawn_app().await;
    let payload = r#""><script>alert(1)</script><img src=x onerror=alert(2)>"#;
    let names = crate::helpers::FIELD_NAMES;
    let form: Vec<(&str, &str)> = names.iter().map(|n| (*n, payload)).collect();
    let html = app.post_form("/async", &form).await.text().await.unwrap();
    assert!(!html.contains("<script>alert"), "raw script tag in page");
    assert!(!html.contains("<img src=x"), "raw img tag in page");
    // Escaped, the value survives as text in the inputs.
    assert_eq!(
        crate::helpers::attr(&html, "#firstName", "value").as_deref(),
        Some(payload)
    );
}

#[tokio::test]
async fn hostile_input_never_gets_a_5xx() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    let long = "x".repeat(10 * 1024);
    let control = "Ja\u{0}ne\u{1b}[2J\u{7f}\r\n";
    for value in [
        long.as_str(),
        control,
        "💥\u{202e}",
        "%00%ff",
        "'; DROP TABLE users; --",
    ] {
        for field in [
            "firstName",
            "email",
            "phoneNumber",
            "address",
            "city",
            "state",
            "zip",
        ] {
            let resp = app.post_form("/async", &form_with(&[(field, value)])).await;
            assert_eq!(resp.status(), 200, "{field} = {value:?}");
        }
    }
    // Invalid UTF-8 and duplicate keys in the raw body.
    for body in [
        &b"firstName=%FF%FE&email=\xff\xfe"[..],
        b"firstName=a&firstName=b",
        b"%%%&&&===",
    ] {
        let resp = app
            .http
            .post(app.url("/async"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        assert!(
            resp.status().is_success() || resp.status().is_client_error(),
            "{:?}: {}",
            body,
            resp.status()
        );
    }
    let resp = app
        .http
        .post(app.url("/api/v1/validate"))
        .header("content-type", "application/json")
        .body(b"\xff\xfe".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
}

#[tokio::test]
async fn keys_emails_and_phones_never_leak() {
    let app = spawn_app().await;
    // Providers fail, so error paths (the likeliest to leak) run.
    Mock::given(path("/v2/verify"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&app.veriphone)
        .await;
    Mock::given(path("/v1/us_verifications"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&app.lob)
        .await;
    Mock::given(path("/email"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&app.eva)
        .await;
    let form = form_with(&[
        ("email", "leak.check.7731@example.com"),
        ("phoneNumber", "(202) 555-7731"),
    ]);
    let html = app.post_form("/async", &form).await;
    let headers = format!("{:?}", html.headers());
    let page = html.text().await.unwrap();
    let json = app
        .post_json("", &to_json(&valid_form()))
        .await
        .text()
        .await
        .unwrap();
    let metrics = app.get("/metrics").await.text().await.unwrap();
    let log = captured_log();
    for secret in [LOB_KEY, VERIPHONE_KEY] {
        for (name, text) in [
            ("page", &page),
            ("headers", &headers),
            ("json", &json),
            ("metrics", &metrics),
            ("log", &log),
        ] {
            assert!(!text.contains(secret), "key in {name}");
        }
    }
    for personal in ["leak.check.7731", "555-7731", "5557731"] {
        assert!(
            !log.contains(personal),
            "personal data in the log: {personal}"
        );
    }
    assert!(
        log.contains("provider call failed"),
        "the failures were logged:\n{log}"
    );
}
