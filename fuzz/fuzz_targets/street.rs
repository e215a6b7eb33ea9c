//! The street-line parser (house number, street, unit) on any text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch_offline::address::parse_street;

fuzz_target!(|line: &str| {
    let _ = parse_street(line);
});
