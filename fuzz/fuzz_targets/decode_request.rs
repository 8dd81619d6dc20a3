//! Any text a client can send goes through `decode_request` before anything
//! else looks at it. Whatever the bytes, it must answer (a request or an
//! error code), never panic; and a request it accepts must survive a round
//! trip through its own JSON unchanged, so what the server acts on is what
//! was sent.
#![no_main]

use dais_protocol::decode_request;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // A websocket text frame is UTF-8 by the time the server reads it.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(envelope) = decode_request(text) {
        let again = decode_request(&envelope.to_json()).expect("a request's own JSON decodes");
        assert_eq!(again.request, envelope.request);
    }
});
