//! Testimonials as a record screen (docs/domain.md §7): all of them by status,
//! the featured first in display order, then the others in theirs; editing the
//! text, author, rating (BR-10) and linked case study; the featured order (`J`/`K`).
//! Moderation and featuring are `content::moderate_testimonial` and
//! `content::set_featured` (the featured limit is counted in their transaction).
//!
//! Every write needs `ModerateContent` (admins and staff), is versioned and audited.

use super::audit::{self, Change};
use super::page::{self, Page};
use super::{Actor, Db, Result, StoreError, Tx, now};
use crate::domain::permissions::Action;
use crate::with_tx;
use chrono::{DateTime, Utc};
use serde_json::json;

/// The longest testimonial text and author fields, in characters.
pub const MAX_TEXT_CHARS: usize = 5_000;
pub const MAX_NAME_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Testimonial {
    pub id: i64,
    pub author_name: String,
    pub author_role: Option<String>,
    pub content: String,
    pub rating: Option<i64>,
    pub testimonial_type: String,
    pub case_study: Option<String>,
    pub is_featured: bool,
    pub status: String,
    pub rejection_reason: Option<String>,
    pub display_order: i64,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    /// The list's order: featured first by display order, then the rest.
    pub sort_key: i64,
}

/// What the edit form changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestimonialFields {
    pub author_name: String,
    pub author_role: Option<String>,
    pub content: String,
    pub rating: Option<i64>,
    pub testimonial_type: String,
    /// A case study's slug (empty: none linked).
    pub case_study: String,
}

/// Featured rows sort before every other: their key is their display order; the
/// others' is 2^40 plus theirs.
const SELECT: &str = "SELECT t.id, t.author_name, t.author_role, t.content, t.rating, t.testimonial_type, \
     cs.slug AS case_study, t.is_featured, t.status, t.rejection_reason, t.display_order, t.version, t.created_at, \
     (CASE WHEN t.is_featured THEN 0 ELSE 1099511627776 END + t.display_order) AS sort_key \
     FROM testimonials t LEFT JOIN case_studies cs ON cs.id = t.case_study_id";

/// Keyset key: (sort key, id).
pub type Key = (i64, i64);

pub async fn counts(db: &Db) -> Result<Vec<(String, i64)>> {
    page::tab_counts(db, "testimonials").await
}

