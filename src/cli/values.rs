//! Parsers for flag values clap has no parser for: each names what it expected.

use std::time::Duration;

use crate::checks::CheckKind;
use crate::checks::policy::SpendLimit;

pub(super) fn positive_duration(s: &str) -> Result<Duration, String> {
    match humantime::parse_duration(s) {
        Ok(d) if d.is_zero() => Err("must be more than zero".into()),
        Ok(d) => Ok(d),
        Err(e) => Err(e.to_string()),
    }
}

/// `--hedge`: `off`, or the quantile of `pNN` (`p95` → 0.95, `p99.9` → 0.999).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hedge(pub Option<f64>);

pub(super) fn hedge(s: &str) -> Result<Hedge, String> {
    if s == "off" {
        return Ok(Hedge(None));
    }
    match s.strip_prefix('p').map(str::parse::<f64>) {
        Some(Ok(p)) if p > 0.0 && p < 100.0 => Ok(Hedge(Some(p / 100.0))),
        _ => Err("must be `off` or pNN, e.g. p95".into()),
    }
}

pub(super) fn percent(s: &str) -> Result<f32, String> {
    match s.strip_suffix('%').map(str::parse::<f32>) {
        Some(Ok(p)) if (0.0..=100.0).contains(&p) => Ok(p / 100.0),
        _ => Err("must be a share like 5%".into()),
    }
}

/// `--cache-ttl`: a duration, or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheTtl(pub Option<Duration>);

pub(super) fn cache_ttl(s: &str) -> Result<CacheTtl, String> {
    if s == "off" {
        return Ok(CacheTtl(None));
    }
    positive_duration(s).map(|d| CacheTtl(Some(d)))
}

/// `--provider-budget`: a call budget per named provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderBudgets(pub Vec<(CheckKind, SpendLimit)>);

pub(super) fn provider_budgets(s: &str) -> Result<ProviderBudgets, String> {
    let mut budgets = Vec::new();
    for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let (name, limit) = item
            .split_once('=')
            .ok_or_else(|| format!("`{item}` is not provider=N/period"))?;
        let kind = CheckKind::ALL
            .into_iter()
            .find(|k| k.provider() == name.trim())
            .ok_or_else(|| format!("`{name}` is not eva, lob or veriphone"))?;
        budgets.push((kind, limit.parse()?));
    }
    Ok(ProviderBudgets(budgets))
}

pub(super) fn base_url(s: &str) -> Result<String, String> {
    let url = reqwest::Url::parse(s).map_err(|e| e.to_string())?;
    match url.scheme() {
        "http" | "https" if url.query().is_none() => Ok(s.trim_end_matches('/').to_owned()),
        _ => Err("must be an http(s) URL without a query".into()),
    }
}

pub(super) fn mailbox(s: &str) -> Result<lettre::message::Mailbox, String> {
    s.parse()
        .map_err(|_| "must be an address like `vouch <no-reply@example.com>`".into())
}

pub(super) fn rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err("must be a number from 0 to 1".into()),
    }
}
