//! The calendar: sessions and events in a range, its filters, planning sessions
//! (with their clashes named back), a cohort's header and status, and a cohort's
//! calendar file.

use super::gate::Need;
use super::{Backend, Reply, Request};
use crate::domain::permissions::Action;
use crate::store::sessions::{self, Outcome};
use crate::store::{Actor, StoreError, cohorts};
use chrono::NaiveDate;

crate::backend::gate::requests! {
    /// The calendar area's requests, each with what it needs at the gate.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum CalendarRequest {
        /// Sessions and events between two days (both included).
        Calendar {
            from: NaiveDate,
            to: NaiveDate,
            filter: crate::store::calendar::CalendarFilter,
        } => Need::Permission(Action::ViewCalendar),
        CalendarChoices => Need::Permission(Action::ViewCalendar),
        // Planning: instructors (their own cohorts, checked by the store) and admins.
        SessionToEdit {
            id: i64,
        } => Need::Permission(Action::ViewCalendar),
        /// A new session or series (`id: None`; `cohort` names it by id or name), or
        /// an edit. Without `allow_clash` a clash writes nothing and is named back.
        SaveSession {
            id: Option<(i64, i64)>,
            cohort: Option<String>,
            fields: Box<crate::store::sessions::SessionFields>,
            repeat: Option<crate::domain::recurrence::Repeat>,
            allow_clash: bool,
        } => Need::Permission(Action::EditSessions),
        ShiftSession {
            id: i64,
            version: i64,
            days: i64,
            allow_clash: bool,
        } => Need::Permission(Action::EditSessions),
        CancelSession {
            id: i64,
            version: i64,
        } => Need::Permission(Action::EditSessions),
        CohortHeader {
            cohort_id: i64,
        } => Need::Permission(Action::ViewCalendar),
        // A cohort's lifecycle (and its website announcement) is the admins'.
        MoveCohort {
            id: i64,
            version: i64,
            to: crate::domain::lifecycle::CohortStatus,
        } => Need::Permission(Action::ManageCohorts),
        // Calendar files are for those who teach and plan (instructors: their own
        // cohorts); staff and viewers read the calendar on screen.
        /// The `.ics` of a cohort's sessions (a year back and ahead) into `dir`.
        ExportCalendar {
            cohort_id: i64,
            dir: std::path::PathBuf,
        } => Need::Permission(Action::EditSessions),
    }
}

/// The calendar area's answers.
#[derive(Debug)]
pub enum CalendarReply {
    /// The calendar's range: (from, to, entries).
    Calendar(NaiveDate, NaiveDate, Vec<crate::store::calendar::Entry>),
    SessionToEdit(Box<crate::store::sessions::Session>),
    CalendarChoices(Vec<(crate::store::calendar::CalendarFilter, String)>),
    /// A session write landed: what was done.
    SessionSaved(String),
    /// Nothing was written: these clashes; `retry` saves anyway.
    SessionClashes(Vec<String>, Box<Request>),
    CohortHeader(Box<crate::store::cohorts::CohortHeader>),
}

pub(super) async fn handle(b: &Backend, actor: &Actor, request: CalendarRequest) -> Result<Reply, StoreError> {
    let db = &b.db;
    match request {
        CalendarRequest::Calendar { from, to, filter } => {
            let entries = crate::store::calendar::range(db, actor, from, to, b.settings.tz, filter).await?;
            Ok(CalendarReply::Calendar(from, to, entries).into())
        }
        CalendarRequest::CalendarChoices => {
            Ok(CalendarReply::CalendarChoices(crate::store::calendar::filter_choices(db, actor).await?).into())
        }
        CalendarRequest::SessionToEdit { id } => {
            Ok(CalendarReply::SessionToEdit(Box::new(sessions::get(db, id).await?)).into())
        }
        CalendarRequest::SaveSession { id, cohort, fields, repeat, allow_clash } => {
            let mut f = *fields.clone();
            if let Some(named) = &cohort {
                f.cohort_id = crate::store::attendance::find_cohort(db, named).await.map_err(|e| match e {
                    StoreError::NotFound { .. } | StoreError::Refused { .. } => {
                        StoreError::invalid("cohort", e.to_string())
                    }
                    other => other,
                })?;
            }
            let outcome = match id {
                Some((id, version)) => sessions::update(db, actor, id, version, f, allow_clash).await?,
                None => sessions::create(db, actor, f, repeat.clone(), b.settings.tz, allow_clash).await?,
            };
            let retry = CalendarRequest::SaveSession { id, cohort, fields, repeat, allow_clash: true };
            Ok(reply_of(outcome, Request::Calendar(retry)))
        }
        CalendarRequest::ShiftSession { id, version, days, allow_clash } => {
            let outcome = sessions::shift(db, actor, id, version, days, allow_clash).await?;
            Ok(reply_of(
                outcome,
                Request::Calendar(CalendarRequest::ShiftSession { id, version, days, allow_clash: true }),
            ))
        }
        CalendarRequest::CancelSession { id, version } => {
            let s = sessions::cancel(db, actor, id, version).await?;
            Ok(CalendarReply::SessionSaved(format!("\"{}\" of {} is cancelled", s.fields.title, s.fields.date)).into())
        }
        CalendarRequest::CohortHeader { cohort_id } => {
            Ok(CalendarReply::CohortHeader(Box::new(cohorts::header(db, cohort_id).await?)).into())
        }
        CalendarRequest::MoveCohort { id, version, to } => {
            Ok(CalendarReply::CohortHeader(Box::new(cohorts::move_status(db, actor, id, version, to).await?)).into())
        }
        CalendarRequest::ExportCalendar { cohort_id, dir } => {
            {
                let mut tx = db.begin().await?;
                cohorts::require_teaches(&mut tx, actor, cohort_id, "export its calendar").await?;
            }
            let today = crate::store::now().with_timezone(&b.settings.tz).date_naive();
            let year = chrono::Duration::days(365);
            let (ics, n) =
                crate::store::calendar_ics::cohort_calendar(db, cohort_id, today - year, today + year, b.settings.tz)
                    .await?;
            let name = format!("staffroom-cohort-{cohort_id}-{}.ics", today.format("%Y%m%d"));
            let path = std::path::absolute(dir.join(&name)).unwrap_or_else(|_| dir.join(name));
            crate::store::calendar_ics::write_whole(&path, ics.as_bytes())?;
            Ok(Reply::Exported(n as u64, path))
        }
    }
}

fn reply_of(outcome: Outcome, retry: Request) -> Reply {
    match outcome {
        Outcome::Saved(_, said) => CalendarReply::SessionSaved(said).into(),
        Outcome::Clashes(found) => CalendarReply::SessionClashes(found, Box::new(retry)).into(),
    }
}
