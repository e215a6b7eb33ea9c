//! Where the chart's pieces go in each frame: the wide one, names beside the bars and room on
//! the right for their labels; the narrow one, names above the bars. Both share the lanes'
//! longest time as their axis, so every bar of a chart is to one scale.

use super::{Lane, whole_ms};
use crate::web::html::Tenths;

/// One layout of the chart.
pub struct Frame {
    /// `wide` or `narrow`, for the stylesheet.
    pub kind: &'static str,
    pub width: u32,
    pub height: u32,
    pub axis_y: u32,
    pub ticks: Vec<Tick>,
    pub texts: Vec<Text>,
    pub bars: Vec<Bar>,
}

pub struct Tick {
    pub x: Tenths,
    pub anchor: &'static str,
    pub label: String,
}

pub struct Text {
    pub x: Tenths,
    pub y: u32,
    pub class: &'static str,
    /// SVG `text-anchor`: `start`, `middle` or `end`.
    pub anchor: &'static str,
    pub text: String,
}

impl Text {
    fn at(x: f64, y: u32, class: &'static str, text: String) -> Text {
        Text {
            x: Tenths::of(x),
            y,
            class,
            anchor: "start",
            text,
        }
    }
}

/// A generous width of `text` at the chart's 12-unit font, to keep labels inside the frame.
fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * 7.0
}

pub struct Bar {
    pub x: Tenths,
    pub y: u32,
    pub w: Tenths,
    pub h: u32,
    pub outcome: &'static str,
}

/// Where a frame puts things: the plot's horizontal extent, and whether names sit beside the
/// bars (with room on the right for the bar's label) or above them.
struct Spec {
    kind: &'static str,
    width: u32,
    plot_left: f64,
    plot_right: f64,
    labels_above: bool,
    max_ticks: f64,
}

const WIDE: Spec = Spec {
    kind: "wide",
    width: 640,
    plot_left: 96.0,
    plot_right: 530.0,
    labels_above: false,
    max_ticks: 6.0,
};

const NARROW: Spec = Spec {
    kind: "narrow",
    width: 300,
    plot_left: 8.0,
    plot_right: 292.0,
    labels_above: true,
    max_ticks: 3.0,
};

pub(super) fn wide(lanes: &[Lane], longest: f64) -> Frame {
    frame(&WIDE, lanes, longest)
}

pub(super) fn narrow(lanes: &[Lane], longest: f64) -> Frame {
    frame(&NARROW, lanes, longest)
}

const WIDE_ROW: u32 = 30;
const NARROW_ROW: u32 = 36;
const TITLE_ROW: u32 = 24;

fn frame(spec: &Spec, lanes: &[Lane], longest: f64) -> Frame {
    let step = tick_step(longest, spec.max_ticks);
    let axis_max = (longest / step).ceil().max(1.0) * step;
    let scale = (spec.plot_right - spec.plot_left) / axis_max;
    let x = |t: f64| Tenths::of(spec.plot_left + t * scale);
    let (mut texts, mut bars) = (Vec::new(), Vec::new());
    let mut y = 8;
    for lane in lanes {
        if !lane.title.is_empty() {
            let text = lane.title.clone();
            texts.push(Text::at(8.0, y + 16, "lane-title", text));
            y += TITLE_ROW;
        }
        for call in &lane.calls {
            let (start, dur) = (call.start.as_f64(), call.duration.as_f64());
            let w = Tenths::of((dur * scale).max(if call.skipped { 0.0 } else { 2.0 }));
            let (bar_y, h) = if spec.labels_above {
                let text = format!("{} · {}", call.provider, call.label);
                texts.push(Text::at(spec.plot_left, y + 12, "bar-label", text));
                (y + 17, 14)
            } else {
                let name = call.provider.to_owned();
                texts.push(Text::at(8.0, y + 15, "row-label", name));
                let (bar_start, bar_end) = (x(start).as_f64(), x(start).as_f64() + w.as_f64());
                texts.push(beside(spec, bar_start, bar_end, y + 15, call.label.clone()));
                (y, 20)
            };
            bars.push(Bar {
                x: x(start),
                y: bar_y,
                w,
                h,
                outcome: call.outcome,
            });
            y += if spec.labels_above {
                NARROW_ROW
            } else {
                WIDE_ROW
            };
        }
    }
    let axis_y = y + 4;
    let ticks = ticks(spec, step, axis_max, x);
    Frame {
        kind: spec.kind,
        width: spec.width,
        height: axis_y + 24,
        axis_y,
        ticks,
        texts,
        bars,
    }
}

