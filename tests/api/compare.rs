//! `/compare`: one submission both ways, two waterfalls on one time axis, without JavaScript.

use std::time::Duration;

use crate::helpers::{attr, spawn_app, texts, valid_form};

#[tokio::test]
async fn the_compare_page_offers_the_demo_inputs_and_no_result_yet() {
    let app = spawn_app().await;
    let resp = app.get("/compare").await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert_eq!(
        attr(&html, "form.compare-form", "action").as_deref(),
        Some("/compare")
    );
    assert_eq!(
        attr(&html, "#email", "value").as_deref(),
        Some("jane.doe@example.com")
    );
    assert!(texts(&html, ".speedup").is_empty());
    for server in [&app.eva, &app.lob, &app.veriphone] {
        assert!(
            server.received_requests().await.unwrap().is_empty(),
            "GET calls no provider"
        );
    }
    // The sign-up form links here.
    let form = app.get("/").await.text().await.unwrap();
    assert_eq!(attr(&form, ".lede a", "href").as_deref(), Some("/compare"));
}

#[tokio::test]
async fn posting_it_runs_the_submission_both_ways_on_one_axis() {
    let app = spawn_app().await;
    app.providers_all_pass(Duration::from_millis(100)).await;
    let resp = app.post_form("/compare", &valid_form()).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.headers().contains_key("server-timing"));
    let html = resp.text().await.unwrap();
    let total = |mode: &str| -> u64 {
        let text = texts(&html, &format!("[data-total={mode}]")).join("");
        let number = text
            .strip_prefix(&format!("{mode} "))
            .and_then(|t| t.strip_suffix(" ms"));
        number.unwrap_or_else(|| panic!("{text}")).parse().unwrap()
    };
    let (sequential, concurrent) = (total("sequential"), total("concurrent"));
    // Wide ordering bounds only: the sum of three 100 ms calls against the slowest of them.
    assert!(
        sequential >= 300 && concurrent >= 100,
        "{sequential} {concurrent}"
    );
    assert!(
        sequential > concurrent + 100,
        "{sequential} vs {concurrent}"
    );
    let speedup = texts(&html, "[data-total=speedup]").join("");
    assert!(speedup.ends_with('×'), "{speedup}");
    // One chart: both runs' bars in each layout, and both runs' rows in the text table.
    assert_eq!(texts(&html, "svg.waterfall--wide rect.bar").len(), 6);
    assert_eq!(texts(&html, "svg.waterfall--narrow rect.bar").len(), 6);
    let lanes = texts(&html, ".timing-table th[scope=rowgroup]");
    assert_eq!(lanes.len(), 2, "{lanes:?}");
    assert!(lanes[0].starts_with("sequential") && lanes[1].starts_with("concurrent"));
    for server in [&app.eva, &app.lob, &app.veriphone] {
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            2,
            "once each way"
        );
    }
    assert_eq!(
        attr(&html, "#city", "value").as_deref(),
        Some("Boulder"),
        "values kept"
    );
}

#[tokio::test]
async fn an_unreadable_compare_form_says_so() {
    let app = spawn_app().await;
    let big = "a".repeat(17 * 1024);
    let resp = app
        .post_form("/compare", &[("firstName", big.as_str())])
        .await;
    assert_eq!(resp.status(), 413);
    assert!(resp.text().await.unwrap().contains("too large"));
}

#[tokio::test]
async fn both_runs_ask_the_providers_even_with_the_cache_on() {
    let app = crate::helpers::spawn_app_with(|s| {
        s.policy.cache_ttl = Some(std::time::Duration::from_secs(60));
    })
    .await;
    app.providers_all_pass(std::time::Duration::ZERO).await;
    let resp = app.post_form("/compare", &valid_form()).await;
    assert_eq!(resp.status(), 200);
    for server in [&app.eva, &app.lob, &app.veriphone] {
        let calls = server.received_requests().await.unwrap_or_default().len();
        assert_eq!(
            calls, 2,
            "one call per run: the picture is the calls' timing"
        );
    }
}
