//! State machines of cohorts, applications, enrollments, calendar sessions, public
//! events and internal projects (docs/domain.md §3, §4, §5 and §8). Each is a table of allowed targets per state.

use super::MoveRefused;

/// Checks `from -> to` against an allowed-targets table; `Err` names the allowed ones.
pub fn check_transition<T: Copy + PartialEq + std::fmt::Display>(
    what: &'static str,
    from: T,
    to: T,
    allowed: &[T],
) -> Result<(), MoveRefused> {
    if allowed.contains(&to) {
        Ok(())
    } else {
        Err(MoveRefused {
            what,
            from: from.to_string(),
            to: to.to_string(),
            allowed: allowed.iter().map(|s| s.to_string()).collect(),
        })
    }
}

string_enum! {
    CohortStatus {
        Planned => "planned",
        ComingSoon => "coming_soon",
        Open => "open",
        Running => "running",
        Completed => "completed",
        Cancelled => "cancelled",
    }
}

impl CohortStatus {
    pub fn allowed_moves(self) -> &'static [CohortStatus] {
        use CohortStatus::*;
        match self {
            Planned => &[ComingSoon, Open, Cancelled],
            ComingSoon => &[Open, Planned, Cancelled],
            Open => &[Running, ComingSoon, Cancelled],
            Running => &[Completed, Cancelled],
            Completed | Cancelled => &[],
        }
    }

    pub fn check_move(self, to: CohortStatus) -> Result<(), MoveRefused> {
        check_transition("a cohort", self, to, self.allowed_moves())
    }

    /// Moving to coming_soon creates an automatic website announcement (seed 002).
    pub fn announces(self) -> bool {
        self == CohortStatus::ComingSoon
    }
}

string_enum! {
    ApplicationStatus {
        Pending => "pending",
        Approved => "approved",
        Rejected => "rejected",
        Waitlisted => "waitlisted",
    }
}

impl ApplicationStatus {
    pub fn allowed_moves(self) -> &'static [ApplicationStatus] {
        use ApplicationStatus::*;
        match self {
            Pending => &[Approved, Rejected, Waitlisted],
            Waitlisted => &[Approved, Rejected],
            Approved | Rejected => &[],
        }
    }

    pub fn check_move(self, to: ApplicationStatus) -> Result<(), MoveRefused> {
        check_transition("an application", self, to, self.allowed_moves())
    }
}

string_enum! {
    EnrollmentStatus {
        Pending => "pending",
        Active => "active",
        Paused => "paused",
        Completed => "completed",
        Dropped => "dropped",
        Suspended => "suspended",
    }
}

impl EnrollmentStatus {
    pub fn allowed_moves(self) -> &'static [EnrollmentStatus] {
        use EnrollmentStatus::*;
        match self {
            Pending => &[Active, Dropped],
            Active => &[Paused, Completed, Dropped, Suspended],
            Paused => &[Active, Dropped],
            Suspended => &[Active, Dropped],
            Completed | Dropped => &[],
        }
    }

    pub fn check_move(self, to: EnrollmentStatus) -> Result<(), MoveRefused> {
        check_transition("an enrollment", self, to, self.allowed_moves())
    }

    /// Enrollments that hold a seat: active and pending count against capacity.
    pub fn holds_seat(self) -> bool {
        matches!(self, EnrollmentStatus::Active | EnrollmentStatus::Pending)
    }
}

string_enum! {
    SessionStatus {
        Scheduled => "scheduled",
        Ongoing => "ongoing",
        Completed => "completed",
        Cancelled => "cancelled",
    }
}

impl SessionStatus {
    pub fn allowed_moves(self) -> &'static [SessionStatus] {
        use SessionStatus::*;
        match self {
            Scheduled => &[Ongoing, Completed, Cancelled],
            Ongoing => &[Completed, Cancelled],
            // A cancelled class can be put back on the calendar.
            Cancelled => &[Scheduled],
            Completed => &[],
        }
    }

    pub fn check_move(self, to: SessionStatus) -> Result<(), MoveRefused> {
        check_transition("a session", self, to, self.allowed_moves())
    }
}

string_enum! {
    /// A webinar or public event (docs/domain.md §4).
    EventStatus {
        Scheduled => "scheduled",
        Live => "live",
        Completed => "completed",
        Cancelled => "cancelled",
    }
}

