//! Windows: what tests make that only the system's own calls can.
use std::ffi::OsString;
use std::path::Path;

/// A value no text can be: a lone UTF-16 surrogate.
pub fn not_unicode() -> OsString {
    std::os::windows::ffi::OsStringExt::from_wide(&[0xD800])
}

/// A new file in a test's own temporary folder is already its owner's alone on Windows (the
/// folder's ACL is inherited): nothing to change.
pub fn owner_only(_path: &Path) {}
