//! The command line: argument definitions and one function per command.
//! Each command returns `anyhow::Result`; `main` prints the error as one line and
//! exits with its code (`Failure`, or 1).

pub mod attendance;
pub mod audit_export;
pub mod commands;
pub mod leads;
pub mod out;
pub mod password;

use crate::domain::permissions::Roles;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The exit codes scripts can rely on (the README lists them). clap exits 2 on a
/// usage error itself.
pub mod exit {
    pub const OK: u8 = 0;
    pub const ERROR: u8 = 1;
    pub const USAGE: u8 = 2;
    /// `audit verify` (and `audit checkpoint`) found the chain broken.
    pub const AUDIT_BROKEN: u8 = 3;
    /// An import's file has bad rows (`--dry-run`, or without `--skip-bad`).
    pub const BAD_ROWS: u8 = 4;
}

/// A failure with an exit code of its own; any other error exits 1.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn with_code(code: u8, message: impl Into<String>) -> anyhow::Error {
        anyhow::Error::new(Failure { code, message: message.into() })
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// `--roles`: a comma-separated list, checked before anything runs.
fn roles_arg(s: &str) -> Result<Roles, String> {
    Roles::parse_list(s).map_err(|e| e.to_string())
}

/// The shells `staffroom completions` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

const EXAMPLES: &str = "Examples:
  staffroom demo                         open the demo (its database is made on first run)
  staffroom init --email ana@academy.example --name \"Ana Diaz\"
  staffroom                              open the app on the configured database
  staffroom --database-url postgres://app@db.internal/staffroom?sslmode=verify-full audit verify
  staffroom completions bash > ~/.local/share/bash-completion/completions/staffroom
  staffroom man | man -l -

Exit codes: 0 ok, 1 error, 2 usage, 3 audit chain broken, 4 bad input rows.";

#[derive(Debug, Parser)]
#[command(name = "staffroom", version, about = "The terminal back office of a training academy", after_help = EXAMPLES)]
pub struct Cli {
    /// Database to use: sqlite://PATH, sqlite::memory: or postgres://USER@HOST/DB
    #[arg(long, global = true, env = "STAFFROOM_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,

