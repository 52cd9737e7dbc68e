//! Demo data: a deterministic, realistic academy for trying staffroom.
//!
//! `ensure` fills an empty database (or reuses one it filled before); `--large` adds
//! 100,000 leads and 1,000,000 audit rows for trying the speed budgets. The demo
//! never touches a database that holds anything but demo users.
//!
//! The content (names, messages, posts, lessons, the catalogue, the CMS) lives in
//! `assets/demo/` and is read by `assets`; the Rust here tells the story.

pub mod assets;
mod large;
mod seed;
pub mod text;
mod timeline;

use crate::domain::permissions::Roles;
use crate::store::users::{self, NewUser};
use crate::store::{Actor, Db, Result, StoreError};
use crate::with_db;
use std::fmt;

/// Every demo account's password (printed by `staffroom demo`).
pub const DEMO_PASSWORD: &str = "staffroom-demo";

/// All demo accounts live under this domain; it is how a demo database is recognised.
pub use crate::store::users::DEMO_DOMAIN;

/// Leads and audit rows of `--large`.
pub const LARGE_LEADS: i64 = 100_000;
pub const LARGE_AUDIT_ROWS: i64 = 1_000_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUser {
    pub email: String,
    pub name: &'static str,
    pub roles: Roles,
}

/// The login of the demo user for `role` (admin, staff, instructor, viewer).
pub fn demo_user(role: &str) -> DemoUser {
    let (name, roles) = match role {
        "admin" => ("Amira Haddad", Roles::ADMIN),
        "staff" => ("Omar Farouk", Roles::STAFF),
        "instructor" => ("Lina Mansour", Roles::INSTRUCTOR),
        _ => ("Youssef Nabil", Roles::VIEWER),
    };
    let role = if matches!(role, "admin" | "staff" | "instructor") { role } else { "viewer" };
    DemoUser { email: format!("{role}@{DEMO_DOMAIN}"), name, roles }
}

/// What the demo database holds, as printed by `staffroom demo --no-open`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub created: bool,
    pub counts: Vec<(&'static str, i64)>,
}

impl Summary {
    /// Fills in the row counts (a COUNT over a million audit rows is not free, so
    /// only when they will be printed).
    pub async fn with_counts(mut self, db: &Db) -> Result<Summary> {
        self.counts = counts(db).await?;
        Ok(self)
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", if self.created { "created demo data:" } else { "reusing demo data:" })?;
        for (table, n) in &self.counts {
            writeln!(f, "  {table:<24} {n:>9}")?;
        }
        writeln!(f, "demo logins: admin|staff|instructor|viewer@{DEMO_DOMAIN}, password {DEMO_PASSWORD}")
    }
}

/// Tables counted in the summary.
const SUMMARY_TABLES: &[&str] = &[
    "users",
    "leads",
    "lead_notes",
    "contact_messages",
    "programs",
    "cohorts",
    "sessions",
    "enrollments",
    "attendance_records",
    "events",
    "event_registrations",
    "applications",
    "lessons",
    "assignment_submissions",
    "posts",
    "comments",
    "testimonials",
    "case_studies",
    "payments",
    "tasks",
    "help_requests",
    "audit_log",
];

/// Fills an empty database with demo data, or reuses demo data already there.
/// Refuses a database that holds non-demo users.
pub async fn ensure(db: &Db, large: bool) -> Result<Summary> {
    let total = users::count(db).await?;
    let foreign: i64 = with_db!(db, p => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users WHERE email IS NULL OR email NOT LIKE $1")
            .bind(format!("%@{DEMO_DOMAIN}"))
            .fetch_one(p)
            .await?
    });
    let has_demo_admin = users::find_by_email(db, &demo_user("admin").email).await?.is_some();
    if total > 0 && !has_demo_admin {
        return Err(StoreError::refused(
            "this database holds real data, not demo data; use another --database-url or none for the default demo file",
        ));
    }
    // Demo students have demo-domain emails too, so any other user is a real one.
    if foreign > 0 && has_demo_admin {
        tracing::warn!("demo database has {foreign} users outside the demo domain");
    }
    let created = total == 0;
    if created {
        create_users(db).await?;
        seed::seed(db).await?;
    }
    if large {
        large::ensure(db).await?;
    }
    Ok(Summary { created, counts: Vec::new() })
}

