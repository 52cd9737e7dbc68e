//! Help requests (docs/domain.md §8, seed 001): support tickets that students,
//! teachers and admins raise on the website. Staff page through them by status,
//! answer them (`respond`) and move them along (`set_status`, checked by
//! `HelpStatus::check_move`). The requester's follow-up (`user_reply`) arrives from
//! the website and is only read here.
//!
//! Reading needs nothing (the screen checks `ViewContent`); every write needs
//! `EditContent` (admin, staff), is guarded by the version the user saw, and is
//! audited as `help_request` in its own transaction.
//!
//! The API has the shape of every record screen's store: `Query`, `Key`, `counts`,
//! `page`, `get`, then the writes.

use super::audit::{self, Change};
use super::page::{self, Page};
use super::{Actor, Db, Result, StoreError, Tx, now};
use crate::domain::help_request::{self, HelpStatus, RequesterType};
use crate::domain::permissions::Action;
use crate::{with_db, with_tx};
use chrono::{DateTime, Utc};
use serde_json::json;

/// A help request with the names the screen shows.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct HelpRequest {
    pub id: i64,
    /// The requester.
    pub user_id: i64,
    pub requester_name: String,
    pub requester_email: Option<String>,
    #[sqlx(try_from = "String")]
    pub requester_type: RequesterType,
    pub subject: String,
    pub message: String,
    #[sqlx(try_from = "String")]
    pub status: HelpStatus,
    /// Staff's answer; the latest one (earlier answers are in the audit log).
    pub response: Option<String>,
    pub responded_at: Option<DateTime<Utc>>,
    pub responded_by: Option<i64>,
    pub responder_name: Option<String>,
    /// The requester's follow-up to the response, from the website.
    pub user_reply: Option<String>,
    pub user_replied_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT h.id, h.user_id, u.full_name AS requester_name, u.email AS requester_email, \
     h.requester_type, h.subject, h.message, h.status, h.response, h.responded_at, h.responded_by, \
     r.full_name AS responder_name, h.user_reply, h.user_replied_at, h.version, h.created_at, h.updated_at \
     FROM help_requests h JOIN users u ON u.id = h.user_id LEFT JOIN users r ON r.id = h.responded_by";

/// What the list shows: one status tab (`None`: all) and a search over subject,
/// message and requester name (case-insensitive substring; `%` and `_` are literal).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub status: Option<HelpStatus>,
    pub search: Option<String>,
}

/// Keyset key of the list order: newest first (`created_at`, then `id`).
pub type Key = (DateTime<Utc>, i64);

/// Request counts per status, in `HelpStatus::ALL` order (zero included), for the
/// tabs; the "all" tab is their sum.
pub async fn counts(db: &Db) -> Result<Vec<(HelpStatus, i64)>> {
    let rows: Vec<(String, i64)> = with_db!(db, p => {
        sqlx::query_as("SELECT status, COUNT(*) FROM help_requests GROUP BY status").fetch_all(p).await?
    });
    Ok(HelpStatus::ALL
        .iter()
        .map(|s| (*s, rows.iter().find(|(name, _)| name == s.as_str()).map_or(0, |r| r.1)))
        .collect())
}

/// One page of requests matching `query`, newest first. Pass the previous page's
/// `next` as `after`.
pub async fn page(db: &Db, query: &Query, after: Option<Key>, limit: i64) -> Result<Page<HelpRequest, Key>> {
    let limit = page::limit(limit);
    let pattern = query.search.as_deref().and_then(page::contains_pattern);
    let mut args = page::Args::default();
    let mut sql = format!("{SELECT} WHERE 1 = 1");
    if query.status.is_some() {
        sql += &format!(" AND h.status = {}", args.arg());
    }
    if pattern.is_some() {
        sql += &page::any_like(&["h.subject", "h.message", "u.full_name"], &args.arg());
    }
    if after.is_some() {
        sql += &format!(" AND (h.created_at, h.id) < ({}, {})", args.arg(), args.arg());
    }
    sql += &format!(" ORDER BY h.created_at DESC, h.id DESC LIMIT {}", args.arg());
    let rows = with_db!(db, p => {
        let mut q = sqlx::query_as::<_, HelpRequest>(&sql);
        if let Some(s) = query.status {
            q = q.bind(s.as_str());
        }
        if let Some(pattern) = &pattern {
            q = q.bind(pattern);
        }
        if let Some((created_at, id)) = after {
            q = q.bind(created_at).bind(id);
        }
        q.bind(limit + 1).fetch_all(p).await?
    });
    Ok(page::from_rows(rows, limit, |h| (h.created_at, h.id)))
}

