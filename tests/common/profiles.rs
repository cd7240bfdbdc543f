//! The test integrations, once: their Console side in the emulator and the `init` arguments that
//! save them as profiles, JWT and OAuth.
use super::emulator::{JwtIntegration, OAuthCredential};
use super::home::Home;
use super::run::Run;
use super::{CLIENT, OAUTH_SCOPES, ORG, OTHER_CLIENT, SECRET, TECH};
use std::path::{Path, PathBuf};

/// `init` for the test JWT integration with this private key; the secret comes from elsewhere.
pub fn jwt_init<P: AsRef<Path> + ?Sized>(key: &P) -> Vec<&str> {
    vec![
        "init",
        "--auth",
        "jwt",
        "--org-id",
        ORG,
        "--client-id",
        CLIENT,
        "--technical-account-id",
        TECH,
        "--private-key",
        key.as_ref().to_str().expect("a UTF-8 key path"),
    ]
}

/// `init` for the test JWT integration with this private key, the secret read from stdin.
pub fn jwt_init_stdin<P: AsRef<Path> + ?Sized>(key: &P) -> Vec<&str> {
    let mut args = jwt_init(key);
    args.push("--client-secret-stdin");
    args
}

/// `init` for the test OAuth credential with these scopes, the secret read from stdin.
pub fn oauth_init_stdin(scopes: &str) -> Vec<&str> {
    vec![
        "init",
        "--auth",
        "oauth",
        "--org-id",
        ORG,
        "--client-id",
        CLIENT,
        "--scopes",
        scopes,
        "--client-secret-stdin",
    ]
}

/// Gives `flag` another value in `args`.
pub fn set_flag<'a>(args: &mut [&'a str], flag: &str, value: &'a str) {
    let i = args
        .iter()
        .position(|a| *a == flag)
        .unwrap_or_else(|| panic!("{flag} in {args:?}"));
    args[i + 1] = value;
}

/// Takes `flag` and its value out of `args`.
pub fn drop_flag(args: &mut Vec<&str>, flag: &str) {
    let i = args
        .iter()
        .position(|a| *a == flag)
        .unwrap_or_else(|| panic!("{flag} in {args:?}"));
    args.drain(i..i + 2);
}

/// The Console side of the test OAuth credential with this client ID.
pub fn oauth_credential(client_id: &str) -> OAuthCredential {
    OAuthCredential {
        org_id: ORG.into(),
        client_id: client_id.into(),
        client_secret: SECRET.into(),
        scopes: OAUTH_SCOPES.split(',').map(String::from).collect(),
    }
}

impl Home {
    /// The Console side of a JWT integration, with this certificate uploaded.
    pub fn integration(&self, certificate: &Path) -> JwtIntegration {
        JwtIntegration {
            org_id: ORG.into(),
            client_id: CLIENT.into(),
            client_secret: SECRET.into(),
            technical_account_id: TECH.into(),
            certificates_pem: vec![std::fs::read_to_string(certificate).expect("certificate")],
            metascopes: vec!["ent_places_sdk".into()],
        }
    }

    /// Keys made, certificate uploaded, profile saved: the state after the guide's steps.
    pub fn jwt_profile(&self) -> (PathBuf, PathBuf) {
        let (key, cert) = self.make_keys("places_integration_test");
        self.emulator.add_jwt_integration(self.integration(&cert));
        self.init_jwt(&key).ok();
        (key, cert)
    }

    /// A JWT profile under another name, with a key pair of the same name.
    pub fn jwt_profile_named(&self, name: &str) -> (PathBuf, PathBuf) {
        let (key, cert) = self.make_keys(name);
        self.emulator.add_jwt_integration(self.integration(&cert));
        let mut args = vec!["--profile", name];
        args.extend(jwt_init_stdin(&key));
        self.call_with_stdin(&args, &format!("{SECRET}\n")).ok();
        (key, cert)
    }

    pub fn init_jwt(&self, key: &Path) -> Run {
        self.call_with_stdin(&jwt_init_stdin(key), &format!("{SECRET}\n"))
    }

    pub fn oauth_profile(&self) {
        self.emulator.add_oauth_credential(oauth_credential(CLIENT));
        self.call_with_stdin(&oauth_init_stdin(OAUTH_SCOPES), SECRET)
            .ok();
    }

    /// An OAuth profile under another name, for the same org.
    pub fn oauth_profile_named(&self, name: &str) {
        self.emulator
            .add_oauth_credential(oauth_credential(OTHER_CLIENT));
        let mut args = vec!["--profile", name];
        args.extend(oauth_init_stdin(OAUTH_SCOPES));
        set_flag(&mut args, "--client-id", OTHER_CLIENT);
        self.call_with_stdin(&args, SECRET).ok();
    }
}
