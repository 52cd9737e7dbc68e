//! The pipeline board: per-stage counts and keyset pages of cards, each card with
//! what the board shows beyond the lead (assignee initials, when it entered its
//! stage according to the audit log).

use super::lead_filter::Scope;
use super::leads::{self, BoardKey, Lead};
use super::page::Page;
use super::{Db, Result};
use crate::domain::lead::LeadStatus;
use crate::with_db;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub lead: Lead,
    /// Initials of the assignee ("AH"), if assigned.
    pub assignee: Option<String>,
    /// When the lead entered its current stage: the last status change in the audit
    /// log, or its creation.
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
/// on another connection, so the board costs the longer of the two, not the sum.
pub async fn load(db: &Db, scope: &Scope, per_column: i64) -> Result<Vec<Column>> {
    let (totals, (pages, mut cards)) = tokio::try_join!(leads::totals_by_status(db, scope), async {
        let pages = first_pages(db, scope, per_column).await?;
        // One pass for the extras of every card on the board, not one per column.
        let leads: Vec<Lead> = pages.iter().flat_map(|p| p.rows.iter().cloned()).collect();
        let cards = cards(db, leads).await?;
        Ok((pages, cards.into_iter()))
    })?;
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
async fn first_pages(db: &Db, scope: &Scope, per_column: i64) -> Result<Vec<Page<Lead, BoardKey>>> {
    // A search on PostgreSQL: rank the matches once rather than repeat the trigram
    // scan per stage (55 -> 39 ms on the --large demo). SQLite's FTS lookup is cheap
    // to repeat and its window sort is not (35 -> 52 ms), so it pages per stage.
    if scope.filter.searches() && db.backend() == super::Backend::Postgres {
        return leads::first_pages_in_scope(db, scope, per_column).await;
    }
    let mut pages = Vec::with_capacity(LeadStatus::ALL.len());
    for status in LeadStatus::ALL {
        pages.push(leads::page_in_scope(db, scope, *status, None, per_column).await?);
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
    let page = leads::page_in_scope(db, scope, status, Some(after), limit).await?;
    Ok(Page { rows: cards(db, page.rows).await?, next: page.next })
}

/// Adds initials and stage-entry times to leads, in two queries for all of them.
pub async fn cards(db: &Db, leads: Vec<Lead>) -> Result<Vec<Card>> {
    if leads.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = leads.iter().map(|l| l.id).collect();
    let placeholders = (1..=ids.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(",");
    let sql = format!(
        "SELECT entity_id, MAX(created_at) FROM audit_log WHERE entity_type = 'lead' AND action = 'status_change' \
         AND entity_id IN ({placeholders}) GROUP BY entity_id"
    );
    let moved: Vec<(i64, DateTime<Utc>)> = with_db!(db, p => {
        let mut q = sqlx::query_as(&sql);
        for id in &ids {
            q = q.bind(id);
        }
        q.fetch_all(p).await?
    });
    let moved: HashMap<i64, DateTime<Utc>> = moved.into_iter().collect();
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
            stage_since: moved.get(&lead.id).copied().unwrap_or(lead.created_at),
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
