//! `spawn_app()`: the real app on 127.0.0.1:0 with three wiremock providers, plus helpers to
//! post the form and the JSON API, and a captured log to assert on.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::oneshot;
use vouch::checks::policy::PolicySettings;
use vouch::config::{Endpoint, Protection, Settings};
use vouch::mail::{MailSettings, WorkerSettings};
use vouch::startup::App;
use vouch::web::ratelimit::RateLimit;
use vouch::web::state::ShutdownFlag;
use vouch_sandbox::SandboxOptions;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The contract's nine field names, written out so that a renamed field fails the tests.
pub const FIELD_NAMES: [&str; 9] = [
    "firstName",
    "lastName",
    "email",
    "phoneNumber",
    "address",
    "address2",
    "city",
    "state",
    "zip",
];

pub const LOB_KEY: &str = "test_lob_K3Y_9f8e7d";
pub const VERIPHONE_KEY: &str = "vp_K3Y_1a2b3c4d";

/// The tutorial's demo inputs: all valid.
pub fn valid_form() -> Vec<(&'static str, &'static str)> {
    vec![
        ("firstName", "Jane"),
        ("lastName", "Doe"),
        ("email", "jane.doe@example.com"),
        ("phoneNumber", "(202) 456-1111"),
        ("address", "2600 Pearl St"),
        ("address2", ""),
        ("city", "Boulder"),
        ("state", "CO"),
        ("zip", "80302"),
    ]
}

/// `valid_form()` with some fields replaced.
pub fn form_with<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form: Vec<(&str, &str)> = valid_form();
    for (k, v) in changes {
        if let Some(slot) = form.iter_mut().find(|(name, _)| name == k) {
            slot.1 = v;
        }
    }
    form
}

pub struct TestApp {
    pub addr: SocketAddr,
    /// Where `/metrics` is served when `--metrics-listen` is set.
    pub metrics_addr: Option<SocketAddr>,
    pub http: reqwest::Client,
    pub eva: MockServer,
    pub lob: MockServer,
    pub veriphone: MockServer,
    shutdown: Option<oneshot::Sender<()>>,
    /// The app's own flag, set when its graceful shutdown begins.
    pub shutdown_flag: Arc<ShutdownFlag>,
    pub server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    /// The app's database (a fresh SQLite file unless the test chose one).
    pub database_url: String,
    /// The SQLite file to remove when the test ends.
    sqlite_file: Option<PathBuf>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(file) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let mut path = file.clone().into_os_string();
                path.push(suffix);
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

/// A SQLite file of its own for each app, so tests never see each other's sign-ups.
pub fn fresh_sqlite_file() -> PathBuf {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("vouch-test-{}-{n}.db", std::process::id()))
}

