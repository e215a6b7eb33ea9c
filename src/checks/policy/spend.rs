//! A provider's call budget (`--provider-budget lob=5000/day`): past it, the provider is not
//! called until the next period begins. Periods are calendar minutes, hours or days in UTC,
//! like a provider's own quota.

use std::sync::{Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

/// How many calls per period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpendLimit {
    pub calls: u64,
    pub period: Period,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumString)]
pub enum Period {
    #[strum(serialize = "min")]
    Minute,
    #[strum(serialize = "h", serialize = "hour")]
    Hour,
    #[strum(serialize = "day")]
    Day,
}

impl Period {
    fn seconds(self) -> u64 {
        match self {
            Period::Minute => 60,
            Period::Hour => 3_600,
            Period::Day => 86_400,
        }
    }
}

impl std::str::FromStr for SpendLimit {
    type Err = String;

    /// `5000/day`, `100/h`, `10/min`.
    fn from_str(s: &str) -> Result<Self, String> {
        let (calls, period) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}` is not N/min, N/h or N/day"))?;
        Ok(SpendLimit {
            calls: calls
                .trim()
                .parse()
                .map_err(|_| format!("`{calls}` is not a whole number"))?,
            period: period
                .trim()
                .parse()
                .map_err(|_| format!("`{period}` is not min, h or day"))?,
        })
    }
}

pub struct SpendGuard {
    limit: SpendLimit,
    /// The current period's number (since the epoch) and the calls made in it.
    used: Mutex<(u64, u64)>,
}

impl SpendGuard {
    pub fn new(limit: SpendLimit) -> SpendGuard {
        SpendGuard {
            limit,
            used: Mutex::new((0, 0)),
        }
    }

    /// Takes one call from the budget; `false` when it is spent.
    pub fn take(&self) -> bool {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        self.take_at(now / self.limit.period.seconds())
    }

    fn take_at(&self, period: u64) -> bool {
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        if used.0 != period {
            *used = (period, 0);
        }
        if used.1 >= self.limit.calls {
            return false;
        }
        used.1 += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_parse_and_bad_ones_say_why() {
        let limit: SpendLimit = "5000/day".parse().unwrap();
        assert_eq!((limit.calls, limit.period), (5000, Period::Day));
        assert_eq!(
            "10/min".parse::<SpendLimit>().unwrap().period,
            Period::Minute
        );
        assert_eq!("3/h".parse::<SpendLimit>().unwrap().period, Period::Hour);
        for bad in ["5000", "x/day", "5/week", "-1/day", ""] {
            assert!(bad.parse::<SpendLimit>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_budget_is_spent_then_renewed_with_the_next_period() {
        let guard = SpendGuard::new("2/day".parse().unwrap());
        assert!(guard.take_at(7) && guard.take_at(7));
        assert!(!guard.take_at(7));
        assert!(guard.take_at(8));
    }
}
