//! What the page shows, computed before rendering so the template stays dumb: each field's
//! value, status and message; the error summary; and the waterfall's geometry.

use std::time::Duration;

use askama::Template;

use super::html::{StateOptions, Tenths};
use super::timing::ms;
use crate::checks::report::Report;
use crate::checks::{Mode, Outcome};
use crate::domain::field::{Field, Status};
use crate::domain::form::RawForm;
use crate::domain::state::UsState;

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
    /// `valid`, `invalid`, `unverified`, `empty` or `` before a submission.
    pub status: &'static str,
    pub error: Option<&'static str>,
    pub note: Option<&'static str>,
    pub suggestion: Option<String>,
}

pub struct ResultView {
    pub valid: bool,
    pub unverified: bool,
    pub mode: &'static str,
    /// The whole validation, in whole milliseconds.
    pub total_ms: u64,
    pub waterfall: Waterfall,
}

/// An SVG waterfall: one row per check on a shared time axis. Geometry only, in px.
pub struct Waterfall {
    pub width: u32,
    pub height: u32,
    pub plot_left: u32,
    pub plot_right: u32,
    pub axis_y: u32,
    pub rows: Vec<Bar>,
    pub ticks: Vec<Tick>,
}

pub struct Bar {
    pub provider: &'static str,
    pub check: &'static str,
    pub y: u32,
    pub text_y: u32,
    pub x: Tenths,
    pub w: Tenths,
    pub outcome: &'static str,
    pub skipped: bool,
    /// The call's duration in whole milliseconds, for the bar's label.
    pub took_ms: u64,
    pub label_x: Tenths,
    /// Milliseconds, for the table.
    pub start: Tenths,
    pub duration: Tenths,
}

pub struct Tick {
    pub x: Tenths,
    pub ms: u64,
}

impl<'a> FormPage<'a> {
    pub fn new(mode: Mode, raw: &'a RawForm, report: Option<&Report>) -> Self {
        let fields = Field::ALL.map(|f| field_view(f, raw, report));
        let errors = fields
            .iter()
            .filter_map(|f| f.error.map(|e| (f.id, e)))
            .collect();
        FormPage {
            mode,
            state: UsState::parse(&raw.state),
            fields,
            errors,
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

    pub fn state_options(&self) -> StateOptions {
        StateOptions(self.state)
    }
}

fn field_view<'a>(field: Field, raw: &'a RawForm, report: Option<&Report>) -> FieldView<'a> {
    let verdict = report.map(|r| r.fields.get(field));
    let status = verdict.map_or("", |v| match v.status {
        Status::Valid => "valid",
        Status::Invalid => "invalid",
        Status::Unverified => "unverified",
        Status::Empty => "empty",
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
    FieldView {
        id: field.wire_name(),
        label: field.label(),
        value: raw.value(field),
        kind,
        autocomplete,
        status,
        error: message.filter(|_| status == "invalid"),
        note: message.filter(|_| status == "unverified"),
        suggestion: report
            .filter(|_| field == Field::Email)
            .and_then(|r| r.email_suggestion.clone()),
    }
}

fn result_view(report: &Report) -> ResultView {
    ResultView {
        valid: report.valid(),
        unverified: report
            .fields
            .iter()
            .any(|(_, v)| v.status == Status::Unverified),
        mode: match report.mode {
            Mode::Sequential => "one call after another (sequential)",
            Mode::Concurrent => "all calls at once (concurrent)",
        },
        total_ms: whole_ms(report.elapsed),
        waterfall: waterfall(report),
    }
}

const WIDTH: u32 = 640;
const PLOT_LEFT: u32 = 96;
const PLOT_RIGHT: u32 = 540;
const ROW: u32 = 30;

fn waterfall(report: &Report) -> Waterfall {
    let longest = report
        .checks
        .iter()
        .map(|c| ms(c.start + c.duration))
        .fold(ms(report.elapsed), f64::max);
    let step = tick_step(longest.max(1.0));
    let axis_max = (longest / step).ceil().max(1.0) * step;
    let scale = f64::from(PLOT_RIGHT - PLOT_LEFT) / axis_max;
    let x = |t: f64| f64::from(PLOT_LEFT) + t * scale;
    let rows: Vec<Bar> = report
        .checks
        .iter()
        .zip(0u32..)
        .map(|(c, i)| {
            let (start, dur) = (ms(c.start), ms(c.duration));
            let skipped = c.outcome == Outcome::Skipped;
            Bar {
                provider: c.kind.provider(),
                check: c.kind.name(),
                y: 8 + i * ROW,
                text_y: 8 + i * ROW + 15,
                x: Tenths::of(x(start)),
                w: Tenths::of((dur * scale).max(if skipped { 0.0 } else { 2.0 })),
                outcome: c.outcome.name(),
                skipped,
                took_ms: whole_ms(c.duration),
                label_x: Tenths::of(x(start + dur) + 6.0),
                start: Tenths::ms(c.start),
                duration: Tenths::ms(c.duration),
            }
        })
        .collect();
    let axis_y = 8 + ROW * u32::try_from(rows.len()).unwrap_or(3) + 4;
    let ticks = (0..)
        .map(|i| f64::from(i) * step)
        .take_while(|t| *t <= axis_max + step / 2.0)
        .map(|t| Tick {
            x: Tenths::of(x(t)),
            ms: t.round() as u64,
        })
        .collect();
    Waterfall {
        width: WIDTH,
        height: axis_y + 24,
        plot_left: PLOT_LEFT,
        plot_right: PLOT_RIGHT,
        axis_y,
        rows,
        ticks,
    }
}

/// `d` in milliseconds, rounded to the nearest.
fn whole_ms(d: Duration) -> u64 {
    u64::try_from(d.as_micros().saturating_add(500) / 1000).unwrap_or(u64::MAX)
}

/// A 1-2-5 step giving at most six ticks over `span` ms.
fn tick_step(span: f64) -> f64 {
    let mut magnitude = 1.0;
    loop {
        for m in [1.0, 2.0, 5.0] {
            if span / (m * magnitude) <= 6.0 {
                return m * magnitude;
            }
        }
        magnitude *= 10.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_steps_are_round_and_few() {
        for (span, step) in [
            (1.0, 1.0),
            (7.0, 2.0),
            (300.0, 50.0),
            (950.0, 200.0),
            (3100.0, 1000.0),
        ] {
            assert_eq!(tick_step(span), step, "span {span}");
        }
    }
}