/// A bar's label where it fits: after the bar, else before it, else inside its end.
fn beside(spec: &Spec, bar_start: f64, bar_end: f64, y: u32, text: String) -> Text {
    let width = text_width(&text);
    if bar_end + 6.0 + width <= f64::from(spec.width) {
        Text::at(bar_end + 6.0, y, "bar-label", text)
    } else if bar_start - 6.0 - width >= spec.plot_left {
        Text {
            anchor: "end",
            ..Text::at(bar_start - 6.0, y, "bar-label", text)
        }
    } else {
        Text {
            anchor: "end",
            ..Text::at(bar_end - 6.0, y, "bar-label bar-label--inside", text)
        }
    }
}

/// Round ticks over the axis; the outer labels lean inwards where the frame has no margin.
fn ticks(spec: &Spec, step: f64, axis_max: f64, x: impl Fn(f64) -> Tenths) -> Vec<Tick> {
    let count = (axis_max / step).round() as u32;
    (0..=count)
        .map(|i| {
            let t = f64::from(i) * step;
            let anchor = match i {
                0 if spec.labels_above => "start",
                i if i == count && spec.labels_above => "end",
                _ => "middle",
            };
            Tick {
                x: x(t),
                anchor,
                label: format!("{} ms", whole_ms(t)),
            }
        })
        .collect()
}

/// A 1-2-5 step giving at most `max_ticks` intervals over `span` ms.
fn tick_step(span: f64, max_ticks: f64) -> f64 {
    let mut magnitude = 1.0;
    loop {
        for m in [1.0, 2.0, 5.0] {
            if span / (m * magnitude) <= max_ticks {
                return m * magnitude;
            }
        }
        magnitude *= 10.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::chart::{Call, Chart};

    #[test]
    fn tick_steps_are_round_and_few() {
        for (span, max, step) in [
            (1.0, 6.0, 1.0),
            (7.0, 6.0, 2.0),
            (300.0, 6.0, 50.0),
            (950.0, 6.0, 200.0),
            (3100.0, 6.0, 1000.0),
            (950.0, 3.0, 500.0),
        ] {
            assert_eq!(tick_step(span, max), step, "span {span}");
        }
    }

    #[test]
    fn lanes_share_one_axis_and_both_frames_fit_their_width() {
        let call = |start: f64, dur: f64| Call {
            check: "email",
            provider: "veriphone",
            outcome: "timeout",
            skipped: false,
            start: Tenths::of(start),
            duration: Tenths::of(dur),
            label: format!("{} ms · timeout", whole_ms(dur)),
        };
        let lane = |title: &str, calls: Vec<Call>, total| Lane {
            title: title.into(),
            total_ms: total,
            calls,
        };
        let chart = Chart::new(
            vec![
                lane(
                    "sequential",
                    vec![call(0.0, 300.0), call(300.0, 300.0), call(600.0, 2999.0)],
                    3599,
                ),
                lane(
                    "concurrent",
                    vec![call(0.0, 300.0), call(0.0, 300.0), call(0.0, 300.0)],
                    300,
                ),
            ],
            String::new(),
        );
        for frame in &chart.frames {
            let widest = frame
                .bars
                .iter()
                .map(|b| b.x.as_f64() + b.w.as_f64())
                .fold(0.0, f64::max);
            assert!(widest <= f64::from(frame.width), "{}: {widest}", frame.kind);
            // The same duration is the same length in both lanes.
            assert_eq!(frame.bars[0].w, frame.bars[3].w, "{}", frame.kind);
            let last = frame.ticks.last().unwrap();
            assert_eq!(last.label, "4000 ms", "{}", frame.kind);
            for text in &frame.texts {
                let (x, w) = (text.x.as_f64(), text_width(&text.text));
                let (left, right) = match text.anchor {
                    "end" => (x - w, x),
                    _ => (x, x + w),
                };
                assert!(
                    left >= 0.0 && right <= f64::from(frame.width),
                    "{}: {}",
                    frame.kind,
                    text.text
                );
            }
        }
    }
}
