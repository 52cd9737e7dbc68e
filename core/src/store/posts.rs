//! Posts for the content screens (docs/domain.md §7): the list by status, newest
//! change first, with its author, words and read time; one post with its body for
//! the editor; saving the editor (a new post, or an edit guarded by its version,
//! read time computed from the words, tags kept by BR-15, and the revision a
//! published post keeps of the body a save replaces). Status moves are
//! `content::move_post`.
//!
//! Reading needs `ViewContent`; writing `EditContent` (admins and staff). An edit
//! audits the fields that changed, the body included (the audit viewer shows it as
//! a line diff).

use super::audit::{self, Change};
use super::page::{self, Filter, Page};
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
/// Links, SEO fields and tags, in characters; at most `MAX_TAGS` tags a post.
pub const MAX_URL_CHARS: usize = super::fields::MAX_URL_CHARS;
pub const MAX_SEO_TITLE_CHARS: usize = 200;
pub const MAX_SEO_DESCRIPTION_CHARS: usize = 500;
pub const MAX_TAG_CHARS: usize = 60;
pub const MAX_TAGS: usize = 20;
/// What search engines show; longer is allowed, and the editor says so.
pub const SEO_TITLE_SHOWN: usize = 60;
pub const SEO_DESCRIPTION_SHOWN: usize = 160;

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
    pub category: Option<String>,
    pub cover_image_url: Option<String>,
    pub video_url: Option<String>,
    pub seo_title: Option<String>,
    pub seo_description: Option<String>,
    pub rejection_reason: Option<String>,
    pub publish_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

/// A post with its body and tags, for the editor, and the categories it may pick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostBody {
    pub row: PostRow,
    pub content: String,
    pub tags: Vec<String>,
    /// Every category's name (a short table), for the details form.
    pub categories: Vec<String>,
    /// The most used tags, for the details form's hint.
    pub known_tags: Vec<String>,
}

/// What the editor saves: the whole post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostDraft {
    pub title: String,
    pub excerpt: Option<String>,
    pub content: String,
    pub post_type: PostType,
    /// When an approved post publishes itself (`None`: when someone publishes it).
    pub publish_at: Option<DateTime<Utc>>,
    /// BR-02: `None` generates one from the title for a new post and keeps the
    /// slug of an edited one; a typed slug must be free.
    pub slug: Option<String>,
    /// A category's name (`None`: no category).
    pub category: Option<String>,
    /// Tag names; unknown ones are created (BR-15 keeps their use counts).
    pub tags: Vec<String>,
    pub cover_image_url: Option<String>,
    pub video_url: Option<String>,
    pub seo_title: Option<String>,
    pub seo_description: Option<String>,
}

impl Default for PostDraft {
    fn default() -> PostDraft {
        PostDraft {
            title: String::new(),
            excerpt: None,
            content: String::new(),
            post_type: PostType::Article,
            publish_at: None,
            slug: None,
            category: None,
            tags: Vec::new(),
            cover_image_url: None,
            video_url: None,
            seo_title: None,
            seo_description: None,
        }
    }
}

impl PostBody {
    /// The draft that saves this post unchanged (the editor edits it).
    pub fn draft(&self) -> PostDraft {
        let r = &self.row;
        PostDraft {
            title: r.title.clone(),
            excerpt: r.excerpt.clone(),
            content: self.content.clone(),
            post_type: PostType::parse(&r.post_type).unwrap_or(PostType::Article),
            publish_at: r.publish_at,
            slug: Some(r.slug.clone()),
            category: r.category.clone(),
            tags: self.tags.clone(),
            cover_image_url: r.cover_image_url.clone(),
            video_url: r.video_url.clone(),
            seo_title: r.seo_title.clone(),
            seo_description: r.seo_description.clone(),
        }
    }
}

const SELECT: &str = "SELECT p.id, p.slug, p.title, p.excerpt, p.post_type, p.status, p.read_time_minutes, \
     COALESCE(u.full_name, '') AS author, cat.name AS category, p.cover_image_url, p.video_url, p.seo_title, \
     p.seo_description, p.rejection_reason, p.publish_at, p.published_at, p.version, p.updated_at \
     FROM posts p LEFT JOIN users u ON u.id = p.author_id LEFT JOIN categories cat ON cat.id = p.category_id";

