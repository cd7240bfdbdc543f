//! The command-line contract: every command, flag and environment variable in one place. The
//! only module (with main.rs) that names clap: its value enums are mapped to the domain's types here.
use crate::environment::Environment;
use crate::store::{Auth, SecretStore};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

// Every example line fits 80 columns (a test checks): a terminal that wraps never breaks a
// command in two.
const EXAMPLES: &str = "\
Examples:
  places-setup                           open the setup wizard
  places-setup demo                      the wizard, offline, on the emulator
  places-setup keys --country US --organization Places
  printf %s \"$SECRET\" | places-setup init --auth oauth --org-id ORG@AdobeOrg \\
      --client-id CLIENT_ID --scopes openid,AdobeID --client-secret-stdin
  places-setup init --console-json FILE  import the Console's project JSON
  places-setup migrate --scopes LIST     turn a JWT profile into OAuth
  places-setup token                     print a token, renewed when needed
  eval \"$(places-setup env)\"             export PLACES_ACCESS_TOKEN and friends
  places-setup verify                    check the token against the Places API
  places-setup exec -- ./sync-pois.sh    run a program with the token
  places-setup api /libraries            call the Places API with the token
  places-setup emulator                  serve IMS and the Places API offline

Exit codes:
  0     success
  1     failure (IMS or the Places API refused, a file could not be read...)
  2     wrong usage or value (a flag, an ID, a URL); nothing was changed
  130   interrupted (Ctrl-C); 143 terminated (SIGTERM); 129 hung up
  exec  the program's own status; 128+N if signal N ended it";

/// The heading of the flags every command takes, shown after a command's own.
const GLOBAL: &str = "Global options";

/// The global flags (by their ids) that do nothing in a command: hidden from its `--help`, its
/// manual page and its completions, though still accepted, so a script that passes one everywhere
/// keeps working.
const UNUSED_GLOBALS: [(&str, &[&str]); 5] = [
    ("keys", &["ims_url", "timeout", "debug"]),
    ("completions", &ALL_GLOBALS),
    ("man", &ALL_GLOBALS),
    ("emulator", &ALL_GLOBALS),
    ("help", &ALL_GLOBALS),
];
const ALL_GLOBALS: [&str; 5] = ["config_dir", "profile", "debug", "ims_url", "timeout"];

/// The command-line contract as clap reads it: `Cli`'s, with each command's unused global flags
/// hidden, and a `help` command of our own (clap's answers `help --help` with an error).
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let command = Cli::command();
    let globals: Vec<clap::Arg> = command
        .get_arguments()
        .filter(|a| a.is_global_set())
        .cloned()
        .collect();
    UNUSED_GLOBALS
        .iter()
        .fold(command, |command, (name, unused)| {
            command.mut_subcommand(*name, |sub| {
                // A subcommand's own argument of the same id stops clap from propagating the
                // global one there.
                globals
                    .iter()
                    .filter(|a| unused.contains(&a.get_id().as_str()))
                    .fold(sub, |sub, arg| sub.arg(arg.clone().hide(true)))
            })
        })
}

