//! A posted form body, as the form handler reads it: strict UTF-8, then the nine fields
//! parsed once, then the verdicts local checks give before any provider is asked.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch::checks::verdict;
use vouch::domain::form::Submission;
use vouch::web::body::read_form;

fuzz_target!(|body: &[u8]| {
    if let Ok(raw) = read_form(body) {
        let _ = verdict::local(&Submission::parse(&raw));
    }
});
