//! Posts: the list by status (newest change first), one post's body for the
//! editor, the editor's save, and status moves (submit, approve, reject, publish,
//! archive, back to draft) through `content::move_post`'s rules.

use super::records::{Cursor, Record, RecordPage};
use super::{Backend, Reply, Request};
use crate::store::posts::{self, PostRow};
use crate::store::{Actor, StoreError, content};

pub(super) async fn handle(b: &Backend, actor: &Actor, request: Request) -> Result<Reply, StoreError> {
    let db = &b.db;
    match request {
        Request::Posts { status, search, after, limit } => {
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
            Ok(Reply::Records(Box::new(RecordPage { counts, rows, next, more: key.is_some() })))
        }
        Request::PostBody { id } => Ok(Reply::PostBody(Box::new(posts::get(db, id).await?))),
        Request::SavePost { id, draft } => Ok(Reply::PostSaved(Box::new(posts::save(db, actor, id, *draft).await?))),
        Request::MovePost { id, version, to, reason } => {
            let p = content::move_post(db, actor, id, version, to, reason.as_deref()).await?;
            Ok(Reply::RecordSaved(format!("\"{}\" is {}", p.title, p.status)))
        }
        Request::PublishDue => Ok(Reply::PublishedDue(posts::publish_due(db, actor, crate::store::now()).await?)),
        Request::PostRevisions { id } => Ok(Reply::PostRevisions {
            current: Box::new(posts::get(db, id).await?),
            revisions: posts::revisions(db, id).await?,
        }),
        Request::RestoreRevision { id, version, revision } => {
            Ok(Reply::PostSaved(Box::new(posts::restore(db, actor, id, version, revision).await?)))
        }
        other => Err(StoreError::Other(format!("{} is not a posts request", other.kind()))),
    }
}

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
