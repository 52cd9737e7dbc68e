//! Audit rows out of the database: CSV (every column) or JSON lines (old and new
//! values as JSON), oldest first in the chain's order, a page at a time. Used by
//! `staffroom export audit` and the viewer's `E`.

use super::audit::AuditRow;
use super::audit_query::{self, AuditFilter, Scope};
use super::{Db, Result, StoreError};
use std::io::Write;

const HEADER: [&str; 13] = [
    "id",
    "created_at",
    "actor_id",
    "action",
    "entity_type",
    "entity_id",
    "summary",
    "old_values",
    "new_values",
    "remote",
    "client",
    "prev_hash",
    "hash",
];

/// One row as CSV cells. Summaries quote what people typed (a check-in's summary
/// starts with a student's name), so every cell gets the lead export's guard
/// against spreadsheet formulas (`lead_io::protect`: a leading `'`).
fn csv_record(r: &AuditRow) -> [String; 13] {
    let opt = |v: Option<i64>| v.map_or(String::new(), |v| v.to_string());
    let cells = [
        r.id.to_string(),
        r.created_at.to_rfc3339(),
        opt(r.actor_id),
        r.action.clone(),
        r.entity_type.clone(),
        opt(r.entity_id),
        r.summary.clone(),
        r.old_values.clone().unwrap_or_default(),
        r.new_values.clone().unwrap_or_default(),
        r.remote.clone(),
        r.client.clone(),
        r.prev_hash.clone(),
        r.hash.clone(),
    ];
    cells.map(|c| super::lead_io::protect(&c).into_owned())
}

fn json_record(r: &AuditRow) -> serde_json::Value {
    let parsed = |v: &Option<String>| {
        v.as_deref()
            .map(|s| serde_json::from_str::<serde_json::Value>(s).unwrap_or(serde_json::Value::String(s.into())))
    };
    serde_json::json!({
        "id": r.id, "created_at": r.created_at, "actor_id": r.actor_id, "action": r.action,
        "entity_type": r.entity_type, "entity_id": r.entity_id, "summary": r.summary,
        "old_values": parsed(&r.old_values), "new_values": parsed(&r.new_values),
        "remote": r.remote, "client": r.client, "prev_hash": r.prev_hash, "hash": r.hash,
    })
}

fn io(e: impl std::fmt::Display) -> StoreError {
    StoreError::Io(format!("cannot write the export: {e}"))
}

/// Writes every matching row to `w`; returns how many.
pub async fn write(db: &Db, scope: Scope, f: &AuditFilter, json: bool, w: impl Write) -> Result<u64> {
    enum Out<W: Write> {
        // Boxed: the CSV writer carries its buffer.
        Csv(Box<csv::Writer<W>>),
        Json(W),
    }
    let mut out = if json { Out::Json(w) } else { Out::Csv(Box::new(csv::Writer::from_writer(w))) };
    if let Out::Csv(c) = &mut out {
        c.write_record(HEADER).map_err(io)?;
    }
    let n = audit_query::each_page(db, scope, f, |rows| {
        for r in rows {
            match &mut out {
                Out::Csv(c) => c.write_record(csv_record(r)).map_err(std::io::Error::other)?,
                Out::Json(w) => {
                    serde_json::to_writer(&mut *w, &json_record(r))?;
                    w.write_all(b"\n")?;
                }
            }
        }
        Ok(())
    })
    .await?;
    match &mut out {
        Out::Csv(c) => c.flush().map_err(io)?,
        Out::Json(w) => w.flush().map_err(io)?,
    }
    Ok(n)
}

/// Records that `n` audit rows matching `f` were exported to `to`: an export of the
/// trail is itself part of the trail.
pub async fn record_export(
    db: &Db,
    actor: &super::Actor,
    f: &AuditFilter,
    n: u64,
    to: &str,
    tz: chrono_tz::Tz,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let change = super::audit::Change::new(
        "export",
        "audit_log",
        None,
        format!("exported {n} audit rows ({}) to {to}", f.describe(tz)),
    )
    .with_new(serde_json::json!({"rows": n, "to": to, "filter": f.describe(tz)}));
    super::audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(())
}
