//! Undo of a pipeline move (`u` on the board): the exact reverse of the actor's own
//! last move of a lead. The forward machine does not apply (undoing a close as won
//! goes back to proposal_sent, which no forward move may do): what may be undone is
//! decided by the audit log instead. The lead's moves and undos, newest first, pair
//! up like a stack; the newest move not yet undone must be the actor's, and must
//! have moved the lead to where it stands and from where it goes back to. The
//! fields it changed (status, lost reason, follow-up, budget, converted and
//! in-stage times) get the values its audit row kept. Versioned like any write and
//! audited as `undo`.

use super::audit::{self, Change};
use super::leads::{LEAD_COLUMNS, Lead, get_in};
use super::{Actor, Db, Result, StoreError, now};
use crate::domain::lead::{LeadStatus, budget_estimate};
use crate::domain::permissions::Action;
use crate::with_tx;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

/// How far back the log is read for the move to undo (undo is for the last few).
const LOOK_BACK: i64 = 200;

type LogRow = (Option<i64>, String, Option<String>, Option<String>);

/// Undoes the actor's last move of lead `id` (at `version`), which took it from
/// `back_to` to where it is now.
pub async fn undo_move(db: &Db, actor: &Actor, id: i64, version: i64, back_to: LeadStatus) -> Result<Lead> {
    actor.require(Action::EditLeads)?;
    let mut tx = db.begin().await?;
    let before = get_in(&mut tx, id).await?;
    if before.version != version {
        return Err(audit::conflict(&mut tx, "this lead", "lead", id).await);
    }
    let rows: Vec<LogRow> = with_tx!(&mut tx, c => {
        sqlx::query_as(
            "SELECT actor_id, action, old_values, new_values FROM audit_log \
             WHERE entity_type = 'lead' AND entity_id = $1 AND action IN ('status_change', 'undo') \
             ORDER BY id DESC LIMIT $2",
        )
        .bind(id)
        .bind(LOOK_BACK)
        .fetch_all(&mut *c)
        .await?
    });
    let mut undone = 0;
    let mut last = None;
    for row in rows {
        match row.1.as_str() {
            "undo" => undone += 1,
            _ if undone > 0 => undone -= 1,
            _ => {
                last = Some(row);
                break;
            }
        }
    }
    let Some((by, _, old, new)) = last else {
        return Err(StoreError::refused("this lead has no move to undo"));
    };
    let (old, new) = (object(old), object(new));
    let status = |m: &Map<String, Value>| m.get("status").and_then(Value::as_str).map(str::to_string);
    if by != actor.user_id
        || status(&new).as_deref() != Some(before.status.as_str())
        || status(&old).as_deref() != Some(back_to.as_str())
    {
        return Err(StoreError::refused(
            "only your own last move of a lead can be undone, and this lead was moved since",
        ));
    }
    // A field the move did not change is not in its row: it keeps today's value.
    let text = |key: &str, now: &Option<String>| match old.get(key) {
        Some(v) => v.as_str().map(str::to_string),
        None => now.clone(),
    };
    let time = |key: &str, now: Option<DateTime<Utc>>| match old.get(key) {
        Some(v) => serde_json::from_value::<Option<DateTime<Utc>>>(v.clone()).ok().flatten(),
        None => now,
    };
    let lost_reason = text("lost_reason", &before.lost_reason);
    let budget = text("budget_range", &before.budget_range);
    let follow_up = time("next_follow_up_at", before.next_follow_up_at);
    let converted_at = time("converted_at", before.converted_at);
    let at = now();
    let stage_since = time("stage_since", None).unwrap_or(at);
    let sql = format!(
        "UPDATE leads SET status = $3, lost_reason = $4, converted_at = $5, next_follow_up_at = $6, budget_range = $7, \
         budget_estimate = $8, stage_since = $9, version = version + 1, updated_at = $10 \
         WHERE id = $1 AND version = $2 RETURNING {LEAD_COLUMNS}"
    );
    let after: Option<Lead> = with_tx!(&mut tx, c => {
        sqlx::query_as(&sql)
            .bind(id)
            .bind(version)
            .bind(back_to.as_str())
            .bind(&lost_reason)
            .bind(converted_at)
            .bind(follow_up)
            .bind(&budget)
            .bind(budget.as_deref().and_then(budget_estimate))
            .bind(stage_since)
            .bind(at)
            .fetch_optional(&mut *c)
            .await?
    });
    let Some(after) = after else {
        return Err(audit::conflict(&mut tx, "this lead", "lead", id).await);
    };
    let summary = format!("undid the move of lead {} to {} (back to {back_to})", after.full_name, before.status);
    let change = Change::new("undo", "lead", Some(id), summary).diff(&moved_fields(&before), &moved_fields(&after));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// The fields a move changes, as its audit row keeps them (move and undo alike).
pub(crate) fn moved_fields(l: &Lead) -> Value {
    json!({"id": l.id, "status": l.status, "lost_reason": l.lost_reason, "next_follow_up_at": l.next_follow_up_at,
        "budget_range": l.budget_range, "converted_at": l.converted_at, "stage_since": l.stage_since})
}

fn object(text: Option<String>) -> Map<String, Value> {
    match text.and_then(|t| serde_json::from_str::<Value>(&t).ok()) {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    }
}
