//! Attendance: the marking rules (who, which session, which enrolment), the rate
//! formula, `A`'s "only the unmarked", roll call driven by keys, and concurrent
//! markers — on both backends.

use crate::common::{PASSWORD, TestDb, actor, login_user, team};
use chrono::{Duration, NaiveDate, Utc};
use crossterm::event::KeyCode;
use staffroom::domain::attendance::AttendanceStatus::{self, *};
use staffroom::domain::lifecycle::EnrollmentStatus;
use staffroom::domain::metrics::attendance_rate;
use staffroom::domain::permissions::Roles;
use staffroom::ui::driver::Driver;
use staffroom::ui::screens::{Screen, ScreenId};
use staffroom_core::store::attendance::{self, GridOf};
use staffroom_core::store::users::{self, NewUser};
use staffroom_core::store::{Actor, Db, StoreError, cohorts};
use std::sync::atomic::{AtomicU32, Ordering};

static N: AtomicU32 = AtomicU32::new(1);

/// A cohort with an assigned instructor, its students (active enrolments), and
/// sessions: `held` dated before today, one today, one tomorrow, one cancelled.
pub struct Class {
    pub cohort_id: i64,
    /// Oldest first; the last is today's.
    pub held: Vec<i64>,
    pub today: i64,
    pub tomorrow: i64,
    pub cancelled: i64,
    /// Enrolment ids, in the order of `names`.
    pub students: Vec<i64>,
}

pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

async fn insert_id(db: &Db, sql: &str, binds: (i64, Option<NaiveDate>, Option<String>)) -> i64 {
    let now = staffroom_core::store::now();
    staffroom_core::with_db!(db, p => {
        let mut q = sqlx::query_scalar::<_, i64>(sql).bind(binds.0);
        if let Some(d) = binds.1 {
            q = q.bind(d);
        }
        if let Some(t) = binds.2 {
            q = q.bind(t);
        }
        q.bind(now).fetch_one(p).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
    })
}

async fn session(db: &Db, cohort_id: i64, date: NaiveDate, status: &str) -> i64 {
    let sql = format!(
        "INSERT INTO sessions (cohort_id, date, title, status, created_at, updated_at) \
         VALUES ($1, $2, $3, '{status}', $4, $4) RETURNING id"
    );
    insert_id(db, &sql, (cohort_id, Some(date), Some(format!("Session of {date}")))).await
}

/// A class taught by `instructor` (none: nobody assigned) with these students.
pub async fn class(db: &Db, instructor: Option<i64>, names: &[&str], held_days: i64) -> Class {
    let n = N.fetch_add(1, Ordering::Relaxed);
    let admin = actor(db, &format!("Class Admin {n}"), Roles::ADMIN).await;
    let program = insert_id(
        db,
        "INSERT INTO programs (slug, title, price_minor, price_currency, created_at, updated_at) \
         VALUES ('p-' || CAST($1 AS TEXT), 'Web Development', 0, 'USD', $2, $2) RETURNING id",
        (i64::from(n), None, None),
    )
    .await;
    let cohort_id = insert_id(
        db,
        "INSERT INTO cohorts (program_id, name, status, capacity, created_at, updated_at) \
         VALUES ($1, $2, 'running', 40, $3, $3) RETURNING id",
        (program, None, Some(format!("Cohort {n}"))),
    )
    .await;
    if let Some(user_id) = instructor {
        let now = staffroom_core::store::now();
        staffroom_core::with_db!(db, p => {
            sqlx::query("INSERT INTO cohort_instructors (cohort_id, user_id, created_at) VALUES ($1, $2, $3)")
                .bind(cohort_id)
                .bind(user_id)
                .bind(now)
                .execute(p)
                .await
                .unwrap()
                .rows_affected()
        });
    }
    let mut held = Vec::new();
    for d in (1..=held_days).rev() {
        held.push(session(db, cohort_id, today() - Duration::days(d), "completed").await);
    }
    let today_id = session(db, cohort_id, today(), "scheduled").await;
    held.push(today_id);
    let tomorrow = session(db, cohort_id, today() + Duration::days(1), "scheduled").await;
    let cancelled = session(db, cohort_id, today() - Duration::days(1), "cancelled").await;
    let mut students = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let new = NewUser {
            email: Some(format!("student-{n}-{i}@test.example")),
            full_name: name.to_string(),
            roles: Roles { student: true, ..Roles::VIEWER },
            ..NewUser::default()
        };
        let s = users::create(db, &Actor::cli(), new).await.expect("student");
        let e = cohorts::enroll(db, &admin, cohort_id, s.id, EnrollmentStatus::Active).await.unwrap();
        students.push(e.id);
    }
    Class { cohort_id, held, today: today_id, tomorrow, cancelled, students }
}

