//! Leads in and out of files: `staffroom import leads` / `export leads`, and `E` in
//! the TUI (which calls `export` with the board's scope). Nothing here prints or
//! knows about the command line.
//!
//! Export walks the leads of a `Scope` (the board's own WHERE builder, so a file holds
//! exactly what the board shows) in keyset pages by id and streams CSV or JSON.
//! Import is two steps: `read_import` maps the header and checks every row (a dry run
//! is that plus `check_duplicates`), then `import` writes the good rows in one
//! transaction, each with its audit row, or nothing at all.

use super::lead_filter::{LeadFilter, Scope};
use super::leads::{self, NewLead};
use super::{Actor, Db, Result, StoreError};
use crate::bind_where;
use crate::domain::lead::{Interest, LeadSource, LeadType, Urgency};
use crate::domain::permissions::Action;
use crate::with_db;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::io::{Read, Write};

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

fn io_error(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Io(format!("{what}: {e}"))
}

/// Writes the leads in `scope` to `out`, oldest id first, and returns how many.
/// Pages of `EXPORT_PAGE` rows by id, so memory stays flat on any table size.
pub async fn export(db: &Db, scope: &Scope, format: Format, out: &mut (impl Write + Send)) -> Result<u64> {
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

/// A lead field an import column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Email,
    Phone,
    Whatsapp,
    Source,
    Interest,
    Message,
    Budget,
    Urgency,
    LeadType,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Whatsapp => "whatsapp",
            Field::Source => "source",
            Field::Interest => "interest",
            Field::Message => "message",
            Field::Budget => "budget",
            Field::Urgency => "urgency",
            Field::LeadType => "lead type",
        }
    }

    /// The field a header names: case, spaces, `-` and `_` do not matter, and common
    /// synonyms (and every column `export` writes) are understood.
    pub fn from_header(header: &str) -> Option<Field> {
        let key: String = header.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
        Some(match key.as_str() {
            "name" | "fullname" | "leadname" | "contactname" => Field::Name,
            "email" | "emailaddress" | "mail" => Field::Email,
            "phone" | "phonenumber" | "mobile" | "mobilenumber" | "telephone" | "tel" | "cell" => Field::Phone,
            "whatsapp" | "whatsappnumber" => Field::Whatsapp,
            "source" | "leadsource" => Field::Source,
            "interest" | "interestedin" => Field::Interest,
            "message" | "notes" | "note" | "comment" | "comments" => Field::Message,
            "budget" | "budgetrange" => Field::Budget,
            "urgency" => Field::Urgency,
            "type" | "leadtype" => Field::LeadType,
            _ => return None,
        })
    }
}

/// A row that will be imported.
#[derive(Debug, Clone)]
pub struct PlannedRow {
    /// 1-based line of the file where the row starts (the header is line 1).
    pub line: u64,
    pub lead: NewLead,
}

/// A row that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    pub line: u64,
    pub reason: String,
}

impl std::fmt::Display for BadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// A possible duplicate: a warning, never a reason to refuse (import does not merge).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub line: u64,
    pub what: String,
}

impl std::fmt::Display for Duplicate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: possible duplicate of {}", self.line, self.what)
    }
}

/// What a file would import: the header mapping, the good rows, the bad rows with
/// their reasons, and duplicate warnings.
#[derive(Debug, Clone, Default)]
pub struct ImportPlan {
    /// Each understood header and the field it fills, in file order.
    pub mapping: Vec<(String, Field)>,
    /// Headers that are not imported (e.g. `id`, `status` of an export).
    pub ignored: Vec<String>,
    pub rows: Vec<PlannedRow>,
    pub bad: Vec<BadRow>,
    pub duplicates: Vec<Duplicate>,
}

