//! Contact messages (docs/domain.md §2, seed 002): what arrives from the website's
//! contact form. Staff page through them, move them new -> in_progress -> resolved,
//! and convert one into a lead (source contact_form) after the duplicate check, or
//! link it to the lead it turned out to be.
//!
//! Reading needs nothing (the screen checks `ViewLeads`); every write needs
//! `EditLeads`, is guarded by the version the user saw, and is audited as
//! `contact_message` in its own transaction.

use super::audit::{self, Change};
use super::leads::{self, Lead, NewLead};
use super::page::{self, Page};
use super::{Actor, Db, Result, StoreError, Tx, now};
use crate::domain::lead::LeadSource;
use crate::domain::message::MessageStatus;
use crate::domain::permissions::Action;
use crate::{with_db, with_tx};
use chrono::{DateTime, Utc};
use serde_json::json;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ContactMessage {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub subject: Option<String>,
    pub message: String,
    pub status: String,
    pub assigned_to: Option<i64>,
    /// Set when the message is resolved, cleared when it is reopened.
    pub resolved_at: Option<DateTime<Utc>>,
    /// The lead this message was converted into or linked to.
    pub lead_id: Option<i64>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub const MESSAGE_COLUMNS: &str = "id, name, email, phone, subject, message, status, assigned_to, resolved_at, \
     lead_id, version, created_at, updated_at";

impl ContactMessage {
    /// The stored status as the domain enum (the CHECK constraint keeps it valid).
    pub fn state(&self) -> MessageStatus {
        MessageStatus::parse(&self.status).unwrap_or(MessageStatus::New)
    }
}

/// Keyset key of the list order: newest first.
pub type MessageKey = (DateTime<Utc>, i64);

/// One page of messages, newest first (`created_at`, then `id`), optionally of one
/// status only. Pass the previous page's `next` as `after`.
pub async fn page(
    db: &Db,
    status: Option<MessageStatus>,
    after: Option<MessageKey>,
    limit: i64,
) -> Result<Page<ContactMessage, MessageKey>> {
    let limit = page::limit(limit);
    // A separate SQL text per shape, so each can use its index: (status, created_at,
    // id) when filtered, (created_at, id) when not.
    let mut n = 0;
    let mut arg = || {
        n += 1;
        format!("${n}")
    };
    let mut sql = format!("SELECT {MESSAGE_COLUMNS} FROM contact_messages WHERE 1 = 1");
    if status.is_some() {
        sql += &format!(" AND status = {}", arg());
    }
    if after.is_some() {
        sql += &format!(" AND (created_at, id) < ({}, {})", arg(), arg());
    }
    sql += &format!(" ORDER BY created_at DESC, id DESC LIMIT {}", arg());
    let rows = with_db!(db, p => {
        let mut q = sqlx::query_as::<_, ContactMessage>(&sql);
        if let Some(s) = status {
            q = q.bind(s.as_str());
        }
        if let Some((created_at, id)) = after {
            q = q.bind(created_at).bind(id);
        }
        q.bind(limit + 1).fetch_all(p).await?
    });
    Ok(page::from_rows(rows, limit, |m| (m.created_at, m.id)))
}

/// Message counts per status, in `MessageStatus::ALL` order (zero included).
pub async fn counts(db: &Db) -> Result<Vec<(MessageStatus, i64)>> {
    let rows: Vec<(String, i64)> = with_db!(db, p => {
        sqlx::query_as("SELECT status, COUNT(*) FROM contact_messages GROUP BY status").fetch_all(p).await?
    });
    Ok(MessageStatus::ALL
        .iter()
        .map(|s| (*s, rows.iter().find(|(name, _)| name == s.as_str()).map_or(0, |r| r.1)))
        .collect())
}

#[cfg(any(test, feature = "testing"))] // only the tests call it
pub async fn get(db: &Db, id: i64) -> Result<ContactMessage> {
    let sql = format!("SELECT {MESSAGE_COLUMNS} FROM contact_messages WHERE id = $1");
    with_db!(db, p => sqlx::query_as::<_, ContactMessage>(&sql).bind(id).fetch_optional(p).await?)
        .ok_or_else(|| StoreError::not_found("contact message", id))
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<ContactMessage> {
    let sql = format!("SELECT {MESSAGE_COLUMNS} FROM contact_messages WHERE id = $1");
    with_tx!(tx, c => sqlx::query_as::<_, ContactMessage>(&sql).bind(id).fetch_optional(&mut *c).await?)
        .ok_or_else(|| StoreError::not_found("contact message", id))
}

/// Reads the message for a write: it must exist and still be at `version`.
async fn fetch_for_write(tx: &mut Tx, id: i64, version: i64) -> Result<ContactMessage> {
    let before = get_in(tx, id).await?;
    if before.version != version {
        return Err(audit::conflict(tx, "this contact message", "contact_message", id).await);
    }
    Ok(before)
}

/// Refuses a second conversion or link, naming the lead the message already has.
fn refuse_if_linked(m: &ContactMessage) -> Result<()> {
    match m.lead_id {
        Some(lead) => Err(StoreError::refused(format!(
            "contact message #{} from {} is already linked to lead #{lead}",
            m.id, m.name
        ))),
        None => Ok(()),
    }
}

/// Writes status, resolved_at and lead_id of a message read at `version`; `None`
/// when someone else wrote it in between.
async fn update(
    tx: &mut Tx,
    before: &ContactMessage,
    status: MessageStatus,
    resolved_at: Option<DateTime<Utc>>,
    lead_id: Option<i64>,
) -> Result<ContactMessage> {
    let sql = format!(
        "UPDATE contact_messages SET status = $3, resolved_at = $4, lead_id = $5, version = version + 1, \
         updated_at = $6 WHERE id = $1 AND version = $2 RETURNING {MESSAGE_COLUMNS}"
    );
    let after: Option<ContactMessage> = with_tx!(tx, c => {
        sqlx::query_as(&sql)
            .bind(before.id)
            .bind(before.version)
            .bind(status.as_str())
            .bind(resolved_at)
            .bind(lead_id)
            .bind(now())
            .fetch_optional(&mut *c)
            .await?
    });
    match after {
        Some(after) => Ok(after),
        None => Err(audit::conflict(tx, "this contact message", "contact_message", before.id).await),
    }
}

/// The audited fields of a message.
fn audited(m: &ContactMessage) -> serde_json::Value {
    json!({"id": m.id, "status": m.status, "resolved_at": m.resolved_at, "lead_id": m.lead_id})
}

/// Moves a message to another status (`MessageStatus::check_move`). Resolving sets
/// `resolved_at`; reopening (resolved -> in_progress) clears it.
pub async fn set_status(db: &Db, actor: &Actor, id: i64, version: i64, to: MessageStatus) -> Result<ContactMessage> {
    actor.require(Action::EditLeads)?;
    let mut tx = db.begin().await?;
    let before = fetch_for_write(&mut tx, id, version).await?;
    let from = before.state();
    from.check_move(to).map_err(|e| StoreError::refused(e.to_string()))?;
    let resolved_at = (to == MessageStatus::Resolved).then(now);
    let after = update(&mut tx, &before, to, resolved_at, before.lead_id).await?;
    let summary = format!("moved contact message from {} from {from} to {to}", before.name);
    let change =
        Change::new("status_change", "contact_message", Some(id), summary).diff(&audited(&before), &audited(&after));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// What `convert` did.
// Returned once per keypress, never stored in bulk: the size difference costs
// nothing, and a plain `Lead` keeps the screen's match simple.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Converted {
    /// The new lead; the message now links to it.
    Lead(Lead),
    /// Open leads with the same normalised email or phone. Nothing was written: ask
    /// the user, then `convert` with `force`, or `link_to_lead` one of these.
    Duplicates(Vec<Lead>),
}

/// Converts a message into a lead (source contact_form, lead_type other, the
/// message's name, email and phone, subject and text as the lead's message), links
/// the message to it and moves a new message to in_progress: one transaction, an
/// audit row for the lead and one for the message.
///
/// Without `force`, open leads with the same normalised email or phone are returned
/// as `Converted::Duplicates` and nothing changes. A message already linked to a lead
/// is refused.
pub async fn convert(db: &Db, actor: &Actor, id: i64, version: i64, force: bool) -> Result<Converted> {
    actor.require(Action::EditLeads)?;
    let mut tx = db.begin().await?;
    let before = fetch_for_write(&mut tx, id, version).await?;
    refuse_if_linked(&before)?;
    if !force {
        let dups = leads::find_duplicates_in(&mut tx, before.email.as_deref(), before.phone.as_deref()).await?;
        if !dups.is_empty() {
            // Dropping the transaction rolls it back; it wrote nothing anyway.
            return Ok(Converted::Duplicates(dups));
        }
    }
    let new = NewLead {
        full_name: before.name.clone(),
        email: before.email.clone(),
        phone: before.phone.clone(),
        source: Some(LeadSource::ContactForm),
        message: Some(lead_message(before.subject.as_deref(), &before.message)),
        ..NewLead::default()
    };
    let lead = leads::create_in(&mut tx, actor, new).await?;
    let after = update(&mut tx, &before, handled(before.state()), before.resolved_at, Some(lead.id)).await?;
    let summary = format!("converted contact message from {} into lead #{}", before.name, lead.id);
    let change = Change::new("convert", "contact_message", Some(id), summary).diff(&audited(&before), &audited(&after));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(Converted::Lead(lead))
}

/// Links a message to an existing lead ("this is lead X", after a duplicate warning)
/// and moves a new message to in_progress, as `convert` does. Audited.
pub async fn link_to_lead(db: &Db, actor: &Actor, id: i64, version: i64, lead_id: i64) -> Result<ContactMessage> {
    actor.require(Action::EditLeads)?;
    let mut tx = db.begin().await?;
    let before = fetch_for_write(&mut tx, id, version).await?;
    refuse_if_linked(&before)?;
    let lead = leads::get_in(&mut tx, lead_id).await?;
    let after = update(&mut tx, &before, handled(before.state()), before.resolved_at, Some(lead.id)).await?;
    let summary = format!("linked contact message from {} to lead #{} {}", before.name, lead.id, lead.full_name);
    let change = Change::new("link", "contact_message", Some(id), summary).diff(&audited(&before), &audited(&after));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// A message someone turned into (or matched with) a lead is being handled.
fn handled(from: MessageStatus) -> MessageStatus {
    if from == MessageStatus::New { MessageStatus::InProgress } else { from }
}

/// The lead's message: the subject as a first line, then the text.
fn lead_message(subject: Option<&str>, message: &str) -> String {
    match subject.map(str::trim).filter(|s| !s.is_empty()) {
        Some(subject) => format!("{subject}\n\n{}", message.trim()),
        None => message.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_leads_the_message() {
        assert_eq!(lead_message(Some(" Pricing "), "How much?\n"), "Pricing\n\nHow much?");
        assert_eq!(lead_message(Some("  "), "Hi"), "Hi");
        assert_eq!(lead_message(None, "Hi"), "Hi");
    }

    #[test]
    fn handling_moves_only_new_messages() {
        use MessageStatus::*;
        assert_eq!(handled(New), InProgress);
        assert_eq!(handled(InProgress), InProgress);
        assert_eq!(handled(Resolved), Resolved);
    }
}
