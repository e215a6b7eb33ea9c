//! What Veriphone's reply body could hold, read as vouch reads a successful reply.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch::checks::veriphone;

fuzz_target!(|body: &[u8]| {
    let _ = veriphone::read_reply(body);
});