impl ImportPlan {
    /// Lines with at least one duplicate warning.
    pub fn duplicate_lines(&self) -> u64 {
        self.duplicates.iter().map(|d| d.line).collect::<BTreeSet<_>>().len() as u64
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub imported: u64,
    /// Bad rows left out (only with `skip_bad`).
    pub skipped: u64,
    /// Imported rows with a duplicate warning.
    pub duplicates: u64,
    pub ids: Vec<i64>,
}

fn allowed(values: impl Iterator<Item = &'static str>) -> String {
    values.collect::<Vec<_>>().join(", ")
}

/// `Website Form`, `website-form` and `website_form` all name `website_form`.
fn enum_key(cell: &str) -> String {
    cell.trim().to_lowercase().replace([' ', '-'], "_")
}

/// Reads a CSV file with a header row and checks every row. Fails only when the file
/// as a whole is unusable (unreadable, empty, no name column); a bad row is reported
/// in `ImportPlan::bad` with its line and reason. Duplicates within the file are
/// warned here; `check_duplicates` adds those against open leads.
pub fn read_import(reader: impl Read) -> std::result::Result<ImportPlan, StoreError> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).has_headers(false).from_reader(reader);
    let mut records = rdr.byte_records();
    let header = match records.next() {
        None => return Err(StoreError::Io("the file is empty: it needs a header row such as name,email,phone".into())),
        Some(r) => r.map_err(|e| io_error("cannot read the file", e))?,
    };
    let headers: Vec<String> = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    let mut plan = ImportPlan::default();
    let mut columns: Vec<Option<Field>> = Vec::with_capacity(headers.len());
    for h in &headers {
        let field = Field::from_header(h);
        match field {
            Some(f) => {
                if let Some((other, _)) = plan.mapping.iter().find(|(_, g)| *g == f) {
                    return Err(StoreError::Io(format!(
                        "columns '{other}' and '{h}' both give the {}: keep one",
                        f.as_str()
                    )));
                }
                plan.mapping.push((h.clone(), f));
            }
            None => plan.ignored.push(h.clone()),
        }
        columns.push(field);
    }
    let known = "name (or full_name, full name), email (e-mail), phone (mobile, telephone), whatsapp, source, \
                 interest (interested_in), message (notes), budget (budget_range), urgency, type";
    if plan.mapping.is_empty() {
        return Err(StoreError::Io(format!(
            "none of the columns ({}) is known; expected a header row with: {known}",
            headers.join(", ")
        )));
    }
    if !columns.contains(&Some(Field::Name)) {
        return Err(StoreError::Io(format!(
            "no name column (the header has {}); name it name, full_name or full name",
            headers.join(", ")
        )));
    }
    // Normalised email/phone -> first line that has it (duplicates within the file).
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                match e.kind() {
                    csv::ErrorKind::Io(_) => return Err(io_error("cannot read the file", e)),
                    _ => {
                        plan.bad.push(BadRow { line, reason: format!("unreadable: {e}") });
                        continue;
                    }
                }
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
            continue; // a blank row
        }
        if record.len() != headers.len() {
            plan.bad.push(BadRow {
                line,
                reason: format!("has {} cells but the header has {}", record.len(), headers.len()),
            });
            continue;
        }
        match check_row(&record, &columns) {
            Ok(lead) => {
                for (kind, value) in [("email", &lead.email), ("phone", &lead.phone), ("phone", &lead.whatsapp)] {
                    let Some(v) = value else { continue };
                    let key = format!("{kind}:{v}");
                    match seen.get(&key) {
                        Some(&first) if first != line => {
                            let what = format!("line {first} (same {kind} {v})");
                            if !plan.duplicates.iter().any(|d| d.line == line && d.what == what) {
                                plan.duplicates.push(Duplicate { line, what });
                            }
                        }
                        Some(_) => {}
                        None => {
                            seen.insert(key, line);
                        }
                    }
                }
                plan.rows.push(PlannedRow { line, lead });
            }
            Err(reasons) => plan.bad.push(BadRow { line, reason: reasons.join("; ") }),
        }
    }
    Ok(plan)
}

