//! One function per CLI command. Everything a command prints goes through the
//! `Printer` it is given (`super::out`), which keeps database text inert.

use super::out::Printer;
use super::password::read_new_password;
use super::{
    AuditCommand, Cli, Command, ConfigCommand, DbCommand, DemoArgs, ExportCommand, ImportCommand, InitArgs, UserCommand,
};
use crate::config::{self, Config};
use crate::demo;
use crate::domain::permissions::Roles;
use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use staffroom_core::operator::{audit, users};
use staffroom_core::protocol::audit::{Checkpoint, Verdict};
use staffroom_core::protocol::users::NewUser;
use staffroom_core::protocol::{Access, Actor, Db, StoreError};
use std::io::{IsTerminal, Write};

/// The database URL in force: flag or STAFFROOM_DATABASE_URL, then the config file,
/// then `staffroom.db` in the data directory.
pub fn database_url(cli: &Cli, config: &Config) -> Result<String> {
    if let Some(url) = cli.database_url.as_deref().filter(|u| !u.trim().is_empty()) {
        return Ok(url.to_string());
    }
    if !config.database.url.trim().is_empty() {
        return Ok(config.database.url.clone());
    }
    Ok(format!("sqlite://{}", config::data_dir()?.join("staffroom.db").display()))
}

/// Opens the database in force as `access` allows: only `init`, `migrate` and `demo`
/// create one, and commands that only read open it read-only.
async fn open(cli: &Cli, config: &Config, access: Access) -> Result<Db> {
    Ok(kept(Db::open_as(&database_url(cli, config)?, access).await?))
}

/// An export is audited, so it opens the database for writing; from a file that
/// cannot be written (a read-only backup an auditor was handed) it reads, and says
/// that this export goes unrecorded. Returns the database and whether to record.
async fn open_for_export(cli: &Cli, config: &Config) -> Result<(Db, bool)> {
    let url = database_url(cli, config)?;
    if staffroom_core::protocol::sqlite_file_read_only(&url) {
        let db = kept(Db::open_as(&url, Access::ReadOnly).await?);
        eprintln!(
            "note: {} is read-only, so this export is not recorded in its audit trail",
            crate::text::inert(&staffroom_core::protocol::redact(&url))
        );
        return Ok((db, false));
    }
    Ok((kept(Db::open_as(&url, Access::Existing).await?), true))
}

/// Every database a command opened, closed before the process exits: SQLite then
/// checkpoints its write-ahead log into the file, so the file alone is the whole
/// database (a copy of it is a complete backup) and no `-wal` is left beside it.
static OPENED: std::sync::Mutex<Vec<Db>> = std::sync::Mutex::new(Vec::new());

fn kept(db: Db) -> Db {
    if let Ok(mut list) = OPENED.lock() {
        list.push(db.clone());
    }
    db
}

/// Runs a command, printing to standard output.
pub async fn run(cli: Cli) -> Result<()> {
    let mut out = Printer::stdout();
    let result = run_to(cli, &mut out).await;
    let opened = OPENED.lock().map(|mut l| std::mem::take(&mut *l)).unwrap_or_default();
    for db in opened {
        db.checkpoint().await;
        db.close().await;
    }
    out.flush()?;
    result
}

/// The layered configuration, its `[keys]` tables checked too: `config show` and
/// every command refuse what the app would.
fn load_config(cli: &Cli) -> Result<Config> {
    let config = Config::load(cli.config.as_deref())?;
    // Errors say where in the user's file the binding or colour is
    // (`config.toml:12: keys.pipeline.move_forward: …`).
    if let Err(e) = crate::ui::keymap::Keymap::from_config(&config.keys) {
        bail!("{}", config.origin.place(&e));
    }
    // A theme is checked here too (a theme file's errors name it and their line),
    // so `staffroom config show` finds a broken one before the app would.
    if let Err(e) = crate::ui::theme::Theme::from_config(&config, false) {
        bail!("{}", config.origin.place(&e));
    }
    Ok(config)
}

