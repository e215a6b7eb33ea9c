//! HTTP: the router reads like design.md's route table, and every layer is set here.

pub mod api;
pub mod error;
pub mod html;
pub mod ops;
pub mod pages;
pub mod signups;
pub mod state;
pub mod timing;
pub mod view;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware;
use axum::response::Response;
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;

use state::AppState;

/// Body limits of the contract.
pub const FORM_BODY_LIMIT: usize = 16 * 1024;
pub const JSON_BODY_LIMIT: usize = 64 * 1024;

/// Only the binary's own script and style; no inline code, no framing, forms post to us only.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub fn router(state: AppState) -> Router {
    let form = Router::new()
        .route("/", get(pages::show_async))
        .route("/sync", get(pages::show_sync).post(pages::submit_sync))
        .route("/async", get(pages::show_async).post(pages::submit_async))
        .layer(DefaultBodyLimit::max(FORM_BODY_LIMIT));
    let api = Router::new()
        .route("/api/v1/validate", post(api::validate))
        .route("/api/v1/signups", post(signups::create))
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT));
    let signup = Router::new()
        .route("/confirm/{token}", get(signups::confirm))
        .route("/mailbox", get(signups::mailbox))
        .route("/mailbox/{id}", get(signups::mailbox_email));
    let ops = Router::new()
        .route("/healthz", get(ops::healthz))
        .route("/metrics", get(ops::metrics))
        .route("/static/{file}", get(ops::asset));
    form.merge(api)
        .merge(signup)
        .merge(ops)
        .fallback(pages::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), ops::track))
        .layer(middleware::map_response(security_headers))
        .layer(CatchPanicLayer::new())
        .with_state(state)
}

/// The same four headers on every answer, set in one pass (a handler's own value wins).
async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.reserve(SECURITY_HEADERS.len());
    for (name, value) in SECURITY_HEADERS {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    response
}

const SECURITY_HEADERS: [(HeaderName, &str); 4] = [
    (header::CONTENT_SECURITY_POLICY, CSP),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::REFERRER_POLICY, "no-referrer"),
];
