//! What differs between operating systems. One module per concern, and for each OS its own file
//! named `CONCERN_OS.rs`, picked by `#[path]` below, so that every file holds the code of one
//! system and nothing above this module names `libc`, `std::os::unix`, `std::os::windows`,
//! `/dev/tty` or an OS API (`scripts/check-portable` keeps it so). Each OS's file of a concern
//! offers the same items; shared code calls them as `platform::CONCERN::item`.
//!
//! | concern | Linux and the BSDs | macOS | Windows |
//! |---|---|---|---|
//! | files and their protection (the store) | `unix.rs` | `unix.rs` | `windows.rs` over `portable.rs` |
//! | clipboard | `clipboard_linux.rs` | `clipboard_macos.rs` | `clipboard_windows.rs` |
//! | signals and the terminal | `terminal_unix.rs` | `terminal_unix.rs` | `terminal_windows.rs` |
//! | process hardening, a child's signals | `process_unix.rs` | `process_unix.rs` | `process_windows.rs` |
//! | the CA store | `ca_store_linux.rs` | `ca_store_other.rs` | `ca_store_other.rs` |
//!
//! What needs only `std` is written once and takes the system as a value (`Os`), so Linux's tests
//! check the answers macOS and Windows get too: `paths` (home and config folders, `~`) and `hints`
//! (the commands a message suggests); `portable` (files with the standard library alone, what
//! Windows uses). Windows code cannot be compiled on the machines the project
//! is developed on: it is kept small, and the CI workflow builds and tests it.
pub mod portable;
#[cfg(unix)]
pub mod unix;
#[cfg(unix)]
pub use unix::*;
#[cfg(windows)]
pub mod windows;
#[cfg(windows)]
pub use windows::*;

pub mod hints;
pub mod paths;

#[cfg_attr(target_os = "macos", path = "clipboard_macos.rs")]
#[cfg_attr(windows, path = "clipboard_windows.rs")]
#[cfg_attr(all(unix, not(target_os = "macos")), path = "clipboard_linux.rs")]
pub mod clipboard;

#[cfg_attr(unix, path = "terminal_unix.rs")]
#[cfg_attr(windows, path = "terminal_windows.rs")]
pub mod terminal;

#[cfg_attr(unix, path = "process_unix.rs")]
#[cfg_attr(windows, path = "process_windows.rs")]
pub mod process;

#[cfg_attr(target_os = "linux", path = "ca_store_linux.rs")]
#[cfg_attr(not(target_os = "linux"), path = "ca_store_other.rs")]
pub mod ca_store;

/// Helpers only tests use, for what tests need to make on disk or in the environment.
#[cfg(test)]
#[cfg_attr(unix, path = "testing_unix.rs")]
#[cfg_attr(windows, path = "testing_windows.rs")]
pub mod testing;

/// The operating systems the product knows the conventions of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    /// Linux and the BSDs: XDG folders, systemd's and POSIX tools.
    Linux,
    MacOs,
    Windows,
}

impl Os {
    /// The system this program was built for.
    pub const CURRENT: Os = if cfg!(target_os = "macos") {
        Os::MacOs
    } else if cfg!(windows) {
        Os::Windows
    } else {
        Os::Linux
    };
}

/// Why a wizard or a command was asked to stop from outside, as the system told it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// SIGINT; Ctrl-C or Ctrl-Break on Windows.
    Interrupted,
    /// SIGTERM.
    Terminated,
    /// SIGHUP; the console window closed on Windows.
    HungUp,
    /// SIGQUIT.
    Quit,
}

impl Ending {
    /// The exit status a shell reports for a process that such a signal ended (128 + its number).
    pub fn exit_code(self) -> i32 {
        match self {
            Ending::HungUp => 129,
            Ending::Interrupted => 130,
            Ending::Quit => 131,
            Ending::Terminated => 143,
        }
    }
}

/// Whether this session came in over SSH: a desktop clipboard here is then not the one the person
/// pastes from.
pub fn over_ssh() -> bool {
    ["SSH_CONNECTION", "SSH_TTY"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
}