#[derive(Debug, Parser)]
#[command(
    name = "places-setup",
    version,
    // Ours answers `help --help`, which clap's takes for the name of a command.
    disable_help_subcommand = true,
    about = "Get, and keep fresh, an Adobe access token for the Places Service REST API",
    long_about = "Get, and keep fresh, an Adobe access token for the Places Service REST API.\n\n\
        Makes the key pair, stores the integration's IDs and secret, exchanges them with Adobe IMS \
        (Service Account (JWT) or OAuth Server-to-Server) and caches the token until it nears expiry.",
    after_help = EXAMPLES
)]
pub struct Cli {
    // The default named as the system writes it (platform::paths::config_dir_shown).
    #[cfg_attr(
        not(windows),
        doc = "Where config, secrets and cached tokens live [default: ~/.config/places-setup]"
    )]
    #[cfg_attr(
        windows,
        doc = r"Where config, secrets and cached tokens live [default: %APPDATA%\places-setup]"
    )]
    #[arg(
        long,
        global = true,
        help_heading = GLOBAL,
        env = "PLACES_SETUP_CONFIG_DIR",
        value_name = "DIR"
    )]
    pub config_dir: Option<PathBuf>,

    /// Which integration to use; keep several side by side [default: the one chosen with
    /// `profile use`, else "default"]
    #[arg(
        long,
        global = true,
        help_heading = GLOBAL,
        env = "PLACES_SETUP_PROFILE",
        value_name = "NAME",
        add = clap_complete::ArgValueCandidates::new(saved_profiles)
    )]
    pub profile: Option<String>,

    /// Show each HTTP request on stderr: method, URL, status, time, attempt, debug ID (never a secret or token)
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub debug: bool,

    /// Adobe IMS base URL; a profile remembers the one it was created with [default: https://ims-na1.adobelogin.com]
    #[arg(long, global = true, help_heading = GLOBAL, env = "PLACES_SETUP_IMS_URL", value_name = "URL")]
    pub ims_url: Option<String>,

    /// Seconds one HTTP request may take, answer included
    #[arg(long, global = true, help_heading = GLOBAL, env = "PLACES_SETUP_TIMEOUT", default_value_t = 30, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=300))]
    pub timeout: u64,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// `--config-dir` was typed on the command line (not taken from PLACES_SETUP_CONFIG_DIR): the
    /// demo keeps its files only in a folder named this explicitly.
    #[arg(skip)]
    pub config_dir_from_flag: bool,
}

impl Cli {
    /// Parses the process's arguments (exiting with clap's message on bad usage), noting where
    /// `--config-dir` came from.
    pub fn parse_args() -> Cli {
        Cli::parse_from_args(std::env::args_os())
    }

    pub fn parse_from_args<I, T>(args: I) -> Cli
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        Cli::from_command(command(), args).unwrap_or_else(|e| e.exit())
    }

    /// Parses `args` as the binary does, but with the variables of `environment` where clap would
    /// read the process's (the `env = …` of each flag): a command run in-process by a test sees
    /// only the environment the test gives it. The variables become the flags' defaults, which
    /// changes nothing but `--help`, whose text is tested through the binary. Bad usage, `--help`
    /// and `--version` come back as clap's error, to be rendered by the caller.
    pub fn try_parse_in<I, T>(args: I, environment: &Environment) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        Cli::from_command(with_environment(command(), environment), args)
    }

    fn from_command<I, T>(command: clap::Command, args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        use clap::{FromArgMatches, parser::ValueSource};
        let matches = command.try_get_matches_from(args)?;
        let mut cli = Cli::from_arg_matches(&matches)?;
        let mut ims_url_typed = false;
        // A global flag given after the subcommand is recorded in the subcommand's matches.
        let mut level = Some(&matches);
        while let Some(m) = level {
            if m.value_source("config_dir") == Some(ValueSource::CommandLine) {
                cli.config_dir_from_flag = true;
            }
            if m.value_source("ims_url") == Some(ValueSource::CommandLine) {
                ims_url_typed = true;
            }
            level = m.subcommand().map(|(_, sub)| sub);
        }
        if ims_url_typed && let Some(Command::Profile(ProfileCommand::Set(args))) = &mut cli.command
        {
            args.ims_url = cli.ims_url.clone();
        }
        Ok(cli)
    }
}