/// Keyset key: newest change first.
pub type Key = (DateTime<Utc>, i64);

/// Posts per status, and "scheduled": approved ones with a publish time.
pub async fn counts(db: &Db) -> Result<Vec<(String, i64)>> {
    let mut counts = page::tab_counts(db, "posts").await?;
    let scheduled: i64 = with_db!(db, p => {
        sqlx::query_scalar("SELECT COUNT(*) FROM posts WHERE status = 'approved' AND publish_at IS NOT NULL").fetch_one(p).await?
    });
    let all = counts.iter().map(|(_, n)| n).sum();
    counts.push((SCHEDULED.to_string(), scheduled));
    counts.push(("all".to_string(), all));
    Ok(counts)
}

/// The list's tab of approved posts waiting for their publish time.
pub const SCHEDULED: &str = "scheduled";

/// What the list's search holds: words to find, and filters written as
/// `type:tutorial`, `tag:rust`, `category:frontend` (by slug or name) and
/// `author:sami` (part of the name; `_` for a space in a value).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostSearch {
    pub words: String,
    pub post_type: Option<String>,
    pub tag: Option<String>,
    pub category: Option<String>,
    pub author: Option<String>,
}

impl PostSearch {
    pub fn parse(search: &str) -> PostSearch {
        let mut s = PostSearch::default();
        let mut words = Vec::new();
        for token in search.split_whitespace() {
            let value = |v: &str| Some(v.replace('_', " ")).filter(|v| !v.is_empty());
            match token.split_once(':') {
                Some(("type", v)) => s.post_type = value(v).map(|v| v.replace(' ', "_")),
                Some(("tag", v)) => s.tag = value(v).map(|v| crate::domain::slug::slugify(&v)),
                Some(("category", v)) => s.category = value(v).map(|v| crate::domain::slug::slugify(&v)),
                Some(("author", v)) => s.author = value(v),
                _ => words.push(token),
            }
        }
        s.words = words.join(" ");
        s
    }
}

/// A page of one status (or all), matching `search` (`PostSearch`): its words in
/// the title, excerpt or author, and its filters.
pub async fn page(
    db: &Db,
    status: Option<&str>,
    search: Option<&str>,
    after: Option<Key>,
    limit: i64,
) -> Result<Page<PostRow, Key>> {
    let search = PostSearch::parse(search.unwrap_or(""));
    let author = search.author.as_deref().and_then(page::contains_pattern);
    let mut filters = Vec::new();
    // "scheduled" is not a status: approved, with a publish time.
    let status = match status {
        Some(SCHEDULED) => {
            filters.push(Filter::Fixed(" AND p.publish_at IS NOT NULL"));
            Some("approved")
        }
        other => other,
    };
    if let Some(t) = &search.post_type {
        filters.push(Filter::Bound(|p| format!(" AND p.post_type = {p}"), t));
    }
    if let Some(t) = &search.tag {
        filters.push(Filter::Bound(
            |p| {
                format!(
                    " AND EXISTS (SELECT 1 FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id = p.id AND t.slug = {p})"
                )
            },
            t,
        ));
    }
    if let Some(c) = &search.category {
        filters.push(Filter::Bound(|p| format!(" AND cat.slug = {p}"), c));
    }
    if let Some(a) = &author {
        filters.push(Filter::Bound(|p| page::any_like(&["COALESCE(u.full_name, '')"], p), a));
    }
    let list = page::List {
        select: SELECT,
        key: "p.updated_at",
        descending: true,
        status: "p.status",
        searched: &["p.title", "COALESCE(p.excerpt, '')", "COALESCE(u.full_name, '')"],
        id: "p.id",
        key_of: |r: &PostRow| (r.updated_at, r.id),
        // Kept in its own order (display order, or the latest change first).
        sorts: &[],
    };
    page::list_page(db, &list, status, Some(&search.words), &filters, after, limit).await
}

