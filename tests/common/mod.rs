//! Shared set-up for the command-line tests, written once so each test file keeps only what it
//! tests: a temporary home for config and keys with the real binary pointed at it (`home`), the IMS
//! emulator on loopback (`emulator`), the `init` arguments of the test integrations (`profiles`),
//! and what a run printed (`run`), files on disk (`files`), an X server (`xvfb`) and a
//! pseudo-terminal (`terminal`).
#![allow(dead_code, unused_imports)]

pub mod emulator;
pub mod files;
pub mod home;
pub mod profiles;
pub mod run;
pub mod terminal;
pub mod xvfb;

pub use emulator::*;
pub use files::*;
pub use home::*;
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
