//! The command-line contract: every command, flag and environment variable in one place.
use crate::store::{Auth, SecretStore};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  places-setup                          open the setup wizard
  places-setup demo                     try the wizard offline, against the built-in emulator
  places-setup keys --country US --organization Places
  printf %s \"$SECRET\" | places-setup init --auth oauth --org-id ORG@AdobeOrg \\
      --client-id CLIENT_ID --scopes openid,AdobeID --client-secret-stdin
  places-setup token                    print a valid access token (refreshed when needed)
  eval \"$(places-setup env)\"            export PLACES_ACCESS_TOKEN and friends
  places-setup verify                   check the token against the Places API";

#[derive(Debug, Parser)]
#[command(
    name = "places-setup",
    version,
    about = "Get, and keep fresh, an Adobe access token for the Places Service REST API",
    long_about = "Get, and keep fresh, an Adobe access token for the Places Service REST API.\n\n\
        Makes the key pair, stores the integration's IDs and secret, exchanges them with Adobe IMS \
        (Service Account (JWT) or OAuth Server-to-Server) and caches the token until it nears expiry.",
    after_help = EXAMPLES
)]
pub struct Cli {
    /// Where config, secrets and cached tokens live [default: ~/.config/places-setup]
    #[arg(
        long,
        global = true,
        env = "PLACES_SETUP_CONFIG_DIR",
        value_name = "DIR"
    )]
    pub config_dir: Option<PathBuf>,

    /// Which integration to use; keep several side by side
    #[arg(
        long,
        global = true,
        env = "PLACES_SETUP_PROFILE",
        default_value = "default",
        value_name = "NAME"
    )]
    pub profile: String,

    /// Adobe IMS base URL; a profile remembers the one it was created with [default: https://ims-na1.adobelogin.com]
    #[arg(long, global = true, env = "PLACES_SETUP_IMS_URL", value_name = "URL")]
    pub ims_url: Option<String>,

    /// Seconds one HTTP request may take, answer included
    #[arg(long, global = true, env = "PLACES_SETUP_TIMEOUT", default_value_t = 30, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=300))]
    pub timeout: u64,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make the key pair: an RSA 2048 private key and a self-signed certificate to upload
    #[command(
        after_help = "Examples:\n  places-setup keys\n  places-setup keys --dir keys --name places_prod --country US --state California \\\n      --locality 'San Jose' --organization Places --unit Engineering --common-name places.com --email poi@places.com\n  places-setup keys --encrypt   (passphrase asked twice, or PLACES_SETUP_KEY_PASSPHRASE)\n  places-setup keys --rotate    (new pair beside the profile's; the old one keeps working)"
    )]
    Keys(KeysArgs),
    /// Save a profile: the integration's IDs, key and client secret
    #[command(
        after_help = "Examples:\n  printf %s \"$SECRET\" | places-setup init --auth jwt --org-id 18FB61145BAC2FFB0A494777@AdobeOrg \\\n      --client-id 0123456789abcdef0123456789abcdef \\\n      --technical-account-id 0123456789ABCDEF01234567@techacct.adobe.com \\\n      --private-key keys/places_integration_test_private.key --client-secret-stdin\n  PLACES_SETUP_CLIENT_SECRET=… places-setup init --auth oauth --org-id … --client-id … --scopes openid,AdobeID\n  places-setup init --client-secret-stdin      (replace the secret of an existing profile)\n\nOn an existing profile, flags not given keep their saved values."
    )]
    Init(InitArgs),
    /// Print a valid access token, exchanging a new one only when needed
    #[command(
        after_help = "Examples:\n  places-setup token\n  places-setup token --json\n  curl -H \"Authorization: Bearer $(places-setup token)\" …"
    )]
    Token(TokenArgs),
    /// Show every profile: IDs, key, certificate and token expiry, where secrets are kept
    Status(JsonArgs),
    /// Print shell commands that export the token, API key and org ID
    #[command(
        after_help = "Examples:\n  eval \"$(places-setup env)\"\n  places-setup env --format fish | source\n  places-setup env --format powershell | Invoke-Expression"
    )]
    Env(EnvArgs),
    /// Check the token against the Places API (GET /libraries)
    Verify(VerifyArgs),
    /// Print a ready-to-run curl command for GET /libraries with the current token
    Curl(PlacesArgs),
    /// Try the wizard offline against the built-in IMS emulator
    #[command(
        after_help = "The demo keeps its profile and keys in a temporary folder unless --config-dir is given."
    )]
    Demo,
    /// Serve the built-in IMS and Places API emulator on loopback until stopped (for scripts and benchmarks)
    #[command(hide = true)]
    Emulator(EmulatorArgs),
    /// Holds the desktop clipboard for a copied token after places-setup exits (internal)
    #[command(hide = true, name = "clipboard-holder")]
    ClipboardHolder,
}

