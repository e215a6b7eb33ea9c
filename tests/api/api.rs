//! The JSON API's contract: shape, defaults, and its 400 / 413 / 415 / 422 answers.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{spawn_app, valid_form};
use crate::providers::to_json;

#[tokio::test]
async fn a_valid_submission_has_the_contracts_shape() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    let json = app.validate("", &to_json(&valid_form())).await;
    assert_eq!(json["valid"], true);
    assert_eq!(json["mode"], "concurrent", "mode defaults to concurrent");
    assert!(json["elapsed_ms"].as_f64().unwrap() >= 0.0);
    let fields = json["fields"].as_object().unwrap();
    assert_eq!(fields.len(), 9);
    assert_eq!(fields["address2"], json!({"status": "empty"}));
    assert_eq!(fields["firstName"], json!({"status": "valid"}));
    let checks: Vec<(String, String, String)> = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["check"].to_string(),
                c["provider"].to_string(),
                c["outcome"].to_string(),
            )
        })
        .collect();
    assert_eq!(
        checks,
        [
            (r#""email""#.into(), r#""eva""#.into(), r#""pass""#.into()),
            (r#""address""#.into(), r#""lob""#.into(), r#""pass""#.into()),
            (
                r#""phone""#.into(),
                r#""veriphone""#.into(),
                r#""pass""#.into()
            )
        ]
    );
}

#[tokio::test]
async fn missing_keys_are_empty_strings_and_locally_decided_checks_are_skipped() {
    let app = spawn_app().await;
    let json: Value = app
        .validate("?mode=sequential", &json!({"firstName": "Jane"}))
        .await;
    assert_eq!(json["mode"], "sequential");
    assert_eq!(
        json["fields"]["lastName"],
        json!({"status": "invalid", "message": "Last name is required."})
    );
    assert_eq!(
        json["fields"]["email"]["message"],
        "Email address is required."
    );
    for check in json["checks"].as_array().unwrap() {
        assert_eq!(check["outcome"], "skipped");
        assert_eq!(check["duration_ms"], 0.0);
    }
}

#[tokio::test]
async fn bad_requests_get_json_errors_with_the_right_status() {
    let app = spawn_app().await;
    let url = app.url("/api/v1/validate");
    let json_post = |body: Vec<u8>| {
        app.http
            .post(&url)
            .header("content-type", "application/json")
            .body(body)
    };
    let cases = [
        (
            "malformed JSON",
            json_post(b"{\"firstName\": ".to_vec()),
            400,
        ),
        ("not an object", json_post(b"[1, 2]".to_vec()), 422),
        (
            "an array of nine strings (serde reads a struct from one)",
            json_post(br#"["Jane","Doe","jane@example.com","2024561111","2600 Pearl St","","Boulder","CO","80302"]"#.to_vec()),
            422,
        ),
        ("a string", json_post(br#""Jane""#.to_vec()), 422),
        ("null", json_post(b"null".to_vec()), 422),
        (
            "a value that is not a string",
            json_post(br#"{"firstName": 5}"#.to_vec()),
            422,
        ),
        (
            "over 64 KiB",
            json_post(format!(r#"{{"firstName": "{}"}}"#, "a".repeat(70 * 1024)).into_bytes()),
            413,
        ),
        (
            "wrong content type",
            app.http
                .post(&url)
                .header("content-type", "text/plain")
                .body("{}"),
            415,
        ),
        ("no content type", app.http.post(&url).body("{}"), 415),
        (
            "unknown mode",
            app.http
                .post(format!("{url}?mode=parallel"))
                .json(&json!({})),
            400,
        ),
    ];
    for (what, request, status) in cases {
        let resp = request.send().await.unwrap();
        assert_eq!(resp.status(), status, "{what}");
        let body: Value = resp
            .json()
            .await
            .unwrap_or_else(|e| panic!("{what}: body is not JSON: {e}"));
        assert!(
            body["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{what}: {body}"
        );
    }
}

#[tokio::test]
async fn deeply_nested_json_never_crashes_the_server() {
    let app = spawn_app().await;
    let deep_object = format!(
        "{{\"firstName\": \"a\", \"x\": {}1{}}}",
        "{\"a\":".repeat(5000),
        "}".repeat(5000)
    );
    for body in [deep_object, "[".repeat(5000) + &"]".repeat(5000)] {
        let resp = app
            .http
            .post(app.url("/api/v1/validate"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        // An unknown key is ignored however deep it goes; a nested array is the wrong shape.
        let status = resp.status();
        assert!(status == 200 || status.is_client_error(), "{status}");
    }
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn a_form_body_over_16_kib_is_refused() {
    let app = spawn_app().await;
    let big = "a".repeat(17 * 1024);
    let resp = app
        .post_form("/async", &[("firstName", big.as_str())])
        .await;
    assert_eq!(resp.status(), 413);
    let html = resp.text().await.unwrap();
    assert!(html.contains("too large"), "{html}");
}
