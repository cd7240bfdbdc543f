//! The two kinds of credential a profile can hold. A value type shared by the store (which saves
//! it), IMS (whose endpoints and refusals differ by kind) and both faces.
use serde::{Deserialize, Serialize};

/// How a profile gets its tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Auth {
    /// Service Account (JWT): a signed JWT exchanged at /ims/exchange/jwt (retired by Adobe).
    Jwt,
    /// OAuth Server-to-Server: client credentials at /ims/token/v3.
    Oauth,
}

impl Auth {
    pub fn as_str(self) -> &'static str {
        match self {
            Auth::Jwt => "jwt",
            Auth::Oauth => "oauth",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Auth::Jwt => "Service Account (JWT)",
            Auth::Oauth => "OAuth Server-to-Server",
        }
    }
}
