//! The ZIP parser on any text; a ZIP it accepts is looked up in the table.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch_offline::zip::{ZipCode, lookup};

fuzz_target!(|typed: &str| {
    if let Some(zip) = ZipCode::parse(typed) {
        assert_eq!(zip.five().len(), 5);
        let _ = lookup(zip.five());
    }
});
