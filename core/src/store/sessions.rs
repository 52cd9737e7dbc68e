//! Planning class meetings (docs/domain.md §3): create one session or a weekly
//! series, edit, move to another day, cancel. Each write needs `EditSessions` and,
//! for an instructor, the cohort's assignment (`cohorts::require_teaches`); each
//! session is audited in the transaction that writes it, and edits are versioned.
//!
//! A date outside the cohort's start/end is refused naming the dates. A clash — the
//! same cohort, or a cohort sharing an instructor, at an overlapping time — is not
//! an error: without `allow_clash` nothing is written and the clashes come back as
//! `Outcome::Clashes`, so the form can name them and ask before saving.

use super::audit::{self, Change};
use super::calendar::{clash_text, overlaps};
use super::{Actor, Db, Result, StoreError, Tx, now};
use crate::domain::permissions::Action;
use crate::domain::recurrence::{self, Repeat};
use crate::domain::session::{
    self as rules, DeliveryMode, MAX_PLACE_CHARS, MAX_PLAN_CHARS, MAX_TITLE_CHARS, SessionType,
};
use crate::{with_db, with_tx};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde_json::{Value, json};

/// What the form edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionFields {
    pub cohort_id: i64,
    pub date: NaiveDate,
    pub starts: Option<NaiveTime>,
    pub ends: Option<NaiveTime>,
    pub mode: DeliveryMode,
    pub location: Option<String>,
    pub meeting_url: Option<String>,
    pub title: String,
    pub day_plan: Option<String>,
    pub session_type: SessionType,
}

/// A stored session with its cohort's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: i64,
    pub cohort: String,
    /// The cohort's own zone, in which `fields`' date and times are kept.
    pub zone: Option<String>,
    pub fields: SessionFields,
    pub status: String,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Written: the sessions' ids and a line saying what was done.
    Saved(Vec<i64>, String),
    /// Nothing written: the clashes, one line each, naming the other session.
    Clashes(Vec<String>),
}

fn trimmed(v: &Option<String>, field: &'static str, max: usize) -> Result<Option<String>> {
    let t = v.as_deref().map(crate::domain::contact::storable).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    match t {
        Some(s) if s.chars().count() > max => {
            Err(StoreError::invalid(field, format!("is {} characters; at most {max}", s.chars().count())))
        }
        t => Ok(t),
    }
}

impl SessionFields {
    /// Checks every field (names the one at fault) and trims the texts.
    pub fn validated(&self) -> Result<SessionFields> {
        self.validated_against(None)
    }

    /// As `validated`, for an edit of `before`: a place left as it was is not
    /// checked again (a move of an older session without a room stays possible).
    fn validated_against(&self, before: Option<&SessionFields>) -> Result<SessionFields> {
        let title = crate::domain::contact::storable(&self.title).trim().to_string();
        if title.is_empty() {
            return Err(StoreError::invalid("title", "is needed"));
        }
        if title.chars().count() > MAX_TITLE_CHARS {
            return Err(StoreError::invalid("title", format!("is longer than {MAX_TITLE_CHARS} characters")));
        }
        let location = trimmed(&self.location, "location", MAX_PLACE_CHARS)?;
        let meeting_url = trimmed(&self.meeting_url, "meeting_url", MAX_PLACE_CHARS)?;
        let day_plan = trimmed(&self.day_plan, "day_plan", MAX_PLAN_CHARS)?;
        super::fields::day("date", self.date)?;
        rules::check_times(self.starts, self.ends).map_err(|(f, why)| StoreError::invalid(f, why))?;
        let same_place =
            before.is_some_and(|b| (b.mode, &b.location, &b.meeting_url) == (self.mode, &location, &meeting_url));
        if !same_place {
            rules::check_place(self.mode, location.as_deref(), meeting_url.as_deref())
                .map_err(|(f, why)| StoreError::invalid(f, why))?;
        }
        Ok(SessionFields { title, location, meeting_url, day_plan, ..self.clone() })
    }

    fn audited(&self, status: &str) -> Value {
        json!({
            "cohort_id": self.cohort_id, "date": self.date, "starts_at": self.starts, "ends_at": self.ends,
            "delivery_mode": self.mode.as_str(), "location": self.location, "meeting_url": self.meeting_url,
            "title": self.title, "day_plan": self.day_plan, "session_type": self.session_type.as_str(),
            "status": status,
        })
    }