async fn body_in(tx: &mut Tx, id: i64) -> Result<PostBody> {
    let sql = format!("{SELECT} WHERE p.id = $1");
    let row: Option<PostRow> = with_tx!(tx, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await?);
    let row = row.ok_or_else(|| StoreError::not_found("post", id))?;
    let content: String = with_tx!(tx, c => {
        sqlx::query_scalar("SELECT content FROM posts WHERE id = $1").bind(id).fetch_one(&mut *c).await?
    });
    let tags = super::content::post_tags_in(tx, id).await?;
    let categories: Vec<String> = with_tx!(tx, c => {
        sqlx::query_scalar("SELECT name FROM categories ORDER BY name LIMIT 200").fetch_all(&mut *c).await?
    });
    let known_tags: Vec<String> = with_tx!(tx, c => {
        sqlx::query_scalar("SELECT name FROM tags ORDER BY use_count DESC, name LIMIT 12").fetch_all(&mut *c).await?
    });
    Ok(PostBody { row, content, tags, categories, known_tags })
}

pub async fn get(db: &Db, id: i64) -> Result<PostBody> {
    let mut tx = db.begin().await?;
    let b = body_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(b)
}

impl PostDraft {
    fn validated(&self) -> Result<PostDraft> {
        let title = super::fields::required("title", &self.title, MAX_TITLE_CHARS)?;
        let excerpt = super::fields::optional("excerpt", self.excerpt.as_deref(), MAX_EXCERPT_CHARS)?;
        let content = crate::domain::contact::storable(&self.content);
        let n = content.chars().count();
        if n > MAX_BODY_CHARS {
            return Err(StoreError::invalid("body", format!("is {n} characters; at most {MAX_BODY_CHARS}")));
        }
        let slug = self.slug.as_deref().map(crate::domain::contact::clean).filter(|s| !s.is_empty());
        if let Some(s) = &slug {
            crate::domain::slug::validate(s).map_err(|why| StoreError::invalid("slug", why))?;
            if s.chars().count() > MAX_TITLE_CHARS {
                return Err(StoreError::invalid("slug", format!("is longer than {MAX_TITLE_CHARS} characters")));
            }
        }
        let mut tags: Vec<String> = Vec::new();
        for t in self.tags.iter().map(|t| crate::domain::contact::clean(t)).filter(|t| !t.is_empty()) {
            if t.chars().count() > MAX_TAG_CHARS {
                return Err(StoreError::invalid("tags", format!("a tag is at most {MAX_TAG_CHARS} characters")));
            }
            let s = crate::domain::slug::slugify(&t);
            if !tags.iter().any(|k| crate::domain::slug::slugify(k) == s) {
                tags.push(t);
            }
        }
        if tags.len() > MAX_TAGS {
            return Err(StoreError::invalid("tags", format!("a post has at most {MAX_TAGS} tags")));
        }
        Ok(PostDraft {
            title,
            excerpt,
            content,
            post_type: self.post_type,
            publish_at: self.publish_at.map(|t| super::fields::instant("publish_at", t)).transpose()?,
            slug,
            category: super::fields::optional("category", self.category.as_deref(), MAX_TITLE_CHARS)?,
            tags,
            cover_image_url: super::fields::link("cover_image_url", self.cover_image_url.as_deref())?,
            video_url: super::fields::link("video_url", self.video_url.as_deref())?,
            seo_title: super::fields::optional("seo_title", self.seo_title.as_deref(), MAX_SEO_TITLE_CHARS)?,
            seo_description: super::fields::optional(
                "seo_description",
                self.seo_description.as_deref(),
                MAX_SEO_DESCRIPTION_CHARS,
            )?,
        })
    }
}

/// The category's id, or a refusal naming the ones there are.
async fn category_id(tx: &mut Tx, name: Option<&str>) -> Result<Option<i64>> {
    let Some(name) = name else { return Ok(None) };
    let found: Option<i64> = with_tx!(tx, c => {
        sqlx::query_scalar("SELECT id FROM categories WHERE name = $1").bind(name).fetch_optional(&mut *c).await?
    });
    if found.is_some() {
        return Ok(found);
    }
    let names: Vec<String> = with_tx!(tx, c => {
        sqlx::query_scalar("SELECT name FROM categories ORDER BY name LIMIT 20").fetch_all(&mut *c).await?
    });
    Err(StoreError::invalid("category", format!("no category is called \"{name}\"; there are: {}", names.join(", "))))
}

