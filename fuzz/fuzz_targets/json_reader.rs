//! A JSON API body, as `POST /api/v1/validate` reads it: an object (axum's `Json`), then the
//! form from it (`api::raw_form`), then the nine fields parsed and checked locally.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use serde_json::{Map, Value};
use vouch::checks::verdict;
use vouch::domain::form::{RawForm, Submission};

fuzz_target!(|body: &[u8]| {
    let Ok(object) = serde_json::from_slice::<Map<String, Value>>(body) else {
        return;
    };
    if let Ok(raw) = RawForm::deserialize(Value::Object(object)) {
        let _ = verdict::local(&Submission::parse(&raw));
    }
});
