//! The HTML form: `GET /`, `/sync`, `/async` show it; `POST /sync` and `/async` validate it
//! sequentially or concurrently and re-render it with every field's verdict and the timing.

use std::time::Instant;

use askama::Template;
use axum::extract::State;
use axum::http::header::{self, HeaderName};
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};

use super::body::{FormBody, FormRejection};
use super::error::ApiError;
use super::ratelimit::RetryAfter;
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

pub async fn submit_sync(
    State(state): State<AppState>,
    form: Result<FormBody, FormRejection>,
) -> Response {
    submit(state, Mode::Sequential, form).await
}

pub async fn submit_async(
    State(state): State<AppState>,
    form: Result<FormBody, FormRejection>,
) -> Response {
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

async fn submit(state: AppState, mode: Mode, form: Result<FormBody, FormRejection>) -> Response {
    let raw = match form {
        Ok(FormBody(raw)) => raw,
        Err(rejection) => return unreadable(mode, rejection),
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

/// The form could not be read: say so, with the rejection's status.
fn unreadable(mode: Mode, rejection: FormRejection) -> Response {
    let (code, notice) = unreadable_notice(rejection);
    notice_page(mode, code, notice)
}

/// The status and the sentence for a form that could not be read (too large, wrong type, too
/// slow, not UTF-8, malformed).
pub fn unreadable_notice(rejection: FormRejection) -> (StatusCode, &'static str) {
    let notice = match rejection {
        FormRejection::TooLarge => {
            "The form was too large to read (the limit is 16 KiB). Please shorten your answers."
        }
        FormRejection::NotAForm => {
            "The form was not sent as a web form. Please submit it from this page."
        }
        FormRejection::TimedOut => "The form took too long to arrive. Please submit it again.",
        FormRejection::NotUtf8 => {
            "The form was not sent as UTF-8 text, so it was not checked. Please submit it from this page."
        }
        FormRejection::Malformed => {
            "The form could not be read. Please check your answers and submit it again."
        }
    };
    (rejection.status(), notice)
}

/// Why a submission was refused before it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A browser posted it from another site's page (cross-site request forgery).
    CrossSite,
    /// The client is over its rate limit.
    TooMany(RetryAfter),
}

/// The form again, for `path`'s mode, with a notice saying why the submission was refused:
/// `403` for another site's form, `429` with `Retry-After` over the rate limit. Nothing was
/// checked, so no value is shown back.
pub fn refused(path: &str, refusal: Refusal) -> Response {
    let mode = if path == "/sync" {
        Mode::Sequential
    } else {
        Mode::Concurrent
    };
    match refusal {
        Refusal::CrossSite => notice_page(
            mode,
            StatusCode::FORBIDDEN,
            "This form was sent from another website, so nothing was checked or saved. \
             If you meant to sign up here, fill in the form below.",
        ),
        Refusal::TooMany(RetryAfter(secs)) => {
            let mut page = notice_page(
                mode,
                StatusCode::TOO_MANY_REQUESTS,
                "This form has been submitted many times from your network in a short while, \
                 so this one was not checked. Please wait a little, then submit it again.",
            );
            page.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            page
        }
    }
}

fn notice_page(mode: Mode, status: StatusCode, notice: &'static str) -> Response {
    let raw = RawForm::default();
    let mut page = FormPage::new(mode, &raw, None);
    page.notice = Some(notice);
    render(status, &page)
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
