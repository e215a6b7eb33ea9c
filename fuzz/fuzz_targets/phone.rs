//! The phone parser (libphonenumber metadata) on any text, for the form's region and others.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch_offline::phone;

fuzz_target!(|input: &str| {
    let _ = phone::analyze(input, "US");
    let _ = phone::e164(input, "GB");
});
