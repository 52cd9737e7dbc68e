//! Reading the audit trail (issue 13): who may read which rows, filters, and keyset
//! pages in both directions, for the viewer and for `staffroom export audit`.
//!
//! Who reads what is decided here, in the query, not on screen: admins every row;
//! staff their own actions and the leads and content they may edit; instructors
//! their own actions and their cohorts' records (the cohort and its sessions, where
//! attendance is recorded); viewers nothing unless `audit.viewers_read` is on.
//!
//! Each filter has an index behind it: actor `(actor_id, id)`, action
//! `(action, id)`, entity `(entity_type, entity_id, id)`, time `(created_at, id)`.
//! The free text over the summary has a trigram index on both backends (migration
//! 0015): a rare word is found without reading the log.

use super::audit::AuditRow;
use super::page::{self, Page};
use super::{Actor, Db, Result};
use crate::with_db;
use chrono::{DateTime, Utc};

/// What a reader is allowed to see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    /// Their own actions and leads and content.
    Staff(i64),
    /// Their own actions and their cohorts' records.
    Instructor(i64),
    Nothing,
}

/// The entity types staff may read whoever changed them: leads and content.
const STAFF_ENTITIES: &[&str] = &[
    "lead",
    "lead_note",
    "contact_message",
    "post",
    "testimonial",
    "case_study",
    "comment",
    "review",
    "help_request",
    "service_package",
];

impl Scope {
    /// The scope of `actor`; `viewers_read` is the config's grant to viewers.
    pub fn of(actor: &Actor, viewers_read: bool) -> Scope {
        let r = actor.roles;
        match actor.user_id {
            _ if r.admin => Scope::All,
            Some(id) if r.staff => Scope::Staff(id),
            Some(id) if r.instructor => Scope::Instructor(id),
            _ if viewers_read && actor.user_id.is_some() => Scope::All,
            _ => Scope::Nothing,
        }
    }

    /// Why a reader sees nothing, when they do not.
    pub fn refusal(self) -> Option<&'static str> {
        match self {
            Scope::Nothing => {
                Some("viewers may not read the audit trail here (audit.viewers_read in the config grants it)")
            }
            _ => None,
        }
    }
}

/// The filters of the viewer and the export; empty ones filter nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// An email (exact) or part of a name.
    pub actor: Option<String>,
    pub action: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<i64>,
    /// From this instant on, and before that one.
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Part of the summary.
    pub text: Option<String>,
}

impl AuditFilter {
    pub fn is_empty(&self) -> bool {
        *self == AuditFilter::default()
    }

    /// The filter in words, for the viewer's header and the export's summary.
    pub fn describe(&self, tz: chrono_tz::Tz) -> String {
        let mut parts = Vec::new();
        let when = |t: DateTime<Utc>| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string();
        if let Some(a) = &self.actor {
            parts.push(format!("by {a}"));
        }
        if let Some(a) = &self.action {
            parts.push(format!("action {a}"));
        }
        match (&self.entity_type, self.entity_id) {
            (Some(t), Some(id)) => parts.push(format!("{t} #{id}")),
            (Some(t), None) => parts.push(t.clone()),
            (None, Some(id)) => parts.push(format!("entity #{id}")),
            (None, None) => {}
        }
        if let Some(s) = self.since {
            parts.push(format!("since {}", when(s)));
        }
        if let Some(u) = self.until {
            parts.push(format!("until {}", when(u)));
        }
        if let Some(t) = &self.text {
            parts.push(format!("\"{t}\""));
        }
        if parts.is_empty() { "everything".into() } else { parts.join(" · ") }
    }
}

/// Where a page goes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum From {
    /// Newest first, from the newest row (`g`).
    Newest,
    /// Newest first, strictly older than this id (scrolling down).
    Before(i64),
    /// Oldest first, from the oldest row (`G`); the page comes back oldest last,
    /// like every other page, so the list reads the same way.
    Oldest,
    /// Newer than this id (scrolling up after `G`), oldest last.
    After(i64),
}

const COLUMNS: &str = "a.id, a.actor_id, a.action, a.entity_type, a.entity_id, a.summary, a.old_values, \
     a.new_values, a.remote, a.client, a.created_at, a.prev_hash, a.hash";

