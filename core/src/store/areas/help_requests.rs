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
//! A simple area: the screen reaches it through `Request::Area` ("list",
//! "respond" with the fields `response` and `then`, "move" with `to`).

use super::{AreaDecl, Args, Call, Outcome};
use crate::domain::help_request::{self, HelpStatus, RequesterType};
use crate::domain::permissions::Action;
use crate::store::audit::{self, Change};
use crate::store::page::{self, Page};
use crate::store::records::Record;
use crate::store::{Actor, Db, Result, StoreError, Tx, now};
use crate::with_tx;
use chrono::{DateTime, Utc};
use serde_json::json;

pub static AREA: AreaDecl = AreaDecl {
    columns: LIST_COLUMNS,
    name: "help_requests",
    gate: &[("list", Action::ViewContent), ("respond", Action::EditContent), ("move", Action::EditContent)],
    handle: |call| Box::pin(handle(call)),
    samples: |db, n| Box::pin(samples(db, n)),
};

/// The forms' field keys, shared with the screen's declaration.
pub mod field {
    /// The response's text.
    pub const RESPONSE: &str = "response";
    /// The status after responding (empty: resolved).
    pub const THEN: &str = "then";
    /// A status move's target.
    pub const TO: &str = "to";
}

async fn handle(call: Call<'_>) -> Result<Outcome> {
    let Call { db, actor, op, args, tz, .. } = call;
    match op {
        "list" => {
            let query = Query { status: args.tab::<HelpStatus>()?, search: args.search.clone() };
            let statuses = HelpStatus::ALL.iter().map(|s| s.as_str());
            let list = list_of();
            let sorted =
                super::sorted_record_page(db, "help_requests", statuses.clone(), &list, &args, |r| record(r, tz));
            if let Some(page) = sorted.await? {
                return Ok(Outcome::Page(page));
            }
            let after = args.after_time();
            let page = page(db, &query, after, args.limit).await?;
            let mut page =
                super::record_page(db, "help_requests", statuses, after.is_none(), page, |r| record(r, tz)).await?;
            page.sortable = list.sorts.iter().map(|c| c.heading).collect();
            Ok(Outcome::Page(page))
        }
        "respond" => {
            let (id, version) = args.record()?;
            let then = HelpStatus::parse(args.field(field::THEN));
            let saved = respond(db, actor, id, version, args.field(field::RESPONSE), then).await?;
            Ok(Outcome::Saved(format!("response saved; the request is {}", saved.status.as_str().replace('_', " "))))
        }
        "move" => {
            let (id, version) = args.record()?;
            let to: HelpStatus = args.parsed(field::TO, "a help request status")?;
            set_status(db, actor, id, version, to).await?;
            Ok(Outcome::Saved(format!("marked {}", to.as_str().replace('_', " "))))
        }
        other => Err(super::unknown(AREA.name, other)),
    }
}

/// The list's columns: heading and width (0: takes the room left), one per cell
/// `record` makes, in its order.
pub const LIST_COLUMNS: crate::store::records::Columns = &[("day", 5), ("from", 18), ("subject", 0), ("status", 11)];

/// A request as the record screen shows it: times in the office's zone.
fn record(r: &HelpRequest, tz: chrono_tz::Tz) -> Record {
    let when = |t: DateTime<Utc>| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string();
    let mut detail = vec![
        ("from".to_string(), format!("{} ({})", r.requester_name, r.requester_type.as_str())),
        ("email".to_string(), r.requester_email.clone().unwrap_or_else(|| "—".into())),
        ("status".to_string(), r.status.as_str().replace('_', " ")),
        ("asked".to_string(), when(r.created_at)),
        ("subject".to_string(), r.subject.clone()),
        ("message".to_string(), r.message.clone()),
    ];
    if let Some(resp) = &r.response {
        let by = r.responder_name.clone().unwrap_or_else(|| "someone".into());
        let at = r.responded_at.map(when).unwrap_or_default();
        detail.push((format!("response by {by} {at}"), resp.clone()));
    }
    if let Some(reply) = &r.user_reply {
        let at = r.user_replied_at.map(when).unwrap_or_default();
        detail.push((format!("their reply {at}"), reply.clone()));
    }
    Record {
        id: r.id,
        version: r.version,
        status: r.status.to_string(),
        cells: vec![
            r.created_at.with_timezone(&tz).format("%m-%d").to_string(),
            r.requester_name.clone(),
            r.subject.clone(),
            r.status.as_str().replace('_', " "),
        ],
        detail,
        values: vec![(field::RESPONSE, r.response.clone().unwrap_or_default())],
    }
}