    /// "18:00" or "all day".
    fn at(&self) -> String {
        self.starts.map_or("all day".into(), |t| t.format("%H:%M").to_string())
    }
}

type Row = (
    i64,
    i64,
    String,
    NaiveDate,
    Option<NaiveTime>,
    Option<NaiveTime>,
    String,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    String,
    String,
    i64,
    DateTime<Utc>,
    Option<String>,
);

const SELECT: &str = "SELECT s.id, s.cohort_id, c.name, s.date, s.starts_at, s.ends_at, s.delivery_mode, s.location, \
     s.meeting_url, s.title, s.day_plan, s.session_type, s.status, s.version, s.updated_at, c.time_zone \
     FROM sessions s JOIN cohorts c ON c.id = s.cohort_id WHERE s.id = $1";

fn from_row(r: Row) -> Session {
    let (
        id,
        cohort_id,
        cohort,
        date,
        starts,
        ends,
        mode,
        location,
        meeting_url,
        title,
        day_plan,
        kind,
        status,
        version,
        at,
        zone,
    ) = r;
    Session {
        id,
        cohort,
        zone: zone.filter(|z| !z.trim().is_empty()),
        fields: SessionFields {
            cohort_id,
            date,
            starts,
            ends,
            mode: DeliveryMode::parse(&mode).unwrap_or(DeliveryMode::Onsite),
            location,
            meeting_url,
            title,
            day_plan,
            session_type: SessionType::parse(&kind).unwrap_or(SessionType::Normal),
        },
        status,
        version,
        updated_at: at,
    }
}

