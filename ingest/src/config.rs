//! Everything `pulse` can be told, with its default, in one place.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Largest request body accepted: a complete response with a 250-word story is about 3 KiB.
pub const BODY_LIMIT_BYTES: usize = 16 * 1024;

/// Largest survey definition an admin may send, to publish it, save it as a draft or preview it: the
/// default survey is about 7 KiB, and a bilingual survey of 60 questions about 70 KiB.
pub const DEFINITION_LIMIT_BYTES: usize = 256 * 1024;

/// The body limit of a request to `path`: [`DEFINITION_LIMIT_BYTES`] for the routes that take a
/// definition, else [`BODY_LIMIT_BYTES`]. The request guard and the body extractor both read it.
pub fn body_limit(path: &str) -> usize {
    if path == "/api/v1/surveys" || (path.starts_with("/api/v1/drafts/") && !path.ends_with("/publish")) {
        DEFINITION_LIMIT_BYTES
    } else {
        BODY_LIMIT_BYTES
    }
}

/// The organisation's name until `--organisation` gives it; the demo's is [`DEMO_ORGANISATION`].
pub const DEFAULT_ORGANISATION: &str = "NHS organisation";
pub const DEMO_ORGANISATION: &str = "Demo NHS Trust";

/// Seconds an answer may take to be written out after `--request-timeout`: the widget's wasm reaches a
/// reader on a 64 kbit/s line in about 40 s. A client that stops reading is cut off after this.
pub const ANSWER_WRITE_SECONDS: u64 = 50;

/// The name of the database file inside the data directory.
pub const DATABASE_FILE: &str = "pulse.redb";

/// Downloads and trends built at once; more wait their turn. Each holds a whole file in memory,
/// so this, not the number of admins asking, bounds the memory they take.
pub const HEAVY_READS_AT_ONCE: usize = 2;
/// Seconds an identity provider's clock may be behind ours when an ID token's expiry is checked.
pub const OIDC_CLOCK_LEEWAY_SECONDS: u64 = 60;
/// Seconds a dashboard session may sit unused before it ends.
pub const SESSION_IDLE_SECONDS: u64 = 30 * 60;
/// Seconds a dashboard session lasts at most, however busy.
pub const SESSION_MAX_SECONDS: u64 = 8 * 60 * 60;

/// The file of admin token hashes that older releases kept in the data directory; read once into the
/// database (as owner tokens) and renamed.
pub const ADMIN_TOKENS_FILE: &str = "admin-tokens";

