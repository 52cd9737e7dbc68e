//! Simple areas: a record screen's whole backend in one file of this folder. Each
//! file declares an `AREA`: its operations with the permission each needs (the
//! backend's one gate reads these rows as it reads its own table), the handler that
//! runs them with real SQL, and one valid sample per operation for the gate test.
//!
//! The screen speaks to it through one generic request (`Request::Area`: the area's
//! name, an operation, `Args`), and it answers with a page of records or what was
//! saved, which the generic record screen knows how to show. So a new simple area
//! is its file here, its declaration under `ui/records/`, its keys in
//! `config/default.toml` and its tests, plus its line in `AREAS` below: no request,
//! reply or gate row to extend.

use super::page::{self, Page};
use super::records::{Cursor, Record, RecordPage};
use super::{Actor, Db, Result, StoreError};
use crate::domain::permissions::Action;
use chrono::{DateTime, NaiveDate, Utc};
use std::future::Future;
use std::pin::Pin;

// The simple areas: a module each, registered by its line in `AREAS`.
pub mod case_studies;
pub mod events;
pub mod help_requests;
pub mod packages;
pub mod programs;
pub mod projects;
pub mod testimonials;

/// Every simple area's declaration: a new area adds its line here.
pub static AREAS: &[&AreaDecl] = &[
    &case_studies::AREA,
    &events::AREA,
    &help_requests::AREA,
    &packages::AREA,
    &programs::AREA,
    &projects::AREA,
    &testimonials::AREA,
];

/// A form's value as the screen checked it: a number is a number (money in minor
/// units), a day a day, yes/no a bool. Text is accepted where a number or a day is
/// expected too (a script, or a test, sends what a person typed) and is checked
/// the same way; either way the area checks every value itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Text(String),
    Number(Option<i64>),
    Date(Option<NaiveDate>),
    Flag(bool),
}

impl From<String> for FieldValue {
    fn from(text: String) -> FieldValue {
        FieldValue::Text(text)
    }
}

impl From<&str> for FieldValue {
    fn from(text: &str) -> FieldValue {
        FieldValue::Text(text.to_string())
    }
}

/// What an operation is given: the record it acts on, the list's tab, search and
/// place, and a form's values by field key. The area checks every value itself:
/// the screen's checks are a convenience, not a guard.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args {
    /// (id, version) as the user saw it.
    pub record: Option<(i64, i64)>,
    pub tab: Option<&'static str>,
    pub search: Option<String>,
    pub after: Option<Cursor>,
    pub limit: i64,
    pub fields: Vec<(&'static str, FieldValue)>,
    /// A list sorted by one of its columns (`None`: its own order, or the user's
    /// saved sort when `sort_chosen` is false).
    pub sort: Option<crate::store::page::Sort>,
    /// The user chose `sort` just now: it is kept as theirs for next time.
    pub sort_chosen: bool,
}

