//! A moderator's decision on one item of the queue (docs/domain.md §5 and §7):
//! which decisions an item takes is the store's to check, per kind.

/// A decision on one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approve,
    /// With the reason (required, stored with the item).
    Reject(String),
    /// A cohort application only: the cohort is full.
    Waitlist,
    /// A comment only: hide it (it stays for the record), or show it again.
    Hide,
    Unhide,
    /// A course review only: it becomes a pending testimonial.
    Promote,
}
