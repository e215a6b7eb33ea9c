//! Lob over HTTP: auth, validation, verdicts, rate limit.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

use super::{TestSandbox, read};
use crate::PLACEHOLDER_KEY;

const RATE_HEADERS: [&str; 6] = [
    "x-rate-limit-limit",
    "x-rate-limit-remaining",
    "x-rate-limit-reset",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
];

fn assert_rate_headers(headers: &HeaderMap, context: &str) {
    for name in RATE_HEADERS {
        assert!(headers.contains_key(name), "{context}: {name} missing");
    }
    assert_eq!(headers["x-rate-limit-limit"], "300", "{context}");
}

async fn lob_error(response: reqwest::Response) -> (StatusCode, String) {
    assert_rate_headers(response.headers(), "error answer");
    let (status, content_type, body) = read(response).await;
    assert_eq!(content_type, "application/json");
    assert_eq!(body["error"]["status_code"], status.as_u16());
    (
        status,
        body["error"]["code"].as_str().unwrap_or("").to_owned(),
    )
}

const PEARL: [(&str, &str); 4] = [
    ("primary_line", "2600 Pearl St"),
    ("city", "Boulder"),
    ("state", "CO"),
    ("zip_code", "80302"),
];

#[tokio::test]
async fn no_credentials_is_401_unauthorized() {
    let sb = TestSandbox::start().await;
    let response = sb.lob_as(None, &PEARL).await;
    assert_eq!(
        lob_error(response).await,
        (StatusCode::UNAUTHORIZED, "unauthorized".into())
    );
}

#[tokio::test]
async fn the_key_invalid_is_401_invalid_api_key() {
    let sb = TestSandbox::start().await;
    let response = sb.lob_as(Some("invalid"), &PEARL).await;
    assert_eq!(
        lob_error(response).await,
        (StatusCode::UNAUTHORIZED, "invalid_api_key".into())
    );
}

#[tokio::test]
async fn bad_bodies_are_422_invalid() {
    let sb = TestSandbox::start().await;
    let cases: [&[(&str, &str)]; 5] = [
        &[("city", "Boulder"), ("state", "CO"), ("zip_code", "80302")],
        &[("primary_line", "2600 Pearl St")],
        &[("primary_line", "2600 Pearl St"), ("zip_code", "8030")],
        &[("address", "2600 Pearl St 80302"), ("city", "Boulder")],
        &[
            ("primary_line", "2600 Pearl St"),
            ("zip_code", "80302"),
            ("state", &"X".repeat(51)),
        ],
    ];
    for form in cases {
        let got = lob_error(sb.lob(form).await).await;
        assert_eq!(
            got,
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid".into()),
            "{form:?}"
        );
    }
    let url = sb.url("/v1/us_verifications?case=shouting");
    let request = sb
        .client
        .post(url)
        .basic_auth(PLACEHOLDER_KEY, Some(""))
        .form(&PEARL);
    let got = lob_error(request.send().await.unwrap()).await;
    assert_eq!(got.0, StatusCode::UNPROCESSABLE_ENTITY, "unknown case");
}

#[tokio::test]
async fn the_tutorials_boulder_address_is_deliverable() {
    let sb = TestSandbox::start().await;
    let response = sb.lob(&PEARL).await;
    assert_rate_headers(response.headers(), "verdict");
    let (status, content_type, body) = read(response).await;
    assert_eq!(
        (status, content_type.as_str()),
        (StatusCode::OK, "application/json")
    );
    assert_eq!(body["deliverability"], "deliverable");
    assert_eq!(body["primary_line"], "2600 PEARL ST");
    assert_eq!(body["last_line"], "BOULDER CO 80302");
    let c = &body["components"];
    assert_eq!(
        (&c["city"], &c["state"], &c["zip_code"]),
        (&json!("BOULDER"), &json!("CO"), &json!("80302"))
    );
    assert_eq!(c["zip_code_type"], "standard");
    assert_eq!(
        body["deliverability_analysis"]["dpv_footnotes"],
        json!(["AA", "BB"])
    );
    assert!(body["id"].as_str().unwrap().starts_with("us_ver_"));
    assert_eq!(body["object"], "us_verification");
}

#[tokio::test]
async fn the_tutorials_detroit_address_reveals_the_schenectady_zip() {
    let sb = TestSandbox::start().await;
    let form = [
        ("primary_line", "1600 Huron Pkwy"),
        ("city", "Detroit"),
        ("state", "MI"),
        ("zip_code", "12345"),
    ];
    let (status, _, body) = read(sb.lob(&form).await).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "an undeliverable address is still a 200"
    );
    assert_eq!(body["deliverability"], "undeliverable");
    let c = &body["components"];
    assert_eq!(
        (&c["city"], &c["state"], &c["zip_code"]),
        (&json!("SCHENECTADY"), &json!("NY"), &json!("12345"))
    );
    assert_eq!(
        body["deliverability_analysis"]["dpv_footnotes"],
        json!(["A1"])
    );
}

