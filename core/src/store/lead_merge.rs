//! Duplicates of a lead (same normalised email, phone or WhatsApp among open leads)
//! and merging two leads into the older one.

use super::audit::{self, Change};
use super::leads::{LEAD_COLUMNS, Lead, find_duplicates, get_in};
use super::{Actor, Db, Result, StoreError, now};
use crate::domain::lead::budget_estimate;
use crate::domain::permissions::Action;
use crate::with_tx;
use serde_json::json;

/// Tables whose rows point at a lead, moved to the kept lead by a merge.
const LEAD_REFERENCES: &[&str] =
    &["lead_notes", "contact_messages", "mentorships", "code_review_requests", "event_registrations"];

/// Merges two leads that are one person: the older lead is kept and takes the
/// other's notes and links, and any contact detail it lacks; the newer one is kept
/// too (soft delete: nothing is deleted) with `merged_into_id` pointing at the kept
/// lead, which hides it from the board, dashboards, duplicate checks and exports
/// (`lead_filter::LIVE`); its own history stays under its id. The audit log has a
/// `merge` row on each. Both versions must be the ones the user saw: they are
/// checked when read and again by every write (both UPDATEs say
/// `AND version = …`), because on PostgreSQL a
/// colleague's edit can commit between this transaction's reads and its writes. A
/// miss is `StoreError::Conflict` naming who changed the lead, and the transaction
/// is dropped: nothing of the merge is written.
pub async fn merge(db: &Db, actor: &Actor, a: (i64, i64), b: (i64, i64)) -> Result<Lead> {
    actor.require(Action::EditLeads)?;
    if a.0 == b.0 {
        return Err(StoreError::invalid("merge", "a lead cannot be merged with itself"));
    }
    let mut tx = db.begin().await?;
    let (la, lb) = (get_in(&mut tx, a.0).await?, get_in(&mut tx, b.0).await?);
    for lead in [&la, &lb] {
        let into: Option<i64> = with_tx!(&mut tx, c => {
            sqlx::query_scalar("SELECT merged_into_id FROM leads WHERE id = $1").bind(lead.id).fetch_one(&mut *c).await?
        });
        if let Some(into) = into {
            return Err(StoreError::refused(format!(
                "lead #{} {} was merged into #{into} already",
                lead.id, lead.full_name
            )));
        }
    }
    for (lead, version) in [(&la, a.1), (&lb, b.1)] {
        if lead.version != version {
            return Err(audit::conflict(&mut tx, "one of the leads", "lead", lead.id).await);
        }
    }
    let (keep, gone) = if (la.created_at, la.id) <= (lb.created_at, lb.id) { (la, lb) } else { (lb, la) };
    let or = |k: &Option<String>, g: &Option<String>| k.clone().or_else(|| g.clone());
    let message = match (&keep.message, &gone.message) {
        (Some(k), Some(g)) if k != g => Some(format!("{k}\n\n{g}")),
        (k, g) => or(k, g),
    };
    let budget = or(&keep.budget_range, &gone.budget_range);
    let sql = format!(
        "UPDATE leads SET email = $2, phone = $3, whatsapp = $4, message = $5, budget_range = $6, budget_estimate = $7, \
         urgency = $8, assigned_to = $9, next_follow_up_at = $10, last_contact_at = $11, version = version + 1, \
         updated_at = $12 WHERE id = $1 AND version = $13 RETURNING {LEAD_COLUMNS}"
    );
    let last_contact = keep.last_contact_at.max(gone.last_contact_at);
    let merged: Option<Lead> = with_tx!(&mut tx, c => {
        sqlx::query_as(&sql)
            .bind(keep.id)
            .bind(or(&keep.email, &gone.email))
            .bind(or(&keep.phone, &gone.phone))
            .bind(or(&keep.whatsapp, &gone.whatsapp))
            .bind(&message)
            .bind(&budget)
            .bind(budget.as_deref().and_then(budget_estimate))
            .bind(or(&keep.urgency, &gone.urgency))
            .bind(keep.assigned_to.or(gone.assigned_to))
            .bind(keep.next_follow_up_at.or(gone.next_follow_up_at))
            .bind(last_contact)
            .bind(now())
            .bind(keep.version)
            .fetch_optional(&mut *c)
            .await?
    });
    let Some(merged) = merged else {
        return Err(audit::conflict(&mut tx, "one of the leads", "lead", keep.id).await);
    };
    let mut moved = 0;
    for table in LEAD_REFERENCES {
        let sql = format!("UPDATE {table} SET lead_id = $1 WHERE lead_id = $2");
        moved += with_tx!(&mut tx, c => {
            sqlx::query(&sql).bind(keep.id).bind(gone.id).execute(&mut *c).await?.rows_affected()
        });
    }
    let marked = with_tx!(&mut tx, c => {
        sqlx::query(
            "UPDATE leads SET merged_into_id = $3, version = version + 1, updated_at = $4 WHERE id = $1 AND version = $2",
        )
        .bind(gone.id)
        .bind(gone.version)
        .bind(keep.id)
        .bind(now())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if marked != 1 {
        return Err(audit::conflict(&mut tx, "one of the leads", "lead", gone.id).await);
    }
    let fields = |l: &Lead| {
        json!({"id": l.id, "email": l.email, "phone": l.phone, "whatsapp": l.whatsapp, "message": l.message,
            "budget_range": l.budget_range, "urgency": l.urgency, "assigned_to": l.assigned_to,
            "next_follow_up_at": l.next_follow_up_at, "last_contact_at": l.last_contact_at})
    };
    let mut new = fields(&merged);
    new["merged_from"] = json!(gone.id);
    new["rows_moved"] = json!(moved);
    let change = Change::new(
        "merge",
        "lead",
        Some(keep.id),
        format!("merged lead #{} {} into #{} {}", gone.id, gone.full_name, keep.id, keep.full_name),
    )
    .diff(&fields(&keep), &new);
    audit::record(&mut tx, actor, change).await?;
    let change = Change::new(
        "merge",
        "lead",
        Some(gone.id),
        format!("lead #{} {} merged into #{} {}", gone.id, gone.full_name, keep.id, keep.full_name),
    )
    .diff(&json!({"id": gone.id, "merged_into": null}), &json!({"id": gone.id, "merged_into": keep.id}));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(merged)
}

/// Open leads sharing any of these contact details (normalised): the duplicate
/// check of a new or converted lead. Phone and WhatsApp numbers match each other.
pub async fn duplicates_of(
    db: &Db,
    email: Option<&str>,
    phone: Option<&str>,
    whatsapp: Option<&str>,
) -> Result<Vec<Lead>> {
    let mut found = find_duplicates(db, email, phone).await?;
    if let Some(w) = whatsapp.filter(|w| Some(*w) != phone) {
        for lead in find_duplicates(db, None, Some(w)).await? {
            if !found.iter().any(|f| f.id == lead.id) {
                found.push(lead);
            }
        }
    }
    Ok(found)
}