/// Runs a command, printing through `out`.
pub async fn run_to(cli: Cli, out: &mut Printer<impl Write + Send>) -> Result<()> {
    // Completions and the manual describe the command line itself: no configuration
    // (a broken one included) stands in their way.
    let config = match &cli.command {
        Some(Command::Completions { shell }) => return completions(*shell, out),
        Some(Command::Man) => return manual(out),
        _ => load_config(&cli)?,
    };
    staffroom_core::protocol::log_statements_slower_than(config.database.slow_query_ms);
    // Checked when the configuration loaded.
    if let Ok(region) = crate::domain::contact::phone_region(&config.display.phone_region) {
        crate::domain::contact::set_phone_region(region);
    }
    for warning in private_warnings(&cli, &config) {
        tracing::warn!("{warning}");
        // For a person at a terminal; a script's stderr stays the one line of its
        // outcome (the log keeps the warning for cron's owner).
        if std::io::stderr().is_terminal() {
            eprintln!("staffroom: {}", crate::text::inert(&warning));
        }
    }
    match &cli.command {
        // Answered above, before the configuration.
        Some(Command::Completions { .. } | Command::Man) => Ok(()),
        None => {
            let url = database_url(&cli, &config)?;
            // Opened behind the login screen's first frame.
            let open = async {
                let db = kept(Db::open_as(&url, Access::Existing).await?);
                if users::count(&db).await? == 0 {
                    bail!(
                        "{} has no users yet: run `staffroom init` first (or try `staffroom demo`)",
                        staffroom_core::protocol::redact(&url)
                    );
                }
                Ok(db)
            };
            crate::ui::run::run(open, &config, crate::ui::run::Start::Login).await
        }
        Some(Command::Demo(args)) => run_demo(&cli, &config, args, out).await,
        Some(Command::Init(args)) => run_init(&cli, &config, args, out).await,
        Some(Command::Migrate) => {
            let url = database_url(&cli, &config)?;
            let db = kept(Db::open(&url).await?);
            out.line(format!("schema of {} is up to date", staffroom_core::protocol::redact(&url)))?;
            if let Some(said) = staffroom_core::operator::data_fixes::phones_report(&db).await? {
                out.line(format!("phone numbers: {said}"))?;
            }
            Ok(())
        }
        Some(Command::User { command }) => run_user(&cli, &config, command, out).await,
        Some(Command::Db { command: DbCommand::Grant { role } }) => {
            let url = database_url(&cli, &config)?;
            if url.trim().starts_with("sqlite:") {
                // Said before opening: a SQLite path is not even looked at.
                bail!("only PostgreSQL has roles; a SQLite database is guarded by its file's permissions");
            }
            let db = kept(Db::open_as(&url, Access::Existing).await?);
            db.grant_app_role(role).await?;
            out.line(format!("{role} is in staffroom_app: it reads and writes the app's tables, and only inserts and reads audit rows"))?;
            Ok(())
        }
        Some(Command::Audit { command: AuditCommand::Verify { checkpoints } }) => {
            run_verify(&cli, &config, checkpoints.as_deref(), out).await
        }
        Some(Command::Audit { command: AuditCommand::Checkpoint { output } }) => {
            run_checkpoint(&cli, &config, output.as_deref(), out).await
        }
        Some(Command::Import { command: ImportCommand::Leads(args) }) => {
            let db = open(&cli, &config, Access::Existing).await?;
            super::leads::import(&db, args, out).await
        }
        Some(Command::Export { command: ExportCommand::Leads(args) }) => {
            let (db, audited) = open_for_export(&cli, &config).await?;
            super::leads::export(&db, args, audited, out).await
        }
        Some(Command::Export { command: ExportCommand::Calendar(args) }) => {
            let db = open(&cli, &config, Access::ReadOnly).await?;
            super::attendance::export_calendar(&db, &config, args, out).await
        }
        Some(Command::Export { command: ExportCommand::Audit(args) }) => {
            let (db, audited) = open_for_export(&cli, &config).await?;
            super::audit_export::export(&db, &config, args, audited, out).await
        }
        Some(Command::Export { command: ExportCommand::Attendance(args) }) => {
            let (db, audited) = open_for_export(&cli, &config).await?;
            super::attendance::export(&db, &config, args, audited, out).await
        }
        Some(Command::PublishDue) => {
            let db = open(&cli, &config, Access::Existing).await?;
            // The scheduler's own request, through the backend's gate as the system.
            let settings = crate::backend::Settings::from_config(&config, false);
            let backend = crate::backend::Backend::new(db, settings, staffroom_core::protocol::remote_from_env());
            let titles = match backend
                .handle_as_system(crate::backend::Request::Posts(crate::backend::PostRequest::PublishDue))
                .await?
            {
                crate::backend::Reply::Posts(crate::backend::PostReply::PublishedDue(titles)) => titles,
                _ => Vec::new(),
            };
            match titles.as_slice() {
                [] => out.line("no post is due")?,
                list => {
                    let names: Vec<String> = list.iter().map(|t| format!("\"{}\"", crate::text::inert(t))).collect();
                    out.line(format!("published {} post(s): {}", list.len(), names.join(", ")))?
                }
            }
            Ok(())
        }
        Some(Command::Config { command }) => {
            match command {
                ConfigCommand::Path => match config::user_config_path(cli.config.as_deref()) {
                    Some(p) => {
                        let state = if p.exists() { "exists" } else { "not created yet; defaults apply" };
                        out.line(format!("{} ({state})", p.display()))?;
                    }
                    None => bail!("no home directory, so no user configuration file"),
                },
                ConfigCommand::Show => {
                    // A URL's password is not for the screen (or a pasted support ticket).
                    let mut shown = config.clone();
                    shown.database.url = staffroom_core::protocol::redact(&shown.database.url);
                    let mut data = out.data();
                    data.write_all(shown.to_toml().as_bytes())?;
                    data.flush()?;
                }
            }
            Ok(())
        }
    }
}

