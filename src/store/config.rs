//! `config.toml`: the profiles, and nothing secret.
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use crate::auth::Auth;

/// Where a profile's client secret and key passphrase are kept. The cached token is always a
/// 0600 file: it lives a day at most, is read on every `token`, and is only a copy of what the
/// secrets can mint again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SecretStore {
    /// The operating system's keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows).
    Keyring,
    /// 0600 files in a 0700 folder beside config.toml.
    #[default]
    File,
}

impl SecretStore {
    pub fn as_str(self) -> &'static str {
        match self {
            SecretStore::Keyring => "keyring",
            SecretStore::File => "file",
        }
    }

    /// The store named `name` ("keyring" or "file", in any case), as `--store` takes it.
    pub fn from_name(name: &str) -> Option<SecretStore> {
        [SecretStore::Keyring, SecretStore::File]
            .into_iter()
            .find(|store| store.as_str().eq_ignore_ascii_case(name))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub auth: Auth,
    pub org_id: String,
    /// The API key, which is also the client ID.
    pub client_id: String,
    /// The IMS base URL this profile was created with.
    pub ims_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technical_account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metascopes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<String>,
    /// Where the secrets are; profiles saved before there was a choice use files.
    #[serde(default)]
    pub secret_store: SecretStore,
    /// A draft: the wizard saved what was typed before IMS accepted it (the exchange failed, or
    /// the person left), so that nothing is lost and the next run can resume it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub untested: bool,
    /// The Places API base URL this profile was created with, when it is not Adobe's (the
    /// emulator's, say); `verify`, `curl` and `api` use it unless told otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub places_url: Option<String>,
    /// What the Places API made of the profile's last token, when it did not accept it; none
    /// once it has (and for profiles saved before the check was made).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub places: Option<PlacesState>,
}

