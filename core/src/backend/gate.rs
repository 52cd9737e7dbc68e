//! The one permission gate. Every request passes here before any handler runs:
//! `GATE` says what each kind of request needs, and `Backend::authorize` checks it
//! against the session's user as stored *now* (roles and active state are read
//! again for every request, so a demotion or a deactivation from the CLI, another
//! admin or another process takes effect on the next key press).
//!
//! Each row also names the area whose handler serves the request, so adding a
//! request to an area is its variant, its row here and its handler's arm.
//!
//! The table is data so a test can walk it: every request kind × every role, on both
//! backends. A kind without a row is refused here and fails that test.

use super::Request;
use crate::domain::permissions::Action;

crate::string_enum! {
    /// What a request is, without its data (one per `Request` variant).
    RequestKind {
        Area => "area",
        Login => "login",
        DemoLogin => "demo_login",
        Unlock => "unlock",
        Dashboard => "dashboard",
        Ping => "ping",
        AuditPage => "audit_page",
        VerifyAudit => "verify_audit",
        ExportAudit => "export_audit",
        Board => "board",
        BoardMore => "board_more",
        MoveLead => "move_lead",
        Users => "users",
        AddUser => "add_user",
        EditUser => "edit_user",
        ResetPassword => "reset_password",
        SetUserActive => "set_user_active",
        UnlockUser => "unlock_user",
        LoginHistory => "login_history",
        ChangeOwnPassword => "change_own_password",
        LeadDetail => "lead_detail",
        AddNote => "add_note",
        AssignLead => "assign_lead",
        SetFollowUp => "set_follow_up",
        CreateLead => "create_lead",
        UpdateLead => "update_lead",
        Assignees => "assignees",
        LeadDuplicates => "lead_duplicates",
        Messages => "messages",
        SetMessageStatus => "set_message_status",
        ConvertMessage => "convert_message",
        LinkMessage => "link_message",
        ExportLeads => "export_leads",
        MergeLeads => "merge_leads",
        Posts => "posts",
        PostBody => "post_body",
        SavePost => "save_post",
        MovePost => "move_post",
        PostRevisions => "post_revisions",
        PublishDue => "publish_due",
        RestoreRevision => "restore_revision",
        AttendanceCohorts => "attendance_cohorts",
        AttendanceGrid => "attendance_grid",
        MarkAttendance => "mark_attendance",
        MarkAllPresent => "mark_all_present",
        NoteAttendance => "note_attendance",
        CheckAttendance => "check_attendance",
        StudentAttendance => "student_attendance",
        Calendar => "calendar",
        CalendarChoices => "calendar_choices",
        ModerationQueue => "moderation_queue",
        ModerationPreview => "moderation_preview",
        Decide => "decide",
        SessionToEdit => "session_to_edit",
        SaveSession => "save_session",
        ShiftSession => "shift_session",
        CancelSession => "cancel_session",
        CohortHeader => "cohort_header",
        MoveCohort => "move_cohort",
        ExportCalendar => "export_calendar",
    }
}

/// What a request needs before it may run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Nothing: logging in.
    Nothing,
    /// A logged-in, active user, whatever their roles (their own dashboard).
    Session,
    /// A logged-in, active user whose roles allow this.
    Permission(Action),
    /// `ViewAudit`, and for a viewer also `audit.viewers_read` (what each reader
    /// sees is then decided in the query: `audit_query::Scope`).
    AuditReader,
    /// What the simple area's own row says for the operation (`AreaDecl::gate`).
    AreaRow,
}

use Need::*;
use RequestKind as K;

