//! The `vouch` binary itself: configuration errors exit 2 before listening, and SIGTERM lets
//! an in-flight request finish before the process exits 0.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{form_with, valid_form};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const VOUCH: &str = env!("CARGO_BIN_EXE_vouch");

fn vouch() -> Command {
    let mut cmd = Command::new(VOUCH);
    // A clean slate: nothing from the caller's environment decides the outcome.
    for var in [
        "VOUCH_PROVIDERS",
        "LOB_API_KEY",
        "VERIPHONE_API_KEY",
        "VOUCH_PROVIDER_TIMEOUT",
        "VOUCH_RATE_LIMIT",
        "VOUCH_TRUSTED_PROXIES",
        "VOUCH_API_TOKENS",
        "VOUCH_API_OPEN",
        "VOUCH_MAX_CONNECTIONS",
        "VOUCH_METRICS_LISTEN",
        "SMTP_URL",
        "VOUCH_MAIL_FROM",
        "VOUCH_PUBLIC_URL",
    ] {
        cmd.env_remove(var);
    }
    // Never the working directory's vouch.db.
    let db = crate::helpers::fresh_sqlite_file();
    cmd.env("DATABASE_URL", format!("sqlite://{}", db.display()));
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    cmd
}

#[test]
fn bad_configuration_exits_2_naming_the_setting() {
    let cases: [(&[(&str, &str)], &str); 9] = [
        (&[("VOUCH_PROVIDER_TIMEOUT", "soon")], "--provider-timeout"),
        (&[("VOUCH_RATE_LIMIT", "lots")], "--rate-limit"),
        (
            &[("VOUCH_TRUSTED_PROXIES", "proxy.internal")],
            "--trusted-proxies",
        ),
        (&[("VOUCH_API_OPEN", "maybe")], "--api-open"),
        (&[("VOUCH_MAX_CONNECTIONS", "0")], "--max-connections"),
        (
            &[("VOUCH_METRICS_LISTEN", "everywhere")],
            "--metrics-listen",
        ),
        (
            &[("VOUCH_API_TOKENS", "s3cr3t with a space")],
            "VOUCH_API_TOKENS",
        ),
        (
            &[("VOUCH_ON_PROVIDER_ERROR", "maybe")],
            "--on-provider-error",
        ),
        (
            &[("VOUCH_PROVIDERS", "live"), ("VERIPHONE_API_KEY", "k")],
            "LOB_API_KEY",
        ),
    ];
    for (env, named) in cases {
        let out = vouch()
            .envs(env.iter().copied())
            .env("VOUCH_LISTEN", "127.0.0.1:0")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{env:?}: {stderr}");
        assert!(stderr.contains(named), "{env:?}: {stderr}");
        assert!(!stderr.contains("s3cr3t"), "a token in the error: {stderr}");
    }
}

#[test]
fn version_names_the_phone_metadata() {
    let out = vouch()
        .arg("--version")
        .stdout(Stdio::piped())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(text.contains("metadata"), "{text}");
}

#[tokio::test]
async fn sigterm_lets_an_in_flight_request_finish_then_exits_0() {
    let provider = MockServer::start().await;
    for p in ["/email", "/v1/us_verifications", "/v2/verify"] {
        let body = match p {
            "/email" => crate::helpers::eva_answer(true),
            "/v2/verify" => crate::helpers::veriphone_answer(true),
            _ => crate::helpers::lob_answer("deliverable", "BOULDER", "CO", "80302"),
        };
        Mock::given(path(p))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(body)
                    .set_delay(Duration::from_millis(400)),
            )
            .mount(&provider)
            .await;
    }
    let port = free_port();
    let mut child = vouch()
        .env("VOUCH_LISTEN", format!("127.0.0.1:{port}"))
        .env("EVA_BASE_URL", provider.uri())
        .env("LOB_BASE_URL", provider.uri())
        .env("VERIPHONE_BASE_URL", provider.uri())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let started = Instant::now();
    while http.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "vouch did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let request = tokio::spawn(http.post(format!("{base}/sync")).form(&valid_form()).send());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let resp = request.await.unwrap().unwrap();
    assert_eq!(
        resp.status(),
        200,
        "the sequential request (~1.2 s) finished after SIGTERM"
    );
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(status.code(), Some(0));
}

#[tokio::test]
async fn signups_export_and_delete_work_on_the_configured_database() {
    let app = crate::helpers::spawn_app().await;
    app.providers_all_pass(Duration::ZERO).await;
    let forms = [
        form_with(&[
            ("email", "jane@example.com"),
            ("firstName", "=HYPERLINK(\"x\")"),
        ]),
        form_with(&[("email", "john@example.com")]),
    ];
    for form in &forms {
        assert_eq!(app.post_form("/async", form).await.status(), 200);
    }
    app.wait_for_mail("jane@example.com", 1).await;
    app.wait_for_mail("john@example.com", 1).await;
    let signups = |args: &[&str]| {
        let out = vouch()
            .arg("signups")
            .args(args)
            .env("DATABASE_URL", &app.database_url)
            .stdout(Stdio::piped())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let csv = signups(&["export", "--format", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "id,email,first_name,last_name,phone,address,address2,city,state,zip,status,created_at,confirmed_at"
        )
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2, "{csv}");
    assert!(
        rows[0].contains(r#""'=HYPERLINK(""x"")""#),
        "defused: {csv}"
    );
    assert!(rows[0].contains(",'+12024561111,"), "{csv}");

    let said = signups(&["delete", "--email", "JANE@example.com"]);
    assert!(
        said.starts_with("deleted 1 sign-up(s), 1 token(s), 1 email job(s), 1 mailbox cop"),
        "{said}"
    );
    let left = app.export().await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0][1], "john@example.com");
    let mailbox = app.mailbox().await;
    assert_eq!(mailbox.len(), 1, "the mailbox copy is gone too");
    assert!(mailbox[0].1.contains("john@"));
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
