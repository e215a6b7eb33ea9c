//! What Lob's reply body could hold, read as vouch reads a successful reply.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch::checks::lob;

fuzz_target!(|body: &[u8]| {
    let _ = lob::read_reply(body);
});