/// The gate's table: one row per kind of request.
pub const GATE: &[(RequestKind, Need, Handler)] = &[
    (K::Area, AreaRow, Handler::Simple),
    (K::Login, Nothing, Handler::Office),
    (K::DemoLogin, Nothing, Handler::Office),
    (K::Unlock, Session, Handler::Office),
    (K::Dashboard, Session, Handler::Office),
    // The gate's own read of the session's user is the probe.
    (K::Ping, Session, Handler::Office),
    (K::AuditPage, AuditReader, Handler::Office),
    // Verifying reads every row: admins (as `staffroom audit verify` is the
    // operator's). Exporting takes data home: those who may export, their share.
    (K::VerifyAudit, Permission(Action::ManageSettings), Handler::Office),
    (K::ExportAudit, Permission(Action::ExportData), Handler::Office),
    (K::Board, Permission(Action::ViewLeads), Handler::Leads),
    (K::BoardMore, Permission(Action::ViewLeads), Handler::Leads),
    (K::MoveLead, Permission(Action::EditLeads), Handler::Leads),
    // User administration is the admins'; the store checks again inside the
    // transaction that an admin keeps their own admin role and one admin stays.
    (K::Users, Permission(Action::ManageUsers), Handler::Users),
    (K::AddUser, Permission(Action::ManageUsers), Handler::Users),
    (K::EditUser, Permission(Action::ManageUsers), Handler::Users),
    (K::ResetPassword, Permission(Action::ManageUsers), Handler::Users),
    (K::SetUserActive, Permission(Action::ManageUsers), Handler::Users),
    (K::UnlockUser, Permission(Action::ManageUsers), Handler::Users),
    (K::LoginHistory, Permission(Action::ManageUsers), Handler::Users),
    // Anyone logged in replaces their own password (a one-time one must be).
    (K::ChangeOwnPassword, Session, Handler::Users),
    (K::LeadDetail, Permission(Action::ViewLeads), Handler::Leads),
    (K::AddNote, Permission(Action::EditLeads), Handler::Leads),
    (K::AssignLead, Permission(Action::EditLeads), Handler::Leads),
    (K::SetFollowUp, Permission(Action::EditLeads), Handler::Leads),
    (K::CreateLead, Permission(Action::EditLeads), Handler::Leads),
    (K::UpdateLead, Permission(Action::EditLeads), Handler::Leads),
    (K::Assignees, Permission(Action::EditLeads), Handler::Leads),
    (K::LeadDuplicates, Permission(Action::EditLeads), Handler::Leads),
    (K::Messages, Permission(Action::ViewLeads), Handler::Messages),
    (K::SetMessageStatus, Permission(Action::EditLeads), Handler::Messages),
    (K::ConvertMessage, Permission(Action::EditLeads), Handler::Messages),
    (K::LinkMessage, Permission(Action::EditLeads), Handler::Messages),
    // Personal data leaving the building: the matrix gives exporting to admin and
    // staff only (a viewer may read the board, not take it home).
    (K::ExportLeads, Permission(Action::ExportData), Handler::Leads),
    (K::MergeLeads, Permission(Action::EditLeads), Handler::Leads),
    // Posts: everyone who sees content reads them; admins and staff write and move
    // them (approving, rejecting and publishing also need ModerateContent, checked
    // by the store).
    (K::Posts, Permission(Action::ViewContent), Handler::Posts),
    (K::PostBody, Permission(Action::ViewContent), Handler::Posts),
    (K::SavePost, Permission(Action::EditContent), Handler::Posts),
    (K::MovePost, Permission(Action::EditContent), Handler::Posts),
    (K::PostRevisions, Permission(Action::ViewContent), Handler::Posts),
    // Publishing what is due skips review as a direct publish does: the scheduler
    // (the system actor) and those who may publish directly.
    (K::PublishDue, Permission(Action::PublishDirectly), Handler::Posts),
    (K::RestoreRevision, Permission(Action::EditContent), Handler::Posts),
    // Attendance: everyone who sees the calendar reads the grid; instructors and
    // admins mark (the store also checks that an instructor teaches the cohort).
    (K::AttendanceCohorts, Permission(Action::ViewCalendar), Handler::Attendance),
    (K::AttendanceGrid, Permission(Action::ViewCalendar), Handler::Attendance),
    (K::MarkAttendance, Permission(Action::TakeAttendance), Handler::Attendance),
    (K::MarkAllPresent, Permission(Action::TakeAttendance), Handler::Attendance),
    (K::NoteAttendance, Permission(Action::TakeAttendance), Handler::Attendance),
    (K::CheckAttendance, Permission(Action::TakeAttendance), Handler::Attendance),
    (K::StudentAttendance, Permission(Action::ViewCalendar), Handler::Attendance),
    (K::Calendar, Permission(Action::ViewCalendar), Handler::Attendance),
    (K::CalendarChoices, Permission(Action::ViewCalendar), Handler::Attendance),
    // The queue is for those who moderate (admins, staff); each kind's decision
    // also needs its own right in the store (an instructor application: admins).
    (K::ModerationQueue, Permission(Action::ModerateContent), Handler::Moderation),
    (K::ModerationPreview, Permission(Action::ModerateContent), Handler::Moderation),
    (K::Decide, Permission(Action::ModerateContent), Handler::Moderation),
    // Planning: instructors (their own cohorts, checked by the store) and admins.
    (K::SessionToEdit, Permission(Action::ViewCalendar), Handler::Attendance),
    (K::SaveSession, Permission(Action::EditSessions), Handler::Attendance),
    (K::ShiftSession, Permission(Action::EditSessions), Handler::Attendance),
    (K::CancelSession, Permission(Action::EditSessions), Handler::Attendance),
    (K::CohortHeader, Permission(Action::ViewCalendar), Handler::Attendance),
    // A cohort's lifecycle (and its website announcement) is the admins'.
    (K::MoveCohort, Permission(Action::ManageCohorts), Handler::Attendance),
    // Calendar files are for those who teach and plan (instructors: their own
    // cohorts); staff and viewers read the calendar on screen.
    (K::ExportCalendar, Permission(Action::EditSessions), Handler::Attendance),
];

/// The gate's row for a kind; `None` (refused) when the table lacks one.
pub fn need(kind: RequestKind) -> Option<Need> {
    GATE.iter().find(|(k, _, _)| *k == kind).map(|(_, n, _)| *n)
}

