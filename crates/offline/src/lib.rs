//! Offline checks: pure functions over shipped data (phone metadata, ZIP table, email lists).
//!
//! They run before any provider call, so a value that cannot be right never costs a request,
//! and the sandbox answers from the very same functions, so local and simulated verdicts never
//! disagree. No I/O: every table is compiled into the binary (`data/`, see
//! `data/PROVENANCE.md`) and parsed once on first use; [`warm_up`] does that at startup (mostly libphonenumber's
//! metadata). After it, all local checks for one sign-up take microseconds
//! (`benches/local_checks.rs`).
//!
//! * [`email`]: syntax (RFC 5321/5322 narrowed to plain addresses), IDN, disposable/webmail/role
//!   flags, typo suggestions.
//! * [`phone`]: libphonenumber's verdict (possible vs. known to the metadata) and formats.
//! * [`zip`]: the US ZIP table: state, city names, kind, active.
//! * [`address`]: the one address verdict (which field is at fault), built on [`zip`].
//! * [`states`]: the USPS state codes and names.

pub mod address;
pub mod email;
pub mod phone;
pub mod states;
pub mod zip;

#[cfg(test)]
mod proptests;

/// Loads every table (phone metadata, ZIP table, email lists) so the first request doesn't pay
/// for it. Idempotent and cheap after the first call.
pub fn warm_up() {
    phone::warm_up();
    zip::warm_up();
    email::warm_up();
}