impl EventStatus {
    pub fn allowed_moves(self) -> &'static [EventStatus] {
        use EventStatus::*;
        match self {
            Scheduled => &[Live, Completed, Cancelled],
            Live => &[Completed, Cancelled],
            // A cancelled event can be put back on; a held one stays held.
            Cancelled => &[Scheduled],
            Completed => &[],
        }
    }

    pub fn check_move(self, to: EventStatus) -> Result<(), MoveRefused> {
        check_transition("an event", self, to, self.allowed_moves())
    }

    /// Only an event that takes place may be shown on the website.
    pub fn publishable(self) -> bool {
        self != EventStatus::Cancelled
    }
}

string_enum! {
    /// An internal project (docs/domain.md §8, seed 003).
    ProjectStatus {
        Planning => "planning",
        Active => "active",
        OnHold => "on_hold",
        Completed => "completed",
        Cancelled => "cancelled",
    }
}

impl ProjectStatus {
    pub fn allowed_moves(self) -> &'static [ProjectStatus] {
        use ProjectStatus::*;
        match self {
            Planning => &[Active, Cancelled],
            Active => &[OnHold, Completed, Cancelled],
            OnHold => &[Active, Cancelled],
            // A cancelled project can be planned again; a completed one stays done.
            Cancelled => &[Planning],
            Completed => &[],
        }
    }

    pub fn check_move(self, to: ProjectStatus) -> Result<(), MoveRefused> {
        check_transition("a project", self, to, self.allowed_moves())
    }
}

string_enum! {
    /// A program (a course template): written as a draft, published for cohorts and
    /// the website, archived when no longer offered.
    ProgramStatus {
        Draft => "draft",
        Published => "published",
        Archived => "archived",
    }
}

impl ProgramStatus {
    pub fn allowed_moves(self) -> &'static [ProgramStatus] {
        use ProgramStatus::*;
        match self {
            Draft => &[Published, Archived],
            // Taken back to draft for a rework, or retired.
            Published => &[Draft, Archived],
            Archived => &[Draft],
        }
    }

    pub fn check_move(self, to: ProgramStatus) -> Result<(), MoveRefused> {
        check_transition("a program", self, to, self.allowed_moves())
    }
}

string_enum! {
    AttendanceStatus { Present => "present", Absent => "absent", Late => "late", Excused => "excused" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cohort_moves() {
        use CohortStatus::*;
        assert!(Planned.check_move(ComingSoon).is_ok());
        assert!(Running.check_move(Completed).is_ok());
        let err = Completed.check_move(Running).unwrap_err();
        assert!(err.to_string().contains("none (final state)"), "{err}");
        assert!(Planned.check_move(Running).is_err(), "cannot skip enrolment");
        assert!(ComingSoon.announces() && !Open.announces());
    }

    #[test]
    fn event_moves() {
        use EventStatus::*;
        assert!(Scheduled.check_move(Live).is_ok());
        assert!(Live.check_move(Completed).is_ok());
        assert!(Cancelled.check_move(Scheduled).is_ok());
        assert!(Completed.check_move(Live).is_err(), "a held event stays held");
        assert!(Live.check_move(Scheduled).is_err());
        let err = Cancelled.check_move(Live).unwrap_err();
        assert!(err.to_string().contains("scheduled"), "the refusal names the allowed move: {err}");
        assert!(Scheduled.publishable() && !Cancelled.publishable());
    }

    #[test]
    fn project_moves() {
        use ProjectStatus::*;
        assert!(Planning.check_move(Active).is_ok());
        assert!(Active.check_move(OnHold).is_ok() && OnHold.check_move(Active).is_ok());
        assert!(Planning.check_move(Completed).is_err(), "a project is worked on before it is done");
        assert!(Completed.check_move(Active).is_err());
        assert!(Cancelled.check_move(Planning).is_ok());
    }

    #[test]
    fn application_moves() {
        use ApplicationStatus::*;
        assert!(Pending.check_move(Waitlisted).is_ok());
        assert!(Waitlisted.check_move(Approved).is_ok());
        assert!(Approved.check_move(Rejected).is_err());
        assert!(Waitlisted.check_move(Pending).is_err());
    }

    #[test]
    fn enrollment_moves_and_seats() {
        use EnrollmentStatus::*;
        assert!(Pending.check_move(Active).is_ok());
        assert!(Completed.check_move(Active).is_err());
        let seats: Vec<_> = EnrollmentStatus::ALL.iter().filter(|s| s.holds_seat()).collect();
        assert_eq!(seats, vec![&Pending, &Active]);
    }

    #[test]
    fn session_moves() {
        use SessionStatus::*;
        assert!(Cancelled.check_move(Scheduled).is_ok());
        assert!(Completed.check_move(Scheduled).is_err());
        let err = Ongoing.check_move(Scheduled).unwrap_err();
        assert_eq!(err.allowed, vec!["completed", "cancelled"]);
    }
}
