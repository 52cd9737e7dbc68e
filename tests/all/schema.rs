//! The schema: applied on both backends, identical between them, refused when newer.

use crate::common::TestDb;
use staffroom_core::store::{Db, StoreError};

const DOMAIN_TABLES: &[&str] = &[
    "users",
    "user_profiles",
    "login_history",
    "leads",
    "lead_notes",
    "contact_messages",
    "service_packages",
    "service_package_prices",
    "mentorships",
    "code_review_requests",
    "programs",
    "cohorts",
    "cohort_instructors",
    "sessions",
    "enrollments",
    "attendance_records",
    "events",
    "event_registrations",
    "event_attendance",
    "forms",
    "form_fields",
    "applicants",
    "applications",
    "application_submissions",
    "chapters",
    "lessons",
    "lesson_progress",
    "assignments",
    "assignment_submissions",
    "quizzes",
    "quiz_questions",
    "quiz_submissions",
    "reviews",
    "posts",
    "categories",
    "tags",
    "post_tags",
    "case_study_tags",
    "comments",
    "testimonials",
    "case_studies",
    "case_study_media",
    "tech_stack",
    "case_study_tech",
    "announcements",
    "announcement_reads",
    "pages",
    "home_sections",
    "site_settings",
    "theme_tokens",
    "projects",
    "tasks",
    "help_requests",
    "instructor_applications",
    "payments",
    "notifications",
    "audit_log",
];

#[tokio::test]
async fn every_domain_table_exists_on_sqlite() {
    let t = TestDb::sqlite().await;
    let tables = t.db.table_names().await.unwrap();
    for name in DOMAIN_TABLES {
        assert!(tables.iter().any(|t| t == name), "missing table {name}");
    }
}

#[tokio::test]
async fn both_backends_have_the_same_tables_and_columns() {
    let sqlite = TestDb::sqlite().await;
    let Some(pg) = TestDb::postgres().await else { return };
    assert_eq!(sqlite.db.table_names().await.unwrap(), pg.db.table_names().await.unwrap(), "table drift");
    assert_eq!(sqlite.db.column_names().await.unwrap(), pg.db.column_names().await.unwrap(), "column drift");
}

#[tokio::test]
async fn opening_twice_applies_nothing_new() {
    let t = TestDb::sqlite().await;
    let again = Db::open(&t.url).await.expect("reopen");
    assert_eq!(again.table_names().await.unwrap(), t.db.table_names().await.unwrap());
}

crate::on_both!(a_newer_schema_is_refused, |t: TestDb| async move {
    // Pretend a newer staffroom migrated this database.
    let bump = "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) \
                VALUES (99990101000000, 'from the future', CURRENT_TIMESTAMP, TRUE, X'00', 0)";
    let bump_pg = bump.replace("X'00'", "'\\x00'::bytea");
    match &t.db {
        Db::Sqlite(p) => sqlx::query(bump).execute(p).await.map(|_| ()),
        Db::Postgres(p) => sqlx::query(&bump_pg).execute(p).await.map(|_| ()),
    }
    .expect("insert fake migration");
    let err = Db::open(&t.url).await.unwrap_err();
    assert!(matches!(err, StoreError::Schema(_)), "{err:?}");
    assert!(err.to_string().contains("newer than this staffroom knows"), "{err}");
});
