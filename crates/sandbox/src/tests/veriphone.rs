//! Veriphone over HTTP.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{TestSandbox, read};
use crate::PLACEHOLDER_KEY;

const FIELDS: [&str; 12] = [
    "status",
    "phone",
    "phone_valid",
    "phone_type",
    "phone_region",
    "country",
    "country_code",
    "country_prefix",
    "international_number",
    "local_number",
    "e164",
    "carrier",
];

async fn verdict(response: reqwest::Response) -> Value {
    let (status, content_type, body) = read(response).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "application/json; charset=UTF-8");
    for field in FIELDS {
        assert!(body.get(field).is_some(), "{field} missing from {body}");
    }
    assert_eq!(body["status"], "success");
    body
}

#[tokio::test]
async fn a_valid_us_number_is_valid() {
    let sb = TestSandbox::start().await;
    let body = verdict(sb.veriphone("(202) 456-1111", "US").await).await;
    assert_eq!(body["phone_valid"], true);
    assert_eq!(body["phone"], "(202) 456-1111");
    assert_eq!(
        (&body["country_code"], &body["country_prefix"]),
        (&json!("US"), &json!("1"))
    );
    assert_eq!(body["e164"], "+12024561111");
    assert_ne!(body["phone_type"], "unknown");
}

#[tokio::test]
async fn an_invalid_us_number_is_a_200_with_phone_valid_false() {
    let sb = TestSandbox::start().await;
    for number in ["123-456-7890", "555-0100", "(999) 456-1111", "not a number"] {
        let body = verdict(sb.veriphone(number, "US").await).await;
        assert_eq!(body["phone_valid"], false, "{number}");
        assert_eq!(
            (&body["phone_type"], &body["carrier"]),
            (&json!("unknown"), &json!("")),
            "{number}"
        );
        assert_eq!(body["country_code"], "US", "{number}");
    }
}

#[tokio::test]
async fn a_plus_44_number_is_british_whatever_the_default_country() {
    let sb = TestSandbox::start().await;
    let body = verdict(sb.veriphone("+44 20 7946 0958", "US").await).await;
    assert_eq!(body["phone_valid"], true);
    assert_eq!(
        (&body["country_code"], &body["country_prefix"]),
        (&json!("GB"), &json!("44"))
    );
    assert_eq!(body["country"], "United Kingdom");
    assert_eq!(body["e164"], "+442079460958");
}

#[tokio::test]
async fn default_country_defaults_to_us() {
    let sb = TestSandbox::start().await;
    let query = [("phone", "2024561111"), ("key", PLACEHOLDER_KEY)];
    let response = sb
        .client
        .get(sb.url("/v2/verify"))
        .query(&query)
        .send()
        .await
        .unwrap();
    let body = verdict(response).await;
    assert_eq!(
        (&body["country_code"], &body["phone_valid"]),
        (&json!("US"), &json!(true))
    );
}

#[tokio::test]
async fn bearer_auth_and_post_bodies_are_accepted() {
    let sb = TestSandbox::start().await;
    let url = sb.url("/v2/verify");
    let get = sb
        .client
        .get(&url)
        .bearer_auth("k")
        .query(&[("phone", "+12024561111")]);
    let post_form = sb
        .client
        .post(&url)
        .form(&[("phone", "+12024561111"), ("key", "k")]);
    let post_json = sb
        .client
        .post(&url)
        .bearer_auth("k")
        .json(&json!({"phone": "+12024561111"}));
    let post_query = sb
        .client
        .post(&url)
        .query(&[("phone", "+12024561111"), ("key", "k")]);
    let with_cookie = sb
        .client
        .get(&url)
        .header("cookie", "a=b; key=k")
        .query(&[("phone", "+12024561111")]);
    for request in [get, post_form, post_json, post_query, with_cookie] {
        let body = verdict(request.send().await.unwrap()).await;
        assert_eq!(body["phone_valid"], true);
    }
}

#[tokio::test]
async fn a_missing_or_rejected_key_is_401() {
    let sb = TestSandbox::start().await;
    let url = sb.url("/v2/verify");
    let no_key = sb.client.get(&url).query(&[("phone", "+12024561111")]);
    let bad_key = sb
        .client
        .get(&url)
        .query(&[("phone", "+12024561111"), ("key", "invalid")]);
    let bad_bearer = sb
        .client
        .get(&url)
        .bearer_auth("invalid")
        .query(&[("phone", "+12024561111")]);
    for request in [no_key, bad_key, bad_bearer] {
        let (status, content_type, body) = read(request.send().await.unwrap()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(content_type, "application/json; charset=UTF-8");
        assert_eq!(
            (&body["status"], &body["code"], &body["type"]),
            (&json!("error"), &json!(401), &json!("Unauthorized"))
        );
    }
}

#[tokio::test]
async fn a_missing_phone_is_400_missing_parameter() {
    let sb = TestSandbox::start().await;
    let request = sb
        .client
        .get(sb.url("/v2/verify"))
        .query(&[("key", PLACEHOLDER_KEY), ("phone", " ")]);
    let (status, _, body) = read(request.send().await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        (&body["code"], &body["type"]),
        (&json!(400), &json!("MissingParameter"))
    );
}

#[tokio::test]
async fn the_same_number_always_gets_the_same_answer_and_the_key_is_not_echoed() {
    let sb = TestSandbox::start().await;
    let key = "veriphone_secret_0123456789";
    let url = sb.url("/v2/verify");
    let ask = || {
        sb.client
            .get(&url)
            .query(&[("phone", "+4915123577723"), ("key", key)])
            .send()
    };
    let first = ask().await.unwrap().text().await.unwrap();
    let second = ask().await.unwrap().text().await.unwrap();
    assert_eq!(first, second);
    assert!(!first.contains(key));
}
