//! The `Server-Timing` header: one entry per provider check, then `total` and extras.

use std::fmt::Write;
use std::time::Duration;

use axum::http::HeaderValue;

use super::html::Tenths;
use crate::checks::report::Report;

/// `eva;desc="pass";dur=301.7, lob;…, veriphone;…, total;dur=…` plus `extra` entries.
pub fn server_timing(report: &Report, extra: &[(&str, Duration)]) -> HeaderValue {
    // Room for the usual header (~150 bytes): written without growing.
    let mut out = String::with_capacity(192);
    for check in &report.checks {
        let _ = write!(
            out,
            "{};desc=\"{}\";dur={}, ",
            check.kind.provider(),
            check.outcome.name(),
            Tenths::of(ms(check.duration))
        );
    }
    let _ = write!(out, "total;dur={}", Tenths::of(ms(report.elapsed)));
    for (name, d) in extra {
        let _ = write!(out, ", {name};dur={}", Tenths::of(ms(*d)));
    }
    // Only ASCII we wrote ourselves; the fallback can't happen but keeps this panic-free.
    HeaderValue::try_from(out).unwrap_or(HeaderValue::from_static("total"))
}

/// A duration in milliseconds: the one conversion every figure on a page, in JSON or in a
/// header starts from.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
