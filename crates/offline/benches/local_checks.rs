//! What the offline checks cost: all local checks for one sign-up (email + phone + address,
//! after `warm_up`; the budget is well under 100 µs), and the one-off cost of loading each
//! table.
//!
//! `cargo bench --bench local_checks` (release build); add `-- --quick` for a short run. Before
//! the benchmarks it prints each table's first-load time and resident-memory growth, measured
//! once in this fresh process (criterion cannot repeat a `LazyLock`).

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group};
use vouch_offline::address::{self, TypedAddress};
use vouch_offline::{email, phone, warm_up, zip};

/// One sign-up's worth of fields.
struct Submission {
    email: &'static str,
    phone: &'static str,
    address: TypedAddress<'static>,
}

/// The tutorial's good submission.
const VALID: Submission = Submission {
    email: "jane.doe@gmail.com",
    phone: "(202) 456-1111",
    address: TypedAddress {
        primary_line: "2600 Pearl St",
        secondary_line: "",
        city: "Boulder",
        state: "CO",
        zip_code: "80302",
    },
};

/// The expensive path: a non-free domain runs the typo search over every free-mail domain,
/// an IDN domain goes through UTS #46, and every address field is wrong.
const FAULTY: Submission = Submission {
    email: "josé@gmial.con",
    phone: "+44 20 7946 0958",
    address: TypedAddress {
        primary_line: "1600 Huron Pkwy Ste 200",
        secondary_line: "",
        city: "Detroit",
        state: "MI",
        zip_code: "12345",
    },
};

/// Every local check, as the engine runs them for one submission.
fn check(submission: &Submission) -> bool {
    let email = email::analyze(submission.email);
    let phone = phone::analyze(submission.phone, "US");
    let address = address::assess(&submission.address);
    email.is_ok() && phone.is_ok() && address.deliverable()
}

fn submissions(c: &mut Criterion) {
    warm_up();
    let mut group = c.benchmark_group("submission");
    group.bench_function("valid", |b| b.iter(|| check(black_box(&VALID))));
    group.bench_function("faulty", |b| b.iter(|| check(black_box(&FAULTY))));
    group.finish();

    let mut group = c.benchmark_group("single_check");
    group.bench_function("email_analyze", |b| {
        b.iter(|| email::analyze(black_box(VALID.email)))
    });
    group.bench_function("email_analyze_typo_idn", |b| {
        b.iter(|| email::analyze(black_box(FAULTY.email)))
    });
    group.bench_function("phone_analyze", |b| {
        b.iter(|| phone::analyze(black_box(VALID.phone), "US"))
    });
    group.bench_function("address_assess", |b| {
        b.iter(|| address::assess(black_box(&VALID.address)))
    });
    group.finish();
}

fn table_parsing(c: &mut Criterion) {
    let mut group = c.benchmark_group("table_parse");
    group.sample_size(10);
    group.bench_function("zip_table", |b| b.iter(zip::parse_embedded_table));
    group.bench_function("email_lists", |b| b.iter(email::parse_embedded_lists));
    group.finish();
}

criterion_group!(benches, submissions, table_parsing);

/// Resident set size in bytes, from `/proc/self/statm` (Linux); `None` elsewhere.
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// Times `load` and the growth of resident memory it causes, and prints both.
fn measure_first_load(name: &str, load: impl FnOnce()) {
    let before = resident_bytes();
    let started = Instant::now();
    load();
    let elapsed = started.elapsed();
    let grown = before
        .zip(resident_bytes())
        .map(|(b, a)| a.saturating_sub(b) / 1024);
    let grown = grown.map_or_else(|| "n/a".to_owned(), |kib| format!("{kib} KiB"));
    eprintln!("first load of {name}: {elapsed:.2?}, resident memory +{grown}");
}

fn main() {
    measure_first_load("phone metadata", || {
        let _ = phone::analyze("(202) 456-1111", "US");
    });
    measure_first_load("ZIP table", || {
        let _ = zip::table_len();
    });
    measure_first_load("email lists", || {
        let _ = email::analyze("jane@example.com");
    });
    benches();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}
