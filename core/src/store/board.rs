//! The pipeline board: per-stage totals and keyset pages of cards (any filter), each card with
//! what the board shows beyond the lead (assignee initials, when it entered its
//! stage according to the audit log).

use super::lead_filter::Scope;
use super::leads::{LEAD_COLUMNS, Lead};
use super::page::{self, Page};
use super::{Backend, Db, Result};
use crate::domain::lead::{LeadStatus, MAX_BUDGET};
use crate::{bind_where, with_db};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

#[cfg(any(test, feature = "testing"))] // only the tests call it
/// Lead counts per stage, in board order (every stage present, zero included).
pub async fn count_by_status(db: &Db) -> Result<Vec<(LeadStatus, i64)>> {
    Ok(totals_by_status(db, &Scope::all()).await?.into_iter().map(|t| (t.status, t.count)).collect())
}

/// What a board column's header shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageTotal {
    pub status: LeadStatus,
    pub count: i64,
    /// Sum of the budget estimates of the stage's leads (whole currency units).
    pub budget: i64,
}

/// The summed budget of a group of leads, as SQL that cannot fail: only estimates in
/// `0..=MAX_BUDGET` count (rows written by older versions may hold -1 or i64::MAX;
/// migration 0008 clears them, but an older binary on a shared database could write
/// more), and the sum saturates at i64::MAX instead of raising "integer overflow"
/// (SQLite's SUM) or "bigint out of range" (PostgreSQL's cast of its NUMERIC SUM).
/// SQLite's TOTAL adds in floating point (exact below 2^53, about 9 * 10^15) and its
/// cast to INTEGER saturates.
fn budget_sum_sql(backend: Backend) -> String {
    let sane = format!("CASE WHEN budget_estimate BETWEEN 0 AND {MAX_BUDGET} THEN budget_estimate END");
    match backend {
        Backend::Sqlite => format!("CAST(TOTAL({sane}) AS INTEGER)"),
        Backend::Postgres => format!("CAST(LEAST(COALESCE(SUM({sane}), 0), {}) AS BIGINT)", i64::MAX),
    }
}

/// Count and summed budget per stage of the leads in `scope`, in board order.
pub async fn totals_by_status(db: &Db, scope: &Scope) -> Result<Vec<StageTotal>> {
    let w = scope.sql(db.backend(), 1);
    let sum = budget_sum_sql(db.backend());
    let sql = if db.backend() == Backend::Postgres && !scope.filter.searches() {
        // PostgreSQL hashes every row's status for a GROUP BY (~45 ms on 100k
        // leads); one index-only range per stage is half that. A search matches
        // few rows, and repeating its trigram scan per stage would cost more.
        let stages = LeadStatus::ALL.iter().map(|s| format!("('{}')", s.as_str())).collect::<Vec<_>>().join(", ");
        format!(
            "SELECT s.status, t.n, t.b FROM (VALUES {stages}) AS s (status) CROSS JOIN LATERAL \
             (SELECT COUNT(*) AS n, {sum} AS b FROM leads WHERE leads.status = s.status {}) AS t",
            w.sql
        )
    } else if db.backend() == Backend::Sqlite && scope.filter.searches() {
        // Each matching id looked up in the narrow index of migration 0009, not in
        // the table's wide rows.
        format!(
            "SELECT status, COUNT(*), {sum} FROM leads INDEXED BY ix_leads_id_status_budget WHERE 1 = 1 {} \
             GROUP BY status",
            w.sql
        )
    } else {
        format!("SELECT status, COUNT(*), {sum} FROM leads WHERE 1 = 1 {} GROUP BY status", w.sql)
    };
    let rows: Vec<(String, i64, i64)> =
        with_db!(db, p => bind_where!(sqlx::query_as(&sql), &w.binds).fetch_all(p).await?);
    Ok(LeadStatus::ALL
        .iter()
        .map(|s| {
            let row = rows.iter().find(|(name, ..)| name == s.as_str());
            StageTotal { status: *s, count: row.map_or(0, |r| r.1), budget: row.map_or(0, |r| r.2) }
        })
        .collect())
}

/// Keyset key of the board's column order: most recently updated first.
pub type BoardKey = (DateTime<Utc>, i64);