/// One row as a lead, or every reason it is bad.
fn check_row(record: &csv::ByteRecord, columns: &[Option<Field>]) -> std::result::Result<NewLead, Vec<String>> {
    let mut reasons = Vec::new();
    let mut cells: HashMap<Field, String> = HashMap::new();
    for (i, raw) in record.iter().enumerate() {
        let Some(field) = columns.get(i).copied().flatten() else { continue };
        match std::str::from_utf8(raw) {
            Ok(text) => {
                let text = unprotect(text.trim()).trim();
                if !text.is_empty() {
                    cells.insert(field, text.to_string());
                }
            }
            Err(_) => reasons.push(format!("{} is not valid UTF-8 text (save the file as UTF-8)", field.as_str())),
        }
    }
    let get = |f: Field| cells.get(&f).map(String::as_str);
    let mut lead = NewLead::default();
    match get(Field::Name) {
        Some(name) => lead.full_name = name.to_string(),
        None => reasons.push("name is empty".into()),
    }
    let (email, phone, whatsapp) = (get(Field::Email), get(Field::Phone), get(Field::Whatsapp));
    match leads::validate_contact(email, phone, whatsapp) {
        Ok(c) => {
            lead.email = c.email;
            lead.phone = c.phone;
            lead.whatsapp = c.whatsapp;
        }
        Err(StoreError::Invalid { field, why }) if field == "contact" => reasons.push(format!("BR-05: {why}")),
        Err(StoreError::Invalid { field, why }) => {
            let value = match field.as_str() {
                "email" => email,
                "phone" => phone,
                _ => whatsapp,
            };
            reasons.push(format!("bad {field} '{}': {why}", value.unwrap_or_default()));
        }
        Err(e) => reasons.push(e.to_string()),
    }
    // No source column, or an empty cell: the lead came from an import.
    lead.source = match get(Field::Source) {
        None => Some(LeadSource::Import),
        Some(s) => match LeadSource::parse(&enum_key(s)) {
            Some(v) => Some(v),
            None => {
                reasons.push(format!(
                    "unknown source '{s}' (allowed: {})",
                    allowed(LeadSource::ALL.iter().map(|v| v.as_str()))
                ));
                None
            }
        },
    };
    if let Some(s) = get(Field::Interest) {
        match Interest::parse(&enum_key(s)) {
            Some(v) => lead.interested_in = Some(v.as_str().to_string()),
            None => reasons.push(format!(
                "unknown interest '{s}' (allowed: {})",
                allowed(Interest::ALL.iter().map(|v| v.as_str()))
            )),
        }
    }
    if let Some(s) = get(Field::Urgency) {
        match Urgency::parse(&enum_key(s)) {
            Some(v) => lead.urgency = Some(v),
            None => reasons
                .push(format!("unknown urgency '{s}' (allowed: {})", allowed(Urgency::ALL.iter().map(|v| v.as_str())))),
        }
    }
    if let Some(s) = get(Field::LeadType) {
        match LeadType::parse(&enum_key(s)) {
            Some(v) => lead.lead_type = Some(v),
            None => reasons.push(format!(
                "unknown lead type '{s}' (allowed: {})",
                allowed(LeadType::ALL.iter().map(|v| v.as_str()))
            )),
        }
    }
    lead.message = get(Field::Message).map(str::to_string);
    lead.budget_range = get(Field::Budget).map(str::to_string);
    if reasons.is_empty() { Ok(lead) } else { Err(reasons) }
}

/// Adds a warning for every good row whose email, phone or WhatsApp matches an open
/// lead (`leads::find_duplicates`: the same normalised forms the app compares).
pub async fn check_duplicates(db: &Db, plan: &mut ImportPlan) -> Result<()> {
    for row in &plan.rows {
        let l = &row.lead;
        let mut found = leads::find_duplicates(db, l.email.as_deref(), l.phone.as_deref()).await?;
        if l.whatsapp.is_some() && l.whatsapp != l.phone {
            found.extend(leads::find_duplicates(db, None, l.whatsapp.as_deref()).await?);
        }
        let mut ids = BTreeSet::new();
        for lead in found {
            if ids.insert(lead.id) {
                let what = format!("open lead #{} {} ({})", lead.id, lead.full_name, lead.status);
                plan.duplicates.push(Duplicate { line: row.line, what });
            }
        }
    }
    plan.duplicates.sort_by_key(|d| d.line);
    Ok(())
}

