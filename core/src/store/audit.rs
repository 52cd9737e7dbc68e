//! The audit trail: one writer used by every mutation, inside the mutation's own
//! transaction, and the verifier of the SHA-256 hash chain.
//!
//! Chain: `hash = SHA-256(prev_hash | canonical(row))`, where canonical(row) is a JSON
//! array of every column but the hashes. Ids are assigned here (last id + 1) while the
//! chain head is held, so id order is chain order. On PostgreSQL the head is held by a
//! transaction-scoped advisory lock, so concurrent writers queue and the chain never
//! forks; on SQLite `BEGIN IMMEDIATE` already serialises writers.
//! `old_values`/`new_values` are TEXT on both backends so the hashed bytes are the
//! stored bytes.

#[cfg(any(test, feature = "testing"))]
use super::page::{self, Page};
use super::{Actor, Db, Result, StoreError, Tx, now};
use crate::{with_db, with_tx};
use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use futures::TryStreamExt;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// `prev_hash` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Key of the PostgreSQL advisory lock that serialises the chain head.
const CHAIN_LOCK: i64 = 0x5354_4146_4641_5544; // "STAFFAUD"

/// The PostgreSQL NOTIFY channel that carries change notices (entity type as payload).
pub const CHANGES_CHANNEL: &str = "staffroom_changes";

/// What a mutation records.
#[derive(Debug, Clone, Default)]
pub struct Change {
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<i64>,
    pub summary: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

impl Change {
    pub fn new(action: &str, entity_type: &str, entity_id: Option<i64>, summary: impl Into<String>) -> Change {
        Change {
            action: action.into(),
            entity_type: entity_type.into(),
            entity_id,
            summary: summary.into(),
            old: None,
            new: None,
        }
    }

    /// Keeps only the fields that differ (plus `id`) on both sides.
    pub fn diff(mut self, old: &Value, new: &Value) -> Change {
        let (o, n) = changed_fields(old, new);
        self.old = Some(o);
        self.new = Some(n);
        self
    }

    pub fn with_new(mut self, new: Value) -> Change {
        self.new = Some(new);
        self
    }
}

/// One stored audit row.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub actor_id: Option<i64>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<i64>,
    pub summary: String,
    pub old_values: Option<String>,
    pub new_values: Option<String>,
    pub remote: String,
    pub client: String,
    pub created_at: DateTime<Utc>,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRow {
    /// The row as the chain sees it: a JSON array of every column but the hashes.
    fn canonical(&self) -> String {
        let fields = (
            self.id,
            self.actor_id,
            &self.action,
            &self.entity_type,
            self.entity_id,
            &self.summary,
            &self.old_values,
            &self.new_values,
            &self.remote,
            &self.client,
            self.created_at.to_rfc3339_opts(SecondsFormat::Micros, true),
        );
        // Serialising plain strings and integers cannot fail.
        serde_json::to_string(&fields).unwrap_or_default()
    }

    /// The hash this row must carry given the previous row's hash.
    pub fn expected_hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        h.update(prev_hash.as_bytes());
        h.update(b"|");
        h.update(self.canonical().as_bytes());
        hex(&h.finalize())
    }

