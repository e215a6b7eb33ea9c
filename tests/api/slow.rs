//! Slow and greedy clients: headers and bodies must arrive in time, idle connections are
//! closed, open connections are capped, and a slowloris does not keep others waiting. A
//! validation waiting on providers is not cut short by any of it.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{TestApp, spawn_app_with, valid_form};

/// Header and body limits short enough to test.
const LIMIT: Duration = Duration::from_millis(300);

async fn quick_limits_app() -> TestApp {
    spawn_app_with(|s| {
        s.protection.header_timeout = LIMIT;
        s.protection.body_timeout = LIMIT;
    })
    .await
}

/// Reads until the server closes the connection (at most 3 s); what it sent and when it closed.
async fn read_until_closed(stream: &mut TcpStream) -> (String, Duration) {
    let started = Instant::now();
    let mut received = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(3), stream.read_to_end(&mut received));
    match read.await {
        // A reset counts as closed too.
        Ok(_) => (
            String::from_utf8_lossy(&received).into_owned(),
            started.elapsed(),
        ),
        Err(_) => panic!("still open after 3 s; received {received:?}"),
    }
}

#[tokio::test]
async fn headers_that_never_finish_are_cut_off() {
    let app = quick_limits_app().await;
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let (_, took) = read_until_closed(&mut stream).await;
    assert!(
        took >= LIMIT - Duration::from_millis(50),
        "closed after {took:?}"
    );
}

#[tokio::test]
async fn a_connection_that_says_nothing_is_closed() {
    let app = quick_limits_app().await;
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    let (received, _) = read_until_closed(&mut stream).await;
    assert!(
        received.is_empty() || received.starts_with("HTTP/1.1 408"),
        "{received}"
    );
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let app = quick_limits_app().await;
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let (received, _) = read_until_closed(&mut stream).await;
    assert!(received.starts_with("HTTP/1.1 200"), "{received}");
    assert!(
        received.ends_with("ok"),
        "answered, then closed: {received}"
    );
}

#[tokio::test]
async fn a_body_that_never_finishes_gets_408_and_calls_no_provider() {
    let app = quick_limits_app().await;
    app.expect_no_provider_calls().await;
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    let head = "POST /async HTTP/1.1\r\nHost: x\r\n\
                Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(b"firstName=Ja").await.unwrap();
    let (received, took) = read_until_closed(&mut stream).await;
    assert!(received.starts_with("HTTP/1.1 408"), "{received}");
    assert!(received.contains("took too long to arrive"), "{received}");
    assert!(took < Duration::from_secs(2), "{took:?}");
}

#[tokio::test]
async fn a_slow_body_on_the_api_gets_408_json() {
    let app = quick_limits_app().await;
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    let head = "POST /api/v1/validate HTTP/1.1\r\nHost: x\r\n\
                Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"firstName\":";
    stream.write_all(head.as_bytes()).await.unwrap();
    let (received, _) = read_until_closed(&mut stream).await;
    assert!(received.starts_with("HTTP/1.1 408"), "{received}");
    assert!(
        received.contains(r#"{"error":"the body took too long to arrive"}"#),
        "{received}"
    );
}

#[tokio::test]
async fn a_validation_may_wait_on_providers_longer_than_the_read_limits() {
    let app = quick_limits_app().await;
    app.providers_all_pass(LIMIT * 3).await;
    let resp = app.post_form("/sync", &valid_form()).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("Everything checks out"));
}

#[tokio::test]
async fn headers_over_16_kib_are_refused() {
    let app = quick_limits_app().await;
    let mut stream = TcpStream::connect(app.addr).await.unwrap();
    let big = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(17 * 1024)
    );
    // The server may stop reading, and close, before all of it is written.
    let _ = stream.write_all(big.as_bytes()).await;
    let (received, _) = read_until_closed(&mut stream).await;
    assert!(received.starts_with("HTTP/1.1 431"), "{received}");
    let fits = app
        .http
        .get(app.url("/healthz"))
        .header("x-big", "a".repeat(12 * 1024))
        .send()
        .await
        .unwrap();
    assert_eq!(fits.status(), 200, "12 KiB of headers are fine");
}

#[tokio::test]
async fn past_the_connection_cap_new_connections_wait_their_turn() {
    let app = spawn_app_with(|s| s.protection.max_connections = 2).await;
    let held = [
        TcpStream::connect(app.addr).await.unwrap(),
        TcpStream::connect(app.addr).await.unwrap(),
    ];
    tokio::time::sleep(Duration::from_millis(100)).await;
    let waiting = tokio::spawn({
        let (http, url) = (app.http.clone(), app.url("/healthz"));
        async move { http.get(url).send().await.map(|r| r.status()) }
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!waiting.is_finished(), "answered past the cap");
    drop(held);
    let status = tokio::time::timeout(Duration::from_secs(2), waiting).await;
    assert_eq!(
        status.unwrap().unwrap().unwrap(),
        200,
        "served once a slot freed"
    );
}

#[tokio::test]
async fn slow_clients_do_not_keep_a_normal_request_waiting() {
    let app = spawn_app_with(|_| {}).await;
    let mut slow = Vec::new();
    for _ in 0..100 {
        let mut stream = TcpStream::connect(app.addr).await.unwrap();
        stream.write_all(b"GET / HTTP/1.1\r\n").await.unwrap();
        slow.push(stream);
    }
    let dribble = tokio::spawn(async move {
        for _ in 0..10 {
            for stream in &mut slow {
                let _ = stream.write_all(b"X").await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        slow
    });
    for _ in 0..20 {
        let started = Instant::now();
        assert_eq!(app.get("/healthz").await.status(), 200);
        assert!(
            started.elapsed() < Duration::from_millis(500),
            "{:?}",
            started.elapsed()
        );
    }
    drop(dribble.await.unwrap());
}
