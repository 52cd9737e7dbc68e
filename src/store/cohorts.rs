//! Cohorts and enrollments: capacity is checked in the same transaction that inserts.

use super::audit::{self, Change};
use super::{Actor, Db, Result, StoreError, now};
use crate::domain::capacity;
use crate::domain::lifecycle::EnrollmentStatus;
use crate::domain::permissions::Action;
use crate::{with_db, with_tx};
use chrono::{DateTime, Utc};
use serde_json::json;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Enrollment {
    pub id: i64,
    pub user_id: i64,
    pub cohort_id: i64,
    pub status: String,
    pub enrolled_at: Option<DateTime<Utc>>,
    pub version: i64,
}

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
