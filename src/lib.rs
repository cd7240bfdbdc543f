//! places-setup: from nothing to a working Adobe access token for the Places Service REST API,
//! and a fresh one whenever it is needed.
pub mod access_token;
pub mod auth;
pub mod cert;
pub mod cli;
pub mod clipboard;
pub mod commands;
pub mod console;
pub mod emulator;
pub mod environment;
pub mod error;
pub mod http;
pub mod ids;
pub mod ims;
pub mod jwt;
pub mod places;
pub mod platform;
pub mod session;
pub mod store;
pub mod text;
pub mod timefmt;
pub mod wizard;