async fn audit_count(db: &Db, action: &str) -> i64 {
    staffroom_core::with_db!(db, p => {
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1").bind(action).fetch_one(p).await.unwrap()
    })
}

fn refused(r: Result<impl std::fmt::Debug, StoreError>, says: &str) {
    match r {
        Err(StoreError::Refused { reason }) => assert!(reason.contains(says), "{reason:?} should say {says:?}"),
        other => panic!("expected a refusal saying {says:?}, got {other:?}"),
    }
}

crate::on_both!(marks_follow_the_rules_and_are_audited, |t: TestDb| async move {
    let team = team(&t.db).await;
    let ines = team.instructor.clone();
    let c = class(&t.db, ines.user_id, &["Sara Nabil", "منى إبراهيم"], 2).await;
    let (sara, mona) = (c.students[0], c.students[1]);

    let m = attendance::mark(&t.db, &ines, c.today, sara, Present, today()).await.unwrap();
    assert_eq!((m.status, m.marked_by), (Present, ines.user_id));
    assert!(m.checked_in_at.is_none(), "present keeps no check-in unless recorded");
    let late = attendance::mark(&t.db, &ines, c.today, mona, Late, today()).await.unwrap();
    assert!(late.checked_in_at.is_some(), "late records the check-in time");
    // A changed mark replaces the first: one record, both changes audited.
    let again = attendance::mark(&t.db, &ines, c.today, sara, Absent, today()).await.unwrap();
    assert_eq!(again.status, Absent);
    let grid = attendance::grid(&t.db, c.cohort_id, today()).await.unwrap();
    assert_eq!(grid.marks.len(), 2);
    assert_eq!(grid.mark(c.today, sara).map(|m| m.status), Some(Absent));
    assert_eq!(audit_count(&t.db, "mark_attendance").await, 3);

    // Who: staff may not; an instructor of another cohort may not; an admin may.
    refused(attendance::mark(&t.db, &team.staff, c.today, sara, Present, today()).await, "may not take attendance");
    let other = actor(&t.db, "Omar Other", Roles::INSTRUCTOR).await;
    refused(
        attendance::mark(&t.db, &other, c.today, sara, Present, today()).await,
        "is not an instructor of this session's cohort",
    );
    attendance::mark(&t.db, &team.admin, c.today, sara, Excused, today()).await.unwrap();
    // Which session: not cancelled, not in the future.
    refused(attendance::mark(&t.db, &ines, c.cancelled, sara, Present, today()).await, "was cancelled");
    refused(attendance::mark(&t.db, &ines, c.tomorrow, sara, Present, today()).await, "is in the future");
    refused(attendance::mark_unmarked_present(&t.db, &ines, c.tomorrow, today()).await, "is in the future");
    // Which student: an enrolment of this cohort that is active or paused.
    let elsewhere = class(&t.db, ines.user_id, &["Karim Elsewhere"], 0).await;
    refused(
        attendance::mark(&t.db, &ines, c.today, elsewhere.students[0], Present, today()).await,
        "is not enrolled in this session's cohort",
    );
    staffroom_core::with_db!(&t.db, p => {
        sqlx::query("UPDATE enrollments SET status = 'dropped' WHERE id = $1").bind(mona).execute(p).await.unwrap().rows_affected()
    });
    refused(attendance::mark(&t.db, &ines, c.today, mona, Present, today()).await, "enrolment is dropped");
    assert_eq!(audit_count(&t.db, "mark_attendance").await, 4, "refusals write nothing");
});

