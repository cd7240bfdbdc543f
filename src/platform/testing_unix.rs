//! Unix: what tests make that only the system's own calls can.
use std::ffi::OsString;
use std::path::Path;

/// A value no text can be: bytes that are not UTF-8.
pub fn not_unicode() -> OsString {
    std::os::unix::ffi::OsStringExt::from_vec(vec![0xff, 0xfe])
}

/// Makes a file readable and writable by its owner only (0600).
pub fn owner_only(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).expect("chmod 600");
}
