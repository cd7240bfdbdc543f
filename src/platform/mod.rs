//! What differs between operating systems, one file per system; nothing outside this module
//! names `libc` or `std::os::unix` for the calls gathered here. `portable` needs only the
//! standard library: it is what Windows uses for files, and it is compiled and tested everywhere.
pub mod portable;
#[cfg(unix)]
pub mod unix;
#[cfg(unix)]
pub use unix::*;
#[cfg(windows)]
pub mod windows;
#[cfg(windows)]
pub use windows::*;
