//! What the form page shows, computed before rendering so the template stays dumb: each field's
//! value, status, message and hint; the error summary; and the waterfall.

use askama::Template;

use super::chart::{Chart, Lane, whole_ms};
use super::html::StateOptions;
use super::timing::ms;
use crate::checks::report::Report;
use crate::checks::{CheckKind, Mode};
use crate::domain::address::UsState;
use crate::domain::field::{Field, Status};
use crate::domain::form::RawForm;

#[derive(Template)]
#[template(path = "form.html")]
pub struct FormPage<'a> {
    pub mode: Mode,
    pub fields: [FieldView<'a>; Field::ALL.len()],
    /// The state the form had selected, if it names one.
    pub state: Option<UsState>,
    /// Links to the invalid fields, in form order (the GOV.UK error summary).
    pub errors: Vec<(&'static str, &'static str)>,
    pub result: Option<ResultView>,
    /// A problem with the request itself (unreadable form) or with keeping it, shown above
    /// the form.
    pub notice: Option<&'static str>,
    /// The submission was kept as a sign-up and its confirmation email queued.
    pub kept: bool,
}

#[derive(Clone)]
pub struct FieldView<'a> {
    pub id: &'static str,
    pub label: &'static str,
    pub value: &'a str,
    pub kind: &'static str,
    pub autocomplete: &'static str,
    /// The check that decides this field (`email`, `phone`, `address`), for the live check.
    pub group: &'static str,
    /// `valid`, `invalid`, `unverified` or `` (not checked, or nothing to show).
    pub status: &'static str,
    pub error: Option<&'static str>,
    pub note: Option<&'static str>,
    pub hint: Option<String>,
    pub suggestion: Option<String>,
    /// The ids of the texts that describe the input, for `aria-describedby`.
    pub described_by: String,
}

pub struct ResultView {
    pub valid: bool,
    pub unverified: bool,
    pub mode: &'static str,
    /// The whole validation, in whole milliseconds.
    pub total_ms: u64,
    pub chart: Chart,
}

impl<'a> FormPage<'a> {
    pub fn new(mode: Mode, raw: &'a RawForm, report: Option<&Report>) -> Self {
        let fields = Field::ALL.map(|f| FieldView::new(f, raw, report));
        FormPage {
            mode,
            state: UsState::from_code(&raw.state).filter(|s| s.on_form()),
            errors: summary(&fields),
            fields,
            result: report.map(result_view),
            notice: None,
            kept: false,
        }
    }

    pub fn action(&self) -> &'static str {
        match self.mode {
            Mode::Sequential => "/sync",
            Mode::Concurrent => "/async",
        }
    }

    pub fn is_sync(&self) -> bool {
        self.mode == Mode::Sequential
    }

    /// Which page of the masthead this is.
    pub fn page(&self) -> &'static str {
        match self.mode {
            Mode::Sequential => "sync",
            Mode::Concurrent => "async",
        }
    }

    pub fn state_options(&self) -> StateOptions {
        StateOptions(self.state)
    }

    /// Name, email and phone: the fields before the address group.
    pub fn person(&self) -> &[FieldView<'a>] {
        self.fields.get(..4).unwrap_or_default()
    }

    /// The five address fields, shown together in one fieldset.
    pub fn address(&self) -> &[FieldView<'a>] {
        self.fields.get(4..).unwrap_or_default()
    }
}

/// The GOV.UK error summary: a link to each invalid field, in form order.
fn summary(fields: &[FieldView<'_>]) -> Vec<(&'static str, &'static str)> {
    fields
        .iter()
        .filter_map(|f| f.error.map(|e| (f.id, e)))
        .collect()
}

impl<'a> FieldView<'a> {
    pub fn new(field: Field, raw: &'a RawForm, report: Option<&Report>) -> Self {
        let group = CheckKind::ALL
            .into_iter()
            .find(|k| k.fields().contains(&field));
        let verdict = report.map(|r| r.fields.get(field));
        // "Checked" only where the field's whole check passed: a street beside a wrong ZIP
        // was not confirmed by anyone. A name is only checked for presence: nothing to mark.
        let confirmed = group.zip(report).is_some_and(|(kind, r)| {
            kind.fields()
                .iter()
                .all(|f| r.fields.get(*f).status != Status::Invalid)
        });
        let status = verdict.map_or("", |v| match v.status {
            Status::Valid if !confirmed => "",
            Status::Valid => "valid",
            Status::Invalid => "invalid",
            Status::Unverified => "unverified",
            Status::Empty => "",
        });
        let message = verdict.and_then(|v| v.message);
        let (kind, autocomplete) = match field {
            Field::FirstName => ("text", "given-name"),
            Field::LastName => ("text", "family-name"),
            Field::Email => ("email", "email"),
            Field::PhoneNumber => ("tel", "tel"),
            Field::Address => ("text", "address-line1"),
            Field::Address2 => ("text", "address-line2"),
            Field::City => ("text", "address-level2"),
            Field::State => ("select", "address-level1"),
            Field::Zip => ("text", "postal-code"),
        };
        let mut view = FieldView {
            id: field.wire_name(),
            label: field.label(),
            value: raw.value(field),
            kind,
            autocomplete,
            group: group.map_or("", CheckKind::name),
            status,
            error: message.filter(|_| status == "invalid"),
            note: message.filter(|_| status == "unverified"),
            hint: verdict.and_then(|v| v.hint).map(|h| h.to_string()),
            suggestion: report
                .filter(|_| field == Field::Email)
                .and_then(|r| r.email_suggestion.clone()),
            described_by: String::new(),
        };
        view.described_by = view.describers();
        view
    }

    fn describers(&self) -> String {
        let parts = [
            (self.error.is_some(), "error"),
            (self.note.is_some(), "note"),
            (self.hint.is_some(), "hint"),
            (self.status == "valid", "ok"),
            (self.suggestion.is_some(), "suggestion"),
        ];
        let ids: Vec<String> = parts
            .into_iter()
            .filter(|(shown, _)| *shown)
            .map(|(_, part)| format!("{}-{part}", self.id))
            .collect();
        ids.join(" ")
    }
}

fn result_view(report: &Report) -> ResultView {
    let total_ms = whole_ms(ms(report.elapsed));
    let mode = match report.mode {
        Mode::Sequential => "one call after another (sequential)",
        Mode::Concurrent => "all calls at once (concurrent)",
    };
    let title = format!(
        "Waterfall of the provider calls, {}: {total_ms} ms in all. The table below lists each call.",
        report.mode.name()
    );
    ResultView {
        valid: report.valid(),
        unverified: report
            .verdicts()
            .any(|(_, v)| v.status == Status::Unverified),
        mode,
        total_ms,
        chart: Chart::new(vec![Lane::of(String::new(), report)], title),
    }
}
