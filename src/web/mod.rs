//! HTTP: the router reads like design.md's route table, and every layer is set here.

pub mod access;
pub mod api;
pub mod body;
pub mod chart;
pub mod client;
pub mod compare;
pub mod error;
pub mod html;
pub mod json;
pub mod meters;
pub mod openapi;
pub mod ops;
pub mod pages;
pub mod ratelimit;
pub mod signups;
pub mod state;
pub mod timing;
pub mod view;

use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Response, header};
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::csrf::{CsrfLayer, ProtectionError};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::RequestBodyDeadlineLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use error::ApiError;
use pages::Refusal;
use state::AppState;

/// Body limits of the contract.
pub const FORM_BODY_LIMIT: usize = 16 * 1024;
pub const JSON_BODY_LIMIT: usize = 64 * 1024;

pub fn router(state: AppState) -> Router {
    let pages = Router::new()
        .route("/", get(pages::show_async))
        .route("/sync", get(pages::show_sync))
        .route("/async", get(pages::show_async))
        .route("/compare", get(compare::show));
    // Every route that spends provider calls is refused to other sites' pages (outermost),
    // then counted against its client's rate limit; the API also wants its token.
    let submissions = Router::new()
        .route("/sync", post(pages::submit_sync))
        .route("/async", post(pages::submit_async))
        .route("/compare", post(compare::run))
        .route_layer(
            ServiceBuilder::new()
                .layer(DefaultBodyLimit::max(FORM_BODY_LIMIT))
                .layer(CsrfLayer::new().with_rejection_response(cross_site_page))
                .layer(from_fn_with_state(state.clone(), ratelimit::limit_form)),
        );
    // POST /api/v1/validate, /api/v1/check/{group} and /api/v1/signups, with their OpenAPI
    // description.
    let (api, spec) = OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(api::routes())
        .merge(signups::api_routes())
        .split_for_parts();
    let api = api.route_layer(
        ServiceBuilder::new()
            .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
            .layer(CsrfLayer::new().with_rejection_response(cross_site_json))
            .layer(from_fn_with_state(state.clone(), ratelimit::limit_api))
            .layer(from_fn_with_state(state.clone(), access::require_token)),
    );
    let docs = openapi::ApiDocs::new(&spec);
    let signup = Router::new()
        .route("/confirm/{token}", get(signups::confirm))
        .route("/mailbox", get(signups::mailbox))
        .route("/mailbox/{id}", get(signups::mailbox_email));
    let mut ops = Router::new()
        .route("/openapi.json", get(openapi::json).with_state(docs.clone()))
        .route("/docs", get(openapi::page).with_state(docs))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/static/{file}", get(ops::asset));
    if state.guard.metrics_here {
        ops = ops.route("/metrics", get(ops::metrics));
    }
    // On every answer; a handler's own value wins.
    let [
        csp,
        nosniff,
        frames,
        referrer,
        opener,
        resources,
        permissions,
        cache,
    ] = SECURITY_HEADERS.map(|(name, value)| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    });
    pages
        .merge(submissions)
        .merge(api)
        .merge(signup)
        .merge(ops)
        .fallback(pages::not_found)
        // One stack, so one boxed service per route: each `Router::layer` call boxes every
        // route again, and axum clones a route's whole chain of boxes for every request.
        .layer(
            ServiceBuilder::new()
                .layer(CatchPanicLayer::new())
                .layer(csp)
                .layer(nosniff)
                .layer(frames)
                .layer(referrer)
                .layer(opener)
                .layer(resources)
                .layer(permissions)
                .layer(cache)
                .layer(from_fn_with_state(state.clone(), ops::track))
                // A body must arrive in time; a validation may then wait on providers as
                // long as its own deadline says.
                .layer(RequestBodyDeadlineLayer::new(state.guard.body_timeout)),
        )
        .with_state(state)
}

/// `/metrics` alone, for `--metrics-listen`: operator data on an address of its own.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(ops::metrics))
        .fallback(pages::not_found)
        .with_state(state)
}

fn cross_site_page(_: ProtectionError) -> Response<Body> {
    pages::refused("/", Refusal::CrossSite)
}

fn cross_site_json(_: ProtectionError) -> Response<Body> {
    ApiError::CrossSite.into_response()
}

/// Only the binary's own script, style and images, and calls to our own API (the live
/// checks); no plugins, no framing, no `<base>`, and forms post to us only. No
/// `unsafe-inline`: the pages have no inline script or style.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; \
                   connect-src 'self'; object-src 'none'; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

/// Powerful browser features the pages never use, denied to them and to anything injected.
const PERMISSIONS: &str = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), \
                           magnetometer=(), microphone=(), payment=(), usb=()";

const SECURITY_HEADERS: [(HeaderName, &str); 8] = [
    (header::CONTENT_SECURITY_POLICY, CSP),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::REFERRER_POLICY, "no-referrer"),
    (
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    ),
    (
        HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    ),
    (HeaderName::from_static("permissions-policy"), PERMISSIONS),
    // Pages show what was typed (names, emails, phones): no cache may keep them. The static
    // assets say otherwise for themselves.
    (header::CACHE_CONTROL, "no-store"),
];
