//! Leads: creation with the contact rule, pipeline moves, notes, assignment and
//! follow-ups, duplicate lookup, and the lead detail. The edit form's update lives in
//! `lead_fields`, merging in `lead_merge`, the board's queries in `board`.

pub use super::lead_fields::{LeadFields, update_fields};
pub use super::lead_merge::{duplicates_of, merge};

use super::audit::{self, Change};
use super::{Actor, Db, Result, StoreError, Tx, now};
use crate::domain::contact;
use crate::domain::lead::{
    LeadMoveError, LeadSource, LeadStatus, LeadType, MoveInput, NoteType, Urgency, budget_estimate, check_move,
};
use crate::domain::permissions::Action;
use crate::{with_db, with_tx};
use chrono::{DateTime, Utc};
use serde_json::json;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Lead {
    pub id: i64,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub whatsapp: Option<String>,
    pub lead_type: String,
    pub source: String,
    pub message: Option<String>,
    pub interested_in: String,
    pub status: String,
    pub lost_reason: Option<String>,
    pub budget_range: Option<String>,
    pub urgency: Option<String>,
    pub assigned_to: Option<i64>,
    pub next_follow_up_at: Option<DateTime<Utc>>,
    pub converted_at: Option<DateTime<Utc>>,
    pub last_contact_at: Option<DateTime<Utc>>,
    /// A number parsed from `budget_range`, summed in the board's column headers.
    pub budget_estimate: Option<i64>,
    /// When it entered its current stage (every move sets it; `None` only for rows
    /// written outside the store, which count from `created_at`).
    pub stage_since: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub const LEAD_COLUMNS: &str = "id, full_name, email, phone, whatsapp, lead_type, source, message, interested_in, \
     status, lost_reason, budget_range, urgency, assigned_to, next_follow_up_at, converted_at, last_contact_at, \
     budget_estimate, stage_since, version, created_at, updated_at";

impl Lead {
    /// The stored status as the domain enum (the CHECK constraint keeps it valid).
    pub fn stage(&self) -> LeadStatus {
        LeadStatus::parse(&self.status).unwrap_or(LeadStatus::New)
    }
}

/// A lead to create. Contact fields are validated and normalised (BR-05).
#[derive(Debug, Clone, Default)]
pub struct NewLead {
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub whatsapp: Option<String>,
    pub source: Option<LeadSource>,
    pub message: Option<String>,
    pub interested_in: Option<String>,
    pub assigned_to: Option<i64>,
    /// Defaults to `other`.
    pub lead_type: Option<LeadType>,
    /// Free text ("10-15k EGP"); its number is stored as `budget_estimate`.
    pub budget_range: Option<String>,
    pub urgency: Option<Urgency>,
}

/// Validated, normalised contact fields of a lead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub whatsapp: Option<String>,
}

/// A budget range as stored (trimmed, `None` when blank) and its estimate. A number
/// above `domain::lead::MAX_BUDGET` is refused, naming it, as field `budget`.
pub fn validate_budget(range: Option<&str>) -> Result<(Option<String>, Option<i64>)> {
    let Some(budget) = range.map(str::trim).filter(|b| !b.is_empty()).map(contact::storable) else {
        return Ok((None, None));
    };
    let estimate = crate::domain::lead::check_budget(&budget).map_err(|why| StoreError::invalid("budget", why))?;
    Ok((Some(budget), estimate))
}

/// BR-05 plus formats: at least one of email/phone/whatsapp, each well-formed.
pub fn validate_contact(email: Option<&str>, phone: Option<&str>, whatsapp: Option<&str>) -> Result<Contact> {
    let present = |v: Option<&str>| v.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let (email, phone, whatsapp) = (present(email), present(phone), present(whatsapp));
    if !contact::has_contact(email.as_deref(), phone.as_deref(), whatsapp.as_deref()) {
        return Err(StoreError::invalid("contact", "a lead needs at least one of email, phone or WhatsApp"));
    }
    let email =
        email.map(|e| contact::normalize_email(&e).map_err(|why| StoreError::invalid("email", why))).transpose()?;
    let phone =
        phone.map(|p| contact::normalize_phone(&p).map_err(|why| StoreError::invalid("phone", why))).transpose()?;
    let whatsapp = whatsapp
        .map(|p| contact::normalize_phone(&p).map_err(|why| StoreError::invalid("whatsapp", why)))
        .transpose()?;
    Ok(Contact { email, phone, whatsapp })
}

