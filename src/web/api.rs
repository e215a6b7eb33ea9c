//! `POST /api/v1/validate?mode=concurrent|sequential`: the form's validation as JSON.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::header::HeaderName;
use axum::response::{IntoResponse, Response};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use super::error::ApiError;
use super::state::AppState;
use super::timing::{ms, server_timing};
use crate::checks::report::{FieldVerdicts, Report};
use crate::checks::{CheckKind, Mode, Outcome};
use crate::domain::field::{Field, Status};
use crate::domain::form::{RawForm, Submission};

#[derive(Deserialize)]
pub struct ModeParam {
    mode: Option<String>,
}

pub async fn validate(
    State(state): State<AppState>,
    query: Result<Query<ModeParam>, QueryRejection>,
    body: Result<Json<RawForm>, JsonRejection>,
) -> Result<Response, ApiError> {
    let mode = match query.map(|q| q.0.mode) {
        Ok(None) => Mode::default(),
        Ok(Some(m)) => Mode::parse(&m).ok_or(ApiError::BadMode)?,
        Err(_) => return Err(ApiError::BadMode),
    };
    let Json(raw) = body?;
    let report = state.engine.validate(&Submission::parse(&raw), mode).await;
    super::pages::log_submission(&report);
    let timing = server_timing(&report, &[]);
    let body = Json(ValidateResponse::from(&report));
    Ok(([(HeaderName::from_static("server-timing"), timing)], body).into_response())
}

#[derive(Serialize)]
pub(super) struct ValidateResponse<'a> {
    valid: bool,
    mode: Mode,
    elapsed_ms: f64,
    fields: FieldsJson<'a>,
    checks: Vec<CheckJson>,
}

#[derive(Serialize)]
pub(super) struct CheckJson {
    check: &'static str,
    provider: &'static str,
    start_ms: f64,
    duration_ms: f64,
    outcome: Outcome,
}

#[derive(Serialize)]
struct FieldJson<'a> {
    status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'static str>,
    /// "Did you mean …?" for an email that looks like a typo of a common provider.
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<&'a str>,
}

/// The nine fields as a JSON object, in form order.
pub(super) struct FieldsJson<'a> {
    verdicts: &'a FieldVerdicts,
    suggestion: Option<&'a str>,
}

impl Serialize for FieldsJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(Field::ALL.len()))?;
        for (field, verdict) in self.verdicts.iter() {
            let suggestion = if field == Field::Email {
                self.suggestion
            } else {
                None
            };
            let json = FieldJson {
                status: verdict.status,
                message: verdict.message,
                suggestion,
            };
            map.serialize_entry(field.wire_name(), &json)?;
        }
        map.end()
    }
}

/// Rounded to 0.1 ms: finer digits are noise.
fn round_ms(d: std::time::Duration) -> f64 {
    (ms(d) * 10.0).round() / 10.0
}

impl<'a> FieldsJson<'a> {
    pub(super) fn of(report: &'a Report) -> Self {
        FieldsJson {
            verdicts: &report.fields,
            suggestion: report.email_suggestion.as_deref(),
        }
    }
}

impl CheckJson {
    pub(super) fn all(report: &Report) -> Vec<CheckJson> {
        report
            .checks
            .iter()
            .map(|c| CheckJson {
                check: CheckKind::name(c.kind),
                provider: c.kind.provider(),
                start_ms: round_ms(c.start),
                duration_ms: round_ms(c.duration),
                outcome: c.outcome,
            })
            .collect()
    }
}

impl<'a> From<&'a Report> for ValidateResponse<'a> {
    fn from(report: &'a Report) -> Self {
        ValidateResponse {
            valid: report.valid(),
            mode: report.mode,
            elapsed_ms: round_ms(report.elapsed),
            fields: FieldsJson::of(report),
            checks: CheckJson::all(report),
        }
    }
}
