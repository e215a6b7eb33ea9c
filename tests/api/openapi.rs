//! `/openapi.json` describes every JSON endpoint from the code's own types; `/docs` shows it.

use serde_json::{Value, json};

use crate::helpers::{spawn_app, texts};

#[tokio::test]
async fn the_description_covers_every_json_endpoint_and_its_errors() {
    let app = spawn_app().await;
    let resp = app.get("/openapi.json").await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/json");
    let spec: Value = resp.json().await.unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/validate",
        "/api/v1/check/{group}",
        "/api/v1/signups",
    ] {
        let responses = &spec["paths"][path]["post"]["responses"];
        for status in ["200", "400", "401", "403", "413", "415", "422", "429"] {
            assert!(responses.get(status).is_some(), "{path} {status}");
        }
        let body = &spec["paths"][path]["post"]["requestBody"]["content"]["application/json"];
        assert_eq!(
            body["schema"]["$ref"], "#/components/schemas/Form",
            "{path}"
        );
    }
    let error = &spec["components"]["schemas"]["Error"];
    assert_eq!(error["required"], json!(["error"]));
    assert_eq!(error["properties"]["error"]["type"], "string");
    let group = &spec["components"]["schemas"]["CheckKind"]["enum"];
    assert_eq!(*group, json!(["email", "address", "phone"]));
}

#[tokio::test]
async fn every_documented_operation_is_served() {
    let app = spawn_app().await;
    let spec: Value = app.get("/openapi.json").await.json().await.unwrap();
    for (path, item) in spec["paths"].as_object().unwrap() {
        assert!(item.get("post").is_some(), "{path}");
        let concrete = path.replace("{group}", "email");
        let resp = app
            .http
            .post(app.url(&concrete))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{concrete}");
    }
}

#[tokio::test]
async fn the_docs_page_is_served_from_the_binary() {
    let app = spawn_app().await;
    let resp = app.get("/docs").await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    let titles = texts(&html, ".operation h2");
    assert_eq!(
        titles,
        [
            "POST /api/v1/check/{group}",
            "POST /api/v1/signups",
            "POST /api/v1/validate"
        ]
    );
    assert!(!texts(&html, "#schema-Error").is_empty());
    // Nothing from elsewhere, nothing inline: the strict CSP holds.
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no external URL"
    );
    assert!(
        !html.contains("style=") && !html.contains("<script>"),
        "nothing inline"
    );
}