/// `command` with each flag's variable looked up in `environment` instead of the process.
fn with_environment(command: clap::Command, environment: &Environment) -> clap::Command {
    let command = command.mut_args(|arg| {
        let Some(name) = arg.get_env().and_then(|n| n.to_str()).map(str::to_string) else {
            return arg;
        };
        let arg = arg.env(None::<&str>);
        match environment.setting(&name) {
            Some(value) => arg.default_value(clap::builder::OsStr::from(value.to_os_string())),
            None => arg,
        }
    });
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    names.into_iter().fold(command, |command, name| {
        command.mut_subcommand(name, |sub| with_environment(sub, environment))
    })
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make the key pair: an RSA 2048 private key and a self-signed certificate to upload
    #[command(
        after_help = "Examples:\n  places-setup keys\n  places-setup keys --dir keys --name places_prod --country US \\\n      --state California --locality 'San Jose' --organization Places \\\n      --unit Engineering --common-name places.com --email poi@places.com\n  # passphrase asked twice, or PLACES_SETUP_KEY_PASSPHRASE\n  places-setup keys --encrypt\n  # a new pair beside the profile's; the old one keeps working\n  places-setup keys --rotate"
    )]
    Keys(KeysArgs),
    /// Save a profile: the integration's IDs, key and client secret
    #[command(
        after_help = "Examples:\n  # the client secret is asked for at the terminal, not echoed\n  places-setup init --auth oauth \\\n      --org-id … --client-id … --scopes openid,AdobeID\n  # in a script: the secret from a 0600 file, never on a command line\n  places-setup init --auth jwt \\\n      --org-id 18FB61145BAC2FFB0A494777@AdobeOrg \\\n      --client-id 0123456789abcdef0123456789abcdef \\\n      --technical-account-id 0123456789ABCDEF01234567@techacct.adobe.com \\\n      --private-key keys/places_integration_test_private.key \\\n      --client-secret-stdin < client_secret.txt\n  # replace the secret of an existing profile\n  places-setup init --client-secret-stdin\n  # the project JSON the Developer Console downloads\n  places-setup init --console-json ~/Downloads/Places-123456-Production.json\n  places-setup init --console-json project.json --credential 'Places S2S'\n\nOn an existing profile, flags not given keep their saved values."
    )]
    Init(InitArgs),
    /// Turn a saved Service Account (JWT) profile into OAuth Server-to-Server, keeping its IDs and secret
    #[command(
        after_help = "Adobe has converted every JWT credential to OAuth Server-to-Server, keeping\nthe client ID, client secret and product profiles. This does the same to the\nprofile: only the scopes are new. The exchange is tested first; a failed\nmigration changes nothing. The key files stay on disk.\n\nExamples:\n  places-setup migrate --scopes openid,AdobeID,read_organizations\n  places-setup --profile prod migrate --scopes \"$SCOPES\""
    )]
    Migrate(MigrateArgs),
    /// Print a valid access token, exchanging a new one only when needed
    #[command(
        after_help = "Examples:\n  places-setup token\n  places-setup token --json\n  places-setup token --claims   (what the token is for; the token not shown)\n  curl -H \"Authorization: Bearer $(places-setup token)\" …\n  # a job of two hours: a token that outlives it\n  places-setup token --min-valid 2h\n  # a token seen where it should not have been\n  places-setup token --revoke"
    )]
    Token(TokenArgs),
    /// Show every profile: IDs, key, certificate and token expiry, where secrets are kept
    Status(JsonArgs),
    /// Print shell commands that export the token, API key and org ID
    #[command(
        after_help = "Examples:\n  eval \"$(places-setup env)\"\n  places-setup env --format fish | source\n  places-setup env --format powershell | Invoke-Expression\n  # GitHub Actions: the token masked, the variables set for the next steps\n  places-setup env --format github --min-valid 2h\n  # GitLab CI: a dotenv report (an artifact, not a secret store: see docs/ci.md)\n  places-setup env --format gitlab > places.env\n  places-setup env --format dotenv > .env"
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
    /// List profiles, choose the default one, remove one
    #[command(
        subcommand,
        after_help = "Examples:\n  places-setup profile list\n  places-setup profile use staging\n  places-setup profile remove staging --yes --delete-keys\n  places-setup profile set staging --scopes openid,AdobeID"
    )]
    Profile(ProfileCommand),
    /// Run a program with a valid token in its environment (PLACES_ACCESS_TOKEN and friends)
    #[command(
        after_help = "The program gets PLACES_ACCESS_TOKEN, PLACES_API_KEY, PLACES_ORG_ID and\nPLACES_TOKEN_EXPIRES_AT; the token is refreshed first when needed and never\nreaches this shell. Signals are passed on; the exit status is the program's.\n\nExamples:\n  places-setup exec -- ./sync-pois.sh --dry-run\n  places-setup exec --min-valid 3h -- ./import-all.sh\n  places-setup --profile prod exec -- python3 import.py\n  places-setup exec -- sh -c 'curl -H \"x-api-key: $PLACES_API_KEY\" \\\n      -H \"Authorization: Bearer $PLACES_ACCESS_TOKEN\" \\\n      -H \"x-gw-ims-org-id: $PLACES_ORG_ID\" \"$URL/libraries\"'"
    )]
    Exec(ExecArgs),
    /// Call the Places API with the token, API key and org ID (like `gh api`)
    #[command(
        after_help = "PATH is relative to the Places API base URL. The body is printed as it came,\nor as indented JSON at a terminal; an HTTP error exits 1 with the gateway's\ncode, message and request ID. A refused cached token (401013) is renewed once.\n--paginate stops at a page already fetched, and after --max-pages pages or\n--max-mib MiB in all.\n\nExamples:\n  places-setup api /libraries\n  places-setup api /libraries -d '{\"name\": \"Stores\"}'\n  places-setup api /libraries/LIBRARY_ID -X DELETE\n  places-setup api '/libraries/LIBRARY_ID/pois?limit=100' --paginate\n  places-setup api /libraries -X POST -d @library.json"
    )]
    Api(ApiArgs),
    /// Check everything between this machine and a working token, with a fix for each problem
    #[command(
        after_help = "Checks, in order: the config folder and files; the profile's secrets; the key\nand certificate (JWT); the clock against IMS's Date header (warns past 60 s,\nfails past 5 min); the proxy in effect for IMS and Places; the CA store and\nIMS's certificate; IMS reachable; the token (cached, or a new one with\n--exchange); the Places API accepting it. Exits 1 when a check fails, 2 when\nthe profile named does not exist.\n\nExamples:\n  places-setup doctor\n  places-setup --profile prod doctor --exchange\n  places-setup doctor --json | jq '.checks[] | select(.verdict != \"pass\")'"
    )]
    Doctor(DoctorArgs),
    /// Serve an offline stand-in for Adobe IMS and the Places API on loopback until stopped
    #[command(
        after_help = "At a terminal: where it listens, the made-up IDs and secret of its OAuth\ncredential and JWT integration, how to point places-setup at it, then a line\nper request. Otherwise (or with --json): one JSON line with the same. Ctrl-C\nstops it.\n\nExamples:\n  places-setup emulator --port 8080\n  printf %s p8e-DEMO-not-a-real-secret |\n    places-setup --ims-url http://127.0.0.1:8080 --profile offline \\\n      init --auth oauth --org-id DE40DE40DE40DE40DE40DE40@AdobeOrg \\\n      --client-id 0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a \\\n      --scopes openid,AdobeID,read_organizations --client-secret-stdin\n  places-setup --profile offline api /libraries"
    )]
    Emulator(EmulatorArgs),
    /// Print a shell completion script
    #[command(
        after_help = "Examples:\n  places-setup completions bash > ~/.local/share/bash-completion/completions/places-setup\n  places-setup completions zsh > \"${fpath[1]}/_places-setup\"\n  places-setup completions fish > ~/.config/fish/completions/places-setup.fish\n\nThe script asks places-setup itself for completions, so --profile completes the\nsaved profiles."
    )]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `places-setup man | man -l -`
    #[command(
        after_help = "Examples:\n  places-setup man | man -l -\n  places-setup man --dir ~/.local/share/man/man1   (then: man places-setup-api)"
    )]
    Man(ManArgs),
    /// Print this message or the help of the given command
    Help(HelpArgs),
    /// Holds the desktop clipboard for a copied token after places-setup exits (internal)
    #[command(hide = true, name = "clipboard-holder")]
    ClipboardHolder,
}

