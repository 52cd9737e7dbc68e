//! The data layer: one `Db` over SQLite or PostgreSQL, the same SQL text for both.
//!
//! Dispatch is written once, in the `with_db!` and `with_tx!` macros: each expands its
//! body for the SQLite and the PostgreSQL arm, so a query is written once with `$n`
//! placeholders (valid on both) and `FromRow` structs decode from both. `sqlx::Any` is
//! not used because it cannot decode chrono types.
//!
//! Conventions every module here follows:
//! - every write runs in a `Tx` and writes its audit row through `audit::record` in
//!   that same transaction;
//! - every editable row carries `version`; updates say `WHERE id = $1 AND version = $2`
//!   and a miss becomes `StoreError::Conflict` naming who changed the row and when;
//! - instants come from `now()` (microseconds, UTC) and are always bound, never
//!   produced by SQL, so both backends store and compare them alike.

pub mod actor;
pub mod areas;
pub mod attendance;
pub mod audit;
pub mod audit_io;
pub mod audit_query;
pub mod board;
pub mod calendar;
pub mod calendar_ics;
pub mod cohorts;
pub mod contact_messages;
pub mod content;
pub mod dashboard;
pub mod error;
pub mod fields;
pub mod interrupt;
pub mod lead_fields;
pub mod lead_filter;
pub mod lead_io;
pub mod lead_merge;
pub mod lead_undo;
pub mod leads;
mod location;
pub use location::{redact, sqlite_file_read_only};
use location::{unavailable, wal_cannot_be_opened};
pub mod login;
pub mod moderation;
mod moderation_feedback;
pub mod page;
pub mod phones;
pub mod posts;
pub mod prefs;
pub mod records;
pub mod sessions;
pub mod user_list;
pub mod users;
mod versioned;

pub use actor::Actor;
pub use error::{Result, StoreError};

use chrono::{DateTime, SubsecRound, Utc};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

static SQLITE_MIGRATOR: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("../migrations/postgres");

tokio::task_local! {
    /// The instant `now` answers inside `at` (a test's or a benchmark's fixed clock).
    static FIXED_NOW: DateTime<Utc>;
}

/// The current instant, cut to microseconds: PostgreSQL keeps microseconds, so a value
/// written and read back is equal on both backends (the audit hash depends on it).
/// Every time the store and the demo write comes from here, so `at` fixes them all.
pub fn now() -> DateTime<Utc> {
    FIXED_NOW.try_with(|t| *t).unwrap_or_else(|_| Utc::now().trunc_subsecs(6))
}

#[cfg(any(test, feature = "testing"))] // only the tests call it
/// Runs `work` with the store's clock standing at `instant`: every row it writes
/// (and the demo's whole story, told from `now`) carries times derived from it, so
/// what is drawn from them is the same on every run. Work on this task only: a task
/// `work` spawns reads the real clock.
pub async fn at<F: std::future::Future>(instant: DateTime<Utc>, work: F) -> F::Output {
    FIXED_NOW.scope(instant.trunc_subsecs(6), work).await
}

/// `prefix` followed by `rows` groups of `cols` placeholders, numbered on:
/// `($1,$2),($3,$4)`. For multi-row INSERTs (the audit writer, the demo's bulk load).
pub fn values_sql(prefix: &str, rows: usize, cols: usize) -> String {
    let mut sql = String::with_capacity(prefix.len() + rows * cols * 5);
    sql.push_str(prefix);
    for i in 0..rows {
        sql.push_str(if i == 0 { "(" } else { ",(" });
        for c in 0..cols {
            if c > 0 {
                sql.push(',');
            }
            sql.push('$');
            sql.push_str(&(i * cols + c + 1).to_string());
        }
        sql.push(')');
    }
    sql
}

/// How a command may use its database. Only `init`, `migrate` and `demo` create
/// one; commands that only read open it read-only, so an auditor can verify a
/// read-only backup and a read never changes a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Created when missing, migrated.
    Create,
    /// Must exist; migrated.
    Existing,
    /// Must exist; opened read-only (SQLite `mode=ro`, PostgreSQL read-only
    /// transactions), never migrated.
    ReadOnly,
}

/// Which backend a `Db` talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A connection pool to either backend. Cheap to clone.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A write transaction on either backend.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Runs `$body` with `$c` bound to the backend's pool (`&SqlitePool` or `&PgPool`).
#[macro_export]
macro_rules! with_db {
    ($db:expr, $c:ident => $body:expr) => {
        match $db {
            $crate::store::Db::Sqlite($c) => $body,
            $crate::store::Db::Postgres($c) => $body,
        }
    };
}

