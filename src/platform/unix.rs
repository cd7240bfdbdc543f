//! Unix: folders only their owner can enter, and whether a folder can be trusted to hold the
//! configuration — checked on an open handle, and every folder above it as OpenSSH's
//! StrictModes checks the folders above `~/.ssh`.
use std::fs::Permissions;
use std::os::unix::fs::PermissionsExt;

/// The permissions of a folder only its owner can list or enter (0700), for temporary folders
/// that hold secrets (the demo's).
pub fn private_folder() -> Permissions {
    Permissions::from_mode(0o700)
}
