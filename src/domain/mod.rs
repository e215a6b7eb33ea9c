//! Pure domain types: input is parsed here once, and the rest of vouch trusts the types.
//! No I/O and no async; offline knowledge comes from `vouch_offline`.

pub mod address;
pub mod email;
pub mod field;
pub mod form;
pub mod hint;
pub mod name;
pub mod phone;
pub mod text;

#[cfg(test)]
mod proptests;
