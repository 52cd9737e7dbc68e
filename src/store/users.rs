//! Accounts: users with role flags, argon2id passwords, and the login function the
//! TUI uses (login history, lockout after repeated failures, generic refusals).

use super::audit::{self, Change};
use super::page::{self, Page};
use super::{Actor, Db, Result, StoreError, Tx, now};
use crate::domain::contact;
use crate::domain::permissions::{Action, Roles};
use crate::{with_db, with_tx};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Utc};
use serde_json::json;

/// Passwords shorter than this are refused.
pub const MIN_PASSWORD_LEN: usize = 8;

/// The email domain of the demo accounts, the only ones `login_demo` accepts. It
/// lives here, not in `demo`, so the store never depends on the demo generator
/// (`demo::DEMO_DOMAIN` re-exports it).
pub const DEMO_DOMAIN: &str = "demo.staffroom.test";

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub full_name: String,
    pub password_hash: Option<String>,
    pub is_admin: bool,
    pub is_staff: bool,
    pub is_instructor: bool,
    pub is_student: bool,
    pub is_active: bool,
    pub banned: bool,
    pub ban_until: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub failed_logins: i64,
    pub locked_until: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const USER_COLUMNS: &str = "id, email, phone, full_name, password_hash, is_admin, is_staff, is_instructor, \
     is_student, is_active, banned, ban_until, last_login_at, failed_logins, locked_until, version, \
     created_at, updated_at";

impl User {
    pub fn roles(&self) -> Roles {
        Roles { admin: self.is_admin, staff: self.is_staff, instructor: self.is_instructor, student: self.is_student }
    }

    /// The actor this user is once logged in.
    pub fn actor(&self) -> Actor {
        Actor::user(self.id, self.full_name.clone(), self.roles())
    }
}

/// A user to create.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub full_name: String,
    pub password: Option<String>,
    pub roles: Roles,
}

/// argon2id with the crate's recommended parameters and a fresh salt.
pub fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(StoreError::invalid("password", format!("needs at least {MIN_PASSWORD_LEN} characters")));
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Other(format!("could not hash the password: {e}")))
}

fn password_matches(password: &str, hash: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), hash).is_ok()
}

pub async fn find_by_email(db: &Db, email: &str) -> Result<Option<User>> {
    let email = email.trim().to_lowercase();
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
    Ok(with_db!(db, p => sqlx::query_as::<_, User>(&sql).bind(&email).fetch_optional(p).await?))
}

pub async fn get(db: &Db, id: i64) -> Result<User> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    with_db!(db, p => sqlx::query_as::<_, User>(&sql).bind(id).fetch_optional(p).await?)
        .ok_or_else(|| StoreError::not_found("user", id))
}

async fn get_in(tx: &mut Tx, email: &str) -> Result<User> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
    let email = email.trim().to_lowercase();
    with_tx!(tx, c => sqlx::query_as::<_, User>(&sql).bind(&email).fetch_optional(&mut *c).await?)
        .ok_or_else(|| StoreError::not_found("user", email))
}

/// Users in id order, keyset-paged.
pub async fn list(db: &Db, after_id: Option<i64>, limit: i64) -> Result<Page<User, i64>> {
    let limit = page::limit(limit);
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id > $1 ORDER BY id LIMIT $2");
    let rows = with_db!(db, p => {
        sqlx::query_as::<_, User>(&sql).bind(after_id.unwrap_or(0)).bind(limit + 1).fetch_all(p).await?
    });
    Ok(page::from_rows(rows, limit, |u| u.id))
}