    /// Configuration file laid over the defaults (default: see `staffroom config path`)
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Log level for the log file (error, warn, info, debug, trace, or a filter such
    /// as `staffroom=debug,sqlx=warn`); STAFFROOM_LOG sets it too
    #[arg(long, global = true, env = "STAFFROOM_LOG", default_value = "info", value_name = "LEVEL")]
    pub log_level: String,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create (first run) or reuse a demo database full of realistic data
    #[command(
        after_help = "Examples:\n  staffroom demo\n  staffroom demo --as instructor\n  staffroom demo --large --no-open\n  staffroom demo --reset --yes"
    )]
    Demo(DemoArgs),
    /// Create the database and its first admin (password from STAFFROOM_ADMIN_PASSWORD or a prompt)
    #[command(
        after_help = "Example:\n  staffroom --database-url sqlite:///srv/academy/staffroom.db init --email ana@academy.example --name \"Ana Diaz\""
    )]
    Init(InitArgs),
    /// Apply pending schema migrations and exit
    #[command(after_help = "Example:\n  staffroom --database-url postgres://owner@db.internal/staffroom migrate")]
    Migrate,
    /// Print a completion script for a shell
    #[command(
        after_help = "Examples:\n  staffroom completions bash > ~/.local/share/bash-completion/completions/staffroom\n  staffroom completions zsh > ~/.zfunc/_staffroom\n  staffroom completions fish > ~/.config/fish/completions/staffroom.fish"
    )]
    Completions {
        /// The shell to complete in
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the manual page (roff)
    #[command(
        after_help = "Examples:\n  staffroom man | man -l -\n  staffroom man > /usr/local/share/man/man1/staffroom.1"
    )]
    Man,
    /// Manage user accounts
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The audit trail
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Import records from a file
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Export records to a file or stdout
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Publish the approved posts whose publish time has come (for cron)
    #[command(after_help = "Example (crontab, every five minutes):\n  */5 * * * * staffroom publish-due")]
    PublishDue,
    /// PostgreSQL roles: who may connect and what they may do
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Show where the configuration lives and what is in force
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Also generate 100,000 leads and 1,000,000 audit rows (for trying speed)
    #[arg(long)]
    pub large: bool,
    /// Throw the demo database away and generate it again (says what it deletes and asks)
    #[arg(long)]
    pub reset: bool,
    /// Answer yes to --reset's question (needed when standard input is not a terminal)
    #[arg(long, requires = "reset")]
    pub yes: bool,
    /// Prepare the database and print what it holds, without opening the app
    #[arg(long)]
    pub no_open: bool,
    /// Open already logged in as this demo user
    #[arg(long = "as", value_name = "ROLE", value_parser = ["admin", "staff", "instructor", "viewer"])]
    pub as_role: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Email of the first admin
    #[arg(long, value_name = "EMAIL")]
    pub email: String,
    /// Full name of the first admin
    #[arg(long, value_name = "NAME")]
    pub name: String,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user (password from STAFFROOM_PASSWORD or a prompt)
    #[command(
        after_help = "Examples:\n  staffroom user add --email sara@academy.example --name \"Sara Nabil\" --roles staff\n  STAFFROOM_PASSWORD=... staffroom user add --email omar@academy.example --name Omar --roles admin,instructor"
    )]
    Add {
        /// Their email, which they log in with
        #[arg(long, value_name = "EMAIL")]
        email: String,
        /// Their full name, as the app shows it
        #[arg(long, value_name = "NAME")]
        name: String,
        /// Their phone number
        #[arg(long, value_name = "PHONE")]
        phone: Option<String>,
        /// Comma-separated: admin, staff, instructor (none: read-only viewer)
        #[arg(long, default_value = "", value_parser = roles_arg, value_name = "ROLE[,ROLE]")]
        roles: Roles,
        /// Create the account without a password (it cannot log in until `user passwd`)
        #[arg(long)]
        no_password: bool,
    },
    /// List users
    #[command(after_help = "Example:\n  staffroom user list")]
    List,
    /// Set a user's password (from STAFFROOM_PASSWORD or a prompt)
    #[command(after_help = "Example:\n  staffroom user passwd sara@academy.example")]
    Passwd {
        /// The user's email
        email: String,
    },
    /// Replace a user's roles
    #[command(after_help = "Example:\n  staffroom user roles sara@academy.example admin,staff")]
    Roles {
        /// The user's email
        email: String,
        /// Comma-separated: admin, staff, instructor (empty: read-only viewer)
        #[arg(value_parser = roles_arg, value_name = "ROLE[,ROLE]")]
        roles: Roles,
    },
    /// Deactivate a user: they can no longer log in; their history stays
    #[command(after_help = "Example:\n  staffroom user deactivate sara@academy.example")]
    Deactivate {
        /// The user's email
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Put LOGIN_ROLE (the role staff connect as) in the staffroom_app group: it
    /// may read and write what the app needs, and only insert and read audit rows.
    /// Run it as the owner that ran the migrations
    #[command(
        after_help = "Example:\n  staffroom --database-url postgres://owner@db.internal/staffroom db grant office_staff"
    )]
    Grant {
        /// The PostgreSQL role staff log in as
        #[arg(value_name = "LOGIN_ROLE")]
        role: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain and check it ends at its head; with --checkpoints,
    /// also that every checkpointed row is still there unchanged. Exit 0 only when
    /// intact; exit 3 when broken, with one line naming the row or checkpoint that breaks
    #[command(
        after_help = "Examples:\n  staffroom audit verify\n  staffroom audit verify --checkpoints /srv/audit/checkpoints.jsonl"
    )]
    Verify {
        /// A file written by `audit checkpoint`
        #[arg(long, value_name = "FILE")]
        checkpoints: Option<std::path::PathBuf>,
    },
    /// Append the chain's head (last id, hash, time) to a file kept outside the
    /// database (default: audit-checkpoints.jsonl in the data directory); run it
    /// from cron and keep the file somewhere the database's users cannot write
    #[command(
        after_help = "Example (crontab, nightly):\n  0 2 * * * staffroom audit checkpoint --output /srv/audit/checkpoints.jsonl"
    )]
    Checkpoint {
        /// The file to append to
        #[arg(long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the path of the user configuration file
    #[command(after_help = "Example:\n  $EDITOR \"$(staffroom config path)\"")]
    Path,
    /// Print the configuration in force (defaults + your file; passwords in URLs hidden)
    #[command(after_help = "Example:\n  staffroom --config ./office.toml config show")]
    Show,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import leads from a CSV file with a header row (name, email, phone, whatsapp,
    /// source, interest, message, budget, urgency, type; common synonyms understood).
    /// Exit 4 when the file has bad rows (with --dry-run, or without --skip-bad)
    #[command(
        after_help = "Examples:\n  staffroom import leads --dry-run web-form.csv\n  staffroom import leads --skip-bad web-form.csv"
    )]
    Leads(ImportLeadsArgs),
}

