//! What one submission costs the server apart from waiting for providers: reading the posted
//! form, parsing it into typed fields with the local verdicts, and rendering the result page
//! with its waterfall and `Server-Timing` header (bench/FINDINGS.md, "The request path's own work").
//!
//! `cargo bench --bench request_path` (release build); add `-- --quick` for a short run.

use std::hint::black_box;
use std::time::Duration;

use askama::Template;
use criterion::{Criterion, criterion_group, criterion_main};
use vouch::checks::report::{FieldVerdicts, Report};
use vouch::checks::{CheckKind, CheckRecord, Mode, Outcome, Scope, verdict};
use vouch::domain::form::{RawForm, Submission};
use vouch::web::body::read_form;
use vouch::web::pages::PAGE_CAPACITY;
use vouch::web::timing::server_timing;
use vouch::web::view::FormPage;

/// The body the load harness posts (bench/form.lua), one of its unique values.
const BODY: &[u8] = b"firstName=Jane&lastName=Doe&phoneNumber=%28202%29%20456-1111\
&email=jane.doe.1234567%40gmail.com&address=4567+Berry+St&address2=\
&city=San+Francisco&state=CA&zip=94107";

/// A concurrent submission's report: three passing calls of 100, 200 and 300 ms.
fn report() -> Report {
    let checks = CheckKind::ALL
        .into_iter()
        .zip([100.4, 200.7, 300.9])
        .map(|(kind, ms)| CheckRecord {
            kind,
            start: Duration::from_micros(35),
            duration: Duration::from_secs_f64(ms / 1000.0),
            outcome: Outcome::Pass,
        })
        .collect();
    Report {
        mode: Mode::Concurrent,
        scope: Scope::Form,
        elapsed: Duration::from_secs_f64(0.30142),
        fields: FieldVerdicts::all_valid(),
        checks,
        email_suggestion: None,
    }
}

fn page(raw: &RawForm, report: &Report) -> String {
    let mut html = String::with_capacity(PAGE_CAPACITY);
    let rendered = FormPage::new(Mode::Concurrent, raw, Some(report)).render_into(&mut html);
    assert!(rendered.is_ok());
    html
}

fn request_path(c: &mut Criterion) {
    let raw: RawForm = read_form(BODY).unwrap_or_default();
    assert_eq!(raw.city, "San Francisco");
    let _ = verdict::local(&Submission::parse(&raw)); // loads the offline tables
    let report = report();
    let mut group = c.benchmark_group("request_path");
    group.bench_function("read_form", |b| b.iter(|| read_form(black_box(BODY))));
    group.bench_function("parse_and_local_verdicts", |b| {
        b.iter(|| verdict::local(&Submission::parse(black_box(&raw))))
    });
    group.bench_function("result_page", |b| {
        b.iter(|| page(black_box(&raw), black_box(&report)))
    });
    group.bench_function("server_timing", |b| {
        b.iter(|| server_timing(black_box(&report), &[("render", Duration::from_micros(21))]))
    });
    group.finish();
}

criterion_group!(benches, request_path);
criterion_main!(benches);
