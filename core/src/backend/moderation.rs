//! The moderation queue: a page of items awaiting a decision (with the tab counts on
//! the first page), one item's preview, and decisions on one or several items —
//! each item decided in its own transaction, so one refusal (a full cohort, someone
//! else's decision meanwhile) does not undo the others; the reply names both.

use super::{Backend, Reply, Request};
use crate::store::moderation;
use crate::store::{Actor, StoreError};

pub(super) async fn handle(b: &Backend, actor: &Actor, request: Request) -> Result<Reply, StoreError> {
    let db = &b.db;
    match request {
        Request::ModerationQueue { kind, after, limit } => {
            let counts = match after {
                None => Some(moderation::counts(db, actor).await?),
                Some(_) => None,
            };
            let more = after.is_some();
            let (items, next) = moderation::page(db, actor, kind, after, limit).await?;
            Ok(Reply::ModerationQueue { counts, items, next, more })
        }
        Request::ModerationPreview { kind, id } => {
            Ok(Reply::ModerationPreview(Box::new(moderation::preview(db, kind, id).await?)))
        }
        Request::Decide { items, decision } => {
            let (mut done, mut refused) = (Vec::new(), Vec::new());
            for (kind, id, version) in items.iter().take(moderation::MAX_PAGE as usize) {
                match moderation::decide(db, actor, *kind, *id, *version, &decision).await {
                    Ok(said) => done.push(said),
                    // A single decision's error reaches the user as it is.
                    Err(e) if items.len() == 1 => return Err(e),
                    Err(e) => refused.push(format!("{kind} #{id}: {e}")),
                }
            }
            Ok(Reply::Decided { done, refused })
        }
        other => Err(StoreError::Other(format!("{} is not a moderation request", other.kind()))),
    }
}
