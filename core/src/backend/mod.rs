//! The backend worker: owns the database AND the session. Login creates the session
//! here; the backend builds the `Actor` of every request itself (the UI sends no
//! identity), passes each request through the one permission gate (`gate.rs`), and
//! hands it to the handler of its area. Other sessions' writes become change notices.
//! The UI never touches the database; it only sends commands.

mod areas;
mod attendance;
pub mod changes;
pub mod gate;
mod leads;
mod messages;
mod moderation;
mod office;
mod posts;
pub mod progress;
/// The record screens' page shapes (kept in the store, which simple areas fill).
pub use crate::store::records;
pub mod scheduler;
mod session;
mod settings;
pub use settings::Settings;
mod users;
mod worker;

pub use session::{Backend, Who};
pub use worker::spawn;

use crate::domain::attendance::AttendanceStatus;
use crate::domain::lead::{LeadStatus, MoveInput, NoteType};
use crate::domain::message::MessageStatus;
use crate::store::StoreError;
use crate::store::audit::AuditRow;
use crate::store::board::{BoardKey, Card, Column};
use crate::store::contact_messages::{ContactMessage, MessageKey};
use crate::store::dashboard::Section;
use crate::store::lead_filter::LeadFilter;
use crate::store::leads::{Detail, Lead, LeadFields};
use crate::store::page::Page;
use crate::store::users::{LoggedIn, LoginRefused};
use chrono::NaiveDate;