#[tokio::test]
async fn an_unknown_zip_echoes_what_was_typed() {
    let sb = TestSandbox::start().await;
    let form = [
        ("primary_line", "1 Main St"),
        ("city", "Nowhere"),
        ("state", "CO"),
        ("zip_code", "00000"),
    ];
    let (_, _, body) = read(sb.lob(&form).await).await;
    assert_eq!(body["deliverability"], "undeliverable");
    let c = &body["components"];
    assert_eq!(
        (&c["city"], &c["state"], &c["zip_code"]),
        (&json!("NOWHERE"), &json!("CO"), &json!("00000"))
    );
}

#[tokio::test]
async fn json_and_form_bodies_get_the_same_answer() {
    let sb = TestSandbox::start().await;
    let (_, _, from_form) = read(sb.lob(&PEARL).await).await;
    let body = json!({"primary_line": "2600 Pearl St", "city": "Boulder", "state": "CO", "zip_code": "80302"});
    let request = sb
        .client
        .post(sb.url("/v1/us_verifications"))
        .basic_auth("k", Some(""))
        .json(&body);
    let (status, _, from_json) = read(request.send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(from_form, from_json, "same input, same answer, id included");
}

#[tokio::test]
async fn a_single_line_address_is_split_and_verified() {
    let sb = TestSandbox::start().await;
    let (status, _, body) = read(
        sb.lob(&[("address", "2600 Pearl St, Boulder, CO 80302")])
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["deliverability"], "deliverable");
    assert_eq!(body["last_line"], "BOULDER CO 80302");
}

#[tokio::test]
async fn magic_test_values_get_canned_answers_whatever_the_key() {
    let sb = TestSandbox::start().await;
    let cases = [
        ("deliverable", "deliverable"),
        ("missing unit", "deliverable_missing_unit"),
        (" Incorrect Unit ", "deliverable_incorrect_unit"),
        ("unnecessary unit", "deliverable_unnecessary_unit"),
        ("undeliverable block match", "undeliverable"),
        ("undeliverable no match", "undeliverable"),
        ("undeliverable", "undeliverable"),
        ("commercial highrise", "deliverable"),
    ];
    for (line, want) in cases {
        let response = sb
            .lob_as(
                Some("live_whatever"),
                &[("primary_line", line), ("zip_code", "11111")],
            )
            .await;
        let (status, _, body) = read(response).await;
        assert_eq!(
            (status, body["deliverability"].as_str()),
            (StatusCode::OK, Some(want)),
            "{line:?}"
        );
        assert_eq!(body["recipient"], "TEST KEYS DO NOT VERIFY ADDRESSES");
    }
    let (_, _, body) = read(sb.lob(&[("address", "residential house")]).await).await;
    assert_eq!(
        body["deliverability"], "deliverable",
        "single-line magic value"
    );
}

#[tokio::test]
async fn case_proper_title_cases_the_lines_only() {
    let sb = TestSandbox::start().await;
    let request = sb
        .client
        .post(sb.url("/v1/us_verifications?case=proper"))
        .basic_auth(PLACEHOLDER_KEY, Some(""))
        .form(&PEARL);
    let (_, _, body) = read(request.send().await.unwrap()).await;
    assert_eq!(body["primary_line"], "2600 Pearl St");
    assert_eq!(body["last_line"], "Boulder CO 80302");
    assert_eq!(body["components"]["city"], "BOULDER");
}

#[tokio::test]
async fn the_301st_request_in_a_window_is_429_and_other_keys_are_unaffected() {
    let sb = TestSandbox::start().await;
    let form = [("primary_line", "deliverable"), ("zip_code", "11111")];
    let mut last_remaining = String::new();
    for _ in 0..300 {
        let response = sb.lob_as(Some("busy"), &form).await;
        assert_eq!(response.status(), StatusCode::OK);
        last_remaining = response.headers()["ratelimit-remaining"]
            .to_str()
            .unwrap()
            .to_owned();
    }
    assert_eq!(last_remaining, "0");
    let refused = sb.lob_as(Some("busy"), &form).await;
    assert!(refused.headers().contains_key("retry-after"));
    assert_eq!(
        lob_error(refused).await,
        (StatusCode::TOO_MANY_REQUESTS, "rate_limit_exceeded".into())
    );
    assert_eq!(
        sb.lob_as(Some("calm"), &form).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn keys_never_appear_in_an_answer() {
    let sb = TestSandbox::start().await;
    let key = "test_0123456789secretkey";
    for form in [
        &PEARL[..],
        &[("primary_line", "po box"), ("zip_code", "11111")],
        &[("city", "x")],
    ] {
        let text = sb.lob_as(Some(key), form).await.text().await.unwrap();
        assert!(!text.contains(key), "{text}");
    }
    let body: Value =
        serde_json::from_str(&sb.lob_as(Some(key), &PEARL).await.text().await.unwrap()).unwrap();
    assert!(body.get("error").is_none());
}