crate::on_both!(the_rate_counts_late_and_leaves_out_excused_cancelled_and_future, |t: TestDb| async move {
    let team = team(&t.db).await;
    let ines = team.instructor.clone();
    // Four held sessions (three past, today), one cancelled, one tomorrow.
    let c = class(&t.db, ines.user_id, &["Layla Haddad", "Yusuf Salem"], 3).await;
    let (layla, yusuf) = (c.students[0], c.students[1]);
    for (session, status) in c.held.iter().zip([Present, Late, Excused, Absent]) {
        attendance::mark(&t.db, &ines, *session, layla, status, today()).await.unwrap();
    }
    let grid = attendance::grid(&t.db, c.cohort_id, today()).await.unwrap();
    assert_eq!(grid.sessions.iter().map(|s| s.id).collect::<Vec<_>>(), c.held, "held sessions, oldest first");
    assert_eq!(grid.held, 4);
    let counts = grid.counts(layla);
    assert_eq!((counts.held, counts.present, counts.late, counts.excused), (4, 1, 1, 1));
    // (present + late) / (held - excused) = 2 / 3
    assert_eq!(attendance_rate(counts), Some(2.0 / 3.0));
    assert_eq!(attendance_rate(grid.counts(yusuf)), Some(0.0), "no mark counts as not attended");
    assert!(grid.sessions.iter().all(|s| s.id != c.cancelled && s.id != c.tomorrow));
});

crate::on_both!(mark_all_present_marks_only_the_unmarked, |t: TestDb| async move {
    let team = team(&t.db).await;
    let ines = team.instructor.clone();
    let c = class(&t.db, ines.user_id, &["A One", "B Two", "C Three", "D Four"], 0).await;
    attendance::mark(&t.db, &ines, c.today, c.students[1], Absent, today()).await.unwrap();
    let n = attendance::mark_unmarked_present(&t.db, &ines, c.today, today()).await.unwrap();
    assert_eq!(n, 3);
    let grid = attendance::grid(&t.db, c.cohort_id, today()).await.unwrap();
    let statuses: Vec<_> = c.students.iter().map(|s| grid.mark(c.today, *s).map(|m| m.status)).collect();
    assert_eq!(statuses, [Some(Present), Some(Absent), Some(Present), Some(Present)], "the absent stays absent");
    assert_eq!(attendance::mark_unmarked_present(&t.db, &ines, c.today, today()).await.unwrap(), 0);
    assert_eq!(audit_count(&t.db, "mark_all_present").await, 2);
});

