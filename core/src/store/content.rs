//! Posts (moderation flow, BR-02 slugs, BR-07 published_at), tags (BR-15 use_count)
//! and testimonials (BR-10 rating, featured limit).

use super::audit::{self, Change};
use super::{Actor, Db, Result, StoreError, Tx, now};
#[cfg(any(test, feature = "testing"))]
use crate::domain::metrics::read_time_minutes;
use crate::domain::permissions::Action;
#[cfg(any(test, feature = "testing"))]
use crate::domain::post::PostType;
use crate::domain::post::{PostMoveError, PostStatus, may_feature};
use crate::domain::slug;
use crate::with_tx;
use chrono::{DateTime, Utc};
use serde_json::json;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Post {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub content: String,
    pub post_type: String,
    pub status: String,
    pub read_time_minutes: i64,
    pub author_id: Option<i64>,
    pub rejection_reason: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

const POST_COLUMNS: &str = "id, slug, title, content, post_type, status, read_time_minutes, author_id, rejection_reason, published_at, version, updated_at";

/// Finds a free slug for `table` starting from `base` (BR-02: unique per entity type).
/// `table` is one of this crate's table names, never user input.
pub async fn free_slug(tx: &mut Tx, table: &'static str, base: &str) -> Result<String> {
    let sql = format!("SELECT COUNT(*) FROM {table} WHERE slug = $1");
    for attempt in 1..1000 {
        let candidate = slug::candidate(base, attempt);
        let taken: i64 = with_tx!(tx, c => sqlx::query_scalar(&sql).bind(&candidate).fetch_one(&mut *c).await?);
        if taken == 0 {
            return Ok(candidate);
        }
    }
    Err(StoreError::invalid("slug", format!("too many items are called {base}")))
}

#[cfg(any(test, feature = "testing"))] // only the tests call it
pub async fn create_post(db: &Db, actor: &Actor, title: &str, content: &str, post_type: PostType) -> Result<Post> {
    actor.require(Action::EditContent)?;
    let Some(author_id) = actor.user_id else {
        return Err(StoreError::refused("a post needs an author: log in as a user to write one"));
    };
    let title = &crate::domain::contact::clean(title);
    let content = &crate::domain::contact::storable(content);
    if title.is_empty() {
        return Err(StoreError::invalid("title", "is needed"));
    }
    let at = now();
    let mut tx = db.begin().await?;
    let slug = free_slug(&mut tx, "posts", &slug::slugify(title)).await?;
    let sql = format!(
        "INSERT INTO posts (slug, title, content, post_type, status, read_time_minutes, author_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $7) RETURNING {POST_COLUMNS}"
    );
    let post: Post = with_tx!(&mut tx, c => {
        sqlx::query_as(&sql)
            .bind(&slug)
            .bind(title)
            .bind(content)
            .bind(post_type.as_str())
            .bind(read_time_minutes(content))
            .bind(author_id)
            .bind(at)
            .fetch_one(&mut *c)
            .await?
    });
    let change = Change::new("create", "post", Some(post.id), format!("created post {}", post.title))
        .with_new(json!({"id": post.id, "slug": post.slug, "title": post.title, "status": post.status}));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(post)
}

#[cfg(any(test, feature = "testing"))] // only the tests call it
pub async fn get_post(db: &Db, id: i64) -> Result<Post> {
    let sql = format!("SELECT {POST_COLUMNS} FROM posts WHERE id = $1");
    crate::with_db!(db, p => sqlx::query_as::<_, Post>(&sql).bind(id).fetch_optional(p).await?)
        .ok_or_else(|| StoreError::not_found("post", id))
}

/// Moves a post through moderation. Approving, rejecting and publishing need the
/// moderation right; publishing sets `published_at` (BR-07).
pub async fn move_post(
    db: &Db,
    actor: &Actor,
    id: i64,
    version: i64,
    to: PostStatus,
    reason: Option<&str>,
) -> Result<Post> {
    actor.require(Action::EditContent)?;
    if matches!(to, PostStatus::Approved | PostStatus::Rejected | PostStatus::Published) {
        actor.require(Action::ModerateContent)?;
    }
    let mut tx = db.begin().await?;
    let sql = format!("SELECT {POST_COLUMNS} FROM posts WHERE id = $1");
    let before: Post = with_tx!(&mut tx, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await?)
        .ok_or_else(|| StoreError::not_found("post", id))?;
    if before.version != version {
        return Err(audit::conflict(&mut tx, "this post", "post", id).await);
    }
    let from = PostStatus::parse(&before.status).unwrap_or(PostStatus::Draft);
    from.check_move(to, actor.roles.can(Action::PublishDirectly), reason).map_err(|e| match e {
        PostMoveError::Refused(r) => StoreError::refused(r.to_string()),
        PostMoveError::ReasonRequired => StoreError::invalid("rejection reason", e.to_string()),
    })?;
    let at = now();
    let published_at = if to == PostStatus::Published { Some(at) } else { before.published_at };
    let rejection = (to == PostStatus::Rejected).then(|| reason.unwrap_or("").trim().to_string());
    let reviewed = matches!(to, PostStatus::Approved | PostStatus::Rejected);
    let sql = format!(
        "UPDATE posts SET status = $3, published_at = $4, rejection_reason = $5, \
         rejected_at = CASE WHEN $6 THEN $7 ELSE rejected_at END, \
         reviewed_by = CASE WHEN $8 THEN $9 ELSE reviewed_by END, \
         version = version + 1, updated_at = $7 WHERE id = $1 AND version = $2 RETURNING {POST_COLUMNS}"
    );
    let after: Option<Post> = with_tx!(&mut tx, c => {
        sqlx::query_as(&sql)
            .bind(id)
            .bind(version)
            .bind(to.as_str())
            .bind(published_at)
            .bind(&rejection)
            .bind(rejection.is_some())
            .bind(at)
            .bind(reviewed)
            .bind(actor.user_id)
            .fetch_optional(&mut *c)
            .await?
    });
    let Some(after) = after else {
        return Err(audit::conflict(&mut tx, "this post", "post", id).await);
    };
    let action = match to {
        PostStatus::Approved => "approve",
        PostStatus::Rejected => "reject",
        PostStatus::Published => "publish",
        _ => "status_change",
    };
    let direct =
        if from == PostStatus::Draft && to == PostStatus::Published { " directly, skipping review" } else { "" };
    let change = Change::new(action, "post", Some(id), format!("moved post {} from {from} to {to}{direct}", after.title)).diff(
        &json!({"id": id, "status": before.status, "published_at": before.published_at, "rejection_reason": before.rejection_reason}),
        &json!({"id": id, "status": after.status, "published_at": after.published_at, "rejection_reason": after.rejection_reason}),
    );
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// Creates the tag if needed; returns its id.
async fn tag_id(tx: &mut Tx, name: &str, at: DateTime<Utc>) -> Result<i64> {
    let slug = slug::slugify(name);
    let found: Option<i64> = with_tx!(tx, c => {
        sqlx::query_scalar("SELECT id FROM tags WHERE slug = $1").bind(&slug).fetch_optional(&mut *c).await?
    });
    if let Some(id) = found {
        return Ok(id);
    }
    Ok(with_tx!(tx, c => {
        sqlx::query_scalar(
            "INSERT INTO tags (name, slug, use_count, created_at, updated_at) VALUES ($1, $2, 0, $3, $3) RETURNING id",
        )
        .bind(name.trim())
        .bind(&slug)
        .bind(at)
        .fetch_one(&mut *c)
        .await?
    }))
}

#[cfg(any(test, feature = "testing"))] // only the tests call it
/// Replaces a post's tags. BR-15: every touched tag's use_count is recounted from the
/// junction tables in the same transaction, so it always equals the number of uses.
pub async fn set_post_tags(db: &Db, actor: &Actor, post_id: i64, names: &[&str]) -> Result<Vec<String>> {
    actor.require(Action::EditContent)?;
    let at = now();
    let mut tx = db.begin().await?;
    let (old_names, new_names) = replace_post_tags(&mut tx, post_id, names, at).await?;
    let change = Change::new("update", "post", Some(post_id), format!("set tags of post #{post_id}"))
        .diff(&json!({"id": post_id, "tags": old_names}), &json!({"id": post_id, "tags": new_names}));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(new_names)
}

/// A post's tag names, by name.
pub async fn post_tags_in(tx: &mut Tx, post_id: i64) -> Result<Vec<String>> {
    tags_in(tx, Tagged::Post, post_id).await
}

/// Inside a transaction: the post's tags become `names` (unknown ones are created),
/// and every touched tag is recounted (BR-15). Returns the names before and after.
pub async fn replace_post_tags<S: AsRef<str>>(
    tx: &mut Tx,
    post_id: i64,
    names: &[S],
    at: DateTime<Utc>,
) -> Result<(Vec<String>, Vec<String>)> {
    replace_tags(tx, Tagged::Post, post_id, names, at).await
}

/// What carries tags, and its junction table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tagged {
    Post,
    CaseStudy,
}

impl Tagged {
    /// (junction table, owner column): this crate's names, never user input.
    fn junction(self) -> (&'static str, &'static str) {
        match self {
            Tagged::Post => ("post_tags", "post_id"),
            Tagged::CaseStudy => ("case_study_tags", "case_study_id"),
        }
    }
}

/// A post's or case study's tag names, by name.
pub async fn tags_in(tx: &mut Tx, of: Tagged, id: i64) -> Result<Vec<String>> {
    let (table, owner) = of.junction();
    let sql =
        format!("SELECT t.name FROM {table} j JOIN tags t ON t.id = j.tag_id WHERE j.{owner} = $1 ORDER BY t.name");
    Ok(with_tx!(tx, c => sqlx::query_scalar(&sql).bind(id).fetch_all(&mut *c).await?))
}

/// Inside a transaction: the tags of `of` #`id` become `names` (unknown ones are
/// created), and every touched tag is recounted (BR-15). Returns the names before
/// and after.
pub async fn replace_tags<S: AsRef<str>>(
    tx: &mut Tx,
    of: Tagged,
    id: i64,
    names: &[S],
    at: DateTime<Utc>,
) -> Result<(Vec<String>, Vec<String>)> {
    let (table, owner) = of.junction();
    let sql = format!(
        "SELECT t.id, t.name FROM {table} j JOIN tags t ON t.id = j.tag_id WHERE j.{owner} = $1 ORDER BY t.name"
    );
    let old: Vec<(i64, String)> = with_tx!(tx, c => sqlx::query_as(&sql).bind(id).fetch_all(&mut *c).await?);
    let mut new_ids = Vec::new();
    for name in names.iter().map(|n| crate::domain::contact::clean(n.as_ref())).filter(|n| !n.is_empty()) {
        let tag = tag_id(tx, &name, at).await?;
        if !new_ids.contains(&tag) {
            new_ids.push(tag);
        }
    }
    let mut old_ids: Vec<i64> = old.iter().map(|(id, _)| *id).collect();
    old_ids.sort_unstable();
    let mut sorted_new = new_ids.clone();
    sorted_new.sort_unstable();
    let old_names: Vec<String> = old.into_iter().map(|(_, n)| n).collect();
    if old_ids == sorted_new {
        return Ok((old_names.clone(), old_names));
    }
    let delete = format!("DELETE FROM {table} WHERE {owner} = $1");
    with_tx!(tx, c => sqlx::query(&delete).bind(id).execute(&mut *c).await?.rows_affected());
    let insert = format!("INSERT INTO {table} ({owner}, tag_id, created_at) VALUES ($1, $2, $3)");
    for tag in &new_ids {
        with_tx!(tx, c => sqlx::query(&insert).bind(id).bind(tag).bind(at).execute(&mut *c).await?.rows_affected());
    }
    let mut touched: Vec<i64> = old_ids.into_iter().chain(new_ids).collect();
    touched.sort_unstable();
    touched.dedup();
    for tag in touched {
        recount_tag(tx, tag).await?;
    }
    let new_names = tags_in(tx, of, id).await?;
    Ok((old_names, new_names))
}

/// BR-15: use_count := uses in post_tags + case_study_tags.
pub async fn recount_tag(tx: &mut Tx, tag_id: i64) -> Result<()> {
    with_tx!(tx, c => {
        sqlx::query(
            "UPDATE tags SET use_count = (SELECT COUNT(*) FROM post_tags WHERE tag_id = $1) \
             + (SELECT COUNT(*) FROM case_study_tags WHERE tag_id = $1) WHERE id = $1",
        )
        .bind(tag_id)
        .execute(&mut *c)
        .await?.rows_affected()
    });
    Ok(())
}

#[cfg(any(test, feature = "testing"))] // only the tests call it
pub async fn tag_use_count(db: &Db, name: &str) -> Result<i64> {
    let slug = slug::slugify(name);
    Ok(crate::with_db!(db, p => {
        sqlx::query_scalar::<_, i64>("SELECT use_count FROM tags WHERE slug = $1").bind(&slug).fetch_optional(p).await?
    })
    .unwrap_or(0))
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Testimonial {
    pub id: i64,
    pub author_name: String,
    pub content: String,
    pub rating: i64,
    pub status: String,
    pub is_featured: bool,
    pub version: i64,
}

const TESTIMONIAL_COLUMNS: &str = "id, author_name, content, rating, status, is_featured, version";

/// Records a testimonial awaiting moderation. BR-10: rating 1..5.
pub async fn create_testimonial(
    db: &Db,
    actor: &Actor,
    author_name: &str,
    content: &str,
    rating: i64,
) -> Result<Testimonial> {
    actor.require(Action::EditContent)?;
    if !(1..=5).contains(&rating) {
        return Err(StoreError::invalid("rating", "must be between 1 and 5"));
    }
    // The testimonials screen's limits (its form checks the same).
    use super::areas::testimonials::{MAX_NAME_CHARS, MAX_TEXT_CHARS};
    let author_name = super::fields::required("author", author_name, MAX_NAME_CHARS)?;
    let content = super::fields::required("text", content, MAX_TEXT_CHARS)?;
    let at = now();
    let mut tx = db.begin().await?;
    let sql = format!(
        "INSERT INTO testimonials (author_name, content, rating, testimonial_type, status, created_at, updated_at) \
         VALUES ($1, $2, $3, 'student', 'pending', $4, $4) RETURNING {TESTIMONIAL_COLUMNS}"
    );
    let t: Testimonial = with_tx!(&mut tx, c => {
        sqlx::query_as(&sql).bind(&author_name).bind(&content).bind(rating).bind(at).fetch_one(&mut *c).await?
    });
    let change =
        Change::new("create", "testimonial", Some(t.id), format!("recorded a testimonial by {}", t.author_name))
            .with_new(json!({"id": t.id, "rating": t.rating, "status": t.status}));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(t)
}

/// Approves or rejects a pending testimonial.
pub async fn moderate_testimonial(
    db: &Db,
    actor: &Actor,
    id: i64,
    version: i64,
    approve: bool,
    reason: Option<&str>,
) -> Result<Testimonial> {
    actor.require(Action::ModerateContent)?;
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if !approve && reason.is_none() {
        return Err(StoreError::invalid("rejection reason", "rejecting a testimonial needs a reason"));
    }
    let at = now();
    let mut tx = db.begin().await?;
    let sql = format!(
        "UPDATE testimonials SET status = $3, rejection_reason = $4, approved_at = $5, approved_by = $6, \
         version = version + 1, updated_at = $7 WHERE id = $1 AND version = $2 AND status = 'pending' RETURNING {TESTIMONIAL_COLUMNS}"
    );
    let status = if approve { "approved" } else { "rejected" };
    let after: Option<Testimonial> = with_tx!(&mut tx, c => {
        sqlx::query_as(&sql)
            .bind(id)
            .bind(version)
            .bind(status)
            .bind(reason)
            .bind(approve.then_some(at))
            .bind(if approve { actor.user_id } else { None })
            .bind(at)
            .fetch_optional(&mut *c)
            .await?
    });
    let Some(after) = after else {
        return Err(audit::conflict(&mut tx, "this testimonial", "testimonial", id).await);
    };
    let change = Change::new(
        if approve { "approve" } else { "reject" },
        "testimonial",
        Some(id),
        format!("{status} the testimonial by {}", after.author_name),
    )
    .diff(&json!({"id": id, "status": "pending"}), &json!({"id": id, "status": status, "rejection_reason": reason}));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// Features or unfeatures an approved testimonial; at most `limit` are featured at
/// once (counted inside the same transaction).
/// A table whose rows can be featured, under a limit (BR-03).
pub(super) struct Featured {
    pub table: &'static str,
    pub flag: &'static str,
    /// The rows in words, plural ("case studies").
    pub plural: &'static str,
}

impl Featured {
    pub const TESTIMONIALS: Featured = Featured { table: "testimonials", flag: "is_featured", plural: "testimonials" };
    pub const CASE_STUDIES: Featured = Featured { table: "case_studies", flag: "featured", plural: "case studies" };
}

/// Refuses featuring row `id` when `limit` others are featured already (BR-03),
/// counted inside the transaction. Serialised on PostgreSQL: the no-op UPDATE
/// locks the featured rows, so two features at once cannot both pass the count.
pub(super) async fn room_to_feature(tx: &mut Tx, f: Featured, id: i64, limit: i64) -> Result<()> {
    let lock = format!("UPDATE {t} SET {c} = {c} WHERE {c} = $1", t = f.table, c = f.flag);
    let count = format!("SELECT COUNT(*) FROM {t} WHERE {c} = $1 AND id <> $2", t = f.table, c = f.flag);
    with_tx!(tx, c => sqlx::query(&lock).bind(true).execute(&mut *c).await?.rows_affected());
    let n: i64 = with_tx!(tx, c => sqlx::query_scalar(&count).bind(true).bind(id).fetch_one(&mut *c).await?);
    if !may_feature(n, limit) {
        return Err(StoreError::refused(format!(
            "{n} {} are already featured (the limit is {limit}); unfeature one first",
            f.plural
        )));
    }
    Ok(())
}

pub async fn set_featured(
    db: &Db,
    actor: &Actor,
    id: i64,
    version: i64,
    featured: bool,
    limit: i64,
) -> Result<Testimonial> {
    actor.require(Action::ModerateContent)?;
    let mut tx = db.begin().await?;
    if featured {
        let status: Option<String> = with_tx!(&mut tx, c => {
            sqlx::query_scalar("SELECT status FROM testimonials WHERE id = $1").bind(id).fetch_optional(&mut *c).await?
        });
        match status.as_deref() {
            None => return Err(StoreError::not_found("testimonial", id)),
            Some("approved") => {}
            Some(other) => {
                return Err(StoreError::refused(format!(
                    "only approved testimonials can be featured; this one is {other}"
                )));
            }
        }
        room_to_feature(&mut tx, Featured::TESTIMONIALS, id, limit).await?;
    }
    let sql = format!(
        "UPDATE testimonials SET is_featured = $3, version = version + 1, updated_at = $4 \
         WHERE id = $1 AND version = $2 RETURNING {TESTIMONIAL_COLUMNS}"
    );
    let after: Option<Testimonial> = with_tx!(&mut tx, c => {
        sqlx::query_as(&sql).bind(id).bind(version).bind(featured).bind(now()).fetch_optional(&mut *c).await?
    });
    let Some(after) = after else {
        return Err(audit::conflict(&mut tx, "this testimonial", "testimonial", id).await);
    };
    let change = Change::new(
        "update",
        "testimonial",
        Some(id),
        format!("{} the testimonial by {}", if featured { "featured" } else { "unfeatured" }, after.author_name),
    )
    .diff(&json!({"id": id, "is_featured": !featured}), &json!({"id": id, "is_featured": featured}));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}