async fn run_init(cli: &Cli, config: &Config, args: &InitArgs, out: &mut Printer<impl Write + Send>) -> Result<()> {
    let url = database_url(cli, config)?;
    let db = kept(Db::open(&url).await?);
    if users::count(&db).await? > 0 {
        bail!("{} already has users; add more with `staffroom user add`", staffroom_core::protocol::redact(&url));
    }
    let password = read_new_password("STAFFROOM_ADMIN_PASSWORD", "Password for the first admin")?;
    let new = NewUser {
        email: Some(args.email.clone()),
        full_name: args.name.clone(),
        password: Some(password),
        roles: Roles::ADMIN,
        ..NewUser::default()
    };
    let user = users::create(&db, &Actor::cli(), new).await?;
    out.line(format!(
        "initialised {}: admin {} <{}>",
        staffroom_core::protocol::redact(&url),
        user.full_name,
        user.email.unwrap_or_default()
    ))?;
    Ok(())
}

async fn run_user(
    cli: &Cli,
    config: &Config,
    command: &UserCommand,
    out: &mut Printer<impl Write + Send>,
) -> Result<()> {
    let access = if matches!(command, UserCommand::List) { Access::ReadOnly } else { Access::Existing };
    let db = open(cli, config, access).await?;
    let actor = Actor::cli();
    match command {
        UserCommand::Add { email, name, phone, roles, no_password } => {
            let roles = *roles;
            let password = if *no_password { None } else { Some(read_new_password("STAFFROOM_PASSWORD", "Password")?) };
            let new =
                NewUser { email: Some(email.clone()), phone: phone.clone(), full_name: name.clone(), password, roles };
            let u = users::create(&db, &actor, new).await?;
            out.line(format!(
                "added user #{} {} <{}> ({})",
                u.id,
                u.full_name,
                u.email.unwrap_or_default(),
                roles.label()
            ))?;
        }
        UserCommand::List => {
            out.line(format!(
                "{:>5}  {:<32} {:<28} {:<22} {:<8} last login",
                "id", "email", "name", "roles", "active"
            ))?;
            let mut after = None;
            loop {
                let page = users::list(&db, after, 200).await?;
                for u in &page.rows {
                    let last = u
                        .last_login_at
                        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                        .unwrap_or_else(|| "never".into());
                    // Sanitized before padding, so the columns count the visible symbols.
                    out.line(format!(
                        "{:>5}  {:<32} {:<28} {:<22} {:<8} {last}",
                        u.id,
                        crate::text::inert(u.email.as_deref().unwrap_or("-")),
                        crate::text::inert(&u.full_name),
                        u.roles().describe(),
                        if u.is_active { "yes" } else { "no" },
                    ))?;
                }
                match page.next {
                    Some(k) => after = Some(k),
                    None => break,
                }
            }
        }
        UserCommand::Passwd { email } => {
            let pw = read_new_password("STAFFROOM_PASSWORD", "New password")?;
            let u = users::set_password(&db, &actor, email, &pw).await?;
            out.line(format!("password changed for {}", u.full_name))?;
        }
        UserCommand::Roles { email, roles } => {
            let u = users::set_roles(&db, &actor, email, *roles).await?;
            out.line(format!("{} is now {}", u.full_name, u.roles().describe()))?;
        }
        UserCommand::Deactivate { email } => {
            let u = users::deactivate(&db, &actor, email).await?;
            out.line(format!("deactivated {}", u.full_name))?;
        }
    }
    Ok(())
}

