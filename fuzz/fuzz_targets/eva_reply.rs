//! What Eva's reply body could hold, read as vouch reads a successful reply.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch::checks::eva;

fuzz_target!(|body: &[u8]| {
    let _ = eva::read_reply(body);
});
