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
    /// The password is a one-time one: the next login asks for a new one.
    pub must_change_password: bool,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub(super) const USER_COLUMNS: &str = "id, email, phone, full_name, password_hash, is_admin, is_staff, is_instructor, \
     is_student, is_active, banned, ban_until, last_login_at, failed_logins, locked_until, must_change_password, \
     version, created_at, updated_at";

impl User {
    pub fn roles(&self) -> Roles {
        Roles { admin: self.is_admin, staff: self.is_staff, instructor: self.is_instructor, student: self.is_student }
    }

    /// The actor this user is once logged in.
    pub fn actor(&self) -> Actor {
        Actor::user(self.id, self.full_name.clone(), self.roles())
    }
}

/// The signed-in user as a screen holds them: who they are and what they may do,
/// never their password hash or lockout counters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Me {
    pub id: i64,
    pub email: Option<String>,
    pub full_name: String,
    pub roles: Roles,
    /// The password is a one-time one: the next login asks for a new one.
    pub must_change_password: bool,
    pub last_login_at: Option<DateTime<Utc>>,
}

impl From<&User> for Me {
    fn from(u: &User) -> Me {
        Me {
            id: u.id,
            email: u.email.clone(),
            full_name: u.full_name.clone(),
            roles: u.roles(),
            must_change_password: u.must_change_password,
            last_login_at: u.last_login_at,
        }
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

pub(super) fn password_matches(password: &str, hash: &str) -> bool {
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

async fn get_id_in(tx: &mut Tx, id: i64) -> Result<User> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    with_tx!(tx, c => sqlx::query_as::<_, User>(&sql).bind(id).fetch_optional(&mut *c).await?)
        .ok_or_else(|| StoreError::not_found("user", id))
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

/// A user's name and contact, checked: the name cleaned and non-empty, the email and
/// phone normalised, at least one of them given.
pub fn checked_contact(name: &str, email: Option<&str>, phone: Option<&str>) -> Result<Contact> {
    let full_name = contact::clean(name);
    if full_name.is_empty() {
        return Err(StoreError::invalid("name", "is needed"));
    }
    if full_name.chars().count() > MAX_NAME_CHARS {
        return Err(StoreError::invalid("name", format!("is longer than {MAX_NAME_CHARS} characters")));
    }
    let email = match email.filter(|e| !e.trim().is_empty()) {
        Some(e) => Some(contact::normalize_email(e).map_err(|why| StoreError::invalid("email", why))?),
        None => None,
    };
    let phone = match phone.filter(|p| !p.trim().is_empty()) {
        Some(p) => Some(contact::normalize_phone(p).map_err(|why| StoreError::invalid("phone", why))?),
        None => None,
    };
    if email.is_none() && phone.is_none() {
        return Err(StoreError::invalid("email", "a user needs an email or a phone"));
    }
    Ok(Contact { full_name, email, phone })
}

/// The longest name accepted.
pub const MAX_NAME_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// Creates a user (audited). The email is normalised; a duplicate is refused by name.
/// `must_change`: the password is a one-time one, to be replaced at the first login.
pub async fn create(db: &Db, actor: &Actor, new: NewUser) -> Result<User> {
    create_with(db, actor, new, false).await
}

/// Creates a user whose password is a one-time one: shown once to the admin, and
/// replaced by the user at their first login.
pub async fn create_with(db: &Db, actor: &Actor, new: NewUser, must_change: bool) -> Result<User> {
    actor.require(Action::ManageUsers)?;
    let Contact { full_name, email, phone } =
        checked_contact(&new.full_name, new.email.as_deref(), new.phone.as_deref())?;
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
         is_active, must_change_password, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING {USER_COLUMNS}"
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
            .bind(must_change && hash.is_some())
            .bind(at)
            .fetch_one(&mut *c)
            .await?
    });
    let summary = format!("created user {} ({})", user.full_name, r.label());
    let new_values = json!({
        "id": user.id, "email": user.email, "phone": user.phone, "full_name": user.full_name,
        "roles": r.label(), "password_set": hash.is_some(), "one_time_password": user.must_change_password,
    });
    audit::record(&mut tx, actor, Change::new("create", "user", Some(user.id), summary).with_new(new_values)).await?;
    tx.commit().await?;
    Ok(user)
}

/// Which user an update is for: by email (the CLI), or by id at the version the
/// screen showed (the TUI: a stale version is a conflict naming who changed it).
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    Email(&'a str),
    Id { id: i64, version: i64 },
}

/// Applies one audited update to the target user, guarded by its version.
///
/// Every active admin's row is locked first (a no-op UPDATE: row locks on
/// PostgreSQL; on SQLite `BEGIN IMMEDIATE` already serialises writers), and the
/// patch sees how many there are. So two admins demoting or deactivating each other
/// at the same moment are served one after the other, and the second is refused
/// as the last admin instead of both succeeding and leaving none.
async fn update_user(
    db: &Db,
    actor: &Actor,
    target: Target<'_>,
    set_sql: &str,
    bind: impl FnOnce(&User, i64) -> UserPatch,
) -> Result<User> {
    actor.require(Action::ManageUsers)?;
    let mut tx = db.begin().await?;
    let admins: Vec<i64> = with_tx!(&mut tx, c => {
        sqlx::query_scalar("UPDATE users SET version = version WHERE is_admin = $1 AND is_active = $1 RETURNING id")
            .bind(true)
            .fetch_all(&mut *c)
            .await?
    });
    let (before, version) = match target {
        Target::Email(email) => {
            let u = get_in(&mut tx, email).await?;
            let v = u.version;
            (u, v)
        }
        Target::Id { id, version } => (get_id_in(&mut tx, id).await?, version),
    };
    let patch = bind(&before, admins.len() as i64);
    if let Some(reason) = patch.refuse {
        return Err(StoreError::refused(reason));
    }
    // Setting what is already there (roles a user already has) changes nothing:
    // no new version, no audit row.
    if patch.old != json!({}) && patch.old == patch.new {
        return Ok(before);
    }
    let sql = format!(
        "UPDATE users SET {set_sql}, version = version + 1, updated_at = $3 WHERE id = $1 AND version = $2 \
         RETURNING {USER_COLUMNS}"
    );
    let after: Option<User> = with_tx!(&mut tx, c => {
        let mut q = sqlx::query_as::<_, User>(&sql).bind(before.id).bind(version).bind(now());
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

impl UserPatch {
    fn new(action: &'static str, summary: &'static str, values: Vec<PatchValue>) -> UserPatch {
        UserPatch { values, action, summary, old: json!({}), new: json!({}), refuse: None }
    }
    fn audit(mut self, old: serde_json::Value, new: serde_json::Value) -> UserPatch {
        self.old = old;
        self.new = new;
        self
    }
    fn refuse(mut self, why: Option<String>) -> UserPatch {
        self.refuse = why;
        self
    }
}

/// Why a user may not lose the admin role or be deactivated, if so: an admin
/// cannot do it to themself (another admin can), and the last active admin stays.
fn keeps_an_admin(actor: &Actor, u: &User, admins: i64, what: &str) -> Option<String> {
    if !(u.is_admin && u.is_active) {
        return None;
    }
    if actor.user_id == Some(u.id) {
        return Some(format!("you cannot {what} yourself; another admin can"));
    }
    (admins <= 1).then(|| format!("{} is the last active admin; make someone else admin first", u.full_name))
}

/// Sets a new password (the audit records that it changed, never the hash) and
/// clears the lockout. `one_time`: the user must replace it at their next login.
pub async fn set_password(db: &Db, actor: &Actor, email: &str, password: &str) -> Result<User> {
    reset_password(db, actor, Target::Email(email), password, false).await
}

pub async fn reset_password(
    db: &Db,
    actor: &Actor,
    target: Target<'_>,
    password: &str,
    one_time: bool,
) -> Result<User> {
    let hash = hash_password(password)?;
    let set = "password_hash = $4, must_change_password = $5, failed_logins = 0, locked_until = NULL";
    update_user(db, actor, target, set, |u, _| {
        UserPatch::new(
            "update",
            "reset the password of",
            vec![PatchValue::Text(Some(hash)), PatchValue::Bool(one_time)],
        )
        .audit(
            json!({"id": u.id, "password": "(old)", "locked_until": u.locked_until}),
            json!({"id": u.id, "password": if one_time { "(one-time)" } else { "(changed)" }, "locked_until": null}),
        )
    })
    .await
}

/// A user's own new password, replacing a one-time one (or their old one) after
/// they logged in with it. Needs no admin right: the session is theirs.
pub async fn change_own_password(db: &Db, actor: &Actor, password: &str) -> Result<User> {
    let id = actor.user_id.ok_or_else(|| StoreError::refused("only a logged-in user changes their password"))?;
    let hash = hash_password(password)?;
    let mut tx = db.begin().await?;
    let before = get_id_in(&mut tx, id).await?;
    if before.password_hash.as_deref().is_some_and(|h| password_matches(password, h)) {
        return Err(StoreError::invalid("password", "this is your current password; choose a new one"));
    }
    let sql = format!(
        "UPDATE users SET password_hash = $2, must_change_password = $3, version = version + 1, updated_at = $4 \
         WHERE id = $1 RETURNING {USER_COLUMNS}"
    );
    let after: User = with_tx!(&mut tx, c => {
        sqlx::query_as(&sql).bind(id).bind(&hash).bind(false).bind(now()).fetch_one(&mut *c).await?
    });
    let change = Change::new("update", "user", Some(id), format!("{} chose a new password", after.full_name))
        .diff(&json!({"password": "(old)"}), &json!({"password": "(changed)"}));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// Replaces the role flags. An admin keeps their own admin role, and the last
/// active admin keeps theirs.
pub async fn set_roles(db: &Db, actor: &Actor, email: &str, roles: Roles) -> Result<User> {
    update_user(db, actor, Target::Email(email), "is_admin = $4, is_staff = $5, is_instructor = $6", |u, admins| {
        let values =
            vec![PatchValue::Bool(roles.admin), PatchValue::Bool(roles.staff), PatchValue::Bool(roles.instructor)];
        UserPatch::new("update", "changed the roles of", values)
            .audit(
                json!({"id": u.id, "roles": u.roles().label()}),
                json!({"id": u.id, "roles": Roles { student: u.is_student, ..roles }.label()}),
            )
            .refuse(if roles.admin { None } else { keeps_an_admin(actor, u, admins, "remove the admin role of") })
    })
    .await
}

/// What an admin edits of a user on the users screen.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserFields {
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub roles: Roles,
}

/// Edits a user's name, contact and roles in one audited, versioned write, with the
/// same admin rules as `set_roles`.
pub async fn edit(db: &Db, actor: &Actor, id: i64, version: i64, fields: &UserFields) -> Result<User> {
    let c = checked_contact(&fields.full_name, fields.email.as_deref(), fields.phone.as_deref())?;
    let roles = fields.roles;
    let set =
        "full_name = $4, email = $5, phone = $6, is_admin = $7, is_staff = $8, is_instructor = $9, is_student = $10";
    let taken = |field: &str, value: &Option<String>| {
        StoreError::invalid(field, format!("{} is already used by another user", value.as_deref().unwrap_or("")))
    };
    let (email, phone) = (c.email.clone(), c.phone.clone());
    update_user(db, actor, Target::Id { id, version }, set, |u, admins| {
        let values = vec![
            PatchValue::Text(Some(c.full_name.clone())),
            PatchValue::Text(c.email.clone()),
            PatchValue::Text(c.phone.clone()),
            PatchValue::Bool(roles.admin),
            PatchValue::Bool(roles.staff),
            PatchValue::Bool(roles.instructor),
            PatchValue::Bool(roles.student),
        ];
        UserPatch::new("update", "edited", values)
            .audit(
                json!({"full_name": u.full_name, "email": u.email, "phone": u.phone, "roles": u.roles().label()}),
                json!({"full_name": c.full_name, "email": c.email, "phone": c.phone, "roles": roles.label()}),
            )
            .refuse(if roles.admin { None } else { keeps_an_admin(actor, u, admins, "remove the admin role of") })
    })
    .await
    // The unique indexes are the check (no window between a look and the write).
    .map_err(|e| match e {
        StoreError::Invalid { field, .. } if field.contains("email") => taken("email", &email),
        StoreError::Invalid { field, .. } if field.contains("phone") => taken("phone", &phone),
        other => other,
    })
}

/// Soft-deletes a user (BR-13): they can no longer log in; their history stays.
pub async fn deactivate(db: &Db, actor: &Actor, email: &str) -> Result<User> {
    set_active(db, actor, Target::Email(email), false).await
}

/// Deactivates or reactivates a user. Not oneself, not the last active admin.
pub async fn set_active(db: &Db, actor: &Actor, target: Target<'_>, active: bool) -> Result<User> {
    let (action, summary) = if active { ("reactivate", "reactivated") } else { ("deactivate", "deactivated") };
    update_user(db, actor, target, "is_active = $4", |u, admins| {
        let refuse = if u.is_active == active {
            Some(format!("{} is already {}", u.full_name, if active { "active" } else { "deactivated" }))
        } else if !active {
            keeps_an_admin(actor, u, admins, "deactivate")
        } else {
            None
        };
        UserPatch::new(action, summary, vec![PatchValue::Bool(active)])
            .audit(json!({"is_active": u.is_active}), json!({"is_active": active}))
            .refuse(refuse)
    })
    .await
}

/// Lifts a lockout after failed logins (the password stays).
pub async fn unlock(db: &Db, actor: &Actor, id: i64, version: i64) -> Result<User> {
    let at = now();
    update_user(db, actor, Target::Id { id, version }, "failed_logins = 0, locked_until = NULL", |u, _| {
        let refuse = (u.locked_until.is_none_or(|t| t <= at) && u.failed_logins == 0)
            .then(|| format!("{} is not locked", u.full_name));
        UserPatch::new("unlock", "unlocked", Vec::new())
            .audit(
                json!({"failed_logins": u.failed_logins, "locked_until": u.locked_until}),
                json!({"failed_logins": 0, "locked_until": null}),
            )
            .refuse(refuse)
    })
    .await
}

/// A fresh one-time password: 16 letters and digits from the OS's random source,
/// without the look-alikes (0/O, 1/l/I) so it can be read out over the phone.
pub fn one_time_password() -> Result<String> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Other(format!("no random source: {e}")))?;
    // 256 is not a multiple of 56; the small bias (a few letters 1/56 + 1/256 more
    // likely) costs far less than a bit of the 92 bits these carry.
    Ok(bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect())
}

pub use super::login::{LoggedIn, LoginAttempt, LoginPolicy, LoginRefused, login, login_attempts, login_demo};
