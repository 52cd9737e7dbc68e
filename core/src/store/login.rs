//! Logging in: the check the TUI's login screen runs (argon2 verification, the
//! login history, lockout after repeated failures, refusals that reveal nothing)
//! and the demo's password-less login.

use super::audit::{self, Change};
use super::users::{DEMO_DOMAIN, User, find_by_email, hash_password, password_matches};
use super::{Actor, Db, Result, StoreError, Tx};
use crate::domain::permissions::Roles;
use crate::{with_db, with_tx};
use chrono::{DateTime, Utc};

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
    pub user: super::users::Me,
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
    let me = super::users::Me { last_login_at: Some(at), ..super::users::Me::from(&user) };
    Ok(LoggedIn { user: me, previous })
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
    pub terminal: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The latest attempts of one user, newest first.
pub async fn login_attempts(db: &Db, user_id: i64, limit: i64) -> Result<Vec<LoginAttempt>> {
    Ok(with_db!(db, p => {
        sqlx::query_as::<_, LoginAttempt>(
            "SELECT user_id, success, failure_reason, remote, terminal, created_at FROM login_history \
             WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(user_id)
        .bind(limit)
        .fetch_all(p)
        .await?
    }))
}
