//! Case studies (docs/domain.md §7, seed 000 projects) as a record screen: the
//! list by status in display order, one case study with its tags, tech stack and
//! media; saving the fields (a new one, or an edit at its version), featuring,
//! reordering, adding media, and the status moves of `domain::case_study`.
//!
//! Rules: slugs unique among case studies (BR-02); tags created as needed and their
//! use counts kept (BR-15); the tech stack picked from `tech_stack`; a completed day
//! not before the start; a published one has exactly one thumbnail (BR-04, at most
//! one by a unique index) and `published_at` (BR-07). Writing needs `EditContent`;
//! every write is versioned and audited in its transaction.
//!
//! A simple area: its operations, as the screen reaches them through
//! `Request::Area`, are in `area.rs`; this file holds the queries and the writes.

mod area;

use crate::domain::case_study::{CaseStudyStatus, ClientType, MediaType, ProjectType, check_thumbnails};
use crate::domain::permissions::Action;
use crate::store::audit::{self, Change};
use crate::store::content::{self, Tagged};
use crate::store::page::{self, Page};
use crate::store::{Actor, Db, Result, StoreError, Tx, now};
use crate::with_tx;
pub use area::{AREA, LIST_COLUMNS, field};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

/// The longest title, and each long text, in characters.
pub const MAX_TITLE_CHARS: usize = 300;
pub const MAX_TEXT_CHARS: usize = 20_000;
pub const MAX_URL_CHARS: usize = crate::store::fields::MAX_URL_CHARS;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CaseStudyRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub problem: Option<String>,
    pub solution: Option<String>,
    pub role: Option<String>,
    pub results: Option<String>,
    pub lessons_learned: Option<String>,
    pub project_type: String,
    pub client_type: String,
    pub live_url: Option<String>,
    pub repo_url: Option<String>,
    pub featured: bool,
    pub status: String,
    pub display_order: i64,
    pub started_at: Option<NaiveDate>,
    pub completed_at: Option<NaiveDate>,
    pub published_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Media {
    pub id: i64,
    pub media_type: String,
    pub file_url: String,
    pub caption: Option<String>,
    pub alt_text: Option<String>,
    pub is_thumbnail: bool,
}

/// A case study with what hangs off it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseStudy {
    pub row: CaseStudyRow,
    pub tags: Vec<String>,
    pub tech: Vec<String>,
    pub media: Vec<Media>,
}

/// What the form saves.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CaseStudyFields {
    pub title: String,
    /// `None`: made from the title for a new one, kept for an edit (BR-02).
    pub slug: Option<String>,
    pub subtitle: Option<String>,
    pub problem: Option<String>,
    pub solution: Option<String>,
    pub role: Option<String>,
    pub results: Option<String>,
    pub lessons_learned: Option<String>,
    pub project_type: String,
    pub client_type: String,
    pub live_url: Option<String>,
    pub repo_url: Option<String>,
    pub started_at: Option<NaiveDate>,
    pub completed_at: Option<NaiveDate>,
    pub tags: Vec<String>,
    /// Names from the tech stack.
    pub tech: Vec<String>,
}

/// A picture or video to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMedia {
    pub media_type: String,
    pub file_url: String,
    pub caption: Option<String>,
    pub alt_text: Option<String>,
    /// It becomes the thumbnail; the one before is no longer (BR-04).
    pub thumbnail: bool,
}

const SELECT: &str = "SELECT id, slug, title, subtitle, problem, solution, role, results, lessons_learned, \
     project_type, client_type, live_url, repo_url, featured, status, display_order, started_at, completed_at, \
     published_at, version, updated_at FROM case_studies";

/// Keyset key: (display order, id).
pub type Key = (i64, i64);

pub async fn counts(db: &Db) -> Result<Vec<(String, i64)>> {
    page::tab_counts(db, "case_studies").await
}