#[cfg(any(test, feature = "testing"))] // only the tests call it
pub async fn get(db: &Db, id: i64) -> Result<HelpRequest> {
    let sql = format!("{SELECT} WHERE h.id = $1");
    with_db!(db, p => sqlx::query_as::<_, HelpRequest>(&sql).bind(id).fetch_optional(p).await?)
        .ok_or_else(|| StoreError::not_found("help request", id))
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<HelpRequest> {
    let sql = format!("{SELECT} WHERE h.id = $1");
    with_tx!(tx, c => sqlx::query_as::<_, HelpRequest>(&sql).bind(id).fetch_optional(&mut *c).await?)
        .ok_or_else(|| StoreError::not_found("help request", id))
}

/// Reads the request for a write: it must exist and still be at `version`.
async fn fetch_for_write(tx: &mut Tx, id: i64, version: i64) -> Result<HelpRequest> {
    let before = get_in(tx, id).await?;
    if before.version != version {
        return Err(audit::conflict(tx, "this help request", "help_request", id).await);
    }
    Ok(before)
}

/// The audited fields of a request.
fn audited(h: &HelpRequest) -> serde_json::Value {
    json!({"id": h.id, "status": h.status, "response": h.response, "responded_at": h.responded_at,
        "responded_by": h.responded_by})
}

/// Stores staff's answer (at most `help_request::MAX_RESPONSE_CHARS` characters,
/// not blank; it replaces an earlier one), who answered and when, and moves the
/// request to `status`, or to resolved when `None` (`HelpStatus::after_response`:
/// staying in the current status is allowed, pending is not). One transaction with
/// its audit row.
pub async fn respond(
    db: &Db,
    actor: &Actor,
    id: i64,
    version: i64,
    text: &str,
    status: Option<HelpStatus>,
) -> Result<HelpRequest> {
    actor.require(Action::EditContent)?;
    let text = help_request::check_response(text).map_err(|why| StoreError::invalid("response", why))?;
    let mut tx = db.begin().await?;
    let before = fetch_for_write(&mut tx, id, version).await?;
    let to = before.status.after_response(status).map_err(|e| StoreError::refused(e.to_string()))?;
    let at = now();
    let updated: Option<i64> = with_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "UPDATE help_requests SET response = $3, responded_at = $4, responded_by = $5, status = $6, \
             version = version + 1, updated_at = $4 WHERE id = $1 AND version = $2 RETURNING id",
        )
        .bind(id)
        .bind(version)
        .bind(&text)
        .bind(at)
        .bind(actor.user_id)
        .bind(to.as_str())
        .fetch_optional(&mut *c)
        .await?
    });
    if updated.is_none() {
        return Err(audit::conflict(&mut tx, "this help request", "help_request", id).await);
    }
    let after = get_in(&mut tx, id).await?;
    let moved = if to == before.status { format!(" ({to})") } else { format!(" ({} -> {to})", before.status) };
    let summary = format!("responded to help request \"{}\" from {}{moved}", before.subject, before.requester_name);
    let change = Change::new("respond", "help_request", Some(id), summary).diff(&audited(&before), &audited(&after));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// Moves a request to another status (`HelpStatus::check_move`; a refusal names the
/// allowed moves). The response, if any, is kept.
pub async fn set_status(db: &Db, actor: &Actor, id: i64, version: i64, to: HelpStatus) -> Result<HelpRequest> {
    actor.require(Action::EditContent)?;
    let mut tx = db.begin().await?;
    let before = fetch_for_write(&mut tx, id, version).await?;
    before.status.check_move(to).map_err(|e| StoreError::refused(e.to_string()))?;
    let what = ("this help request", "help_request");
    super::versioned::set_status(&mut tx, "help_requests", what, id, version, to.as_str()).await?;
    let after = get_in(&mut tx, id).await?;
    let summary = format!(
        "moved help request \"{}\" from {} from {} to {to}",
        before.subject, before.requester_name, before.status
    );
    let change =
        Change::new("status_change", "help_request", Some(id), summary).diff(&audited(&before), &audited(&after));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}
