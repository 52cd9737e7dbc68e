//! Leads in and out of files: `staffroom import leads` / `export leads`, and `E` in
//! the TUI (which calls `export` with the board's scope). Nothing here prints or
//! knows about the command line.
//!
//! Export walks the leads of a `Scope` (the board's own WHERE builder, so a file holds
//! exactly what the board shows) in keyset pages by id and streams CSV or JSON.
//! Import is two steps: `read_import` maps the header and checks every row (a dry run
//! is that plus `check_duplicates`), then `import` writes the good rows in one
//! transaction, each with its audit row, or nothing at all.

mod import;

#[cfg(any(test, feature = "testing"))]
pub use import::{BadRow, Duplicate, Field, ImportPlan, ImportReport, PlannedRow, check_duplicates, read_import};
pub use import::{import, plan};

use super::lead_filter::{LeadFilter, Scope};
use super::{Actor, Db, Result, StoreError};
use crate::bind_where;
use crate::with_db;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use std::borrow::Cow;
use std::io::Write;

/// Rows fetched per export query: the table is never loaded whole.
const EXPORT_PAGE: i64 = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    pub fn parse(text: &str) -> Option<Format> {
        match text.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// The exported columns, in file order (CSV header, JSON keys).
pub const EXPORT_COLUMNS: [&str; 18] = [
    "id",
    "full_name",
    "email",
    "phone",
    "whatsapp",
    "lead_type",
    "source",
    "interested_in",
    "status",
    "lost_reason",
    "budget_range",
    "urgency",
    "assigned_to_email",
    "next_follow_up_at",
    "last_contact_at",
    "created_at",
    "updated_at",
    "message",
];

/// One exported lead (field order = `EXPORT_COLUMNS`).
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct ExportRow {
    pub id: i64,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub whatsapp: Option<String>,
    pub lead_type: String,
    pub source: String,
    pub interested_in: Option<String>,
    pub status: String,
    pub lost_reason: Option<String>,
    pub budget_range: Option<String>,
    pub urgency: Option<String>,
    pub assigned_to_email: Option<String>,
    pub next_follow_up_at: Option<DateTime<Utc>>,
    pub last_contact_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub message: Option<String>,
}

impl ExportRow {
    fn cells(&self) -> [String; 18] {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let time = |t: &DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::AutoSi, true);
        let opt_time = |t: &Option<DateTime<Utc>>| t.as_ref().map(time).unwrap_or_default();
        [
            self.id.to_string(),
            self.full_name.clone(),
            opt(&self.email),
            opt(&self.phone),
            opt(&self.whatsapp),
            self.lead_type.clone(),
            self.source.clone(),
            opt(&self.interested_in),
            self.status.clone(),
            opt(&self.lost_reason),
            opt(&self.budget_range),
            opt(&self.urgency),
            opt(&self.assigned_to_email),
            opt_time(&self.next_follow_up_at),
            opt_time(&self.last_contact_at),
            time(&self.created_at),
            time(&self.updated_at),
            opt(&self.message),
        ]
    }
}

/// Characters that make a spreadsheet treat a cell as a formula, plus `'` itself.
const FORMULA_START: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// CSV files end up in spreadsheets, which run a cell starting with `=`, `+`, `-` or
/// `@` (or a tab or carriage return) as a formula: "CSV injection" from a lead's name
/// or message typed by anyone on a web form. Such cells get a leading `'`, which
/// spreadsheets show as text. A cell already starting with `'` gets one too, so
/// `unprotect` (used by import) can undo exactly what was added and a file
/// round-trips. JSON is not opened by spreadsheets and is written as is.
pub fn protect(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_START) { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) }
}

/// Undoes `protect`: drops a leading `'` that precedes a formula character.
pub fn unprotect(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => cell,
    }
}

pub(crate) fn io_error(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Io(format!("{what}: {e}"))
}

/// An export holds exactly what its filter says, or nothing: the board's search
/// leaves out words under 3 letters (and words past the fifth), which on the board
/// only widens what is shown while typing, but would quietly put leads nobody asked
/// for into a file. Such a search is refused, naming the words. Both `export` and
/// `export_to_file` (the CLI and the TUI's `E`) check it before writing anything.
pub fn check_exportable(filter: &LeadFilter) -> Result<()> {
    filter.search_is_exact().map_err(|why| StoreError::invalid("search", why))
}

