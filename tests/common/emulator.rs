//! The IMS emulator's types, named in this one place so the test files need not know where the
//! emulator lives in the library.
pub use places_setup::ims::emulator::{
    Emulator, EmulatorConfig, Fault, JwtIntegration, Library, OAuthCredential,
};