/// `read_import` and `check_duplicates`: everything a dry run reports.
pub async fn plan(db: &Db, reader: impl Read) -> Result<ImportPlan> {
    let mut plan = read_import(reader)?;
    check_duplicates(db, &mut plan).await?;
    Ok(plan)
}

/// Imports the plan's good rows in ONE transaction, each with its audit row: all of
/// them or none. With bad rows and `!skip_bad`, nothing is written. `progress` gets
/// the number of rows written so far.
pub async fn import(
    db: &Db,
    actor: &Actor,
    plan: &ImportPlan,
    skip_bad: bool,
    mut progress: impl FnMut(u64),
) -> Result<ImportReport> {
    actor.require(Action::EditLeads)?;
    if !plan.bad.is_empty() && !skip_bad {
        let first = &plan.bad[0];
        return Err(StoreError::refused(format!(
            "{} bad row{} (first: {first}); nothing imported — fix the file or skip them with --skip-bad",
            plan.bad.len(),
            if plan.bad.len() == 1 { "" } else { "s" }
        )));
    }
    let mut tx = db.begin().await?;
    let mut ids = Vec::with_capacity(plan.rows.len());
    for row in &plan.rows {
        let lead = leads::create_in(&mut tx, actor, row.lead.clone()).await.map_err(|e| match e {
            StoreError::Invalid { field, why } => StoreError::invalid(format!("line {}: {field}", row.line), why),
            other => other,
        })?;
        ids.push(lead.id);
        progress(ids.len() as u64);
    }
    tx.commit().await?;
    Ok(ImportReport {
        imported: ids.len() as u64,
        skipped: plan.bad.len() as u64,
        duplicates: plan.duplicate_lines(),
        ids,
    })
}

/// `export` into a file, written next to `path` and renamed on success: a failed
/// export leaves no half-written file (and an older file of that name untouched).
pub async fn export_to_file(db: &Db, scope: &Scope, format: Format, path: &std::path::Path) -> Result<u64> {
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

    #[test]
    fn header_synonyms() {
        for (h, f) in [
            ("Full Name", Field::Name),
            ("full_name", Field::Name),
            ("E-mail", Field::Email),
            ("Mobile", Field::Phone),
            ("Telephone", Field::Phone),
            ("interested_in", Field::Interest),
            ("Notes", Field::Message),
            ("budget_range", Field::Budget),
        ] {
            assert_eq!(Field::from_header(h), Some(f), "{h}");
        }
        assert_eq!(Field::from_header("status"), None);
    }

    #[test]
    fn rows_are_checked_with_line_numbers() {
        let file = "name,email,phone,source\nSara,sara@x.org,,\n,a@b.org,,\nNo Contact,,,\nBad,not-an-email,,\n\
                    \"Multi\nLine\",m@x.org,,tiktok\nOk,,+20 100 123 4567,Website Form\n";
        let plan = read_import(file.as_bytes()).unwrap();
        let bad: Vec<String> = plan.bad.iter().map(|b| b.to_string()).collect();
        assert_eq!(bad.len(), 4, "{bad:?}");
        assert!(bad[0].starts_with("line 3: name is empty"), "{bad:?}");
        assert!(bad[1].starts_with("line 4: BR-05"), "{bad:?}");
        assert!(bad[2].starts_with("line 5: bad email 'not-an-email'"), "{bad:?}");
        assert!(bad[3].starts_with("line 6: unknown source 'tiktok' (allowed: website_form"), "{bad:?}");
        assert_eq!(plan.rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![2, 8]);
        assert_eq!(plan.rows[1].lead.source, Some(LeadSource::WebsiteForm));
        assert_eq!(plan.rows[1].lead.phone.as_deref(), Some("+201001234567"));
    }

    #[test]
    fn unusable_files_fail_clearly() {
        let e = read_import("".as_bytes()).unwrap_err().to_string();
        assert!(e.contains("empty"), "{e}");
        let e = read_import("foo,bar\n1,2\n".as_bytes()).unwrap_err().to_string();
        assert!(e.contains("none of the columns (foo, bar) is known"), "{e}");
        let e = read_import("email,phone\na@b.org,\n".as_bytes()).unwrap_err().to_string();
        assert!(e.contains("no name column"), "{e}");
    }
}
