//! The moderation queue: a page of items awaiting a decision (with the tab counts on
//! the first page), one item's preview, and decisions on one or several items —
//! each item decided in its own transaction, so one refusal (a full cohort, someone
//! else's decision meanwhile) does not undo the others; the reply names both.

use super::gate::Need;
use super::{Backend, Reply};
use crate::domain::permissions::Action;
use crate::store::moderation;
use crate::store::{Actor, StoreError};

crate::backend::gate::requests! {
    /// The moderation area's requests, each with what it needs at the gate.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum ModerationRequest {
        // The queue is for those who moderate (admins, staff); each kind's decision
        // also needs its own right in the store (an instructor application: admins).
        ModerationQueue {
            kind: Option<crate::store::moderation::QueueKind>,
            after: Option<crate::store::moderation::QueueKey>,
            limit: i64,
        } => Need::Permission(Action::ModerateContent),
        ModerationPreview {
            kind: crate::store::moderation::QueueKind,
            id: i64,
        } => Need::Permission(Action::ModerateContent),
        /// One decision on these items (kind, id, version).
        Decide {
            items: Vec<(crate::store::moderation::QueueKind, i64, i64)>,
            decision: crate::store::moderation::Decision,
        } => Need::Permission(Action::ModerateContent),
    }
}

/// The moderation area's answers.
#[derive(Debug)]
pub enum ModerationReply {
    ModerationQueue {
        counts: Option<Vec<(crate::store::moderation::QueueKind, i64)>>,
        items: Vec<crate::store::moderation::QueueItem>,
        next: Option<crate::store::moderation::QueueKey>,
        more: bool,
    },
    ModerationPreview(Box<crate::store::moderation::Preview>),
    /// What was decided, and what was refused (with why).
    Decided {
        done: Vec<String>,
        refused: Vec<String>,
    },
}

pub(super) async fn handle(b: &Backend, actor: &Actor, request: ModerationRequest) -> Result<Reply, StoreError> {
    let db = &b.db;
    match request {
        ModerationRequest::ModerationQueue { kind, after, limit } => {
            let counts = match after {
                None => Some(moderation::counts(db, actor).await?),
                Some(_) => None,
            };
            let more = after.is_some();
            let (items, next) = moderation::page(db, actor, kind, after, limit).await?;
            Ok(ModerationReply::ModerationQueue { counts, items, next, more }.into())
        }
        ModerationRequest::ModerationPreview { kind, id } => {
            Ok(ModerationReply::ModerationPreview(Box::new(moderation::preview(db, kind, id).await?)).into())
        }
        ModerationRequest::Decide { items, decision } => {
            let (mut done, mut refused) = (Vec::new(), Vec::new());
            for (kind, id, version) in items.iter().take(moderation::MAX_PAGE as usize) {
                match moderation::decide(db, actor, *kind, *id, *version, &decision).await {
                    Ok(said) => done.push(said),
                    // A single decision's error reaches the user as it is.
                    Err(e) if items.len() == 1 => return Err(e),
                    Err(e) => refused.push(format!("{kind} #{id}: {e}")),
                }
            }
            Ok(ModerationReply::Decided { done, refused }.into())
        }
    }
}
