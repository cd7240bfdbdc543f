//! macOS and Windows: HTTPS trusts the system's own store (Keychain, the Windows certificate
//! store) through rustls-platform-verifier, as reqwest builds it; nothing to load here.

/// A reqwest client builder trusting the system's CAs.
pub fn client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
}

/// The CA store in words (`doctor` shows it).
pub fn summary() -> String {
    "the system's trust store".to_string()
}
