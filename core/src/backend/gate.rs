//! The one permission gate. Every request passes here before any handler runs:
//! each area declares what its requests need beside them (`requests!`), and
//! `Backend::authorize` checks it against the session's user as stored *now*
//! (roles and active state are read again for every request, so a demotion or a
//! deactivation from the CLI, another admin or another process takes effect on the
//! next key press).
//!
//! Adding a request to an area is its variant with its need, in the area's file,
//! and its handler's arm there; the compiler refuses a variant without a need.
//! A test walks every request's name (`Request::names`) × every role, on both
//! backends.

use super::*;
use crate::domain::permissions::Action;

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
}

/// Declares an area's requests, each with what it needs at the gate beside it:
/// the enum, its `need()`, a variant's `name()` and every `NAMES` (walked by the
/// gate's test).
macro_rules! requests {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident $({ $($field:ident : $ty:ty),* $(,)? })? => $need:expr
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $( $(#[$vmeta])* $variant $({ $($field: $ty),* })? ),*
        }

        impl $name {
            /// Every request of the area by name.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($variant)),*];

            pub fn name(&self) -> &'static str {
                match self {
                    $(Self::$variant { .. } => stringify!($variant)),*
                }
            }

            /// What the request needs before it may run.
            pub fn need(&self) -> $crate::backend::gate::Need {
                match self {
                    $(Self::$variant { .. } => $need),*
                }
            }
        }
    };
}
pub(crate) use requests;

impl Request {
    /// What this request needs: its area's declaration, and for a simple area's
    /// operation that area's row (`None`, refused, when there is none).
    pub fn need(&self) -> Option<Need> {
        Some(match self {
            Request::Area { area, op, .. } => Need::Permission(crate::store::areas::need(area, op)?),
            Request::Office(r) => r.need(),
            Request::Audit(r) => r.need(),
            Request::Users(r) => r.need(),
            Request::Leads(r) => r.need(),
            Request::Messages(r) => r.need(),
            Request::Posts(r) => r.need(),
            Request::Attendance(r) => r.need(),
            Request::Calendar(r) => r.need(),
            Request::Moderation(r) => r.need(),
        })
    }

    /// The request's name in logs and refusals: its variant, or the simple area's
    /// operation.
    pub fn name(&self) -> String {
        match self {
            Request::Area { area, op, .. } => format!("{area} {op}"),
            Request::Office(r) => r.name().to_string(),
            Request::Audit(r) => r.name().to_string(),
            Request::Users(r) => r.name().to_string(),
            Request::Leads(r) => r.name().to_string(),
            Request::Messages(r) => r.name().to_string(),
            Request::Posts(r) => r.name().to_string(),
            Request::Attendance(r) => r.name().to_string(),
            Request::Calendar(r) => r.name().to_string(),
            Request::Moderation(r) => r.name().to_string(),
        }
    }

    /// Every area's requests by name (the simple areas as `Area`).
    pub fn names() -> impl Iterator<Item = &'static str> {
        let areas: [&[&'static str]; 10] = [
            &["Area"],
            OfficeRequest::NAMES,
            AuditRequest::NAMES,
            UserRequest::NAMES,
            LeadRequest::NAMES,
            MessageRequest::NAMES,
            PostRequest::NAMES,
            AttendanceRequest::NAMES,
            CalendarRequest::NAMES,
            ModerationRequest::NAMES,
        ];
        areas.into_iter().flatten().copied()
    }

    /// Does a load also write (the board saving the user's filter)? Such a request
    /// is never interrupted by a newer one.
    pub fn saves(&self) -> bool {
        matches!(self, Request::Leads(LeadRequest::Board { save: true, .. }))
    }

    /// May a user whose password is a one-time one send this? Only what replaces
    /// it, the idle lock, and the ping.
    pub fn open_to_one_time_password(&self) -> bool {
        matches!(
            self,
            Request::Users(UserRequest::ChangeOwnPassword { .. })
                | Request::Office(OfficeRequest::Unlock { .. } | OfficeRequest::Ping)
        )
    }
}
