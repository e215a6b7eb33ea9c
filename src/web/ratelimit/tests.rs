use std::num::NonZeroU32;
use std::time::Duration;

use super::*;

#[test]
fn limits_parse_from_the_contracts_spellings() {
    let every = |count, period| RateLimit::Every {
        count: NonZeroU32::new(count).unwrap(),
        period,
    };
    let cases = [
        ("30/min", every(30, Period::Minute)),
        ("5/s", every(5, Period::Second)),
        (" 1000 / h ", every(1000, Period::Hour)),
        ("off", RateLimit::Off),
    ];
    for (text, limit) in cases {
        assert_eq!(text.parse::<RateLimit>(), Ok(limit), "{text}");
    }
    assert_eq!(RateLimit::default(), every(30, Period::Minute));
    assert_eq!(RateLimit::default().to_string(), "30/min");
}

#[test]
fn other_spellings_are_refused() {
    for text in [
        "",
        "30",
        "0/min",
        "-1/s",
        "x/min",
        "30/day",
        "30/m",
        "30/MIN",
        "30/min/s",
        "on",
        "4294967295/s",
    ] {
        assert!(text.parse::<RateLimit>().is_err(), "{text:?}");
    }
}

#[test]
fn a_limit_is_a_burst_then_one_per_share_of_the_period() {
    let quota = "30/min".parse::<RateLimit>().unwrap().quota().unwrap();
    assert_eq!(quota.burst_size().get(), 30);
    assert_eq!(quota.replenish_interval(), Duration::from_secs(2));
    assert!(RateLimit::Off.quota().is_none());
}

#[test]
fn retry_after_is_whole_seconds_rounded_up_and_at_least_one() {
    let cases = [(0, 1), (1, 1), (999, 1), (1000, 1), (1001, 2), (59_999, 60)];
    for (ms, secs) in cases {
        assert_eq!(
            RetryAfter::from_wait(Duration::from_millis(ms)),
            RetryAfter(secs),
            "{ms} ms"
        );
    }
}