pub async fn create(db: &Db, actor: &Actor, new: NewLead) -> Result<Lead> {
    actor.require(Action::EditLeads)?;
    let mut tx = db.begin().await?;
    let lead = create_in(&mut tx, actor, new).await?;
    tx.commit().await?;
    Ok(lead)
}

/// The one insert path of a lead (`create`; `lead_io::import` for many in one
/// transaction; `contact_messages::convert` inside its own): validates, normalises,
/// inserts and audits inside `tx`. The caller
/// checks the permission and commits.
pub(crate) async fn create_in(tx: &mut Tx, actor: &Actor, new: NewLead) -> Result<Lead> {
    use crate::domain::lead::{MAX_MESSAGE_CHARS, MAX_NAME_CHARS};
    let full_name = super::fields::required("name", &new.full_name, MAX_NAME_CHARS)?;
    let message = new.message.as_deref().map(contact::storable);
    if message.as_ref().is_some_and(|m| m.chars().count() > MAX_MESSAGE_CHARS) {
        return Err(StoreError::invalid("message", format!("is longer than {MAX_MESSAGE_CHARS} characters")));
    }
    let c = validate_contact(new.email.as_deref(), new.phone.as_deref(), new.whatsapp.as_deref())?;
    let (budget, estimate) = validate_budget(new.budget_range.as_deref())?;
    let at = now();
    let sql = format!(
        "INSERT INTO leads (full_name, email, phone, whatsapp, source, message, interested_in, assigned_to, \
         lead_type, budget_range, budget_estimate, urgency, created_at, updated_at, stage_since) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $10, $11, $12, $13, $9, $9, $9) RETURNING {LEAD_COLUMNS}"
    );
    let lead: Lead = with_tx!(tx, conn => {
        sqlx::query_as(&sql)
            .bind(&full_name)
            .bind(&c.email)
            .bind(&c.phone)
            .bind(&c.whatsapp)
            .bind(new.source.unwrap_or(LeadSource::Other).as_str())
            .bind(&message)
            .bind(new.interested_in.as_deref().unwrap_or("other"))
            .bind(new.assigned_to)
            .bind(at)
            .bind(new.lead_type.unwrap_or(LeadType::Other).as_str())
            .bind(&budget)
            .bind(estimate)
            .bind(new.urgency.map(Urgency::as_str))
            .fetch_one(&mut *conn)
            .await?
    });
    let new_values = json!({"id": lead.id, "full_name": lead.full_name, "email": lead.email, "phone": lead.phone,
        "whatsapp": lead.whatsapp, "source": lead.source, "status": lead.status});
    audit::record(
        tx,
        actor,
        Change::new("create", "lead", Some(lead.id), format!("created lead {}", lead.full_name)).with_new(new_values),
    )
    .await?;
    Ok(lead)
}

pub async fn get(db: &Db, id: i64) -> Result<Lead> {
    let sql = format!("SELECT {LEAD_COLUMNS} FROM leads WHERE id = $1");
    with_db!(db, p => sqlx::query_as::<_, Lead>(&sql).bind(id).fetch_optional(p).await?)
        .ok_or_else(|| StoreError::not_found("lead", id))
}

pub(crate) async fn get_in(tx: &mut Tx, id: i64) -> Result<Lead> {
    let sql = format!("SELECT {LEAD_COLUMNS} FROM leads WHERE id = $1");
    with_tx!(tx, c => sqlx::query_as::<_, Lead>(&sql).bind(id).fetch_optional(&mut *c).await?)
        .ok_or_else(|| StoreError::not_found("lead", id))
}

