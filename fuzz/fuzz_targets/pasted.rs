//! Values a person pastes or types: the ID checks in `ids`, each certificate subject field
//! (`cert::Field::check`), the key pair's name, profile names, lists and service URLs. A value
//! that is accepted must be accepted again unchanged (saving and reloading must not alter it).
#![no_main]
use libfuzzer_sys::fuzz_target;
use places_setup::cert::{self, Field};
use places_setup::{http, ids};
use secrecy::ExposeSecret;

fn stable<T: AsRef<str>>(check: impl Fn(&str) -> places_setup::error::Result<T>, raw: &str) {
    if let Ok(value) = check(raw) {
        let value = value.as_ref();
        assert_eq!(
            check(value).as_ref().map(|v| v.as_ref()).ok(),
            Some(value),
            "from {raw:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    let cleaned = ids::clean_pasted(raw);
    assert!(cleaned.len() <= raw.len());
    stable(ids::org_id, raw);
    stable(ids::technical_account_id, raw);
    stable(ids::client_id, raw);
    stable(ids::profile_name, raw);
    // A secret is not re-checked once saved, and one pair of quotes is stripped by design (a secret
    // that itself starts and ends with a quote would lose them again): check its shape instead.
    if let Ok(secret) = ids::client_secret(raw) {
        let secret = secret.expose_secret();
        assert!(!secret.is_empty() && raw.contains(secret));
        assert!(!secret.chars().any(|c| c.is_control() || c == ' '));
    }
    if let Ok(items) = ids::list("--scopes", raw, "fix") {
        assert_eq!(
            ids::list("--scopes", &items.join(","), "fix").as_ref(),
            Ok(&items)
        );
    }
    for field in Field::ALL {
        match field.check(raw) {
            Ok(value) => {
                assert!(!value.chars().any(char::is_control));
                assert_eq!(field.check(&value).as_deref(), Ok(value.as_str()));
            }
            Err(error) => assert_eq!(error.exit_code(), 2),
        }
    }
    let _ = cert::check_name(raw);
    if let Ok(url) = http::check_url("--ims-url", raw) {
        assert!(matches!(url.scheme(), "https" | "http"));
    }
});
