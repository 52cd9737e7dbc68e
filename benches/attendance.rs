//! Attendance budgets (issue: calendar and attendance), on both backends:
//!
//! | what                                                     | budget          |
//! |----------------------------------------------------------|-----------------|
//! | grid of 40 students × 60 sessions: `:attendance` → drawn | ≤ 50 ms         |
//! | a mark → confirmed (transaction + audit row)             | ≤ 20 / 40 ms    |
//! | 20 concurrent markers (PostgreSQL): p95 of a mark         | ≤ 50 ms, no loss |
//!
//! `cargo bench --bench attendance` (`-- --sqlite-only` skips PostgreSQL). Exits
//! non-zero when a median (or the p95 of the concurrent run) is over twice its budget.

#[path = "../tests/all/pg.rs"]
#[allow(dead_code)]
mod pg;

use chrono::{Duration as Days, NaiveDate, Utc};
use crossterm::event::KeyCode;
use staffroom::domain::attendance::AttendanceStatus;
use staffroom::domain::lifecycle::EnrollmentStatus;
use staffroom::domain::permissions::Roles;
use staffroom::ui::driver::Driver;
use staffroom::ui::screens::ScreenId;
use staffroom_core::store::users::{self, NewUser};
use staffroom_core::store::{Actor, Db, attendance, cohorts};
use std::time::{Duration, Instant};

const STUDENTS: usize = 40;
const SESSIONS: i64 = 60;
const RUNS: usize = 15;
const PASSWORD: &str = "bench-password";