/// A page of the rows `scope` may read that match `filter`, by keyset. `next` is
/// where the page goes on in its own direction.
pub async fn page(db: &Db, scope: Scope, filter: &AuditFilter, from: From, limit: i64) -> Result<Page<AuditRow, i64>> {
    page_in(db, scope, filter, from, limit, Walk::Fastest).await
}

/// How a page walks the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Walk {
    /// By time when a time range is given (a screenful at once), else by id.
    Fastest,
    /// By id, the chain's order (an export reads every page: rows in id order are
    /// read from the table in order, which is what its throughput depends on).
    ById,
}

async fn page_in(
    db: &Db,
    scope: Scope,
    filter: &AuditFilter,
    from: From,
    limit: i64,
    walk: Walk,
) -> Result<Page<AuditRow, i64>> {
    if scope == Scope::Nothing {
        return Ok(Page { rows: Vec::new(), next: None });
    }
    let limit = page::limit(limit);
    let mut args = page::Args::default();
    let mut sql = format!("SELECT {COLUMNS} FROM audit_log a WHERE 1 = 1");
    let mut binds: Vec<Bind> = Vec::new();
    where_clauses(db.backend(), scope, filter, &mut sql, &mut args, &mut binds);
    let ascending = matches!(from, From::Oldest | From::After(_));
    // With a time range the rows are walked in time order, on the (created_at, id)
    // index: walking ids from the newest and skipping the rows outside a range a
    // month back reads a quarter of a million rows first. The keyset then compares
    // (created_at, id), the time read from the row the page stopped at.
    let by_time = walk == Walk::Fastest && (filter.since.is_some() || filter.until.is_some());
    let (key, cmp) = if by_time { ("(a.created_at, a.id)", true) } else { ("a.id", false) };
    let bound = |args: &mut page::Args| {
        if cmp {
            let (t, i) = (args.arg(), args.arg());
            format!("((SELECT created_at FROM audit_log WHERE id = {t}), {i})")
        } else {
            args.arg()
        }
    };
    match from {
        From::Before(id) | From::After(id) => {
            let op = if ascending { ">" } else { "<" };
            sql += &format!(" AND {key} {op} {}", bound(&mut args));
            binds.push(Bind::Int(id));
            if cmp {
                binds.push(Bind::Int(id));
            }
        }
        From::Newest | From::Oldest => {}
    }
    let dir = if ascending { "ASC" } else { "DESC" };
    sql += &if by_time { format!(" ORDER BY a.created_at {dir}, a.id {dir}") } else { format!(" ORDER BY a.id {dir}") };
    sql += &format!(" LIMIT {}", args.arg());
    binds.push(Bind::Int(limit + 1));
    let rows: Vec<AuditRow> = with_db!(db, p => {
        let mut q = sqlx::query_as::<_, AuditRow>(&sql);
        for b in &binds {
            q = match b {
                Bind::Int(i) => q.bind(*i),
                Bind::Text(t) => q.bind(t.clone()),
                Bind::Time(t) => q.bind(*t),
            };
        }
        q.fetch_all(p).await?
    });
    let mut page = page::from_rows(rows, limit, |r: &AuditRow| r.id);
    if ascending {
        page.rows.reverse();
    }
    Ok(page)
}

enum Bind {
    Int(i64),
    Text(String),
    Time(DateTime<Utc>),
}