#[derive(Debug, Args)]
pub struct HelpArgs {
    /// The command, and its subcommand (e.g. `profile use`)
    #[arg(value_name = "COMMAND")]
    pub command: Vec<String>,
}

#[derive(Debug, Args)]
pub struct EmulatorArgs {
    /// Port on 127.0.0.1 [default: a free one]
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,
    /// Certificates to upload to the emulator's JWT integration (NAME_public.crt), one or more
    #[arg(long = "certificate", value_name = "PATH", num_args = 1..)]
    pub certificates: Vec<PathBuf>,
    /// Serve HTTPS with a certificate from a throw-away CA made at start, shown (in the JSON line:
    /// ca_certificate, PEM) for clients to trust, e.g. through SSL_CERT_FILE
    #[arg(long)]
    pub tls: bool,
    /// The JWT integration starts converted to OAuth Server-to-Server, as Adobe converted every
    /// JWT credential: its JWT exchange is refused and `places-setup migrate` can be tried
    #[arg(long)]
    pub jwt_converted: bool,
    /// Print one JSON line instead of the text for a person (the default when standard output is
    /// not a terminal)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// One line per profile: name, auth, cached token; the default marked with *
    List(JsonArgs),
    /// Make NAME the profile used when neither --profile nor PLACES_SETUP_PROFILE is given
    Use {
        /// A saved profile (see `profile list`)
        #[arg(value_name = "NAME", add = clap_complete::ArgValueCandidates::new(saved_profiles))]
        name: String,
    },
    /// Remove a profile, its secrets and its cached token (key files only with --delete-keys)
    Remove(RemoveArgs),
    /// Print this message or the help of the given subcommand
    Help(HelpArgs),
    /// Change a saved profile's IMS URL, Places URL, scopes or metascopes in place
    #[command(
        after_help = "Each value is checked as init checks it, and the profile is saved all at once or\nnot at all. A new IMS URL, scopes or metascopes drop the cached token (it was\nminted for the old ones); a new Places URL keeps it.\n\nExamples:\n  places-setup profile set --scopes openid,AdobeID,read_organizations\n  places-setup profile set staging --ims-url https://ims-na1-stg1.adobelogin.com\n  places-setup profile set --places-url https://api-places.adobe.io/places/placesapi/v1\n  places-setup profile set prod --json --metascopes ent_places_sdk"
    )]
    Set(SetArgs),
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// The profile to change [default: the one in use]
    #[arg(value_name = "NAME", add = clap_complete::ArgValueCandidates::new(saved_profiles))]
    pub name: Option<String>,
    /// The Places Service REST API base URL (Adobe's is kept as the default)
    #[arg(long, value_name = "URL")]
    pub places_url: Option<String>,
    /// OAuth Server-to-Server scopes, comma-separated, as on the credential's Scopes tab
    #[arg(long, value_name = "LIST")]
    pub scopes: Option<String>,
    /// Service Account (JWT) metascopes, comma-separated (e.g. ent_places_sdk)
    #[arg(long, value_name = "LIST")]
    pub metascopes: Option<String>,
    /// Print what changed as JSON
    #[arg(long)]
    pub json: bool,
    /// The global --ims-url, when typed on this command line (PLACES_SETUP_IMS_URL changes no
    /// saved profile)
    #[arg(skip)]
    pub ims_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The profile to remove
    #[arg(value_name = "NAME", add = clap_complete::ArgValueCandidates::new(saved_profiles))]
    pub name: String,
    /// Also delete the private key and certificate files (unless another profile uses them)
    #[arg(long)]
    pub delete_keys: bool,
    /// Do not ask; needed when not at a terminal
    #[arg(long, short)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct ExecArgs {
    /// The program and its arguments
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "CMD"
    )]
    pub command: Vec<std::ffi::OsString>,
    #[command(flatten)]
    pub min_valid: MinValidArgs,
}

