//! The audit trail: one writer used by every mutation, inside the mutation's own
//! transaction, and (in `verify.rs`) the verifier of the SHA-256 hash chain.
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

mod verify;

use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
pub use verify::{Checkpoint, Verdict, check_checkpoints, checkpoint, verify};

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
