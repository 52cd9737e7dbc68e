//! Capacity: active + pending enrollments never exceed a cohort's capacity.

use crate::common::{TestDb, actor, team};
use staffroom::domain::lifecycle::EnrollmentStatus;
use staffroom::domain::permissions::Roles;
use staffroom_core::store::cohorts;
use staffroom_core::store::{Db, StoreError};

async fn cohort(db: &Db, capacity: i64) -> i64 {
    let now = staffroom_core::store::now();
    let p = "INSERT INTO programs (slug, title, price_minor, price_currency, created_at, updated_at) \
             VALUES ('web', 'Web Development', 0, 'USD', $1, $1) RETURNING id";
    let c = "INSERT INTO cohorts (program_id, name, capacity, created_at, updated_at) VALUES ($1, 'Spring 2026', $2, $3, $3) RETURNING id";
    match db {
        Db::Sqlite(pool) => {
            let pid: i64 = sqlx::query_scalar(p).bind(now).fetch_one(pool).await.unwrap();
            sqlx::query_scalar(c).bind(pid).bind(capacity).bind(now).fetch_one(pool).await.unwrap()
        }
        Db::Postgres(pool) => {
            let pid: i64 = sqlx::query_scalar(p).bind(now).fetch_one(pool).await.unwrap();
            sqlx::query_scalar(c).bind(pid).bind(capacity).bind(now).fetch_one(pool).await.unwrap()
        }
    }
}

crate::on_both!(capacity_counts_active_and_pending, |t: TestDb| async move {
    let team = team(&t.db).await;
    let cid = cohort(&t.db, 2).await;
    let s1 = actor(&t.db, "Student One", Roles { student: true, ..Roles::VIEWER }).await;
    let s2 = actor(&t.db, "Student Two", Roles { student: true, ..Roles::VIEWER }).await;
    let s3 = actor(&t.db, "Student Three", Roles { student: true, ..Roles::VIEWER }).await;
    let (u1, u2, u3) = (s1.user_id.unwrap(), s2.user_id.unwrap(), s3.user_id.unwrap());
    cohorts::enroll(&t.db, &team.admin, cid, u1, EnrollmentStatus::Active).await.unwrap();
    cohorts::enroll(&t.db, &team.admin, cid, u2, EnrollmentStatus::Pending).await.unwrap();
    let err = cohorts::enroll(&t.db, &team.admin, cid, u3, EnrollmentStatus::Pending).await.unwrap_err();
    assert!(matches!(err, StoreError::Refused { .. }), "{err:?}");
    assert!(err.to_string().contains("full: 2 of 2 places are taken"), "{err}");
    assert_eq!(cohorts::seats_taken(&t.db, cid).await.unwrap(), 2);
    let dup = cohorts::enroll(&t.db, &team.admin, cid, u1, EnrollmentStatus::Active).await;
    assert!(dup.is_err(), "one enrollment per student and cohort");
    let err = cohorts::enroll(&t.db, &team.staff, cid, u3, EnrollmentStatus::Active).await.unwrap_err();
    assert!(err.to_string().contains("may not manage cohorts"), "{err}");
});

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_enrollments_never_overbook_on_postgres() {
    let Some(t) = TestDb::postgres().await else { return };
    let team = team(&t.db).await;
    let cid = cohort(&t.db, 3).await;
    let mut students = Vec::new();
    for i in 0..10 {
        students
            .push(actor(&t.db, &format!("Rush {i}"), Roles { student: true, ..Roles::VIEWER }).await.user_id.unwrap());
    }
    let tasks: Vec<_> = students
        .into_iter()
        .map(|uid| {
            let db = t.db.clone();
            let admin = team.admin.clone();
            tokio::spawn(async move { cohorts::enroll(&db, &admin, cid, uid, EnrollmentStatus::Active).await.is_ok() })
        })
        .collect();
    let mut ok = 0;
    for task in tasks {
        ok += usize::from(task.await.unwrap());
    }
    assert_eq!(ok, 3, "exactly capacity succeeded");
    assert_eq!(cohorts::seats_taken(&t.db, cid).await.unwrap(), 3);
}
