//! The certificate subject, one field a line as the wizard and `keys` take them: whatever
//! `cert::Subject::new` accepts must also make a certificate that carries the key.
#![no_main]
use libfuzzer_sys::fuzz_target;
use places_setup::cert::{self, PrivateKey, Subject};
use std::sync::OnceLock;

fn key() -> &'static PrivateKey {
    static KEY: OnceLock<PrivateKey> = OnceLock::new();
    // The subject is what is tested: one key for every run.
    KEY.get_or_init(|| cert::generate_key().unwrap())
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.split('\n');
    let values: [&str; 7] = std::array::from_fn(|_| lines.next().unwrap_or(""));
    let name = lines.next().unwrap_or(cert::DEFAULT_NAME);
    if cert::check_name(name).is_err() {
        return;
    }
    if let Ok(subject) = Subject::new(values, name) {
        let certificate = cert::self_signed(key(), &subject, 365)
            .unwrap_or_else(|e| panic!("{subject:?} was accepted but the certificate was not made: {e:?}"));
        assert!(cert::key_matches(key(), &certificate));
        let _ = subject.one_line();
    }
});