/// A profile's standing with the Places API when its token was not accepted there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum PlacesState {
    /// The Places API could not be asked (unreachable, or an answer that says nothing of the
    /// token): the token may work.
    Untested { reason: String },
    /// The Places API refused the token: its gateway's message, and the fix.
    Refused {
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        hint: Option<String>,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The profile used when neither --profile nor PLACES_SETUP_PROFILE names one (`profile use`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_profile: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

impl Config {
    /// Parses `text`; an error names the file, the line and the column. Profile names are checked
    /// as `--profile` is: a name names a folder, so `../x` must never reach a path.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let config = Config::parse_toml(text, path)?;
        for name in config.profiles.keys().chain(config.default_profile.iter()) {
            if let Err(e) = crate::ids::profile_name(name) {
                let place = line_naming(text, name)
                    .map(|line| format!(" line {line}"))
                    .unwrap_or_default();
                return Err(Error::new(format!(
                    "{}{place}: {}",
                    path.display(),
                    e.problem()
                ))
                .with_hint(format!(
                    "rename it by hand to 1 to 64 letters, digits, '-' or '_' (the file was left exactly as it was; nothing was read from or written to that name): {}",
                    path.display()
                )));
            }
        }
        Ok(config)
    }

    fn parse_toml(text: &str, path: &Path) -> Result<Config> {
        toml::from_str(text).map_err(|e| {
            let place = e
                .span()
                .map(|span| {
                    let before = &text[..span.start.min(text.len())];
                    let line = before.matches('\n').count() + 1;
                    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                    format!(" line {line}, column {column}")
                })
                .unwrap_or_default();
            Error::new(format!(
                "{}{place}: {}",
                path.display(),
                e.message().trim_end()
            ))
            .with_hint(format!(
                "fix that line by hand (the file was left exactly as it was), or move {} aside and run `places-setup init` again",
                path.display()
            ))
        })
    }

    pub fn to_toml(&self) -> String {
        let body = toml::to_string_pretty(self).unwrap_or_default();
        format!("# places-setup profiles. Secrets are not kept here.\n\n{body}")
    }
}

/// The line (from 1) of the table header or dotted key that names profile `name`, if one does.
fn line_naming(text: &str, name: &str) -> Option<usize> {
    let quoted = [
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\"")),
        format!("'{name}'"),
        name.to_string(),
    ];
    let names = |line: &str| quoted.iter().any(|q| line.contains(q.as_str()));
    let lines: Vec<&str> = text.lines().collect();
    lines
        .iter()
        .position(|line| line.contains("profiles") && names(line))
        .or_else(|| lines.iter().position(|line| names(line)))
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Config {
        let mut c = Config::default();
        c.profiles.insert(
            "default".into(),
            Profile {
                auth: Auth::Jwt,
                org_id: "18FB61145BAC2FFB0A494777@AdobeOrg".into(),
                client_id: "0123456789abcdef0123456789abcdef".into(),
                ims_url: "https://ims-na1.adobelogin.com".into(),
                technical_account_id: Some("0123456789ABCDEF01234567@techacct.adobe.com".into()),
                private_key: Some("/k/p_private.key".into()),
                certificate: None,
                metascopes: vec!["ent_places_sdk".into()],
                scopes: vec![],
                secret_store: SecretStore::Keyring,
                untested: false,
                places_url: None,
                places: None,
            },
        );
        c
    }

    #[test]
    fn round_trips() {
        let c = sample();
        let text = c.to_toml();
        assert!(text.contains("[profiles.default]"), "{text}");
        assert_eq!(Config::parse(&text, Path::new("config.toml")).unwrap(), c);
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let text = "[profiles.default]\nauth = \"jwt\"\norg_id = \n";
        let err = Config::parse(text, Path::new("/c/config.toml")).unwrap_err();
        assert!(
            err.message.starts_with("/c/config.toml line 3, column"),
            "{err:?}"
        );
        let err =
            Config::parse("[profiles.x]\nauth = \"saml\"\n", Path::new("c.toml")).unwrap_err();
        assert!(err.message.contains("line 2"), "{err:?}");
        let err = Config::parse("colour = 1\n", Path::new("c.toml")).unwrap_err();
        assert!(err.message.contains("line 1"), "{err:?}");
        let err = Config::parse(
            "[profiles.x]\nauth = \"oauth\"\norg_id = \"o\"\nclient_id = \"c\"\nims_url = \"u\"\nsecret_store = \"vault\"\n",
            Path::new("c.toml"),
        )
        .unwrap_err();
        assert!(err.message.contains("line 6"), "{err:?}");
    }

    #[test]
    fn profile_names_are_checked_with_their_line() {
        let text = "# mine\n\n[profiles.\"../../outside\"]\nauth = \"oauth\"\norg_id = \"o\"\nclient_id = \"c\"\nims_url = \"u\"\n";
        let err = Config::parse(text, Path::new("c.toml")).unwrap_err();
        assert!(
            err.message
                .starts_with("c.toml line 3: \"../../outside\" is not a valid profile name"),
            "{err:?}"
        );
        let text = "[profiles]\n'a b' = { auth = \"oauth\", org_id = \"o\", client_id = \"c\", ims_url = \"u\" }\n";
        let err = Config::parse(text, Path::new("c.toml")).unwrap_err();
        assert!(err.message.starts_with("c.toml line 2:"), "{err:?}");
    }

    #[test]
    fn the_default_profile_and_places_url_round_trip() {
        let mut c = sample();
        c.default_profile = Some("default".into());
        c.profiles.get_mut("default").unwrap().places_url =
            Some("http://127.0.0.1:9/places/placesapi/v1".into());
        let text = c.to_toml();
        assert!(text.contains("default_profile = \"default\""), "{text}");
        assert_eq!(Config::parse(&text, Path::new("config.toml")).unwrap(), c);
    }

    #[test]
    fn the_store_is_recorded_and_older_profiles_use_files() {
        let text = sample().to_toml();
        assert!(text.contains("secret_store = \"keyring\""), "{text}");
        let old =
            "[profiles.p]\nauth = \"oauth\"\norg_id = \"o\"\nclient_id = \"c\"\nims_url = \"u\"\n";
        let config = Config::parse(old, Path::new("c.toml")).unwrap();
        assert_eq!(config.profiles["p"].secret_store, SecretStore::File);
    }
}
