//! The built-in emulator's own request parsing (request line, headers, urlencoded and multipart
//! forms, the JWT it is sent), fed raw HTTP/1.1 bytes through `emulator::fuzzing::serve_raw`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use places_setup::emulator::fuzzing;

fuzz_target!(|data: &[u8]| {
    if let Some((status, body)) = fuzzing::serve_raw(data) {
        assert!((100..600).contains(&status));
        // Every answer of the emulator is JSON.
        serde_json::from_slice::<serde_json::Value>(&body).expect("the emulator answers JSON");
    }
});