/// A page of one status (or all) in display order, matching `search` in the title
/// or subtitle, each with its tags, stack and media.
pub async fn page(
    db: &Db,
    status: Option<&str>,
    search: Option<&str>,
    after: Option<Key>,
    limit: i64,
) -> Result<Page<CaseStudy, Key>> {
    let list = page::List {
        select: SELECT,
        key: "display_order",
        descending: false,
        status: "status",
        searched: &["title", "COALESCE(subtitle, '')"],
        id: "id",
        key_of: |r: &CaseStudyRow| (r.display_order, r.id),
        // Kept in its own order (display order, or the latest change first).
        sorts: &[],
    };
    let rows = page::list_page(db, &list, status, search, &[], after, limit).await?;
    // A page is at most a few hundred: each one's parts in its own small queries,
    // in one transaction so they agree.
    let mut tx = db.begin().await?;
    let mut full = Vec::with_capacity(rows.rows.len());
    for row in rows.rows {
        full.push(parts(&mut tx, row).await?);
    }
    tx.commit().await?;
    Ok(Page { rows: full, next: rows.next })
}

async fn parts(tx: &mut Tx, row: CaseStudyRow) -> Result<CaseStudy> {
    let id = row.id;
    let tags = content::tags_in(tx, Tagged::CaseStudy, id).await?;
    let tech: Vec<String> = with_tx!(tx, c => {
        sqlx::query_scalar(
            "SELECT t.name FROM case_study_tech j JOIN tech_stack t ON t.id = j.tech_stack_id WHERE j.case_study_id = $1 \
             ORDER BY t.name",
        )
        .bind(id)
        .fetch_all(&mut *c)
        .await?
    });
    let media: Vec<Media> = with_tx!(tx, c => {
        sqlx::query_as(
            "SELECT id, media_type, file_url, caption, alt_text, is_thumbnail FROM case_study_media \
             WHERE case_study_id = $1 ORDER BY display_order, id",
        )
        .bind(id)
        .fetch_all(&mut *c)
        .await?
    });
    Ok(CaseStudy { row, tags, tech, media })
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<CaseStudy> {
    let sql = format!("{SELECT} WHERE id = $1");
    let row: Option<CaseStudyRow> = with_tx!(tx, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await?);
    parts(tx, row.ok_or_else(|| StoreError::not_found("case study", id))?).await
}

#[cfg(any(test, feature = "testing"))] // only the tests call it
pub async fn get(db: &Db, id: i64) -> Result<CaseStudy> {
    let mut tx = db.begin().await?;
    let c = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(c)
}

impl CaseStudyFields {
    fn validated(&self) -> Result<CaseStudyFields> {
        let title = crate::store::fields::required("title", &self.title, MAX_TITLE_CHARS)?;
        let slug = self.slug.as_deref().map(crate::domain::contact::clean).filter(|s| !s.is_empty());
        if let Some(s) = &slug {
            crate::domain::slug::validate(s).map_err(|why| StoreError::invalid("slug", why))?;
        }
        if ProjectType::parse(&self.project_type).is_none() {
            return Err(StoreError::invalid("project_type", "is mvp, dashboard, landing, ui_upgrade or other"));
        }
        if ClientType::parse(&self.client_type).is_none() {
            return Err(StoreError::invalid("client_type", "is student, business, personal or internal"));
        }
        if let (Some(s), Some(c)) = (self.started_at, self.completed_at)
            && c < s
        {
            return Err(StoreError::invalid("completed_at", format!("{c} is before the start, {s}")));
        }
        let list = |names: &[String], field: &'static str| -> Result<Vec<String>> {
            let mut out: Vec<String> = Vec::new();
            for n in names.iter().map(|n| crate::domain::contact::clean(n)).filter(|n| !n.is_empty()) {
                if n.chars().count() > crate::store::posts::MAX_TAG_CHARS {
                    return Err(StoreError::invalid(
                        field,
                        format!("a name is at most {} characters", crate::store::posts::MAX_TAG_CHARS),
                    ));
                }
                if !out.iter().any(|o| o.eq_ignore_ascii_case(&n)) {
                    out.push(n);
                }
            }
            if out.len() > crate::store::posts::MAX_TAGS {
                return Err(StoreError::invalid(field, format!("at most {} names", crate::store::posts::MAX_TAGS)));
            }
            Ok(out)
        };
        Ok(CaseStudyFields {
            title,
            slug,
            subtitle: crate::store::fields::optional("subtitle", self.subtitle.as_deref(), MAX_TITLE_CHARS)?,
            problem: crate::store::fields::optional("problem", self.problem.as_deref(), MAX_TEXT_CHARS)?,
            solution: crate::store::fields::optional("solution", self.solution.as_deref(), MAX_TEXT_CHARS)?,
            role: crate::store::fields::optional("role", self.role.as_deref(), MAX_TITLE_CHARS)?,
            results: crate::store::fields::optional("results", self.results.as_deref(), MAX_TEXT_CHARS)?,
            lessons_learned: crate::store::fields::optional(
                "lessons_learned",
                self.lessons_learned.as_deref(),
                MAX_TEXT_CHARS,
            )?,
            project_type: self.project_type.clone(),
            client_type: self.client_type.clone(),
            live_url: crate::store::fields::link("live_url", self.live_url.as_deref())?,
            repo_url: crate::store::fields::link("repo_url", self.repo_url.as_deref())?,
            started_at: self.started_at.map(|d| crate::store::fields::day("started_at", d)).transpose()?,
            completed_at: self.completed_at.map(|d| crate::store::fields::day("completed_at", d)).transpose()?,
            tags: list(&self.tags, "tags")?,
            tech: list(&self.tech, "tech")?,
        })
    }
}