pub async fn count(db: &Db) -> Result<i64> {
    Ok(with_db!(db, p => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users").fetch_one(p).await?))
}

/// Creates a user (audited). The email is normalised; a duplicate is refused by name.
pub async fn create(db: &Db, actor: &Actor, new: NewUser) -> Result<User> {
    actor.require(Action::ManageUsers)?;
    let full_name = contact::clean(&new.full_name);
    if full_name.is_empty() {
        return Err(StoreError::invalid("name", "cannot be empty"));
    }
    let email = match new.email.as_deref().filter(|e| !e.trim().is_empty()) {
        Some(e) => Some(contact::normalize_email(e).map_err(|why| StoreError::invalid("email", why))?),
        None => None,
    };
    let phone = match new.phone.as_deref().filter(|p| !p.trim().is_empty()) {
        Some(p) => Some(contact::normalize_phone(p).map_err(|why| StoreError::invalid("phone", why))?),
        None => None,
    };
    if email.is_none() && phone.is_none() {
        return Err(StoreError::invalid("email", "a user needs an email or a phone"));
    }
    // Hash before the transaction: argon2 takes tens of milliseconds.
    let hash = new.password.as_deref().map(hash_password).transpose()?;
    let at = now();
    let mut tx = db.begin().await?;
    if let Some(e) = &email {
        let taken: Option<i64> = with_tx!(&mut tx, c => {
            sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(e).fetch_optional(&mut *c).await?
        });
        if taken.is_some() {
            return Err(StoreError::invalid("email", format!("{e} is already used by another user")));
        }
    }
    let r = new.roles;
    let sql = format!(
        "INSERT INTO users (email, phone, full_name, password_hash, is_admin, is_staff, is_instructor, is_student, \
         is_active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING {USER_COLUMNS}"
    );
    let user: User = with_tx!(&mut tx, c => {
        sqlx::query_as(&sql)
            .bind(&email)
            .bind(&phone)
            .bind(&full_name)
            .bind(&hash)
            .bind(r.admin)
            .bind(r.staff)
            .bind(r.instructor)
            .bind(r.student)
            .bind(true)
            .bind(at)
            .fetch_one(&mut *c)
            .await?
    });
    let summary = format!("created user {} ({})", user.full_name, r.label());
    let new_values = json!({
        "id": user.id, "email": user.email, "phone": user.phone, "full_name": user.full_name,
        "roles": r.label(), "password_set": hash.is_some(),
    });
    audit::record(&mut tx, actor, Change::new("create", "user", Some(user.id), summary).with_new(new_values)).await?;
    tx.commit().await?;
    Ok(user)
}

/// Applies one audited update to the user with `email`, guarded by its version.
async fn update_user(
    db: &Db,
    actor: &Actor,
    email: &str,
    set_sql: &str,
    bind: impl FnOnce(&User) -> UserPatch,
) -> Result<User> {
    actor.require(Action::ManageUsers)?;
    let mut tx = db.begin().await?;
    let before = get_in(&mut tx, email).await?;
    let patch = bind(&before);
    if let Some(reason) = patch.refuse {
        return Err(StoreError::refused(reason));
    }
    let sql = format!(
        "UPDATE users SET {set_sql}, version = version + 1, updated_at = $3 WHERE id = $1 AND version = $2 \
         RETURNING {USER_COLUMNS}"
    );
    let after: Option<User> = with_tx!(&mut tx, c => {
        let mut q = sqlx::query_as::<_, User>(&sql).bind(before.id).bind(before.version).bind(now());
        for v in &patch.values {
            q = match v {
                PatchValue::Text(s) => q.bind(s.clone()),
                PatchValue::Bool(b) => q.bind(*b),
            };
        }
        q.fetch_optional(&mut *c).await?
    });
    let Some(after) = after else {
        return Err(audit::conflict(&mut tx, "this user", "user", before.id).await);
    };
    let change = Change::new(patch.action, "user", Some(after.id), format!("{} {}", patch.summary, after.full_name))
        .diff(&patch.old, &patch.new);
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

enum PatchValue {
    Text(Option<String>),
    Bool(bool),
}

/// What `update_user` writes: extra bind values ($4…), and the audit's view of it.
struct UserPatch {
    values: Vec<PatchValue>,
    action: &'static str,
    summary: &'static str,
    old: serde_json::Value,
    new: serde_json::Value,
    refuse: Option<String>,
}

/// Sets a new password (the audit records that it changed, never the hash).
pub async fn set_password(db: &Db, actor: &Actor, email: &str, password: &str) -> Result<User> {
    let hash = hash_password(password)?;
    update_user(db, actor, email, "password_hash = $4, failed_logins = 0, locked_until = NULL", |u| UserPatch {
        values: vec![PatchValue::Text(Some(hash))],
        action: "update",
        summary: "changed the password of",
        old: json!({"id": u.id, "password": "(old)"}),
        new: json!({"id": u.id, "password": "(changed)"}),
        refuse: None,
    })
    .await
}

/// Replaces the role flags. The last active admin cannot lose the admin role.
pub async fn set_roles(db: &Db, actor: &Actor, email: &str, roles: Roles) -> Result<User> {
    let admins = active_admins(db).await?;
    update_user(db, actor, email, "is_admin = $4, is_staff = $5, is_instructor = $6", |u| UserPatch {
        values: vec![PatchValue::Bool(roles.admin), PatchValue::Bool(roles.staff), PatchValue::Bool(roles.instructor)],
        action: "update",
        summary: "changed the roles of",
        old: json!({"id": u.id, "roles": u.roles().label()}),
        new: json!({"id": u.id, "roles": Roles { student: u.is_student, ..roles }.label()}),
        refuse: (u.is_admin && u.is_active && !roles.admin && admins <= 1)
            .then(|| format!("{} is the last active admin; make someone else admin first", u.full_name)),
    })
    .await
}

/// Soft-deletes a user (BR-13): they can no longer log in; their history stays.
pub async fn deactivate(db: &Db, actor: &Actor, email: &str) -> Result<User> {
    let admins = active_admins(db).await?;
    update_user(db, actor, email, "is_active = $4", |u| UserPatch {
        values: vec![PatchValue::Bool(false)],
        action: "deactivate",
        summary: "deactivated",
        old: json!({"id": u.id, "is_active": u.is_active}),
        new: json!({"id": u.id, "is_active": false}),
        refuse: if !u.is_active {
            Some(format!("{} is already deactivated", u.full_name))
        } else if u.is_admin && admins <= 1 {
            Some(format!("{} is the last active admin and cannot be deactivated", u.full_name))
        } else {
            None
        },
    })
    .await
}

async fn active_admins(db: &Db) -> Result<i64> {
    Ok(with_db!(db, p => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users WHERE is_admin = $1 AND is_active = $1")
            .bind(true)
            .fetch_one(p)
            .await?
    }))
}

/// Lockout settings (config `[security]`).
#[derive(Debug, Clone, Copy)]
pub struct LoginPolicy {
    pub max_failures: i64,
    pub window: chrono::Duration,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        LoginPolicy { max_failures: 5, window: chrono::Duration::minutes(15) }
    }
}

/// A successful login.
#[derive(Debug, Clone)]
pub struct LoggedIn {
    pub user: User,
    /// When and from where this user last logged in before now.
    pub previous: Option<(DateTime<Utc>, String)>,
}

/// Why a login was refused. The wording never reveals whether the email exists or
/// which of email and password was wrong.
///
/// A locked account answers `BadCredentials` too: only an existing account can be
/// locked, so "too many failed attempts" after N wrong passwords told anyone trying
/// emails which ones have an account (an unknown email kept answering "wrong email
/// or password"). The message says that failures lock an account, for the real user;
/// the login history records `locked`, and the admin dashboard lists locked accounts.
/// The other refusals need the right password, so they reveal nothing new.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginRefused {
    #[error("wrong email or password (repeated failures lock an account for a while)")]
    BadCredentials,
    #[error("this account is deactivated; ask an administrator")]
    Inactive,
    #[error("this account is banned; ask an administrator")]
    Banned,
    #[error("student accounts do not use staffroom")]
    NotStaff,
}

