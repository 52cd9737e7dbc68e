//! Service packages (docs/domain.md §2, seed 000): what the academy sells, each with
//! a price in EGP and in USD (integer minor units in `service_package_prices`), kept
//! in a display order that admins change one step at a time.
//!
//! Reading needs nothing (the screen checks `ViewLeads`: admin, staff, viewer); every
//! write needs `ManageSettings` (admin only: the catalogue and its prices are the
//! academy's offer), is guarded by the version the user saw, and is audited as
//! `service_package` in its own transaction. Packages are never deleted (BR-13):
//! they are deactivated.
//!
//! A simple area: the screen reaches it through `Request::Area` ("list", "save"
//! with the form's fields, "reorder" with `up`, "active" with `active`).

mod fields;
mod order;

#[cfg(any(test, feature = "testing"))]
pub use fields::price_from_text;
pub use fields::{PackageFields, field};
pub use order::{Direction, reorder};

use super::{AreaDecl, Args, Call, FieldValue, Outcome};
use crate::domain::money::{Currency, Money, format_minor};
use crate::domain::package::{PackageStatus, TargetAudience};
use crate::domain::permissions::Action;
use crate::domain::slug;
use crate::store::audit::{self, Change};
use crate::store::content::free_slug;
use crate::store::page::{self, Page};
use crate::store::records::{Record, RecordPage};
use crate::store::{Actor, Db, Result, StoreError, Tx, now};
use crate::{with_db, with_tx};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};
use sqlx::types::Json;

pub static AREA: AreaDecl = AreaDecl {
    columns: LIST_COLUMNS,
    name: "packages",
    // The price list: staff and viewers read it (as they read leads), admins
    // change it.
    gate: &[
        ("list", Action::ViewLeads),
        ("save", Action::ManageSettings),
        ("reorder", Action::ManageSettings),
        ("active", Action::ManageSettings),
    ],
    handle: |call| Box::pin(handle(call)),
    samples: |db, n| Box::pin(samples(db, n)),
};

/// The form keys that are not `PackageFields` names: each price and whether the
/// package is on offer; and the arguments of `reorder` and `active`.
pub mod arg {
    pub const EGP: &str = "egp";
    pub const USD: &str = "usd";
    /// The form's "on offer" choice (`yes`/`no`) and `active`'s flag.
    pub const ACTIVE: &str = "active";
    /// `reorder`: a step up (else down).
    pub const UP: &str = "up";
}

async fn handle(call: Call<'_>) -> Result<Outcome> {
    let Call { db, actor, op, args, .. } = call;
    match op {
        "list" => list(db, &args).await.map(Outcome::Page),
        "save" => {
            let fields = fields_of(&args)?;
            let saved = match args.record {
                Some((id, version)) => update(db, actor, id, version, fields).await?,
                None => create(db, actor, fields).await?,
            };
            Ok(Outcome::Saved(format!("package {} saved", saved.name)))
        }
        "reorder" => {
            let (id, version) = args.record()?;
            let up = args.flag(arg::UP);
            let saved = reorder(db, actor, id, version, if up { Direction::Up } else { Direction::Down }).await?;
            Ok(Outcome::Saved(format!("{} moved {}", saved.name, if up { "up" } else { "down" })))
        }
        "active" => {
            let (id, version) = args.record()?;
            let active = args.flag(arg::ACTIVE);
            let saved = set_active(db, actor, id, version, active).await?;
            Ok(Outcome::Saved(format!("{} is {}", saved.name, if active { "on offer" } else { "withdrawn" })))
        }
        other => Err(super::unknown(AREA.name, other)),
    }
}

async fn list(db: &Db, args: &Args) -> Result<RecordPage> {
    let after = args.after_order();
    let counts = match after {
        None => Some(counts(db).await?.into_iter().map(|(s, n)| (s.to_string(), n)).collect()),
        Some(_) => None,
    };
    let query = Query { status: args.tab::<PackageStatus>()?, search: args.search.clone() };
    let page = page(db, &query, after, args.limit).await?;
    Ok(super::ordered_page(counts, page, record))
}