/// What others can read of this user's staffroom files: the configuration file in
/// use, the data directory, and the SQLite database the command opens (`files`).
fn private_warnings(cli: &Cli, config: &Config) -> Vec<String> {
    let mut paths: Vec<std::path::PathBuf> = Vec::new();
    paths.extend(config::user_config_path(cli.config.as_deref()));
    let data = config::data_dir().ok();
    paths.extend(data.clone());
    let url = match (&cli.command, data) {
        (Some(Command::Demo(_)), Some(dir)) if cli.database_url.as_deref().is_none_or(|u| u.trim().is_empty()) => {
            Some(format!("sqlite://{}", dir.join("demo.db").display()))
        }
        _ => database_url(cli, config).ok(),
    };
    if let Some(db) = url.as_deref().and_then(staffroom_core::files::sqlite_path) {
        paths.extend(staffroom_core::files::with_sqlite_companions(&db));
    }
    let refs: Vec<&std::path::Path> = paths.iter().map(|p| p.as_path()).collect();
    staffroom_core::files::warnings(&refs)
}

/// The audit chain does not hold: exit 3.
fn broken(message: String) -> anyhow::Error {
    super::Failure::with_code(super::exit::AUDIT_BROKEN, message)
}

/// A completion script for `shell`, generated from the argument definitions.
fn completions(shell: super::Shell, out: &mut Printer<impl Write + Send>) -> Result<()> {
    use clap::CommandFactory;
    let shell = match shell {
        super::Shell::Bash => clap_complete::Shell::Bash,
        super::Shell::Zsh => clap_complete::Shell::Zsh,
        super::Shell::Fish => clap_complete::Shell::Fish,
    };
    // Into memory first: `generate` panics when its writer fails (`| head`).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "staffroom", &mut script);
    let mut data = out.data();
    data.write_all(&script)?;
    data.flush()?;
    Ok(())
}

/// The manual page (roff), generated from the argument definitions.
fn manual(out: &mut Printer<impl Write + Send>) -> Result<()> {
    use clap::CommandFactory;
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    let mut data = out.data();
    data.write_all(&page)?;
    data.flush()?;
    Ok(())
}

/// Reads a checkpoint file: one JSON object a line (blank lines skipped).
fn read_checkpoints(path: &std::path::Path) -> Result<Vec<Checkpoint>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str(l).with_context(|| format!("{} line {} is not a checkpoint", path.display(), n + 1))
        })
        .collect()
}

