//! What every handler shares.

use std::sync::Arc;

use metrics_exporter_prometheus::PrometheusHandle;

use crate::checks::engine::Engine;
use crate::telemetry::meters::RequestMeters;

#[derive(Clone)]
pub struct AppState {
    pub engine: Arc<Engine>,
    pub metrics: PrometheusHandle,
    pub requests: Arc<RequestMeters>,
}
