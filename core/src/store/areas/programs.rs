//! Programs (docs/domain.md §3, the course templates cohorts run): the list by
//! status with counts and search, each with its content's size, and status moves
//! (`ProgramStatus::check_move`). **Publishing needs content** (seed 001): at least
//! one chapter, and every chapter at least one lesson; a refused publish names what
//! is missing. Everyone who sees content reads them; admins and staff
//! (`EditContent`) move them. Every move is guarded by the version the user saw and
//! audited as `program` in its transaction.

use super::{AreaDecl, Args, Call, Outcome};
use crate::domain::lifecycle::ProgramStatus;
use crate::domain::money::format_minor;
use crate::domain::permissions::Action;
use crate::store::audit::{self, Change};
use crate::store::page::{self, Page};
use crate::store::records::{Record, RecordPage};
use crate::store::{Actor, Db, Result, StoreError, Tx, now};
use crate::with_tx;
use chrono::{DateTime, Utc};
use serde_json::json;

pub static AREA: AreaDecl = AreaDecl {
    name: "programs",
    gate: &[("list", Action::ViewContent), ("move", Action::EditContent)],
    columns: LIST_COLUMNS,
    handle: |call| Box::pin(handle(call)),
    samples: |db, n| Box::pin(samples(db, n)),
};

/// The field keys, shared with the screen's declaration.
pub mod field {
    pub const TITLE: &str = "title";
    /// A status move's target.
    pub const TO: &str = "to";
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Program {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: Option<String>,
    pub category: Option<String>,
    pub level: String,
    pub duration_hours: Option<i64>,
    pub default_capacity: Option<i64>,
    pub price_minor: i64,
    pub price_currency: String,
    #[sqlx(try_from = "String")]
    pub status: ProgramStatus,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
    pub chapters: i64,
    pub lessons: i64,
    /// Chapters without a lesson (publishing waits for them).
    pub empty_chapters: i64,
}

const SELECT: &str = "SELECT p.id, p.slug, p.title, p.summary, p.category, p.level, p.duration_hours, \
     p.default_capacity, p.price_minor, p.price_currency, p.status, p.version, p.updated_at, \
     (SELECT COUNT(*) FROM chapters c WHERE c.program_id = p.id) AS chapters, \
     (SELECT COUNT(*) FROM lessons l JOIN chapters c ON c.id = l.chapter_id WHERE c.program_id = p.id) AS lessons, \
     (SELECT COUNT(*) FROM chapters c WHERE c.program_id = p.id \
        AND NOT EXISTS (SELECT 1 FROM lessons l WHERE l.chapter_id = c.id)) AS empty_chapters \
     FROM programs p";

async fn handle(call: Call<'_>) -> Result<Outcome> {
    let Call { db, actor, op, args, .. } = call;
    match op {
        "list" => list(db, &args).await.map(Outcome::Page),
        "move" => {
            let (id, version) = args.record()?;
            let to: ProgramStatus = args.parsed(field::TO, "a program status")?;
            let saved = set_status(db, actor, id, version, to).await?;
            Ok(Outcome::Saved(format!("{} is {}", saved.title, saved.status)))
        }
        other => Err(super::unknown(AREA.name, other)),
    }
}

/// One page of programs in a status (`None`: all) matching `search` (title, slug,
/// category), the latest changed first.
pub async fn page(
    db: &Db,
    status: Option<ProgramStatus>,
    search: Option<&str>,
    after: Option<(DateTime<Utc>, i64)>,
    limit: i64,
) -> Result<Page<Program, (DateTime<Utc>, i64)>> {
    page::list_page(db, &list_of(), status.map(|s| s.as_str()), search, &[], after, limit).await
}

/// The programs list: the latest changed first, or sorted by title, level or price.
fn list_of() -> page::List<'static, Program, DateTime<Utc>> {
    use page::{SortColumn, SortKind};
    page::List {
        select: SELECT,
        key: "p.updated_at",
        descending: true,
        status: "p.status",
        searched: &["p.title", "p.slug", "COALESCE(p.category, '')"],
        id: "p.id",
        key_of: |p: &Program| (p.updated_at, p.id),
        sorts: &[
            SortColumn { heading: "title", expr: "lower(p.title)", kind: SortKind::Text },
            SortColumn { heading: "level", expr: "p.level", kind: SortKind::Text },
            SortColumn { heading: "price", expr: "p.price_minor", kind: SortKind::Int },
        ],
    }
}

