//! Internal projects (docs/domain.md §8, seed 003): the office's own work, by
//! status, the latest changed first, with their tasks' progress. Create and edit
//! (dates in order, a budget as money with its currency or none), status moves
//! (`ProjectStatus::check_move`). Everyone who sees content reads them; admins and
//! staff (`EditContent`) change them. Every write is guarded by the version the
//! user saw and audited as `project` in its transaction.

use super::{AreaDecl, Args, Call, FieldValue, Outcome};
use crate::domain::lifecycle::ProjectStatus;
use crate::domain::money::{self, Currency, format_minor};
use crate::domain::permissions::Action;
use crate::store::audit::{self, Change};
use crate::store::page::{self, Page};
use crate::store::records::{Record, RecordPage};
use crate::store::{Actor, Db, Result, StoreError, Tx, fields, now};
use crate::with_tx;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

pub static AREA: AreaDecl = AreaDecl {
    columns: LIST_COLUMNS,
    name: "projects",
    gate: &[("list", Action::ViewContent), ("save", Action::EditContent), ("move", Action::EditContent)],
    handle: |call| Box::pin(handle(call)),
    samples: |db, n| Box::pin(samples(db, n)),
};

/// The priorities (the schema's CHECK), lowest first.
pub const PRIORITIES: [&str; 4] = ["low", "medium", "high", "urgent"];

/// The form's field keys, shared with the screen's declaration.
pub mod field {
    pub const TITLE: &str = "title";
    pub const PRIORITY: &str = "priority";
    pub const START: &str = "start_date";
    pub const END: &str = "end_date";
    pub const BUDGET: &str = "budget";
    pub const CURRENCY: &str = "currency";
    pub const LOCATION: &str = "location";
    pub const DESCRIPTION: &str = "description";
    /// A status move's target.
    pub const TO: &str = "to";
}

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 5_000;
pub const MAX_LOCATION_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Project {
    pub id: i64,
    pub title: String,
    pub description: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: ProjectStatus,
    pub priority: String,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub budget_minor: Option<i64>,
    pub budget_currency: Option<String>,
    pub location: Option<String>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
    pub tasks: i64,
    pub tasks_done: i64,
}

const SELECT: &str = "SELECT p.id, p.title, p.description, p.status, p.priority, p.start_date, p.end_date, \
     p.budget_minor, p.budget_currency, p.location, p.version, p.updated_at, \
     (SELECT COUNT(*) FROM tasks t WHERE t.project_id = p.id) AS tasks, \
     (SELECT COUNT(*) FROM tasks t WHERE t.project_id = p.id AND t.status = 'done') AS tasks_done \
     FROM projects p";

async fn handle(call: Call<'_>) -> Result<Outcome> {
    let Call { db, actor, op, args, .. } = call;
    match op {
        "list" => list(db, &args).await.map(Outcome::Page),
        "save" => {
            let input = Input::read(&args)?;
            let saved = match args.record {
                Some((id, version)) => update(db, actor, id, version, input).await?,
                None => create(db, actor, input).await?,
            };
            Ok(Outcome::Saved(format!("project {} saved", saved.title)))
        }
        "move" => {
            let (id, version) = args.record()?;
            let to: ProjectStatus = args.parsed(field::TO, "a project status")?;
            let saved = set_status(db, actor, id, version, to).await?;
            Ok(Outcome::Saved(format!("{} is {}", saved.title, saved.status.as_str().replace('_', " "))))
        }
        other => Err(super::unknown(AREA.name, other)),
    }
}

/// One page of projects in a status (`None`: all) matching `search` (title,
/// location, description; case-insensitive substring), the latest changed first.
pub async fn page(
    db: &Db,
    status: Option<ProjectStatus>,
    search: Option<&str>,
    after: Option<(DateTime<Utc>, i64)>,
    limit: i64,
) -> Result<Page<Project, (DateTime<Utc>, i64)>> {
    page::list_page(db, &list_of(), status.map(|s| s.as_str()), search, &[], after, limit).await
}

/// The projects list: the latest changed first, or sorted by title, priority or end.
fn list_of() -> page::List<'static, Project, DateTime<Utc>> {
    use page::{SortColumn, SortKind};
    page::List {
        select: SELECT,
        key: "p.updated_at",
        descending: true,
        status: "p.status",
        searched: &["p.title", "COALESCE(p.location, '')", "COALESCE(p.description, '')"],
        id: "p.id",
        key_of: |p: &Project| (p.updated_at, p.id),
        sorts: &[
            SortColumn { heading: "title", expr: "lower(p.title)", kind: SortKind::Text },
            SortColumn { heading: "priority", expr: "COALESCE(p.priority, '')", kind: SortKind::Text },
            // A day as text sorts as days do; no end date sorts last going up.
            SortColumn {
                heading: "ends",
                expr: "COALESCE(CAST(p.end_date AS TEXT), '9999-12-31')",
                kind: SortKind::Text,
            },
        ],
    }
}

