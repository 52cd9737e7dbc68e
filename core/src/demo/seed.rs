//! The small, hand-shaped demo academy: every area of docs/domain.md, written in ONE
//! transaction, with an audit history that tells its story (who created, moved,
//! approved, published and refunded what).
//!
//! Each area lives in a submodule under `seed/`; this file holds what they share:
//! the clock (`Ctx`: one `now()` for every instant, so the demo is consistent), the
//! demo staff as actors, and `insert`, which builds `INSERT … VALUES ($1, …)` from
//! column/value pairs so a row reads as a list of fields. The same SQL text runs on
//! SQLite and PostgreSQL; every value is bound with its Rust type (`DateTime<Utc>`,
//! `NaiveDate`, `NaiveTime`, `bool`, `Json`), never produced by SQL.
//!
//! The content (names, texts, posts, lessons, the catalogue) comes from
//! `assets/demo/` through `ctx.a`; these modules add who did what, and when.
//!
//! Deterministic: the only source of variety is `text::Rng` with a fixed seed; the
//! only thing that moves is the date the demo is generated on (sessions "today").

/// `cols!["column" => value, …]`: the fields of one row, for `insert` / `insert_row`.
macro_rules! cols {
    ($($k:literal => $v:expr),* $(,)?) => {
        &[$(($k, $crate::demo::seed::Val::from($v))),*]
    };
}

mod academy;
mod applications;
mod calendar;
mod content;
mod enrollments;
mod events;
mod leads;
mod learning;
mod people;
mod portfolio;
mod sales;
mod site;
mod work;

use super::assets::{self, Assets};
use super::demo_user;
use super::text::Rng;
use crate::store::audit::{self, Change};
use crate::store::users;
use crate::store::{Actor, Db, Result, StoreError, Tx, now};
use crate::with_tx;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use serde_json::Value;

/// Fills a database that holds only the four demo staff users.
pub async fn seed(db: &Db) -> Result<()> {
    let mut ctx = Ctx::load(db).await?;
    let mut tx = db.begin().await?;
    let t = &mut tx;
    let people = people::students(t, &ctx).await?;
    let catalog = academy::catalog(t, &ctx, &people).await?;
    let leads = leads::leads(t, &mut ctx, &catalog).await?;
    sales::contact_messages(t, &ctx, &leads).await?;
    sales::offers(t, &ctx, &people, &leads).await?;
    let applications = applications::applications(t, &ctx, &catalog).await?;
    let enrollments = enrollments::enrollments(t, &ctx, &catalog, &people, &applications).await?;
    calendar::calendar(t, &ctx, &enrollments).await?;
    enrollments::payments(t, &ctx, &enrollments).await?;
    events::events(t, &ctx, &leads).await?;
    learning::learning(t, &ctx, &catalog, &people).await?;
    content::content(t, &ctx, &people).await?;
    site::site(t, &ctx, &catalog, &people).await?;
    work::work(t, &ctx, &people).await?;
    people::accounts(t, &ctx, &people).await?;
    tx.commit().await
}

/// One of the demo staff users (admin, staff, instructor, viewer) as an actor.
#[derive(Debug, Clone)]
struct Staffer {
    id: i64,
    name: String,
    actor: Actor,
}

/// What every area shares: the instant "now", today, the demo staff, the generator.
struct Ctx {
    /// The content of `assets/demo/`.
    a: &'static Assets,
    at: DateTime<Utc>,
    today: NaiveDate,
    rng: Rng,
    admin: Staffer,
    staff: Staffer,
    instructor: Staffer,
    viewer: Staffer,
}

impl Ctx {
    async fn load(db: &Db) -> Result<Ctx> {
        let at = now();
        Ok(Ctx {
            a: assets::get()?,
            at,
            // The calendar day of the same instant, so "today's session" and `at` agree
            // even when the demo is generated a moment before midnight.
            today: at.date_naive(),
            rng: Rng::new(0x5eed_2026),
            admin: staffer(db, "admin").await?,
            staff: staffer(db, "staff").await?,
            instructor: staffer(db, "instructor").await?,
            viewer: staffer(db, "viewer").await?,
        })
    }

    fn days_ago(&self, days: i64) -> DateTime<Utc> {
        self.at - Duration::days(days)
    }

    fn hours_ago(&self, hours: i64) -> DateTime<Utc> {
        self.at - Duration::hours(hours)
    }

    fn in_days(&self, days: i64) -> DateTime<Utc> {
        self.at + Duration::days(days)
    }

    /// The calendar day `offset` days from today (negative: past).
    fn day(&self, offset: i64) -> NaiveDate {
        self.today + Duration::days(offset)
    }
}

async fn staffer(db: &Db, role: &str) -> Result<Staffer> {
    let email = demo_user(role).email;
    let user = users::find_by_email(db, &email)
        .await?
        .ok_or_else(|| StoreError::Other(format!("demo user {email} is missing; the demo creates it first")))?;
    Ok(Staffer { id: user.id, name: user.full_name.clone(), actor: user.actor() })
}

