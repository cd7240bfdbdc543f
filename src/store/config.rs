//! `config.toml`: the profiles, and nothing secret.
use crate::error::{Error, Result};
use crate::ids::{ClientId, OrgId, ProfileName, TechnicalAccountId};
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

/// A profile: what both kinds of credential share, and the kind with its own fields. Saved in
/// `config.toml` as one flat table (`ProfileFile`), so files written before the kinds were types
/// load unchanged and are written back byte for byte.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ProfileFile", into = "ProfileFile")]
pub struct Profile {
    pub org_id: OrgId,
    /// The API key, which is also the client ID.
    pub client_id: ClientId,
    /// The IMS base URL this profile was created with.
    pub ims_url: String,
    /// Where the secrets are; profiles saved before there was a choice use files.
    pub secret_store: SecretStore,
    /// A draft: the wizard saved what was typed before IMS accepted it (the exchange failed, or
    /// the person left), so that nothing is lost and the next run can resume it.
    pub untested: bool,
    /// The Places API base URL this profile was created with, when it is not Adobe's (the
    /// emulator's, say); `verify`, `curl` and `api` use it unless told otherwise.
    pub places_url: Option<String>,
    /// What the Places API made of the profile's last token, when it did not accept it; none
    /// once it has (and for profiles saved before the check was made).
    pub places: Option<PlacesState>,
    pub credential: Credential,
}

/// The kind of credential a profile holds, with what only that kind has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    Jwt(JwtCredential),
    Oauth(OauthCredential),
}

/// Service Account (JWT): a JWT signed with the private key, for the technical account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwtCredential {
    pub technical_account_id: TechnicalAccountId,
    pub private_key: PathBuf,
    /// The certificate uploaded to the Console, when the profile knows where it is.
    pub certificate: Option<PathBuf>,
    pub metascopes: Vec<String>,
}

/// OAuth Server-to-Server: client credentials with scopes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OauthCredential {
    pub scopes: Vec<String>,
    /// Kept from a Console project's JSON or a migrated JWT profile: IMS does not use it, the
    /// Console shows it, and it tells the person which integration this was.
    pub technical_account_id: Option<TechnicalAccountId>,
}

impl Profile {
    /// The kind of credential, by name.
    pub fn auth(&self) -> Auth {
        match self.credential {
            Credential::Jwt(_) => Auth::Jwt,
            Credential::Oauth(_) => Auth::Oauth,
        }
    }

    /// The technical account ID: a JWT profile's own, or the one an OAuth profile kept.
    pub fn technical_account_id(&self) -> Option<&TechnicalAccountId> {
        match &self.credential {
            Credential::Jwt(jwt) => Some(&jwt.technical_account_id),
            Credential::Oauth(oauth) => oauth.technical_account_id.as_ref(),
        }
    }

    /// The JWT credential, for what only a JWT profile has (its key files).
    pub fn jwt(&self) -> Option<&JwtCredential> {
        match &self.credential {
            Credential::Jwt(jwt) => Some(jwt),
            Credential::Oauth(_) => None,
        }
    }

    /// The private key a JWT profile signs with.
    pub fn private_key(&self) -> Option<&Path> {
        self.jwt().map(|jwt| jwt.private_key.as_path())
    }

    /// The certificate a JWT profile names, if it names one.
    pub fn certificate(&self) -> Option<&Path> {
        self.jwt().and_then(|jwt| jwt.certificate.as_deref())
    }

    /// The key files a JWT profile names (none for OAuth).
    pub fn key_files(&self) -> impl Iterator<Item = &Path> {
        self.private_key().into_iter().chain(self.certificate())
    }
}

/// A profile as `config.toml` writes it: one table, the fields of both kinds optional. The order
/// of the fields is the order in the file.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    auth: Auth,
    org_id: OrgId,
    client_id: ClientId,
    ims_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    technical_account_id: Option<TechnicalAccountId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    private_key: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    certificate: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    metascopes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    scopes: Vec<String>,
    #[serde(default)]
    secret_store: SecretStore,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    untested: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    places_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    places: Option<PlacesState>,
}

impl TryFrom<ProfileFile> for Profile {
    type Error = String;

