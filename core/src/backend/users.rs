//! User administration (admins): the list by state, add, edit, passwords,
//! deactivate/reactivate, unlock, login history; and a user's own new password.

use super::gate::Need;
use super::records::{Columns, Cursor, Record, RecordPage};
use super::{Backend, Reply, Secret};
use crate::domain::permissions::Action;
use crate::store::users::{self, NewUser, Target, User};
use crate::store::{Actor, StoreError, user_list};

crate::backend::gate::requests! {
    /// The users area's requests, each with what it needs at the gate.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum UserRequest {
        // User administration is the admins'; the store checks again inside the
        // transaction that an admin keeps their own admin role and one admin stays.
        /// The users screen (admins): accounts in a state (`user_list::STATES`),
        /// searched by name, email or phone.
        Users {
            state: Option<&'static str>,
            search: Option<String>,
            after: Option<Cursor>,
            limit: i64,
        } => Need::Permission(Action::ManageUsers),
        /// Adds a user with this password, or (`None`) a one-time one shown once.
        AddUser {
            fields: Box<crate::store::users::UserFields>,
            password: Option<Secret>,
        } => Need::Permission(Action::ManageUsers),
        EditUser {
            id: i64,
            version: i64,
            fields: Box<crate::store::users::UserFields>,
        } => Need::Permission(Action::ManageUsers),
        /// A new password typed by the admin, or (`None`) a one-time one shown once;
        /// either clears a lockout.
        ResetPassword {
            id: i64,
            version: i64,
            password: Option<Secret>,
        } => Need::Permission(Action::ManageUsers),
        SetUserActive {
            id: i64,
            version: i64,
            active: bool,
        } => Need::Permission(Action::ManageUsers),
        UnlockUser {
            id: i64,
            version: i64,
        } => Need::Permission(Action::ManageUsers),
        /// A user's latest login attempts.
        LoginHistory {
            id: i64,
        } => Need::Permission(Action::ManageUsers),
        // Anyone logged in replaces their own password (a one-time one must be).
        /// The session's own user replaces their (one-time) password.
        ChangeOwnPassword {
            password: Secret,
        } => Need::Session,
    }
}

/// The users area's answers.
#[derive(Debug)]
pub enum UserReply {
    /// A password made for someone, to be shown once: (whose, the password).
    OneTimePassword(String, Secret),
    /// Whose, and their latest login attempts, newest first.
    LoginHistory(String, Vec<crate::store::users::LoginAttempt>),
    /// The session's own password was changed.
    PasswordChanged,
}

pub(super) async fn handle(b: &Backend, actor: &Actor, request: UserRequest) -> Result<Reply, StoreError> {
    let db = &b.db;
    let now = crate::store::now();
    match request {
        UserRequest::Users { state, search, after, limit } => {
            let counts = match after {
                None => Some(user_list::counts(db, now).await?.into_iter().map(|(s, n)| (s.to_string(), n)).collect()),
                Some(_) => None,
            };
            let after_id = match after {
                Some(Cursor::Order(_, id)) => Some(id),
                _ => None,
            };
            let page = user_list::page(db, state, search.as_deref(), after_id, limit, now).await?;
            let next = page.next.map(|id| Cursor::Order(id, id));
            let rows = page.rows.iter().map(|u| record(u, b, now)).collect();
            Ok(Reply::Records(Box::new(RecordPage {
                counts,
                rows,
                next,
                more: after.is_some(),
                sorted: None,
                sortable: Vec::new(),
            })))
        }
        UserRequest::AddUser { fields, password } => {
            let (password, one_time) = chosen(password)?;
            let new = NewUser {
                email: fields.email.clone(),
                phone: fields.phone.clone(),
                full_name: fields.full_name.clone(),
                password: Some(password.clone()),
                roles: fields.roles,
            };
            let u = users::create_with(db, actor, new, one_time).await?;
            Ok(shown_once(&u, password, one_time, "added"))
        }
        UserRequest::EditUser { id, version, fields } => {
            let u = users::edit(db, actor, id, version, &fields).await?;
            Ok(Reply::RecordSaved(format!("saved {}", u.full_name)))
        }
        UserRequest::ResetPassword { id, version, password } => {
            let (password, one_time) = chosen(password)?;
            let u = users::reset_password(db, actor, Target::Id { id, version }, &password, one_time).await?;
            Ok(shown_once(&u, password, one_time, "new password for"))
        }
        UserRequest::SetUserActive { id, version, active } => {
            let u = users::set_active(db, actor, Target::Id { id, version }, active).await?;
            Ok(Reply::RecordSaved(format!("{} {}", if active { "reactivated" } else { "deactivated" }, u.full_name)))
        }
        UserRequest::UnlockUser { id, version } => {
            let u = users::unlock(db, actor, id, version).await?;
            Ok(Reply::RecordSaved(format!("unlocked {}", u.full_name)))
        }
        UserRequest::LoginHistory { id } => {
            let u = users::get(db, id).await?;
            Ok(UserReply::LoginHistory(u.full_name, users::login_attempts(db, id, 50).await?).into())
        }
        UserRequest::ChangeOwnPassword { password } => {
            users::change_own_password(db, actor, &password.0).await?;
            Ok(UserReply::PasswordChanged.into())
        }
    }
}

