//! Cohorts and enrollments: capacity is checked in the same transaction that inserts.

use super::audit::{self, Change};
use super::{Actor, Db, Result, StoreError, Tx, now};
#[cfg(any(test, feature = "testing"))]
use crate::domain::capacity;
use crate::domain::lifecycle::CohortStatus;
#[cfg(any(test, feature = "testing"))]
use crate::domain::lifecycle::EnrollmentStatus;
use crate::domain::permissions::Action;
use crate::{with_db, with_tx};
#[cfg(any(test, feature = "testing"))]
use chrono::{DateTime, Utc};
use serde_json::json;

#[cfg(any(test, feature = "testing"))] // only the tests call it
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Enrollment {
    pub id: i64,
    pub user_id: i64,
    pub cohort_id: i64,
    pub status: String,
    pub enrolled_at: Option<DateTime<Utc>>,
    pub version: i64,
}

#[cfg(any(test, feature = "testing"))] // only the tests call it
/// Enrolls a student. Active and pending enrollments never exceed the cohort's
/// capacity: the cohort row is locked first (a no-op UPDATE, which is a row lock on
/// PostgreSQL and is already serialised by `BEGIN IMMEDIATE` on SQLite), then seats
/// are counted and the row inserted in the same transaction.
pub async fn enroll(
    db: &Db,
    actor: &Actor,
    cohort_id: i64,
    user_id: i64,
    status: EnrollmentStatus,
) -> Result<Enrollment> {
    actor.require(Action::ManageCohorts)?;
    if !status.holds_seat() {
        return Err(StoreError::invalid("status", "a new enrollment is pending or active"));
    }
    let mut tx = db.begin().await?;
    let cohort: Option<(String, Option<i64>)> = with_tx!(&mut tx, c => {
        sqlx::query_as("UPDATE cohorts SET capacity = capacity WHERE id = $1 RETURNING name, capacity")
            .bind(cohort_id)
            .fetch_optional(&mut *c)
            .await?
    });
    let Some((name, cap)) = cohort else {
        return Err(StoreError::not_found("cohort", cohort_id));
    };
    let taken: i64 = with_tx!(&mut tx, c => {
        sqlx::query_scalar("SELECT COUNT(*) FROM enrollments WHERE cohort_id = $1 AND status IN ('active', 'pending')")
            .bind(cohort_id)
            .fetch_one(&mut *c)
            .await?
    });
    capacity::check(cap, taken, 1).map_err(|full| StoreError::refused(format!("{name} is {full}")))?;
    let at = now();
    let e: Enrollment = with_tx!(&mut tx, c => {
        sqlx::query_as(
            "INSERT INTO enrollments (user_id, cohort_id, status, enrolled_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4, $4) RETURNING id, user_id, cohort_id, status, enrolled_at, version",
        )
        .bind(user_id)
        .bind(cohort_id)
        .bind(status.as_str())
        .bind(at)
        .fetch_one(&mut *c)
        .await?
    });
    let change = Change::new("create", "enrollment", Some(e.id), format!("enrolled user #{user_id} in {name}"))
        .with_new(json!({"id": e.id, "user_id": user_id, "cohort_id": cohort_id, "status": e.status}));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(e)
}

/// Seats taken (active + pending) in a cohort.
pub async fn seats_taken(db: &Db, cohort_id: i64) -> Result<i64> {
    Ok(with_db!(db, p => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM enrollments WHERE cohort_id = $1 AND status IN ('active', 'pending')")
            .bind(cohort_id)
            .fetch_one(p)
            .await?
    }))
}

/// An instructor acts only on the cohorts they are assigned to; admins on any.
/// `doing` ends the refusal: "only its instructors and admins {doing}".
pub async fn require_teaches(tx: &mut Tx, actor: &Actor, cohort_id: i64, doing: &str) -> Result<()> {
    if actor.roles.admin {
        return Ok(());
    }
    let assigned: Option<i64> = with_tx!(tx, c => {
        sqlx::query_scalar("SELECT cohort_id FROM cohort_instructors WHERE cohort_id = $1 AND user_id = $2")
            .bind(cohort_id)
            .bind(actor.user_id.unwrap_or(-1))
            .fetch_optional(&mut *c)
            .await?
    });
    match assigned {
        Some(_) => Ok(()),
        None => Err(StoreError::refused(format!(
            "{} is not an instructor of this session's cohort; only its instructors and admins {doing}",
            actor.name
        ))),
    }
}