/// The form's values as the package's fields (checked by `create`/`update`).
fn fields_of(args: &Args) -> Result<PackageFields> {
    // One item per line (blank lines dropped).
    let lines = |key| args.field(key).lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    let mut prices = Vec::new();
    for (key, currency) in [(arg::EGP, Currency::Egp), (arg::USD, Currency::Usd)] {
        if let Some(minor) = args.number(key, "must be an amount")? {
            prices.push(Money::new(currency, minor));
        }
    }
    let audience = args.field(field::AUDIENCE);
    Ok(PackageFields {
        name: args.field(field::NAME).to_string(),
        slug: args.field(field::SLUG).to_string(),
        description: Some(args.field(field::DESCRIPTION).to_string()).filter(|d| !d.is_empty()),
        features: lines(field::FEATURES),
        deliverables: lines(field::DELIVERABLES),
        target_audience: if audience.is_empty() {
            TargetAudience::Both
        } else {
            TargetAudience::parse(audience)
                .ok_or_else(|| StoreError::invalid(field::AUDIENCE, format!("'{audience}' is no audience")))?
        },
        duration_weeks: args.number(field::WEEKS, "must be a whole number")?,
        is_active: args.field(arg::ACTIVE) != "no",
        prices,
    })
}

fn price_text(p: &Package, c: Currency) -> String {
    p.price(c).map_or(String::new(), |m| format_minor(m.minor))
}

/// The list's columns: heading and width (0: takes the room left), one per cell
/// `record` makes, in its order.
pub const LIST_COLUMNS: crate::store::records::Columns =
    &[("#", 3), ("name", 0), ("EGP", 14), ("USD", 12), ("status", 8)];

/// A package as the record screen shows it.
fn record(p: &Package) -> Record {
    let (egp, usd) = (price_text(p, Currency::Egp), price_text(p, Currency::Usd));
    let weeks = p.duration_weeks.map_or(String::new(), |w| w.to_string());
    let list = |v: &[String]| v.iter().map(|s| format!("• {s}")).collect::<Vec<_>>().join("\n");
    Record {
        id: p.id,
        version: p.version,
        status: p.status().to_string(),
        cells: vec![
            p.display_order.to_string(),
            p.name.clone(),
            if egp.is_empty() { "—".into() } else { format!("EGP {egp}") },
            if usd.is_empty() { "—".into() } else { format!("USD {usd}") },
            if p.is_active { "active".into() } else { "inactive".into() },
        ],
        detail: vec![
            ("slug".into(), p.slug.clone()),
            ("for".into(), p.target_audience.to_string()),
            ("weeks".into(), if weeks.is_empty() { "—".into() } else { weeks.clone() }),
            ("description".into(), p.description.clone().unwrap_or_default()),
            ("features".into(), list(&p.features)),
            ("deliverables".into(), list(&p.deliverables)),
        ],
        values: vec![
            (field::NAME, p.name.clone()),
            (field::SLUG, p.slug.clone()),
            (field::DESCRIPTION, p.description.clone().unwrap_or_default()),
            (field::FEATURES, p.features.join("\n")),
            (field::DELIVERABLES, p.deliverables.join("\n")),
            (field::AUDIENCE, p.target_audience.to_string()),
            (field::WEEKS, weeks),
            (arg::EGP, egp),
            (arg::USD, usd),
            (arg::ACTIVE, if p.is_active { "yes".into() } else { "no".into() }),
        ],
    }
}

/// For the gate test: packages of its own to save over, move and withdraw.
async fn samples(db: &Db, n: u32) -> Result<Vec<(&'static str, Args)>> {
    let mut made = Vec::new();
    for what in ["edit", "reorder", "active"] {
        let fields = PackageFields { name: format!("Gate package {what} {n}"), ..PackageFields::default() };
        let p = create(db, &Actor::cli(), fields).await?;
        made.push((p.id, p.version));
    }
    let form = |name: String| {
        vec![
            (field::NAME, FieldValue::from(name)),
            (arg::EGP, FieldValue::Number(Some(125_050))),
            (arg::ACTIVE, FieldValue::from("yes")),
        ]
    };
    Ok(vec![
        ("list", Args { limit: 10, ..Args::default() }),
        ("save", Args { record: Some(made[0]), fields: form(format!("Gate package saved {n}")), ..Args::default() }),
        ("reorder", Args { record: Some(made[1]), fields: vec![(arg::UP, FieldValue::Flag(true))], ..Args::default() }),
        (
            "active",
            Args { record: Some(made[2]), fields: vec![(arg::ACTIVE, FieldValue::Flag(false))], ..Args::default() },
        ),
    ])
}

