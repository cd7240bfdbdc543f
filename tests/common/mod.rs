//! Shared set-up for the command-line tests, written once so each test file keeps only what it
//! tests: a temporary home for config and keys with the real binary pointed at it (`home`), the IMS
//! emulator on loopback (`emulator`), the `init` arguments of the test integrations (`profiles`),
//! and what a run printed (`run`), files on disk (`files`), an X server (`xvfb`) and a
//! pseudo-terminal (`terminal`).
#![allow(dead_code, unused_imports)]

pub mod emulator;
pub mod files;
pub mod home;
pub mod hostile;
pub mod profiles;
pub mod run;
pub mod terminal;
pub mod xvfb;

pub use emulator::*;
pub use files::*;
pub use home::*;
pub use hostile::*;
pub use profiles::*;
pub use run::*;
pub use terminal::*;

pub const ORG: &str = "18FB61145BAC2FFB0A494777@AdobeOrg";
pub const CLIENT: &str = "0123456789abcdef0123456789abcdef";
/// The client ID of a second OAuth credential in the same org.
pub const OTHER_CLIENT: &str = "fedcba9876543210fedcba9876543210";
pub const TECH: &str = "0123456789ABCDEF01234567@techacct.adobe.com";
pub const SECRET: &str = "p8e-Test-Client-Secret-0123456789";
pub const OAUTH_SCOPES: &str = "openid,AdobeID,read_organizations";

/// A test that cannot run its tool (mount, chattr, node) says so and passes — except under
/// `CI=true`, where a test that checks nothing must not pass as if it had.
pub fn skip(test: &str, reason: &str) {
    skip_under(std::env::var("CI").ok().as_deref(), test, reason);
}

/// `skip` with the value of CI given, so that both ways can be tested.
pub fn skip_under(ci: Option<&str>, test: &str, reason: &str) {
    let in_ci = ci.is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1");
    assert!(
        !in_ci,
        "{test} cannot run under CI=true: {reason} (install what it needs in the CI image)"
    );
    eprintln!("SKIPPED {test}: {reason}");
}