/// A password on its way: never printed by `{:?}` (requests and replies are
/// logged and shown in test failures).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// A request id: replies carry it back so stale ones can be dropped (latest wins).
pub type ReqId = u64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// An operation of a simple area (`store/areas/`): its gate row and handler
    /// are the area's own.
    Area {
        area: &'static str,
        op: &'static str,
        args: Box<crate::store::areas::Args>,
    },
    Login {
        email: String,
        password: String,
        terminal: String,
    },
    /// `staffroom demo --as ROLE`: log a demo account in without its password.
    /// Honoured only by a backend started by the demo command (`Settings::demo`).
    DemoLogin {
        email: String,
        terminal: String,
    },
    /// The idle lock: the session's own user types their password again.
    Unlock {
        password: String,
        terminal: String,
    },
    Dashboard {
        today: NaiveDate,
    },
    /// Is the database there? Sent while it is unavailable, to notice its return.
    Ping,
    /// Recompute the whole chain (off the render path), with its head.
    VerifyAudit,
    /// The audit rows the user may read that match `filter`, as CSV into `dir`.
    ExportAudit {
        filter: Box<crate::store::audit_query::AuditFilter>,
        dir: std::path::PathBuf,
    },
    /// The audit rows the user may read that match `filter`, from `from`.
    AuditPage {
        filter: Box<crate::store::audit_query::AuditFilter>,
        from: crate::store::audit_query::From,
        limit: i64,
    },
    /// The board. `filter: None` loads the user's saved filter; `save` keeps the
    /// given one as the user's filter for next time.
    Board {
        per_column: i64,
        filter: Option<LeadFilter>,
        save: bool,
    },
    BoardMore {
        status: LeadStatus,
        after: BoardKey,
        limit: i64,
        filter: LeadFilter,
    },
    MoveLead {
        id: i64,
        version: i64,
        to: LeadStatus,
        input: MoveInput,
    },
    /// The users screen (admins): accounts in a state (`user_list::STATES`),
    /// searched by name, email or phone.
    Users {
        state: Option<&'static str>,
        search: Option<String>,
        after: Option<records::Cursor>,
        limit: i64,
    },
    /// Adds a user with this password, or (`None`) a one-time one shown once.
    AddUser {
        fields: Box<crate::store::users::UserFields>,
        password: Option<Secret>,
    },
    EditUser {
        id: i64,
        version: i64,
        fields: Box<crate::store::users::UserFields>,
    },
    /// A new password typed by the admin, or (`None`) a one-time one shown once;
    /// either clears a lockout.
    ResetPassword {
        id: i64,
        version: i64,
        password: Option<Secret>,
    },
    SetUserActive {
        id: i64,
        version: i64,
        active: bool,
    },
    UnlockUser {
        id: i64,
        version: i64,
    },
    /// A user's latest login attempts.
    LoginHistory {
        id: i64,
    },
    /// The session's own user replaces their (one-time) password.
    ChangeOwnPassword {
        password: Secret,
    },
    LeadDetail {
        id: i64,
    },
    AddNote {
        lead_id: i64,
        note_type: NoteType,
        text: String,
    },
    AssignLead {
        id: i64,
        version: i64,
        user_id: Option<i64>,
    },
    SetFollowUp {
        id: i64,
        version: i64,
        at: Option<chrono::DateTime<chrono::Utc>>,
    },
    /// A new lead from the form; what to do when it matches an open lead.
    CreateLead {
        fields: Box<LeadFields>,
        on_duplicate: OnDuplicate,
    },
    UpdateLead {
        id: i64,
        version: i64,
        fields: Box<LeadFields>,
    },
    /// Staff and admins a lead can be assigned to.
    Assignees,
    /// Open leads sharing this lead's email or phone (merge candidates).
    LeadDuplicates {
        id: i64,
    },
    /// A page of contact messages (counts come with the first page).
    Messages {
        status: Option<MessageStatus>,
        after: Option<MessageKey>,
        limit: i64,
    },
    SetMessageStatus {
        id: i64,
        version: i64,
        to: MessageStatus,
    },
    /// Convert a message into a lead; without `force`, open duplicates are answered
    /// and nothing is written.
    ConvertMessage {
        id: i64,
        version: i64,
        force: bool,
    },
    /// "This message is that lead."
    LinkMessage {
        id: i64,
        version: i64,
        lead_id: i64,
    },
    /// Write the leads of this filter to a CSV file in `dir`.
    ExportLeads {
        filter: LeadFilter,
        dir: std::path::PathBuf,
    },
    /// Merge two leads (id, version each); the older is kept.
    MergeLeads {
        a: (i64, i64),
        b: (i64, i64),
    },
    Posts {
        status: Option<&'static str>,
        search: Option<String>,
        after: Option<records::Cursor>,
        limit: i64,
    },
    PostBody {
        id: i64,
    },
    /// The editor's save: a new post (`id: None`) or an edit at its version.
    SavePost {
        id: Option<(i64, i64)>,
        draft: Box<crate::store::posts::PostDraft>,
    },
    MovePost {
        id: i64,
        version: i64,
        to: crate::domain::post::PostStatus,
        reason: Option<String>,
    },
    /// The bodies a published post kept, with the post as it is now.
    PostRevisions {
        id: i64,
    },
    /// Publish every approved post whose publish time has come: the scheduler's
    /// job (`Backend::handle_as_system`), also `staffroom publish-due`.
    PublishDue,
    /// Put a kept body back (itself a save: the replaced body is kept in turn).
    RestoreRevision {
        id: i64,
        version: i64,
        revision: i64,
    },
    /// The cohorts whose attendance grid the user may open.
    AttendanceCohorts,
    /// A cohort's attendance grid as of the office's today.
    AttendanceGrid {
        of: crate::store::attendance::GridOf,
    },
    /// Mark one student at one session.
    MarkAttendance {
        session_id: i64,
        enrollment_id: i64,
        status: AttendanceStatus,
    },
    /// Mark every unmarked student of a session present.
    MarkAllPresent {
        session_id: i64,
    },
    NoteAttendance {
        session_id: i64,
        enrollment_id: i64,
        note: Option<String>,
    },
    /// Check in now, or out when checked in already.
    CheckAttendance {
        session_id: i64,
        enrollment_id: i64,
    },
    StudentAttendance {
        enrollment_id: i64,
    },
    /// Sessions and events between two days (both included).
    Calendar {
        from: NaiveDate,
        to: NaiveDate,
        filter: crate::store::calendar::CalendarFilter,
    },
    CalendarChoices,
    ModerationQueue {
        kind: Option<crate::store::moderation::QueueKind>,
        after: Option<crate::store::moderation::QueueKey>,
        limit: i64,
    },
    ModerationPreview {
        kind: crate::store::moderation::QueueKind,
        id: i64,
    },
    /// One decision on these items (kind, id, version).
    Decide {
        items: Vec<(crate::store::moderation::QueueKind, i64, i64)>,
        decision: crate::store::moderation::Decision,
    },
    SessionToEdit {
        id: i64,
    },
    /// A new session or series (`id: None`; `cohort` names it by id or name), or
    /// an edit. Without `allow_clash` a clash writes nothing and is named back.
    SaveSession {
        id: Option<(i64, i64)>,
        cohort: Option<String>,
        fields: Box<crate::store::sessions::SessionFields>,
        repeat: Option<crate::domain::recurrence::Repeat>,
        allow_clash: bool,
    },
    ShiftSession {
        id: i64,
        version: i64,
        days: i64,
        allow_clash: bool,
    },
    CancelSession {
        id: i64,
        version: i64,
    },
    CohortHeader {
        cohort_id: i64,
    },
    /// The `.ics` of a cohort's sessions (a year back and ahead) into `dir`.
    ExportCalendar {
        cohort_id: i64,
        dir: std::path::PathBuf,
    },
    MoveCohort {
        id: i64,
        version: i64,
        to: crate::domain::lifecycle::CohortStatus,
    },
}