crate::on_both!(two_instructors_marking_one_session_at_once_lose_nothing, |t: TestDb| async move {
    let team = team(&t.db).await;
    let ines = team.instructor.clone();
    let second = actor(&t.db, "Second Instructor", Roles::INSTRUCTOR).await;
    let names: Vec<String> = (0..20).map(|i| format!("Student {i:02}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let c = class(&t.db, ines.user_id, &refs, 0).await;
    staffroom_core::with_db!(&t.db, p => {
        sqlx::query("INSERT INTO cohort_instructors (cohort_id, user_id, created_at) VALUES ($1, $2, $3)")
            .bind(c.cohort_id)
            .bind(second.user_id)
            .bind(staffroom_core::store::now())
            .execute(p)
            .await
            .unwrap()
            .rows_affected()
    });
    let marks = c.students.iter().enumerate().map(|(i, s)| {
        let (db, who) = (t.db.clone(), if i % 2 == 0 { ines.clone() } else { second.clone() });
        let (session, student) = (c.today, *s);
        tokio::spawn(async move { attendance::mark(&db, &who, session, student, Late, today()).await })
    });
    for m in marks.collect::<Vec<_>>() {
        m.await.unwrap().unwrap();
    }
    let grid = attendance::grid(&t.db, c.cohort_id, today()).await.unwrap();
    assert_eq!(grid.marks.len(), 20, "every mark landed");
    assert!(grid.marks.iter().all(|m| m.status == Late));
    assert_eq!(audit_count(&t.db, "mark_attendance").await, 20);
});

fn status_of(grid: &attendance::Grid, session: i64, student: i64) -> Option<AttendanceStatus> {
    grid.mark(session, student).map(|m| m.status)
}

async fn roll_call_driver(db: &Db, email: &str, w: u16, h: u16) -> Driver {
    let mut d = Driver::new(db.clone(), w, h);
    d.login(email, PASSWORD).await;
    d.app.toasts.clear();
    let effects = d.app.open(ScreenId::Attendance);
    d.run(effects).await;
    d.settle().await;
    d
}

crate::on_both!(roll_call_by_keys_saves_each_mark_and_a_asks_with_the_counts, |t: TestDb| async move {
    let ines = login_user(&t.db, "ines@test.example", "Ines Instructor", Roles::INSTRUCTOR).await;
    let names = ["Amal Fathy", "Bassem Adel", "Chen Li", "Dalia Omar", "Emad Nour", "فاطمة الزهراء"];
    let c = class(&t.db, ines.user_id, &names, 2).await;
    let mut d = roll_call_driver(&t.db, "ines@test.example", 80, 24).await;
    // Her one cohort opens at once, on today's session.
    let screen = d.screen();
    assert!(screen.contains(&format!("Session of {}", today())) && screen.contains("0/6 marked"), "{screen}");
    for key in ['p', 'a', 'l', 'e'] {
        d.press(KeyCode::Char(key)).await;
    }
    d.settle().await;
    let grid = attendance::grid(&t.db, c.cohort_id, today()).await.unwrap();
    let got: Vec<_> = c.students.iter().map(|s| status_of(&grid, c.today, *s)).collect();
    // Students are sorted by name; the fixture's names are in that order.
    assert_eq!(got, [Some(Present), Some(Absent), Some(Late), Some(Excused), None, None]);
    assert!(d.screen().contains("4/6 marked"), "{}", d.screen());
    d.shift('A').await;
    let screen = d.screen();
    // The question wraps in its box; its words are these.
    let question = match d.app.popups.last() {
        Some(staffroom::ui::app::Popup::Confirm { question, .. }) => question.clone(),
        _ => String::new(),
    };
    assert!(screen.contains("mark 2 unmarked as present") && question.ends_with("? 4 already marked"), "{screen}");
    d.press(KeyCode::Char('y')).await;
    d.settle().await;
    let grid = attendance::grid(&t.db, c.cohort_id, today()).await.unwrap();
    assert_eq!(status_of(&grid, c.today, c.students[1]), Some(Absent), "A leaves the marked alone");
    assert_eq!(status_of(&grid, c.today, c.students[5]), Some(Present));
    assert!(d.screen().contains("6/6 marked"), "{}", d.screen());
    // The grid fits 80 columns with the Arabic name at its true width.
    for line in d.screen().lines() {
        assert_eq!(staffroom::text::width(line), 80, "row width: {line}");
    }
    assert!(d.screen().contains("فاطمة"));
});

crate::on_both!(a_refused_mark_puts_the_stored_grid_back_and_says_why, |t: TestDb| async move {
    let ines = login_user(&t.db, "ines@test.example", "Ines Instructor", Roles::INSTRUCTOR).await;
    let c = class(&t.db, ines.user_id, &["Amal Fathy"], 1).await;
    let mut d = roll_call_driver(&t.db, "ines@test.example", 100, 30).await;
    // Meanwhile an admin takes her off the cohort.
    staffroom_core::with_db!(&t.db, p => {
        sqlx::query("DELETE FROM cohort_instructors WHERE cohort_id = $1").bind(c.cohort_id).execute(p).await.unwrap().rows_affected()
    });
    d.press(KeyCode::Char('p')).await;
    d.settle().await;
    let toasts: Vec<String> = d.app.toasts.iter().map(|t| t.text.clone()).collect();
    assert!(toasts.iter().any(|t| t.contains("not an instructor of this session's cohort")), "{toasts:?}");
    let grid = attendance::grid(&t.db, c.cohort_id, today()).await.unwrap();
    assert!(grid.marks.is_empty());
    assert!(d.screen().contains("0/1 marked"), "the grid shows what is stored: {}", d.screen());
});

crate::on_both!(viewers_read_the_grid_but_are_not_offered_marks, |t: TestDb| async move {
    login_user(&t.db, "vera@test.example", "Vera Viewer", Roles::VIEWER).await;
    let c = class(&t.db, None, &["Amal Fathy"], 1).await;
    let mut d = roll_call_driver(&t.db, "vera@test.example", 100, 30).await;
    // The viewer sees every cohort: pick this one.
    let pos = match d.app.screen() {
        Some(Screen::Attendance(s)) => s.cohorts.iter().position(|x| x.id == c.cohort_id).expect("listed"),
        _ => panic!("not the attendance screen"),
    };
    for _ in 0..pos {
        d.press(KeyCode::Down).await;
    }
    d.press(KeyCode::Enter).await;
    d.settle().await;
    let screen = d.screen();
    assert!(screen.contains("0/1 marked"), "{screen}");
    assert!(!screen.contains("p present"), "the hint bar offers a viewer no marks: {screen}");
    d.press(KeyCode::Char('p')).await;
    d.settle().await;
    let grid = attendance::grid(&t.db, c.cohort_id, today()).await.unwrap();
    assert!(grid.marks.is_empty(), "nothing was written");
});

crate::on_both!(the_dashboard_opens_todays_session_for_roll_call, |t: TestDb| async move {
    let ines = login_user(&t.db, "ines@test.example", "Ines Instructor", Roles::INSTRUCTOR).await;
    let c = class(&t.db, ines.user_id, &["Amal Fathy"], 1).await;
    let grid_of = attendance::cohort_of(&t.db, GridOf::Session(c.today)).await.unwrap();
    assert_eq!(grid_of, c.cohort_id);
    let mut d = Driver::new(t.db.clone(), 100, 30);
    d.login("ines@test.example", PASSWORD).await;
    d.settle().await;
    // Tab to the "Today's sessions" pane, Enter on its item.
    let pane = match d.app.screen() {
        Some(Screen::Dashboard(dash)) => dash
            .sections
            .iter()
            .position(|s| s.kind == staffroom_core::store::dashboard::SectionKind::TodaySessions)
            .expect("an instructor's dashboard lists today's sessions"),
        _ => panic!("not the dashboard"),
    };
    for _ in 0..pane {
        d.press(KeyCode::Tab).await;
    }
    d.press(KeyCode::Enter).await;
    d.settle().await;
    let screen = d.screen();
    assert!(screen.contains(&format!("Session of {}", today())) && screen.contains("0/1 marked"), "{screen}");
});

crate::on_both!(export_attendance_writes_the_grids_numbers_and_is_audited, |t: TestDb| async move {
    let team = team(&t.db).await;
    let ines = team.instructor.clone();
    // A name a spreadsheet would run as a formula, and one with an escape sequence.
    let c = class(&t.db, ines.user_id, &["=HYPERLINK(1)", "Layla \u{1b}[2J Haddad"], 2).await;
    let (formula, layla) = (c.students[0], c.students[1]);
    for (session, status) in c.held.iter().zip([Present, Late, Excused]) {
        attendance::mark(&t.db, &ines, *session, layla, status, today()).await.unwrap();
    }
    attendance::mark(&t.db, &ines, c.held[0], formula, Absent, today()).await.unwrap();
    let cohort = c.cohort_id.to_string();
    let out = crate::cli::staffroom(&["export", "attendance", "--cohort", &cohort, "--database-url", &t.url], &[]);
    let csv = crate::cli::ok(&out);
    let lines: Vec<&str> = csv.lines().collect();
    let days: Vec<String> =
        c.held.iter().enumerate().map(|(i, _)| (today() - Duration::days(2 - i as i64)).to_string()).collect();
    assert_eq!(
        lines[0],
        format!("student,enrolment,{},present,late,excused,absent,held,rate_percent,under_threshold", days.join(","))
    );
    // Students by name: "'=HYPERLINK" (protected) sorts before "Layla".
    assert!(
        lines[1].starts_with("'=HYPERLINK(1)") && lines[1].ends_with("absent,,,0,0,0,1,3,0.0,true"),
        "{}",
        lines[1]
    );
    // Layla: present, late, excused over 3 held: (1 + 1) / (3 - 1) = 100 %.
    assert!(lines[2].ends_with("present,late,excused,1,1,1,0,3,100.0,false"), "{}", lines[2]);
    assert!(lines[2].contains('\u{1b}'), "a file or pipe gets the bytes as stored");
    assert_eq!(audit_count(&t.db, "export").await, 1, "the export is audited");
    let missing =
        crate::cli::staffroom(&["export", "attendance", "--cohort", "No Such Cohort", "--database-url", &t.url], &[]);
    crate::cli::assert_one_clear_line(&missing, "cohort");
});

crate::on_both!(notes_and_check_in_and_out_keep_to_the_marking_rules, |t: TestDb| async move {
    let team = team(&t.db).await;
    let ines = team.instructor.clone();
    let c = class(&t.db, ines.user_id, &["Amal Fathy", "Bassem Adel"], 1).await;
    let (amal, bassem) = (c.students[0], c.students[1]);
    // A note needs a mark; then it is kept, replaced, removed — each audited.
    refused(attendance::set_note(&t.db, &ines, c.today, amal, Some("late bus".into()), today()).await, "mark first");
    attendance::mark(&t.db, &ines, c.today, amal, Late, today()).await.unwrap();
    let m = attendance::set_note(&t.db, &ines, c.today, amal, Some("  late bus \u{0}".into()), today()).await.unwrap();
    assert_eq!(m.note.as_deref(), Some("late bus"), "trimmed, NUL dropped");
    let long = "x".repeat(staffroom::domain::attendance::MAX_NOTE_CHARS + 1);
    assert!(matches!(
        attendance::set_note(&t.db, &ines, c.today, amal, Some(long), today()).await,
        Err(StoreError::Invalid { .. })
    ));
    let m = attendance::set_note(&t.db, &ines, c.today, amal, Some("  ".into()), today()).await.unwrap();
    assert_eq!(m.note, None, "a blank note removes it");
    assert_eq!(audit_count(&t.db, "attendance_note").await, 2);
    // c: an unmarked student checks in as present, then out; a third time is refused.
    let m = attendance::check_in_or_out(&t.db, &ines, c.today, bassem, today()).await.unwrap();
    assert_eq!((m.status, m.checked_in_at.is_some(), m.checked_out_at), (Present, true, None));
    let m = attendance::check_in_or_out(&t.db, &ines, c.today, bassem, today()).await.unwrap();
    assert!(m.checked_out_at.is_some() && m.checked_out_at >= m.checked_in_at);
    refused(attendance::check_in_or_out(&t.db, &ines, c.today, bassem, today()).await, "already");
    // Late kept its check-in: c checks Amal out.
    let m = attendance::check_in_or_out(&t.db, &ines, c.today, amal, today()).await.unwrap();
    assert!(m.checked_in_at.is_some() && m.checked_out_at.is_some());
    assert_eq!(audit_count(&t.db, "attendance_check").await, 3);
    // The same rules as a mark: not a future session, not someone else's cohort.
    refused(attendance::check_in_or_out(&t.db, &ines, c.tomorrow, amal, today()).await, "in the future");
    let stranger = actor(&t.db, "Nour Elsewhere", Roles::INSTRUCTOR).await;
    refused(attendance::set_note(&t.db, &stranger, c.today, amal, Some("x".into()), today()).await, "take its roll");
    // The history: every session up to today, cancelled ones shown, the grid's rate.
    let h = attendance::student_history(&t.db, amal, today()).await.unwrap();
    assert_eq!(h.rows.len(), 3, "yesterday, yesterday's cancelled one and today: {:?}", h.rows);
    assert!(h.rows.iter().any(|(_, _, s, _)| *s == staffroom::domain::attendance::SessionStatus::Cancelled));
    assert_eq!((h.counts.held, h.counts.late), (2, 1));
    assert_eq!(attendance_rate(h.counts), Some(0.5));
});

crate::on_both!(notes_history_and_summary_by_keys, |t: TestDb| async move {
    let ines = login_user(&t.db, "ines@test.example", "Ines Instructor", Roles::INSTRUCTOR).await;
    let c = class(&t.db, ines.user_id, &["Amal Fathy", "فاطمة الزهراء"], 2).await;
    let mut d = Driver::new(t.db.clone(), 100, 30);
    d.login("ines@test.example", PASSWORD).await;
    d.app.toasts.clear();
    let effects = d.app.open(ScreenId::Attendance);
    d.run(effects).await;
    d.settle().await;
    // n before a mark says what to do; after one, a note is typed and saved.
    d.press(KeyCode::Char('n')).await;
    assert!(d.screen().contains("mark the student first"), "{}", d.screen());
    d.press(KeyCode::Char('l')).await;
    d.settle().await;
    d.press(KeyCode::Up).await;
    d.press(KeyCode::Char('n')).await;
    assert!(d.screen().contains("Note on Amal Fathy"), "{}", d.screen());
    d.type_text("came from work").await;
    d.press(KeyCode::Enter).await;
    d.settle().await;
    let grid = attendance::grid(&t.db, c.cohort_id, today()).await.unwrap();
    assert_eq!(grid.mark(c.today, c.students[0]).and_then(|m| m.note.clone()).as_deref(), Some("came from work"));
    let screen = d.screen();
    assert!(
        screen.contains("L•") && screen.contains("Amal Fathy · late · in ") && screen.contains("“came from work”"),
        "{screen}"
    );
    // c on Fatima (unmarked): present and checked in.
    d.press(KeyCode::Down).await;
    d.press(KeyCode::Char('c')).await;
    d.settle().await;
    let grid = attendance::grid(&t.db, c.cohort_id, today()).await.unwrap();
    let m = grid.mark(c.today, c.students[1]).expect("checked in");
    assert!(m.status == Present && m.checked_in_at.is_some());
    assert!(d.screen().contains("فاطمة الزهراء · present · in "), "{}", d.screen());
    // s: the session's summary; Enter: the student's history.
    d.press(KeyCode::Char('s')).await;
    let screen = d.screen();
    assert!(screen.contains("2 students: 1 present · 1 late · 0 absent · 0 excused · 0 unmarked"), "{screen}");
    d.press(KeyCode::Esc).await;
    d.press(KeyCode::Up).await;
    d.press(KeyCode::Enter).await;
    d.settle().await;
    let screen = d.screen();
    assert!(
        screen.contains("rate 33%") && screen.contains("under 75%") && screen.contains("“came from work”"),
        "{screen}"
    );
    assert!(screen.contains("(cancelled)"), "{screen}");
    // Esc closes the report, not the screen.
    d.press(KeyCode::Esc).await;
    assert!(d.screen().contains("Attendance"), "{}", d.screen());
});
