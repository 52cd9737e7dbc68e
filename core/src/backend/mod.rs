//! The backend worker: owns the database AND the session. Login creates the session
//! here; the backend builds the `Actor` of every request itself (the UI sends no
//! identity), passes each request through the one permission gate (`gate.rs`), and
//! hands it to the handler of its area. Other sessions' writes become change notices.
//! The UI never touches the database; it only sends commands.

mod areas;
mod attendance;
mod audit;
mod calendar;
pub mod changes;
pub mod gate;
mod leads;
mod messages;
mod moderation;
mod office;
pub(crate) mod posts;
pub mod progress;
/// The record screens' page shapes (kept in the store, which simple areas fill).
pub use crate::store::records;
pub mod scheduler;
mod session;
mod settings;
pub use settings::Settings;
pub(crate) mod users;
mod worker;

pub use attendance::{AttendanceReply, AttendanceRequest};
pub use audit::{AuditReply, AuditRequest};
pub use calendar::{CalendarReply, CalendarRequest};
pub use leads::{LeadReply, LeadRequest};
pub use messages::{MessageReply, MessageRequest};
pub use moderation::{ModerationReply, ModerationRequest};
pub use office::{OfficeReply, OfficeRequest};
pub use posts::{PostReply, PostRequest};
pub use session::{Backend, Who};
pub use users::{UserReply, UserRequest};
pub use worker::spawn;

use crate::store::StoreError;

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

/// Every request, grouped by the area that answers it. Each area declares its own
/// requests beside its handler, with what each needs at the gate
/// (`gate::requests!`), and answers with its own reply type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// An operation of a simple area (`store/areas/`): its gate row and handler
    /// are the area's own.
    Area {
        area: &'static str,
        op: &'static str,
        args: Box<crate::store::areas::Args>,
    },
    Office(OfficeRequest),
    Audit(AuditRequest),
    Users(UserRequest),
    Leads(LeadRequest),
    Messages(MessageRequest),
    Posts(PostRequest),
    Attendance(AttendanceRequest),
    Calendar(CalendarRequest),
    Moderation(ModerationRequest),
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

/// Every answer: an area's own, or one the record screens and long requests share.
#[derive(Debug)]
pub enum Reply {
    Office(OfficeReply),
    Audit(AuditReply),
    Users(UserReply),
    Leads(LeadReply),
    Messages(MessageReply),
    Posts(PostReply),
    Attendance(AttendanceReply),
    Calendar(CalendarReply),
    Moderation(ModerationReply),
    /// How far a long request has come (sent while it runs, before its answer).
    Progress {
        done: u64,
        total: u64,
    },
    /// A page of a record screen's rows (the simple areas, users, posts).
    Records(Box<records::RecordPage>),
    /// A record was saved: what to tell the user.
    RecordSaved(String),
    /// Rows written to a file: (rows, path).
    Exported(u64, std::path::PathBuf),
}

/// Each area's requests and answers become the protocol's by `.into()`.
macro_rules! wrapped {
    ($($area:ident($request:ident, $reply:ident)),* $(,)?) => {
        $(
            impl From<$request> for Request {
                fn from(r: $request) -> Self {
                    Request::$area(r)
                }
            }
            impl From<$reply> for Reply {
                fn from(r: $reply) -> Self {
                    Reply::$area(r)
                }
            }
        )*
    };
}
wrapped!(
    Office(OfficeRequest, OfficeReply),
    Audit(AuditRequest, AuditReply),
    Users(UserRequest, UserReply),
    Leads(LeadRequest, LeadReply),
    Messages(MessageRequest, MessageReply),
    Posts(PostRequest, PostReply),
    Attendance(AttendanceRequest, AttendanceReply),
    Calendar(CalendarRequest, CalendarReply),
    Moderation(ModerationRequest, ModerationReply),
);

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