/// What the audit row compares.
fn view(c: &CaseStudy) -> serde_json::Value {
    let r = &c.row;
    json!({"title": r.title, "slug": r.slug, "subtitle": r.subtitle, "problem": r.problem, "solution": r.solution,
           "role": r.role, "results": r.results, "lessons_learned": r.lessons_learned, "project_type": r.project_type,
           "client_type": r.client_type, "live_url": r.live_url, "repo_url": r.repo_url, "started_at": r.started_at,
           "completed_at": r.completed_at, "tags": c.tags, "tech": c.tech, "featured": r.featured,
           "display_order": r.display_order, "status": r.status,
           "media": c.media.iter().map(|m| json!({"url": m.file_url, "thumbnail": m.is_thumbnail})).collect::<Vec<_>>()})
}

/// The case study at `version`, locked for this write, or a conflict naming who
/// changed it.
async fn current(tx: &mut Tx, id: i64, version: i64) -> Result<CaseStudy> {
    let c = get_in(tx, id).await?;
    if c.row.version != version {
        return Err(audit::conflict(tx, "this case study", "case_study", id).await);
    }
    // Taking the new version first makes a second writer of the same version wait
    // (PostgreSQL) or fail (SQLite's single writer), then see the conflict.
    let bumped: Option<i64> = with_tx!(tx, c => {
        sqlx::query_scalar("UPDATE case_studies SET version = version + 1, updated_at = $3 WHERE id = $1 AND version = $2 RETURNING id")
            .bind(id)
            .bind(version)
            .bind(now())
            .fetch_optional(&mut *c)
            .await?
    });
    if bumped.is_none() {
        return Err(audit::conflict(tx, "this case study", "case_study", id).await);
    }
    Ok(c)
}