    /// Refuses a table that is not one kind's: a field of the other kind would be dropped on the
    /// next save, and a JWT profile without its technical account or key cannot get a token.
    fn try_from(file: ProfileFile) -> std::result::Result<Profile, String> {
        let credential = match file.auth {
            Auth::Jwt => {
                if !file.scopes.is_empty() {
                    return Err("a JWT profile has metascopes, not scopes: remove the scopes line (or make the profile `auth = \"oauth\"`)".into());
                }
                let missing = |what: &str, flag: &str| {
                    format!(
                        "a JWT profile needs {what}; add it, or run places-setup init with {flag}"
                    )
                };
                Credential::Jwt(JwtCredential {
                    technical_account_id: file.technical_account_id.ok_or_else(|| {
                        missing("technical_account_id", "--technical-account-id ID")
                    })?,
                    private_key: file
                        .private_key
                        .ok_or_else(|| missing("private_key", "--private-key PATH"))?,
                    certificate: file.certificate,
                    metascopes: file.metascopes,
                })
            }
            Auth::Oauth => {
                if file.private_key.is_some()
                    || file.certificate.is_some()
                    || !file.metascopes.is_empty()
                {
                    return Err("an OAuth Server-to-Server profile has no private_key, certificate or metascopes: remove those lines (or make the profile `auth = \"jwt\"`)".into());
                }
                Credential::Oauth(OauthCredential {
                    scopes: file.scopes,
                    technical_account_id: file.technical_account_id,
                })
            }
        };
        Ok(Profile {
            org_id: file.org_id,
            client_id: file.client_id,
            ims_url: file.ims_url,
            secret_store: file.secret_store,
            untested: file.untested,
            places_url: file.places_url,
            places: file.places,
            credential,
        })
    }
}

impl From<Profile> for ProfileFile {
    fn from(profile: Profile) -> ProfileFile {
        let auth = profile.auth();
        let (technical_account_id, private_key, certificate, metascopes, scopes) =
            match profile.credential {
                Credential::Jwt(jwt) => (
                    Some(jwt.technical_account_id),
                    Some(jwt.private_key),
                    jwt.certificate,
                    jwt.metascopes,
                    vec![],
                ),
                Credential::Oauth(oauth) => {
                    (oauth.technical_account_id, None, None, vec![], oauth.scopes)
                }
            };
        ProfileFile {
            auth,
            org_id: profile.org_id,
            client_id: profile.client_id,
            ims_url: profile.ims_url,
            technical_account_id,
            private_key,
            certificate,
            metascopes,
            scopes,
            secret_store: profile.secret_store,
            untested: profile.untested,
            places_url: profile.places_url,
            places: profile.places,
        }
    }
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

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Config {
    /// The profile used when neither --profile nor PLACES_SETUP_PROFILE names one (`profile use`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_profile: Option<ProfileName>,
    pub profiles: BTreeMap<ProfileName, Profile>,
}

/// `config.toml` as read, before its profile names are checked (with the line naming the one
/// refused, which a check during parsing could not give).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    default_profile: Option<String>,
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

impl Config {
    /// Parses `text`; an error names the file, the line and the column. Profile names are checked
    /// as `--profile` is: a name names a folder, so `../x` must never reach a path.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let file = Config::parse_toml(text, path)?;
        let checked = |name: &str| {
            crate::ids::profile_name(name).map_err(|e| {
                let place = line_naming(text, name)
                    .map(|line| format!(" line {line}"))
                    .unwrap_or_default();
                Error::new(format!("{}{place}: {}", path.display(), e.problem())).with_hint(format!(
                    "rename it by hand to 1 to 64 letters, digits, '-' or '_' (the file was left exactly as it was; nothing was read from or written to that name): {}",
                    path.display()
                ))
            })
        };
        let mut profiles = BTreeMap::new();
        for (name, profile) in file.profiles {
            profiles.insert(checked(&name)?, profile);
        }
        let default_profile = file.default_profile.as_deref().map(checked).transpose()?;
        Ok(Config {
            default_profile,
            profiles,
        })
    }