/// What this request needs: its kind's row, and for a simple area's operation
/// that area's row (`None`, refused, when there is none).
pub fn need_of(request: &Request) -> Option<Need> {
    match (need(request.kind())?, request) {
        (AreaRow, Request::Area { area, op, .. }) => crate::store::areas::need(area, op).map(Permission),
        (AreaRow, _) => None,
        (n, _) => Some(n),
    }
}

/// Which handler serves a kind (`Backend::handle` routes by it).
pub fn handler(kind: RequestKind) -> Option<Handler> {
    GATE.iter().find(|(k, _, _)| *k == kind).map(|(_, _, a)| *a)
}

/// Which backend module handles a request (one per group of requests; the simple
/// areas of `store/areas/` share one). Not to be confused with a simple area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handler {
    /// The simple areas of `store/areas/`, each its own handler.
    Simple,
    Office,
    Users,
    Leads,
    Messages,
    Posts,
    Moderation,
    Attendance,
}

impl Request {
    /// Does a load also write (the board saving the user's filter)? Such a request
    /// is never interrupted by a newer one.
    pub fn saves(&self) -> bool {
        matches!(self, Request::Board { save: true, .. })
    }

    pub fn kind(&self) -> RequestKind {
        match self {
            Request::Area { .. } => K::Area,
            Request::Login { .. } => K::Login,
            Request::DemoLogin { .. } => K::DemoLogin,
            Request::Unlock { .. } => K::Unlock,
            Request::Dashboard { .. } => K::Dashboard,
            Request::Ping => K::Ping,
            Request::AuditPage { .. } => K::AuditPage,
            Request::VerifyAudit => K::VerifyAudit,
            Request::ExportAudit { .. } => K::ExportAudit,
            Request::Board { .. } => K::Board,
            Request::BoardMore { .. } => K::BoardMore,
            Request::MoveLead { .. } => K::MoveLead,
            Request::Users { .. } => K::Users,
            Request::AddUser { .. } => K::AddUser,
            Request::EditUser { .. } => K::EditUser,
            Request::ResetPassword { .. } => K::ResetPassword,
            Request::SetUserActive { .. } => K::SetUserActive,
            Request::UnlockUser { .. } => K::UnlockUser,
            Request::LoginHistory { .. } => K::LoginHistory,
            Request::ChangeOwnPassword { .. } => K::ChangeOwnPassword,
            Request::LeadDetail { .. } => K::LeadDetail,
            Request::AddNote { .. } => K::AddNote,
            Request::AssignLead { .. } => K::AssignLead,
            Request::SetFollowUp { .. } => K::SetFollowUp,
            Request::CreateLead { .. } => K::CreateLead,
            Request::UpdateLead { .. } => K::UpdateLead,
            Request::Assignees => K::Assignees,
            Request::LeadDuplicates { .. } => K::LeadDuplicates,
            Request::Messages { .. } => K::Messages,
            Request::SetMessageStatus { .. } => K::SetMessageStatus,
            Request::ConvertMessage { .. } => K::ConvertMessage,
            Request::LinkMessage { .. } => K::LinkMessage,
            Request::ExportLeads { .. } => K::ExportLeads,
            Request::MergeLeads { .. } => K::MergeLeads,
            Request::Posts { .. } => K::Posts,
            Request::PostBody { .. } => K::PostBody,
            Request::SavePost { .. } => K::SavePost,
            Request::MovePost { .. } => K::MovePost,
            Request::PostRevisions { .. } => K::PostRevisions,
            Request::PublishDue => K::PublishDue,
            Request::RestoreRevision { .. } => K::RestoreRevision,
            Request::AttendanceCohorts => K::AttendanceCohorts,
            Request::AttendanceGrid { .. } => K::AttendanceGrid,
            Request::MarkAttendance { .. } => K::MarkAttendance,
            Request::MarkAllPresent { .. } => K::MarkAllPresent,
            Request::NoteAttendance { .. } => K::NoteAttendance,
            Request::CheckAttendance { .. } => K::CheckAttendance,
            Request::StudentAttendance { .. } => K::StudentAttendance,
            Request::Calendar { .. } => K::Calendar,
            Request::CalendarChoices => K::CalendarChoices,
            Request::ModerationQueue { .. } => K::ModerationQueue,
            Request::ModerationPreview { .. } => K::ModerationPreview,
            Request::Decide { .. } => K::Decide,
            Request::SessionToEdit { .. } => K::SessionToEdit,
            Request::SaveSession { .. } => K::SaveSession,
            Request::ShiftSession { .. } => K::ShiftSession,
            Request::CancelSession { .. } => K::CancelSession,
            Request::CohortHeader { .. } => K::CohortHeader,
            Request::MoveCohort { .. } => K::MoveCohort,
            Request::ExportCalendar { .. } => K::ExportCalendar,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_exactly_one_row() {
        for &k in RequestKind::ALL {
            assert_eq!(GATE.iter().filter(|(x, _, _)| *x == k).count(), 1, "{k}");
        }
    }
}