#[derive(Debug, Parser)]
#[command(name = "pulse", version, about = "Values Pulse: anonymous NHS values surveys for intranet pages")]
pub struct Cli {
    /// What to do; with none, `serve` with its defaults.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the survey API (and, on first start, create the database with the default survey).
    Serve(ServeArgs),
    /// Administration.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Write a survey's suppressed results to a file (or standard output).
    Export(ExportArgs),
    /// Survey definitions.
    Survey {
        #[command(subcommand)]
        command: SurveyCommand,
    },
    /// A survey's waves, and the headcounts of each (with no server running on the data directory).
    Wave {
        #[command(subcommand)]
        command: WaveCommand,
    },
    /// Recount every counter from the stored responses and report any mismatch (exit status 1).
    /// Works on a running server too.
    Check(DataArgs),
    /// Write a consistent copy of the database to a file, while the server keeps serving.
    Backup(BackupArgs),
    /// Print the audit log of admin actions (works on a running server too).
    Audit(AuditArgs),
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Only entries from this day on (UTC, YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<pulse_shared::Date>,
    /// As CSV rather than columns.
    #[arg(long)]
    pub csv: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The file to write (a redb database: put it in place as `pulse.redb` to restore).
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
    Xlsx,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The survey id.
    #[arg(long)]
    pub survey: String,
    /// The file format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ExportFormat,
    /// The version to export; all versions combined when absent.
    #[arg(long, conflicts_with = "wave")]
    pub version: Option<u32>,
    /// The wave to export (all versions combined); all waves together when absent.
    #[arg(long)]
    pub wave: Option<String>,
    /// Where to write; standard output when absent.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The organisation's name, on the XLSX's summary sheet.
    #[arg(long, env = "PULSE_ORGANISATION", default_value = DEFAULT_ORGANISATION)]
    pub organisation: String,
}

#[derive(Debug, Subcommand)]
pub enum SurveyCommand {
    /// List the surveys with their versions and response counts.
    List(DataArgs),
    /// Publish a definition from a JSON or TOML file: a new survey, or a new version of one.
    Import {
        #[command(flatten)]
        data: DataArgs,
        /// The definition file (.json or .toml).
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum WaveCommand {
    /// List a survey's waves, whether each is upcoming, open or closed, and their headcounts.
    List {
        #[command(flatten)]
        data: DataArgs,
        /// The survey id.
        survey: String,
    },
    /// Add a wave: a named window, both days included, that may not overlap another.
    Add {
        #[command(flatten)]
        data: DataArgs,
        /// The survey id.
        survey: String,
        /// The wave's id, a slug such as 2026-q3.
        #[arg(long)]
        id: String,
        /// Its name in English.
        #[arg(long)]
        label: String,
        /// Its name in Welsh, for a survey that offers Welsh.
        #[arg(long)]
        label_cy: Option<String>,
        /// The first day, YYYY-MM-DD.
        #[arg(long)]
        opens: pulse_shared::Date,
        /// The last day, YYYY-MM-DD.
        #[arg(long)]
        closes: pulse_shared::Date,
        /// Take every response from before the survey had waves into this, its first wave.
        #[arg(long)]
        adopt: bool,
    },
    /// Rename a wave (at any time).
    Rename {
        #[command(flatten)]
        data: DataArgs,
        /// The survey id.
        survey: String,
        /// The wave id.
        wave: String,
        /// Its new name in English.
        #[arg(long)]
        label: String,
        /// Its new name in Welsh, for a survey that offers Welsh.
        #[arg(long)]
        label_cy: Option<String>,
    },
    /// Close a wave early: its new last day, no earlier than the last day a response in it arrived.
    Close {
        #[command(flatten)]
        data: DataArgs,
        /// The survey id.
        survey: String,
        /// The wave id.
        wave: String,
        /// The new last day, YYYY-MM-DD; yesterday's date closes it now.
        #[arg(long)]
        on: pulse_shared::Date,
    },
    /// Delete a wave that has not opened yet, with its headcounts.
    Delete {
        #[command(flatten)]
        data: DataArgs,
        /// The survey id.
        survey: String,
        /// The wave id.
        wave: String,
    },
    /// Record headcounts for a wave: CONTEXT=NUMBER pairs, or --file with lines context,headcount.
    Headcounts {
        #[command(flatten)]
        data: DataArgs,
        /// The survey id.
        survey: String,
        /// The wave id.
        wave: String,
        /// A CSV file of context,headcount lines.
        #[arg(long)]
        file: Option<PathBuf>,
        /// CONTEXT=NUMBER, e.g. estates=420.
        counts: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Named admin tokens for the API and scripts (work on a running server too).
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Let a person (by e-mail address) or a group (by id) sign in with a role; replaces any role
    /// they had.
    Allow {
        #[command(flatten)]
        data: DataArgs,
        #[command(flatten)]
        who: WhoArgs,
        #[arg(long, value_parser = roles())]
        role: pulse_shared::Role,
        /// For a viewer: a context whose figures they may see (repeat for more).
        #[arg(long = "context")]
        contexts: Vec<String>,
    },
    /// Stop a person or group signing in.
    Disallow {
        #[command(flatten)]
        data: DataArgs,
        #[command(flatten)]
        who: WhoArgs,
    },
    /// List who may sign in, and the named tokens.
    List(DataArgs),
}

#[derive(Debug, Clone, Args)]
#[group(required = true, multiple = false)]
pub struct WhoArgs {
    /// An e-mail address, matched against the ID token's `email` or `preferred_username`.
    #[arg(long)]
    pub email: Option<String>,
    /// A group's id, matched against the ID token's `groups` (Entra ID: the group's object id).
    #[arg(long)]
    pub group: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a named token with a role, print it once, and keep only its hash.
    Create {
        #[command(flatten)]
        data: DataArgs,
        /// A name saying whose or what it is, e.g. `finance-exports`.
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = roles())]
        role: pulse_shared::Role,
        /// For a viewer: a context whose figures it may read (repeat for more).
        #[arg(long = "context")]
        contexts: Vec<String>,
        /// The last day it works (UTC, YYYY-MM-DD); without it, until revoked.
        #[arg(long)]
        expires: Option<pulse_shared::Date>,
    },
    /// List the tokens: names, roles, expiry (never the tokens).
    List(DataArgs),
    /// Revoke a token by name, at once.
    Revoke {
        #[command(flatten)]
        data: DataArgs,
        name: String,
    },
}

#[derive(Debug, Clone, Args)]
pub struct DataArgs {
    /// Directory holding the database and the admin token hashes; created if missing.
    #[arg(long, env = "PULSE_DATA", default_value = "./pulse-data")]
    pub data: PathBuf,
}

/// A role by its name, the names listed in `--help` and in the error for any other.
fn roles() -> impl clap::builder::TypedValueParser<Value = pulse_shared::Role> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(pulse_shared::Role::ALL.map(pulse_shared::Role::name))
        .map(|name| name.parse().expect("a role by one of its listed names"))
}

/// An `--embed-origin`, exactly as a browser sends it (the rule surveys' `allowed_origins` keep).
fn origin(s: &str) -> Result<String, String> {
    pulse_shared::address::check_origin(s)
        .map(|()| s.to_string())
        .map_err(|p| format!("{s:?} {} (like https://intranet.example.nhs.uk)", p.describe()))
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Address to listen on.
    #[arg(long, env = "PULSE_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Origins (e.g. https://intranet.example.nhs.uk) whose pages may embed every survey, besides the
    /// origins each survey lists; comma-separated in the environment.
    #[arg(long = "embed-origin", env = "PULSE_EMBED_ORIGINS", value_delimiter = ',', value_parser = origin)]
    pub embed_origins: Vec<String>,
    /// The organisation's name, as the board pack's first page gives it.
    #[arg(long, env = "PULSE_ORGANISATION", default_value = DEFAULT_ORGANISATION)]
    pub organisation: String,
    /// Demo mode, to try Values Pulse out: serve the demo intranet pages (`/`, `/demo/…`) and load
    /// made-up responses into the default survey (once). Never in production: the demo pages'
    /// survey stores real answers.
    #[arg(long, env = "PULSE_DEMO")]
    pub demo: bool,
    /// Seconds a request may take before it is answered 408.
    #[arg(long, env = "PULSE_REQUEST_TIMEOUT", default_value_t = 10)]
    pub request_timeout: u64,
    /// Seconds a new connection may take to send its first request line and headers; a slower one
    /// is closed, whether it sends nothing or trickles a byte at a time.
    #[arg(long, env = "PULSE_HEADER_TIMEOUT", default_value_t = 10)]
    pub header_timeout: u64,
    /// Seconds a kept-alive connection may wait between a response and the next request's headers.
    #[arg(long, env = "PULSE_KEEP_ALIVE_TIMEOUT", default_value_t = 20)]
    pub keep_alive_timeout: u64,
    /// Connections open at once, and never more than the open-file limit less 64 (read at start and
    /// logged). At the cap a new connection closes the oldest idle one.
    #[arg(long, env = "PULSE_MAX_CONNECTIONS", default_value_t = 4096)]
    pub max_connections: usize,
    /// Requests handled at once; more are answered 503 with Retry-After.
    #[arg(long, env = "PULSE_MAX_CONCURRENT", default_value_t = 1024)]
    pub max_concurrent: usize,
    /// Requests a minute from one client address (0: no limit); more are answered 429 with
    /// Retry-After. Generous by default, because a whole hospital may reach the server through one
    /// proxy address. Held in memory only, keyed by a hash of the address; never stored or logged.
    #[arg(long, env = "PULSE_RATE_LIMIT", default_value_t = 1200)]
    pub rate_limit: u32,
    /// Behind a reverse proxy (which terminates TLS), the header in which the proxy names the client,
    /// e.g. `X-Forwarded-For` or `X-Real-IP`: the rate limit keys on its last address instead of the
    /// proxy's. Set it only when clients can reach the server through the proxy alone.
    #[arg(long, env = "PULSE_CLIENT_ADDRESS_HEADER")]
    pub client_address_header: Option<axum::http::HeaderName>,
    /// Requests one address may send at once before the per-minute rate applies.
    #[arg(long, env = "PULSE_RATE_BURST", default_value_t = 200)]
    pub rate_burst: u32,
    /// Sign admins in with this OpenID Connect issuer, e.g.
    /// https://login.microsoftonline.com/TENANT-ID/v2.0 for Microsoft Entra ID.
    #[arg(long, env = "PULSE_OIDC_ISSUER", requires_all = ["oidc_client_id", "oidc_redirect_url"])]
    pub oidc_issuer: Option<String>,
    /// The client (application) id registered with the issuer.
    #[arg(long, env = "PULSE_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,
    /// A file holding the client secret. The secret is never a flag, so it does not show in `ps`;
    /// it may instead be in the environment variable PULSE_OIDC_CLIENT_SECRET.
    #[arg(long, env = "PULSE_OIDC_CLIENT_SECRET_FILE")]
    pub oidc_client_secret_file: Option<PathBuf>,
    /// Where the issuer sends admins back: this server's public address with /auth/callback, e.g.
    /// https://pulse.example.nhs.uk/auth/callback.
    #[arg(long, env = "PULSE_OIDC_REDIRECT_URL")]
    pub oidc_redirect_url: Option<String>,
    /// Seconds the identity provider's clock may be off from this server's when its ID token's
    /// expiry is checked.
    #[arg(long, env = "PULSE_OIDC_CLOCK_LEEWAY", default_value_t = OIDC_CLOCK_LEEWAY_SECONDS)]
    pub oidc_clock_leeway: u64,
    /// An audience besides the client id that an ID token may name (some providers add an API's
    /// id); the token must then name this client as its `azp`. Repeat, or comma-separate.
    #[arg(long = "oidc-extra-audience", env = "PULSE_OIDC_EXTRA_AUDIENCES", value_delimiter = ',')]
    pub oidc_extra_audiences: Vec<String>,
    /// Whether the ID token's `preferred_username` is an address the allowlist may match. On by
    /// default for Microsoft Entra ID only, where it is the account's UPN, set by the organisation;
    /// on other providers it may be a name the account holder chose (see ADMIN.md).
    #[arg(long, env = "PULSE_OIDC_TRUST_USERNAME")]
    pub oidc_trust_username: Option<bool>,
    /// Seconds a dashboard session may sit unused before it ends.
    #[arg(long, env = "PULSE_SESSION_IDLE", default_value_t = SESSION_IDLE_SECONDS)]
    pub session_idle: u64,
    /// Seconds a dashboard session lasts at most.
    #[arg(long, env = "PULSE_SESSION_MAX", default_value_t = SESSION_MAX_SECONDS)]
    pub session_max: u64,
}

/// Parses just the serve options, so a bare `pulse` serves with the defaults and environment.
#[derive(Debug, Parser)]
struct ServeOnly {
    #[command(flatten)]
    args: ServeArgs,
}

impl ServeArgs {
    /// The serve options from the environment and defaults alone.
    pub fn from_env() -> ServeArgs {
        ServeOnly::parse_from(["pulse"]).args
    }
}