async fn list(db: &Db, args: &Args) -> Result<RecordPage> {
    let tab = args.tab::<ProjectStatus>()?;
    let statuses = ProjectStatus::ALL.iter().map(|s| s.as_str());
    if let Some(page) = super::sorted_record_page(db, "projects", statuses.clone(), &list_of(), args, record).await? {
        return Ok(page);
    }
    let after = args.after_time();
    let page = page(db, tab, args.search.as_deref(), after, args.limit).await?;
    let mut page = super::record_page(db, "projects", statuses, after.is_none(), page, record).await?;
    page.sortable = list_of().sorts.iter().map(|c| c.heading).collect();
    Ok(page)
}

#[cfg(any(test, feature = "testing"))] // only the tests call it
pub async fn get(db: &Db, id: i64) -> Result<Project> {
    let sql = format!("{SELECT} WHERE p.id = $1");
    crate::with_db!(db, p => sqlx::query_as::<_, Project>(&sql).bind(id).fetch_optional(p).await?)
        .ok_or_else(|| StoreError::not_found("project", id))
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<Project> {
    let sql = format!("{SELECT} WHERE p.id = $1");
    with_tx!(tx, c => sqlx::query_as::<_, Project>(&sql).bind(id).fetch_optional(&mut *c).await?)
        .ok_or_else(|| StoreError::not_found("project", id))
}

async fn fetch_for_write(tx: &mut Tx, id: i64, version: i64) -> Result<Project> {
    let before = get_in(tx, id).await?;
    if before.version != version {
        return Err(audit::conflict(tx, "this project", "project", id).await);
    }
    Ok(before)
}

/// A form's values, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub title: String,
    pub priority: &'static str,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// Minor units with their currency, or none.
    pub budget: Option<(i64, Currency)>,
    pub location: Option<String>,
    pub description: Option<String>,
}

impl Input {
    /// Checks every value, naming the field at fault.
    pub fn read(args: &Args) -> Result<Input> {
        let f = |k| args.field(k);
        let title = fields::required(field::TITLE, f(field::TITLE), MAX_TITLE_CHARS)?;
        let priority =
            PRIORITIES.iter().copied().find(|p| *p == f(field::PRIORITY)).ok_or_else(|| {
                StoreError::invalid(field::PRIORITY, format!("must be one of {}", PRIORITIES.join(", ")))
            })?;
        let (start_date, end_date) = (args.day(field::START)?, args.day(field::END)?);
        if let (Some(s), Some(e)) = (start_date, end_date)
            && e < s
        {
            return Err(StoreError::invalid(field::END, format!("is before the start ({s})")));
        }
        let budget = match args.number(field::BUDGET, "must be an amount")? {
            None => None,
            Some(minor) => {
                if !(0..=money::MAX_MINOR).contains(&minor) {
                    let most = format_minor(money::MAX_MINOR);
                    return Err(StoreError::invalid(field::BUDGET, format!("must be between 0 and {most}")));
                }
                let currency = match f(field::CURRENCY) {
                    "" => Currency::Egp,
                    c => c.parse().map_err(|_| StoreError::invalid(field::CURRENCY, "must be EGP or USD"))?,
                };
                Some((minor, currency))
            }
        };
        Ok(Input {
            title,
            priority,
            start_date,
            end_date,
            budget,
            location: fields::optional(field::LOCATION, Some(f(field::LOCATION)), MAX_LOCATION_CHARS)?,
            description: fields::optional(field::DESCRIPTION, Some(f(field::DESCRIPTION)), MAX_DESCRIPTION_CHARS)?,
        })
    }
}

fn audited(p: &Project) -> serde_json::Value {
    json!({"id": p.id, "title": p.title, "status": p.status, "priority": p.priority, "start_date": p.start_date,
        "end_date": p.end_date, "budget_minor": p.budget_minor, "budget_currency": p.budget_currency,
        "location": p.location, "description": p.description})
}

pub async fn create(db: &Db, actor: &Actor, input: Input) -> Result<Project> {
    actor.require(Action::EditContent)?;
    let mut tx = db.begin().await?;
    let at = now();
    let id: i64 = with_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "INSERT INTO projects (title, description, priority, start_date, end_date, budget_minor, \
             budget_currency, location, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        )
        .bind(&input.title)
        .bind(&input.description)
        .bind(input.priority)
        .bind(input.start_date)
        .bind(input.end_date)
        .bind(input.budget.map(|b| b.0))
        .bind(input.budget.map(|b| b.1.as_str()))
        .bind(&input.location)
        .bind(actor.user_id)
        .bind(at)
        .fetch_one(&mut *c)
        .await?
    });
    let after = get_in(&mut tx, id).await?;
    let summary = format!("created the project {}", after.title);
    audit::record(&mut tx, actor, Change::new("create", "project", Some(id), summary).with_new(audited(&after)))
        .await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn update(db: &Db, actor: &Actor, id: i64, version: i64, input: Input) -> Result<Project> {
    actor.require(Action::EditContent)?;
    let mut tx = db.begin().await?;
    let before = fetch_for_write(&mut tx, id, version).await?;
    let updated: Option<i64> = with_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "UPDATE projects SET title = $3, description = $4, priority = $5, start_date = $6, end_date = $7, \
             budget_minor = $8, budget_currency = $9, location = $10, version = version + 1, updated_at = $11 \
             WHERE id = $1 AND version = $2 RETURNING id",
        )
        .bind(id)
        .bind(version)
        .bind(&input.title)
        .bind(&input.description)
        .bind(input.priority)
        .bind(input.start_date)
        .bind(input.end_date)
        .bind(input.budget.map(|b| b.0))
        .bind(input.budget.map(|b| b.1.as_str()))
        .bind(&input.location)
        .bind(now())
        .fetch_optional(&mut *c)
        .await?
    });
    if updated.is_none() {
        return Err(audit::conflict(&mut tx, "this project", "project", id).await);
    }
    let after = get_in(&mut tx, id).await?;
    let summary = format!("edited the project {}", after.title);
    let change = Change::new("update", "project", Some(id), summary).diff(&audited(&before), &audited(&after));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// Moves the project (`ProjectStatus::check_move`; the refusal names the allowed
