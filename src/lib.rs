//! places-setup: from nothing to a working Adobe access token for the Places Service REST API.
pub mod ims;
