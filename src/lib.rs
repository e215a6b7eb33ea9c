//! vouch checks the contact details a person types into a sign-up form against verification
//! services, all at once, and shows what is wrong before they leave the page.
//!
//! # Layout
//!
//! A request flows inward and the answer flows back out:
//!
//! - [`web`] — axum router, HTML pages, JSON API, metrics; the only layer that knows HTTP status codes.
//! - [`domain`] — the form as posted ([`domain::form::RawForm`]) parsed once into typed fields
//!   ([`domain::form::Submission`]); pure, no I/O.
//! - [`checks::engine`] — the one engine: local verdicts, then the provider calls still needed,
//!   run sequentially or concurrently (a parameter), each timed on a shared axis.
//! - [`checks`] `::{eva, lob, veriphone}` — one client per provider over one pooled HTTP client.
//! - [`offline`] — phone metadata, the US ZIP table, email lists: used by local checks and the sandbox.
//! - [`sandbox`] — wire-compatible simulations of the three providers, served over real HTTP.
//! - [`store`] — a valid submission kept as a sign-up, with its email job in the same
//!   transaction (an outbox); confirmation tokens; SQLite by default, PostgreSQL by URL.
//! - [`mail`] — the background worker that drains the outbox to an SMTP server or the embedded
//!   mailbox, with leases, retries and backoff.
//! - [`cli`], [`config`], [`startup`], [`telemetry`] — flags and env, settings, wiring, logs and
//!   metrics; `serve`, start-up's own accept loop (header timeout, connection cap).

pub mod checks;
pub mod cli;
pub mod config;
pub mod domain;
pub mod mail;
mod serve;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod web;
