//! HTTP: the router reads like design.md's route table, and every layer is set here.

pub mod api;
pub mod chart;
pub mod compare;
pub mod error;
pub mod html;
pub mod json;
pub mod meters;
pub mod openapi;
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
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use state::AppState;

/// Body limits of the contract.
pub const FORM_BODY_LIMIT: usize = 16 * 1024;
pub const JSON_BODY_LIMIT: usize = 64 * 1024;

/// Only the binary's own script and style; no inline code, no framing, forms post to us only;
/// the script may call our own API (the live checks).
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub fn router(state: AppState) -> Router {
    let form = Router::new()
        .route("/", get(pages::show_async))
        .route("/sync", get(pages::show_sync).post(pages::submit_sync))
        .route("/async", get(pages::show_async).post(pages::submit_async))
        .route("/compare", get(compare::show).post(compare::run))
        .layer(DefaultBodyLimit::max(FORM_BODY_LIMIT));
    // POST /api/v1/validate, /api/v1/check/{group} and /api/v1/signups, with their OpenAPI
    // description.
    let (api, spec) = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(api::routes())
        .merge(signups::api_routes())
        .split_for_parts();
    let api = api.layer(DefaultBodyLimit::max(JSON_BODY_LIMIT));
    let docs = openapi::ApiDocs::new(&spec);
    let signup = Router::new()
        .route("/confirm/{token}", get(signups::confirm))
        .route("/mailbox", get(signups::mailbox))
        .route("/mailbox/{id}", get(signups::mailbox_email));
    let ops = Router::new()
        .route("/openapi.json", get(openapi::json).with_state(docs.clone()))
        .route("/docs", get(openapi::page).with_state(docs))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .route("/static/{file}", get(ops::asset));
    let mut app = form
        .merge(api)
        .merge(signup)
        .merge(ops)
        .fallback(pages::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), ops::track));
    // On every answer; a handler's own value wins.
    for (name, value) in SECURITY_HEADERS {
        app = app.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    app.layer(CatchPanicLayer::new()).with_state(state)
}

const SECURITY_HEADERS: [(HeaderName, &str); 4] = [
    (header::CONTENT_SECURITY_POLICY, CSP),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::REFERRER_POLICY, "no-referrer"),
];
