//! Attendance (docs/domain.md §3, seeds 002 and 003): the marks an instructor gives
//! each student for a class meeting, and when a meeting may be marked at all.

use chrono::NaiveDate;

string_enum! {
    /// A student's attendance at one session.
    AttendanceStatus { Present => "present", Absent => "absent", Late => "late", Excused => "excused" }
}

string_enum! {
    /// Where a session is (seed 002's session status).
    SessionStatus { Scheduled => "scheduled", Ongoing => "ongoing", Completed => "completed", Cancelled => "cancelled" }
}

impl AttendanceStatus {
    /// The one letter the grid shows (and the key that marks it).
    pub fn letter(self) -> char {
        match self {
            AttendanceStatus::Present => 'P',
            AttendanceStatus::Absent => 'A',
            AttendanceStatus::Late => 'L',
            AttendanceStatus::Excused => 'E',
        }
    }
}

/// The longest note an instructor may keep on one mark, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

/// Whether a session can be marked on `today`: not cancelled, and not in the future
/// (roll is taken for a class that has met or is meeting). `Err` says why, with the
/// session's date.
pub fn check_markable(status: SessionStatus, date: NaiveDate, today: NaiveDate) -> Result<(), String> {
    if status == SessionStatus::Cancelled {
        return Err(format!("the session of {date} was cancelled; there is no roll to take"));
    }
    if date > today {
        return Err(format!("the session of {date} is in the future; roll is taken on the day (today is {today})"));
    }
    Ok(())
}

/// Enrolments whose students appear on the grid and may be marked (docs/domain.md: the
/// cohort's enrolments that are active or paused).
pub const MARKABLE_ENROLLMENTS: &[&str] = &["active", "paused"];

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn cancelled_and_future_sessions_cannot_be_marked() {
        let today = day("2026-12-01");
        assert_eq!(check_markable(SessionStatus::Scheduled, today, today), Ok(()));
        assert_eq!(check_markable(SessionStatus::Completed, day("2026-11-03"), today), Ok(()));
        let e = check_markable(SessionStatus::Cancelled, day("2026-11-03"), today).unwrap_err();
        assert!(e.contains("2026-11-03 was cancelled"), "{e}");
        let e = check_markable(SessionStatus::Scheduled, day("2026-12-02"), today).unwrap_err();
        assert!(e.contains("in the future") && e.contains("today is 2026-12-01"), "{e}");
    }

    #[test]
    fn letters_are_the_marking_keys() {
        let letters: String = AttendanceStatus::ALL.iter().map(|s| s.letter()).collect();
        assert_eq!(letters, "PALE");
    }
}