/// A service package with its prices.
#[derive(Debug, Clone, PartialEq)]
pub struct Package {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    pub features: Vec<String>,
    pub deliverables: Vec<String>,
    pub target_audience: TargetAudience,
    pub duration_weeks: Option<i64>,
    pub is_active: bool,
    pub display_order: i64,
    /// One per currency that has a price, in `Currency::ALL` order.
    pub prices: Vec<Money>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Package {
    pub fn price(&self, currency: Currency) -> Option<Money> {
        self.prices.iter().copied().find(|m| m.currency == currency)
    }

    pub fn status(&self) -> PackageStatus {
        PackageStatus::of(self.is_active)
    }

    #[cfg(any(test, feature = "testing"))] // only the tests call it
    /// The package's editable fields, to fill the edit form.
    pub fn fields(&self) -> PackageFields {
        PackageFields {
            name: self.name.clone(),
            slug: self.slug.clone(),
            description: self.description.clone(),
            features: self.features.clone(),
            deliverables: self.deliverables.clone(),
            target_audience: self.target_audience,
            duration_weeks: self.duration_weeks,
            is_active: self.is_active,
            prices: self.prices.clone(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    slug: String,
    name: String,
    description: Option<String>,
    features: Json<Vec<String>>,
    deliverables: Json<Vec<String>>,
    #[sqlx(try_from = "String")]
    target_audience: TargetAudience,
    duration_weeks: Option<i64>,
    is_active: bool,
    display_order: i64,
    version: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl Row {
    fn with_prices(self, prices: &[(i64, String, i64)]) -> Package {
        let mut own: Vec<Money> = prices
            .iter()
            .filter(|(id, _, _)| *id == self.id)
            .filter_map(|(_, c, minor)| Currency::parse(c).map(|c| Money::new(c, *minor)))
            .collect();
        own.sort();
        Package {
            id: self.id,
            slug: self.slug,
            name: self.name,
            description: self.description,
            features: self.features.0,
            deliverables: self.deliverables.0,
            target_audience: self.target_audience,
            duration_weeks: self.duration_weeks,
            is_active: self.is_active,
            display_order: self.display_order,
            prices: own,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

const COLUMNS: &str = "id, slug, name, description, features, deliverables, target_audience, duration_weeks, \
     is_active, display_order, version, created_at, updated_at";

/// What the list shows: one tab (`None`: all; active; inactive) and a search over
/// name, slug and description (case-insensitive substring; `%` and `_` are literal).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub status: Option<PackageStatus>,
    pub search: Option<String>,
}

/// Keyset key of the list order: display order, then id.
pub type Key = (i64, i64);

/// Package counts per `PackageStatus` (active, inactive; zero included) for the
/// tabs; the "all" tab is their sum.
pub async fn counts(db: &Db) -> Result<Vec<(PackageStatus, i64)>> {
    let rows: Vec<(bool, i64)> = with_db!(db, p => {
        sqlx::query_as("SELECT is_active, COUNT(*) FROM service_packages GROUP BY is_active").fetch_all(p).await?
    });
    Ok(PackageStatus::ALL
        .iter()
        .map(|s| (*s, rows.iter().find(|(active, _)| *active == s.is_active()).map_or(0, |r| r.1)))
        .collect())
}

/// One page of packages matching `query`, in display order then id. Pass the
/// previous page's `next` as `after`.
pub async fn page(db: &Db, query: &Query, after: Option<Key>, limit: i64) -> Result<Page<Package, Key>> {
    let limit = page::limit(limit);
    let pattern = query.search.as_deref().and_then(page::contains_pattern);
    let mut args = page::Args::default();
    let mut sql = format!("SELECT {COLUMNS} FROM service_packages WHERE 1 = 1");
    if query.status.is_some() {
        sql += &format!(" AND is_active = {}", args.arg());
    }
    if pattern.is_some() {
        sql += &page::any_like(&["name", "slug", "COALESCE(description, '')"], &args.arg());
    }
    if after.is_some() {
        sql += &format!(" AND (display_order, id) > ({}, {})", args.arg(), args.arg());
    }
    sql += &format!(" ORDER BY display_order, id LIMIT {}", args.arg());
    let rows: Vec<Row> = with_db!(db, p => {
        let mut q = sqlx::query_as::<_, Row>(&sql);
        if let Some(s) = query.status {
            q = q.bind(s.is_active());
        }
        if let Some(pattern) = &pattern {
            q = q.bind(pattern);
        }
        if let Some((order, id)) = after {
            q = q.bind(order).bind(id);
        }
        q.bind(limit + 1).fetch_all(p).await?
    });
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let prices = if ids.is_empty() {
        Vec::new()
    } else {
        let list = (1..=ids.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "SELECT package_id, currency, amount_minor FROM service_package_prices WHERE package_id IN ({list})"
        );
        with_db!(db, p => {
            let mut q = sqlx::query_as::<_, (i64, String, i64)>(&sql);
            for id in &ids {
                q = q.bind(id);
            }
            q.fetch_all(p).await?
        })
    };
    let packages = rows.into_iter().map(|r| r.with_prices(&prices)).collect();
    Ok(page::from_rows(packages, limit, |p: &Package| (p.display_order, p.id)))
}

#[cfg(any(test, feature = "testing"))] // only the tests call it
pub async fn get(db: &Db, id: i64) -> Result<Package> {
    let sql = format!("SELECT {COLUMNS} FROM service_packages WHERE id = $1");
    let row: Option<Row> = with_db!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
    let row = row.ok_or_else(|| StoreError::not_found("service package", id))?;
    let prices: Vec<(i64, String, i64)> = with_db!(db, p => {
        sqlx::query_as("SELECT package_id, currency, amount_minor FROM service_package_prices WHERE package_id = $1")
            .bind(id)
            .fetch_all(p)
            .await?
    });
    Ok(row.with_prices(&prices))
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<Package> {
    let sql = format!("SELECT {COLUMNS} FROM service_packages WHERE id = $1");
    let row: Option<Row> = with_tx!(tx, c => sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await?);
    let row = row.ok_or_else(|| StoreError::not_found("service package", id))?;
    let prices: Vec<(i64, String, i64)> = with_tx!(tx, c => {
        sqlx::query_as("SELECT package_id, currency, amount_minor FROM service_package_prices WHERE package_id = $1")
            .bind(id)
            .fetch_all(&mut *c)
            .await?
    });
    Ok(row.with_prices(&prices))
}

/// Reads the package for a write: it must exist and still be at `version`.
async fn fetch_for_write(tx: &mut Tx, id: i64, version: i64) -> Result<Package> {
    let before = get_in(tx, id).await?;
    if before.version != version {
        return Err(audit::conflict(tx, "this service package", "service_package", id).await);
    }
    Ok(before)
}

/// The slug to store (BR-02). A typed slug must not belong to another package; an
/// empty one is derived from the name, keeping the package's own slug when that is
/// what the name gives, else the first free `name`, `name-2`, ….
async fn resolve_slug(tx: &mut Tx, f: &PackageFields, own: Option<&Package>) -> Result<String> {
    if f.slug.is_empty() {
        let base = slug::slugify(&f.name);
        if let Some(p) = own.filter(|p| p.slug == base) {
            return Ok(p.slug.clone());
        }
        return free_slug(tx, "service_packages", &base).await;
    }
    let other: Option<(i64, String)> = with_tx!(tx, c => {
        sqlx::query_as("SELECT id, name FROM service_packages WHERE slug = $1 AND id <> $2")
            .bind(&f.slug)
            .bind(own.map_or(0, |p| p.id))
            .fetch_optional(&mut *c)
            .await?
    });
    match other {
        Some((id, name)) => Err(slug_taken(&f.slug, Some((id, &name)))),
        None => Ok(f.slug.clone()),
    }
}

fn slug_taken(slug: &str, by: Option<(i64, &str)>) -> StoreError {
    match by {
        Some((id, name)) => StoreError::invalid(
            field::SLUG,
            format!("'{slug}' is already used by package {name} (#{id}); choose another"),
        ),
        None => {
            StoreError::invalid(field::SLUG, format!("'{slug}' is already used by another package; choose another"))
        }
    }
}

/// A unique-index violation on the slug (a concurrent writer took it between the
/// check and the write) as the same message the check gives.
fn slug_race(slug: &str) -> impl Fn(sqlx::Error) -> StoreError + '_ {
    move |e| match StoreError::from(e) {
        StoreError::Invalid { field, .. } if field.contains("slug") => slug_taken(slug, None),
        other => other,
    }
}

/// Replaces the package's EGP and USD prices (prices in other currencies, written
/// by an import, are kept).
async fn write_prices(tx: &mut Tx, id: i64, prices: &[Money]) -> Result<()> {
    let known = Currency::ALL.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ");
    let sql = format!("DELETE FROM service_package_prices WHERE package_id = $1 AND currency IN ({known})");
    with_tx!(tx, c => sqlx::query(&sql).bind(id).execute(&mut *c).await?.rows_affected());
    for m in prices {
        with_tx!(tx, c => {
            sqlx::query("INSERT INTO service_package_prices (package_id, currency, amount_minor) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(m.currency.as_str())
                .bind(m.minor)
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
    }
    Ok(())
}

/// The audited fields of a package (the display order is audited by `reorder`).
fn audited(p: &Package) -> Value {
    let prices: Map<String, Value> = p.prices.iter().map(|m| (m.currency.to_string(), json!(m.minor))).collect();
    json!({"id": p.id, "slug": p.slug, "name": p.name, "description": p.description, "features": p.features,
        "deliverables": p.deliverables, "target_audience": p.target_audience, "duration_weeks": p.duration_weeks,
        "is_active": p.is_active, "prices": prices})
}

/// Creates a package at the end of the display order. Audited with its fields.
pub async fn create(db: &Db, actor: &Actor, fields: PackageFields) -> Result<Package> {
    actor.require(Action::ManageSettings)?;
    let f = fields.validated()?;
    let mut tx = db.begin().await?;
    let slug = resolve_slug(&mut tx, &f, None).await?;
    let at = now();
    let id: i64 = with_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "INSERT INTO service_packages (slug, name, description, features, deliverables, target_audience, \
             duration_weeks, is_active, display_order, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
             (SELECT COALESCE(MAX(display_order), 0) + 1 FROM service_packages), $9, $9) RETURNING id",
        )
        .bind(&slug)
        .bind(&f.name)
        .bind(&f.description)
        .bind(Json(&f.features))
        .bind(Json(&f.deliverables))
        .bind(f.target_audience.as_str())
        .bind(f.duration_weeks)
        .bind(f.is_active)
        .bind(at)
        .fetch_one(&mut *c)
        .await
        .map_err(slug_race(&slug))?
    });
    write_prices(&mut tx, id, &f.prices).await?;
    let after = get_in(&mut tx, id).await?;
    let change = Change::new("create", "service_package", Some(id), format!("created service package {}", after.name))
        .with_new(audited(&after));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// Saves the edit form. Only changed fields reach the audit row.
pub async fn update(db: &Db, actor: &Actor, id: i64, version: i64, fields: PackageFields) -> Result<Package> {
    actor.require(Action::ManageSettings)?;
    let f = fields.validated()?;
    let mut tx = db.begin().await?;
    let before = fetch_for_write(&mut tx, id, version).await?;
    let slug = resolve_slug(&mut tx, &f, Some(&before)).await?;
    let updated: Option<i64> = with_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "UPDATE service_packages SET slug = $3, name = $4, description = $5, features = $6, deliverables = $7, \
             target_audience = $8, duration_weeks = $9, is_active = $10, version = version + 1, updated_at = $11 \
             WHERE id = $1 AND version = $2 RETURNING id",
        )
        .bind(id)
        .bind(version)
        .bind(&slug)
        .bind(&f.name)
        .bind(&f.description)
        .bind(Json(&f.features))
        .bind(Json(&f.deliverables))
        .bind(f.target_audience.as_str())
        .bind(f.duration_weeks)
        .bind(f.is_active)
        .bind(now())
        .fetch_optional(&mut *c)
        .await
        .map_err(slug_race(&slug))?
    });
    if updated.is_none() {
        return Err(audit::conflict(&mut tx, "this service package", "service_package", id).await);
    }
    write_prices(&mut tx, id, &f.prices).await?;
    let after = get_in(&mut tx, id).await?;
    let change = Change::new("update", "service_package", Some(id), format!("edited service package {}", after.name))
        .diff(&audited(&before), &audited(&after));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// Puts a package on offer (`true`) or withdraws it (`false`). Audited.
pub async fn set_active(db: &Db, actor: &Actor, id: i64, version: i64, active: bool) -> Result<Package> {
    actor.require(Action::ManageSettings)?;
    let mut tx = db.begin().await?;
    let before = fetch_for_write(&mut tx, id, version).await?;
    let updated: Option<i64> = with_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "UPDATE service_packages SET is_active = $3, version = version + 1, updated_at = $4 \
             WHERE id = $1 AND version = $2 RETURNING id",
        )
        .bind(id)
        .bind(version)
        .bind(active)
        .bind(now())
        .fetch_optional(&mut *c)
        .await?
    });
    if updated.is_none() {
        return Err(audit::conflict(&mut tx, "this service package", "service_package", id).await);
    }
    let after = get_in(&mut tx, id).await?;
    let summary = if active {
        format!("put service package {} on offer", after.name)
    } else {
        format!("withdrew service package {}", after.name)
    };
    let change = Change::new("update", "service_package", Some(id), summary)
        .diff(&json!({"id": id, "is_active": before.is_active}), &json!({"id": id, "is_active": after.is_active}));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}
