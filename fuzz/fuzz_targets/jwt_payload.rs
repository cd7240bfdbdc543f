//! `jwt::unverified_payload` (which reads the expiry Adobe puts inside its access tokens) and
//! `access_token::embedded_expiry` on top of it.
#![no_main]
use libfuzzer_sys::fuzz_target;
use places_setup::access_token::embedded_expiry;
use places_setup::jwt::unverified_payload;

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    let _ = unverified_payload(token);
    let _ = embedded_expiry(token);
});