/// An instant on `day` at `h:m` UTC.
fn instant(day: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    day.and_time(time(h, m)).and_utc()
}

/// A time of day; out-of-range input (a typo in the demo tables) becomes midnight.
fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

/// A value bound to a `$n` placeholder. NULLs keep their type (`Int(None)`, …), so
/// PostgreSQL sees the column's type; usually a NULL column is simply left out.
#[derive(Debug, Clone)]
enum Val {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(bool),
    Instant(Option<DateTime<Utc>>),
    Day(Option<NaiveDate>),
    Time(Option<NaiveTime>),
    /// JSONB in PostgreSQL, TEXT in SQLite; bound as `sqlx::types::Json`.
    Json(Value),
}

macro_rules! val_from {
    ($($t:ty => |$x:ident| $e:expr),* $(,)?) => {
        $(impl From<$t> for Val {
            fn from($x: $t) -> Val {
                $e
            }
        })*
    };
}

val_from! {
    i64 => |x| Val::Int(Some(x)),
    Option<i64> => |x| Val::Int(x),
    &str => |x| Val::Text(Some(x.to_string())),
    String => |x| Val::Text(Some(x)),
    &String => |x| Val::Text(Some(x.clone())),
    Option<&str> => |x| Val::Text(x.map(str::to_string)),
    Option<String> => |x| Val::Text(x),
    bool => |x| Val::Bool(x),
    DateTime<Utc> => |x| Val::Instant(Some(x)),
    Option<DateTime<Utc>> => |x| Val::Instant(x),
    NaiveDate => |x| Val::Day(Some(x)),
    Option<NaiveDate> => |x| Val::Day(x),
    NaiveTime => |x| Val::Time(Some(x)),
    Option<NaiveTime> => |x| Val::Time(x),
    Value => |x| Val::Json(x),
}

/// Binds every value of `$vals` to the query `$q` (expanded once per backend).
macro_rules! bind_all {
    ($q:ident, $vals:expr) => {
        for (_, v) in $vals {
            $q = match v {
                Val::Int(x) => $q.bind(*x),
                Val::Text(x) => $q.bind(x.clone()),
                Val::Bool(x) => $q.bind(*x),
                Val::Instant(x) => $q.bind(*x),
                Val::Day(x) => $q.bind(*x),
                Val::Time(x) => $q.bind(*x),
                Val::Json(x) => $q.bind(sqlx::types::Json(x.clone())),
            };
        }
    };
}

fn insert_sql(table: &str, cols: &[(&str, Val)], tail: &str) -> String {
    let names: Vec<&str> = cols.iter().map(|(k, _)| *k).collect();
    let marks: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
    format!("INSERT INTO {table} ({}) VALUES ({}){tail}", names.join(", "), marks.join(", "))
}

/// Inserts one row and returns its id. `table` is always a literal of this module.
async fn insert(tx: &mut Tx, table: &str, cols: &[(&str, Val)]) -> Result<i64> {
    let sql = insert_sql(table, cols, " RETURNING id");
    Ok(with_tx!(tx, c => {
        let mut q = sqlx::query_scalar::<_, i64>(&sql);
        bind_all!(q, cols);
        q.fetch_one(&mut *c).await?
    }))
}

/// Inserts one row of a table without an `id` (junctions, child rows, settings).
async fn insert_row(tx: &mut Tx, table: &str, cols: &[(&str, Val)]) -> Result<()> {
    let sql = insert_sql(table, cols, "");
    with_tx!(tx, c => {
        let mut q = sqlx::query(&sql);
        bind_all!(q, cols);
        q.execute(&mut *c).await?.rows_affected()
    });
    Ok(())
}

/// Runs one statement with positional values (updates that follow inserts).
async fn exec(tx: &mut Tx, sql: &str, vals: &[(&str, Val)]) -> Result<u64> {
    Ok(with_tx!(tx, c => {
        let mut q = sqlx::query(sql);
        bind_all!(q, vals);
        q.execute(&mut *c).await?.rows_affected()
    }))
}

/// Records a creation (or any change described only by its new values).
async fn audit_new(
    tx: &mut Tx,
    actor: &Actor,
    action: &str,
    entity: &str,
    id: i64,
    summary: String,
    new: Value,
) -> Result<()> {
    audit::record(tx, actor, Change::new(action, entity, Some(id), summary).with_new(new)).await?;
    Ok(())
}

/// Records a change as old/new values of the fields that moved.
#[allow(clippy::too_many_arguments)]
async fn audit_diff(
    tx: &mut Tx,
    actor: &Actor,
    action: &str,
    entity: &str,
    id: i64,
    summary: String,
    old: Value,
    new: Value,
) -> Result<()> {
    audit::record(tx, actor, Change::new(action, entity, Some(id), summary).diff(&old, &new)).await?;
    Ok(())
}