/// Moves a lead to another stage (BR-06). `version` is the one the user saw: if the
/// lead changed since, nothing is written and the error names who changed it.
pub async fn move_to(db: &Db, actor: &Actor, id: i64, version: i64, to: LeadStatus, input: &MoveInput) -> Result<Lead> {
    actor.require(Action::EditLeads)?;
    let mut tx = db.begin().await?;
    let before = get_in(&mut tx, id).await?;
    if before.version != version {
        return Err(audit::conflict(&mut tx, "this lead", "lead", id).await);
    }
    let from = before.stage();
    check_move(from, to, actor.roles.can(Action::ReopenLead), input).map_err(|e| match e {
        LeadMoveError::Refused(r) => StoreError::refused(r.to_string()),
        LeadMoveError::LostReasonRequired => StoreError::invalid("lost reason", e.to_string()),
    })?;
    let at = now();
    let lost_reason =
        (to == LeadStatus::ClosedLost).then(|| input.lost_reason.as_deref().unwrap_or("").trim().to_string());
    // closed_won records when the lead converted; reopening clears the close.
    let converted_at = match to {
        LeadStatus::ClosedWon => Some(at),
        _ if from.is_closed() => None,
        _ => before.converted_at,
    };
    // Follow-up and budget given with the move (nurturing, proposal_sent) are kept.
    // A budget typed now is checked; one stored by an older version is kept as it is.
    let typed = input.next_follow_up_at.map(|t| super::fields::instant("next_follow_up_at", t)).transpose()?;
    let follow_up = typed.or(before.next_follow_up_at);
    let (budget, _) = validate_budget(input.budget_range.as_deref())?;
    let budget = budget.or(before.budget_range.clone());
    let estimate = budget.as_deref().and_then(budget_estimate);
    let sql = format!(
        "UPDATE leads SET status = $3, lost_reason = $4, converted_at = $5, next_follow_up_at = $7, budget_range = $8, \
         budget_estimate = $9, stage_since = $6, version = version + 1, updated_at = $6 WHERE id = $1 AND version = $2 \
         RETURNING {LEAD_COLUMNS}"
    );
    let after: Option<Lead> = with_tx!(&mut tx, c => {
        sqlx::query_as(&sql)
            .bind(id)
            .bind(version)
            .bind(to.as_str())
            .bind(&lost_reason)
            .bind(converted_at)
            .bind(at)
            .bind(follow_up)
            .bind(&budget)
            .bind(estimate)
            .fetch_optional(&mut *c)
            .await?
    });
    let Some(after) = after else {
        return Err(audit::conflict(&mut tx, "this lead", "lead", id).await);
    };
    let summary = format!("moved lead {} from {from} to {to}", after.full_name);
    // Every field the move changed, so an undo can put each back (`lead_undo`).
    let change = Change::new("status_change", "lead", Some(id), summary)
        .diff(&super::lead_undo::moved_fields(&before), &super::lead_undo::moved_fields(&after));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct LeadNote {
    pub id: i64,
    pub lead_id: i64,
    pub note: String,
    pub note_type: String,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// Adds a note. A call, email, meeting or WhatsApp note records contact with the
/// lead, so it also sets `last_contact_at` (docs/domain.md §2).
pub async fn add_note(db: &Db, actor: &Actor, lead_id: i64, note_type: NoteType, text: &str) -> Result<LeadNote> {
    actor.require(Action::EditLeads)?;
    let text = super::fields::required("note", text, crate::domain::lead::MAX_NOTE_CHARS)?;
    let at = now();
    let mut tx = db.begin().await?;
    let lead = get_in(&mut tx, lead_id).await?;
    let note: LeadNote = with_tx!(&mut tx, c => {
        sqlx::query_as(
            "INSERT INTO lead_notes (lead_id, note, note_type, created_by, created_at) VALUES ($1, $2, $3, $4, $5) \
             RETURNING id, lead_id, note, note_type, created_by, created_at",
        )
        .bind(lead_id)
        .bind(&text)
        .bind(note_type.as_str())
        .bind(actor.user_id)
        .bind(at)
        .fetch_one(&mut *c)
        .await?
    });
    if note_type.is_contact() {
        // Not a user edit of the lead's fields, so the version stays: a colleague's
        // open edit form must not conflict because someone logged a call.
        with_tx!(&mut tx, c => {
            sqlx::query("UPDATE leads SET last_contact_at = $2, updated_at = $2 WHERE id = $1")
                .bind(lead_id)
                .bind(at)
                .execute(&mut *c)
                .await?.rows_affected()
        });
    }
    let change =
        Change::new("create", "lead_note", Some(note.id), format!("{note_type} note on lead {}", lead.full_name))
            .with_new(json!({"id": note.id, "lead_id": lead_id, "note_type": note_type.as_str()}));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(note)
}

/// Fills `budget_estimate` for rows written before it existed (run once, by the
/// migration that added it). Derived data, not a user's change: not audited.
pub async fn backfill_budget_estimates(db: &Db) -> Result<()> {
    let rows: Vec<(i64, String)> = with_db!(db, p => {
        sqlx::query_as("SELECT id, budget_range FROM leads WHERE budget_range IS NOT NULL AND budget_estimate IS NULL")
            .fetch_all(p)
            .await?
    });
    let mut tx = db.begin().await?;
    for (id, range) in rows {
        let Some(n) = budget_estimate(&range) else { continue };
        with_tx!(&mut tx, c => {
            sqlx::query("UPDATE leads SET budget_estimate = $2 WHERE id = $1")
                .bind(id)
                .bind(n)
                .execute(&mut *c)
                .await?.rows_affected()
        });
    }
    tx.commit().await
}

/// Open leads whose normalised email or phone matches (duplicate detection).
pub async fn find_duplicates(db: &Db, email: Option<&str>, phone: Option<&str>) -> Result<Vec<Lead>> {
    let Some((sql, email, phone)) = duplicates_query(email, phone) else { return Ok(vec![]) };
    Ok(with_db!(db, p => sqlx::query_as::<_, Lead>(&sql).bind(&email).bind(&phone).fetch_all(p).await?))
}

/// `find_duplicates` inside a write transaction, so the check and the insert it
/// guards see the same data.
pub(crate) async fn find_duplicates_in(tx: &mut Tx, email: Option<&str>, phone: Option<&str>) -> Result<Vec<Lead>> {
    let Some((sql, email, phone)) = duplicates_query(email, phone) else { return Ok(vec![]) };
    Ok(with_tx!(tx, c => sqlx::query_as::<_, Lead>(&sql).bind(&email).bind(&phone).fetch_all(&mut *c).await?))
}

/// The duplicate query and its normalised binds; `None` when there is nothing to match.
fn duplicates_query(email: Option<&str>, phone: Option<&str>) -> Option<(String, Option<String>, Option<String>)> {
    let email = email.and_then(|e| contact::normalize_email(e).ok());
    let phone = phone.and_then(|p| contact::normalize_phone(p).ok());
    if email.is_none() && phone.is_none() {
        return None;
    }
    let sql = format!(
        "SELECT {LEAD_COLUMNS} FROM leads WHERE status NOT IN ('closed_won', 'closed_lost') \
         AND (email = $1 OR phone = $2 OR whatsapp = $2){} ORDER BY id LIMIT 20",
        super::lead_filter::LIVE
    );
    Some((sql, email, phone))
}

/// A field edit of a lead, guarded by the version the user saw.
enum Edit {
    Assign(Option<i64>),
    FollowUp(Option<DateTime<Utc>>),
}

async fn edit(db: &Db, actor: &Actor, id: i64, version: i64, change: Edit) -> Result<Lead> {
    actor.require(Action::EditLeads)?;
    let mut tx = db.begin().await?;
    let before = get_in(&mut tx, id).await?;
    if before.version != version {
        return Err(audit::conflict(&mut tx, "this lead", "lead", id).await);
    }
    let at = now();
    let (column, old, new, summary) = match &change {
        Edit::Assign(user) => {
            if let Some(uid) = user {
                let ok: Option<bool> = with_tx!(&mut tx, c => {
                    sqlx::query_scalar("SELECT is_active FROM users WHERE id = $1 AND (is_staff = $2 OR is_admin = $2)")
                        .bind(uid)
                        .bind(true)
                        .fetch_optional(&mut *c)
                        .await?
                });
                if ok != Some(true) {
                    return Err(StoreError::invalid("assignee", "leads are assigned to active staff or admins"));
                }
            }
            ("assigned_to", json!(before.assigned_to), json!(user), format!("assigned lead {}", before.full_name))
        }
        Edit::FollowUp(t) => (
            "next_follow_up_at",
            json!(before.next_follow_up_at),
            json!(t),
            format!("set the next follow-up of lead {}", before.full_name),
        ),
    };
    let sql = format!(
        "UPDATE leads SET {column} = $3, version = version + 1, updated_at = $4 WHERE id = $1 AND version = $2 \
         RETURNING {LEAD_COLUMNS}"
    );
    let after: Option<Lead> = with_tx!(&mut tx, c => {
        let q = sqlx::query_as(&sql).bind(id).bind(version);
        let q = match &change {
            Edit::Assign(user) => q.bind(*user),
            Edit::FollowUp(t) => q.bind(*t),
        };
        q.bind(at).fetch_optional(&mut *c).await?
    });
    let Some(after) = after else {
        return Err(audit::conflict(&mut tx, "this lead", "lead", id).await);
    };
    let change = Change::new("update", "lead", Some(id), summary)
        .diff(&json!({"id": id, column: old}), &json!({"id": id, column: new}));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// Assigns a lead to a staff member or admin (`None`: unassigned).
pub async fn assign(db: &Db, actor: &Actor, id: i64, version: i64, user_id: Option<i64>) -> Result<Lead> {
    edit(db, actor, id, version, Edit::Assign(user_id)).await
}

/// Sets (or clears) the next follow-up.
pub async fn set_follow_up(db: &Db, actor: &Actor, id: i64, version: i64, at: Option<DateTime<Utc>>) -> Result<Lead> {
    let at = at.map(|t| super::fields::instant("next_follow_up_at", t)).transpose()?;
    edit(db, actor, id, version, Edit::FollowUp(at)).await
}

#[cfg(any(test, feature = "testing"))] // only the tests call it
pub async fn notes(db: &Db, lead_id: i64) -> Result<Vec<LeadNote>> {
    Ok(with_db!(db, p => {
        sqlx::query_as::<_, LeadNote>(
            "SELECT id, lead_id, note, note_type, created_by, created_at FROM lead_notes WHERE lead_id = $1 \
             ORDER BY created_at, id",
        )
        .bind(lead_id)
        .fetch_all(p)
        .await?
    }))
}

/// One line of a lead's timeline: a note, or a status change from the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    /// `call`, `email`, … for notes; `status` for moves.
    pub kind: String,
    pub text: String,
    pub by: Option<String>,
}

/// Everything the lead detail view shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub lead: Lead,
    pub assignee: Option<String>,
    /// Oldest first: notes and status changes interleaved.
    pub timeline: Vec<TimelineEntry>,
}

pub async fn detail(db: &Db, id: i64) -> Result<Detail> {
    let lead = get(db, id).await?;
    let assignee: Option<String> = match lead.assigned_to {
        Some(uid) => with_db!(db, p => {
            sqlx::query_scalar::<_, String>("SELECT full_name FROM users WHERE id = $1").bind(uid).fetch_optional(p).await?
        }),
        None => None,
    };
    let notes: Vec<(DateTime<Utc>, String, String, Option<String>)> = with_db!(db, p => {
        sqlx::query_as(
            "SELECT n.created_at, n.note_type, n.note, u.full_name FROM lead_notes n LEFT JOIN users u ON u.id = n.created_by \
             WHERE n.lead_id = $1 ORDER BY n.created_at, n.id",
        )
        .bind(id)
        .fetch_all(p)
        .await?
    });
    let moves: Vec<(DateTime<Utc>, String, Option<String>)> = with_db!(db, p => {
        sqlx::query_as(
            "SELECT a.created_at, a.summary, u.full_name FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id \
             WHERE a.entity_type = 'lead' AND a.entity_id = $1 AND a.action = 'status_change' ORDER BY a.id",
        )
        .bind(id)
        .fetch_all(p)
        .await?
    });
    let mut timeline: Vec<TimelineEntry> = notes
        .into_iter()
        .map(|(at, kind, text, by)| TimelineEntry { at, kind, text, by })
        .chain(moves.into_iter().map(|(at, text, by)| TimelineEntry { at, kind: "status".into(), text, by }))
        .collect();
    timeline.sort_by_key(|e| e.at);
    Ok(Detail { lead, assignee, timeline })
}

/// Staff and admins a lead can be assigned to: (id, name), by name.
pub async fn assignees(db: &Db) -> Result<Vec<(i64, String)>> {
    Ok(with_db!(db, p => {
        sqlx::query_as(
            "SELECT id, full_name FROM users WHERE is_active = $1 AND (is_staff = $1 OR is_admin = $1) \
             ORDER BY full_name, id LIMIT 500",
        )
        .bind(true)
        .fetch_all(p)
        .await?
    }))
}