struct Class {
    cohort_id: i64,
    sessions: Vec<i64>,
    students: Vec<i64>,
    instructor: Actor,
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

async fn scalar(db: &Db, sql: &str, a: i64, b: Option<NaiveDate>) -> i64 {
    let now = staffroom_core::store::now();
    staffroom_core::with_db!(db, p => {
        let q = sqlx::query_scalar::<_, i64>(sql).bind(a);
        let q = match b {
            Some(d) => q.bind(d),
            None => q,
        };
        q.bind(now).fetch_one(p).await.expect(sql)
    })
}

/// 40 students, 60 held sessions (the last today), every past session marked.
async fn class(db: &Db) -> Class {
    let admin = users::create(
        db,
        &Actor::cli(),
        NewUser {
            email: Some("admin@bench.example".into()),
            full_name: "Bench Admin".into(),
            roles: Roles::ADMIN,
            ..NewUser::default()
        },
    )
    .await
    .expect("admin")
    .actor();
    let instructor = users::create(
        db,
        &Actor::cli(),
        NewUser {
            email: Some("ines@bench.example".into()),
            full_name: "Ines Instructor".into(),
            password: Some(PASSWORD.into()),
            roles: Roles::INSTRUCTOR,
            ..NewUser::default()
        },
    )
    .await
    .expect("instructor")
    .actor();
    let program = scalar(
        db,
        "INSERT INTO programs (slug, title, price_minor, price_currency, created_at, updated_at) \
         VALUES ('bench-' || CAST($1 AS TEXT), 'Web Development', 0, 'USD', $2, $2) RETURNING id",
        1,
        None,
    )
    .await;
    let cohort_id = scalar(
        db,
        "INSERT INTO cohorts (program_id, name, status, capacity, created_at, updated_at) \
         VALUES ($1, 'Bench Cohort', 'running', 60, $2, $2) RETURNING id",
        program,
        None,
    )
    .await;
    scalar(
        db,
        &format!(
            "INSERT INTO cohort_instructors (cohort_id, user_id, created_at) VALUES ($1, {}, $2) RETURNING cohort_id",
            instructor.user_id.expect("id")
        ),
        cohort_id,
        None,
    )
    .await;
    let mut sessions = Vec::new();
    for d in (0..SESSIONS).rev() {
        let sql = "INSERT INTO sessions (cohort_id, date, title, status, created_at, updated_at) \
                   VALUES ($1, $2, 'Bench session', 'scheduled', $3, $3) RETURNING id";
        sessions.push(scalar(db, sql, cohort_id, Some(today() - Days::days(d))).await);
    }
    let mut students = Vec::new();
    for i in 0..STUDENTS {
        let s = users::create(
            db,
            &Actor::cli(),
            NewUser {
                email: Some(format!("s{i}@bench.example")),
                full_name: if i % 3 == 0 { format!("طالب {i:02}") } else { format!("Student {i:02}") },
                roles: Roles { student: true, ..Roles::VIEWER },
                ..NewUser::default()
            },
        )
        .await
        .expect("student");
        students.push(cohorts::enroll(db, &admin, cohort_id, s.id, EnrollmentStatus::Active).await.expect("enrol").id);
    }
    for (i, session) in sessions.iter().take(sessions.len() - 1).enumerate() {
        for (j, student) in students.iter().enumerate() {
            let status = AttendanceStatus::ALL[(i + j) % 7 % 4];
            attendance::mark(db, &instructor, *session, *student, status, today()).await.expect("mark");
        }
    }
    Class { cohort_id, sessions, students, instructor }
}

#[path = "stats.rs"]
mod stats;
use stats::{median, p95, report};

async fn bench(label: &str, db: &Db, mark_budget: Duration, concurrent: bool) -> bool {
    let c = class(db).await;
    let mut far = false;
    // The screen: open the grid and draw it (the one cohort opens at once).
    let mut opens = Vec::new();
    let mut d = Driver::new(db.clone(), 120, 50);
    d.login("ines@bench.example", PASSWORD).await;
    for _ in 0..RUNS {
        let t = Instant::now();
        let effects = d.app.open(ScreenId::Attendance);
        d.run(effects).await;
        d.settle().await;
        d.draw();
        opens.push(t.elapsed());
        assert!(d.screen().contains(&format!("0/{STUDENTS} marked")), "{}", d.screen());
        d.press(KeyCode::Esc).await;
    }
    far |= report(
        &format!("{label}: grid {STUDENTS}×{SESSIONS} → drawn (120x50)"),
        median(opens),
        Duration::from_millis(50),
    );
    let grid = attendance::grid(db, c.cohort_id, today()).await.expect("grid");
    assert_eq!((grid.students.len(), grid.sessions.len()), (STUDENTS, SESSIONS as usize));

    let today_session = *c.sessions.last().expect("today");
    let mut marks = Vec::new();
    for (i, s) in c.students.iter().enumerate() {
        let status = AttendanceStatus::ALL[i % 4];
        let t = Instant::now();
        attendance::mark(db, &c.instructor, today_session, *s, status, today()).await.expect("mark");
        marks.push(t.elapsed());
    }
    far |= report(&format!("{label}: a mark → confirmed (median of {STUDENTS})"), median(marks), mark_budget);

    if concurrent {
        // 20 markers at once, each marking every student of its own session.
        let tasks: Vec<_> = (0..20)
            .map(|k| {
                let (db, who) = (db.clone(), c.instructor.clone());
                let (session, students) = (c.sessions[k], c.students.clone());
                tokio::spawn(async move {
                    let mut times = Vec::new();
                    for s in students {
                        let t = Instant::now();
                        attendance::mark(&db, &who, session, s, AttendanceStatus::Late, today()).await.expect("mark");
                        times.push(t.elapsed());
                    }
                    times
                })
            })
            .collect();
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.expect("marker"));
        }
        let late = attendance::grid(db, c.cohort_id, today()).await.expect("grid");
        let landed = late
            .marks
            .iter()
            .filter(|m| c.sessions[..20].contains(&m.session_id) && m.status == AttendanceStatus::Late)
            .count();
        println!("{label}: 20 concurrent markers: {landed} of {} marks landed", 20 * STUDENTS);
        assert_eq!(landed, 20 * STUDENTS, "a mark was lost");
        far |= report(&format!("{label}: 20 concurrent markers, p95 of a mark"), p95(all), Duration::from_millis(50));
    }
    far
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let far = rt.block_on(async {
        let path = std::env::temp_dir().join(format!("staffroom-bench-attendance-{}.db", std::process::id()));
        let db = Db::open(&format!("sqlite://{}", path.display())).await.expect("sqlite");
        db.migrate().await.expect("migrate");
        let mut far = bench("SQLite", &db, Duration::from_millis(20), false).await;
        db.close().await;
        let _ = std::fs::remove_file(&path);
        if std::env::args().all(|a| a != "--sqlite-only") {
            match pg::fresh_database_url().await {
                Some(url) => {
                    let db = Db::open(&url).await.expect("pg");
                    db.migrate().await.expect("migrate");
                    far |= bench("PostgreSQL", &db, Duration::from_millis(40), true).await;
                }
                None => println!("PostgreSQL: skipped (no server binaries)"),
            }
        }
        far
    });
    if far {
        eprintln!("some figure is more than twice its budget");
        std::process::exit(1);
    }
}
