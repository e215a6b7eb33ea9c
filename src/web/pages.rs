//! The HTML form: `GET /`, `/sync`, `/async` show it; `POST /sync` and `/async` validate it
//! sequentially or concurrently and re-render it with every field's verdict and the timing.

use std::time::Instant;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::header::{self, HeaderName};
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};

use super::error::ApiError;
use super::signups::{Keeping, keep_if_valid};
use super::state::AppState;
use super::timing::{ms, server_timing};
use super::view::FormPage;
use crate::checks::report::Report;
use crate::checks::{CheckKind, Mode};
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

/// A form body: its name/value pairs, read into a [`RawForm`] by [`RawForm::from_pairs`].
pub type FormBody = Result<Form<Vec<(String, String)>>, FormRejection>;

pub async fn submit_sync(State(state): State<AppState>, form: FormBody) -> Response {
    submit(state, Mode::Sequential, form).await
}

pub async fn submit_async(State(state): State<AppState>, form: FormBody) -> Response {
    submit(state, Mode::Concurrent, form).await
}

/// A page for people, JSON under `/api/` where clients expect the API's error shape.
pub async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return ApiError::NotFound.into_response();
    }
    page_not_found()
}

/// The plain 404 for a page that does not exist.
pub fn page_not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}

async fn submit(state: AppState, mode: Mode, form: FormBody) -> Response {
    let raw = match form {
        Ok(Form(pairs)) => RawForm::from_pairs(pairs),
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
    let (code, notice) = unreadable_notice(rejection);
    let raw = RawForm::default();
    let mut page = FormPage::new(mode, &raw, None);
    page.notice = Some(notice);
    render(code, &page)
}

/// The status and the sentence for a form that could not be read.
pub fn unreadable_notice(rejection: &FormRejection) -> (StatusCode, &'static str) {
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
    let code = if status.is_client_error() {
        status
    } else {
        StatusCode::BAD_REQUEST
    };
    (code, notice)
}

/// Room for a whole result page, reserved at once so the text is never copied as it grows
/// (askama alone would reserve only its size hint); tests/api/form.rs checks a page fits.
pub const PAGE_CAPACITY: usize = 16 * 1024;

pub fn render(status: StatusCode, page: &impl Template) -> Response {
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

/// One line per validation: scope, mode, time and outcomes; never a value that was typed.
pub fn log_submission(report: &Report) {
    let outcome = |kind: CheckKind| {
        let check = report.checks.iter().find(|c| c.kind == kind);
        check.map_or("none", |c| c.outcome.name())
    };
    tracing::info!(
        scope = report.scope.name(),
        mode = report.mode.name(),
        elapsed_ms = format_args!("{:.1}", ms(report.elapsed)),
        valid = report.valid(),
        email = outcome(CheckKind::Email),
        address = outcome(CheckKind::Address),
        phone = outcome(CheckKind::Phone),
        "validated"
    );
}