/// Audit entries of history that happened before the demo was generated, kept
/// until an area is written and then recorded in time order (each entry at its own
/// instant), so the chain reads like the weeks it tells about.
#[derive(Default)]
struct History(Vec<(DateTime<Utc>, Actor, Change)>);

impl History {
    fn add(&mut self, at: DateTime<Utc>, actor: &Actor, change: Change) {
        self.0.push((at, actor.clone(), change));
    }

    async fn record(mut self, tx: &mut Tx) -> Result<()> {
        // Stable: entries of one instant keep the order they were added in.
        self.0.sort_by_key(|(at, _, _)| *at);
        for (at, actor, change) in self.0 {
            audit::record_at(tx, &actor, change, at).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::Db;
    use crate::store::audit::{self, Verdict};
    use crate::with_db;

    async fn count(db: &Db, sql: &str) -> i64 {
        with_db!(db, p => sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await.expect(sql))
    }

    #[tokio::test]
    async fn the_demo_keeps_the_rules() {
        let db = Db::open("sqlite::memory:").await.expect("open");
        assert!(crate::demo::ensure(&db, false).await.expect("demo").created);
        for table in db.table_names().await.expect("tables") {
            assert!(count(&db, &format!("SELECT COUNT(*) FROM {table}")).await > 0, "{table} is empty");
        }
        let checks = [
            // BR-15: use_count equals the junction rows.
            (
                "SELECT COUNT(*) FROM tags WHERE use_count <> (SELECT COUNT(*) FROM post_tags WHERE tag_id = tags.id) \
              + (SELECT COUNT(*) FROM case_study_tags WHERE tag_id = tags.id)",
                0,
            ),
            // BR-04: exactly one thumbnail per case study.
            (
                "SELECT COUNT(*) FROM case_studies c WHERE (SELECT COUNT(*) FROM case_study_media m \
              WHERE m.case_study_id = c.id AND m.is_thumbnail = 1) <> 1",
                0,
            ),
            // Capacity: active + pending never exceed it.
            (
                "SELECT COUNT(*) FROM cohorts c WHERE capacity < (SELECT COUNT(*) FROM enrollments e \
              WHERE e.cohort_id = c.id AND e.status IN ('active', 'pending'))",
                0,
            ),
            (
                "SELECT COUNT(*) FROM events e WHERE max_attendees < (SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id)",
                0,
            ),
            (
                "SELECT COUNT(*) FROM events e WHERE max_attendees = (SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id)",
                1,
            ),
            ("SELECT COUNT(*) FROM testimonials WHERE is_featured = 1", 5),
            ("SELECT COUNT(DISTINCT status) FROM leads", 7),
            ("SELECT COUNT(DISTINCT note_type) FROM lead_notes", 5),
            ("SELECT COUNT(DISTINCT status) FROM posts", 6),
            ("SELECT COUNT(DISTINCT status) FROM applications", 4),
            ("SELECT COUNT(DISTINCT status) FROM events", 4),
            ("SELECT COUNT(DISTINCT status) FROM tasks", 4),
            ("SELECT COUNT(DISTINCT status) FROM help_requests", 4),
            ("SELECT COUNT(*) FROM payments WHERE status = 'refunded'", 1),
            ("SELECT COUNT(*) FROM announcements WHERE is_auto = 1", 1),
            // Today's session of the running cohort, without attendance yet.
            (
                "SELECT COUNT(*) FROM sessions s JOIN cohorts c ON c.id = s.cohort_id \
              WHERE c.status = 'running' AND s.date = date('now')",
                1,
            ),
            (
                "SELECT COUNT(*) FROM attendance_records a JOIN sessions s ON s.id = a.session_id WHERE s.date >= date('now')",
                0,
            ),
            // Exactly one clash: two sessions of one cohort overlapping on one date.
            (
                "SELECT COUNT(*) FROM sessions a JOIN sessions b ON a.cohort_id = b.cohort_id AND a.date = b.date \
              AND a.id < b.id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at",
                1,
            ),
            // Two active students of the running cohort are under 75 % attendance.
            (
                "SELECT COUNT(*) FROM (SELECT e.id, (SELECT COUNT(*) FROM sessions s WHERE s.cohort_id = e.cohort_id \
              AND s.date <= date('now') AND s.status <> 'cancelled') AS held, \
              SUM(a.status IN ('present', 'late')) AS here, SUM(a.status = 'excused') AS excused \
              FROM enrollments e LEFT JOIN attendance_records a ON a.enrollment_id = e.id \
              WHERE e.status = 'active' AND e.cohort_id = (SELECT id FROM cohorts WHERE status = 'running') GROUP BY e.id) \
              WHERE 100 * here < 75 * (held - excused)",
                2,
            ),
        ];
        for (sql, expected) in checks {
            assert_eq!(count(&db, sql).await, expected, "{sql}");
        }
        let verdict = audit::verify(&db, &mut |_| {}).await.expect("verify");
        assert!(matches!(verdict, Verdict::Intact { rows } if rows > 400), "{verdict:?}");
    }
}
