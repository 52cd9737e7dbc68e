//! Snapshots of the calendar's month, week and agenda and of the attendance grid at
//! 80x24, with Arabic, CJK and emoji names, a clash, a cancelled session and an
//! event: one fixed March 2026 (the app's clock is set to it), so the frames do not
//! move with the real date. Reviewed by eye; rendering does not depend on the
//! backend, so SQLite only.

use crate::common::{PASSWORD, TestDb, exec_at, login_user};
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use crossterm::event::KeyCode;
use staffroom::domain::attendance::AttendanceStatus::*;
use staffroom::domain::lifecycle::EnrollmentStatus;
use staffroom::domain::permissions::Roles;
use staffroom::domain::recurrence::{Ends, Repeat};
use staffroom::domain::session::{DeliveryMode, SessionType};
use staffroom::ui::driver::Driver;
use staffroom::ui::screens::ScreenId;
use staffroom_core::store::sessions::{self, Outcome, SessionFields};
use staffroom_core::store::users::{self, NewUser};
use staffroom_core::store::{Actor, Db, attendance, cohorts};

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

async fn cohort(db: &Db, name: &str, instructor: i64) -> i64 {
    let at = staffroom_core::store::now();
    let id: i64 = staffroom_core::with_db!(db, p => {
        let program: i64 = sqlx::query_scalar(
            "INSERT INTO programs (slug, title, price_minor, price_currency, created_at, updated_at) \
             VALUES ($1, 'Web Development', 0, 'USD', $2, $2) RETURNING id",
        )
        .bind(format!("web-{}", name.len()))
        .bind(at)
        .fetch_one(p)
        .await
        .expect("program");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO cohorts (program_id, name, status, capacity, start_date, end_date, created_at, updated_at) \
             VALUES ($1, $2, 'running', 24, '2026-02-01', '2026-06-30', $3, $3) RETURNING id",
        )
        .bind(program)
        .bind(name)
        .bind(at)
        .fetch_one(p)
        .await
        .expect("cohort");
        sqlx::query("INSERT INTO cohort_instructors (cohort_id, user_id, created_at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(instructor)
            .bind(at)
            .execute(p)
            .await
            .expect("instructor");
        id
    });
    id
}

fn fields(cohort_id: i64, date: &str, from: u32, to: u32, title: &str) -> SessionFields {
    SessionFields {
        cohort_id,
        date: day(date),
        starts: NaiveTime::from_hms_opt(from, 0, 0),
        ends: NaiveTime::from_hms_opt(to, 0, 0),
        mode: DeliveryMode::Onsite,
        location: Some("Lab 2".into()),
        meeting_url: None,
        title: title.into(),
        day_plan: None,
        session_type: SessionType::Normal,
    }
}

fn ids(o: Outcome) -> Vec<i64> {
    match o {
        Outcome::Saved(ids, _) => ids,
        Outcome::Clashes(c) => panic!("{c:?}"),
    }
}

#[tokio::test]
async fn month_week_agenda_and_grid_at_80x24() {
    let t = TestDb::sqlite().await;
    let db = &t.db;
    let ines = login_user(db, "ines@test.example", "Ines Instructor", Roles::INSTRUCTOR).await;
    let admin = login_user(db, "amira@test.example", "Amira Admin", Roles::ADMIN).await;
    let web = cohort(db, "Web 7 · الدفعة السابعة", ines.user_id.expect("id")).await;
    let data = cohort(db, "Data 3", ines.user_id.expect("id")).await;
    let repeat =
        Repeat { weekdays: vec![Weekday::Mon, Weekday::Wed], ends: Ends::Until(day("2026-03-25")), skip: vec![] };
    let series = ids(sessions::create(
        db,
        &ines,
        fields(web, "2026-03-02", 18, 20, "CSS Grid 🎨"),
        Some(repeat),
        chrono_tz::UTC,
        false,
    )
    .await
    .expect("series"));
    assert_eq!(series.len(), 8);
    let s11 = sessions::get(db, series[3]).await.expect("session");
    sessions::cancel(db, &ines, s11.id, s11.version).await.expect("cancel");
    // Ines teaches both cohorts: a Data 3 session at 19:00 on the 18th clashes.
    ids(sessions::create(
        db,
        &ines,
        fields(data, "2026-03-18", 19, 21, "مقدمة في البيانات"),
        None,
        chrono_tz::UTC,
        true,
    )
    .await
    .expect("clash saved anyway"));
    exec_at(
        db,
        "INSERT INTO events (slug, title, event_type, starts_at, duration_minutes, max_attendees, currency, created_at, updated_at) \
         VALUES ('open-day', 'Open day 🎓', 'public_event', '2026-03-20T10:00:00Z', 120, 40, 'EGP', $1, $1)",
        staffroom_core::store::now(),
    )
    .await;
    let mut students = Vec::new();
    for (i, name) in ["Amal Fathy", "فاطمة الزهراء", "李雷", "Omar 🎓 Khaled", "Zeina Saad"].iter().enumerate()
    {
        let new = NewUser {
            email: Some(format!("s{i}@test.example")),
            full_name: name.to_string(),
            roles: Roles { student: true, ..Roles::VIEWER },
            ..NewUser::default()
        };
        let u = users::create(db, &Actor::cli(), new).await.expect("student");
        students.push(cohorts::enroll(db, &admin, web, u.id, EnrollmentStatus::Active).await.expect("enrol").id);
    }
    let today = Utc::now().date_naive();
    let marks = [
        [Present, Present, Late, Absent, Present],
        [Present, Absent, Absent, Absent, Excused],
        [Late, Present, Present, Absent, Present],
    ];
    for (s, row) in [series[0], series[1], series[2]].iter().zip(marks) {
        for (e, status) in students.iter().zip(row) {
            attendance::mark(db, &ines, *s, *e, status, today).await.expect("mark");
        }
    }

    let mut d = Driver::new(db.clone(), 80, 24);
    d.login("ines@test.example", PASSWORD).await;
    d.tick_at(Utc.with_ymd_and_hms(2026, 3, 16, 9, 0, 0).single().expect("time")).await;
    d.app.toasts.clear();
    let effects = d.app.open(ScreenId::Calendar);
    d.run(effects).await;
    d.settle().await;
    insta::assert_snapshot!("calendar_month_80x24", d.screen());
    d.press(KeyCode::Char('w')).await;
    d.settle().await;
    insta::assert_snapshot!("calendar_week_80x24", d.screen());
    // The clash day of the week: the 18th, both sessions marked.
    d.press(KeyCode::Char('l')).await;
    d.press(KeyCode::Char('l')).await;
    d.settle().await;
    insta::assert_snapshot!("calendar_week_clash_80x24", d.screen());
    d.press(KeyCode::Char('a')).await;
    d.settle().await;
    insta::assert_snapshot!("calendar_agenda_80x24", d.screen());
    // Back to the 4th (a held session with marks) and into its roll call.
    d.press(KeyCode::Char('g')).await;
    d.type_text("2026-03-04").await;
    d.press(KeyCode::Enter).await;
    d.settle().await;
    d.press(KeyCode::Enter).await;
    d.settle().await;
    insta::assert_snapshot!("attendance_grid_80x24", d.screen());
}
