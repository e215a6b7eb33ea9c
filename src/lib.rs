//! vouch: checks sign-up contact details against verification services, all at once.
pub mod offline;
pub mod sandbox;