/// Checks a login attempt and records it in `login_history` and the audit log.
/// `at` is the attempt's instant (a parameter so lockout windows can be tested).
pub async fn login(
    db: &Db,
    email: &str,
    password: &str,
    remote: &str,
    terminal: &str,
    at: DateTime<Utc>,
    policy: LoginPolicy,
) -> Result<std::result::Result<LoggedIn, LoginRefused>> {
    let user = find_by_email(db, email).await?;
    // Verify outside any transaction (argon2 is slow on purpose); an unknown email
    // still costs one verification so timing does not reveal which emails exist.
    let password_ok = match user.as_ref().and_then(|u| u.password_hash.as_deref()) {
        Some(hash) => password_matches(password, hash),
        None => {
            password_matches(password, dummy_hash());
            false
        }
    };
    let system = Actor {
        user_id: None,
        name: "login".into(),
        roles: Roles::VIEWER,
        remote: remote.into(),
        client: super::actor::client_name(),
    };
    let mut tx = db.begin().await?;
    let Some(user) = user else {
        history(&mut tx, None, false, Some("unknown_email"), remote, terminal, at).await?;
        let summary = "failed login for an unknown email".to_string();
        audit::record(&mut tx, &system, Change::new("login_failed", "user", None, summary)).await?;
        tx.commit().await?;
        return Ok(Err(LoginRefused::BadCredentials));
    };
    let refusal = if user.locked_until.is_some_and(|u| u > at) {
        Some((LoginRefused::BadCredentials, "locked"))
    } else if !password_ok {
        None // counted below
    } else if !user.is_active {
        Some((LoginRefused::Inactive, "inactive"))
    } else if user.banned && user.ban_until.is_none_or(|u| u > at) {
        Some((LoginRefused::Banned, "banned"))
    } else if user.roles().is_student_only() {
        Some((LoginRefused::NotStaff, "student"))
    } else {
        return Ok(Ok(record_success(tx, user, remote, terminal, at, "logged in").await?));
    };
    if let Some((refusal, reason)) = refusal {
        history(&mut tx, Some(user.id), false, Some(reason), remote, terminal, at).await?;
        let summary = format!("refused login for {} ({reason})", user.full_name);
        audit::record(&mut tx, &system, Change::new("login_failed", "user", Some(user.id), summary)).await?;
        tx.commit().await?;
        return Ok(Err(refusal));
    }
    // A wrong password: count the failures in the window since the last success.
    history(&mut tx, Some(user.id), false, Some("bad_password"), remote, terminal, at).await?;
    let since = user.last_login_at.map_or(at - policy.window, |l| l.max(at - policy.window));
    let failures: i64 = with_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_history WHERE user_id = $1 AND success = $2 AND failure_reason = 'bad_password' \
             AND created_at > $3",
        )
        .bind(user.id)
        .bind(false)
        .bind(since)
        .fetch_one(&mut *c)
        .await?
    });
    let locked_until = (failures >= policy.max_failures).then(|| at + policy.window);
    with_tx!(&mut tx, c => {
        sqlx::query("UPDATE users SET failed_logins = $2, locked_until = $3 WHERE id = $1")
            .bind(user.id)
            .bind(failures)
            .bind(locked_until)
            .execute(&mut *c)
            .await?.rows_affected()
    });
    let summary = match locked_until {
        Some(_) => format!("failed login for {}; locked after {failures} failures", user.full_name),
        None => format!("failed login for {} ({failures} in a row)", user.full_name),
    };
    audit::record(&mut tx, &system, Change::new("login_failed", "user", Some(user.id), summary)).await?;
    tx.commit().await?;
    // Locked now or not, the answer is the one an unknown email gets.
    Ok(Err(LoginRefused::BadCredentials))
}

