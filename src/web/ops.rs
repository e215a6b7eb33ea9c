//! Operations: health, Prometheus metrics, the binary's own static files, and the middleware
//! that counts and times every request.

use std::time::Instant;

use axum::extract::{MatchedPath, Path, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::state::AppState;

/// Liveness: the process serves.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: `200` while the server takes work, `503` once a graceful shutdown has begun;
/// with each provider's circuit breaker.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let ready = !state.shutdown.has_begun();
    let providers: serde_json::Map<String, serde_json::Value> = state
        .engine
        .policy
        .breakers()
        .into_iter()
        .map(|(kind, breaker)| (kind.provider().to_owned(), <&str>::from(breaker).into()))
        .collect();
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = serde_json::json!({ "ready": ready, "providers": providers });
    (status, axum::Json(body)).into_response()
}

pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
}

const STYLESHEET: &str = include_str!("../../static/vouch.css");
const SCRIPT: &str = include_str!("../../static/vouch.js");
const ICON: &str = include_str!("../../static/favicon.svg");

/// Served from the binary: no CDN, works offline.
pub async fn asset(Path(file): Path<String>) -> Response {
    let (body, content_type) = match file.as_str() {
        "vouch.css" => (STYLESHEET, "text/css; charset=utf-8"),
        "vouch.js" => (SCRIPT, "text/javascript; charset=utf-8"),
        "favicon.svg" => (ICON, "image/svg+xml"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let cache = (header::CACHE_CONTROL, "public, max-age=3600");
    ([(header::CONTENT_TYPE, content_type), cache], body).into_response()
}

/// Counts and times each request by route template (never the raw URI) and status.
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().cloned();
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    let method = request.method().clone();
    let started = Instant::now();
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let status = response.status();
    if status.is_server_error() {
        tracing::error!(%method, route, status = status.as_u16(), "request failed");
    } else {
        tracing::debug!(%method, route, status = status.as_u16(), ?elapsed, "request");
    }
    state.requests.record(route, status.as_u16(), elapsed);
    response
}
