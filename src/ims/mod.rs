//! Adobe IMS: the exchange client, its errors, and a local emulator.
pub mod emulator;