/// An argon2id hash of a string nobody types, verified for unknown emails so they
/// cost the same time as known ones.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no such user, no such password").unwrap_or_default())
}

/// Records a successful login in `tx` (history, audit, last_login_at) and commits.
async fn record_success(
    mut tx: Tx,
    user: User,
    remote: &str,
    terminal: &str,
    at: DateTime<Utc>,
    how: &str,
) -> Result<LoggedIn> {
    let previous = last_success(&mut tx, user.id).await?;
    with_tx!(&mut tx, c => {
        sqlx::query("UPDATE users SET last_login_at = $2, failed_logins = 0, locked_until = NULL WHERE id = $1")
            .bind(user.id)
            .bind(at)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    history(&mut tx, Some(user.id), true, None, remote, terminal, at).await?;
    let actor = Actor { remote: remote.into(), ..user.actor() };
    let summary = format!("{} {how}", user.full_name);
    audit::record(&mut tx, &actor, Change::new("login", "user", Some(user.id), summary)).await?;
    tx.commit().await?;
    Ok(LoggedIn { user: User { last_login_at: Some(at), failed_logins: 0, locked_until: None, ..user }, previous })
}

/// Logs a demo user in without asking the password: `staffroom demo --as ROLE`,
/// run by whoever holds the demo database file. Only accounts of the demo domain,
/// only active staff accounts, and recorded like any login.
pub async fn login_demo(db: &Db, email: &str, remote: &str, terminal: &str, at: DateTime<Utc>) -> Result<LoggedIn> {
    if !email.ends_with(&format!("@{DEMO_DOMAIN}")) {
        return Err(StoreError::refused("only demo accounts log in without a password"));
    }
    let user = find_by_email(db, email).await?.ok_or_else(|| StoreError::not_found("user", email))?;
    if !user.is_active || user.roles().is_student_only() {
        return Err(StoreError::refused(format!("{} cannot log in", user.full_name)));
    }
    let tx = db.begin().await?;
    record_success(tx, user, remote, terminal, at, "logged in (demo --as)").await
}

async fn last_success(tx: &mut Tx, user_id: i64) -> Result<Option<(DateTime<Utc>, String)>> {
    Ok(with_tx!(tx, c => {
        sqlx::query_as(
            "SELECT created_at, remote FROM login_history WHERE user_id = $1 AND success = $2 \
             ORDER BY created_at DESC LIMIT 1",
        )
        .bind(user_id)
        .bind(true)
        .fetch_optional(&mut *c)
        .await?
    }))
}

async fn history(
    tx: &mut Tx,
    user_id: Option<i64>,
    success: bool,
    failure_reason: Option<&str>,
    remote: &str,
    terminal: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    with_tx!(tx, c => {
        sqlx::query(
            "INSERT INTO login_history (user_id, success, failure_reason, remote, terminal, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(user_id)
        .bind(success)
        .bind(failure_reason)
        .bind(remote)
        .bind(terminal)
        .bind(at)
        .execute(&mut *c)
        .await?.rows_affected()
    });
    Ok(())
}

/// One login attempt as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoginAttempt {
    pub user_id: Option<i64>,
    pub success: bool,
    pub failure_reason: Option<String>,
    pub remote: String,
    pub created_at: DateTime<Utc>,
}

/// The latest attempts of one user, newest first.
pub async fn login_attempts(db: &Db, user_id: i64, limit: i64) -> Result<Vec<LoginAttempt>> {
    Ok(with_db!(db, p => {
        sqlx::query_as::<_, LoginAttempt>(
            "SELECT user_id, success, failure_reason, remote, created_at FROM login_history \
             WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(user_id)
        .bind(limit)
        .fetch_all(p)
        .await?
    }))
}
