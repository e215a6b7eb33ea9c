//! One integration binary: each module starts the real server on a random port against fake
//! providers (wiremock) and speaks HTTP to it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod crosssite;
mod exposure;
mod form;
mod helpers;
mod limits;
mod ops;
mod process;
mod providers;
mod ratelimit;
mod resilience;
mod sandbox;
mod security;
mod slow;
mod timing;
mod tokens;
