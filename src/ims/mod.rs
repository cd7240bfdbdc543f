//! Adobe IMS: the exchange client, its errors, and a local emulator.
pub mod client;
pub mod demo;
pub mod emulator;
pub mod error;

pub use client::{DEFAULT_IMS_URL, ExchangeError, Token};
pub use error::ImsError;