/// BR-02: the slug is free among posts other than `id`; the refusal names the post
/// that has it.
async fn slug_free(tx: &mut Tx, slug: &str, id: Option<i64>) -> Result<()> {
    let taken: Option<String> = with_tx!(tx, c => {
        sqlx::query_scalar("SELECT title FROM posts WHERE slug = $1 AND id <> $2")
            .bind(slug)
            .bind(id.unwrap_or(0))
            .fetch_optional(&mut *c)
            .await?
    });
    match taken {
        Some(title) => Err(StoreError::invalid("slug", format!("\"{slug}\" is taken by the post \"{title}\""))),
        None => Ok(()),
    }
}

/// How a save is audited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    Edit,
    /// Restoring revision #n.
    Restore(i64),
}

/// Saves the editor: a new draft (`id: None`, slug from the title unless typed,
/// BR-02), or an edit of `id` at `version` (someone else's save meanwhile is a
/// conflict naming them; nothing is overwritten). Everything — fields, tags (BR-15),
/// the revision a published post keeps, the audit row — lands in one transaction.
pub async fn save(db: &Db, actor: &Actor, id: Option<(i64, i64)>, draft: PostDraft) -> Result<PostBody> {
    actor.require(Action::EditContent)?;
    let d = draft.validated()?;
    let mut tx = db.begin().await?;
    let after = match id {
        None => create_in(&mut tx, actor, &d).await?,
        Some((id, version)) => save_in(&mut tx, actor, id, version, &d, How::Edit).await?,
    };
    tx.commit().await?;
    Ok(after)
}

async fn create_in(tx: &mut Tx, actor: &Actor, d: &PostDraft) -> Result<PostBody> {
    let Some(author_id) = actor.user_id else {
        return Err(StoreError::refused("a post needs an author: log in as a user to write one"));
    };
    let slug = match &d.slug {
        Some(s) => {
            slug_free(tx, s, None).await?;
            s.clone()
        }
        None => super::content::free_slug(tx, "posts", &crate::domain::slug::slugify(&d.title)).await?,
    };
    let category = category_id(tx, d.category.as_deref()).await?;
    let at = now();
    let id: i64 = with_tx!(tx, c => {
        sqlx::query_scalar(
            "INSERT INTO posts (slug, title, excerpt, content, post_type, status, read_time_minutes, author_id, \
             edited_by, category_id, cover_image_url, video_url, seo_title, seo_description, publish_at, \
             created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
        )
        .bind(&slug)
        .bind(&d.title)
        .bind(&d.excerpt)
        .bind(&d.content)
        .bind(d.post_type.as_str())
        .bind(read_time_minutes(&d.content))
        .bind(author_id)
        .bind(category)
        .bind(&d.cover_image_url)
        .bind(&d.video_url)
        .bind(&d.seo_title)
        .bind(&d.seo_description)
        .bind(d.publish_at)
        .bind(at)
        .fetch_one(&mut *c)
        .await?
    });
    super::content::replace_post_tags(tx, id, &d.tags, at).await?;
    let after = body_in(tx, id).await?;
    let change =
        Change::new("create", "post", Some(id), format!("created post {}", after.row.title)).with_new(view(&after));
    audit::record(tx, actor, change).await?;
    Ok(after)
}

/// What the audit row compares.
fn view(b: &PostBody) -> serde_json::Value {
    let r = &b.row;
    json!({"title": r.title, "slug": r.slug, "excerpt": r.excerpt, "content": b.content, "post_type": r.post_type,
           "category": r.category, "tags": b.tags, "cover_image_url": r.cover_image_url, "video_url": r.video_url,
           "seo_title": r.seo_title, "seo_description": r.seo_description, "publish_at": r.publish_at,
           "status": r.status})
}

