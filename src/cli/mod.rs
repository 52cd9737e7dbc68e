//! The command line: argument definitions and one function per command.
//! Each command returns `anyhow::Result`; `main` prints the error as one line.

pub mod attendance;
pub mod audit_export;
pub mod commands;
pub mod leads;
pub mod out;
pub mod password;

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "staffroom", version, about = "The terminal back office of a training academy")]
pub struct Cli {
    /// Database to use: sqlite://PATH, sqlite::memory: or postgres://USER@HOST/DB
    #[arg(long, global = true, env = "STAFFROOM_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,

    /// Configuration file laid over the defaults (default: see `staffroom config path`)
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Log level for the log file in the data directory (error, warn, info, debug, trace)
    #[arg(long, global = true, default_value = "info", value_name = "LEVEL")]
    pub log_level: String,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create (first run) or reuse a demo database full of realistic data
    Demo(DemoArgs),
    /// Create the database and its first admin
    Init(InitArgs),
    /// Apply pending schema migrations and exit
    Migrate,
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
    #[arg(long)]
    pub email: String,
    /// Full name of the first admin
    #[arg(long)]
    pub name: String,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user (password from STAFFROOM_PASSWORD or a prompt)
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        phone: Option<String>,
        /// Comma-separated: admin, staff, instructor (none: read-only viewer)
        #[arg(long, default_value = "")]
        roles: String,
        /// Create the account without a password (it cannot log in until `user passwd`)
        #[arg(long)]
        no_password: bool,
    },
    /// List users
    List,
    /// Set a user's password (from STAFFROOM_PASSWORD or a prompt)
    Passwd { email: String },
    /// Replace a user's roles, e.g. `staffroom user roles sara@x.org admin,staff`
    Roles { email: String, roles: String },
    /// Deactivate a user: they can no longer log in; their history stays
    Deactivate { email: String },
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Put LOGIN_ROLE (the role staff connect as) in the staffroom_app group: it
    /// may read and write what the app needs, and only insert and read audit rows.
    /// Run it as the owner that ran the migrations
    Grant {
        #[arg(value_name = "LOGIN_ROLE")]
        role: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain and check it ends at its head; with --checkpoints,
    /// also that every checkpointed row is still there unchanged. Exit 0 only when
    /// intact; otherwise one line names the row or checkpoint that breaks
    Verify {
        /// A file written by `audit checkpoint`
        #[arg(long, value_name = "FILE")]
        checkpoints: Option<std::path::PathBuf>,
    },
    /// Append the chain's head (last id, hash, time) to a file kept outside the
    /// database (default: audit-checkpoints.jsonl in the data directory); run it
    /// from cron and keep the file somewhere the database's users cannot write
    Checkpoint {
        #[arg(long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the path of the user configuration file
    Path,
    /// Print the configuration in force (defaults + your file)
    Show,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import leads from a CSV file with a header row (name, email, phone, whatsapp,
    /// source, interest, message, budget, urgency, type; common synonyms understood)
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
    Leads(ExportLeadsArgs),
    /// Export a cohort's attendance: one row per student, each held session, the rate
    Attendance(ExportAttendanceArgs),
    /// Export a cohort's sessions as an iCalendar (.ics) file
    Calendar(ExportCalendarArgs),
    /// Export the audit trail's rows matching the filters, oldest first, read in
    /// pages (the export is itself audited)
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
    #[arg(long, default_value = "csv", value_parser = ["csv", "json"])]
    pub format: String,
    /// Write here instead of stdout (replaced only when the export succeeds)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}