#[derive(Debug, Args)]
pub struct EmulatorArgs {
    /// Certificates to upload to the demo JWT integration
    #[arg(long = "certificate", value_name = "PATH")]
    pub certificates: Vec<PathBuf>,
    /// Serve HTTPS with a certificate from a throw-away CA made at start; the JSON line carries the
    /// CA (ca_certificate, PEM) for clients to trust, e.g. through SSL_CERT_FILE
    #[arg(long)]
    pub tls: bool,
}

#[derive(Debug, Args)]
pub struct KeysArgs {
    /// Folder for the key pair (created 0700 if missing) [default: keys]
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Integration name: files are NAME_private.key and NAME_public.crt [default: places_integration_test]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Country Name, two letters (e.g. US)
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// State or Province Name (e.g. California)
    #[arg(long, value_name = "S")]
    pub state: Option<String>,
    /// Locality Name (e.g. San Jose)
    #[arg(long, value_name = "L")]
    pub locality: Option<String>,
    /// Organization Name (e.g. Places)
    #[arg(long, value_name = "O")]
    pub organization: Option<String>,
    /// Organizational Unit Name (e.g. Engineering)
    #[arg(long, value_name = "OU")]
    pub unit: Option<String>,
    /// Common Name (e.g. places.com) [default: the integration name, when no field is given]
    #[arg(long, value_name = "CN")]
    pub common_name: Option<String>,
    /// Email Address (e.g. poi@places.com)
    #[arg(long, value_name = "E")]
    pub email: Option<String>,
    /// Days the certificate is valid
    #[arg(long, default_value_t = crate::cert::DEFAULT_DAYS, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: u32,
    /// Move an existing pair to timestamped backups, then write the new one
    #[arg(long, conflicts_with = "rotate")]
    pub force: bool,
    /// Protect the private key with a passphrase (PKCS#8, AES-256-CBC, PBKDF2); asked twice, or PLACES_SETUP_KEY_PASSPHRASE
    #[arg(long)]
    pub encrypt: bool,
    /// Make a new pair beside the current profile's (or --name's), named NAME_YYYY-MM-DD; the old pair and the profile are left as they are
    #[arg(long)]
    pub rotate: bool,
    /// Print the result as JSON
    #[arg(long)]
    pub json: bool,
}

impl KeysArgs {
    pub fn dir(&self) -> PathBuf {
        self.dir
            .clone()
            .unwrap_or_else(|| PathBuf::from(crate::cert::DEFAULT_DIR))
    }

    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or(crate::cert::DEFAULT_NAME)
    }
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Service Account (JWT), as in Adobe's guide, or OAuth Server-to-Server, its replacement
    #[arg(long, value_enum)]
    pub auth: Option<Auth>,
    /// Organization ID (24 hex characters + @AdobeOrg)
    #[arg(long, value_name = "ID")]
    pub org_id: Option<String>,
    /// API key, also called client ID (32 hex characters)
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// Technical account ID, JWT only (24 hex characters + @techacct.adobe.com)
    #[arg(long, value_name = "ID")]
    pub technical_account_id: Option<String>,
    /// The private key, JWT only (NAME_private.key)
    #[arg(long, value_name = "PATH")]
    pub private_key: Option<PathBuf>,
    /// The certificate uploaded to the Console, JWT only [default: NAME_public.crt beside the key, if present]
    #[arg(long, value_name = "PATH")]
    pub certificate: Option<PathBuf>,
    /// Metascopes, JWT only, comma-separated [default: ent_places_sdk]
    #[arg(long, value_name = "LIST")]
    pub metascopes: Option<String>,
    /// Scopes, OAuth only, comma-separated, as on the credential's Scopes tab
    #[arg(long, value_name = "LIST")]
    pub scopes: Option<String>,
    /// Read the client secret from standard input (else PLACES_SETUP_CLIENT_SECRET, else the saved one, else a prompt)
    #[arg(long)]
    pub client_secret_stdin: bool,
    /// Where the client secret and key passphrase are kept: the system keyring or 0600 files
    /// [default: the profile's; for a new profile the keyring if one answers within 3 seconds, else file]
    #[arg(long, value_enum, env = "PLACES_SETUP_STORE", value_name = "STORE")]
    pub store: Option<SecretStore>,
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// Exchange a new token even if the cached one is still good
    #[arg(long)]
    pub force: bool,
    /// Also copy the token to the clipboard
    #[arg(long)]
    pub copy: bool,
    /// Print profile, token type, token, expiry and source as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct JsonArgs {
    /// Print as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ShellFormat {
    Sh,
    Fish,
    Powershell,
    Json,
}

#[derive(Debug, Args)]
pub struct EnvArgs {
    /// Output syntax
    #[arg(long, value_enum, default_value = "sh")]
    pub format: ShellFormat,
}

#[derive(Debug, Args)]
pub struct PlacesArgs {
    /// Places Service REST API base URL
    #[arg(long, env = "PLACES_SETUP_PLACES_URL", default_value = crate::places::DEFAULT_PLACES_URL, value_name = "URL")]
    pub places_url: String,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub places: PlacesArgs,
    /// Print the libraries as JSON
    #[arg(long)]
    pub json: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn contract_is_consistent() {
        Cli::command().debug_assert();
    }
}
