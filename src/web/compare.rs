//! `GET /compare` shows the form filled in with the tutorial's demo inputs; its `POST` runs
//! that one submission both ways through the engine — one provider call after another, then
//! all at once — and draws both waterfalls on ONE time axis with the measured speed-up.
//! Server-rendered, so it works without JavaScript.

use std::time::Instant;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderName, StatusCode};
use axum::response::Response;

use super::body::{FormBody, FormRejection};
use super::chart::{Chart, Lane, whole_ms};
use super::html::StateOptions;
use super::pages::{log_submission, render, unreadable_notice};
use super::state::AppState;
use super::timing::{ms, server_timing};
use super::view::FieldView;
use crate::checks::Mode;
use crate::checks::report::Report;
use crate::domain::address::UsState;
use crate::domain::field::{Field, Status};
use crate::domain::form::{RawForm, Submission};

#[derive(Template)]
#[template(path = "compare.html")]
pub struct ComparePage<'a> {
    pub fields: [FieldView<'a>; Field::ALL.len()],
    pub state: Option<UsState>,
    pub result: Option<Comparison>,
    pub notice: Option<&'static str>,
}

/// The two runs of one submission.
pub struct Comparison {
    pub sequential_ms: u64,
    pub concurrent_ms: u64,
    /// Sequential over concurrent, `2.9×`; `–` when concurrent took no measurable time.
    pub speedup: String,
    /// What the validation found, the same both ways unless a provider changed its mind.
    pub verdict: &'static str,
    pub chart: Chart,
}

pub async fn show() -> Response {
    let demo = demo();
    render(StatusCode::OK, &ComparePage::new(&demo, None))
}

pub async fn run(State(state): State<AppState>, form: Result<FormBody, FormRejection>) -> Response {
    let raw = match form {
        Ok(FormBody(raw)) => raw,
        Err(rejection) => {
            let (code, notice) = unreadable_notice(rejection);
            let demo = demo();
            let mut page = ComparePage::new(&demo, None);
            page.notice = Some(notice);
            return render(code, &page);
        }
    };
    let sub = Submission::parse(&raw);
    // Sequential first, as the tutorial ran its two routes; each run is its own validation.
    let sequential = state.engine.validate_fresh(&sub, Mode::Sequential).await;
    log_submission(&sequential);
    let concurrent = state.engine.validate_fresh(&sub, Mode::Concurrent).await;
    log_submission(&concurrent);
    let render_started = Instant::now();
    let comparison = Comparison::new(&sequential, &concurrent);
    let mut response = render(StatusCode::OK, &ComparePage::new(&raw, Some(comparison)));
    // The header describes the concurrent run, the one a sign-up would use.
    let timing = server_timing(&concurrent, &[("render", render_started.elapsed())]);
    response
        .headers_mut()
        .insert(HeaderName::from_static("server-timing"), timing);
    response
}

/// The tutorial's good inputs: every provider passes them.
fn demo() -> RawForm {
    RawForm {
        first_name: "Jane".into(),
        last_name: "Doe".into(),
        email: "jane.doe@example.com".into(),
        phone_number: "(202) 456-1111".into(),
        address: "2600 Pearl St".into(),
        address2: String::new(),
        city: "Boulder".into(),
        state: "CO".into(),
        zip: "80302".into(),
    }
}

impl<'a> ComparePage<'a> {
    fn new(raw: &'a RawForm, result: Option<Comparison>) -> Self {
        ComparePage {
            fields: Field::ALL.map(|f| FieldView::new(f, raw, None)),
            state: UsState::from_code(&raw.state).filter(|s| s.on_form()),
            result,
            notice: None,
        }
    }

    pub fn page(&self) -> &'static str {
        "compare"
    }

    pub fn state_options(&self) -> StateOptions {
        StateOptions(self.state)
    }
}

impl Comparison {
    fn new(sequential: &Report, concurrent: &Report) -> Comparison {
        let (seq, conc) = (ms(sequential.elapsed), ms(concurrent.elapsed));
        let (sequential_ms, concurrent_ms) = (whole_ms(seq), whole_ms(conc));
        let speedup = if conc >= 0.05 {
            format!("{:.1}×", seq / conc)
        } else {
            "–".to_owned()
        };
        let title = format!(
            "Two waterfalls on one time axis: sequential took {sequential_ms} ms, concurrent \
             {concurrent_ms} ms. The table below lists each call."
        );
        let lanes = vec![
            Lane::of(format!("sequential · {sequential_ms} ms"), sequential),
            Lane::of(format!("concurrent · {concurrent_ms} ms"), concurrent),
        ];
        Comparison {
            sequential_ms,
            concurrent_ms,
            speedup,
            verdict: verdict(concurrent),
            chart: Chart::new(lanes, title),
        }
    }
}

fn verdict(report: &Report) -> &'static str {
    let status = |s| report.verdicts().any(|(_, v)| v.status == s);
    if status(Status::Invalid) {
        "Some details are wrong: the sign-up form shows which, and why."
    } else if status(Status::Unverified) {
        "The details were accepted, though some couldn't be verified right now."
    } else {
        "Everything checks out, both ways."
    }
}
