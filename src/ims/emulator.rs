//! A local stand-in for Adobe IMS and the Places API.
