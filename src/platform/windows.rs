//! Windows: files through the standard library (`portable`, compiled and tested on every system);
//! secrets in Credential Manager only. Checked by the GitHub Actions workflow, not here.
pub use super::portable::*;

/// Why secrets are not kept in files here: there are no owner-only modes to give them, and the
/// ACL a file inherits is not checked.
pub fn secret_files_refused() -> Option<&'static str> {
    Some(
        "on Windows places-setup keeps secrets in Credential Manager only: a file's protection there is the ACL it inherits, which places-setup does not check",
    )
}