#[derive(Debug, Args)]
pub struct ImportLeadsArgs {
    /// The CSV file
    pub file: PathBuf,
    /// Check the file and report bad rows and duplicates; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Import the good rows even when some rows are bad (they are listed and left out)
    #[arg(long)]
    pub skip_bad: bool,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Export leads with the board's filters (all leads without any)
    #[command(
        after_help = "Examples:\n  staffroom export leads --status new,contacted --since 2026-11-01 -o new-leads.csv\n  staffroom export leads --assigned none --format json"
    )]
    Leads(ExportLeadsArgs),
    /// Export a cohort's attendance: one row per student, each held session, the rate
    #[command(
        after_help = "Example:\n  staffroom export attendance --cohort \"Web Development — Cohort 7\" -o cohort7.csv"
    )]
    Attendance(ExportAttendanceArgs),
    /// Export a cohort's sessions as an iCalendar (.ics) file
    #[command(after_help = "Example:\n  staffroom export calendar --cohort 7 -o cohort7.ics")]
    Calendar(ExportCalendarArgs),
    /// Export the audit trail's rows matching the filters, oldest first, read in
    /// pages (the export is itself audited)
    #[command(
        after_help = "Examples:\n  staffroom export audit --since 2026-12-01 --entity lead:42\n  staffroom export audit --actor sara@academy.example --format json -o sara.json"
    )]
    Audit(ExportAuditArgs),
}

#[derive(Debug, Args)]
pub struct ExportAuditArgs {
    /// From this day or instant on (YYYY-MM-DD or "YYYY-MM-DD HH:MM", display.time_zone)
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Before this day or instant (a day: up to its end)
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,
    /// Rows by this user (email)
    #[arg(long, value_name = "EMAIL")]
    pub actor: Option<String>,
    /// Rows of this action (create, update, publish…)
    #[arg(long, value_name = "ACTION")]
    pub action: Option<String>,
    /// Rows about this entity type, or one entity (lead:42)
    #[arg(long, value_name = "TYPE[:ID]")]
    pub entity: Option<String>,
    /// The file format
    #[arg(long, default_value = "csv", value_parser = ["csv", "json"])]
    pub format: String,
    /// Write here instead of stdout (replaced only when the export succeeds)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportCalendarArgs {
    /// The cohort: its id or its exact name
    #[arg(long, value_name = "ID|NAME")]
    pub cohort: String,
    /// First day (default: a year ago)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub from: Option<String>,
    /// Last day (default: a year from today)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub to: Option<String>,
    /// The file format
    #[arg(long, default_value = "ics", value_parser = ["ics"])]
    pub format: String,
    /// Write here instead of stdout (replaced only when the export succeeds)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportAttendanceArgs {
    /// The cohort: its id or its exact name
    #[arg(long, value_name = "ID|NAME")]
    pub cohort: String,
    /// The file format
    #[arg(long, default_value = "csv", value_parser = ["csv"])]
    pub format: String,
    /// Write here instead of stdout (replaced only when the export succeeds)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportLeadsArgs {
    /// Only these stages, comma-separated (new, contacted, qualified, proposal_sent, nurturing, closed_won, closed_lost)
    #[arg(long, value_delimiter = ',', value_name = "S[,S]")]
    pub status: Vec<String>,
    /// Only leads assigned to this user, or `none` for unassigned ones
    #[arg(long, value_name = "EMAIL|none")]
    pub assigned: Option<String>,
    /// Only leads created on or after this day (UTC)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub since: Option<String>,
    /// Words that must all appear in the name, email, phone, WhatsApp or message
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Only leads from this source
    #[arg(long, value_name = "SOURCE")]
    pub source: Option<String>,
    /// Only leads with this interest
    #[arg(long, value_name = "INTEREST")]
    pub interest: Option<String>,
    /// The file format
    #[arg(long, default_value = "csv", value_parser = ["csv", "json"])]
    pub format: String,
    /// Write here instead of stdout (replaced only when the export succeeds)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}
