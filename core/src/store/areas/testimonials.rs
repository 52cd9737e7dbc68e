//! Testimonials as a record screen (docs/domain.md §7): all of them by status,
//! the featured first in display order, then the others in theirs; editing the
//! text, author, rating (BR-10) and linked case study; the featured order (`J`/`K`).
//! Moderation and featuring are `content::moderate_testimonial` and
//! `content::set_featured` (the featured limit is counted in their transaction).
//!
//! Every write needs `ModerateContent` (admins and staff), is versioned and audited.
//!
//! A simple area: the screen reaches it through `Request::Area` ("list", "save"
//! with the form's fields, "feature" with `featured`, "reorder" with `up`).
//! Approving and rejecting go through the moderation queue (`ModerationRequest::Decide`),
//! shared with the moderation screen.

use super::{AreaDecl, Args, Call, FieldValue, Outcome};
use crate::domain::permissions::Action;
use crate::store::audit::{self, Change};
use crate::store::page::{self, Page};
use crate::store::records::Record;
use crate::store::{Actor, Db, Result, StoreError, Tx, content, now};
use crate::with_tx;
use chrono::{DateTime, Utc};
use serde_json::json;

pub static AREA: AreaDecl = AreaDecl {
    columns: LIST_COLUMNS,
    name: "testimonials",
    // Everyone who sees content reads them; admins and staff edit, feature and
    // order them.
    gate: &[
        ("list", Action::ViewContent),
        ("save", Action::ModerateContent),
        ("feature", Action::ModerateContent),
        ("reorder", Action::ModerateContent),
    ],
    handle: |call| Box::pin(handle(call)),
    samples: |db, n| Box::pin(samples(db, n)),
};

/// The form's field keys, shared with the screen's declaration; and the
/// arguments of `feature` and `reorder`.
pub mod field {
    pub const AUTHOR: &str = "author";
    pub const ROLE: &str = "role";
    pub const TEXT: &str = "text";
    pub const RATING: &str = "rating";
    pub const TYPE: &str = "type";
    pub const CASE_STUDY: &str = "case study";
    /// Shown as `yes`/`no`; `feature`'s flag.
    pub const FEATURED: &str = "featured";
    /// `reorder`: a step up (else down).
    pub const UP: &str = "up";
}

async fn handle(call: Call<'_>) -> Result<Outcome> {
    let Call { db, actor, op, args, rules, .. } = call;
    match op {
        "list" => {
            let after = args.after_order();
            let counts = if after.is_none() { Some(counts(db).await?) } else { None };
            let page = page(db, args.tab, args.search.as_deref(), after, args.limit).await?;
            Ok(Outcome::Page(super::ordered_page(counts, page, record)))
        }
        "save" => {
            let (id, version) = args.record()?;
            let fields = TestimonialFields {
                author_name: args.field(field::AUTHOR).to_string(),
                author_role: Some(args.field(field::ROLE).to_string()),
                content: args.field(field::TEXT).to_string(),
                rating: args.number(field::RATING, "must be a whole number")?,
                testimonial_type: args.field(field::TYPE).to_string(),
                case_study: args.field(field::CASE_STUDY).to_string(),
            };
            let t = update(db, actor, id, version, fields).await?;
            Ok(Outcome::Saved(format!("the testimonial by {} is saved", t.author_name)))
        }
        "feature" => {
            let (id, version) = args.record()?;
            let featured = args.flag(field::FEATURED);
            let t = content::set_featured(db, actor, id, version, featured, rules.featured_testimonials_limit).await?;
            let what = if featured { "featured" } else { "no longer featured" };
            Ok(Outcome::Saved(format!("the testimonial by {} is {what}", t.author_name)))
        }
        "reorder" => {
            let (id, version) = args.record()?;
            let up = args.flag(field::UP);
            let t = reorder(db, actor, id, version, up).await?;
            Ok(Outcome::Saved(format!("the testimonial by {} moved {}", t.author_name, if up { "up" } else { "down" })))
        }
        other => Err(super::unknown(AREA.name, other)),
    }
}