/// The typed password, or a fresh one-time one.
fn chosen(password: Option<Secret>) -> Result<(String, bool), StoreError> {
    match password {
        Some(Secret(p)) => Ok((p, false)),
        None => Ok((users::one_time_password()?, true)),
    }
}

/// A one-time password goes back to be shown once; a typed one is not echoed.
fn shown_once(u: &User, password: String, one_time: bool, what: &str) -> Reply {
    if one_time {
        UserReply::OneTimePassword(u.full_name.clone(), Secret(password)).into()
    } else {
        Reply::RecordSaved(format!("{what} {}", u.full_name))
    }
}

fn yes(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

/// The list's columns: heading and width (0: takes the room left), one per cell
/// `record` makes, in its order.
// The first column marks a locked (!) or deactivated (x) account.
pub const LIST_COLUMNS: Columns = &[(" ", 1), ("name", 0), ("roles", 12), ("last login", 11)];

fn record(u: &User, b: &Backend, now: chrono::DateTime<chrono::Utc>) -> Record {
    let tz = b.settings.tz;
    let when = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string();
    let state = user_list::state(u, now);
    let roles = u.roles().describe();
    let last = u.last_login_at.map_or_else(|| "never".to_string(), when);
    let mut detail = vec![
        ("name".to_string(), u.full_name.clone()),
        ("email".to_string(), u.email.clone().unwrap_or_else(|| "—".into())),
        ("phone".to_string(), u.phone.clone().unwrap_or_else(|| "—".into())),
        ("roles".to_string(), roles.clone()),
        ("state".to_string(), state.to_string()),
        ("last login".to_string(), last),
        ("failures".to_string(), u.failed_logins.to_string()),
    ];
    if let Some(t) = u.locked_until.filter(|t| *t > now) {
        detail.push(("locked until".to_string(), when(t)));
    }
    if u.password_hash.is_none() {
        detail.push(("password".to_string(), "none set: cannot log in".to_string()));
    } else if u.must_change_password {
        detail.push(("password".to_string(), "one-time: to be replaced at the next login".to_string()));
    }
    detail.push(("added".to_string(), when(u.created_at)));
    detail.push(("changed".to_string(), when(u.updated_at)));
    detail.push(("version".to_string(), u.version.to_string()));
    Record {
        id: u.id,
        version: u.version,
        status: state.to_string(),
        cells: vec![
            match state {
                "inactive" => "x",
                "locked" => "!",
                _ => " ",
            }
            .to_string(),
            u.full_name.clone(),
            roles,
            u.last_login_at
                .map_or_else(|| "never".to_string(), |t| t.with_timezone(&tz).format("%m-%d %H:%M").to_string()),
        ],
        detail,
        values: vec![
            ("full_name", u.full_name.clone()),
            ("email", u.email.clone().unwrap_or_default()),
            ("phone", u.phone.clone().unwrap_or_default()),
            ("admin", yes(u.is_admin)),
            ("staff", yes(u.is_staff)),
            ("instructor", yes(u.is_instructor)),
            ("student", yes(u.is_student)),
            ("active", yes(u.is_active)),
        ],
    }
}