#[derive(Debug, Args)]
pub struct ApiArgs {
    /// The path under the Places API base URL, e.g. /libraries
    #[arg(value_name = "PATH")]
    pub path: String,
    /// HTTP method [default: GET, or POST with --data]
    #[arg(short = 'X', long, value_name = "METHOD")]
    pub method: Option<String>,
    /// JSON body; @FILE reads it from a file, @- from standard input
    #[arg(short = 'd', long, value_name = "JSON")]
    pub data: Option<String>,
    /// Follow `_links.next` and print every page (GET of a paged list)
    #[arg(long)]
    pub paginate: bool,
    /// With --paginate: the most pages followed
    #[arg(long, value_name = "N", default_value_t = crate::places::PageLimits::DEFAULT_MAX_PAGES, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_pages: u32,
    /// With --paginate: the most mebibytes read, all pages together
    #[arg(long, value_name = "N", default_value_t = crate::places::PageLimits::DEFAULT_MAX_MIB, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_mib: u64,
    #[command(flatten)]
    pub places: PlacesArgs,
    #[command(flatten)]
    pub min_valid: MinValidArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write places-setup.1 and a page per command (places-setup-api.1 …) into DIR instead
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The saved profiles, for shell completion of --profile; nothing when none can be read.
fn saved_profiles() -> Vec<clap_complete::CompletionCandidate> {
    let dir = std::env::var_os("PLACES_SETUP_CONFIG_DIR")
        .map(PathBuf::from)
        .or_else(|| crate::store::Store::default_dir().ok());
    dir.and_then(|d| crate::store::Store::new(d).load().ok())
        .map(|c| {
            c.profiles
                .iter()
                .map(|(name, p)| {
                    clap_complete::CompletionCandidate::new(name.as_str())
                        .help(Some(p.auth().describe().into()))
                })
                .collect()
        })
        .unwrap_or_default()
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

/// `--auth`: the command line's names for `store::Auth`, with their help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthArg {
    /// Service Account (JWT): a signed JWT exchanged at /ims/exchange/jwt (retired by Adobe).
    Jwt,
    /// OAuth Server-to-Server: client credentials at /ims/token/v3.
    Oauth,
}

impl From<AuthArg> for Auth {
    fn from(arg: AuthArg) -> Auth {
        match arg {
            AuthArg::Jwt => Auth::Jwt,
            AuthArg::Oauth => Auth::Oauth,
        }
    }
}

/// `--store`: the command line's names for `store::SecretStore`, with their help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StoreArg {
    /// The operating system's keyring: Secret Service (Linux), Keychain (macOS), Credential Manager (Windows).
    Keyring,
    /// 0600 files in a 0700 folder beside config.toml.
    File,
}