fn stars(r: Option<i64>) -> String {
    r.map_or("—".into(), |r| {
        format!("{}{}", "★".repeat(r.clamp(0, 5) as usize), "☆".repeat((5 - r).clamp(0, 5) as usize))
    })
}

/// The list's columns: heading and width (0: takes the room left), one per cell
/// `record` makes, in its order.
pub const LIST_COLUMNS: crate::store::records::Columns =
    &[("★", 1), ("author", 18), ("rating", 5), ("text", 0), ("status", 8)];

/// A testimonial as the record screen shows it.
fn record(t: &Testimonial) -> Record {
    let opening: String = t.content.chars().take(80).collect::<String>().replace('\n', " ");
    let mut detail = vec![
        ("author".into(), t.author_name.clone()),
        ("role".into(), t.author_role.clone().unwrap_or_else(|| "—".into())),
        ("rating".into(), stars(t.rating)),
        ("type".into(), t.testimonial_type.clone()),
        ("case study".into(), t.case_study.clone().unwrap_or_else(|| "none linked".into())),
        ("status".into(), t.status.clone()),
    ];
    if let Some(r) = &t.rejection_reason {
        detail.push(("rejected because".into(), r.clone()));
    }
    detail.push(("text".into(), t.content.clone()));
    Record {
        id: t.id,
        version: t.version,
        status: t.status.clone(),
        cells: vec![
            if t.is_featured { "★".into() } else { String::new() },
            t.author_name.clone(),
            stars(t.rating),
            opening,
            t.status.clone(),
        ],
        detail,
        values: vec![
            (field::AUTHOR, t.author_name.clone()),
            (field::ROLE, t.author_role.clone().unwrap_or_default()),
            (field::TEXT, t.content.clone()),
            (field::RATING, t.rating.map_or(String::new(), |r| r.to_string())),
            (field::TYPE, t.testimonial_type.clone()),
            (field::CASE_STUDY, t.case_study.clone().unwrap_or_default()),
            (field::FEATURED, if t.is_featured { "yes".into() } else { "no".into() }),
        ],
    }
}

/// For the gate test: testimonials of its own, the last two approved and
/// featured (to unfeature, and to move up past its neighbour).
async fn samples(db: &Db, n: u32) -> Result<Vec<(&'static str, Args)>> {
    let mut made = Vec::new();
    for what in ["edit", "feature", "neighbour", "reorder"] {
        let t = content::create_testimonial(db, &Actor::cli(), &format!("Gate {what} {n}"), "Gate text", 5).await?;
        if what != "edit" {
            crate::with_db!(db, p => sqlx::query(
                "UPDATE testimonials SET status = 'approved', approved_at = $2, is_featured = $3 WHERE id = $1",
            )
            .bind(t.id)
            .bind(now())
            .bind(true)
            .execute(p)
            .await?
            .rows_affected());
        }
        made.push((t.id, t.version));
    }
    let form = vec![
        (field::AUTHOR, FieldValue::from("Gate Author")),
        (field::TEXT, FieldValue::from("Gate text, edited")),
        (field::RATING, FieldValue::Number(Some(4))),
        (field::TYPE, FieldValue::from("student")),
    ];
    let flag = |key, on| vec![(key, FieldValue::Flag(on))];
    Ok(vec![
        ("list", Args { limit: 10, ..Args::default() }),
        ("save", Args { record: Some(made[0]), fields: form, ..Args::default() }),
        // Unfeaturing: featuring could meet the limit after many samples.
        ("feature", Args { record: Some(made[1]), fields: flag(field::FEATURED, false), ..Args::default() }),
        ("reorder", Args { record: Some(made[3]), fields: flag(field::UP, true), ..Args::default() }),
    ])
}

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
        // Kept in its own order (display order, or the latest change first).
        sorts: &[],
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
