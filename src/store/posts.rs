//! Posts for the content screens (DOMAIN.md section 7): the list by status, newest
//! change first, with its author, words and read time; one post with its body for
//! the editor; saving the editor (a new post, or an edit guarded by its version,
//! read time computed from the words). Status moves are `content::move_post`.
//!
//! Reading needs `ViewContent`; writing `EditContent` (admins and staff). An edit
//! audits the fields that changed, the body included (the audit viewer shows it as
//! a line diff).

use super::audit::{self, Change};
use super::page::{self, Page};
use super::{Actor, Db, Result, StoreError, Tx, now};
use crate::domain::metrics::read_time_minutes;
use crate::domain::permissions::Action;
use crate::domain::post::PostType;
use crate::{with_db, with_tx};
use chrono::{DateTime, Utc};
use serde_json::json;

/// The longest title and excerpt, and body, in characters.
pub const MAX_TITLE_CHARS: usize = 300;
pub const MAX_EXCERPT_CHARS: usize = 1_000;
pub const MAX_BODY_CHARS: usize = 1_000_000;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PostRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub excerpt: Option<String>,
    pub post_type: String,
    pub status: String,
    pub read_time_minutes: i64,
    pub author: String,
    pub rejection_reason: Option<String>,
    pub publish_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

/// A post with its body, for the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostBody {
    pub row: PostRow,
    pub content: String,
}

/// What the editor saves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostDraft {
    pub title: String,
    pub excerpt: Option<String>,
    pub content: String,
    pub post_type: PostType,
    /// When an approved post publishes itself (`None`: when someone publishes it).
    pub publish_at: Option<DateTime<Utc>>,
}

const SELECT: &str = "SELECT p.id, p.slug, p.title, p.excerpt, p.post_type, p.status, p.read_time_minutes, \
     COALESCE(u.full_name, '') AS author, p.rejection_reason, p.publish_at, p.published_at, p.version, p.updated_at \
     FROM posts p LEFT JOIN users u ON u.id = p.author_id";

/// Keyset key: newest change first.
pub type Key = (DateTime<Utc>, i64);

pub async fn counts(db: &Db) -> Result<Vec<(String, i64)>> {
    Ok(with_db!(db, p => {
        sqlx::query_as("SELECT status, COUNT(*) FROM posts GROUP BY status ORDER BY status").fetch_all(p).await?
    }))
}

/// A page of one status (or all), matching `search` in the title, excerpt or author.
pub async fn page(
    db: &Db,
    status: Option<&str>,
    search: Option<&str>,
    after: Option<Key>,
    limit: i64,
) -> Result<Page<PostRow, Key>> {
    let limit = page::limit(limit);
    let pattern = search.and_then(page::contains_pattern);
    let mut args = page::Args::default();
    let mut sql = format!("{SELECT} WHERE 1 = 1");
    if status.is_some() {
        sql += &format!(" AND p.status = {}", args.arg());
    }
    if pattern.is_some() {
        sql += &page::any_like(&["p.title", "COALESCE(p.excerpt, '')", "COALESCE(u.full_name, '')"], &args.arg());
    }
    if after.is_some() {
        sql += &format!(" AND (p.updated_at, p.id) < ({}, {})", args.arg(), args.arg());
    }
    sql += &format!(" ORDER BY p.updated_at DESC, p.id DESC LIMIT {}", args.arg());
    let rows: Vec<PostRow> = with_db!(db, p => {
        let mut q = sqlx::query_as::<_, PostRow>(&sql);
        if let Some(s) = status {
            q = q.bind(s);
        }
        if let Some(pattern) = &pattern {
            q = q.bind(pattern);
        }
        if let Some((at, id)) = after {
            q = q.bind(at).bind(id);
        }
        q.bind(limit + 1).fetch_all(p).await?
    });
    Ok(page::from_rows(rows, limit, |r: &PostRow| (r.updated_at, r.id)))
}

async fn body_in(tx: &mut Tx, id: i64) -> Result<PostBody> {
    let sql = format!("{SELECT} WHERE p.id = $1");
    let row: Option<PostRow> = with_tx!(tx, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await?);
    let row = row.ok_or_else(|| StoreError::not_found("post", id))?;
    let content: String = with_tx!(tx, c => {
        sqlx::query_scalar("SELECT content FROM posts WHERE id = $1").bind(id).fetch_one(&mut *c).await?
    });
    Ok(PostBody { row, content })
}

