//! Leads: creation with the contact rule, pipeline moves, notes, duplicate lookup,
//! and the keyset-paged board queries.

use super::audit::{self, Change};
use super::lead_filter::Scope;
use super::page::{self, Page};
use super::{Actor, Db, Result, StoreError, Tx, now};
use crate::domain::contact;
use crate::domain::lead::{
    Interest, LeadMoveError, LeadSource, LeadStatus, LeadType, MoveInput, NoteType, Urgency, budget_estimate,
    check_move,
};
use crate::domain::permissions::Action;
use crate::{bind_where, with_db, with_tx};
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
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub const LEAD_COLUMNS: &str = "id, full_name, email, phone, whatsapp, lead_type, source, message, interested_in, \
     status, lost_reason, budget_range, urgency, assigned_to, next_follow_up_at, converted_at, last_contact_at, \
     budget_estimate, version, created_at, updated_at";

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
    let full_name = contact::storable(new.full_name.trim());
    if full_name.is_empty() {
        return Err(StoreError::invalid("name", "cannot be empty"));
    }
    let message = new.message.as_deref().map(contact::storable);
    let c = validate_contact(new.email.as_deref(), new.phone.as_deref(), new.whatsapp.as_deref())?;
    let budget = new.budget_range.as_deref().map(str::trim).filter(|b| !b.is_empty()).map(contact::storable);
    let estimate = budget.as_deref().and_then(budget_estimate);
    let at = now();
    let sql = format!(
        "INSERT INTO leads (full_name, email, phone, whatsapp, source, message, interested_in, assigned_to, \
         lead_type, budget_range, budget_estimate, urgency, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $10, $11, $12, $13, $9, $9) RETURNING {LEAD_COLUMNS}"
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
    let follow_up = input.next_follow_up_at.or(before.next_follow_up_at);
    let budget = input.budget_range.as_deref().map(str::trim).filter(|b| !b.is_empty()).map(contact::storable);
    let budget = budget.or(before.budget_range.clone());
    let estimate = budget.as_deref().and_then(budget_estimate);
    let sql = format!(
        "UPDATE leads SET status = $3, lost_reason = $4, converted_at = $5, next_follow_up_at = $7, budget_range = $8, \
         budget_estimate = $9, version = version + 1, updated_at = $6 WHERE id = $1 AND version = $2 \
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
    let change = Change::new("status_change", "lead", Some(id), summary).diff(
        &json!({"id": id, "status": before.status, "lost_reason": before.lost_reason,
            "next_follow_up_at": before.next_follow_up_at, "budget_range": before.budget_range}),
        &json!({"id": id, "status": after.status, "lost_reason": after.lost_reason,
            "next_follow_up_at": after.next_follow_up_at, "budget_range": after.budget_range}),
    );
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
/// lead, so it also sets `last_contact_at` (DOMAIN.md section 2).
pub async fn add_note(db: &Db, actor: &Actor, lead_id: i64, note_type: NoteType, text: &str) -> Result<LeadNote> {
    actor.require(Action::EditLeads)?;
    let text = contact::storable(text.trim());
    if text.is_empty() {
        return Err(StoreError::invalid("note", "cannot be empty"));
    }
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

/// Count and summed budget per stage of the leads in `scope`, in board order.
pub async fn totals_by_status(db: &Db, scope: &Scope) -> Result<Vec<StageTotal>> {
    let w = scope.sql(db.backend(), 1);
    // SUM of a BIGINT is NUMERIC on PostgreSQL: cast back for one Rust type.
    let sql = if db.backend() == super::Backend::Postgres && !scope.filter.searches() {
        // PostgreSQL hashes every row's status for a GROUP BY (~45 ms on 100k
        // leads); one index-only range per stage is half that. A search matches
        // few rows, and repeating its trigram scan per stage would cost more.
        let stages = LeadStatus::ALL.iter().map(|s| format!("('{}')", s.as_str())).collect::<Vec<_>>().join(", ");
        format!(
            "SELECT s.status, t.n, t.b FROM (VALUES {stages}) AS s (status) CROSS JOIN LATERAL \
             (SELECT COUNT(*) AS n, CAST(COALESCE(SUM(budget_estimate), 0) AS BIGINT) AS b FROM leads \
             WHERE leads.status = s.status {}) AS t",
            w.sql
        )
    } else {
        format!(
            "SELECT status, COUNT(*), CAST(COALESCE(SUM(budget_estimate), 0) AS BIGINT) FROM leads WHERE 1 = 1 {} \
             GROUP BY status",
            w.sql
        )
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
    Ok(LeadStatus::ALL
        .iter()
        .map(|s| {
            let rows: Vec<Lead> = rows.iter().filter(|l| l.status == s.as_str()).cloned().collect();
            page::from_rows(rows, limit, |l| (l.updated_at, l.id))
        })
        .collect())
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
         AND (email = $1 OR phone = $2 OR whatsapp = $2) ORDER BY id LIMIT 20"
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
    edit(db, actor, id, version, Edit::FollowUp(at)).await
}

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

/// The fields of a lead a user edits in the detail form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadFields {
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub whatsapp: Option<String>,
    pub lead_type: LeadType,
    pub source: LeadSource,
    pub interested_in: Interest,
    pub budget_range: Option<String>,
    pub urgency: Option<Urgency>,
    pub message: Option<String>,
}

impl LeadFields {
    pub fn of(lead: &Lead) -> LeadFields {
        LeadFields {
            full_name: lead.full_name.clone(),
            email: lead.email.clone(),
            phone: lead.phone.clone(),
            whatsapp: lead.whatsapp.clone(),
            lead_type: LeadType::parse(&lead.lead_type).unwrap_or(LeadType::Other),
            source: LeadSource::parse(&lead.source).unwrap_or(LeadSource::Other),
            interested_in: Interest::parse(&lead.interested_in).unwrap_or(Interest::Other),
            budget_range: lead.budget_range.clone(),
            urgency: lead.urgency.as_deref().and_then(Urgency::parse),
            message: lead.message.clone(),
        }
    }

    /// Checks and normalises: a name, BR-05 and the email/phone formats. Pure, so
    /// the form shows the same message the store would give before sending.
    pub fn validated(&self) -> Result<LeadFields> {
        let full_name = contact::storable(self.full_name.trim());
        if full_name.is_empty() {
            return Err(StoreError::invalid("name", "cannot be empty"));
        }
        let c = validate_contact(self.email.as_deref(), self.phone.as_deref(), self.whatsapp.as_deref())?;
        let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(contact::storable);
        Ok(LeadFields {
            full_name,
            email: c.email,
            phone: c.phone,
            whatsapp: c.whatsapp,
            budget_range: text(&self.budget_range),
            message: text(&self.message),
            ..self.clone()
        })
    }
}

/// Saves the edit form. Only changed fields reach the audit row.
pub async fn update_fields(db: &Db, actor: &Actor, id: i64, version: i64, fields: &LeadFields) -> Result<Lead> {
    actor.require(Action::EditLeads)?;
    let f = fields.validated()?;
    let mut tx = db.begin().await?;
    let before = get_in(&mut tx, id).await?;
    if before.version != version {
        return Err(audit::conflict(&mut tx, "this lead", "lead", id).await);
    }
    let estimate = f.budget_range.as_deref().and_then(budget_estimate);
    let sql = format!(
        "UPDATE leads SET full_name = $3, email = $4, phone = $5, whatsapp = $6, lead_type = $7, source = $8, \
         interested_in = $9, budget_range = $10, budget_estimate = $11, urgency = $12, message = $13, \
         version = version + 1, updated_at = $14 WHERE id = $1 AND version = $2 RETURNING {LEAD_COLUMNS}"
    );
    let after: Option<Lead> = with_tx!(&mut tx, c => {
        sqlx::query_as(&sql)
            .bind(id)
            .bind(version)
            .bind(&f.full_name)
            .bind(&f.email)
            .bind(&f.phone)
            .bind(&f.whatsapp)
            .bind(f.lead_type.as_str())
            .bind(f.source.as_str())
            .bind(f.interested_in.as_str())
            .bind(&f.budget_range)
            .bind(estimate)
            .bind(f.urgency.map(|u| u.as_str()))
            .bind(&f.message)
            .bind(now())
            .fetch_optional(&mut *c)
            .await?
    });
    let Some(after) = after else {
        return Err(audit::conflict(&mut tx, "this lead", "lead", id).await);
    };
    let snapshot = |l: &Lead| {
        json!({"id": l.id, "full_name": l.full_name, "email": l.email, "phone": l.phone, "whatsapp": l.whatsapp,
            "lead_type": l.lead_type, "source": l.source, "interested_in": l.interested_in,
            "budget_range": l.budget_range, "urgency": l.urgency, "message": l.message})
    };
    let change = Change::new("update", "lead", Some(id), format!("edited lead {}", after.full_name))
        .diff(&snapshot(&before), &snapshot(&after));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// Tables whose rows point at a lead, moved to the kept lead by a merge.
const LEAD_REFERENCES: &[&str] =
    &["lead_notes", "contact_messages", "mentorships", "code_review_requests", "event_registrations"];

/// Merges two leads that are one person: the older lead is kept and takes the
/// other's notes and links, and any contact detail it lacks; the newer one is
/// deleted. The audit log keeps both: a `merge` row on the kept lead and a `delete`
/// row holding every field of the removed one. Both versions must be the ones the
/// user saw.
pub async fn merge(db: &Db, actor: &Actor, a: (i64, i64), b: (i64, i64)) -> Result<Lead> {
    actor.require(Action::EditLeads)?;
    if a.0 == b.0 {
        return Err(StoreError::invalid("merge", "a lead cannot be merged with itself"));
    }
    let mut tx = db.begin().await?;
    let (la, lb) = (get_in(&mut tx, a.0).await?, get_in(&mut tx, b.0).await?);
    for (lead, version) in [(&la, a.1), (&lb, b.1)] {
        if lead.version != version {
            return Err(audit::conflict(&mut tx, "one of the leads", "lead", lead.id).await);
        }
    }
    let (keep, gone) = if (la.created_at, la.id) <= (lb.created_at, lb.id) { (la, lb) } else { (lb, la) };
    let mut moved = 0;
    for table in LEAD_REFERENCES {
        let sql = format!("UPDATE {table} SET lead_id = $1 WHERE lead_id = $2");
        moved += with_tx!(&mut tx, c => {
            sqlx::query(&sql).bind(keep.id).bind(gone.id).execute(&mut *c).await?.rows_affected()
        });
    }
    let or = |k: &Option<String>, g: &Option<String>| k.clone().or_else(|| g.clone());
    let message = match (&keep.message, &gone.message) {
        (Some(k), Some(g)) if k != g => Some(format!("{k}\n\n{g}")),
        (k, g) => or(k, g),
    };
    let budget = or(&keep.budget_range, &gone.budget_range);
    let sql = format!(
        "UPDATE leads SET email = $2, phone = $3, whatsapp = $4, message = $5, budget_range = $6, budget_estimate = $7, \
         urgency = $8, assigned_to = $9, next_follow_up_at = $10, last_contact_at = $11, version = version + 1, \
         updated_at = $12 WHERE id = $1 RETURNING {LEAD_COLUMNS}"
    );
    let last_contact = keep.last_contact_at.max(gone.last_contact_at);
    let merged: Lead = with_tx!(&mut tx, c => {
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
            .fetch_one(&mut *c)
            .await?
    });
    with_tx!(&mut tx, c => sqlx::query("DELETE FROM leads WHERE id = $1").bind(gone.id).execute(&mut *c).await?.rows_affected());
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
    let removed = serde_json::to_value(LeadSnapshot::of(&gone)).map_err(|e| StoreError::Other(e.to_string()))?;
    let change =
        Change::new("delete", "lead", Some(gone.id), format!("lead {} merged into #{}", gone.full_name, keep.id));
    let change = Change { old: Some(removed), new: Some(json!({"merged_into": keep.id})), ..change };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(merged)
}

/// Every field of a lead, as the audit log keeps a removed one.
#[derive(serde::Serialize)]
struct LeadSnapshot<'a> {
    id: i64,
    full_name: &'a str,
    email: &'a Option<String>,
    phone: &'a Option<String>,
    whatsapp: &'a Option<String>,
    lead_type: &'a str,
    source: &'a str,
    message: &'a Option<String>,
    interested_in: &'a str,
    status: &'a str,
    lost_reason: &'a Option<String>,
    budget_range: &'a Option<String>,
    urgency: &'a Option<String>,
    assigned_to: Option<i64>,
    next_follow_up_at: Option<DateTime<Utc>>,
    converted_at: Option<DateTime<Utc>>,
    last_contact_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl<'a> LeadSnapshot<'a> {
    fn of(l: &'a Lead) -> LeadSnapshot<'a> {
        LeadSnapshot {
            id: l.id,
            full_name: &l.full_name,
            email: &l.email,
            phone: &l.phone,
            whatsapp: &l.whatsapp,
            lead_type: &l.lead_type,
            source: &l.source,
            message: &l.message,
            interested_in: &l.interested_in,
            status: &l.status,
            lost_reason: &l.lost_reason,
            budget_range: &l.budget_range,
            urgency: &l.urgency,
            assigned_to: l.assigned_to,
            next_follow_up_at: l.next_follow_up_at,
            converted_at: l.converted_at,
            last_contact_at: l.last_contact_at,
            created_at: l.created_at,
            updated_at: l.updated_at,
        }
    }
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