impl Args {
    fn value(&self, key: &str) -> Option<&FieldValue> {
        self.fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// A form field's text, trimmed (`""` when absent or not text).
    pub fn field(&self, key: &str) -> &str {
        match self.value(key) {
            Some(FieldValue::Text(t)) => t.trim(),
            _ => "",
        }
    }

    /// A whole number (`None`: empty); text must read as one, else `not_one` at `key`.
    pub fn number(&self, key: &'static str, not_one: &str) -> Result<Option<i64>> {
        match self.value(key) {
            Some(FieldValue::Number(n)) => Ok(*n),
            Some(FieldValue::Text(t)) if !t.trim().is_empty() => {
                t.trim().parse().map(Some).map_err(|_| StoreError::invalid(key, not_one))
            }
            _ => Ok(None),
        }
    }

    /// A day within the office's range (`None`: empty); text must be `YYYY-MM-DD`.
    pub fn day(&self, key: &'static str) -> Result<Option<NaiveDate>> {
        match self.value(key) {
            Some(FieldValue::Date(Some(d))) => super::fields::day(key, *d).map(Some),
            Some(FieldValue::Text(t)) if !t.trim().is_empty() => super::fields::typed_day(key, t.trim()).map(Some),
            _ => Ok(None),
        }
    }

    /// A yes/no (text: `yes`).
    pub fn flag(&self, key: &str) -> bool {
        match self.value(key) {
            Some(FieldValue::Flag(on)) => *on,
            Some(FieldValue::Text(t)) => t.trim() == "yes",
            _ => false,
        }
    }

    /// The record the operation acts on.
    pub fn record(&self) -> Result<(i64, i64)> {
        self.record.ok_or_else(|| StoreError::refused("no record was chosen"))
    }

    /// A field parsed as `T` (a status, a kind), refused naming it otherwise.
    pub fn parsed<T: std::str::FromStr>(&self, key: &'static str, what: &str) -> Result<T> {
        let text = self.field(key);
        text.parse().map_err(|_| StoreError::invalid(key, format!("'{text}' is not {what}")))
    }

    /// The list's tab as a status `T` (`None`: all).
    pub fn tab<T: std::str::FromStr>(&self) -> Result<Option<T>> {
        self.tab.map(|t| t.parse().map_err(|_| StoreError::invalid("tab", format!("'{t}' is no status")))).transpose()
    }

    /// Where a list in display order continues.
    pub fn after_order(&self) -> Option<(i64, i64)> {
        match self.after {
            Some(Cursor::Order(order, id)) => Some((order, id)),
            _ => None,
        }
    }

    /// Where a list newest-first by a time continues.
    pub fn after_time(&self) -> Option<(DateTime<Utc>, i64)> {
        match self.after {
            Some(Cursor::Time(at, id)) => Some((at, id)),
            _ => None,
        }
    }
}

/// Rows of `table` per stored status (every one of `statuses`, zero included), for
/// a record screen's tabs.
pub async fn status_counts(
    db: &Db,
    table: &'static str,
    statuses: impl IntoIterator<Item = &'static str>,
) -> Result<Vec<(String, i64)>> {
    let rows = page::tab_counts(db, table).await?;
    Ok(statuses
        .into_iter()
        .map(|s| (s.to_string(), rows.iter().find(|(name, _)| name == s).map_or(0, |r| r.1)))
        .collect())
}

/// A page of a list newest-first by a time as the record screen takes it, with the
/// tab counts of `table` on the first page.
pub async fn record_page<T>(
    db: &Db,
    table: &'static str,
    statuses: impl IntoIterator<Item = &'static str>,
    first: bool,
    page: Page<T, (DateTime<Utc>, i64)>,
    record: impl Fn(&T) -> Record,
) -> Result<RecordPage> {
    let counts = if first { Some(status_counts(db, table, statuses).await?) } else { None };
    Ok(RecordPage {
        counts,
        rows: page.rows.iter().map(record).collect(),
        next: page.next.map(|(at, id)| Cursor::Time(at, id)),
        more: !first,
        sorted: None,
        sortable: Vec::new(),
    })
}

/// The list page `args` ask for when they name a sort the list has (`None`
/// otherwise: the area reads its own order). Counts come with the first page; the
/// page says which sorts the list offers whichever order it is in.
pub async fn sorted_record_page<R, K>(
    db: &Db,
    table: &'static str,
    statuses: impl IntoIterator<Item = &'static str>,
    list: &crate::store::page::List<'_, R, K>,
    args: &Args,
    record: impl Fn(&R) -> Record,
) -> Result<Option<RecordPage>>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
{
    let Some(sort) = &args.sort else { return Ok(None) };
    let after = match &args.after {
        Some(Cursor::Sorted(value, id)) => Some((value.clone(), *id)),
        _ => None,
    };
    let first = after.is_none();
    let search = args.search.as_deref();
    let found = crate::store::page::sorted_page(db, list, args.tab, search, &[], sort, after, args.limit).await?;
    let Some(page) = found else { return Ok(None) };
    let counts = if first { Some(status_counts(db, table, statuses).await?) } else { None };
    Ok(Some(RecordPage {
        counts,
        rows: page.rows.iter().map(record).collect(),
        next: page.next.map(|(value, id)| Cursor::Sorted(value, id)),
        more: !first,
        sorted: Some(sort.clone()),
        sortable: list.sorts.iter().map(|c| c.heading).collect(),
    }))
}

/// A page of a list in display order (the key: an order, then the id) as the
/// record screen takes it; `counts` are the tabs' on the first page (`None` after).
pub fn ordered_page<T>(
    counts: Option<Vec<(String, i64)>>,
    page: Page<T, (i64, i64)>,
    record: impl Fn(&T) -> Record,
) -> RecordPage {
    RecordPage {
        more: counts.is_none(),
        counts,
        rows: page.rows.iter().map(record).collect(),
        next: page.next.map(|(order, id)| Cursor::Order(order, id)),
        sorted: None,
        sortable: Vec::new(),
    }
}

/// What an operation answers.
#[derive(Debug)]
pub enum Outcome {
    Page(RecordPage),
    /// Saved: what to tell the user.
    Saved(String),
}

/// The office's rules an operation may need, from the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// `rules.featured_testimonials_limit`.
    pub featured_testimonials_limit: i64,
    /// `rules.featured_case_studies_limit`.
    pub featured_case_studies_limit: i64,
}

