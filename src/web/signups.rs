//! Sign-ups over HTTP: keeping a valid submission (shared by the form and the API),
//! `POST /api/v1/signups`, `GET /confirm/{token}`, and the embedded mailbox's two pages.

use askama::Template;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::header;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde_json::{Map, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::api::{answer, raw_form};
use super::error::{ApiError, ErrorResponses};
use super::json::{SignupNotSaved, SignupResponse, ValidateResponse};

use super::state::AppState;
use crate::checks::Mode;
use crate::checks::report::Report;
use crate::domain::form::{RawForm, Submission};
use crate::store::mailbox::StoredEmail;
use crate::store::rfc3339;
use crate::store::signups::{Confirmation, Kept, PENDING};

/// What became of a submission after validation.
pub enum Keeping {
    /// Some field is invalid: nothing to keep.
    NotValid,
    Kept(Kept),
    /// Valid, but the database failed: the person must try again.
    Failed,
}

/// Keeps the submission if the engine's verdict is valid. A failure is logged without a value
/// that was typed; the caller still shows the validation result.
pub async fn keep_if_valid(state: &AppState, submission: &Submission, report: &Report) -> Keeping {
    if !report.valid() {
        return Keeping::NotValid;
    }
    match state.signups.keep(submission).await {
        Ok(kept) => Keeping::Kept(kept),
        Err(err) => {
            tracing::error!(error = %err, "keeping a sign-up failed");
            Keeping::Failed
        }
    }
}

/// The sign-up API's route with its OpenAPI description; `web::router` adds the layers.
pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create))
}

/// Sign up.
///
/// Validates the form concurrently, as `/api/v1/validate` does, and keeps it when no field is
/// invalid: the sign-up is stored and its confirmation email queued, in one transaction.
/// Signing up again with the same email address answers the same way.
#[utoipa::path(
    post,
    path = "/api/v1/signups",
    tag = "sign-ups",
    request_body(content = RawForm, description = "The form's nine fields; a missing key counts as empty."),
    responses(
        (status = 201, description = "Valid: kept, and a confirmation email is on its way.", body = SignupResponse),
        (status = 200, description = "Not valid: the validation result; nothing kept.", body = ValidateResponse),
        (status = 503, description = "Valid, but it could not be kept right now.", body = SignupNotSaved),
        ErrorResponses,
    )
)]
pub async fn create(
    State(state): State<AppState>,
    body: Result<Json<Map<String, Value>>, JsonRejection>,
) -> Result<Response, ApiError> {
    let raw = raw_form(body?)?;
    let submission = Submission::parse(&raw);
    let report = state.engine.validate(&submission, Mode::Concurrent).await;
    let (status, mut response) = match keep_if_valid(&state, &submission, &report).await {
        Keeping::NotValid => (
            StatusCode::OK,
            answer(&report, ValidateResponse::from(&report)),
        ),
        Keeping::Kept(kept) => (
            StatusCode::CREATED,
            answer(&report, SignupResponse::new(kept.id, PENDING, &report)),
        ),
        Keeping::Failed => (
            StatusCode::SERVICE_UNAVAILABLE,
            answer(&report, SignupNotSaved::new(&report)),
        ),
    };
    *response.status_mut() = status;
    Ok(response)
}

#[derive(Template)]
#[template(path = "signup/confirm.html")]
struct ConfirmPage {
    heading: &'static str,
    body: &'static str,
}

/// `GET /confirm/{token}`: `200` the first time, `410` once used or expired, `404` if unknown.
pub async fn confirm(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let (status, heading, body) = match state.signups.store.confirm(&token).await {
        Ok(Confirmation::Confirmed) => (
            StatusCode::OK,
            "Sign-up confirmed",
            "Thank you: your email address is confirmed, and your sign-up is complete.",
        ),
        Ok(Confirmation::Spent) => (
            StatusCode::GONE,
            "This link has been used or has expired",
            "Each confirmation link works once, for 48 hours. If you have not confirmed yet, \
             sign up again with the same email address and we will send you a new link.",
        ),
        Ok(Confirmation::Unknown) => (
            StatusCode::NOT_FOUND,
            "Link not found",
            "This is not a confirmation link we sent. Please check that you copied all of it.",
        ),
        Err(err) => {
            tracing::error!(error = %err, "confirming a sign-up failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "We couldn't check your link right now",
                "Please try again in a moment.",
            )
        }
    };
    page(status, &ConfirmPage { heading, body })
}