/// What the attendance screen's header says of a cohort.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortHeader {
    pub id: i64,
    pub name: String,
    pub program: String,
    pub status: CohortStatus,
    pub capacity: Option<i64>,
    /// Active and pending enrolments (the seats taken).
    pub seats_taken: i64,
    pub instructors: Vec<String>,
    pub start: Option<chrono::NaiveDate>,
    pub end: Option<chrono::NaiveDate>,
    pub time_zone: Option<String>,
    pub version: i64,
}

pub async fn header(db: &Db, cohort_id: i64) -> Result<CohortHeader> {
    type Row = (
        String,
        String,
        String,
        Option<i64>,
        Option<chrono::NaiveDate>,
        Option<chrono::NaiveDate>,
        Option<String>,
        i64,
    );
    let row: Option<Row> = with_db!(db, p => {
        sqlx::query_as(
            "SELECT c.name, p.title, c.status, c.capacity, c.start_date, c.end_date, c.time_zone, c.version \
             FROM cohorts c JOIN programs p ON p.id = c.program_id WHERE c.id = $1",
        )
        .bind(cohort_id)
        .fetch_optional(p)
        .await?
    });
    let (name, program, status, capacity, start, end, time_zone, version) =
        row.ok_or_else(|| StoreError::not_found("cohort", cohort_id))?;
    let instructors: Vec<String> = with_db!(db, p => {
        sqlx::query_scalar(
            "SELECT u.full_name FROM cohort_instructors ci JOIN users u ON u.id = ci.user_id \
             WHERE ci.cohort_id = $1 ORDER BY ci.cohort_role, u.full_name",
        )
        .bind(cohort_id)
        .fetch_all(p)
        .await?
    });
    Ok(CohortHeader {
        id: cohort_id,
        name,
        program,
        status: CohortStatus::parse(&status).unwrap_or(CohortStatus::Planned),
        capacity,
        seats_taken: seats_taken(db, cohort_id).await?,
        instructors,
        start,
        end,
        time_zone,
        version,
    })
}

/// Moves a cohort along its lifecycle (`CohortStatus::allowed_moves`; a refusal
/// names the allowed moves). Moving to coming_soon publishes the automatic website
/// announcement in the same transaction (seed 002). Admins only.
pub async fn move_status(
    db: &Db,
    actor: &Actor,
    cohort_id: i64,
    version: i64,
    to: CohortStatus,
) -> Result<CohortHeader> {
    actor.require(Action::ManageCohorts)?;
    let before = header(db, cohort_id).await?;
    before.status.check_move(to).map_err(|e| StoreError::refused(format!("{}: {e}", before.name)))?;
    let mut tx = db.begin().await?;
    let at = now();
    let moved: Option<i64> = with_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "UPDATE cohorts SET status = $3, version = version + 1, updated_at = $4 \
             WHERE id = $1 AND version = $2 AND status = $5 RETURNING id",
        )
        .bind(cohort_id)
        .bind(version)
        .bind(to.as_str())
        .bind(at)
        .bind(before.status.as_str())
        .fetch_optional(&mut *c)
        .await?
    });
    if moved.is_none() {
        return Err(audit::conflict(&mut tx, "this cohort", "cohort", cohort_id).await);
    }
    let change = Change::new(
        "status",
        "cohort",
        Some(cohort_id),
        format!("moved {} from {} to {to}", before.name, before.status),
    )
    .diff(&json!({ "status": before.status.as_str() }), &json!({ "status": to.as_str() }));
    audit::record(&mut tx, actor, change).await?;
    if to.announces() {
        let title = format!("Coming soon: {} · {}", before.program, before.name);
        let starts = before.start.map_or(String::new(), |d| format!(" It starts on {d}."));
        let body = format!("A new cohort of {} is coming soon.{starts} Join the waiting list!", before.program);
        let id: i64 = with_tx!(&mut tx, c => {
            sqlx::query_scalar(
                "INSERT INTO announcements (title, body, audience, cohort_id, is_auto, status, published_at, created_by, \
                 created_at, updated_at) VALUES ($1, $2, 'website', $3, $4, 'published', $5, $6, $5, $5) RETURNING id",
            )
            .bind(&title)
            .bind(&body)
            .bind(cohort_id)
            .bind(true)
            .bind(at)
            .bind(actor.user_id)
            .fetch_one(&mut *c)
            .await?
        });
        let change = Change::new(
            "create",
            "announcement",
            Some(id),
            format!("announced {} on the website (automatic, cohort is coming soon)", before.name),
        )
        .with_new(json!({"id": id, "title": title, "audience": "website", "is_auto": true, "cohort_id": cohort_id}));
        audit::record(&mut tx, actor, change).await?;
    }
    tx.commit().await?;
    header(db, cohort_id).await
}
