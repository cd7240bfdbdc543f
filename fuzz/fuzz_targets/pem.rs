//! A private key or certificate a person points at (`init --private-key/--certificate`):
//! `cert::load_private_key` and `cert::load_certificate` read the file they are given, so each
//! input is written to a scratch file first. A key that loads is used to sign a JWT, as `token` does.
#![no_main]
use libfuzzer_sys::fuzz_target;
use places_setup::cert;
use places_setup::jwt::JwtRequest;
use places_setup::timefmt;
use secrecy::SecretString;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::SystemTime;

fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = if std::path::Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        dir.join(format!("places-setup-fuzz-pem-{}", std::process::id()))
    })
}

fuzz_target!(|data: &[u8]| {
    let path = scratch();
    std::fs::write(path, data).expect("the scratch file can be written");
    let passphrase = SecretString::from("fuzz".to_string());
    let _ = cert::is_encrypted(data);
    let key = cert::load_private_key(path, Some(&passphrase));
    let _ = cert::load_private_key(path, None);
    let certificate = cert::load_certificate(path);
    if let Ok(c) = &certificate {
        let _ = timefmt::rfc3339(cert::expiry(c));
        let _ = cert::fingerprint(c);
    }
    if let Ok(k) = &key {
        if let Ok(c) = &certificate {
            let _ = cert::key_matches(k, c);
        }
        // Signing time grows with the key: keep huge keys from turning into timeouts.
        if k.bits() <= 4096 {
            let metascopes = vec!["ent_places_sdk".to_string()];
            let request = JwtRequest {
                ims_url: "https://ims-na1.adobelogin.com",
                org_id: "18FB61145BAC2FFB0A494777@AdobeOrg",
                technical_account_id: "0123456789ABCDEF01234567@techacct.adobe.com",
                client_id: "0123456789abcdef0123456789abcdef",
                metascopes: &metascopes,
            };
            request
                .sign(k, SystemTime::now())
                .expect("a key that loads can sign");
        }
    }
});
