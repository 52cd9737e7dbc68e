//! Attendance: the cohorts one may open, a cohort's grid, marks, notes, check-in
//! and a student's history. "Today" is the office's day in `display.time_zone`,
//! read here (the UI sends no date to trust).

use super::gate::Need;
use super::{Backend, Reply};
use crate::domain::attendance::AttendanceStatus;
use crate::domain::permissions::Action;
use crate::store::{Actor, StoreError, attendance};

crate::backend::gate::requests! {
    /// The attendance area's requests, each with what it needs at the gate.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum AttendanceRequest {
        // Attendance: everyone who sees the calendar reads the grid; instructors and
        // admins mark (the store also checks that an instructor teaches the cohort).
        /// The cohorts whose attendance grid the user may open.
        AttendanceCohorts => Need::Permission(Action::ViewCalendar),
        /// A cohort's attendance grid as of the office's today.
        AttendanceGrid {
            of: crate::store::attendance::GridOf,
        } => Need::Permission(Action::ViewCalendar),
        /// Mark one student at one session.
        MarkAttendance {
            session_id: i64,
            enrollment_id: i64,
            status: AttendanceStatus,
        } => Need::Permission(Action::TakeAttendance),
        /// Mark every unmarked student of a session present.
        MarkAllPresent {
            session_id: i64,
        } => Need::Permission(Action::TakeAttendance),
        NoteAttendance {
            session_id: i64,
            enrollment_id: i64,
            note: Option<String>,
        } => Need::Permission(Action::TakeAttendance),
        /// Check in now, or out when checked in already.
        CheckAttendance {
            session_id: i64,
            enrollment_id: i64,
        } => Need::Permission(Action::TakeAttendance),
        StudentAttendance {
            enrollment_id: i64,
        } => Need::Permission(Action::ViewCalendar),
    }
}

/// The attendance area's answers.
#[derive(Debug)]
pub enum AttendanceReply {
    AttendanceCohorts(Vec<crate::store::attendance::CohortChoice>),
    AttendanceGrid(Box<crate::store::attendance::Grid>),
    /// One mark saved, as stored.
    Marked(crate::store::attendance::Mark),
    /// Unmarked students marked present: how many.
    MarkedAll(i64),
    StudentHistory(Box<crate::store::attendance::StudentHistory>),
}

pub(super) async fn handle(b: &Backend, actor: &Actor, request: AttendanceRequest) -> Result<Reply, StoreError> {
    let db = &b.db;
    let today = crate::store::now().with_timezone(&b.settings.tz).date_naive();
    match request {
        AttendanceRequest::AttendanceCohorts => {
            Ok(AttendanceReply::AttendanceCohorts(attendance::cohorts_for(db, actor).await?).into())
        }
        AttendanceRequest::AttendanceGrid { of } => {
            let cohort_id = attendance::cohort_of(db, of).await?;
            Ok(AttendanceReply::AttendanceGrid(Box::new(attendance::grid(db, cohort_id, today).await?)).into())
        }
        AttendanceRequest::MarkAttendance { session_id, enrollment_id, status } => {
            Ok(AttendanceReply::Marked(attendance::mark(db, actor, session_id, enrollment_id, status, today).await?)
                .into())
        }
        AttendanceRequest::MarkAllPresent { session_id } => {
            Ok(AttendanceReply::MarkedAll(attendance::mark_unmarked_present(db, actor, session_id, today).await?)
                .into())
        }
        AttendanceRequest::NoteAttendance { session_id, enrollment_id, note } => {
            Ok(AttendanceReply::Marked(attendance::set_note(db, actor, session_id, enrollment_id, note, today).await?)
                .into())
        }
        AttendanceRequest::CheckAttendance { session_id, enrollment_id } => {
            Ok(AttendanceReply::Marked(attendance::check_in_or_out(db, actor, session_id, enrollment_id, today).await?)
                .into())
        }
        AttendanceRequest::StudentAttendance { enrollment_id } => {
            Ok(AttendanceReply::StudentHistory(Box::new(attendance::student_history(db, enrollment_id, today).await?))
                .into())
        }
    }
}