/// Saves the form: a new draft (`id: None`, last in the order) or an edit.
pub async fn save(db: &Db, actor: &Actor, id: Option<(i64, i64)>, fields: CaseStudyFields) -> Result<CaseStudy> {
    actor.require(Action::EditContent)?;
    let f = fields.validated()?;
    let mut tx = db.begin().await?;
    let at = now();
    let (id, before) = match id {
        Some((id, version)) => (id, Some(current(&mut tx, id, version).await?)),
        None => {
            let slug = match &f.slug {
                Some(s) => s.clone(),
                None => content::free_slug(&mut tx, "case_studies", &crate::domain::slug::slugify(&f.title)).await?,
            };
            let id: i64 = with_tx!(&mut tx, c => {
                sqlx::query_scalar(
                    "INSERT INTO case_studies (slug, title, status, display_order, created_by, created_at, updated_at) \
                     VALUES ($1, $2, 'draft', (SELECT COALESCE(MAX(display_order), 0) + 1 FROM case_studies), $3, $4, $4) \
                     RETURNING id",
                )
                .bind(&slug)
                .bind(&f.title)
                .bind(actor.user_id)
                .bind(at)
                .fetch_one(&mut *c)
                .await?
            });
            (id, None)
        }
    };
    let slug = f.slug.clone().or_else(|| before.as_ref().map(|b| b.row.slug.clone()));
    if let Some(s) = &slug {
        let taken: Option<String> = with_tx!(&mut tx, c => {
            sqlx::query_scalar("SELECT title FROM case_studies WHERE slug = $1 AND id <> $2").bind(s).bind(id).fetch_optional(&mut *c).await?
        });
        if let Some(title) = taken {
            return Err(StoreError::invalid("slug", format!("\"{s}\" is taken by the case study \"{title}\"")));
        }
    }
    let tech = tech_ids(&mut tx, &f.tech).await?;
    with_tx!(&mut tx, c => {
        sqlx::query(
            "UPDATE case_studies SET title = $2, slug = COALESCE($3, slug), subtitle = $4, problem = $5, solution = $6, \
             role = $7, results = $8, lessons_learned = $9, project_type = $10, client_type = $11, live_url = $12, \
             repo_url = $13, started_at = $14, completed_at = $15, updated_at = $16 WHERE id = $1",
        )
        .bind(id)
        .bind(&f.title)
        .bind(&slug)
        .bind(&f.subtitle)
        .bind(&f.problem)
        .bind(&f.solution)
        .bind(&f.role)
        .bind(&f.results)
        .bind(&f.lessons_learned)
        .bind(&f.project_type)
        .bind(&f.client_type)
        .bind(&f.live_url)
        .bind(&f.repo_url)
        .bind(f.started_at)
        .bind(f.completed_at)
        .bind(at)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    content::replace_tags(&mut tx, Tagged::CaseStudy, id, &f.tags, at).await?;
    with_tx!(&mut tx, c => sqlx::query("DELETE FROM case_study_tech WHERE case_study_id = $1").bind(id).execute(&mut *c).await?.rows_affected());
    for t in tech {
        with_tx!(&mut tx, c => {
            sqlx::query("INSERT INTO case_study_tech (case_study_id, tech_stack_id, created_at) VALUES ($1, $2, $3)")
                .bind(id).bind(t).bind(at).execute(&mut *c).await?.rows_affected()
        });
    }
    let after = get_in(&mut tx, id).await?;
    let change = match &before {
        Some(b) => Change::new("update", "case_study", Some(id), format!("edited case study {}", after.row.title))
            .diff(&view(b), &view(&after)),
        None => Change::new("create", "case_study", Some(id), format!("created case study {}", after.row.title))
            .with_new(view(&after)),
    };
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// The stack's ids for these names, or a refusal naming the ones there are.
async fn tech_ids(tx: &mut Tx, names: &[String]) -> Result<Vec<i64>> {
    let known: Vec<(i64, String)> = with_tx!(tx, c => {
        sqlx::query_as("SELECT id, name FROM tech_stack ORDER BY name LIMIT 500").fetch_all(&mut *c).await?
    });
    names
        .iter()
        .map(|n| {
            known.iter().find(|(_, k)| k.eq_ignore_ascii_case(n)).map(|(id, _)| *id).ok_or_else(|| {
                let all: Vec<&str> = known.iter().map(|(_, k)| k.as_str()).collect();
                StoreError::invalid("tech", format!("\"{n}\" is not in the tech stack; it has: {}", all.join(", ")))
            })
        })
        .collect()
}

/// A status move (`domain::case_study`); publishing checks BR-04 and sets
/// `published_at` (BR-07) the first time.
pub async fn move_to(db: &Db, actor: &Actor, id: i64, version: i64, to: CaseStudyStatus) -> Result<CaseStudy> {
    actor.require(Action::EditContent)?;
    let mut tx = db.begin().await?;
    let before = current(&mut tx, id, version).await?;
    let from = CaseStudyStatus::parse(&before.row.status).unwrap_or(CaseStudyStatus::Draft);
    from.check_move(to).map_err(StoreError::refused)?;
    if to == CaseStudyStatus::Published {
        check_thumbnails(before.media.iter().filter(|m| m.is_thumbnail).count() as i64).map_err(StoreError::refused)?;
    }
    let at = now();
    with_tx!(&mut tx, c => {
        sqlx::query("UPDATE case_studies SET status = $2, published_at = CASE WHEN $2 = 'published' THEN COALESCE(published_at, $3) ELSE published_at END WHERE id = $1")
            .bind(id)
            .bind(to.as_str())
            .bind(at)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    let action = match to {
        CaseStudyStatus::Published => "publish",
        CaseStudyStatus::Archived => "archive",
        CaseStudyStatus::Draft => "status_change",
    };
    let change = Change::new(
        action,
        "case_study",
        Some(id),
        format!("moved case study {} from {from} to {to}", before.row.title),
    )
    .diff(&json!({"status": from.as_str()}), &json!({"status": to.as_str()}));
    recorded(tx, actor, id, change).await
}

/// Features or unfeatures one. At most `limit` are featured at once
/// (`rules.featured_case_studies_limit`), counted inside the transaction with the
/// featured rows locked, so two features at once cannot both pass the count.
pub async fn set_featured(
    db: &Db,
    actor: &Actor,
    id: i64,
    version: i64,
    featured: bool,
    limit: i64,
) -> Result<CaseStudy> {
    actor.require(Action::EditContent)?;
    let mut tx = db.begin().await?;
    if featured {
        content::room_to_feature(&mut tx, content::Featured::CASE_STUDIES, id, limit).await?;
    }
    let before = current(&mut tx, id, version).await?;
    with_tx!(&mut tx, c => {
        sqlx::query("UPDATE case_studies SET featured = $2 WHERE id = $1").bind(id).bind(featured).execute(&mut *c).await?.rows_affected()
    });
    let what = if featured { "featured" } else { "unfeatured" };
    let change = Change::new("update", "case_study", Some(id), format!("{what} case study {}", before.row.title))
        .diff(&json!({"featured": before.row.featured}), &json!({"featured": featured}));
    recorded(tx, actor, id, change).await
}

/// Moves one place up or down in the display order (all case studies renumbered
/// 1, 2, 3… with the two swapped, in one transaction). A move is relative to the
/// order as it is now and overwrites nothing, so it does not need the version the
/// list showed: `J` pressed twice quickly moves twice.
pub async fn reorder(db: &Db, actor: &Actor, id: i64, _version: i64, up: bool) -> Result<CaseStudy> {
    actor.require(Action::EditContent)?;
    let mut tx = db.begin().await?;
    // The place in the list is not the case study's content: no row gets a new
    // version or `updated_at` (an edit open meanwhile still saves). One reorder at a
    // time on PostgreSQL: the no-op UPDATE locks every row before the order is read.
    with_tx!(&mut tx, c => {
        sqlx::query("UPDATE case_studies SET display_order = display_order").execute(&mut *c).await?.rows_affected()
    });
    let before = get_in(&mut tx, id).await?;
    let mut order: Vec<(i64, i64)> = with_tx!(&mut tx, c => {
        sqlx::query_as("SELECT id, display_order FROM case_studies ORDER BY display_order, id").fetch_all(&mut *c).await?
    });
    let at_pos = order.iter().position(|(i, _)| *i == id).unwrap_or(0);
    let other = if up { at_pos.checked_sub(1) } else { Some(at_pos + 1).filter(|p| *p < order.len()) };
    let Some(other) = other else {
        return Err(StoreError::refused(format!("it is the {} case study already", if up { "first" } else { "last" })));
    };
    order.swap(at_pos, other);
    let mut mine = before.row.display_order;
    for (pos, (row, was)) in order.iter().enumerate() {
        let pos = pos as i64 + 1;
        if *row == id {
            mine = pos;
        }
        if *was != pos {
            with_tx!(&mut tx, c => {
                sqlx::query("UPDATE case_studies SET display_order = $2 WHERE id = $1").bind(*row).bind(pos).execute(&mut *c).await?.rows_affected()
            });
        }
    }
    let change = Change::new(
        "reorder",
        "case_study",
        Some(id),
        format!("moved case study {} {}", before.row.title, if up { "up" } else { "down" }),
    )
    .diff(&json!({"display_order": before.row.display_order}), &json!({"display_order": mine}));
    recorded(tx, actor, id, change).await
}

/// Ends a write whose audit line is known before the case study is read again:
/// records it and answers the case study as now stored, in the write's
/// transaction, so the answer and the audit row commit with the change.
async fn recorded(mut tx: Tx, actor: &Actor, id: i64, change: Change) -> Result<CaseStudy> {
    audit::record(&mut tx, actor, change).await?;
    let after = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(after)
}

/// Adds a picture or video, last; as the thumbnail it replaces the one before (so
/// there is never more than one, BR-04).
pub async fn add_media(db: &Db, actor: &Actor, id: i64, version: i64, media: NewMedia) -> Result<CaseStudy> {
    actor.require(Action::EditContent)?;
    let url = crate::store::fields::link("file_url", Some(media.file_url.as_str()))?
        .ok_or_else(|| StoreError::invalid("file_url", "is needed"))?;
    if MediaType::parse(&media.media_type).is_none() {
        return Err(StoreError::invalid("media_type", "is image, video or gif"));
    }
    let caption = crate::store::fields::optional("caption", media.caption.as_deref(), MAX_TITLE_CHARS)?;
    let alt = crate::store::fields::optional("alt_text", media.alt_text.as_deref(), MAX_TITLE_CHARS)?;
    let mut tx = db.begin().await?;
    let before = current(&mut tx, id, version).await?;
    let at = now();
    if media.thumbnail {
        with_tx!(&mut tx, c => {
            sqlx::query("UPDATE case_study_media SET is_thumbnail = $2 WHERE case_study_id = $1").bind(id).bind(false).execute(&mut *c).await?.rows_affected()
        });
    }
    with_tx!(&mut tx, c => {
        sqlx::query(
            "INSERT INTO case_study_media (case_study_id, media_type, file_url, caption, alt_text, display_order, is_thumbnail, created_at) \
             VALUES ($1, $2, $3, $4, $5, (SELECT COALESCE(MAX(display_order), -1) + 1 FROM case_study_media WHERE case_study_id = $1), $6, $7)",
        )
        .bind(id)
        .bind(&media.media_type)
        .bind(&url)
        .bind(&caption)
        .bind(&alt)
        .bind(media.thumbnail)
        .bind(at)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    let after = get_in(&mut tx, id).await?;
    let what = if media.thumbnail { "a thumbnail" } else { "media" };
    let change =
        Change::new("update", "case_study", Some(id), format!("added {what} to case study {}", after.row.title))
            .diff(&view(&before), &view(&after));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

#[cfg(any(test, feature = "testing"))] // only the tests call it
/// The tech stack's names, for the form's hint.
pub async fn tech_names(db: &Db) -> Result<Vec<String>> {
    Ok(
        crate::with_db!(db, p => sqlx::query_scalar("SELECT name FROM tech_stack WHERE is_active = $1 ORDER BY name LIMIT 500").bind(true).fetch_all(p).await?),
    )
}
