//! Posts: the list by status (newest change first), one post's body for the
//! editor, the editor's save, and status moves (submit, approve, reject, publish,
//! archive, back to draft) through `content::move_post`'s rules.

use super::gate::Need;
use super::records::{Columns, Cursor, Record, RecordPage};
use super::{Backend, Reply};
use crate::domain::permissions::Action;
use crate::store::posts::{self, PostRow};
use crate::store::{Actor, StoreError, content};

crate::backend::gate::requests! {
    /// The posts area's requests, each with what it needs at the gate.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum PostRequest {
        // Posts: everyone who sees content reads them; admins and staff write and move
        // them (approving, rejecting and publishing also need ModerateContent, checked
        // by the store).
        Posts {
            status: Option<&'static str>,
            search: Option<String>,
            after: Option<Cursor>,
            limit: i64,
        } => Need::Permission(Action::ViewContent),
        PostBody {
            id: i64,
        } => Need::Permission(Action::ViewContent),
        /// The editor's save: a new post (`id: None`) or an edit at its version.
        SavePost {
            id: Option<(i64, i64)>,
            draft: Box<crate::store::posts::PostDraft>,
        } => Need::Permission(Action::EditContent),
        MovePost {
            id: i64,
            version: i64,
            to: crate::domain::post::PostStatus,
            reason: Option<String>,
        } => Need::Permission(Action::EditContent),
        /// The bodies a published post kept, with the post as it is now.
        PostRevisions {
            id: i64,
        } => Need::Permission(Action::ViewContent),
        // Publishing what is due skips review as a direct publish does: the scheduler
        // (the system actor) and those who may publish directly.
        /// Publish every approved post whose publish time has come: the scheduler's
        /// job (`Backend::handle_as_system`), also `staffroom publish-due`.
        PublishDue => Need::Permission(Action::PublishDirectly),
        /// Put a kept body back (itself a save: the replaced body is kept in turn).
        RestoreRevision {
            id: i64,
            version: i64,
            revision: i64,
        } => Need::Permission(Action::EditContent),
    }
}

/// The posts area's answers.
#[derive(Debug)]
pub enum PostReply {
    PostBody(Box<crate::store::posts::PostBody>),
    PostSaved(Box<crate::store::posts::PostBody>),
    PostRevisions {
        current: Box<crate::store::posts::PostBody>,
        revisions: Vec<crate::store::posts::Revision>,
    },
    /// The titles of the posts just published by `PublishDue`.
    PublishedDue(Vec<String>),
}

pub(super) async fn handle(b: &Backend, actor: &Actor, request: PostRequest) -> Result<Reply, StoreError> {
    let db = &b.db;
    match request {
        PostRequest::Posts { status, search, after, limit } => {
            let counts = match after {
                None => Some(posts::counts(db).await?),
                Some(_) => None,
            };
            let key = match after {
                Some(Cursor::Time(t, id)) => Some((t, id)),
                _ => None,
            };
            let page = posts::page(db, status, search.as_deref(), key, limit).await?;
            let next = page.next.map(|(t, id)| Cursor::Time(t, id));
            let rows = page.rows.iter().map(|r| record(r, b.settings.tz)).collect();
            Ok(Reply::Records(Box::new(RecordPage {
                counts,
                rows,
                next,
                more: key.is_some(),
                sorted: None,
                sortable: Vec::new(),
            })))
        }
        PostRequest::PostBody { id } => Ok(PostReply::PostBody(Box::new(posts::get(db, id).await?)).into()),
        PostRequest::SavePost { id, draft } => {
            Ok(PostReply::PostSaved(Box::new(posts::save(db, actor, id, *draft).await?)).into())
        }
        PostRequest::MovePost { id, version, to, reason } => {
            let p = content::move_post(db, actor, id, version, to, reason.as_deref()).await?;
            Ok(Reply::RecordSaved(format!("\"{}\" is {}", p.title, p.status)))
        }
        PostRequest::PublishDue => {
            Ok(PostReply::PublishedDue(posts::publish_due(db, actor, crate::store::now()).await?).into())
        }
        PostRequest::PostRevisions { id } => Ok(PostReply::PostRevisions {
            current: Box::new(posts::get(db, id).await?),
            revisions: posts::revisions(db, id).await?,
        }
        .into()),
        PostRequest::RestoreRevision { id, version, revision } => {
            Ok(PostReply::PostSaved(Box::new(posts::restore(db, actor, id, version, revision).await?)).into())
        }
    }
}

/// The list's columns: heading and width (0: takes the room left), one per cell
/// `record` makes, in its order.
// The title takes what is left: at 80 columns that is still 14 cells.
pub const LIST_COLUMNS: Columns = &[("day", 5), ("title", 0), ("author", 12), ("status", 9)];

fn record(p: &PostRow, tz: chrono_tz::Tz) -> Record {
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map_or("—".to_string(), |t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
    };
    let mut detail = vec![
        ("slug".into(), p.slug.clone()),
        ("author".into(), p.author.clone()),
        ("type".into(), p.post_type.replace('_', " ")),
        ("status".into(), p.status.clone()),
        ("read time".into(), format!("{} min", p.read_time_minutes)),
        ("changed".into(), when(Some(p.updated_at))),
        ("published".into(), when(p.published_at)),
    ];
    if let Some(r) = &p.rejection_reason {
        detail.push(("rejected because".into(), r.clone()));
    }
    if let Some(e) = &p.excerpt {
        detail.push(("excerpt".into(), e.clone()));
    }
    Record {
        id: p.id,
        version: p.version,
        status: p.status.clone(),
        cells: vec![
            p.updated_at.with_timezone(&tz).format("%m-%d").to_string(),
            p.title.clone(),
            p.author.clone(),
            p.status.clone(),
        ],
        detail,
        values: vec![("title", p.title.clone()), ("status", p.status.clone())],
    }
}
