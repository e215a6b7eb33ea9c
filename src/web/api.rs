//! The JSON API: `POST /api/v1/validate` (the whole form) and `POST /api/v1/check/{group}`
//! (one group of fields, as the form checks it when the person leaves the group). Both run the
//! one engine; each handler's `#[utoipa::path]` is its entry in `/openapi.json`.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header::HeaderName;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ErrorResponses};
use super::json::ErrorBody;
use super::json::{GroupResponse, ValidateResponse};
use super::state::AppState;
use super::timing::server_timing;
use crate::checks::report::Report;
use crate::checks::{CheckKind, Mode, Scope};
use crate::domain::form::{RawForm, Submission};

/// The API's routes with their OpenAPI descriptions; `web::router` adds the layers.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(validate))
        .routes(routes!(check_group))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ModeParam {
    /// `concurrent` (the default): every provider call at once; `sequential`: one after another.
    mode: Option<Mode>,
}

/// Validate the whole form.
///
/// Checks all nine fields: locally first, then with the email, address and phone providers
/// still needed. Answers `200` whether the form is valid or not.
#[utoipa::path(
    post,
    path = "/api/v1/validate",
    tag = "validation",
    params(ModeParam),
    request_body(content = RawForm, description = "The form's nine fields; a missing key counts as empty."),
    responses(
        (status = 200, description = "Every field's verdict and every check.", body = ValidateResponse,
         headers(("Server-Timing" = String, description = "One entry per provider call, then `total`."))),
        ErrorResponses,
    )
)]
pub async fn validate(
    State(state): State<AppState>,
    query: Result<Query<ModeParam>, QueryRejection>,
    body: Result<Json<Map<String, Value>>, JsonRejection>,
) -> Result<Response, ApiError> {
    let mode = query
        .map_err(|_| ApiError::BadMode)?
        .0
        .mode
        .unwrap_or_default();
    let raw = raw_form(body?)?;
    let report = state.engine.validate(&Submission::parse(&raw), mode).await;
    Ok(answer(&report, ValidateResponse::from(&report)))
}

/// Check one group of fields.
///
/// What the form runs as the person leaves a group: `email`, `phone`, or `address` (street,
/// line 2, city, state, ZIP). The same engine as a full validation, running only the group's
/// provider check; the answer holds only the group's fields.
#[utoipa::path(
    post,
    path = "/api/v1/check/{group}",
    tag = "validation",
    params(("group" = CheckKind, Path, description = "Which group of fields to check.")),
    request_body(content = RawForm, description = "The form's fields; only the group's are read."),
    responses(
        (status = 200, description = "The group's fields and its check.", body = GroupResponse,
         headers(("Server-Timing" = String, description = "The group's provider call, then `total`."))),
        (status = 404, description = "The group is not `email`, `phone` or `address`.", body = ErrorBody),
        ErrorResponses,
    )
)]
pub async fn check_group(
    State(state): State<AppState>,
    group: Result<Path<String>, PathRejection>,
    body: Result<Json<Map<String, Value>>, JsonRejection>,
) -> Result<Response, ApiError> {
    let group = group
        .ok()
        .and_then(|Path(g)| CheckKind::parse(&g))
        .ok_or(ApiError::UnknownGroup)?;
    let raw = raw_form(body?)?;
    let scope = Scope::Group(group);
    let sub = Submission::parse(&raw);
    let report = state
        .engine
        .validate_in(&sub, Mode::Concurrent, scope)
        .await;
    Ok(answer(&report, GroupResponse::new(group, &report)))
}

/// The form from a JSON object. Only an object will do: serde would also read a struct from
/// an array of its fields in order, which the contract calls the wrong shape.
pub(super) fn raw_form(object: Json<Map<String, Value>>) -> Result<RawForm, ApiError> {
    RawForm::deserialize(Value::Object(object.0)).map_err(|_| ApiError::WrongShape)
}

/// `body` as JSON with the report's `Server-Timing`, logged as a submission.
pub(super) fn answer(report: &Report, body: impl serde::Serialize) -> Response {
    super::pages::log_submission(report);
    let timing = server_timing(report, &[]);
    (
        [(HeaderName::from_static("server-timing"), timing)],
        Json(body),
    )
        .into_response()
}