/// One operation's call.
#[derive(Debug)]
pub struct Call<'a> {
    pub db: &'a Db,
    /// Built by the backend's gate from the session's user as stored now.
    pub actor: &'a Actor,
    /// The office's zone: times typed and shown are in it.
    pub tz: chrono_tz::Tz,
    pub rules: Rules,
    pub op: &'static str,
    pub args: Args,
}

pub type Answer<'a> = Pin<Box<dyn Future<Output = Result<Outcome>> + Send + 'a>>;
pub type Samples<'a> = Pin<Box<dyn Future<Output = Result<Vec<(&'static str, Args)>>> + Send + 'a>>;

/// A simple area, declared.
pub struct AreaDecl {
    /// The name requests give (`Request::Area { area, .. }`).
    pub name: &'static str,
    /// Each operation and what it needs. An operation without a row is refused by
    /// the gate before the handler runs.
    pub gate: &'static [(&'static str, Action)],
    /// Its list's columns (`LIST_COLUMNS`, beside the function that fills them),
    /// for the gate test to check every page's rows against.
    #[cfg_attr(not(any(test, feature = "testing")), allow(dead_code))]
    pub columns: crate::store::records::Columns,
    pub handle: for<'a> fn(Call<'a>) -> Answer<'a>,
    /// For the gate test: one valid call per operation on rows of its own (made
    /// here, as the system), numbered `n` so repeated samples do not collide.
    #[cfg_attr(not(any(test, feature = "testing")), allow(dead_code))]
    pub samples: for<'a> fn(&'a Db, u32) -> Samples<'a>,
}

impl std::fmt::Debug for AreaDecl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AreaDecl").field("name", &self.name).field("gate", &self.gate).finish()
    }
}

/// The area of this name.
pub fn find(name: &str) -> Option<&'static AreaDecl> {
    AREAS.iter().copied().find(|a| a.name == name)
}

/// What `op` of `area` needs; `None` when either is not declared (refused).
pub fn need(area: &str, op: &str) -> Option<Action> {
    find(area)?.gate.iter().find(|(o, _)| *o == op).map(|(_, a)| *a)
}

/// Refuses an operation the area has no arm for (its gate row exists but the
/// handler forgot it: the gate test catches this).
pub fn unknown(area: &str, op: &str) -> StoreError {
    StoreError::Other(format!("{area} has no operation {op}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_have_unique_names_and_ops() {
        let mut names: Vec<&str> = AREAS.iter().map(|a| a.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), AREAS.len(), "two areas share a name");
        for a in AREAS {
            let mut ops: Vec<&str> = a.gate.iter().map(|(o, _)| *o).collect();
            ops.sort();
            ops.dedup();
            assert_eq!(ops.len(), a.gate.len(), "{}: an operation has two gate rows", a.name);
        }
    }
}
