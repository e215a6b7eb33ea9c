//! Personal and operator data: pages holding what was typed are never cached, a form that is
//! not UTF-8 is refused rather than silently repaired, and `/metrics` can live on an address
//! of its own.

use std::time::Duration;

use crate::helpers::{spawn_app, spawn_app_with, valid_form};

#[tokio::test]
async fn answers_holding_submitted_values_are_not_stored() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    let page = app.post_form("/async", &valid_form()).await;
    assert_eq!(page.headers()["cache-control"], "no-store");
    let json = app
        .post_json("", &crate::providers::to_json(&valid_form()))
        .await;
    assert_eq!(json.headers()["cache-control"], "no-store");
    // The binary's own assets may be cached; they hold nobody's data.
    let css = app.get("/static/vouch.css").await;
    assert_eq!(css.headers()["cache-control"], "public, max-age=3600");
}

#[tokio::test]
async fn a_form_that_is_not_utf8_is_400_and_calls_no_provider() {
    let app = spawn_app().await;
    app.expect_no_provider_calls().await;
    let bodies: [&[u8]; 3] = [
        b"firstName=Jane&email=\xff\xfe@example.com",
        b"firstName=%FF%FEJane",
        b"city=Boulder%C3",
    ];
    for body in bodies {
        let resp = app
            .http
            .post(app.url("/async"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{body:?}");
        let html = resp.text().await.unwrap();
        assert!(html.contains("not sent as UTF-8 text"), "{body:?}");
    }
}

#[tokio::test]
async fn metrics_can_have_an_address_of_their_own() {
    let app = spawn_app_with(|s| {
        s.protection.metrics_listen = Some("127.0.0.1:0".parse().unwrap());
    })
    .await;
    assert_eq!(app.get("/metrics").await.status(), 404);
    assert_eq!(app.get("/healthz").await.status(), 200);
    let metrics_addr = app.metrics_addr.expect("a metrics address");
    assert_ne!(metrics_addr, app.addr);
    let resp = app
        .http
        .get(format!("http://{metrics_addr}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let text = resp.text().await.unwrap();
    assert!(text.contains("vouch_http_requests_total"), "{text}");
    let other = app.http.get(format!("http://{metrics_addr}/")).send().await;
    assert_eq!(other.unwrap().status(), 404, "only /metrics there");
}

#[tokio::test]
async fn without_its_own_address_metrics_stay_on_the_app() {
    let app = spawn_app().await;
    assert_eq!(app.get("/metrics").await.status(), 200);
    assert!(app.metrics_addr.is_none());
}
