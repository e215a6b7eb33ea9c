//! The HTML form: `GET /`, `/sync`, `/async` show it; `POST /sync` and `/async` validate it
//! sequentially or concurrently and re-render it with every field's verdict and the timing.

use std::time::Instant;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::header::{self, HeaderName};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use super::signups::{Keeping, keep_if_valid};
use super::state::AppState;
use super::timing::{ms, server_timing};
use super::view::FormPage;
use crate::checks::Mode;
use crate::checks::report::Report;
use crate::domain::form::{RawForm, Submission};

pub async fn show_async() -> Response {
    render(
        StatusCode::OK,
        &FormPage::new(Mode::Concurrent, &RawForm::default(), None),
    )
}

pub async fn show_sync() -> Response {
    render(
        StatusCode::OK,
        &FormPage::new(Mode::Sequential, &RawForm::default(), None),
    )
}

pub async fn submit_sync(
    State(state): State<AppState>,
    form: Result<Form<RawForm>, FormRejection>,
) -> Response {
    submit(state, Mode::Sequential, form).await
}

pub async fn submit_async(
    State(state): State<AppState>,
    form: Result<Form<RawForm>, FormRejection>,
) -> Response {
    submit(state, Mode::Concurrent, form).await
}

pub async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}

async fn submit(
    state: AppState,
    mode: Mode,
    form: Result<Form<RawForm>, FormRejection>,
) -> Response {
    let raw = match form {
        Ok(Form(raw)) => raw,
        Err(rejection) => return unreadable(mode, &rejection),
    };
    let submission = Submission::parse(&raw);
    let report = state.engine.validate(&submission, mode).await;
    log_submission(&report);
    // The page is the same whether or not the address had signed up before.
    let kept = keep_if_valid(&state, &submission, &report).await;
    let render_started = Instant::now();
    let mut page = FormPage::new(mode, &raw, Some(&report));
    let status = match kept {
        Keeping::NotValid => StatusCode::OK,
        Keeping::Kept(_) => {
            page.kept = true;
            StatusCode::OK
        }
        Keeping::Failed => {
            page.notice = Some("We couldn't save your sign-up, please try again.");
            StatusCode::SERVICE_UNAVAILABLE
        }
    };
    let mut response = render(status, &page);
    let timing = server_timing(&report, &[("render", render_started.elapsed())]);
    response
        .headers_mut()
        .insert(HeaderName::from_static("server-timing"), timing);
    response
}

/// The form could not be read (too large, wrong type, malformed): say so, keep the status.
fn unreadable(mode: Mode, rejection: &FormRejection) -> Response {
    let status = rejection.status();
    let notice = match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            "The form was too large to read (the limit is 16 KiB). Please shorten your answers."
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            "The form was not sent as a web form. Please submit it from this page."
        }
        _ => "The form could not be read. Please check your answers and submit it again.",
    };
    let raw = RawForm::default();
    let mut page = FormPage::new(mode, &raw, None);
    page.notice = Some(notice);
    let code = if status.is_client_error() {
        status
    } else {
        StatusCode::BAD_REQUEST
    };
    render(code, &page)
}

/// A page with its results and waterfall is ~8 KiB (8,047 bytes for a valid submission); askama alone would reserve its size hint
/// (2,961 bytes for this template) and copy the text twice as it grew. Reserved at once, it
/// is never copied (tests/api/form.rs checks a result page fits).
pub const PAGE_CAPACITY: usize = 16 * 1024;

fn render(status: StatusCode, page: &FormPage<'_>) -> Response {
    let mut html = String::with_capacity(PAGE_CAPACITY);
    match page.render_into(&mut html) {
        Ok(()) => (status, Html(html)).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "rendering the form failed");
            let text = HeaderValue::from_static("text/plain; charset=utf-8");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, text)],
                "internal error",
            )
                .into_response()
        }
    }
}

/// One line per submission: mode, time and outcomes; never a value that was typed.
pub fn log_submission(report: &Report) {
    let outcome = |i: usize| report.checks.get(i).map_or("none", |c| c.outcome.name());
    tracing::info!(
        mode = report.mode.name(),
        elapsed_ms = format_args!("{:.1}", ms(report.elapsed)),
        valid = report.valid(),
        email = outcome(0),
        address = outcome(1),
        phone = outcome(2),
        "validated"
    );
}