/// moves).
pub async fn set_status(db: &Db, actor: &Actor, id: i64, version: i64, to: ProjectStatus) -> Result<Project> {
    actor.require(Action::EditContent)?;
    let mut tx = db.begin().await?;
    let before = fetch_for_write(&mut tx, id, version).await?;
    before.status.check_move(to).map_err(|e| StoreError::refused(e.to_string()))?;
    super::super::versioned::set_status(&mut tx, "projects", ("this project", "project"), id, version, to.as_str())
        .await?;
    let after = get_in(&mut tx, id).await?;
    let summary = format!("moved the project {} from {} to {to}", before.title, before.status);
    let change = Change::new("status_change", "project", Some(id), summary).diff(&audited(&before), &audited(&after));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

fn budget(p: &Project) -> String {
    match (p.budget_minor, &p.budget_currency) {
        (Some(m), Some(c)) => format!("{c} {}", format_minor(m)),
        _ => "—".to_string(),
    }
}

/// The list's columns: heading and width (0: takes the room left), one per cell
/// `record` makes, in its order.
// The first column: ! urgent, + high priority.
pub const LIST_COLUMNS: crate::store::records::Columns =
    &[(" ", 1), ("title", 0), ("priority", 8), ("ends", 10), ("tasks", 5)];

fn record(p: &Project) -> Record {
    let day = |d: Option<NaiveDate>| d.map_or(String::new(), |d| d.format("%Y-%m-%d").to_string());
    let marker = match p.priority.as_str() {
        "urgent" => "!",
        "high" => "+",
        _ => " ",
    };
    let progress = format!("{}/{}", p.tasks_done, p.tasks);
    Record {
        id: p.id,
        version: p.version,
        status: p.status.to_string(),
        cells: vec![marker.into(), p.title.clone(), p.priority.clone(), day(p.end_date), progress.clone()],
        detail: vec![
            ("status".into(), p.status.as_str().replace('_', " ")),
            ("priority".into(), p.priority.clone()),
            ("dates".into(), format!("{} → {}", day(p.start_date), day(p.end_date))),
            ("budget".into(), budget(p)),
            ("tasks done".into(), format!("{} of {}", p.tasks_done, p.tasks)),
            ("location".into(), p.location.clone().unwrap_or_else(|| "—".into())),
            ("description".into(), p.description.clone().unwrap_or_default()),
        ],
        values: vec![
            (field::TITLE, p.title.clone()),
            (field::PRIORITY, p.priority.clone()),
            (field::START, day(p.start_date)),
            (field::END, day(p.end_date)),
            (field::BUDGET, p.budget_minor.map_or(String::new(), format_minor)),
            (field::CURRENCY, p.budget_currency.clone().unwrap_or_else(|| "EGP".into())),
            (field::LOCATION, p.location.clone().unwrap_or_default()),
            (field::DESCRIPTION, p.description.clone().unwrap_or_default()),
        ],
    }
}

/// A valid form for a project called `title`.
pub fn sample_fields(title: &str) -> Vec<(&'static str, FieldValue)> {
    let day = |d: u32| FieldValue::Date(NaiveDate::from_ymd_opt(2026, 12, d));
    vec![
        (field::TITLE, title.into()),
        (field::PRIORITY, "medium".into()),
        (field::START, day(1)),
        (field::END, day(31)),
        (field::BUDGET, FieldValue::Number(Some(150_000))),
        (field::CURRENCY, "EGP".into()),
    ]
}

async fn samples(db: &Db, n: u32) -> Result<Vec<(&'static str, Args)>> {
    let mut made = Vec::new();
    for what in ["edit", "move"] {
        let args = Args { fields: sample_fields(&format!("Gate project {what} {n}")), ..Args::default() };
        let p = create(db, &Actor::cli(), Input::read(&args)?).await?;
        made.push((p.id, p.version));
    }
    Ok(vec![
        ("list", Args { limit: 10, ..Args::default() }),
        (
            "save",
            Args { record: Some(made[0]), fields: sample_fields(&format!("Gate project {n}")), ..Args::default() },
        ),
        ("move", Args { record: Some(made[1]), fields: vec![(field::TO, "active".into())], ..Args::default() }),
    ])
}