#[cfg(any(test, feature = "testing"))] // only the tests call it
/// One page of a board column.
pub async fn page_by_status(
    db: &Db,
    status: LeadStatus,
    after: Option<BoardKey>,
    limit: i64,
) -> Result<Page<Lead, BoardKey>> {
    page_in_scope(db, &Scope::all(), status, after, limit).await
}

/// One page of a board column, of the leads in `scope`.
pub async fn page_in_scope(
    db: &Db,
    scope: &Scope,
    status: LeadStatus,
    after: Option<BoardKey>,
    limit: i64,
) -> Result<Page<Lead, BoardKey>> {
    let limit = page::limit(limit);
    let rows = match after {
        None => {
            let w = scope.sql(db.backend(), 3);
            let sql = format!(
                "SELECT {LEAD_COLUMNS} FROM leads WHERE status = $1 {} ORDER BY updated_at DESC, id DESC LIMIT $2",
                w.sql
            );
            with_db!(db, p => {
                bind_where!(sqlx::query_as::<_, Lead>(&sql).bind(status.as_str()).bind(limit + 1), &w.binds)
                    .fetch_all(p)
                    .await?
            })
        }
        Some((updated_at, id)) => {
            let w = scope.sql(db.backend(), 5);
            let sql = format!(
                "SELECT {LEAD_COLUMNS} FROM leads WHERE status = $1 AND (updated_at, id) < ($2, $3) {} \
                 ORDER BY updated_at DESC, id DESC LIMIT $4",
                w.sql
            );
            with_db!(db, p => {
                let q = sqlx::query_as::<_, Lead>(&sql).bind(status.as_str()).bind(updated_at).bind(id).bind(limit + 1);
                bind_where!(q, &w.binds).fetch_all(p).await?
            })
        }
    };
    Ok(page::from_rows(rows, limit, |l| (l.updated_at, l.id)))
}

/// The first page of every stage at once, for a selective filter (a text search):
/// one pass over the matching leads instead of one per stage, each of which would
/// repeat the search. Stages in board order, empty ones included.
pub async fn first_pages_in_scope(db: &Db, scope: &Scope, limit: i64) -> Result<Vec<Page<Lead, BoardKey>>> {
    let limit = page::limit(limit);
    let w = scope.sql(db.backend(), 2);
    let sql = format!(
        "SELECT {LEAD_COLUMNS} FROM (SELECT {LEAD_COLUMNS}, \
         ROW_NUMBER() OVER (PARTITION BY status ORDER BY updated_at DESC, id DESC) AS rn \
         FROM leads WHERE 1 = 1 {}) ranked WHERE rn <= $1 ORDER BY status, rn",
        w.sql
    );
    let rows: Vec<Lead> =
        with_db!(db, p => bind_where!(sqlx::query_as::<_, Lead>(&sql).bind(limit + 1), &w.binds).fetch_all(p).await?);
    Ok(by_stage(rows, limit))
}

/// A stage with at most this many matches of a search is paged by looking up each
/// match by rowid and sorting them; one with more walks its index in board order and
/// stops at a page's worth. A lookup costs about 50 index entries walked (--large
/// demo: 250 lookups 3 ms, a 30,000-lead stage walked whole 6 ms), and the walk
/// reads about stage size × page / matches entries, so lookups win only for a few
/// dozen matches.
const FEW_MATCHES: i64 = 64;