async fn save_in(tx: &mut Tx, actor: &Actor, id: i64, version: i64, d: &PostDraft, how: How) -> Result<PostBody> {
    let before = body_in(tx, id).await?;
    if before.row.version != version {
        return Err(audit::conflict(tx, "this post", "post", id).await);
    }
    let slug = d.slug.clone().unwrap_or_else(|| before.row.slug.clone());
    if slug != before.row.slug {
        slug_free(tx, &slug, Some(id)).await?;
    }
    let category = category_id(tx, d.category.as_deref()).await?;
    let at = now();
    // A published post keeps the body this save replaces.
    if before.row.status == "published" && (before.row.title != d.title || before.content != d.content) {
        keep_revision(tx, actor, &before, at).await?;
    }
    let updated: Option<i64> = with_tx!(tx, c => {
        sqlx::query_scalar(
            "UPDATE posts SET title = $3, excerpt = $4, content = $5, post_type = $6, read_time_minutes = $7, \
             publish_at = $9, slug = $10, category_id = $11, cover_image_url = $12, video_url = $13, \
             seo_title = $14, seo_description = $15, edited_by = $16, version = version + 1, updated_at = $8 \
             WHERE id = $1 AND version = $2 RETURNING id",
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
        .bind(&slug)
        .bind(category)
        .bind(&d.cover_image_url)
        .bind(&d.video_url)
        .bind(&d.seo_title)
        .bind(&d.seo_description)
        .bind(actor.user_id)
        .fetch_optional(&mut *c)
        .await?
    });
    if updated.is_none() {
        return Err(audit::conflict(tx, "this post", "post", id).await);
    }
    super::content::replace_post_tags(tx, id, &d.tags, at).await?;
    let after = body_in(tx, id).await?;
    let change = match how {
        How::Edit => Change::new("update", "post", Some(id), format!("edited post {}", after.row.title)),
        How::Restore(rev) => {
            Change::new("restore", "post", Some(id), format!("restored revision #{rev} of post {}", after.row.title))
        }
    }
    .diff(&view(&before), &view(&after));
    audit::record(tx, actor, change).await?;
    Ok(after)
}

async fn keep_revision(tx: &mut Tx, actor: &Actor, before: &PostBody, at: DateTime<Utc>) -> Result<()> {
    with_tx!(tx, c => {
        sqlx::query(
            "INSERT INTO post_revisions (post_id, post_version, title, content, written_by, written_at, replaced_by, created_at) \
             SELECT id, version, title, content, COALESCE(edited_by, author_id), updated_at, $2, $3 FROM posts WHERE id = $1",
        )
        .bind(before.row.id)
        .bind(actor.user_id)
        .bind(at)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// One kept body of a published post.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Revision {
    pub id: i64,
    pub post_version: i64,
    pub title: String,
    pub written_by: String,
    pub written_at: DateTime<Utc>,
    pub replaced_by: String,
    pub created_at: DateTime<Utc>,
    pub content: String,
}

/// The post's kept bodies, newest first (at most 50: each holds its body).
pub async fn revisions(db: &Db, post_id: i64) -> Result<Vec<Revision>> {
    Ok(with_db!(db, p => {
        sqlx::query_as(
            "SELECT r.id, r.post_version, r.title, COALESCE(w.full_name, '') AS written_by, r.written_at, \
             COALESCE(x.full_name, '') AS replaced_by, r.created_at, r.content \
             FROM post_revisions r LEFT JOIN users w ON w.id = r.written_by LEFT JOIN users x ON x.id = r.replaced_by \
             WHERE r.post_id = $1 ORDER BY r.id DESC LIMIT 50",
        )
        .bind(post_id)
        .fetch_all(p)
        .await?
    }))
}

/// Puts revision `revision` back as the post's title and body, at `version` (a
/// conflict when someone saved meanwhile). It is a save like any other: the body it
/// replaces is kept as a revision in turn, and the audit row says which was restored.
pub async fn restore(db: &Db, actor: &Actor, post_id: i64, version: i64, revision: i64) -> Result<PostBody> {
    actor.require(Action::EditContent)?;
    let mut tx = db.begin().await?;
    let kept: Option<(String, String)> = with_tx!(&mut tx, c => {
        sqlx::query_as("SELECT title, content FROM post_revisions WHERE id = $1 AND post_id = $2")
            .bind(revision)
            .bind(post_id)
            .fetch_optional(&mut *c)
            .await?
    });
    let (title, content) = kept.ok_or_else(|| StoreError::not_found("revision", revision))?;
    let current = body_in(&mut tx, post_id).await?;
    let draft = PostDraft { title, content, ..current.draft() }.validated()?;
    let after = save_in(&mut tx, actor, post_id, version, &draft, How::Restore(revision)).await?;
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
