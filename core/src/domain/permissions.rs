//! Who may do what: the permission matrix (role × action) as data.
//!
//! A user may hold several roles at once (seed 002); they may do what any of their
//! roles may. A user with no admin, staff or instructor flag is a read-only viewer.
//! The backend checks these before every write; the UI uses the same table to hide or
//! explain keys, so the two cannot disagree.

string_enum! {
    Role { Admin => "admin", Staff => "staff", Instructor => "instructor", Viewer => "viewer" }
}

string_enum! {
    /// Everything a TUI user can ask for that a role may or may not allow.
    Action {
        ViewLeads => "view_leads",
        EditLeads => "edit_leads",
        ReopenLead => "reopen_lead",
        ViewCalendar => "view_calendar",
        EditSessions => "edit_sessions",
        TakeAttendance => "take_attendance",
        Grade => "grade",
        ManageCohorts => "manage_cohorts",
        ViewContent => "view_content",
        EditContent => "edit_content",
        ModerateContent => "moderate_content",
        PublishDirectly => "publish_directly",
        ManageEvents => "manage_events",
        ReviewApplications => "review_applications",
        ViewPayments => "view_payments",
        RefundPayments => "refund_payments",
        ViewAudit => "view_audit",
        ManageUsers => "manage_users",
        ManageSettings => "manage_settings",
        ImportData => "import_data",
        ExportData => "export_data",
    }
}

use Action::*;
use Role::*;

/// The matrix. One row per action: the roles that may perform it.
pub const MATRIX: &[(Action, &[Role])] = &[
    (ViewLeads, &[Admin, Staff, Viewer]),
    (EditLeads, &[Admin, Staff]),
    (ReopenLead, &[Admin]),
    (ViewCalendar, &[Admin, Staff, Instructor, Viewer]),
    (EditSessions, &[Admin, Instructor]),
    (TakeAttendance, &[Admin, Instructor]),
    (Grade, &[Admin, Instructor]),
    (ManageCohorts, &[Admin]),
    (ViewContent, &[Admin, Staff, Instructor, Viewer]),
    (EditContent, &[Admin, Staff]),
    (ModerateContent, &[Admin, Staff]),
    (PublishDirectly, &[Admin, Staff]),
    (ManageEvents, &[Admin, Staff]),
    (ReviewApplications, &[Admin, Staff]),
    (ViewPayments, &[Admin, Viewer]),
    (RefundPayments, &[Admin]),
    // Each reader sees only their share (`store::audit_query::Scope`); a viewer
    // only when `audit.viewers_read` grants it.
    (ViewAudit, &[Admin, Staff, Instructor, Viewer]),
    (ManageUsers, &[Admin]),
    (ManageSettings, &[Admin]),
    (ImportData, &[Admin, Staff]),
    (ExportData, &[Admin, Staff]),
];

/// A user's role flags as stored in `users`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Roles {
    pub admin: bool,
    pub staff: bool,
    pub instructor: bool,
    pub student: bool,
}

impl Roles {
    pub const ADMIN: Roles = Roles { admin: true, staff: false, instructor: false, student: false };
    pub const STAFF: Roles = Roles { admin: false, staff: true, instructor: false, student: false };
    pub const INSTRUCTOR: Roles = Roles { admin: false, staff: false, instructor: true, student: false };
    pub const VIEWER: Roles = Roles { admin: false, staff: false, instructor: false, student: false };

    /// The roles this user acts in. No write role means viewer.
    pub fn roles(self) -> Vec<Role> {
        let mut out = Vec::new();
        if self.admin {
            out.push(Admin);
        }
        if self.staff {
            out.push(Staff);
        }
        if self.instructor {
            out.push(Instructor);
        }
        if out.is_empty() {
            out.push(Viewer);
        }
        out
    }

    /// Students are data subjects, not TUI users (docs/domain.md §1).
    pub fn is_student_only(self) -> bool {
        self.student && !self.admin && !self.staff && !self.instructor
    }

    pub fn can(self, action: Action) -> bool {
        let allowed = MATRIX.iter().find(|(a, _)| *a == action).map(|(_, r)| *r).unwrap_or(&[]);
        self.roles().iter().any(|r| allowed.contains(r))
    }

    /// The roles from a comma-separated list such as `admin,staff` (CLI `--roles`).
    pub fn parse_list(list: &str) -> Result<Roles, super::UnknownValue> {
        let mut roles = Roles::VIEWER;
        for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match name.parse::<Role>()? {
                Admin => roles.admin = true,
                Staff => roles.staff = true,
                Instructor => roles.instructor = true,
                Viewer => {}
            }
        }
        Ok(roles)
    }

    /// Every flag of the account as people read it — `staff,instructor`,
    /// `student`, `viewer` only when there is none — so the CLI and the users
    /// screen name an account alike.
    pub fn describe(self) -> String {
        let flags =
            [(self.admin, "admin"), (self.staff, "staff"), (self.instructor, "instructor"), (self.student, "student")];
        let names: Vec<&str> = flags.iter().filter(|(on, _)| *on).map(|(_, name)| *name).collect();
        if names.is_empty() { "viewer".to_string() } else { names.join(",") }
    }

    /// `admin,staff` — the inverse of `parse_list`.
    pub fn label(self) -> String {
        self.roles().iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_row() {
        for &a in Action::ALL {
            assert_eq!(MATRIX.iter().filter(|(x, _)| *x == a).count(), 1, "{a}");
        }
    }

    #[test]
    fn viewer_never_writes() {
        let writes = [
            EditLeads,
            ReopenLead,
            EditSessions,
            TakeAttendance,
            Grade,
            ManageCohorts,
            EditContent,
            ModerateContent,
            PublishDirectly,
            ManageEvents,
            ReviewApplications,
            RefundPayments,
            ManageUsers,
            ManageSettings,
            ImportData,
        ];
        for a in writes {
            assert!(!Roles::VIEWER.can(a), "viewer may {a}");
        }
        assert!(Roles::VIEWER.can(ViewLeads) && Roles::VIEWER.can(ViewAudit));
    }

    #[test]
    fn roles_combine() {
        assert!(!Roles::INSTRUCTOR.can(ViewLeads), "instructors do not see leads");
        assert!(Roles::INSTRUCTOR.can(TakeAttendance));
        assert!(!Roles::STAFF.can(TakeAttendance));
        let both = Roles { staff: true, instructor: true, ..Roles::VIEWER };
        assert!(both.can(TakeAttendance) && both.can(EditLeads));
        assert!(Roles::ADMIN.can(ReopenLead) && !Roles::STAFF.can(ReopenLead));
        for &a in Action::ALL {
            assert!(Roles::ADMIN.can(a), "admin may do everything: {a}");
        }
    }

    #[test]
    fn parse_roles() {
        assert_eq!(Roles::parse_list("admin, staff").unwrap().label(), "admin,staff");
        assert_eq!(Roles::parse_list("").unwrap(), Roles::VIEWER);
        let err = Roles::parse_list("boss").unwrap_err();
        assert!(err.to_string().contains("expected one of: admin, staff, instructor, viewer"));
        assert!(Roles { student: true, ..Roles::VIEWER }.is_student_only());
    }
}