impl From<StoreArg> for SecretStore {
    fn from(arg: StoreArg) -> SecretStore {
        match arg {
            StoreArg::Keyring => SecretStore::Keyring,
            StoreArg::File => SecretStore::File,
        }
    }
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// OAuth Server-to-Server, or Service Account (JWT) as in the original guide (retired by Adobe)
    #[arg(long, value_enum)]
    pub auth: Option<AuthArg>,
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
    /// The project JSON downloaded from the Developer Console (`-` reads standard input): org ID,
    /// client ID, client secret and scopes of its OAuth Server-to-Server credential
    #[arg(long, value_name = "FILE", conflicts_with_all = ["auth", "org_id", "client_id", "technical_account_id", "private_key", "certificate", "metascopes", "scopes", "client_secret_stdin"])]
    pub console_json: Option<PathBuf>,
    /// Which OAuth Server-to-Server credential of --console-json, by name, when it holds several
    #[arg(long, value_name = "NAME", requires = "console_json")]
    pub credential: Option<String>,
    /// The Places API base URL to remember, when it is not Adobe's [default: the emulator's beside a
    /// loopback --ims-url, else Adobe's]
    #[arg(long, env = "PLACES_SETUP_PLACES_URL", value_name = "URL")]
    pub places_url: Option<String>,
    /// Read the client secret from standard input (else PLACES_SETUP_CLIENT_SECRET, else the saved one, else a prompt)
    #[arg(long)]
    pub client_secret_stdin: bool,
    /// Where the client secret and key passphrase are kept: the system keyring or 0600 files
    /// [default: the profile's; for a new profile the keyring if one answers within 3 seconds, else file]
    #[arg(long, value_enum, env = "PLACES_SETUP_STORE", value_name = "STORE")]
    pub store: Option<StoreArg>,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// Scopes, comma-separated, as on the converted credential's Scopes tab (asked when omitted at a terminal)
    #[arg(long, value_name = "LIST")]
    pub scopes: Option<String>,
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// Exchange a new token even if the cached one is still good
    #[arg(long)]
    pub force: bool,
    /// Also copy the token to the clipboard
    #[arg(long, conflicts_with = "claims")]
    pub copy: bool,
    /// Show what the token says (issued, expires, client ID, scopes, user, org, type), not the token
    #[arg(long)]
    pub claims: bool,
    /// Revoke the cached token at IMS and forget it (as Adobe's aio-lib-ims invalidates tokens)
    #[arg(long, conflicts_with_all = ["force", "copy", "claims", "json", "min_valid"])]
    pub revoke: bool,
    /// Print profile, token type, token, expiry and source as JSON
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub min_valid: MinValidArgs,
}