/// SQLite, a search: the stage totals and the first page of every stage that has
/// a match. The full-text search runs once, into a temporary table of the matching
/// ids keyed by id on this connection (temp tables are the connection's own, so two
/// boards searching at once do not meet), which the totals and every stage then
/// probe: a `WITH` of the matches was scanned again into a list for each stage, and
/// the totals searched once more ("sara", 3,188 of 100k leads: totals 10 and pages
/// 11 ms warm, now 6 and 1 ms after a 2 ms search). A stage with many matches walks
/// its (status, updated_at) index in board order probing each id, one with few looks
/// its matches up and sorts them; a stage without a match costs no page query.
async fn searched_sqlite(
    pool: &sqlx::SqlitePool,
    scope: &Scope,
    per_column: i64,
) -> Result<(Vec<StageTotal>, Vec<Page<Lead, BoardKey>>)> {
    const MATCHES: &str = "temp.board_match";
    let limit = page::limit(per_column);
    let totals_where = scope.sql_matching(Backend::Sqlite, 1, &format!("id IN {MATCHES}"));
    let Some(text) = totals_where.fts_text.clone() else {
        return Err(super::StoreError::Other("a search without a full-text query".into()));
    };
    let mut c = pool.acquire().await?;
    sqlx::query("CREATE TEMP TABLE IF NOT EXISTS board_match (id INTEGER PRIMARY KEY)").execute(&mut *c).await?;
    sqlx::query(&format!("DELETE FROM {MATCHES}")).execute(&mut *c).await?;
    let found =
        sqlx::query(&format!("INSERT INTO {MATCHES} (id) SELECT rowid FROM lead_search WHERE lead_search MATCH $1"))
            .bind(&text)
            .execute(&mut *c)
            .await;
    let result = async {
        found?;
        let sum = budget_sum_sql(Backend::Sqlite);
        // Each matching id looked up in the narrow index of migration 0009, not in
        // the table's wide rows.
        let sql = format!(
            "SELECT status, COUNT(*), {sum} FROM leads INDEXED BY ix_leads_id_status_budget WHERE 1 = 1 {} \
             GROUP BY status",
            totals_where.sql
        );
        let rows: Vec<(String, i64, i64)> =
            bind_where!(sqlx::query_as(&sql), &totals_where.binds).fetch_all(&mut *c).await?;
        let totals: Vec<StageTotal> = LeadStatus::ALL
            .iter()
            .map(|s| {
                let row = rows.iter().find(|(name, ..)| name == s.as_str());
                StageTotal { status: *s, count: row.map_or(0, |r| r.1), budget: row.map_or(0, |r| r.2) }
            })
            .collect();
        let stages: Vec<&StageTotal> = totals.iter().filter(|t| t.count > 0).collect();
        if stages.is_empty() {
            return Ok((totals, by_stage(Vec::new(), limit)));
        }
        // Many matches: `+id` keeps SQLite walking the stage's index in board order,
        // probing each id. Few: `id` lets it look each match up by rowid.
        let walk = scope.sql_matching(Backend::Sqlite, 2, &format!("+id IN {MATCHES}"));
        let lookup = scope.sql_matching(Backend::Sqlite, 2, &format!("id IN {MATCHES}"));
        // Stage names are the enum's own text, not user input.
        let sql = stages
            .iter()
            .map(|t| {
                format!(
                    "SELECT * FROM (SELECT {LEAD_COLUMNS} FROM leads WHERE status = '{}' {} \
                     ORDER BY updated_at DESC, id DESC LIMIT $1)",
                    t.status.as_str(),
                    if t.count <= FEW_MATCHES { &lookup.sql } else { &walk.sql }
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let rows: Vec<Lead> =
            bind_where!(sqlx::query_as::<_, Lead>(&sql).bind(limit + 1), &walk.binds).fetch_all(&mut *c).await?;
        Ok::<_, super::StoreError>((totals, by_stage(rows, limit)))
    }
    .await;
    // Emptied for the next use of this connection, whatever happened.
    let _ = sqlx::query(&format!("DELETE FROM {MATCHES}")).execute(&mut *c).await;
    result
}

/// Rows of several stages → one page per stage, in board order.
fn by_stage(rows: Vec<Lead>, limit: i64) -> Vec<Page<Lead, BoardKey>> {
    LeadStatus::ALL
        .iter()
        .map(|s| {
            let rows: Vec<Lead> = rows.iter().filter(|l| l.status == s.as_str()).cloned().collect();
            page::from_rows(rows, limit, |l| (l.updated_at, l.id))
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub lead: Lead,
    /// Initials of the assignee ("AH"), if assigned.
    pub assignee: Option<String>,
    /// When the lead entered its current stage: its last move (`leads.stage_since`),
    /// or its creation.
    pub stage_since: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub status: LeadStatus,
    pub count: i64,
    /// Summed budget estimate of the column's leads.
    pub budget: i64,
    pub cards: Vec<Card>,
    pub next: Option<BoardKey>,
}

/// Every stage's count, budget and first page of cards, of the leads in `scope`.
/// The totals (a scan of the matching leads) run beside the pages and card extras,
/// on another connection, so the board costs the longer of the two, not the sum;
/// except for a search on SQLite, where one connection finds the matches once for
/// both (`searched_sqlite`).
pub async fn load(db: &Db, scope: &Scope, per_column: i64) -> Result<Vec<Column>> {
    let with_cards = |pages: Vec<Page<Lead, BoardKey>>| async move {
        // One pass for the extras of every card on the board, not one per column.
        let leads: Vec<Lead> = pages.iter().flat_map(|p| p.rows.iter().cloned()).collect();
        let cards = cards(db, leads).await?;
        Ok::<_, super::StoreError>((pages, cards.into_iter()))
    };
    let (totals, (pages, mut cards)) = match db {
        Db::Sqlite(pool) if scope.filter.searches() => {
            let (totals, pages) = searched_sqlite(pool, scope, per_column).await?;
            (totals, with_cards(pages).await?)
        }
        _ => tokio::try_join!(totals_by_status(db, scope), async {
            with_cards(first_pages(db, scope, per_column).await?).await
        })?,
    };
    Ok(totals
        .into_iter()
        .zip(pages)
        .map(|(t, page)| Column {
            status: t.status,
            count: t.count,
            budget: t.budget,
            cards: cards.by_ref().take(page.rows.len()).collect(),
            next: page.next,
        })
        .collect())
}

/// The first page of every stage, in board order.
pub async fn first_pages(db: &Db, scope: &Scope, per_column: i64) -> Result<Vec<Page<Lead, BoardKey>>> {
    if scope.filter.searches() {
        return match db {
            // A search on PostgreSQL: rank the matches once rather than repeat the
            // trigram scan per stage (55 -> 39 ms on the --large demo).
            Db::Postgres(_) => first_pages_in_scope(db, scope, per_column).await,
            Db::Sqlite(pool) => Ok(searched_sqlite(pool, scope, per_column).await?.1),
        };
    }
    let mut pages = Vec::with_capacity(LeadStatus::ALL.len());
    for status in LeadStatus::ALL {
        pages.push(page_in_scope(db, scope, *status, None, per_column).await?);
    }
    Ok(pages)
}

/// The next page of one column.
pub async fn more(
    db: &Db,
    scope: &Scope,
    status: LeadStatus,
    after: BoardKey,
    limit: i64,
) -> Result<Page<Card, BoardKey>> {
    let page = page_in_scope(db, scope, status, Some(after), limit).await?;
    Ok(Page { rows: cards(db, page.rows).await?, next: page.next })
}

/// Adds initials and stage-entry times to leads, in one query for all of them. The
/// stage entry is the lead's own `stage_since` (set by every move): reading it from
/// the audit log's latest status change cost a query per board.
pub async fn cards(db: &Db, leads: Vec<Lead>) -> Result<Vec<Card>> {
    if leads.is_empty() {
        return Ok(Vec::new());
    }
    let mut assignees: Vec<i64> = leads.iter().filter_map(|l| l.assigned_to).collect();
    assignees.sort_unstable();
    assignees.dedup();
    let names: HashMap<i64, String> = if assignees.is_empty() {
        HashMap::new()
    } else {
        let placeholders = (1..=assignees.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(",");
        let sql = format!("SELECT id, full_name FROM users WHERE id IN ({placeholders})");
        let rows: Vec<(i64, String)> = with_db!(db, p => {
            let mut q = sqlx::query_as(&sql);
            for id in &assignees {
                q = q.bind(id);
            }
            q.fetch_all(p).await?
        });
        rows.into_iter().collect()
    };
    Ok(leads
        .into_iter()
        .map(|lead| Card {
            assignee: lead.assigned_to.and_then(|id| names.get(&id)).map(|n| initials(n)),
            stage_since: lead.stage_since.unwrap_or(lead.created_at),
            lead,
        })
        .collect())
}

/// "Amira Haddad" → "AH"; one letter for one word; any script.
pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let pick = |w: &&str| w.chars().next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
    match words.as_slice() {
        [] => String::new(),
        [one] => pick(one),
        [first, .., last] => format!("{}{}", pick(first), pick(last)),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn initials() {
        assert_eq!(super::initials("Amira Haddad"), "AH");
        assert_eq!(super::initials("Omar"), "O");
        assert_eq!(super::initials("سارة عبد الرحمن"), "سا");
        assert_eq!(super::initials(" "), "");
    }
}
