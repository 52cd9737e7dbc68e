//! The users screen's list: accounts by state (active, locked out, deactivated)
//! with counts, searched by name, email or phone, keyset-paged in id order.

use super::page::{self, Page};
use super::users::{USER_COLUMNS, User};
use super::{Db, Result};
use crate::with_db;
use chrono::{DateTime, Utc};

/// The states the list is split by, as the screen's tabs name them.
pub const STATES: [&str; 3] = ["active", "locked", "inactive"];

/// The state of `u` at `at`: deactivated wins over locked.
pub fn state(u: &User, at: DateTime<Utc>) -> &'static str {
    if !u.is_active {
        "inactive"
    } else if u.locked_until.is_some_and(|t| t > at) {
        "locked"
    } else {
        "active"
    }
}

/// The SQL of a state, with the placeholders for "true" and the instant.
fn state_sql(state: &str, yes: &str, at: &str) -> String {
    match state {
        "inactive" => format!("is_active <> {yes}"),
        "locked" => format!("is_active = {yes} AND locked_until > {at}"),
        _ => format!("is_active = {yes} AND (locked_until IS NULL OR locked_until <= {at})"),
    }
}

/// Accounts per state at `at`, in `STATES` order.
pub async fn counts(db: &Db, at: DateTime<Utc>) -> Result<Vec<(&'static str, i64)>> {
    let mut out = Vec::new();
    for s in STATES {
        let sql = format!("SELECT COUNT(*) FROM users WHERE {}", state_sql(s, "$1", "$2"));
        let n: i64 = with_db!(db, p => {
            let q = sqlx::query_scalar(&sql).bind(true);
            // "inactive" does not compare times: binding an unused $2 fails on PostgreSQL.
            let q = if s == "inactive" { q } else { q.bind(at) };
            q.fetch_one(p).await?
        });
        out.push((s, n));
    }
    Ok(out)
}

/// One page of accounts in `state` (all when `None`) whose name, email or phone
/// contains `search`, in id order after `after`.
pub async fn page(
    db: &Db,
    state: Option<&str>,
    search: Option<&str>,
    after: Option<i64>,
    limit: i64,
    at: DateTime<Utc>,
) -> Result<Page<User, i64>> {
    let limit = page::limit(limit);
    let pattern = search.and_then(page::contains_pattern);
    let mut args = page::Args::default();
    let mut sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id > {}", args.arg());
    let timed = state.is_some_and(|s| s != "inactive");
    if let Some(s) = state {
        let yes = args.arg();
        let when = if timed { args.arg() } else { String::new() };
        sql += &format!(" AND {}", state_sql(s, &yes, &when));
    }
    if pattern.is_some() {
        sql += &page::any_like(&["full_name", "email", "phone"], &args.arg());
    }
    sql += &format!(" ORDER BY id LIMIT {}", args.arg());
    let rows = with_db!(db, p => {
        let mut q = sqlx::query_as::<_, User>(&sql).bind(after.unwrap_or(0));
        if state.is_some() {
            q = q.bind(true);
        }
        if timed {
            q = q.bind(at);
        }
        if let Some(p) = &pattern {
            q = q.bind(p);
        }
        q.bind(limit + 1).fetch_all(p).await?
    });
    Ok(page::from_rows(rows, limit, |u| u.id))
}