async fn create_users(db: &Db) -> Result<()> {
    let cli = Actor::cli();
    for role in ["admin", "staff", "instructor", "viewer"] {
        let u = demo_user(role);
        let new = NewUser {
            email: Some(u.email),
            full_name: u.name.to_string(),
            password: Some(DEMO_PASSWORD.to_string()),
            roles: u.roles,
            ..NewUser::default()
        };
        users::create(db, &cli, new).await?;
    }
    Ok(())
}

async fn counts(db: &Db) -> Result<Vec<(&'static str, i64)>> {
    let mut out = Vec::new();
    for table in SUMMARY_TABLES {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let n = with_db!(db, p => sqlx::query_scalar::<_, i64>(&sql).fetch_one(p).await?);
        out.push((*table, n));
    }
    Ok(out)
}

/// What `demo --reset` would throw away, shown before it asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetPlan {
    /// The database, its password hidden.
    pub what: String,
    pub counts: Vec<(&'static str, i64)>,
    /// Accounts outside the demo domain: someone added them by hand.
    pub added_by_hand: Vec<String>,
}

impl fmt::Display for ResetPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let held: Vec<String> =
            self.counts.iter().filter(|(_, n)| *n > 0).map(|(t, n)| format!("{n} {}", t.replace('_', " "))).collect();
        write!(f, "demo --reset deletes the demo database {}: {}", self.what, held.join(", "))?;
        if !self.added_by_hand.is_empty() {
            let names = &self.added_by_hand;
            write!(f, "; it also holds {} account(s) added by hand: {}", names.len(), names.join(", "))?;
        }
        Ok(())
    }
}

/// Looks at what `--reset` would delete. `None`: nothing to delete (no file yet,
/// or an empty database). A database that holds real data is refused exactly as
/// `demo` refuses it, before anything is touched.
pub async fn plan_reset(url: &str) -> Result<Option<ResetPlan>> {
    if let Some(path) = url.trim().strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap_or(path);
        if !std::path::Path::new(path).exists() {
            return Ok(None);
        }
    }
    let db = Db::open(url).await?;
    let total = users::count(&db).await?;
    if total == 0 {
        db.close().await;
        return Ok(None);
    }
    if users::find_by_email(&db, &demo_user("admin").email).await?.is_none() {
        db.close().await;
        return Err(StoreError::refused(
            "refusing to reset: this database holds real data, not demo data; use another --database-url or none for the default demo file",
        ));
    }
    let added_by_hand: Vec<String> = with_db!(&db, p => {
        sqlx::query_scalar::<_, String>(
            "SELECT COALESCE(email, full_name) FROM users WHERE email IS NULL OR email NOT LIKE $1 ORDER BY id",
        )
        .bind(format!("%@{DEMO_DOMAIN}"))
        .fetch_all(p)
        .await?
    });
    let plan = ResetPlan { what: crate::store::redact(url), counts: counts(&db).await?, added_by_hand };
    db.close().await;
    Ok(Some(plan))
}

/// Starts the demo over. SQLite: the file is removed. PostgreSQL: the schema is
/// dropped. Only after `plan_reset` allowed it and the user agreed.
pub async fn reset(url: &str) -> Result<()> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap_or(path);
        for suffix in ["", "-wal", "-shm"] {
            let file = format!("{path}{suffix}");
            match std::fs::remove_file(&file) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(StoreError::Unavailable(format!("cannot remove {file}: {e}"))),
            }
        }
        return Ok(());
    }
    let db = Db::open(url).await?;
    if let Db::Postgres(p) = &db {
        sqlx::raw_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;").execute(p).await?;
    }
    db.close().await;
    Ok(())
}