    fn parse_toml(text: &str, path: &Path) -> Result<ConfigFile> {
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
                org_id: "18FB61145BAC2FFB0A494777@AdobeOrg".into(),
                client_id: "0123456789abcdef0123456789abcdef".into(),
                ims_url: "https://ims-na1.adobelogin.com".into(),
                secret_store: SecretStore::Keyring,
                untested: false,
                places_url: None,
                places: None,
                credential: Credential::Jwt(JwtCredential {
                    technical_account_id: "0123456789ABCDEF01234567@techacct.adobe.com".into(),
                    private_key: "/k/p_private.key".into(),
                    certificate: None,
                    metascopes: vec!["ent_places_sdk".into()],
                }),
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
            "[profiles.x]\nauth = \"oauth\"\norg_id = \"18FB61145BAC2FFB0A494777@AdobeOrg\"\nclient_id = \"0123456789abcdef0123456789abcdef\"\nims_url = \"u\"\nsecret_store = \"vault\"\n",
            Path::new("c.toml"),
        )
        .unwrap_err();
        assert!(err.message.contains("line 6"), "{err:?}");
    }

    #[test]
    fn profile_names_are_checked_with_their_line() {
        let text = "# mine\n\n[profiles.\"../../outside\"]\nauth = \"oauth\"\norg_id = \"18FB61145BAC2FFB0A494777@AdobeOrg\"\nclient_id = \"0123456789abcdef0123456789abcdef\"\nims_url = \"u\"\n";
        let err = Config::parse(text, Path::new("c.toml")).unwrap_err();
        assert!(
            err.message
                .starts_with("c.toml line 3: \"../../outside\" is not a valid profile name"),
            "{err:?}"
        );
        let text = "[profiles]\n'a b' = { auth = \"oauth\", org_id = \"18FB61145BAC2FFB0A494777@AdobeOrg\", client_id = \"0123456789abcdef0123456789abcdef\", ims_url = \"u\" }\n";
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
        let old = "[profiles.p]\nauth = \"oauth\"\norg_id = \"18FB61145BAC2FFB0A494777@AdobeOrg\"\nclient_id = \"0123456789abcdef0123456789abcdef\"\nims_url = \"u\"\n";
        let config = Config::parse(old, Path::new("c.toml")).unwrap();
        assert_eq!(config.profiles["p"].secret_store, SecretStore::File);
    }

    #[test]
    fn a_table_that_is_not_one_kind_is_refused_with_its_place() {
        let jwt = "[profiles.p]\nauth = \"jwt\"\norg_id = \"18FB61145BAC2FFB0A494777@AdobeOrg\"\nclient_id = \"0123456789abcdef0123456789abcdef\"\nims_url = \"u\"\ntechnical_account_id = \"0123456789ABCDEF01234567@techacct.adobe.com\"\n";
        let err = Config::parse(jwt, Path::new("c.toml")).unwrap_err();
        assert!(err.message.starts_with("c.toml line "), "{err:?}");
        assert!(err.message.contains("needs private_key"), "{err:?}");
        let oauth = "[profiles.p]\nauth = \"oauth\"\norg_id = \"18FB61145BAC2FFB0A494777@AdobeOrg\"\nclient_id = \"0123456789abcdef0123456789abcdef\"\nims_url = \"u\"\nmetascopes = [\"m\"]\n";
        let err = Config::parse(oauth, Path::new("c.toml")).unwrap_err();
        assert!(
            err.message
                .contains("no private_key, certificate or metascopes"),
            "{err:?}"
        );
    }

    #[test]
    fn each_kind_is_written_back_byte_for_byte() {
        let text = sample().to_toml();
        assert_eq!(
            Config::parse(&text, Path::new("c.toml")).unwrap().to_toml(),
            text
        );
        let oauth = "# places-setup profiles. Secrets are not kept here.\n\n[profiles.p]\nauth = \"oauth\"\norg_id = \"18FB61145BAC2FFB0A494777@AdobeOrg\"\nclient_id = \"0123456789abcdef0123456789abcdef\"\nims_url = \"u\"\ntechnical_account_id = \"0123456789ABCDEF01234567@techacct.adobe.com\"\nscopes = [\n    \"openid\",\n    \"AdobeID\",\n]\nsecret_store = \"file\"\nuntested = true\n";
        let config = Config::parse(oauth, Path::new("c.toml")).unwrap();
        assert_eq!(
            config.profiles["p"].credential,
            Credential::Oauth(OauthCredential {
                scopes: vec!["openid".into(), "AdobeID".into()],
                technical_account_id: Some("0123456789ABCDEF01234567@techacct.adobe.com".into()),
            })
        );
        assert_eq!(config.to_toml(), oauth);
    }

    #[test]
    fn ids_are_checked_on_reading_with_their_line() {
        let text = "[profiles.p]\nauth = \"oauth\"\norg_id = \"18FB61145BAC2FFB0A494777@adobeorg\"\nclient_id = \"0123456789abcdef0123456789abcdef\"\nims_url = \"u\"\n";
        let err = Config::parse(text, Path::new("c.toml")).unwrap_err();
        assert!(err.message.starts_with("c.toml line 3, column"), "{err:?}");
        assert!(err.message.contains("@AdobeOrg"), "{err:?}");
    }
}