async fn list(db: &Db, args: &Args) -> Result<RecordPage> {
    let tab = args.tab::<ProgramStatus>()?;
    let statuses = ProgramStatus::ALL.iter().map(|s| s.as_str());
    let list = list_of();
    if let Some(page) = super::sorted_record_page(db, "programs", statuses.clone(), &list, args, record).await? {
        return Ok(page);
    }
    let after = args.after_time();
    let page = page(db, tab, args.search.as_deref(), after, args.limit).await?;
    let mut page = super::record_page(db, "programs", statuses, after.is_none(), page, record).await?;
    page.sortable = list.sorts.iter().map(|c| c.heading).collect();
    Ok(page)
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<Program> {
    let sql = format!("{SELECT} WHERE p.id = $1");
    with_tx!(tx, c => sqlx::query_as::<_, Program>(&sql).bind(id).fetch_optional(&mut *c).await?)
        .ok_or_else(|| StoreError::not_found("program", id))
}

/// Why a program cannot be published yet, naming what is missing; `None` when its
/// content allows it (at least one chapter, each with a lesson).
async fn missing_content(tx: &mut Tx, p: &Program) -> Result<Option<String>> {
    if p.chapters == 0 {
        return Ok(Some(format!("{} has no chapter yet: publishing needs at least one, each with a lesson", p.title)));
    }
    if p.empty_chapters == 0 {
        return Ok(None);
    }
    let empty: Vec<String> = with_tx!(tx, c => {
        sqlx::query_scalar(
            "SELECT c.title FROM chapters c WHERE c.program_id = $1 \
             AND NOT EXISTS (SELECT 1 FROM lessons l WHERE l.chapter_id = c.id) ORDER BY c.position, c.id LIMIT 5",
        )
        .bind(p.id)
        .fetch_all(&mut *c)
        .await?
    });
    let named: Vec<String> = empty.iter().map(|t| format!("\"{t}\"")).collect();
    let more = if p.empty_chapters > 5 { format!(" and {} more", p.empty_chapters - 5) } else { String::new() };
    Ok(Some(format!(
        "every chapter needs a lesson before {} is published: {}{more} {} none",
        p.title,
        named.join(", "),
        if p.empty_chapters == 1 { "has" } else { "have" }
    )))
}

/// Moves the program (`ProgramStatus::check_move`; to published only with its
/// content, checked in the same transaction as the move).
pub async fn set_status(db: &Db, actor: &Actor, id: i64, version: i64, to: ProgramStatus) -> Result<Program> {
    actor.require(Action::EditContent)?;
    let mut tx = db.begin().await?;
    let before = get_in(&mut tx, id).await?;
    if before.version != version {
        return Err(audit::conflict(&mut tx, "this program", "program", id).await);
    }
    before.status.check_move(to).map_err(|e| StoreError::refused(e.to_string()))?;
    if to == ProgramStatus::Published
        && let Some(why) = missing_content(&mut tx, &before).await?
    {
        return Err(StoreError::refused(why));
    }
    super::super::versioned::set_status(&mut tx, "programs", ("this program", "program"), id, version, to.as_str())
        .await?;
    let after = get_in(&mut tx, id).await?;
    let summary = format!("moved the program {} from {} to {to}", before.title, before.status);
    let change = Change::new("status_change", "program", Some(id), summary)
        .diff(&json!({"id": id, "status": before.status}), &json!({"id": id, "status": after.status}));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// The list's columns: heading and width (0: takes the room left), one per cell
/// `record` makes, in its order. The record screen titles the detail with the
/// second cell, so the title comes second.
// The first column: ● published, x archived.
pub const LIST_COLUMNS: crate::store::records::Columns =
    &[(" ", 1), ("title", 0), ("level", 12), ("content", 9), ("price", 12)];

fn record(p: &Program) -> Record {
    let price = if p.price_minor == 0 {
        "free".to_string()
    } else {
        format!("{} {}", p.price_currency, format_minor(p.price_minor))
    };
    let content = format!("{}ch {}le", p.chapters, p.lessons);
    let marker = match p.status {
        ProgramStatus::Published => "●",
        ProgramStatus::Archived => "x",
        ProgramStatus::Draft => " ",
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let ready = match (p.chapters, p.empty_chapters) {
        (0, _) => "no chapters yet: cannot be published".to_string(),
        (_, 0) => "every chapter has lessons".to_string(),
        (_, n) => format!("{n} chapter(s) without a lesson: cannot be published"),
    };
    Record {
        id: p.id,
        version: p.version,
        status: p.status.as_str().to_string(),
        cells: vec![marker.into(), p.title.clone(), p.level.clone(), content, price.clone()],
        detail: vec![
            ("slug".into(), p.slug.clone()),
            ("status".into(), p.status.as_str().to_string()),
            ("level".into(), p.level.clone()),
            ("category".into(), opt(&p.category)),
            ("hours".into(), p.duration_hours.map_or("—".into(), |h| h.to_string())),
            ("capacity".into(), p.default_capacity.map_or("—".into(), |c| c.to_string())),
            ("price".into(), price),
            ("content".into(), format!("{} chapters, {} lessons; {ready}", p.chapters, p.lessons)),
            ("summary".into(), opt(&p.summary)),
        ],
        values: vec![(field::TITLE, p.title.clone())],
    }
}

/// A program with `chapters` chapters of `lessons` lessons each, as the system (for
/// the tests and the gate's samples).
pub async fn sample(db: &Db, title: &str, chapters: usize, lessons: usize) -> Result<Program> {
    let mut tx = db.begin().await?;
    let at = now();
    let slug: String = title.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    let id: i64 = with_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "INSERT INTO programs (slug, title, price_currency, created_at, updated_at) \
             VALUES ($1, $2, 'EGP', $3, $3) RETURNING id",
        )
        .bind(&slug)
        .bind(title)
        .bind(at)
        .fetch_one(&mut *c)
        .await?
    });
    for ch in 0..chapters {
        let chapter: i64 = with_tx!(&mut tx, c => {
            sqlx::query_scalar(
                "INSERT INTO chapters (program_id, title, position, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $4) RETURNING id",
            )
            .bind(id)
            .bind(format!("Chapter {}", ch + 1))
            .bind(ch as i64)
            .bind(at)
            .fetch_one(&mut *c)
            .await?
        });
        for le in 0..lessons {
            with_tx!(&mut tx, c => {
                sqlx::query(
                    "INSERT INTO lessons (chapter_id, title, position, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $4)",
                )
                .bind(chapter)
                .bind(format!("Lesson {}.{}", ch + 1, le + 1))
                .bind(le as i64)
                .bind(at)
                .execute(&mut *c)
                .await?
                .rows_affected()
            });
        }
    }
    let p = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(p)
}

async fn samples(db: &Db, n: u32) -> Result<Vec<(&'static str, Args)>> {
    let p = sample(db, &format!("Gate program {n}"), 1, 1).await?;
    Ok(vec![
        ("list", Args { limit: 10, ..Args::default() }),
        (
            "move",
            Args { record: Some((p.id, p.version)), fields: vec![(field::TO, "published".into())], ..Args::default() },
        ),
    ])
}
