//! One integration binary: each module starts the real server on a random port against fake
//! providers (wiremock) and speaks HTTP to it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod backends;
mod check;
mod compare;
mod crosssite;
mod exposure;
mod faults;
mod form;
mod helpers;
mod limits;
mod openapi;
mod ops;
mod outbox;
mod process;
mod providers;
mod ratelimit;
mod resilience;
mod sandbox;
mod security;
mod signups;
mod slow;
mod timing;
mod tokens;
