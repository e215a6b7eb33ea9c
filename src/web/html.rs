//! Pieces written into the page as they are, without askama's escaping or `f64` formatting:
//! numbers in tenths and the state picker's options. Written the ordinary way they were most of
//! a result page's rendering: 10.8 µs per page before, 4.2 after (`cargo bench --bench
//! request_path`; bench/FINDINGS.md, "The request path's own work").

use std::fmt;
use std::sync::LazyLock;
use std::time::Duration;

use crate::domain::state::UsState;

/// `$piece` (with a `write(&self, &mut dyn fmt::Write)`) goes into the page as it writes
/// itself: `Display`, askama's `FastWritable` (no `Formatter` in between) and `HtmlSafe` (no
/// escaping). Only for output that cannot hold a character HTML escapes.
macro_rules! written_as_is {
    ($piece:ty) => {
        impl fmt::Display for $piece {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.write(f)
            }
        }

        impl askama::filters::HtmlSafe for $piece {}

        impl askama::FastWritable for $piece {
            fn write_into(
                &self,
                dest: &mut dyn fmt::Write,
                _: &dyn askama::Values,
            ) -> askama::Result<()> {
                Ok(self.write(dest)?)
            }
        }
    };
}

/// A non-negative quantity (px or ms) shown with one decimal, `301.7`, written with integer
/// formatting: a result page has ~20 of them, and as `f64`s (shortest decimals, `format!`ted
/// labels) they took ~30 % of its rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tenths(u64);

impl Tenths {
    /// `value` rounded to a tenth; negative and NaN count as zero.
    pub fn of(value: f64) -> Tenths {
        // A float-to-int `as` saturates (NaN gives 0): no wrap-around is possible.
        Tenths((value * 10.0).round().max(0.0) as u64)
    }

    /// `d` in milliseconds, rounded to a tenth.
    pub fn ms(d: Duration) -> Tenths {
        let tenths = d.as_micros().saturating_add(50) / 100;
        Tenths(u64::try_from(tenths).unwrap_or(u64::MAX))
    }

    fn write(self, out: &mut dyn fmt::Write) -> fmt::Result {
        out.write_str(itoa::Buffer::new().format(self.0 / 10))?;
        out.write_char('.')?;
        out.write_char(char::from(b'0' + (self.0 % 10) as u8))
    }
}

// Digits and a dot: nothing to escape.
written_as_is!(Tenths);

/// The state picker's options: one per state, the posted one selected. Written straight from
/// the states' table (no code or name holds a character HTML escapes, checked by a test), in
/// three pieces of one prebuilt list: fifty-odd options written one by one, escaped, took
/// ~40 % of a page's rendering.
pub struct StateOptions(pub Option<UsState>);

/// Every option, none selected, and where ` selected` goes in for each state.
struct StateList {
    html: String,
    select_at: Vec<(UsState, usize)>,
}

static STATE_LIST: LazyLock<StateList> = LazyLock::new(|| {
    let mut list = StateList {
        html: String::with_capacity(2048),
        select_at: Vec::new(),
    };
    for state in UsState::all() {
        list.html.push_str("<option value=\"");
        list.html.push_str(state.code());
        list.html.push('"');
        list.select_at.push((state, list.html.len()));
        list.html.push('>');
        list.html.push_str(state.name());
        list.html.push_str("</option>\n");
    }
    list
});

impl StateOptions {
    fn write(&self, out: &mut dyn fmt::Write) -> fmt::Result {
        let list = &*STATE_LIST;
        let at = self
            .0
            .and_then(|chosen| list.select_at.iter().find(|(s, _)| *s == chosen));
        match at.and_then(|(_, at)| list.html.split_at_checked(*at)) {
            Some((before, after)) => {
                out.write_str(before)?;
                out.write_str(" selected")?;
                out.write_str(after)
            }
            None => out.write_str(&list.html),
        }
    }
}

// Built only from the states' own table (see above).
written_as_is!(StateOptions);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenths_round_to_one_decimal() {
        for (value, text) in [
            (0.0, "0.0"),
            (0.04, "0.0"),
            (0.05, "0.1"),
            (301.66, "301.7"),
        ] {
            assert_eq!(Tenths::of(value).to_string(), text);
        }
        assert_eq!(Tenths::of(-3.0).to_string(), "0.0");
        assert_eq!(Tenths::of(f64::NAN).to_string(), "0.0");
        assert_eq!(
            Tenths::ms(Duration::from_micros(301_650)).to_string(),
            "301.7"
        );
        assert_eq!(
            Tenths::ms(Duration::from_micros(99_949)).to_string(),
            "99.9"
        );
    }

    #[test]
    fn state_options_need_no_escaping_and_select_one() {
        for state in UsState::all() {
            let plain = |s: &str| !s.contains(['<', '>', '&', '"', '\'']);
            assert!(
                plain(state.code()) && plain(state.name()),
                "{}",
                state.code()
            );
        }
        let html = StateOptions(Some(UsState::all().nth(4).unwrap())).to_string();
        assert_eq!(html.matches("<option").count(), UsState::all().count());
        assert_eq!(html.matches(" selected>").count(), 1);
        assert!(html.contains(&format!(
            "value=\"{}\" selected>",
            UsState::all().nth(4).unwrap().code()
        )));
        assert!(!StateOptions(None).to_string().contains("selected"));
    }
}
