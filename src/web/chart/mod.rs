//! The waterfall: one bar per provider call on a shared time axis, for one validation (the
//! result page) or several on ONE axis (the compare page). Geometry only, in SVG user units,
//! laid out twice: a wide frame with names beside the bars, and a narrow one with names above
//! them, whose text stays legible on a 320 px screen (the stylesheet shows one of the two).
//! The table under the chart says the same in text.

mod layout;

pub use layout::{Bar, Frame, Text, Tick};

use super::html::Tenths;
use super::timing::ms;
use crate::checks::Outcome;
use crate::checks::report::Report;

/// One validation's row group: a title (empty for a lone validation) and its calls.
pub struct Lane {
    pub title: String,
    pub total_ms: u64,
    pub calls: Vec<Call>,
}

/// One provider call, in milliseconds from the start of its validation.
pub struct Call {
    pub check: &'static str,
    pub provider: &'static str,
    pub outcome: &'static str,
    pub skipped: bool,
    pub start: Tenths,
    pub duration: Tenths,
    /// What the bar says: `301 ms · pass`, or why there is no bar.
    pub label: String,
}

pub struct Chart {
    pub lanes: Vec<Lane>,
    pub frames: [Frame; 2],
    /// The `<title>` of both frames.
    pub title: String,
}

impl Lane {
    pub fn of(title: String, report: &Report) -> Lane {
        let calls = report
            .checks
            .iter()
            .map(|c| {
                let skipped = c.outcome == Outcome::Skipped;
                let took = whole_ms(ms(c.duration));
                Call {
                    check: c.kind.name(),
                    provider: c.kind.provider(),
                    outcome: c.outcome.name(),
                    skipped,
                    start: Tenths::of(ms(c.start)),
                    duration: Tenths::of(ms(c.duration)),
                    label: if skipped {
                        "skipped: decided locally".to_owned()
                    } else {
                        format!("{took} ms · {}", c.outcome.name())
                    },
                }
            })
            .collect();
        Lane {
            title,
            total_ms: whole_ms(ms(report.elapsed)),
            calls,
        }
    }

    /// When its last call ended, or its validation did, whichever is later.
    fn end_ms(&self) -> f64 {
        let calls = self
            .calls
            .iter()
            .map(|c| c.start.as_f64() + c.duration.as_f64());
        calls.fold(self.total_ms as f64, f64::max)
    }
}

impl Chart {
    pub fn new(lanes: Vec<Lane>, title: String) -> Chart {
        let longest = lanes.iter().map(Lane::end_ms).fold(1.0, f64::max);
        let frames = [
            layout::wide(&lanes, longest),
            layout::narrow(&lanes, longest),
        ];
        Chart {
            lanes,
            frames,
            title,
        }
    }
}

/// Milliseconds rounded to the nearest whole one (a float-to-int `as` saturates).
pub fn whole_ms(ms: f64) -> u64 {
    ms.round() as u64
}