/// Runs `$body` with `$c` bound to the transaction's connection
/// (`&mut SqliteConnection` or `&mut PgConnection`); use it as `&mut *$c`.
#[macro_export]
macro_rules! with_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match $tx {
            $crate::store::Tx::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::store::Tx::Postgres(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

/// Statements slower than this (milliseconds) are logged as warnings with their
/// time (`[database] slow_query_ms`, set once at start).
static SLOW_STATEMENT_MS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(100);

/// Sets the slow statement threshold for databases opened from now on.
pub fn log_statements_slower_than(ms: u64) {
    SLOW_STATEMENT_MS.store(ms, std::sync::atomic::Ordering::Relaxed);
}

/// The slow statement threshold in force (milliseconds): also a request's.
pub(crate) fn slow_statement_ms() -> u64 {
    SLOW_STATEMENT_MS.load(std::sync::atomic::Ordering::Relaxed)
}

/// Every statement at debug level; slow ones at warn, with their elapsed time.
fn statement_logging<O: sqlx::ConnectOptions>(opts: O) -> O {
    let slow = Duration::from_millis(SLOW_STATEMENT_MS.load(std::sync::atomic::Ordering::Relaxed));
    opts.log_statements(log::LevelFilter::Debug).log_slow_statements(log::LevelFilter::Warn, slow)
}

impl Db {
    /// Opens `sqlite://PATH` (created if missing), `sqlite::memory:` or
    /// `postgres://…` (TCP, or a unix socket with `?host=/dir`), then applies the
    /// embedded migrations. A database whose schema is newer than this binary is
    /// refused rather than touched.
    pub async fn open(url: &str) -> Result<Db> {
        Self::open_as(url, Access::Create).await
    }

    /// Opens a database that must already exist, as `access` says. A mistyped
    /// SQLite path is refused naming the file, so a cron job on a wrong path fails
    /// instead of "verifying" an empty database it has just created; a read-only
    /// open migrates nothing and refuses an out-of-date schema.
    pub async fn open_as(url: &str, access: Access) -> Result<Db> {
        let db = Self::connect_as(url, access).await?;
        match access {
            Access::ReadOnly => db.check_schema_current(url).await?,
            Access::Create | Access::Existing => db.migrate().await?,
        }
        Ok(db)
    }

    /// Connects without migrating (used by `open` and by tests of old schemas).
    pub async fn connect(url: &str) -> Result<Db> {
        Self::connect_as(url, Access::Create).await
    }

    async fn connect_as(url: &str, access: Access) -> Result<Db> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let mut opts = PgConnectOptions::from_str(url)
                .map_err(|e| StoreError::invalid("database url", error::one_line(&e.to_string())))?;
            if access == Access::ReadOnly {
                // The server itself refuses any write on these connections.
                opts = opts.options([("default_transaction_read_only", "on")]);
            }
            let opts = statement_logging(opts);
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(5))
                .after_connect(|c, _| Box::pin(async move { interrupt::on_acquire_postgres(c).await.map(|_| ()) }))
                .before_acquire(|c, _| Box::pin(interrupt::on_acquire_postgres(c)))
                .connect_with(opts)
                .await
                .map_err(|e| unavailable(url, e))?;
            return Ok(Db::Postgres(pool));
        }
        if let Some(rest) = url.strip_prefix("sqlite:") {
            if rest == ":memory:" || rest == "//:memory:" {
                let opts = SqliteConnectOptions::from_str("sqlite::memory:")
                    .map_err(|e| StoreError::invalid("database url", e.to_string()))?
                    .foreign_keys(true);
                // One connection: each in-memory connection is its own database.
                let pool = SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect_with(opts)
                    .await
                    .map_err(|e| unavailable(url, e))?;
                return Ok(Db::Sqlite(pool));
            }
            let path = rest.strip_prefix("//").unwrap_or(rest);
            let path = path.split('?').next().unwrap_or(path);
            if path.is_empty() {
                return Err(StoreError::invalid(
                    "database url",
                    "sqlite:// needs a file path, e.g. sqlite://staffroom.db",
                ));
            }
            let file = std::path::Path::new(path);
            if access != Access::Create && !file.exists() {
                return Err(StoreError::Unavailable(format!(
                    "there is no database at {path}: check the path (`staffroom init` creates a new one)"
                )));
            }
            if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty() && !d.is_dir()) {
                return Err(StoreError::Unavailable(format!(
                    "cannot create {path}: directory {} does not exist",
                    dir.display()
                )));
            }
            let mut opts = SqliteConnectOptions::new()
                .filename(file)
                .create_if_missing(access == Access::Create)
                .read_only(access == Access::ReadOnly)
                .immutable(access == Access::ReadOnly && wal_cannot_be_opened(file));
            if access != Access::ReadOnly {
                // Setting the journal mode is itself a write; a read-only open reads
                // whatever mode the file is in.
                opts = opts.journal_mode(SqliteJournalMode::Wal).synchronous(SqliteSynchronous::Normal);
            }
            let opts = opts
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
                // The board's search keeps its matching ids in a temporary table
                // (`board::searched_sqlite`): in memory, never a file.
                .pragma("temp_store", "memory");
            let opts = statement_logging(opts);
            let pool = SqlitePoolOptions::new()
                .max_connections(4)
                .after_connect(|c, _| Box::pin(interrupt::on_connect(c)))
                .before_acquire(|c, _| Box::pin(interrupt::on_acquire(c)))
                .after_release(|c, _| Box::pin(interrupt::on_release(c)))
                .connect_with(opts)
                .await
                .map_err(|e| unavailable(path, e))?;
            return Ok(Db::Sqlite(pool));
        }
        Err(StoreError::invalid(
            "database url",
            format!(
                "'{}' is not a database URL; use sqlite://PATH, sqlite::memory: or postgres://USER@HOST/DB",
                redact(url)
            ),
        ))
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    fn migrator(&self) -> &'static Migrator {
        match self {
            Db::Sqlite(_) => &SQLITE_MIGRATOR,
            Db::Postgres(_) => &POSTGRES_MIGRATOR,
        }
    }

    /// PostgreSQL: puts `role` (a login role) in the `staffroom_app` group that
    /// migration 0013 created and granted.
    pub async fn grant_app_role(&self, role: &str) -> Result<()> {
        let Db::Postgres(p) = self else {
            return Err(StoreError::refused(
                "only PostgreSQL has roles; a SQLite database is guarded by its file's permissions",
            ));
        };
        let exists: Option<bool> = sqlx::query_scalar("SELECT rolcanlogin FROM pg_roles WHERE rolname = $1")
            .bind(role)
            .fetch_optional(p)
            .await?;
        match exists {
            None => {
                return Err(StoreError::invalid(
                    "role",
                    format!("no role is called \"{role}\"; create it first (CREATE ROLE … LOGIN)"),
                ));
            }
            Some(false) => {
                return Err(StoreError::invalid(
                    "role",
                    format!("\"{role}\" cannot log in; grant the group to the role staff connect as"),
                ));
            }
            Some(true) => {}
        }
        // The group and its grants as migration 0013 makes them (idempotent): a
        // group a superuser created after the migrations ran is granted here.
        sqlx::raw_sql(include_str!("../../../migrations/postgres/0013_app_role.sql")).execute(p).await?;
        let group: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'staffroom_app')")
            .fetch_one(p)
            .await?;
        if !group {
            return Err(StoreError::refused(
                "the staffroom_app group does not exist and this role may not create it: a superuser runs CREATE ROLE staffroom_app NOLOGIN once (see the README)",
            ));
        }
        // A role name is an identifier, not a value: quoted, with its quotes doubled.
        let quoted = format!("\"{}\"", role.replace('"', "\"\""));
        sqlx::query(&format!("GRANT staffroom_app TO {quoted}")).execute(p).await?;
        Ok(())
    }

    /// For a read-only open: the schema must be exactly this binary's (applying
    /// migrations would write).
    async fn check_schema_current(&self, url: &str) -> Result<()> {
        let read: std::result::Result<Vec<i64>, sqlx::Error> = with_db!(self, p => {
            sqlx::query_scalar::<_, i64>("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
                .fetch_all(p)
                .await
        });
        let done = match read {
            Ok(done) => done,
            // No table of migrations: not one of ours (or an empty file).
            Err(sqlx::Error::Database(e)) if e.message().contains("_sqlx_migrations") => Vec::new(),
            Err(e) => return Err(unavailable(url, e)),
        };
        let all: Vec<i64> = self.migrator().iter().map(|m| m.version).collect();
        if done.is_empty() {
            return Err(StoreError::Schema(format!("{} is not a staffroom database (it has no schema)", redact(url))));
        }
        if done.iter().any(|v| !all.contains(v)) {
            return Err(StoreError::Schema(format!(
                "{} has a schema newer than this staffroom knows; upgrade staffroom",
                redact(url)
            )));
        }
        if done != all {
            return Err(StoreError::Schema(format!(
                "the schema of {} is older than this staffroom; `staffroom migrate` brings it up to date",
                redact(url)
            )));
        }
        Ok(())
    }

    /// Applies pending migrations; refuses a schema newer than this binary.
    pub async fn migrate(&self) -> Result<()> {
        let known = self.migrator().iter().map(|m| m.version).max().unwrap_or(0);
        // The table does not exist on a fresh database: that is version 0.
        let applied: Option<i64> = with_db!(self, p => {
            sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(version) FROM _sqlx_migrations")
                .fetch_one(p)
                .await
                .ok()
                .flatten()
        });
        if let Some(v) = applied.filter(|v| *v > known) {
            return Err(StoreError::Schema(format!(
                "this database has schema version {v}, newer than this staffroom knows ({known}); upgrade staffroom"
            )));
        }
        // Up to date (every migration applied): nothing to run, so no DDL is
        // attempted, and a role that may only read and write the app's tables —
        // `staffroom_app` — opens it too.
        let done: Vec<i64> = with_db!(self, p => {
            sqlx::query_scalar::<_, i64>("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
                .fetch_all(p)
                .await
                .unwrap_or_default()
        });
        let all: Vec<i64> = self.migrator().iter().map(|m| m.version).collect();
        if done == all {
            return self.data_fixes().await;
        }
        let result = with_db!(self, p => self.migrator().run(p).await);
        result.map_err(|e| {
            StoreError::Schema(format!("could not apply migrations: {}", error::one_line(&e.to_string())))
        })?;
        // 0003 added a number parsed from budget_range, which SQL cannot parse.
        if applied.is_some_and(|v| v < 3) {
            leads::backfill_budget_estimates(self).await?;
        }
        self.data_fixes().await
    }

    /// The fixes of stored values that follow migrations (`data_fixes`), each once.
    /// An up-to-date database answers with one indexed read.
    async fn data_fixes(&self) -> Result<()> {
        if phones::last_report(self).await?.is_none()
            && let Some(report) = phones::normalise_existing(self).await?
        {
            tracing::info!("{report}");
        }
        Ok(())
    }

    /// Starts a write transaction. On SQLite it is `BEGIN IMMEDIATE`, so concurrent
    /// writers queue on the busy timeout instead of failing with SQLITE_BUSY.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Table names of the applied schema, sorted (for drift tests and diagnostics).
    pub async fn table_names(&self) -> Result<Vec<String>> {
        let names = match self {
            Db::Sqlite(p) => {
                sqlx::query_scalar::<_, String>(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
                     AND name <> '_sqlx_migrations' AND name NOT LIKE 'lead_search%' \
                     AND name NOT LIKE 'audit_search%' ORDER BY name",
                )
                .fetch_all(p)
                .await?
            }
            Db::Postgres(p) => {
                sqlx::query_scalar::<_, String>(
                    "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() \
                     AND table_name <> '_sqlx_migrations' ORDER BY table_name",
                )
                .fetch_all(p)
                .await?
            }
        };
        Ok(names)
    }

    /// Column names per table, sorted, as `table.column`.
    pub async fn column_names(&self) -> Result<Vec<String>> {
        let mut cols = match self {
            Db::Sqlite(p) => {
                sqlx::query_scalar::<_, String>(
                    "SELECT m.name || '.' || c.name FROM sqlite_master m, pragma_table_info(m.name) c \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations' \
                     AND m.name NOT LIKE 'lead_search%' AND m.name NOT LIKE 'audit_search%'",
                )
                .fetch_all(p)
                .await?
            }
            Db::Postgres(p) => {
                sqlx::query_scalar::<_, String>(
                    "SELECT table_name::text || '.' || column_name::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
                )
                .fetch_all(p)
                .await?
            }
        };
        cols.sort();
        Ok(cols)
    }

    /// SQLite: folds the write-ahead log into the file and empties it, so the file
    /// alone is the whole database (what a copy of it holds). Best effort: a
    /// read-only or busy database keeps its log, which SQLite still reads.
    pub async fn checkpoint(&self) {
        if let Db::Sqlite(p) = self {
            let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(p).await;
        }
    }

    pub async fn close(&self) {
        with_db!(self, p => p.close().await)
    }
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }
}
