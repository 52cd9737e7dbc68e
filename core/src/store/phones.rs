//! Stored phone numbers to E.164: the data fix that follows migration 0018. Numbers
//! typed before the office's region was applied (`010 1234 5678`) are rewritten
//! as E.164 (`+201012345678`) once, by the first staffroom to open the database,
//! in one transaction with its audit row; a number libphonenumber cannot read is
//! left as it is and named in the report (`data_fixes.report`, the audit row, the
//! log and `staffroom migrate`).

use super::{Actor, Db, Result, audit, now};
use crate::domain::contact::normalize_phone;
use crate::with_tx;

/// The name of this fix in `data_fixes`.
pub const FIX: &str = "phones_e164";

/// Whether the fix ran now, and what it said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub changed: u64,
    /// (table, id, the stored value) of each number that could not be read.
    pub unreadable: Vec<(&'static str, i64, String)>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} phone numbers rewritten as E.164", self.changed)?;
        if !self.unreadable.is_empty() {
            let named: Vec<String> =
                self.unreadable.iter().map(|(t, id, v)| format!("{t} #{id} {:?}", crate::text::inert(v))).collect();
            write!(f, "; {} left as they were (not phone numbers): {}", self.unreadable.len(), named.join(", "))?;
        }
        Ok(())
    }
}

/// Runs the fix unless this database had it; `None` when it had.
pub async fn normalise_existing(db: &Db) -> Result<Option<Report>> {
    let mut tx = db.begin().await?;
    // Claimed first: a second staffroom opening the database meanwhile finds the
    // row (or waits for this transaction) and does nothing.
    let claimed = with_tx!(&mut tx, c => {
        sqlx::query("INSERT INTO data_fixes (name, done_at, report) VALUES ($1, $2, '') ON CONFLICT (name) DO NOTHING")
            .bind(FIX)
            .bind(now())
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if claimed == 0 {
        return Ok(None);
    }
    let mut report = Report { changed: 0, unreadable: Vec::new() };
    let columns: [(&'static str, &'static str); 3] = [("leads", "phone"), ("leads", "whatsapp"), ("users", "phone")];
    for (table, column) in columns {
        // Only what is not E.164 yet (a '+' first) can need rewriting.
        let sql = format!("SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL AND {column} NOT LIKE '+%'");
        let rows: Vec<(i64, String)> = with_tx!(&mut tx, c => sqlx::query_as(&sql).fetch_all(&mut *c).await?);
        for (id, stored) in rows {
            match normalize_phone(&stored) {
                Ok(e164) if e164 != stored => {
                    let sql = format!("UPDATE {table} SET {column} = $1 WHERE id = $2");
                    with_tx!(&mut tx, c => sqlx::query(&sql).bind(&e164).bind(id).execute(&mut *c).await?.rows_affected());
                    report.changed += 1;
                }
                Ok(_) => {}
                Err(_) => {
                    tracing::warn!("{table} #{id}: the {column} {stored:?} is not a phone number; left as it is");
                    report.unreadable.push((table, id, stored));
                }
            }
        }
    }
    let said = report.to_string();
    with_tx!(&mut tx, c => {
        sqlx::query("UPDATE data_fixes SET report = $1 WHERE name = $2").bind(&said).bind(FIX).execute(&mut *c).await?.rows_affected()
    });
    let unreadable: Vec<serde_json::Value> =
        report.unreadable.iter().map(|(t, id, v)| serde_json::json!({"table": t, "id": id, "value": v})).collect();
    // A new (or already clean) database changed nothing: no row to tell of it.
    if report.changed > 0 || !report.unreadable.is_empty() {
        let change = audit::Change::new("normalise", "phone_numbers", None, said)
            .with_new(serde_json::json!({"changed": report.changed, "unreadable": unreadable}));
        audit::record(&mut tx, &Actor::migration(), change).await?;
    }
    tx.commit().await?;
    Ok(Some(report))
}

/// What the fix said when it ran (`None`: it has not run on this database).
pub async fn last_report(db: &Db) -> Result<Option<String>> {
    Ok(crate::with_db!(db, p => {
        sqlx::query_scalar("SELECT report FROM data_fixes WHERE name = $1").bind(FIX).fetch_optional(p).await?
    }))
}