/// The worker's pace in tests: quick polls and retries, the production lease.
pub fn quick_worker() -> WorkerSettings {
    WorkerSettings {
        poll_interval: Duration::from_millis(100),
        backoff_base: Duration::from_millis(50),
        backoff_cap: Duration::from_millis(200),
        max_attempts: 3,
        send_timeout: Duration::from_secs(5),
        ..WorkerSettings::default()
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(tweak: impl FnOnce(&mut Settings)) -> TestApp {
    init_log_capture();
    let (eva, lob, veriphone) = (
        MockServer::start().await,
        MockServer::start().await,
        MockServer::start().await,
    );
    let mut settings = Settings {
        listen: "127.0.0.1:0".parse().unwrap(),
        on_provider_error: Default::default(),
        // Every test starts from the contract's policy, with the cache off so that each
        // submission reaches the fake providers (tests of the cache turn it on).
        policy: PolicySettings {
            per_call: Duration::from_secs(1),
            cache_ttl: None,
            ..PolicySettings::default()
        },
        shutdown_grace: Duration::from_secs(5),
        eva: Endpoint::url(eva.uri(), "unused"),
        lob: Endpoint::url(lob.uri(), LOB_KEY),
        veriphone: Endpoint::url(veriphone.uri(), VERIPHONE_KEY),
        sandbox: SandboxOptions::default(),
        provider_h2c: false,
        database_url: "".into(),
        mail: MailSettings {
            smtp_url: None,
            from: MailSettings::DEFAULT_FROM.parse().unwrap(),
            public_url: None,
            worker: quick_worker(),
        },
        // Tests post many forms from one address; the rate-limit tests turn it back on.
        protection: Protection {
            rate_limit: RateLimit::Off,
            ..Protection::default()
        },
    };
    let sqlite_file = fresh_sqlite_file();
    settings.database_url = format!("sqlite://{}", sqlite_file.display()).into();
    tweak(&mut settings);
    let database_url = secrecy::ExposeSecret::expose_secret(&settings.database_url).to_owned();
    let sqlite_file = database_url
        .ends_with(&*sqlite_file.to_string_lossy())
        .then_some(sqlite_file);
    let app = App::build(settings).await.unwrap();
    let addr = app.local_addr().unwrap();
    let metrics_addr = app.metrics_addr();
    let shutdown_flag = app.shutdown_flag();
    let (tx, rx) = oneshot::channel();
    let server = tokio::spawn(app.run_until(async move {
        let _ = rx.await;
    }));
    TestApp {
        addr,
        metrics_addr,
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        eva,
        lob,
        veriphone,
        shutdown: Some(tx),
        shutdown_flag,
        server: Some(server),
        database_url,
        sqlite_file,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.unwrap()
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_json(&self, query: &str, body: &Value) -> reqwest::Response {
        self.http
            .post(self.url(&format!("/api/v1/validate{query}")))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// `POST /api/v1/validate{query}` that must answer 200; its JSON body.
    pub async fn validate(&self, query: &str, body: &Value) -> Value {
        let resp = self.post_json(query, body).await;
        assert_eq!(resp.status(), 200);
        resp.json().await.unwrap()
    }

    /// `POST /api/v1/signups` with a JSON body.
    pub async fn post_signup(&self, body: &Value) -> reqwest::Response {
        self.http
            .post(self.url("/api/v1/signups"))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// The mailbox's emails, newest first: (id, recipient, subject).
    pub async fn mailbox(&self) -> Vec<(String, String, String)> {
        let resp = self.get("/mailbox").await;
        assert_eq!(resp.status(), 200);
        let html = resp.text().await.unwrap();
        let doc = scraper::Html::parse_document(&html);
        let rows = scraper::Selector::parse("table.mailbox tbody tr").unwrap();
        let cell = scraper::Selector::parse("td").unwrap();
        let link = scraper::Selector::parse("a").unwrap();
        doc.select(&rows)
            .map(|row| {
                let cells: Vec<_> = row.select(&cell).collect();
                let a = row.select(&link).next().unwrap();
                let href = a.value().attr("href").unwrap();
                (
                    href.trim_start_matches("/mailbox/").to_owned(),
                    cells[1].text().collect(),
                    a.text().collect(),
                )
            })
            .collect()
    }

    /// Waits (at most 15 s) until the mailbox holds `n` emails to `recipient`; returns their
    /// ids, newest first.
    pub async fn wait_for_mail(&self, recipient: &str, n: usize) -> Vec<String> {
        let started = Instant::now();
        loop {
            let ids: Vec<String> = self
                .mailbox()
                .await
                .into_iter()
                .filter(|(_, to, _)| to.contains(recipient))
                .map(|(id, _, _)| id)
                .collect();
            if ids.len() >= n || started.elapsed() > Duration::from_secs(15) {
                assert_eq!(ids.len(), n, "emails to {recipient}");
                return ids;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The confirmation link in mailbox email `id`, if it has one.
    pub async fn confirmation_link(&self, id: &str) -> Option<String> {
        let html = self
            .get(&format!("/mailbox/{id}"))
            .await
            .text()
            .await
            .unwrap();
        attr(&html, "pre.email-text a", "href")
    }

    /// The stored sign-ups, as `vouch signups export` writes them (header row left out).
    pub async fn export(&self) -> Vec<Vec<String>> {
        let store = vouch::store::Store::open(&self.database_url.clone().into())
            .await
            .unwrap();
        let mut out = Vec::new();
        store.export_csv(&mut out).await.unwrap();
        store.close().await;
        csv::Reader::from_reader(&out[..])
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    /// A counter or gauge from `/metrics` (0 if absent).
    pub async fn metric(&self, series: &str) -> f64 {
        let text = self.get("/metrics").await.text().await.unwrap();
        text.lines()
            .find_map(|l| l.strip_prefix(series).and_then(|v| v.strip_prefix(' ')))
            .map_or(0.0, |v| v.trim().parse().unwrap())
    }

    /// Starts graceful shutdown; the server task then finishes in-flight requests.
    pub fn shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    /// From here on no provider may be called; wiremock checks when the app is dropped.
    pub async fn expect_no_provider_calls(&self) {
        for server in [&self.eva, &self.lob, &self.veriphone] {
            Mock::given(any())
                .respond_with(ResponseTemplate::new(500))
                .expect(0)
                .mount(server)
                .await;
        }
    }

    /// Every provider answers "valid" after `delay`.
    pub async fn providers_all_pass(&self, delay: Duration) {
        Mock::given(method("GET"))
            .and(path("/email"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(eva_answer(true))
                    .set_delay(delay),
            )
            .mount(&self.eva)
            .await;
        Mock::given(method("POST"))
            .and(path("/v1/us_verifications"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(lob_answer("deliverable", "BOULDER", "CO", "80302"))
                    .set_delay(delay),
            )
            .mount(&self.lob)
            .await;
        Mock::given(method("GET"))
            .and(path("/v2/verify"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(veriphone_answer(true))
                    .set_delay(delay),
            )
            .mount(&self.veriphone)
            .await;
    }
}

pub fn eva_answer(deliverable: bool) -> Value {
    json!({"status": "success", "data": {"email_address": "x", "domain": "x", "valid_syntax": true,
        "disposable": false, "webmail": false, "deliverable": deliverable, "catch_all": false,
        "gibberish": false, "spam": false}})
}

pub fn lob_answer(deliverability: &str, city: &str, state: &str, zip: &str) -> Value {
    json!({"id": "us_ver_test", "recipient": null, "primary_line": "2600 PEARL ST", "secondary_line": "",
        "urbanization": "", "last_line": format!("{city} {state} {zip}"), "deliverability": deliverability,
        "components": {"primary_number": "2600", "street_name": "PEARL", "street_suffix": "ST",
            "city": city, "state": state, "zip_code": zip, "zip_code_plus_4": "", "latitude": null},
        "deliverability_analysis": {"dpv_confirmation": "Y", "dpv_footnotes": ["AA", "BB"]},
        "object": "us_verification"})
}

pub fn veriphone_answer(valid: bool) -> Value {
    json!({"status": "success", "phone": "+12024561111", "phone_valid": valid,
        "phone_type": if valid { "fixed_line" } else { "unknown" }, "phone_region": "", "country": "United States",
        "country_code": "US", "country_prefix": "1", "international_number": "+1 202-456-1111",
        "local_number": "(202) 456-1111", "e164": "+12024561111", "carrier": ""})
}

/// The text of the elements matching `selector` in `html`.
pub fn texts(html: &str, selector: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// An attribute of the first element matching `selector`.
pub fn attr(html: &str, selector: &str, name: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr(name))
        .map(str::to_owned)
}

/// Every log line of the test process, at debug level, kept for assertions on leaks.
static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();

#[derive(Clone)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if std::env::var_os("TEST_LOG").is_some() {
            let _ = std::io::stderr().write_all(buf);
        }
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn init_log_capture() {
    LOG.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let writer = Capture(buf.clone());
        let _ = tracing_subscriber::fmt()
            .with_env_filter("info")
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .try_init();
        buf
    });
}

/// Everything logged so far by any test in this binary (at the default `info` level).
pub fn captured_log() -> String {
    LOG.get()
        .map(|b| String::from_utf8_lossy(&b.lock().unwrap()).into_owned())
        .unwrap_or_default()
}

/// A fresh database on the PostgreSQL of `VOUCH_TEST_POSTGRES_URL` (the role may create
/// databases); `None`, saying so, when the variable is not set.
pub async fn postgres_database() -> Option<String> {
    use sqlx::Connection;
    let Ok(base) = std::env::var("VOUCH_TEST_POSTGRES_URL") else {
        eprintln!("skipping: VOUCH_TEST_POSTGRES_URL not set");
        return None;
    };
    let name = format!("vouch_test_{}", vouch::store::ids::new_id().unwrap());
    let mut admin = sqlx::PgConnection::connect(&base)
        .await
        .unwrap_or_else(|e| panic!("VOUCH_TEST_POSTGRES_URL={base:?}: {e}"));
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
    let mut url = reqwest::Url::parse(&base).unwrap();
    url.set_path(&name);
    Some(url.to_string())
}

/// The SMTP sink of `VOUCH_TEST_SMTP_URL`, which writes each delivery into the directory
/// `VOUCH_TEST_SMTP_DIR` (tests/services/smtp-sink); `None`, saying so, when not set.
pub fn smtp_sink() -> Option<(String, PathBuf)> {
    match (
        std::env::var("VOUCH_TEST_SMTP_URL"),
        std::env::var("VOUCH_TEST_SMTP_DIR"),
    ) {
        (Ok(url), Ok(dir)) => Some((url, dir.into())),
        _ => {
            eprintln!("skipping: VOUCH_TEST_SMTP_URL / VOUCH_TEST_SMTP_DIR not set");
            None
        }
    }
}

/// The messages in the sink's directory addressed to `recipient`, waiting (at most 15 s)
/// until there are at least `n`.
pub async fn sink_messages(dir: &std::path::Path, recipient: &str, n: usize) -> Vec<String> {
    let started = Instant::now();
    loop {
        let mut found = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "eml") {
                let text = std::fs::read_to_string(&path).unwrap();
                if text.lines().next().is_some_and(|l| l.contains(recipient)) {
                    found.push(text);
                }
            }
        }
        if found.len() >= n || started.elapsed() > Duration::from_secs(15) {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
