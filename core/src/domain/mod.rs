//! Pure types and rules of the academy back office: no I/O, no async.
//!
//! Every rule from docs/domain.md that code enforces lives here exactly once; the store calls
//! these functions inside its transactions and the UI calls them to explain refusals.

#[macro_use]
pub mod enums;
pub mod attendance;
pub mod capacity;
pub mod case_study;
pub mod contact;
pub mod dates;
pub mod help_request;
pub mod lead;
pub mod lifecycle;
pub mod message;
pub mod metrics;
pub mod moderation;
pub mod money;
pub mod package;
pub mod permissions;
pub mod post;
pub mod recurrence;
pub mod session;
pub mod slug;
pub mod time;

/// Text that names no value of an enumeration, with the values that would have worked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{value}' is not a valid {kind}; expected one of: {allowed}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
    pub allowed: String,
}

/// A state change that the rules do not allow, naming the moves that are allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} cannot move from {from} to {to}; allowed from {from}: {}", allowed_list(.allowed))]
pub struct MoveRefused {
    pub what: &'static str,
    pub from: String,
    pub to: String,
    pub allowed: Vec<String>,
}

fn allowed_list(allowed: &[String]) -> String {
    if allowed.is_empty() { "none (final state)".to_string() } else { allowed.join(", ") }
}
