//! The IMS emulator's types, named in this one place so the test files need not know where the
//! emulator lives in the library.
pub use places_setup::emulator::{
    Emulator, EmulatorConfig, Fault, JwtIntegration, Library, OAuthCredential,
};

/// IMS answering with this HTTP status, content type and body (and `Retry-After`, if any).
pub fn status_fault(
    status: u16,
    content_type: &str,
    body: &str,
    retry_after: Option<&str>,
) -> Fault {
    Fault::Status {
        status,
        content_type: content_type.into(),
        body: body.into(),
        retry_after: retry_after.map(String::from),
    }
}
