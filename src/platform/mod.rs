//! What differs between operating systems, one file per OS: only Unix so far. Nothing above
//! this module names `libc` or `std::os::unix` for the calls gathered here.
#[cfg(unix)]
pub mod unix;
#[cfg(unix)]
pub use unix::*;