/// A page of one status (or all), matching `search` in the author or the text.
pub async fn page(
    db: &Db,
    status: Option<&str>,
    search: Option<&str>,
    after: Option<Key>,
    limit: i64,
) -> Result<Page<Testimonial, Key>> {
    // Wrapped, so the computed `sort_key` can be compared and ordered by name.
    let select = format!("SELECT * FROM ({SELECT}) q");
    let list = page::List {
        select: &select,
        key: "sort_key",
        descending: false,
        status: "status",
        searched: &["author_name", "content"],
        id: "id",
        key_of: |t: &Testimonial| (t.sort_key, t.id),
    };
    page::list_page(db, &list, status, search, &[], after, limit).await
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<Testimonial> {
    let sql = format!("{SELECT} WHERE t.id = $1");
    let row: Option<Testimonial> = with_tx!(tx, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await?);
    row.ok_or_else(|| StoreError::not_found("testimonial", id))
}

impl TestimonialFields {
    fn validated(&self) -> Result<TestimonialFields> {
        let clean = crate::domain::contact::clean;
        let author_name = clean(&self.author_name);
        if author_name.is_empty() {
            return Err(StoreError::invalid("author", "is needed"));
        }
        if author_name.chars().count() > MAX_NAME_CHARS {
            return Err(StoreError::invalid("author", format!("is longer than {MAX_NAME_CHARS} characters")));
        }
        let content = clean(&self.content);
        if content.is_empty() {
            return Err(StoreError::invalid("text", "is needed"));
        }
        let n = content.chars().count();
        if n > MAX_TEXT_CHARS {
            return Err(StoreError::invalid("text", format!("is {n} characters; at most {MAX_TEXT_CHARS}")));
        }
        // BR-10: a rating is 1 to 5 stars.
        if let Some(r) = self.rating.filter(|r| !(1..=5).contains(r)) {
            return Err(StoreError::invalid("rating", format!("{r} is not 1 to 5 stars")));
        }
        if !["student", "client", "partner"].contains(&self.testimonial_type.as_str()) {
            return Err(StoreError::invalid("type", "is student, client or partner"));
        }
        let author_role = self.author_role.as_deref().map(clean).filter(|r| !r.is_empty());
        Ok(TestimonialFields { author_name, author_role, content, case_study: clean(&self.case_study), ..self.clone() })
    }
}

/// Saves the edit form; the case study is named by its slug.
pub async fn update(db: &Db, actor: &Actor, id: i64, version: i64, fields: TestimonialFields) -> Result<Testimonial> {
    actor.require(Action::ModerateContent)?;
    let f = fields.validated()?;
    let mut tx = db.begin().await?;
    let before = get_in(&mut tx, id).await?;
    if before.version != version {
        return Err(audit::conflict(&mut tx, "this testimonial", "testimonial", id).await);
    }
    let case_study: Option<i64> = if f.case_study.is_empty() {
        None
    } else {
        let found: Option<i64> = with_tx!(&mut tx, c => {
            sqlx::query_scalar("SELECT id FROM case_studies WHERE slug = $1").bind(&f.case_study).fetch_optional(&mut *c).await?
        });
        Some(found.ok_or_else(|| StoreError::invalid("case study", "no case study has this slug"))?)
    };
    with_tx!(&mut tx, c => {
        sqlx::query(
            "UPDATE testimonials SET author_name = $2, author_role = $3, content = $4, rating = $5, \
             testimonial_type = $6, case_study_id = $7, version = version + 1, updated_at = $8 WHERE id = $1",
        )
        .bind(id)
        .bind(&f.author_name)
        .bind(&f.author_role)
        .bind(&f.content)
        .bind(f.rating)
        .bind(&f.testimonial_type)
        .bind(case_study)
        .bind(now())
        .execute(&mut *c)
        .await?;
    });
    let after = get_in(&mut tx, id).await?;
    let view = |t: &Testimonial| {
        json!({"author_name": t.author_name, "author_role": t.author_role, "content": t.content, "rating": t.rating,
               "testimonial_type": t.testimonial_type, "case_study": t.case_study})
    };
    let change =
        Change::new("update", "testimonial", Some(id), format!("edited the testimonial by {}", after.author_name))
            .diff(&view(&before), &view(&after));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// Moves a featured testimonial one place up or down among the featured (its
/// display order swapped with its neighbour's, both audited in one transaction).
pub async fn reorder(db: &Db, actor: &Actor, id: i64, version: i64, up: bool) -> Result<Testimonial> {
    actor.require(Action::ModerateContent)?;
    let mut tx = db.begin().await?;
    let me = get_in(&mut tx, id).await?;
    if me.version != version {
        return Err(audit::conflict(&mut tx, "this testimonial", "testimonial", id).await);
    }
    if !me.is_featured {
        return Err(StoreError::refused("only featured testimonials have an order; f features this one first"));
    }
    // The featured in their order; equal orders (never reordered) go by id. The
    // list is renumbered 0, 1, 2… with the two swapped, so the order is total.
    let mut featured: Vec<(i64, i64)> = with_tx!(&mut tx, c => {
        sqlx::query_as("SELECT id, display_order FROM testimonials WHERE is_featured = $1 ORDER BY display_order, id")
            .bind(true)
            .fetch_all(&mut *c)
            .await?
    });
    let at_pos = featured.iter().position(|(i, _)| *i == id).unwrap_or(0);
    let other = if up { at_pos.checked_sub(1) } else { Some(at_pos + 1).filter(|p| *p < featured.len()) };
    let Some(other) = other else {
        return Err(StoreError::refused(format!(
            "it is the {} featured testimonial already",
            if up { "first" } else { "last" }
        )));
    };
    featured.swap(at_pos, other);
    let at = now();
    let mut mine = me.display_order;
    for (pos, (row, order)) in featured.iter().enumerate() {
        let pos = pos as i64;
        if row == &id {
            mine = pos;
        }
        if *order == pos && row != &id {
            continue;
        }
        with_tx!(&mut tx, c => {
            sqlx::query("UPDATE testimonials SET display_order = $2, version = version + 1, updated_at = $3 WHERE id = $1")
                .bind(*row)
                .bind(pos)
                .bind(at)
                .execute(&mut *c)
                .await?;
        });
    }
    let change = Change::new(
        "reorder",
        "testimonial",
        Some(id),
        format!("moved the testimonial by {} {} among the featured", me.author_name, if up { "up" } else { "down" }),
    )
    .diff(&json!({"display_order": me.display_order}), &json!({"display_order": mine}));
    audit::record(&mut tx, actor, change).await?;
    let after = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(after)
}
