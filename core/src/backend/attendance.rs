//! The calendar and attendance: sessions and events in a range, planning sessions,
//! a cohort's header and status, the cohorts one may open, a cohort's grid, and marks. "Today" is the
//! office's day in `display.time_zone`, read here (the UI sends no date to trust).

use super::{Backend, Reply, Request};
use crate::store::sessions::{self, Outcome};
use crate::store::{Actor, StoreError};
use crate::store::{attendance, cohorts};

pub(super) async fn handle(b: &Backend, actor: &Actor, request: Request) -> Result<Reply, StoreError> {
    let db = &b.db;
    let today = crate::store::now().with_timezone(&b.settings.tz).date_naive();
    match request {
        Request::AttendanceCohorts => Ok(Reply::AttendanceCohorts(attendance::cohorts_for(db, actor).await?)),
        Request::AttendanceGrid { of } => {
            let cohort_id = attendance::cohort_of(db, of).await?;
            Ok(Reply::AttendanceGrid(Box::new(attendance::grid(db, cohort_id, today).await?)))
        }
        Request::MarkAttendance { session_id, enrollment_id, status } => {
            Ok(Reply::Marked(attendance::mark(db, actor, session_id, enrollment_id, status, today).await?))
        }
        Request::MarkAllPresent { session_id } => {
            Ok(Reply::MarkedAll(attendance::mark_unmarked_present(db, actor, session_id, today).await?))
        }
        Request::NoteAttendance { session_id, enrollment_id, note } => {
            Ok(Reply::Marked(attendance::set_note(db, actor, session_id, enrollment_id, note, today).await?))
        }
        Request::CheckAttendance { session_id, enrollment_id } => {
            Ok(Reply::Marked(attendance::check_in_or_out(db, actor, session_id, enrollment_id, today).await?))
        }
        Request::StudentAttendance { enrollment_id } => {
            Ok(Reply::StudentHistory(Box::new(attendance::student_history(db, enrollment_id, today).await?)))
        }
        Request::Calendar { from, to, filter } => {
            let entries = crate::store::calendar::range(db, actor, from, to, b.settings.tz, filter).await?;
            Ok(Reply::Calendar(from, to, entries))
        }
        Request::CalendarChoices => {
            Ok(Reply::CalendarChoices(crate::store::calendar::filter_choices(db, actor).await?))
        }
        Request::SessionToEdit { id } => Ok(Reply::SessionToEdit(Box::new(sessions::get(db, id).await?))),
        Request::SaveSession { id, cohort, fields, repeat, allow_clash } => {
            let mut f = *fields.clone();
            if let Some(named) = &cohort {
                f.cohort_id = attendance::find_cohort(db, named).await.map_err(|e| match e {
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
            let retry = Request::SaveSession { id, cohort, fields, repeat, allow_clash: true };
            Ok(reply_of(outcome, retry))
        }
        Request::ShiftSession { id, version, days, allow_clash } => {
            let outcome = sessions::shift(db, actor, id, version, days, allow_clash).await?;
            Ok(reply_of(outcome, Request::ShiftSession { id, version, days, allow_clash: true }))
        }
        Request::CancelSession { id, version } => {
            let s = sessions::cancel(db, actor, id, version).await?;
            Ok(Reply::SessionSaved(format!("\"{}\" of {} is cancelled", s.fields.title, s.fields.date)))
        }
        Request::CohortHeader { cohort_id } => Ok(Reply::CohortHeader(Box::new(cohorts::header(db, cohort_id).await?))),
        Request::MoveCohort { id, version, to } => {
            Ok(Reply::CohortHeader(Box::new(cohorts::move_status(db, actor, id, version, to).await?)))
        }
        Request::ExportCalendar { cohort_id, dir } => {
            {
                let mut tx = db.begin().await?;
                cohorts::require_teaches(&mut tx, actor, cohort_id, "export its calendar").await?;
            }
            let year = chrono::Duration::days(365);
            let (ics, n) =
                crate::store::calendar_ics::cohort_calendar(db, cohort_id, today - year, today + year, b.settings.tz)
                    .await?;
            let name = format!("staffroom-cohort-{cohort_id}-{}.ics", today.format("%Y%m%d"));
            let path = std::path::absolute(dir.join(&name)).unwrap_or_else(|_| dir.join(name));
            crate::store::calendar_ics::write_whole(&path, ics.as_bytes())?;
            Ok(Reply::Exported(n as u64, path))
        }
        other => Err(StoreError::Other(format!("{} is not an attendance request", other.kind()))),
    }
}

fn reply_of(outcome: Outcome, retry: Request) -> Reply {
    match outcome {
        Outcome::Saved(_, said) => Reply::SessionSaved(said),
        Outcome::Clashes(found) => Reply::SessionClashes(found, Box::new(retry)),
    }
}
