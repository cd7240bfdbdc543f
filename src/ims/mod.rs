//! Adobe IMS: the exchange client and its errors. The local stand-in for IMS is `crate::emulator`.
pub mod client;
pub mod error;
pub mod retirement;

pub use client::{DEFAULT_IMS_URL, ExchangeError, Token};
pub use error::ImsError;