/// For the gate test: requests raised by the first user (as the website does),
/// one to answer and one to move.
async fn samples(db: &Db, n: u32) -> Result<Vec<(&'static str, Args)>> {
    let requester: i64 = crate::with_db!(db, p => sqlx::query_scalar("SELECT MIN(id) FROM users").fetch_one(p).await?);
    let mut made = Vec::new();
    for what in ["respond", "move"] {
        let sql = "INSERT INTO help_requests (user_id, subject, message, requester_type, created_at, updated_at) \
                   VALUES ($1, $2, 'help', 'student', $3, $3) RETURNING id";
        let subject = format!("Gate help {what} {n}");
        let id: i64 = crate::with_db!(db, p => {
            sqlx::query_scalar(sql).bind(requester).bind(&subject).bind(now()).fetch_one(p).await?
        });
        made.push((id, 1));
    }
    Ok(vec![
        ("list", Args { limit: 10, ..Args::default() }),
        (
            "respond",
            Args { record: Some(made[0]), fields: vec![(field::RESPONSE, "gate answer".into())], ..Args::default() },
        ),
        ("move", Args { record: Some(made[1]), fields: vec![(field::TO, "in_progress".into())], ..Args::default() }),
    ])
}

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

/// Request counts per status, in `HelpStatus::ALL` order (zero included): the
/// tabs' counts, as the list's first page carries them.
#[cfg(any(test, feature = "testing"))] // only the tests call it
pub async fn counts(db: &Db) -> Result<Vec<(HelpStatus, i64)>> {
    let rows = super::status_counts(db, "help_requests", HelpStatus::ALL.iter().map(|s| s.as_str())).await?;
    Ok(HelpStatus::ALL.iter().zip(rows).map(|(s, (_, n))| (*s, n)).collect())
}

/// One page of requests matching `query`, newest first. Pass the previous page's
/// `next` as `after`.
pub async fn page(db: &Db, query: &Query, after: Option<Key>, limit: i64) -> Result<Page<HelpRequest, Key>> {
    let status = query.status.map(|s| s.as_str());
    page::list_page(db, &list_of(), status, query.search.as_deref(), &[], after, limit).await
}

/// The requests list: the newest first, or sorted by day, requester, subject or
/// status.
fn list_of() -> page::List<'static, HelpRequest, DateTime<Utc>> {
    use page::{SortColumn, SortKind};
    page::List {
        select: SELECT,
        key: "h.created_at",
        descending: true,
        status: "h.status",
        searched: &["h.subject", "h.message", "u.full_name"],
        id: "h.id",
        key_of: |h: &HelpRequest| (h.created_at, h.id),
        sorts: &[
            SortColumn { heading: "day", expr: "h.created_at", kind: SortKind::Time },
            SortColumn { heading: "from", expr: "lower(COALESCE(u.full_name, ''))", kind: SortKind::Text },
            SortColumn { heading: "subject", expr: "lower(h.subject)", kind: SortKind::Text },
            SortColumn { heading: "status", expr: "h.status", kind: SortKind::Text },
        ],
    }
}

#[cfg(any(test, feature = "testing"))] // only the tests call it
pub async fn get(db: &Db, id: i64) -> Result<HelpRequest> {
    let sql = format!("{SELECT} WHERE h.id = $1");
    crate::with_db!(db, p => sqlx::query_as::<_, HelpRequest>(&sql).bind(id).fetch_optional(p).await?)
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
    crate::store::versioned::set_status(&mut tx, "help_requests", what, id, version, to.as_str()).await?;
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
