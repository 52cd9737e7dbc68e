//! `staffroom import leads`: map the header, check every row (line numbers and
//! reasons), warn about duplicates, then write all good rows in one transaction.

use super::{io_error, unprotect};
use crate::domain::lead::{Interest, LeadSource, LeadType, Urgency, parse_budget};
use crate::domain::permissions::Action;
use crate::store::leads::{self, NewLead};
use crate::store::{Actor, Db, Result, StoreError};
use std::collections::{BTreeSet, HashMap};
use std::io::Read;

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
    if let Some(b) = get(Field::Budget)
        && let Err(why) = parse_budget(b)
    {
        reasons.push(format!("bad budget '{b}': {why}"));
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