    /// Sets `prev_hash` and `hash`, linking this row after `prev_hash`.
    pub fn seal(&mut self, prev_hash: &str) {
        self.prev_hash = prev_hash.to_string();
        self.hash = self.expected_hash(prev_hash);
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The fields of `new` that differ from `old`, as two objects, each with the `id`.
pub fn changed_fields(old: &Value, new: &Value) -> (Value, Value) {
    let empty = Map::new();
    let o = old.as_object().unwrap_or(&empty);
    let n = new.as_object().unwrap_or(&empty);
    let mut out_old = Map::new();
    let mut out_new = Map::new();
    for (k, nv) in n {
        let ov = o.get(k).unwrap_or(&Value::Null);
        if ov != nv || k == "id" {
            out_old.insert(k.clone(), ov.clone());
            out_new.insert(k.clone(), nv.clone());
        }
    }
    (Value::Object(out_old), Value::Object(out_new))
}

/// Appends an audit row inside `tx` (the mutation's own transaction) and, on
/// PostgreSQL, queues a change notice delivered when that transaction commits.
pub async fn record(tx: &mut Tx, actor: &Actor, change: Change) -> Result<i64> {
    record_at(tx, actor, change, now()).await
}

/// `record` with the instant the change happened, for history written after the
/// fact (the demo's back-dated pipeline moves). The chain stays in id order.
pub async fn record_at(tx: &mut Tx, actor: &Actor, change: Change, at: DateTime<Utc>) -> Result<i64> {
    let (last_id, prev_hash) = lock_head(tx).await?;
    let mut row = AuditRow {
        id: last_id + 1,
        actor_id: actor.user_id,
        action: change.action,
        entity_type: change.entity_type,
        entity_id: change.entity_id,
        summary: change.summary,
        old_values: change.old.map(|v| v.to_string()),
        new_values: change.new.map(|v| v.to_string()),
        remote: actor.remote.clone(),
        client: actor.client.clone(),
        created_at: at.trunc_subsecs(6),
        prev_hash: String::new(),
        hash: String::new(),
    };
    row.seal(&prev_hash);
    insert_rows(tx, std::slice::from_ref(&row)).await?;
    if let Tx::Postgres(t) = tx {
        sqlx::query("SELECT pg_notify($1, $2)").bind(CHANGES_CHANNEL).bind(&row.entity_type).execute(&mut **t).await?;
    }
    Ok(row.id)
}

/// Takes the chain head for this transaction: the last id and hash.
pub async fn lock_head(tx: &mut Tx) -> Result<(i64, String)> {
    if let Tx::Postgres(t) = tx {
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(CHAIN_LOCK).execute(&mut **t).await?;
    }
    let head: Option<(i64, String)> = with_tx!(tx, c => {
        sqlx::query_as("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_optional(&mut *c)
            .await?
    });
    Ok(head.unwrap_or_else(|| (0, GENESIS.to_string())))
}

const INSERT_COLUMNS: &str = "INSERT INTO audit_log (id, actor_id, action, entity_type, entity_id, summary, \
     old_values, new_values, remote, client, created_at, prev_hash, hash) VALUES ";

/// Inserts already-sealed rows, many per statement (the demo generator writes a
/// million this way). Callers hold the chain head (`lock_head`).
pub async fn insert_rows(tx: &mut Tx, rows: &[AuditRow]) -> Result<()> {
    const COLS: usize = 13;
    // sqlx's cost per bound parameter grows with the statement's parameter count, so
    // small multi-row statements are fastest (measured: 10 rows ≈ 30 µs a row, 500
    // rows ≈ 150 µs a row).
    const PER_STATEMENT: usize = 10;
    let full = super::values_sql(INSERT_COLUMNS, PER_STATEMENT, COLS);
    for chunk in rows.chunks(PER_STATEMENT) {
        let sql = if chunk.len() == PER_STATEMENT {
            full.clone()
        } else {
            super::values_sql(INSERT_COLUMNS, chunk.len(), COLS)
        };
        with_tx!(tx, c => {
            let mut q = sqlx::query(&sql);
            for r in chunk {
                q = q
                    .bind(r.id)
                    .bind(r.actor_id)
                    .bind(&r.action)
                    .bind(&r.entity_type)
                    .bind(r.entity_id)
                    .bind(&r.summary)
                    .bind(&r.old_values)
                    .bind(&r.new_values)
                    .bind(&r.remote)
                    .bind(&r.client)
                    .bind(r.created_at)
                    .bind(&r.prev_hash)
                    .bind(&r.hash);
            }
            q.execute(&mut *c).await?;
        });
    }
    if let Some(last) = rows.last() {
        set_head(tx, last.id, &last.hash, last.created_at).await?;
    }
    Ok(())
}

/// The head moves with the rows, in their transaction (`audit_head`).
async fn set_head(tx: &mut Tx, id: i64, hash: &str, at: DateTime<Utc>) -> Result<()> {
    with_tx!(tx, c => {
        sqlx::query(
            "INSERT INTO audit_head (id, last_id, last_hash, updated_at) VALUES (1, $1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash, \
             updated_at = excluded.updated_at",
        )
        .bind(id)
        .bind(hash)
        .bind(at)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// The stored head: (last id, its hash); `None` when no row was ever written.
pub async fn head(db: &Db) -> Result<Option<(i64, String)>> {
    Ok(
        with_db!(db, p => sqlx::query_as("SELECT last_id, last_hash FROM audit_head WHERE id = 1").fetch_optional(p).await?),
    )
}

/// One line of a checkpoint file: the head at a moment, kept outside the database.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Checkpoint {
    pub id: i64,
    pub hash: String,
    pub at: DateTime<Utc>,
}

/// The head as a checkpoint to write down (the last row as the log has it, which
/// `verify` has checked against the stored head).
pub async fn checkpoint(db: &Db) -> Result<Option<Checkpoint>> {
    let last: Option<(i64, String)> = with_db!(db, p => sqlx::query_as("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetch_optional(p).await?);
    Ok(last.map(|(id, hash)| Checkpoint { id, hash, at: now() }))
}

/// Checks the log against checkpoints written earlier: each checkpointed row must
/// still be there with the same hash. With the chain intact this proves every row
/// up to it unchanged, so a truncation or a rewritten chain (head included) is
/// named by the checkpoint it breaks.
pub async fn check_checkpoints(db: &Db, checkpoints: &[Checkpoint]) -> Result<Verdict> {
    for c in checkpoints {
        let found: Option<String> = with_db!(db, p => sqlx::query_scalar("SELECT hash FROM audit_log WHERE id = $1").bind(c.id).fetch_optional(p).await?);
        let when = c.at.format("%Y-%m-%d %H:%M:%S UTC");
        match found {
            None => {
                return Ok(Verdict::Broken {
                    id: c.id,
                    why: format!("the checkpoint of {when} names row #{} and it is gone (the log was truncated)", c.id),
                });
            }
            Some(h) if h != c.hash => {
                return Ok(Verdict::Broken {
                    id: c.id,
                    why: format!(
                        "the checkpoint of {when} holds another hash for row #{} (the chain was rewritten)",
                        c.id
                    ),
                });
            }
            Some(_) => {}
        }
    }
    let rows = checkpoints.len() as u64;
    Ok(Verdict::Intact { rows })
}

/// The outcome of `verify`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Intact { rows: u64 },
    Broken { id: i64, why: String },
}

/// Recomputes the whole chain in id order. `progress` is called with the number of
/// rows checked so far, a few times a second and at the end.
///
/// Decoding rows is the cost (hashing is cheap), so the id range is cut into one
/// segment per core, each read on its own connection and checked in parallel; the
/// links between segments are checked when they are joined. The first broken row
/// in id order is reported, as a sequential walk would.
pub async fn verify(db: &Db, progress: &mut (dyn FnMut(u64) + Send)) -> Result<Verdict> {
    let (lo, hi): (Option<i64>, Option<i64>) =
        with_db!(db, p => sqlx::query_as("SELECT MIN(id), MAX(id) FROM audit_log").fetch_one(p).await?);
    let stored_head = head(db).await?;
    let (Some(lo), Some(hi)) = (lo, hi) else {
        progress(0);
        // No rows: intact only if none was ever written.
        return Ok(match stored_head {
            Some((id, _)) if id > 0 => Verdict::Broken {
                id,
                why: format!("the log is empty but its head names row #{id} (every row was deleted)"),
            },
            _ => Verdict::Intact { rows: 0 },
        });
    };
    let parts = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4) as i64;
    let step = ((hi - lo + 1) / parts).max(1);
    let checked = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut tasks = Vec::new();
    for i in 0..parts {
        let start = lo + i * step;
        let end = if i == parts - 1 { hi + 1 } else { start + step };
        if start >= end {
            continue;
        }
        let (db, checked) = (db.clone(), checked.clone());
        tasks.push(tokio::spawn(async move { check_segment(&db, start, end, &checked).await }));
    }
    let all = futures::future::join_all(tasks);
    tokio::pin!(all);
    let results = loop {
        tokio::select! {
            results = &mut all => break results,
            _ = tokio::time::sleep(std::time::Duration::from_millis(200)) => {
                progress(checked.load(std::sync::atomic::Ordering::Relaxed));
            }
        }
    };
    let mut prev_last = GENESIS.to_string();
    let mut rows = 0;
    for joined in results {
        let seg = joined.map_err(|e| StoreError::Other(format!("audit check failed: {e}")))??;
        let Some(first) = seg.first else { continue };
        if first.1 != prev_last {
            return Ok(Verdict::Broken { id: first.0, why: BROKEN_LINK.into() });
        }
        if let Some((id, why)) = seg.broken {
            return Ok(Verdict::Broken { id, why: why.into() });
        }
        prev_last = seg.last_hash;
        rows += seg.rows;
    }
    progress(rows);
    // The chain links up; does it end where the head says?
    match stored_head {
        None => Ok(Verdict::Broken { id: hi, why: "the chain's head is missing (audit_head was emptied)".into() }),
        Some((id, hash)) if id != hi || hash != prev_last => {
            let why = if id > hi {
                format!("the log ends at row #{hi} but its head names row #{id} (the newest rows were deleted)")
            } else {
                format!("the log ends at row #{hi} but its head names row #{id} (the head does not match)")
            };
            Ok(Verdict::Broken { id: id.max(hi), why })
        }
        Some(_) => Ok(Verdict::Intact { rows }),
    }
}

const BROKEN_LINK: &str = "its prev_hash does not match the row before it (a row was removed or inserted)";
const BROKEN_ROW: &str = "its content does not match its hash (the row was changed)";

/// What one segment of the chain looks like from inside.
struct Segment {
    /// The first row's id and its prev_hash (checked against the previous segment).
    first: Option<(i64, String)>,
    last_hash: String,
    rows: u64,
    /// The first row in this segment that breaks the chain, if any.
    broken: Option<(i64, &'static str)>,
}

async fn check_segment(db: &Db, start: i64, end: i64, checked: &std::sync::atomic::AtomicU64) -> Result<Segment> {
    let mut seg = Segment { first: None, last_hash: String::new(), rows: 0, broken: None };
    match db {
        Db::Sqlite(p) => {
            // sqlx hands each row from its SQLite thread to ours with a wake-up, which
            // dominates a million-row scan. SQLite packs a chunk of rows into one JSON
            // text instead (exact: strings round-trip through JSON escapes).
            // 1,000 rows a chunk: `audit verify` of 1M rows peaks at 39 MB and takes
            // 6.8 s (5,000 rows: 87 MB, 5.3 s); the TUI verifies within its 40 MB.
            const CHUNK: i64 = 1_000;
            let mut from = start;
            while from < end && seg.broken.is_none() {
                let to = (from + CHUNK).min(end);
                let packed: Option<String> = sqlx::query_scalar(
                    "SELECT json_group_array(json_array(id, actor_id, action, entity_type, entity_id, summary, \
                     old_values, new_values, remote, client, created_at, prev_hash, hash)) \
                     FROM (SELECT * FROM audit_log WHERE id >= $1 AND id < $2 ORDER BY id)",
                )
                .bind(from)
                .bind(to)
                .fetch_one(p)
                .await?;
                let mut rows = unpack_rows(packed.as_deref().unwrap_or("[]"))?;
                rows.sort_by_key(|r| r.id);
                let before = seg.rows;
                for row in rows {
                    if !check_row(&mut seg, row) {
                        break;
                    }
                }
                checked.fetch_add(seg.rows - before, std::sync::atomic::Ordering::Relaxed);
                from = to;
            }
        }
        Db::Postgres(p) => {
            let mut stream = sqlx::query_as::<_, AuditRow>(
                "SELECT id, actor_id, action, entity_type, entity_id, summary, old_values, new_values, \
                 remote, client, created_at, prev_hash, hash FROM audit_log WHERE id >= $1 AND id < $2 ORDER BY id",
            )
            .bind(start)
            .bind(end)
            .fetch(p);
            while let Some(row) = stream.try_next().await? {
                if !check_row(&mut seg, row) {
                    break;
                }
                if seg.rows.is_multiple_of(1000) {
                    checked.fetch_add(1000, std::sync::atomic::Ordering::Relaxed);
                }
            }
        }
    }
    Ok(seg)
}

/// Checks one row against the segment so far; `false` once the chain is broken.
fn check_row(seg: &mut Segment, row: AuditRow) -> bool {
    if seg.first.is_none() {
        seg.first = Some((row.id, row.prev_hash.clone()));
    } else if row.prev_hash != seg.last_hash {
        seg.broken = Some((row.id, BROKEN_LINK));
        return false;
    }
    if row.expected_hash(&row.prev_hash) != row.hash {
        seg.broken = Some((row.id, BROKEN_ROW));
        return false;
    }
    seg.last_hash = row.hash;
    seg.rows += 1;
    true
}

/// Rows from SQLite's `json_group_array(json_array(…))`, in the column order of
/// `AuditRow`.
fn unpack_rows(packed: &str) -> Result<Vec<AuditRow>> {
    type Packed = (
        i64,
        Option<i64>,
        String,
        String,
        Option<i64>,
        String,
        Option<String>,
        Option<String>,
        String,
        String,
        String,
        String,
        String,
    );
    let rows: Vec<Packed> =
        serde_json::from_str(packed).map_err(|e| StoreError::Other(format!("unreadable audit rows: {e}")))?;
    rows.into_iter()
        .map(|r| {
            let created_at = DateTime::parse_from_rfc3339(&r.10)
                .map_err(|e| StoreError::Other(format!("audit row {} has a bad created_at: {e}", r.0)))?
                .with_timezone(&Utc);
            Ok(AuditRow {
                id: r.0,
                actor_id: r.1,
                action: r.2,
                entity_type: r.3,
                entity_id: r.4,
                summary: r.5,
                old_values: r.6,
                new_values: r.7,
                remote: r.8,
                client: r.9,
                created_at,
                prev_hash: r.11,
                hash: r.12,
            })
        })
        .collect()
}

/// How many rows the log has written: its newest id. Rows are only ever appended
/// (ids from 1), so this is the row count of an intact log, read from the primary
/// key's end instead of counting a million rows (`demo --large` asks it at every
/// start, before the first frame).
pub async fn written(db: &Db) -> Result<i64> {
    Ok(with_db!(db, p => sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(id) FROM audit_log").fetch_one(p).await?)
        .unwrap_or(0))
}

pub async fn count(db: &Db) -> Result<i64> {
    Ok(with_db!(db, p => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log").fetch_one(p).await?))
}

#[cfg(any(test, feature = "testing"))] // only the tests call it
/// One page of the audit log, newest first, strictly before `before_id`.
pub async fn page(db: &Db, before_id: Option<i64>, limit: i64) -> Result<Page<AuditRow, i64>> {
    let limit = page::limit(limit);
    let rows = with_db!(db, p => {
        sqlx::query_as::<_, AuditRow>(
            "SELECT id, actor_id, action, entity_type, entity_id, summary, old_values, new_values, \
             remote, client, created_at, prev_hash, hash FROM audit_log \
             WHERE id < $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(before_id.unwrap_or(i64::MAX))
        .bind(limit + 1)
        .fetch_all(p)
        .await?
    });
    Ok(page::from_rows(rows, limit, |r| r.id))
}

#[cfg(any(test, feature = "testing"))] // only the tests call it
/// Rows about one entity, oldest first (timelines, "who changed this").
pub async fn for_entity(db: &Db, entity_type: &str, entity_id: i64) -> Result<Vec<AuditRow>> {
    Ok(with_db!(db, p => {
        sqlx::query_as::<_, AuditRow>(
            "SELECT id, actor_id, action, entity_type, entity_id, summary, old_values, new_values, \
             remote, client, created_at, prev_hash, hash FROM audit_log \
             WHERE entity_type = $1 AND entity_id = $2 ORDER BY id",
        )
        .bind(entity_type)
        .bind(entity_id)
        .fetch_all(p)
        .await?
    }))
}

/// Builds the Conflict error for a row whose version moved: names the last writer
/// and when, from the audit log (read inside the failing transaction).
pub async fn conflict(tx: &mut Tx, entity: &'static str, entity_type: &str, id: i64) -> StoreError {
    type Last = (Option<String>, DateTime<Utc>, Option<i64>, String);
    let last: Option<Last> = with_tx!(tx, c => {
        sqlx::query_as(
            "SELECT u.full_name, a.created_at, a.actor_id, a.summary FROM audit_log a \
             LEFT JOIN users u ON u.id = a.actor_id \
             WHERE a.entity_type = $1 AND a.entity_id = $2 ORDER BY a.id DESC LIMIT 1",
        )
        .bind(entity_type)
        .bind(id)
        .fetch_optional(&mut *c)
        .await
        .ok()
        .flatten()
    });
    match last {
        Some((by, at, by_id, summary)) => StoreError::Conflict {
            entity,
            by: Some(by.unwrap_or_else(|| "cli".into())),
            at: Some(at),
            by_id,
            last: Some(summary),
            mine: false,
        },
        None => StoreError::Conflict { entity, by: None, at: None, by_id: None, last: None, mine: false },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_keeps_changed_fields_and_id() {
        let (o, n) = changed_fields(
            &json!({"id": 7, "status": "new", "name": "Sara"}),
            &json!({"id": 7, "status": "contacted", "name": "Sara"}),
        );
        assert_eq!(o, json!({"id": 7, "status": "new"}));
        assert_eq!(n, json!({"id": 7, "status": "contacted"}));
    }

    #[test]
    fn any_field_change_changes_the_hash() {
        let mut row = AuditRow {
            id: 1,
            actor_id: Some(2),
            action: "update".into(),
            entity_type: "lead".into(),
            entity_id: Some(3),
            summary: "moved".into(),
            old_values: None,
            new_values: Some("{}".into()),
            remote: "local".into(),
            client: "t".into(),
            created_at: now(),
            prev_hash: String::new(),
            hash: String::new(),
        };
        row.seal(GENESIS);
        let h = row.hash.clone();
        assert_eq!(h.len(), 64);
        assert_eq!(row.expected_hash(GENESIS), h);
        row.summary.push('!');
        assert_ne!(row.expected_hash(GENESIS), h);
        row.summary.pop();
        assert_ne!(row.expected_hash("x"), h, "the chain links to the previous hash");
    }
}
