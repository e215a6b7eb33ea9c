//! Pieces written into the page as they are, without askama's escaping or `f64` formatting:
//! numbers in tenths and the state picker's options, which were most of a result page's
//! rendering when written the ordinary way (bench/FINDINGS.md, "The request path's own work").

use std::fmt;
use std::sync::LazyLock;

use crate::domain::address::UsState;

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
/// formatting: a result page has ~20 of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tenths(u64);

impl Tenths {
    /// `value` rounded to a tenth; negative and NaN count as zero.
    pub fn of(value: f64) -> Tenths {
        // A float-to-int `as` saturates (NaN gives 0): no wrap-around is possible.
        Tenths((value * 10.0).round().max(0.0) as u64)
    }

    /// The value as a number, for JSON.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 10.0
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
/// three pieces of one prebuilt list rather than fifty-odd escaped options.
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
    for state in UsState::form_list() {
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
        assert_eq!(Tenths::of(301.66).as_f64(), 301.7);
    }

    #[test]
    fn state_options_need_no_escaping_and_select_one() {
        for state in UsState::form_list() {
            let plain = |s: &str| !s.contains(['<', '>', '&', '"', '\'']);
            assert!(
                plain(state.code()) && plain(state.name()),
                "{}",
                state.code()
            );
        }
        let html = StateOptions(Some(UsState::form_list().nth(4).unwrap())).to_string();
        assert_eq!(
            html.matches("<option").count(),
            UsState::form_list().count()
        );
        assert_eq!(html.matches(" selected>").count(), 1);
        assert!(html.contains(&format!(
            "value=\"{}\" selected>",
            UsState::form_list().nth(4).unwrap().code()
        )));
        assert!(!StateOptions(None).to_string().contains("selected"));
    }
}