/// One session, for the edit form.
pub async fn get(db: &Db, id: i64) -> Result<Session> {
    let row: Option<Row> = with_db!(db, p => sqlx::query_as(SELECT).bind(id).fetch_optional(p).await?);
    row.map(from_row).ok_or_else(|| StoreError::not_found("session", id))
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<Session> {
    let row: Option<Row> = with_tx!(tx, c => sqlx::query_as(SELECT).bind(id).fetch_optional(&mut *c).await?);
    row.map(from_row).ok_or_else(|| StoreError::not_found("session", id))
}

/// The cohort a session is planned in: its name, dates and zone; refused when it
/// has ended or was cancelled.
struct Cohort {
    name: String,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    tz: Option<chrono_tz::Tz>,
}

async fn cohort_for_planning(tx: &mut Tx, actor: &Actor, cohort_id: i64) -> Result<Cohort> {
    actor.require(Action::EditSessions)?;
    type CohortRow = (String, String, Option<NaiveDate>, Option<NaiveDate>, Option<String>);
    let row: Option<CohortRow> = with_tx!(tx, c => {
        sqlx::query_as("SELECT name, status, start_date, end_date, time_zone FROM cohorts WHERE id = $1")
            .bind(cohort_id)
            .fetch_optional(&mut *c)
            .await?
    });
    let (name, status, start, end, tz) = row.ok_or_else(|| StoreError::not_found("cohort", cohort_id))?;
    if status == "completed" || status == "cancelled" {
        return Err(StoreError::refused(format!("{name} is {status}; its calendar is closed to new plans")));
    }
    super::cohorts::require_teaches(tx, actor, cohort_id, "plan its sessions").await?;
    Ok(Cohort { name, start, end, tz: tz.and_then(|t| t.parse().ok()) })
}

/// The sessions that `slots` of `cohort_id` would clash with, one line each
/// (`2026-12-03 18:00: clashes with "Intro" (Cohort 7, 18:00): the same cohort`).
/// `except`: the session being edited.
async fn clashes(
    tx: &mut Tx,
    cohort_id: i64,
    slots: &[(NaiveDate, Option<NaiveTime>, Option<NaiveTime>)],
    except: Option<i64>,
) -> Result<Vec<String>> {
    let (Some(first), Some(last)) = (slots.iter().map(|s| s.0).min(), slots.iter().map(|s| s.0).max()) else {
        return Ok(Vec::new());
    };
    type Other = (i64, NaiveDate, Option<NaiveTime>, Option<NaiveTime>, String, String);
    let others: Vec<Other> = with_tx!(tx, c => {
        sqlx::query_as(
            "SELECT s.cohort_id, s.date, s.starts_at, s.ends_at, s.title, c.name \
             FROM sessions s JOIN cohorts c ON c.id = s.cohort_id \
             WHERE s.date >= $2 AND s.date <= $3 AND s.status <> 'cancelled' AND s.id <> $4 \
             AND (s.cohort_id = $1 OR s.cohort_id IN (SELECT b.cohort_id FROM cohort_instructors a \
                  JOIN cohort_instructors b ON b.user_id = a.user_id WHERE a.cohort_id = $1)) \
             ORDER BY s.date, s.starts_at, s.id LIMIT 2000",
        )
        .bind(cohort_id)
        .bind(first)
        .bind(last)
        .bind(except.unwrap_or(-1))
        .fetch_all(&mut *c)
        .await?
    });
    let mut out = Vec::new();
    for (date, starts, ends) in slots {
        for (other_cohort, d, s, e, title, cohort) in &others {
            if d == date && overlaps((*starts, *ends), (*s, *e)) {
                let at = starts.map_or("all day".into(), |t| t.format("%H:%M").to_string());
                out.push(format!("{date} {at}: {}", clash_text(title, cohort, *s, *other_cohort == cohort_id)));
            }
        }
    }
    Ok(out)
}

async fn insert(tx: &mut Tx, actor: &Actor, f: &SessionFields, at: DateTime<Utc>) -> Result<i64> {
    let id: i64 = with_tx!(tx, c => {
        sqlx::query_scalar(
            "INSERT INTO sessions (cohort_id, date, starts_at, ends_at, delivery_mode, location, meeting_url, title, \
             day_plan, session_type, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
        )
        .bind(f.cohort_id)
        .bind(f.date)
        .bind(f.starts)
        .bind(f.ends)
        .bind(f.mode.as_str())
        .bind(&f.location)
        .bind(&f.meeting_url)
        .bind(&f.title)
        .bind(&f.day_plan)
        .bind(f.session_type.as_str())
        .bind(actor.user_id)
        .bind(at)
        .fetch_one(&mut *c)
        .await?
    });
    Ok(id)
}

/// Plans one session, or (given `repeat`) a weekly series from `fields.date` in
/// the cohort's zone (`office_tz` when it has none). All or nothing: one date
/// outside the cohort refuses the whole series.
pub async fn create(
    db: &Db,
    actor: &Actor,
    fields: SessionFields,
    repeat: Option<Repeat>,
    office_tz: chrono_tz::Tz,
    allow_clash: bool,
) -> Result<Outcome> {
    let f = fields.validated()?;
    let mut tx = db.begin().await?;
    let cohort = cohort_for_planning(&mut tx, actor, f.cohort_id).await?;
    let dates: Vec<NaiveDate> = match &repeat {
        None => vec![f.date],
        Some(r) => recurrence::meetings(f.date, f.starts, cohort.tz.unwrap_or(office_tz), r)
            .map_err(|why| StoreError::invalid("repeat", why))?
            .into_iter()
            .map(|t| t.date_naive())
            .collect(),
    };
    for d in &dates {
        rules::check_within(*d, &cohort.name, cohort.start, cohort.end)
            .map_err(|why| StoreError::invalid("date", why))?;
    }
    if !allow_clash {
        let slots: Vec<_> = dates.iter().map(|d| (*d, f.starts, f.ends)).collect();
        let found = clashes(&mut tx, f.cohort_id, &slots, None).await?;
        if !found.is_empty() {
            return Ok(Outcome::Clashes(found));
        }
    }
    let at = now();
    let mut ids = Vec::with_capacity(dates.len());
    for d in &dates {
        let one = SessionFields { date: *d, ..f.clone() };
        let id = insert(&mut tx, actor, &one, at).await?;
        let summary = format!("planned \"{}\" for {} on {} {}", one.title, cohort.name, one.date, one.at());
        let change = Change::new("create", "session", Some(id), summary).with_new(one.audited("scheduled"));
        audit::record(&mut tx, actor, change).await?;
        ids.push(id);
    }
    tx.commit().await?;
    let said = match ids.len() {
        1 => format!("\"{}\" planned for {} {}", f.title, f.date, f.at()),
        n => format!("{n} sessions of \"{}\" planned, {} to {}", f.title, dates[0], dates[n - 1]),
    };
    Ok(Outcome::Saved(ids, said))
}

/// Saves the edit form (or a move): the session must still be at `version`, stays
/// in its cohort, and is checked like a new one. Only changed fields are audited.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    version: i64,
    fields: SessionFields,
    allow_clash: bool,
) -> Result<Outcome> {
    let mut tx = db.begin().await?;
    let before = get_in(&mut tx, id).await?;
    if before.version != version {
        return Err(audit::conflict(&mut tx, "this session", "session", id).await);
    }
    let f = fields.validated_against(Some(&before.fields))?;
    if f.cohort_id != before.fields.cohort_id {
        return Err(StoreError::invalid(
            "cohort",
            format!("a session stays in its cohort ({}); cancel it and plan one in the other", before.cohort),
        ));
    }
    if before.status == "cancelled" {
        return Err(StoreError::refused(format!(
            "\"{}\" of {} was cancelled; plan a new session instead",
            before.fields.title, before.fields.date
        )));
    }
    let cohort = cohort_for_planning(&mut tx, actor, f.cohort_id).await?;
    rules::check_within(f.date, &cohort.name, cohort.start, cohort.end)
        .map_err(|why| StoreError::invalid("date", why))?;
    let moved = (f.date, f.starts, f.ends) != (before.fields.date, before.fields.starts, before.fields.ends);
    if moved && !allow_clash {
        let found = clashes(&mut tx, f.cohort_id, &[(f.date, f.starts, f.ends)], Some(id)).await?;
        if !found.is_empty() {
            return Ok(Outcome::Clashes(found));
        }
    }
    let updated: Option<i64> = with_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "UPDATE sessions SET date = $3, starts_at = $4, ends_at = $5, delivery_mode = $6, location = $7, \
             meeting_url = $8, title = $9, day_plan = $10, session_type = $11, version = version + 1, updated_at = $12 \
             WHERE id = $1 AND version = $2 RETURNING id",
        )
        .bind(id)
        .bind(version)
        .bind(f.date)
        .bind(f.starts)
        .bind(f.ends)
        .bind(f.mode.as_str())
        .bind(&f.location)
        .bind(&f.meeting_url)
        .bind(&f.title)
        .bind(&f.day_plan)
        .bind(f.session_type.as_str())
        .bind(now())
        .fetch_optional(&mut *c)
        .await?
    });
    if updated.is_none() {
        return Err(audit::conflict(&mut tx, "this session", "session", id).await);
    }
    let what = if before.fields.date != f.date {
        format!("moved \"{}\" of {} from {} to {}", f.title, cohort.name, before.fields.date, f.date)
    } else {
        format!("edited \"{}\" of {} on {}", f.title, cohort.name, f.date)
    };
    let change = Change::new("update", "session", Some(id), what.clone())
        .diff(&before.fields.audited(&before.status), &f.audited(&before.status));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(Outcome::Saved(vec![id], what))
}