/// Creating a lead that matches an open one (same normalised email or phone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDuplicate {
    /// Create nothing; answer with the matches so the user can choose.
    Warn,
    Create,
    /// Create, then merge into this (id, version).
    MergeInto(i64, i64),
}

#[derive(Debug)]
pub enum Reply {
    Login(Result<LoggedIn, LoginRefused>),
    Dashboard(Vec<Section>),
    AuditVerified(crate::store::audit::Verdict),
    /// A page of audit rows and the names of their actors.
    AuditPage {
        page: Page<AuditRow, i64>,
        names: Vec<(i64, String)>,
    },
    /// The columns, the filter they were loaded with, and why a saved filter was
    /// dropped (unreadable or out of range) if it was.
    Board(Vec<Column>, LeadFilter, Option<String>),
    BoardMore(LeadStatus, Page<Card, BoardKey>),
    LeadMoved(Box<Lead>),
    LeadDetail(Box<Detail>),
    /// A note, assignment or follow-up was saved.
    LeadChanged,
    /// A password made for someone, to be shown once: (whose, the password).
    OneTimePassword(String, Secret),
    /// Whose, and their latest login attempts, newest first.
    LoginHistory(String, Vec<crate::store::users::LoginAttempt>),
    /// The session's own password was changed.
    PasswordChanged,
    /// The database answered a `Ping`.
    Pong,
    /// How far a long request has come (sent while it runs, before its answer).
    Progress {
        done: u64,
        total: u64,
    },
    /// A lead was created, edited or merged: the stored lead.
    LeadSaved(Box<Lead>),
    /// Open leads that look like the same person.
    Duplicates(Vec<Lead>),
    Assignees(Vec<(i64, String)>),
    Messages {
        counts: Option<Vec<(MessageStatus, i64)>>,
        page: Page<ContactMessage, MessageKey>,
        /// A next page (appended) rather than the first.
        more: bool,
    },
    /// A message's status or link was saved.
    MessageSaved,
    /// Leads written to a file: (rows, path).
    Exported(u64, std::path::PathBuf),
    /// The lead a message became.
    MessageConverted(Box<Lead>),
    /// A page of a simple area's records (help requests, packages).
    Records(Box<records::RecordPage>),
    /// A record was saved: what to tell the user.
    RecordSaved(String),
    /// The titles of the posts just published by `PublishDue`.
    PublishedDue(Vec<String>),
    AttendanceCohorts(Vec<crate::store::attendance::CohortChoice>),
    AttendanceGrid(Box<crate::store::attendance::Grid>),
    /// One mark saved, as stored.
    Marked(crate::store::attendance::Mark),
    /// Unmarked students marked present: how many.
    MarkedAll(i64),
    StudentHistory(Box<crate::store::attendance::StudentHistory>),
    /// The calendar's range: (from, to, entries).
    Calendar(NaiveDate, NaiveDate, Vec<crate::store::calendar::Entry>),
    SessionToEdit(Box<crate::store::sessions::Session>),
    CalendarChoices(Vec<(crate::store::calendar::CalendarFilter, String)>),
    ModerationQueue {
        counts: Option<Vec<(crate::store::moderation::QueueKind, i64)>>,
        items: Vec<crate::store::moderation::QueueItem>,
        next: Option<crate::store::moderation::QueueKey>,
        more: bool,
    },
    ModerationPreview(Box<crate::store::moderation::Preview>),
    PostBody(Box<crate::store::posts::PostBody>),
    PostSaved(Box<crate::store::posts::PostBody>),
    PostRevisions {
        current: Box<crate::store::posts::PostBody>,
        revisions: Vec<crate::store::posts::Revision>,
    },
    /// What was decided, and what was refused (with why).
    Decided {
        done: Vec<String>,
        refused: Vec<String>,
    },
    /// A session write landed: what was done.
    SessionSaved(String),
    /// Nothing was written: these clashes; `retry` saves anyway.
    SessionClashes(Vec<String>, Box<Request>),
    CohortHeader(Box<crate::store::cohorts::CohortHeader>),
}

/// A request on its way to the worker: its id (the reply carries it back) and
/// whether a newer load may supersede it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub req_id: ReqId,
    /// A load that a newer one may supersede: a request with the same key that is
    /// still queued is not run, and one in flight is dropped (latest wins). Writes
    /// carry `None` and always run to the end.
    pub supersedes: Option<u64>,
    pub request: Request,
}

#[derive(Debug)]
pub struct Event {
    pub req_id: ReqId,
    pub result: Result<Reply, StoreError>,
    /// The session's user as the gate saw them for this request (roles and active
    /// state as stored now), so the UI's hints follow a demotion at once.
    pub who: Option<Who>,
    /// A progress report (`Reply::Progress`): the answer is still to come.
    pub partial: bool,
}
