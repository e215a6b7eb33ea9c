//! One integration binary: each module starts the real server on a random port against fake
//! providers (wiremock) and speaks HTTP to it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod backends;
mod check;
mod compare;
mod faults;
mod form;
mod helpers;
mod openapi;
mod ops;
mod outbox;
mod process;
mod providers;
mod resilience;
mod sandbox;
mod security;
mod signups;
mod timing;