/// Moves a session by `days` (the calendar's `H`/`L`), checked like an edit.
pub async fn shift(db: &Db, actor: &Actor, id: i64, version: i64, days: i64, allow_clash: bool) -> Result<Outcome> {
    let s = get(db, id).await?;
    let date = s
        .fields
        .date
        .checked_add_signed(chrono::Duration::days(days.clamp(-366, 366)))
        .ok_or_else(|| StoreError::invalid("date", "is out of range"))?;
    update(db, actor, id, version, SessionFields { date, ..s.fields }, allow_clash).await
}

/// Cancels a session: it stays on the calendar (struck out, `STATUS:CANCELLED` in
/// calendar files) and is no longer held, so it leaves the attendance rate.
pub async fn cancel(db: &Db, actor: &Actor, id: i64, version: i64) -> Result<Session> {
    let mut tx = db.begin().await?;
    let before = get_in(&mut tx, id).await?;
    if before.version != version {
        return Err(audit::conflict(&mut tx, "this session", "session", id).await);
    }
    let cohort = cohort_for_planning(&mut tx, actor, before.fields.cohort_id).await?;
    if before.status == "cancelled" {
        return Err(StoreError::refused(format!(
            "\"{}\" of {} is already cancelled",
            before.fields.title, before.fields.date
        )));
    }
    with_tx!(&mut tx, c => {
        sqlx::query("UPDATE sessions SET status = 'cancelled', version = version + 1, updated_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now())
            .execute(&mut *c)
            .await?;
    });
    let summary = format!("cancelled \"{}\" of {} on {}", before.fields.title, cohort.name, before.fields.date);
    let change = Change::new("cancel", "session", Some(id), summary)
        .diff(&json!({ "status": before.status }), &json!({ "status": "cancelled" }));
    audit::record(&mut tx, actor, change).await?;
    let after = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(after)
}
