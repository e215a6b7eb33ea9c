//! Another site's page cannot make a visitor's browser submit the form or call the API: the
//! browser says where a request comes from (`Sec-Fetch-Site`, `Origin`), and anything but
//! this site is refused before a provider is asked. Clients that send neither header (curl,
//! servers) are not browsers under attack and pass.

use std::time::Duration;

use crate::helpers::{spawn_app, texts, valid_form};
use crate::providers::to_json;

#[tokio::test]
async fn a_form_posted_from_another_site_is_refused_with_a_page_and_no_provider_call() {
    let app = spawn_app().await;
    app.expect_no_provider_calls().await;
    let evil_origin = "https://evil.example".to_owned();
    let same_host_other_port = format!("http://127.0.0.1:{}", app.addr.port() + 1);
    let refused: [(&str, &str, String); 4] = [
        ("/async", "sec-fetch-site", "cross-site".to_owned()),
        ("/sync", "sec-fetch-site", "same-site".to_owned()),
        ("/async", "origin", evil_origin),
        ("/sync", "origin", same_host_other_port),
    ];
    for (route, name, value) in refused {
        let resp = app
            .http
            .post(app.url(route))
            .header(name, &value)
            .form(&valid_form())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 403, "{route} {name}: {value}");
        assert_eq!(resp.headers()["content-type"], "text/html; charset=utf-8");
        let html = resp.text().await.unwrap();
        let notice = texts(&html, ".notice").join(" ");
        assert!(notice.contains("sent from another website"), "{notice}");
        assert!(html.contains("<form"), "the page offers the form again");
    }
}

#[tokio::test]
async fn the_comparison_is_refused_to_other_sites_too() {
    let app = spawn_app().await;
    app.expect_no_provider_calls().await;
    let resp = app
        .http
        .post(app.url("/compare"))
        .header("sec-fetch-site", "cross-site")
        .form(&valid_form())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
}

#[tokio::test]
async fn the_api_refuses_other_sites_with_json() {
    let app = spawn_app().await;
    app.expect_no_provider_calls().await;
    for path in [
        "/api/v1/validate",
        "/api/v1/check/email",
        "/api/v1/check/address",
    ] {
        let resp = app
            .http
            .post(app.url(path))
            .header("sec-fetch-site", "cross-site")
            .json(&to_json(&valid_form()))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 403, "{path}");
        let body: serde_json::Value = resp.json().await.unwrap();
        let error = body["error"].as_str().unwrap();
        assert!(error.contains("cross-site"), "{path}: {body}");
    }
}

#[tokio::test]
async fn the_same_site_and_non_browsers_are_served() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    let own_origin = format!("http://{}", app.addr);
    let allowed: [(Option<(&str, &str)>, &str); 4] = [
        (Some(("sec-fetch-site", "same-origin")), "same origin"),
        (
            Some(("sec-fetch-site", "none")),
            "typed into the address bar",
        ),
        (
            Some(("origin", own_origin.as_str())),
            "an old browser, same origin",
        ),
        (None, "no browser headers (curl)"),
    ];
    for (header, why) in allowed {
        let mut request = app.http.post(app.url("/async")).form(&valid_form());
        if let Some((name, value)) = header {
            request = request.header(name, value);
        }
        let resp = request.send().await.unwrap();
        assert_eq!(resp.status(), 200, "{why}");
    }
}

#[tokio::test]
async fn pages_are_not_guarded_only_submissions() {
    let app = spawn_app().await;
    for route in ["/", "/sync", "/async", "/static/vouch.css", "/healthz"] {
        let resp = app
            .http
            .get(app.url(route))
            .header("sec-fetch-site", "cross-site")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{route}");
    }
}
