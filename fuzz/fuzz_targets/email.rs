//! The email syntax check and normalisation on any text; what it accepts normalises to
//! itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch_offline::email;

fuzz_target!(|input: &str| {
    if let Ok(facts) = email::analyze(input) {
        let again = email::analyze(&facts.address).map(|f| f.address);
        assert_eq!(again.as_deref(), Ok(facts.address.as_str()), "not idempotent");
    }
});