async fn run_checkpoint(
    cli: &Cli,
    config: &Config,
    output: Option<&std::path::Path>,
    out: &mut Printer<impl Write + Send>,
) -> Result<()> {
    let db = open(cli, config, Access::ReadOnly).await?;
    // A checkpoint of a broken chain would vouch for it: verify first.
    if let Verdict::Broken { id, why } = audit::verify(&db, &mut |_| {}).await? {
        return Err(broken(format!("no checkpoint written: the audit chain is broken at row #{id}: {why}")));
    }
    let Some(c) = audit::checkpoint(&db).await? else { bail!("no checkpoint written: the audit log is empty") };
    let path = match output {
        Some(p) => p.to_path_buf(),
        None => config::data_dir()?.join("audit-checkpoints.jsonl"),
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    writeln!(file, "{}", serde_json::to_string(&c)?).with_context(|| format!("cannot write {}", path.display()))?;
    file.sync_all().with_context(|| format!("cannot write {}", path.display()))?;
    out.line(format!("checkpoint: row #{} {} appended to {}", c.id, c.hash, path.display()))?;
    Ok(())
}

async fn run_verify(
    cli: &Cli,
    config: &Config,
    checkpoints: Option<&std::path::Path>,
    out: &mut Printer<impl Write + Send>,
) -> Result<()> {
    let checkpoints = checkpoints.map(read_checkpoints).transpose()?;
    let db = open(cli, config, Access::ReadOnly).await?;
    let total = audit::count(&db).await?;
    let bar = ProgressBar::new(u64::try_from(total).unwrap_or(0));
    bar.set_style(
        ProgressStyle::with_template("verifying audit chain {bar:40} {pos}/{len} rows ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let verdict = audit::verify(&db, &mut |n| bar.set_position(n)).await?;
    bar.finish_and_clear();
    let rows = match verdict {
        Verdict::Intact { rows } => rows,
        Verdict::Broken { id, why } => return Err(broken(format!("audit chain broken at row #{id}: {why}"))),
    };
    match checkpoints {
        None => out.line(format!("audit chain intact: {rows} rows verified"))?,
        Some(list) => match audit::check_checkpoints(&db, &list).await? {
            Verdict::Intact { rows: n } => {
                out.line(format!("audit chain intact: {rows} rows verified, {n} checkpoints hold"))?
            }
            Verdict::Broken { id, why } => return Err(broken(format!("audit chain broken at row #{id}: {why}"))),
        },
    }
    Ok(())
}

async fn run_demo(cli: &Cli, config: &Config, args: &DemoArgs, out: &mut Printer<impl Write + Send>) -> Result<()> {
    let url = match cli.database_url.as_deref().filter(|u| !u.trim().is_empty()) {
        Some(url) => url.to_string(),
        None => format!("sqlite://{}", config::data_dir()?.join("demo.db").display()),
    };
    if args.reset {
        let plan = match demo::plan_reset(&url).await {
            Err(StoreError::Refused { reason }) => bail!("{reason}"),
            other => other?,
        };
        if let Some(plan) = plan {
            confirm_reset(&plan, args.yes)?;
            demo::reset(&url).await?;
        }
    }
    let db = kept(Db::open(&url).await?);
    let summary = match demo::ensure(&db, args.large).await {
        Err(StoreError::Refused { reason }) => bail!("{reason}"),
        other => other.context("generating the demo data")?,
    };
    if args.no_open {
        let summary = summary.with_counts(&db).await?;
        out.line(format!("demo database: {}", staffroom_core::protocol::redact(&url)))?;
        out.text(summary.to_string())?;
        return Ok(());
    }
    let as_email = args.as_role.as_deref().map(|role| demo::demo_user(role).email);
    crate::ui::run::run(async { Ok(db) }, config, crate::ui::run::Start::Demo { as_email }).await
}

/// `demo --reset` on a database with data says what goes and asks; without a
/// terminal to ask on, only `--yes` agrees (a script never wipes by accident).
fn confirm_reset(plan: &demo::ResetPlan, yes: bool) -> Result<()> {
    use std::io::IsTerminal;
    let said = crate::text::inert(&plan.to_string());
    if yes {
        super::out::note(format!("{said}; --yes given"));
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        bail!("{said}; nothing was deleted: add --yes to confirm");
    }
    eprint!("{said}.\nDelete it and generate the demo again? [y/N] ");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).context("reading the answer")?;
    if !matches!(answer.trim().to_lowercase().as_str(), "y" | "yes") {
        bail!("nothing was deleted");
    }
    Ok(())
}