pub async fn get(db: &Db, id: i64) -> Result<PostBody> {
    let mut tx = db.begin().await?;
    let b = body_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(b)
}

impl PostDraft {
    fn validated(&self) -> Result<PostDraft> {
        let title = crate::domain::contact::clean(&self.title);
        if title.is_empty() {
            return Err(StoreError::invalid("title", "is needed"));
        }
        if title.chars().count() > MAX_TITLE_CHARS {
            return Err(StoreError::invalid("title", format!("is longer than {MAX_TITLE_CHARS} characters")));
        }
        let excerpt = self.excerpt.as_deref().map(crate::domain::contact::clean).filter(|e| !e.is_empty());
        if excerpt.as_ref().is_some_and(|e| e.chars().count() > MAX_EXCERPT_CHARS) {
            return Err(StoreError::invalid("excerpt", format!("is longer than {MAX_EXCERPT_CHARS} characters")));
        }
        let content = crate::domain::contact::storable(&self.content);
        let n = content.chars().count();
        if n > MAX_BODY_CHARS {
            return Err(StoreError::invalid("body", format!("is {n} characters; at most {MAX_BODY_CHARS}")));
        }
        Ok(PostDraft { title, excerpt, content, post_type: self.post_type, publish_at: self.publish_at })
    }
}

/// Saves the editor: a new draft (`id: None`, slug from the title, BR-02), or an
/// edit of `id` at `version` (someone else's save meanwhile is a conflict naming
/// them; nothing is overwritten).
pub async fn save(db: &Db, actor: &Actor, id: Option<(i64, i64)>, draft: PostDraft) -> Result<PostBody> {
    actor.require(Action::EditContent)?;
    let d = draft.validated()?;
    let Some((id, version)) = id else {
        let p = super::content::create_post(db, actor, &d.title, &d.content, d.post_type).await?;
        if d.excerpt.is_some() || d.publish_at.is_some() {
            // The excerpt and publish time are not part of `create_post`; a second,
            // audited edit sets them.
            return Box::pin(save(db, actor, Some((p.id, p.version)), d)).await;
        }
        return get(db, p.id).await;
    };
    let mut tx = db.begin().await?;
    let before = body_in(&mut tx, id).await?;
    if before.row.version != version {
        return Err(audit::conflict(&mut tx, "this post", "post", id).await);
    }
    let at = now();
    let updated: Option<i64> = with_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "UPDATE posts SET title = $3, excerpt = $4, content = $5, post_type = $6, read_time_minutes = $7, \
             publish_at = $9, version = version + 1, updated_at = $8 WHERE id = $1 AND version = $2 RETURNING id",
        )
        .bind(id)
        .bind(version)
        .bind(&d.title)
        .bind(&d.excerpt)
        .bind(&d.content)
        .bind(d.post_type.as_str())
        .bind(read_time_minutes(&d.content))
        .bind(at)
        .bind(d.publish_at)
        .fetch_optional(&mut *c)
        .await?
    });
    if updated.is_none() {
        return Err(audit::conflict(&mut tx, "this post", "post", id).await);
    }
    let after = body_in(&mut tx, id).await?;
    let view = |b: &PostBody| {
        json!({"title": b.row.title, "excerpt": b.row.excerpt, "content": b.content, "post_type": b.row.post_type,
               "publish_at": b.row.publish_at})
    };
    let change = Change::new("update", "post", Some(id), format!("edited post {}", after.row.title))
        .diff(&view(&before), &view(&after));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// Publishes every approved post whose `publish_at` has come (at most 500 a run,
/// oldest first), each in its own audited transaction. Returns their titles. Run by
/// the app every minute while it is open, and by `staffroom publish-due` (cron).
pub async fn publish_due(db: &Db, actor: &Actor, now: DateTime<Utc>) -> Result<Vec<String>> {
    let due: Vec<(i64, i64)> = with_db!(db, p => {
        sqlx::query_as(
            "SELECT id, version FROM posts WHERE status = 'approved' AND publish_at IS NOT NULL AND publish_at <= $1 \
             ORDER BY publish_at, id LIMIT 500",
        )
        .bind(now)
        .fetch_all(p)
        .await?
    });
    let mut done = Vec::new();
    for (id, version) in due {
        match super::content::move_post(db, actor, id, version, crate::domain::post::PostStatus::Published, None).await
        {
            Ok(p) => done.push(p.title),
            // Edited or moved meanwhile: the next run sees it as it is then.
            Err(StoreError::Conflict { .. } | StoreError::Refused { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}