/// Writes the leads in `scope` to `out`, oldest id first, and returns how many.
/// Pages of `EXPORT_PAGE` rows by id, so memory stays flat on any table size.
/// A search that would leave words out is refused (`check_exportable`).
pub async fn export(db: &Db, scope: &Scope, format: Format, out: &mut (impl Write + Send)) -> Result<u64> {
    check_exportable(&scope.filter)?;
    let mut count = 0u64;
    let mut after = 0i64;
    let w = scope.sql(db.backend(), 3);
    // The filter's clauses name lead columns unqualified (users has email and
    // full_name too), so the assignee comes from a subquery, not a join.
    let sql = format!(
        "SELECT id, full_name, email, phone, whatsapp, lead_type, source, interested_in, status, lost_reason, \
         budget_range, urgency, (SELECT u.email FROM users u WHERE u.id = leads.assigned_to) AS assigned_to_email, \
         next_follow_up_at, last_contact_at, created_at, updated_at, message \
         FROM leads WHERE id > $1 {} ORDER BY id LIMIT $2",
        w.sql
    );
    let fail = |e: &dyn std::fmt::Display| io_error("writing the export", e);
    enum Sink<'a, W: Write> {
        Csv(Box<csv::Writer<&'a mut W>>),
        Json(&'a mut W),
    }
    let mut sink = match format {
        Format::Csv => {
            let mut c = csv::Writer::from_writer(out);
            c.write_record(EXPORT_COLUMNS).map_err(|e| fail(&e))?;
            Sink::Csv(Box::new(c))
        }
        Format::Json => {
            out.write_all(b"[").map_err(|e| fail(&e))?;
            Sink::Json(out)
        }
    };
    loop {
        let rows: Vec<ExportRow> = with_db!(db, p => {
            bind_where!(sqlx::query_as::<_, ExportRow>(&sql).bind(after).bind(EXPORT_PAGE), &w.binds)
                .fetch_all(p)
                .await?
        });
        let Some(last) = rows.last() else { break };
        after = last.id;
        let full = i64::try_from(rows.len()).unwrap_or(0) == EXPORT_PAGE;
        for row in &rows {
            match &mut sink {
                Sink::Csv(c) => {
                    let cells = row.cells();
                    c.write_record(cells.iter().map(|s| protect(s).into_owned())).map_err(|e| fail(&e))?;
                }
                Sink::Json(o) => {
                    let sep: &[u8] = if count == 0 { b"\n" } else { b",\n" };
                    o.write_all(sep).map_err(|e| fail(&e))?;
                    serde_json::to_writer(&mut **o, row).map_err(|e| fail(&e))?;
                }
            }
            count += 1;
        }
        // Each page reaches `out` before the next query: a long export streams.
        match &mut sink {
            Sink::Csv(c) => c.flush().map_err(|e| fail(&e))?,
            Sink::Json(o) => o.flush().map_err(|e| fail(&e))?,
        }
        if !full {
            break;
        }
    }
    match sink {
        Sink::Csv(mut c) => c.flush().map_err(|e| fail(&e))?,
        Sink::Json(o) => {
            o.write_all(if count == 0 { b"]\n" } else { b"\n]\n" }).map_err(|e| fail(&e))?;
            o.flush().map_err(|e| fail(&e))?;
        }
    }
    Ok(count)
}

/// `export` into a file, written next to `path` and renamed on success: a failed
/// export leaves no half-written file (and an older file of that name untouched).
pub async fn export_to_file(db: &Db, scope: &Scope, format: Format, path: &std::path::Path) -> Result<u64> {
    check_exportable(&scope.filter)?;
    let io = |e: std::io::Error| StoreError::Io(format!("cannot write {}: {e}", path.display()));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "export".into());
    let tmp = path.with_file_name(format!(".{name}.partial"));
    let file = std::fs::File::create(&tmp).map_err(io)?;
    let mut out = std::io::BufWriter::new(file);
    let result = match export(db, scope, format, &mut out).await {
        Ok(n) => out.flush().and_then(|_| std::fs::rename(&tmp, path)).map(|_| n).map_err(io),
        Err(e) => Err(e),
    };
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Records that leads left the system (who, how many, with which filter, where to).
/// Reading changes nothing, but personal data leaving is worth a trace.
pub async fn record_export(db: &Db, actor: &Actor, filter: &LeadFilter, rows: u64, to: &str) -> Result<()> {
    let mut tx = db.begin().await?;
    let what = if filter.is_empty() { "all leads".to_string() } else { filter.describe() };
    let change = super::audit::Change::new("export", "lead", None, format!("exported {rows} leads ({what}) to {to}"))
        .with_new(serde_json::json!({"rows": rows, "filter": filter, "to": to}));
    super::audit::record(&mut tx, actor, change).await?;
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_protected_and_round_trip() {
        for cell in ["=1+1", "+201001234567", "-5", "@SUM(A1)", "'=x", "\tx"] {
            let p = protect(cell);
            assert!(p.starts_with('\''), "{cell}");
            assert_eq!(unprotect(&p), cell);
        }
        assert_eq!(protect("Sara"), "Sara");
        assert_eq!(unprotect("'hello"), "'hello");
    }
}