#[derive(Debug, Args, Default)]
pub struct MinValidArgs {
    /// Exchange a new token unless the cached one lasts at least this long (90s, 30m, 2h, 1h30m; at most 24h) [default: 10m]
    #[arg(long, value_name = "DURATION", value_parser = min_valid)]
    pub min_valid: Option<std::time::Duration>,
}

/// `--min-valid`'s value, checked as the session checks it; clap names the flag and the value.
fn min_valid(text: &str) -> Result<std::time::Duration, String> {
    crate::session::parse_min_valid(text).map_err(|e| match e.hint {
        Some(hint) => format!("{}; {hint}", e.message),
        None => e.message,
    })
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Ask IMS for a new token (and cache it) rather than looking at the cached one
    #[arg(long)]
    pub exchange: bool,
    /// Print the checks as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct JsonArgs {
    /// Print as JSON
    #[arg(long)]
    pub json: bool,
}

/// `env --format`: the syntax the variables are written in. A new one is a variant here and an
/// arm in `commands::env`, which the compiler asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellFormat {
    /// POSIX sh: export NAME='value'
    Sh,
    /// bash: as sh
    Bash,
    /// zsh: as sh
    Zsh,
    /// fish: set -gx NAME 'value'
    Fish,
    /// PowerShell: $env:NAME = 'value'
    Powershell,
    /// A .env file: NAME=value, one a line (Docker Compose, python-dotenv, systemd)
    Dotenv,
    /// One JSON object
    Json,
    /// GitHub Actions: mask the token, append to $GITHUB_ENV
    Github,
    /// GitLab CI: lines for an artifacts:reports:dotenv file
    Gitlab,
}

#[derive(Debug, Args)]
pub struct EnvArgs {
    /// Output syntax
    #[arg(long, value_enum, default_value = "sh", value_name = "FORMAT")]
    pub format: ShellFormat,
    /// With --format github: the file to append to (GitHub Actions sets GITHUB_ENV in each step)
    #[arg(long, env = "GITHUB_ENV", value_name = "FILE")]
    pub github_env: Option<PathBuf>,
    #[command(flatten)]
    pub min_valid: MinValidArgs,
}

#[derive(Debug, Args)]
pub struct PlacesArgs {
    /// Places Service REST API base URL [default: the profile's, else
    /// https://api-places.adobe.io/places/placesapi/v1]
    #[arg(long, env = "PLACES_SETUP_PLACES_URL", value_name = "URL")]
    pub places_url: Option<String>,
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
        command().debug_assert();
    }

    #[test]
    fn the_help_names_the_config_folder_the_code_chooses() {
        let help = Cli::command()
            .get_arguments()
            .find(|a| a.get_id() == "config_dir")
            .and_then(|a| a.get_help().map(|h| h.to_string()))
            .unwrap_or_default();
        let shown = crate::platform::paths::config_dir_shown(crate::platform::Os::CURRENT);
        assert!(help.contains(&format!("[default: {shown}]")), "{help}");
    }

    #[test]
    fn the_config_dir_flag_is_told_from_the_variable() {
        for (args, from_flag) in [
            (&["p", "demo"][..], false),
            (&["p", "--config-dir", "x", "demo"][..], true),
            (&["p", "demo", "--config-dir", "x"][..], true),
        ] {
            let cli = Cli::parse_from_args(args);
            assert_eq!(cli.config_dir_from_flag, from_flag, "{args:?}");
        }
    }
}
