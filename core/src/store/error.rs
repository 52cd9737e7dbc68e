//! Typed store errors. Every message is one plain line a user can act on.

use chrono::{DateTime, Utc};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}", not_found_line(.entity, .id))]
    NotFound { entity: &'static str, id: String },

    /// Someone else changed the row since it was read (optimistic concurrency).
    /// `last` is the row's latest change as the audit log tells it, `by_id` its
    /// writer; `mine` is set by the backend when that writer is the one asking (a
    /// key pressed twice), which is said as what already happened.
    #[error("{}", conflict_line(.entity, .by, .at, .last.as_deref(), *.mine))]
    Conflict {
        entity: &'static str,
        by: Option<String>,
        at: Option<DateTime<Utc>>,
        by_id: Option<i64>,
        last: Option<String>,
        mine: bool,
    },

    /// The rules or the user's permissions do not allow this.
    #[error("{reason}")]
    Refused { reason: String },

    #[error("{field}: {why}")]
    Invalid { field: String, why: String },

    #[error("the database is unavailable: {0}")]
    Unavailable(String),

    #[error("{0}")]
    Schema(String),

    #[error("database error: {0}")]
    Other(String),

    /// Reading or writing a file (import, export); the message names the file or step.
    #[error("{0}")]
    Io(String),
}

/// "lead #42 was not found" for an id; `user "nobody@x.test" was not found` for what
/// was typed (an email, a name, a number too long to be an id).
fn not_found_line(entity: &str, id: &str) -> String {
    if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) && id.len() <= 18 {
        format!("{entity} #{id} was not found")
    } else {
        format!("{entity} \"{id}\" was not found")
    }
}

fn conflict_line(
    entity: &str,
    by: &Option<String>,
    at: &Option<DateTime<Utc>>,
    last: Option<&str>,
    mine: bool,
) -> String {
    if let (true, Some(last), Some(at)) = (mine, last, at) {
        return format!("already done: you {last} at {}; nothing more was changed", at.format("%Y-%m-%d %H:%M UTC"));
    }
    let who = by.as_deref().unwrap_or("someone else");
    match at {
        Some(at) => format!(
            "{entity} was changed by {who} at {} since you opened it; nothing was overwritten",
            at.format("%Y-%m-%d %H:%M UTC")
        ),
        None => format!("{entity} was changed by {who} since you opened it; nothing was overwritten"),
    }
}

impl StoreError {
    /// The error as `user_id` meets it: a conflict with their own latest change
    /// (the same key pressed twice, a second window) is theirs, not someone else's.
    pub fn seen_by(self, user_id: Option<i64>) -> StoreError {
        match self {
            StoreError::Conflict { entity, by, at, by_id, last, .. } => {
                let mine = by_id.is_some() && by_id == user_id;
                StoreError::Conflict { entity, by, at, by_id, last, mine }
            }
            other => other,
        }
    }

    pub fn refused(reason: impl Into<String>) -> Self {
        StoreError::Refused { reason: reason.into() }
    }

    pub fn invalid(field: impl Into<String>, why: impl Into<String>) -> Self {
        StoreError::Invalid { field: field.into(), why: why.into() }
    }

    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        StoreError::NotFound { entity, id: id.to_string() }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        use sqlx::Error as E;
        match &e {
            E::Io(_) | E::PoolTimedOut | E::PoolClosed | E::Tls(_) | E::WorkerCrashed => {
                StoreError::Unavailable(one_line(&e.to_string()))
            }
            // The server shutting down or restarting under an open connection
            // (SQLSTATE class 08, and 57P01-57P03) is an outage, not a bad query.
            E::Database(db) if db.code().is_some_and(|c| c.starts_with("08") || c.starts_with("57P0")) => {
                StoreError::Unavailable(one_line(db.message()))
            }
            E::Database(db) => {
                let msg = one_line(db.message());
                match db.kind() {
                    sqlx::error::ErrorKind::UniqueViolation => StoreError::Invalid {
                        field: constraint_field(db.constraint(), &msg),
                        why: "is already taken".into(),
                    },
                    sqlx::error::ErrorKind::CheckViolation => StoreError::Invalid {
                        field: constraint_field(db.constraint(), &msg),
                        why: "breaks a rule of the data model".into(),
                    },
                    sqlx::error::ErrorKind::ForeignKeyViolation => {
                        StoreError::refused(format!("a referenced row does not exist or is still in use ({msg})"))
                    }
                    _ if is_unavailable_code(db.code().as_deref()) => StoreError::Unavailable(msg),
                    _ => StoreError::Other(msg),
                }
            }
            E::RowNotFound => StoreError::NotFound { entity: "row", id: "?".into() },
            _ => StoreError::Other(one_line(&e.to_string())),
        }
    }
}

/// PostgreSQL codes for a server that is shutting down or refusing connections, and
/// SQLite's "unable to open"/"read-only" codes.
fn is_unavailable_code(code: Option<&str>) -> bool {
    matches!(code, Some("57P01" | "57P02" | "57P03" | "08006" | "08001" | "14" | "8"))
}

/// The field a constraint protects: PostgreSQL names the constraint, SQLite puts
/// `table.column` in the message.
fn constraint_field(constraint: Option<&str>, msg: &str) -> String {
    if let Some(c) = constraint {
        return c.to_string();
    }
    msg.rsplit(": ").next().unwrap_or(msg).to_string()
}

pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