/// How many emails the mailbox lists.
const MAILBOX_PAGE: u32 = 100;

struct EmailRow {
    id: String,
    sent: String,
    recipient: String,
    subject: String,
}

#[derive(Template)]
#[template(path = "signup/mailbox.html")]
struct MailboxPage {
    emails: Vec<EmailRow>,
}

/// `GET /mailbox`: what vouch would have sent, newest first; `404` with an SMTP server.
pub async fn mailbox(State(state): State<AppState>) -> Response {
    if !state.signups.mailbox_open {
        return super::pages::page_not_found();
    }
    match state.signups.store.mailbox(MAILBOX_PAGE).await {
        Ok(emails) => {
            let emails = emails
                .into_iter()
                .map(|e| EmailRow {
                    sent: rfc3339(e.created_at),
                    id: e.id,
                    recipient: e.recipient,
                    subject: e.subject,
                })
                .collect();
            page(StatusCode::OK, &MailboxPage { emails })
        }
        Err(err) => unavailable(&err),
    }
}

/// A run of an email's text: plain, or a link to make clickable.
pub enum Piece<'a> {
    Text(&'a str),
    Link(&'a str),
}

#[derive(Template)]
#[template(path = "signup/email.html")]
struct EmailPage<'a> {
    email: &'a StoredEmail,
    sent: String,
    text: Vec<Piece<'a>>,
}

/// `GET /mailbox/{id}`: one email, both parts; `404` if unknown or with an SMTP server.
pub async fn mailbox_email(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let plausible = id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit());
    if !state.signups.mailbox_open || !plausible {
        return super::pages::page_not_found();
    }
    match state.signups.store.mailbox_email(&id).await {
        Ok(Some(email)) => page(
            StatusCode::OK,
            &EmailPage {
                sent: rfc3339(email.created_at),
                text: pieces(&email.text_body),
                email: &email,
            },
        ),
        Ok(None) => super::pages::page_not_found(),
        Err(err) => unavailable(&err),
    }
}

/// Splits text into plain runs and `http(s)://` links (a link ends at whitespace).
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = ["http://", "https://"]
        .iter()
        .filter_map(|scheme| rest.find(scheme))
        .min()
    {
        let (before, from) = rest.split_at(start);
        let end = from.find(char::is_whitespace).unwrap_or(from.len());
        if !before.is_empty() {
            out.push(Piece::Text(before));
        }
        out.push(Piece::Link(&from[..end]));
        rest = &from[end..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

fn unavailable(err: &crate::store::StoreError) -> Response {
    tracing::error!(error = %err, "reading the mailbox failed");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "the mailbox is unavailable, please try again",
    )
        .into_response()
}

/// A rendered page that no cache keeps: these show personal data or spend a token.
fn page(status: StatusCode, template: &impl Template) -> Response {
    let no_store = (header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    match template.render() {
        Ok(html) => (status, [no_store], Html(html)).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "rendering a page failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> Vec<String> {
        pieces(text)
            .iter()
            .map(|p| match p {
                Piece::Text(t) => format!("T:{t}"),
                Piece::Link(l) => format!("L:{l}"),
            })
            .collect()
    }

    #[test]
    fn links_in_the_text_part_are_found() {
        assert_eq!(
            shown("Open:\n\nhttp://h/confirm/abc\n\nThanks"),
            ["T:Open:\n\n", "L:http://h/confirm/abc", "T:\n\nThanks"]
        );
        assert_eq!(
            shown("https://a b http://c"),
            ["L:https://a", "T: b ", "L:http://c"]
        );
        assert_eq!(shown("no link"), ["T:no link"]);
        assert!(shown("").is_empty());
    }
}
