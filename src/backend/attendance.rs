//! The calendar and attendance: sessions and events in a range, the cohorts one may
//! open, a cohort's grid, and marks. "Today" is the
//! office's day in `display.time_zone`, read here (the UI sends no date to trust).

use super::{Backend, Reply, Request};
use crate::store::attendance;
use crate::store::{Actor, StoreError};

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
        Request::Calendar { from, to } => {
            let entries = crate::store::calendar::range(db, actor, from, to, b.settings.tz).await?;
            Ok(Reply::Calendar(from, to, entries))
        }
        other => Err(StoreError::Other(format!("{} is not an attendance request", other.kind()))),
    }
}