fn where_clauses(
    backend: super::Backend,
    scope: Scope,
    f: &AuditFilter,
    sql: &mut String,
    args: &mut page::Args,
    binds: &mut Vec<Bind>,
) {
    match scope {
        Scope::All | Scope::Nothing => {}
        Scope::Staff(me) => {
            let list = STAFF_ENTITIES.iter().map(|e| format!("'{e}'")).collect::<Vec<_>>().join(", ");
            *sql += &format!(" AND (a.actor_id = {} OR a.entity_type IN ({list}))", args.arg());
            binds.push(Bind::Int(me));
        }
        Scope::Instructor(me) => {
            let (a, b, c) = (args.arg(), args.arg(), args.arg());
            *sql += &format!(
                " AND (a.actor_id = {a} \
                 OR (a.entity_type = 'cohort' AND a.entity_id IN (SELECT cohort_id FROM cohort_instructors WHERE user_id = {b})) \
                 OR (a.entity_type = 'session' AND a.entity_id IN (SELECT s.id FROM sessions s \
                     JOIN cohort_instructors ci ON ci.cohort_id = s.cohort_id WHERE ci.user_id = {c})))"
            );
            binds.extend([Bind::Int(me), Bind::Int(me), Bind::Int(me)]);
        }
    }
    if let Some(actor) = f.actor.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        let (e, n) = (args.arg(), args.arg());
        *sql += &format!(
            " AND a.actor_id IN (SELECT id FROM users WHERE LOWER(email) = {e} OR LOWER(full_name) LIKE {n} ESCAPE '\\')"
        );
        binds.push(Bind::Text(actor.to_lowercase()));
        binds.push(Bind::Text(page::contains_pattern(actor).unwrap_or_default()));
    }
    if let Some(action) = f.action.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        *sql += &format!(" AND a.action = {}", args.arg());
        binds.push(Bind::Text(action.to_string()));
    }
    if let Some(t) = f.entity_type.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        *sql += &format!(" AND a.entity_type = {}", args.arg());
        binds.push(Bind::Text(t.to_string()));
    }
    if let Some(id) = f.entity_id {
        *sql += &format!(" AND a.entity_id = {}", args.arg());
        binds.push(Bind::Int(id));
    }
    if let Some(s) = f.since {
        *sql += &format!(" AND a.created_at >= {}", args.arg());
        binds.push(Bind::Time(s));
    }
    if let Some(u) = f.until {
        *sql += &format!(" AND a.created_at < {}", args.arg());
        binds.push(Bind::Time(u));
    }
    if let Some(text) = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        match backend {
            // The FTS5 trigram table of migration 0015 (three characters at least;
            // shorter text is rare in a search and scans).
            super::Backend::Sqlite if text.chars().count() >= 3 => {
                *sql +=
                    &format!(" AND a.id IN (SELECT rowid FROM audit_search WHERE audit_search MATCH {})", args.arg());
                binds.push(Bind::Text(format!("\"{}\"", text.replace('"', "\"\""))));
            }
            // PostgreSQL: the pg_trgm index of migration 0015 serves this LIKE.
            _ => {
                if let Some(p) = page::contains_pattern(text) {
                    *sql += &page::any_like(&["a.summary"], &args.arg());
                    binds.push(Bind::Text(p));
                }
            }
        }
    }
}

/// Every matching row, oldest first (in id order: the chain's), page by page: `each` gets each page as it
/// comes (an export writes it and forgets it, so memory stays flat). Returns how
/// many rows there were.
pub async fn each_page(
    db: &Db,
    scope: Scope,
    filter: &AuditFilter,
    mut each: impl FnMut(&[AuditRow]) -> std::io::Result<()>,
) -> Result<u64> {
    let mut n = 0u64;
    let mut from = From::Oldest;
    // Oldest first means walking `After` pages, each read newest-last.
    loop {
        let page = page_in(db, scope, filter, from, page::MAX_PAGE, Walk::ById).await?;
        let mut rows = page.rows;
        rows.reverse();
        if rows.is_empty() {
            break;
        }
        each(&rows).map_err(|e| super::StoreError::Other(format!("cannot write the export: {e}")))?;
        n += rows.len() as u64;
        let last = rows.last().map_or(0, |r| r.id);
        if page.next.is_none() {
            break;
        }
        from = From::After(last);
    }
    Ok(n)
}

/// The names of the actors of `rows` (one query for the page).
pub async fn actor_names(db: &Db, rows: &[AuditRow]) -> Result<Vec<(i64, String)>> {
    let mut ids: Vec<i64> = rows.iter().filter_map(|r| r.actor_id).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = page::Args::default();
    let list: Vec<String> = ids.iter().map(|_| args.arg()).collect();
    let sql = format!("SELECT id, full_name FROM users WHERE id IN ({})", list.join(", "));
    Ok(with_db!(db, p => {
        let mut q = sqlx::query_as::<_, (i64, String)>(&sql);
        for id in &ids {
            q = q.bind(*id);
        }
        q.fetch_all(p).await?
    }))
}
