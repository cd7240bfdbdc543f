//! The built-in integration of the offline demo: made-up IDs that have the shapes of real ones,
//! served by the emulator.
use super::{Emulator, EmulatorConfig, JwtIntegration, OAuthCredential};

pub const ORG_ID: &str = "DE40DE40DE40DE40DE40DE40@AdobeOrg";
pub const JWT_CLIENT_ID: &str = "de40de40de40de40de40de40de40de40";
pub const OAUTH_CLIENT_ID: &str = "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a";
pub const TECHNICAL_ACCOUNT_ID: &str = "DE40DE40DE40DE40DE40DE41@techacct.adobe.com";
/// Not a secret: it is printed on the demo's screens so people can paste it.
pub const CLIENT_SECRET: &str = "p8e-DEMO-not-a-real-secret";
pub const SCOPES: [&str; 3] = ["openid", "AdobeID", "read_organizations"];
/// The metascope of the JWT integration: the Places API's.
pub const METASCOPE: &str = crate::jwt::PLACES_METASCOPE;

/// An emulator knowing the demo's JWT integration (with these certificates uploaded) and its
/// OAuth Server-to-Server credential.
pub fn start(certificates_pem: Vec<String>) -> std::io::Result<Emulator> {
    start_on(0, certificates_pem)
}

/// As `start`, on this port of 127.0.0.1 (0: a free one).
pub fn start_on(port: u16, certificates_pem: Vec<String>) -> std::io::Result<Emulator> {
    start_with(port, certificates_pem, EmulatorConfig::default())
}

/// As `start_on`, with a configuration of its own (`emulator --tls`).
pub fn start_with(
    port: u16,
    certificates_pem: Vec<String>,
    config: EmulatorConfig,
) -> std::io::Result<Emulator> {
    let emulator = Emulator::start_on(config, port)?;
    register(&emulator, certificates_pem);
    emulator.add_oauth_credential(OAuthCredential {
        org_id: ORG_ID.into(),
        client_id: OAUTH_CLIENT_ID.into(),
        client_secret: CLIENT_SECRET.into(),
        scopes: SCOPES.iter().map(|s| s.to_string()).collect(),
    });
    Ok(emulator)
}

/// Uploads certificates to the demo's JWT integration, as the Console's upload does.
pub fn register(emulator: &Emulator, certificates_pem: Vec<String>) {
    emulator.add_jwt_integration(JwtIntegration {
        org_id: ORG_ID.into(),
        client_id: JWT_CLIENT_ID.into(),
        client_secret: CLIENT_SECRET.into(),
        technical_account_id: TECHNICAL_ACCOUNT_ID.into(),
        certificates_pem,
        metascopes: vec![METASCOPE.into()],
    });
}

/// The demo's JWT integration converted to OAuth Server-to-Server, as Adobe converted every JWT
/// credential: its JWT exchange is refused from then on, and `migrate` works.
pub fn convert(emulator: &Emulator) {
    emulator.convert_to_oauth(
        JWT_CLIENT_ID,
        SCOPES.iter().map(|s| s.to_string()).collect(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_ids_have_the_shapes_of_real_ones() {
        assert!(crate::ids::org_id(ORG_ID).is_ok());
        assert!(crate::ids::client_id(JWT_CLIENT_ID).is_ok());
        assert!(crate::ids::client_id(OAUTH_CLIENT_ID).is_ok());
        assert!(crate::ids::technical_account_id(TECHNICAL_ACCOUNT_ID).is_ok());
        assert!(crate::ids::client_secret(CLIENT_SECRET).is_ok());
    }
}
