//! The command line: argument definitions and one function per command.
//! Each command returns `anyhow::Result`; `main` prints the error as one line.

pub mod commands;
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
    /// Throw the demo database away and generate it again
    #[arg(long)]
    pub reset: bool,
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
pub enum AuditCommand {
    /// Recompute the hash chain; exit 0 when intact, 1 naming the first broken row
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the path of the user configuration file
    Path,
    /// Print the configuration in force (defaults + your file)
    Show,
}
