//! Planning sessions and a cohort's lifecycle: one session or a weekly series,
//! cohort dates, clashes named before saving, versioned edits, moves and cancels,
//! who may plan; status moves with the automatic announcement. Through the store,
//! and through the calendar's keys — on both backends.

use crate::attendance::{class, today};
use crate::common::{PASSWORD, TestDb, actor, login_user, team};
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use crossterm::event::{KeyCode, KeyModifiers};
use staffroom::domain::lifecycle::CohortStatus;
use staffroom::domain::permissions::Roles;
use staffroom::domain::recurrence::{Ends, Repeat};
use staffroom::domain::session::{DeliveryMode, SessionType};
use staffroom::ui::driver::Driver;
use staffroom::ui::screens::ScreenId;
use staffroom_core::store::sessions::{self, Outcome, SessionFields};
use staffroom_core::store::{Db, StoreError, cohorts};

async fn exec(db: &Db, sql: &str) {
    staffroom_core::with_db!(db, p => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()).unwrap_or_else(|e| panic!("{sql}: {e}")));
}

async fn count(db: &Db, sql: &str) -> i64 {
    staffroom_core::with_db!(db, p => sqlx::query_scalar(sql).fetch_one(p).await.unwrap_or_else(|e| panic!("{sql}: {e}")))
}

fn at(h: u32) -> Option<NaiveTime> {
    NaiveTime::from_hms_opt(h, 0, 0)
}

fn fields(cohort_id: i64, date: NaiveDate, title: &str) -> SessionFields {
    SessionFields {
        cohort_id,
        date,
        starts: at(18),
        ends: at(20),
        mode: DeliveryMode::Onsite,
        location: Some("Lab 2".into()),
        meeting_url: None,
        title: title.into(),
        day_plan: Some("1. Recap\n2. Flexbox".into()),
        session_type: SessionType::Normal,
    }
}

fn saved(o: Outcome) -> Vec<i64> {
    match o {
        Outcome::Saved(ids, _) => ids,
        Outcome::Clashes(c) => panic!("expected a save, got clashes {c:?}"),
    }
}

/// The next `weekday` strictly after today.
fn next(weekday: Weekday) -> NaiveDate {
    let mut d = today() + Duration::days(1);
    while d.weekday() != weekday {
        d += Duration::days(1);
    }
    d
}

crate::on_both!(a_weekly_series_is_planned_whole_within_the_cohort_dates, |t: TestDb| async move {
    let team = team(&t.db).await;
    let ines = team.instructor.clone();
    let c = class(&t.db, ines.user_id, &["Amal Fathy"], 0).await;
    let monday = next(Weekday::Mon);
    let end = monday + Duration::days(27);
    exec(
        &t.db,
        &format!("UPDATE cohorts SET start_date = '{}', end_date = '{end}' WHERE id = {}", today(), c.cohort_id),
    )
    .await;
    let audit_before = count(&t.db, "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'session'").await;
    // Mondays and Thursdays for 6 sessions, skipping the second Monday.
    let repeat = Repeat {
        weekdays: vec![Weekday::Mon, Weekday::Thu],
        ends: Ends::Count(6),
        skip: vec![monday + Duration::days(7)],
    };
    let f = fields(c.cohort_id, monday, "Flexbox");
    let ids = saved(sessions::create(&t.db, &ines, f.clone(), Some(repeat), chrono_tz::UTC, false).await.unwrap());
    assert_eq!(ids.len(), 6, "six sessions held: the skipped Monday moves the series on");
    let mut dates = Vec::new();
    for id in &ids {
        let s = sessions::get(&t.db, *id).await.unwrap();
        assert_eq!((s.fields.starts, s.fields.title.as_str(), s.version), (at(18), "Flexbox", 1));
        dates.push(s.fields.date);
    }
    let d = |n: i64| monday + Duration::days(n);
    assert_eq!(dates, [d(0), d(3), d(10), d(14), d(17), d(21)]);
    let audited = count(&t.db, "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'session'").await - audit_before;
    assert_eq!(audited, 6, "one audit row per session, in the same transaction");

    // A series that runs past the cohort's end is refused whole, naming the dates.
    let long = Repeat { weekdays: vec![Weekday::Tue], ends: Ends::Count(10), skip: vec![] };
    let before = count(&t.db, &format!("SELECT COUNT(*) FROM sessions WHERE cohort_id = {}", c.cohort_id)).await;
    match sessions::create(&t.db, &ines, fields(c.cohort_id, monday, "Too long"), Some(long), chrono_tz::UTC, false)
        .await
    {
        Err(StoreError::Invalid { field, why }) => {
            assert_eq!(field, "date");
            assert!(why.contains(&format!("which runs {} to {end}", today())), "{why}");
        }
        other => panic!("expected the cohort's dates, got {other:?}"),
    }
    let after = count(&t.db, &format!("SELECT COUNT(*) FROM sessions WHERE cohort_id = {}", c.cohort_id)).await;
    assert_eq!(after, before, "nothing of a refused series is written");
});

crate::on_both!(an_until_series_of_a_cairo_cohort_is_planned_across_the_dst_change, |t: TestDb| async move {
    // Every demo cohort is in Africa/Cairo; "until" was refused for any zoned cohort
    // (UNTIL must be UTC when the start has a zone). Egypt's summer time starts on
    // 2026-04-24: the series keeps 18:00 local and ends on its until day.
    let team = team(&t.db).await;
    let ines = team.instructor.clone();
    let c = class(&t.db, ines.user_id, &["Amal Fathy"], 0).await;
    exec(
        &t.db,
        &format!(
            "UPDATE cohorts SET start_date = '2026-04-01', end_date = '2026-06-30', time_zone = 'Africa/Cairo' \
             WHERE id = {}",
            c.cohort_id
        ),
    )
    .await;
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let repeat = Repeat { weekdays: vec![Weekday::Tue], ends: Ends::Until(d("2026-05-05")), skip: vec![] };
    let f = fields(c.cohort_id, d("2026-04-14"), "Until May");
    let ids = saved(sessions::create(&t.db, &ines, f, Some(repeat), chrono_tz::UTC, false).await.unwrap());
    let mut got = Vec::new();
    for id in &ids {
        let s = sessions::get(&t.db, *id).await.unwrap();
        got.push((s.fields.date, s.fields.starts));
    }
    let want: Vec<_> =
        ["2026-04-14", "2026-04-21", "2026-04-28", "2026-05-05"].iter().map(|x| (d(x), at(18))).collect();
    assert_eq!(got, want, "18:00 Cairo time every Tuesday, the last on the until day");
});

crate::on_both!(clashes_are_named_before_saving_and_saved_only_when_asked, |t: TestDb| async move {
    let team = team(&t.db).await;
    let ines = team.instructor.clone();
    let a = class(&t.db, ines.user_id, &["Amal Fathy"], 0).await;
    let b = class(&t.db, ines.user_id, &["Bassem Adel"], 0).await;
    let other = actor(&t.db, "Omar Other", Roles::INSTRUCTOR).await;
    let c = class(&t.db, other.user_id, &["Chen Li"], 0).await;
    let day = today() + Duration::days(5);
    saved(
        sessions::create(&t.db, &ines, fields(a.cohort_id, day, "A evening"), None, chrono_tz::UTC, false)
            .await
            .unwrap(),
    );
    // Ines teaches B too: 19:00–21:00 overlaps A's 18:00–20:00.
    let mut f = fields(b.cohort_id, day, "B evening");
    f.starts = at(19);
    f.ends = at(21);
    match sessions::create(&t.db, &ines, f.clone(), None, chrono_tz::UTC, false).await.unwrap() {
        Outcome::Clashes(found) => {
            assert_eq!(found.len(), 1, "{found:?}");
            assert!(
                found[0].contains("clashes with \"A evening\"") && found[0].ends_with("a shared instructor"),
                "{found:?}"
            );
            assert!(found[0].starts_with(&format!("{day} 19:00")), "{found:?}");
        }
        other => panic!("expected a clash, got {other:?}"),
    }
    let n = |title: &'static str| {
        let db = t.db.clone();
        async move { count(&db, &format!("SELECT COUNT(*) FROM sessions WHERE title = '{title}'")).await }
    };
    assert_eq!(n("B evening").await, 0, "a clash writes nothing until confirmed");
    saved(sessions::create(&t.db, &ines, f, None, chrono_tz::UTC, true).await.unwrap());
    assert_eq!(n("B evening").await, 1, "saved anyway when the user says so");
    // Another teacher's cohort at the same time is no clash; nor is back to back.
    let other_f = fields(c.cohort_id, day, "C evening");
    saved(sessions::create(&t.db, &other, other_f, None, chrono_tz::UTC, false).await.unwrap());
    let mut later = fields(a.cohort_id, day, "A late");
    later.starts = at(21);
    later.ends = at(22);
    saved(sessions::create(&t.db, &ines, later, None, chrono_tz::UTC, false).await.unwrap());
    // The same cohort twice at once is a clash too.
    match sessions::create(&t.db, &ines, fields(a.cohort_id, day, "A again"), None, chrono_tz::UTC, false)
        .await
        .unwrap()
    {
        Outcome::Clashes(found) => assert!(found.iter().any(|c| c.ends_with("the same cohort")), "{found:?}"),
        other => panic!("expected a clash, got {other:?}"),
    }
});

crate::on_both!(edits_are_versioned_and_moves_and_cancels_follow_the_rules, |t: TestDb| async move {
    let team = team(&t.db).await;
    let ines = team.instructor.clone();
    let c = class(&t.db, ines.user_id, &["Amal Fathy"], 0).await;
    let day = today() + Duration::days(10);
    let id = saved(
        sessions::create(&t.db, &ines, fields(c.cohort_id, day, "Grid"), None, chrono_tz::UTC, false).await.unwrap(),
    )[0];
    // Two editors from version 1: the first lands, the second is refused naming her.
    let mut mine = fields(c.cohort_id, day, "Grid layout");
    mine.location = Some("Lab 3".into());
    saved(sessions::update(&t.db, &ines, id, 1, mine, false).await.unwrap());
    match sessions::update(&t.db, &team.admin, id, 1, fields(c.cohort_id, day, "CSS Grid"), false).await {
        Err(StoreError::Conflict { by, .. }) => assert_eq!(by.as_deref(), Some("Ines Instructor")),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let s = sessions::get(&t.db, id).await.unwrap();
    assert_eq!((s.fields.title.as_str(), s.fields.location.as_deref(), s.version), ("Grid layout", Some("Lab 3"), 2));
    // H/L: a day later, audited as a move.
    saved(sessions::shift(&t.db, &ines, id, 2, 1, false).await.unwrap());
    let s = sessions::get(&t.db, id).await.unwrap();
    assert_eq!((s.fields.date, s.version), (day + Duration::days(1), 3));
    let moved = count(&t.db, &format!("SELECT COUNT(*) FROM audit_log WHERE entity_id = {id} AND entity_type = 'session' AND summary LIKE 'moved%'")).await;
    assert_eq!(moved, 1);
    // A session stays in its cohort; the mode needs its place.
    let other = class(&t.db, ines.user_id, &[], 0).await;
    match sessions::update(&t.db, &ines, id, 3, fields(other.cohort_id, day, "Grid"), false).await {
        Err(StoreError::Invalid { field, .. }) => assert_eq!(field, "cohort"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let mut remote = fields(c.cohort_id, day, "Grid");
    remote.mode = DeliveryMode::Remote;
    match sessions::update(&t.db, &ines, id, 3, remote, false).await {
        Err(StoreError::Invalid { field, why }) => assert!(field == "meeting_url" && why.contains("remote"), "{why}"),
        other => panic!("expected the link to be asked for, got {other:?}"),
    }
    // Cancel: once; then nothing more changes it.
    let s = sessions::cancel(&t.db, &ines, id, 3).await.unwrap();
    assert_eq!((s.status.as_str(), s.version), ("cancelled", 4));
    match sessions::cancel(&t.db, &ines, id, 4).await {
        Err(StoreError::Refused { reason }) => assert!(reason.contains("already cancelled"), "{reason}"),
        other => panic!("{other:?}"),
    }
    match sessions::shift(&t.db, &ines, id, 4, 1, false).await {
        Err(StoreError::Refused { reason }) => assert!(reason.contains("was cancelled"), "{reason}"),
        other => panic!("{other:?}"),
    }
});

crate::on_both!(only_the_cohorts_instructors_and_admins_plan_its_sessions, |t: TestDb| async move {
    let team = team(&t.db).await;
    let c = class(&t.db, team.instructor.user_id, &[], 0).await;
    let day = today() + Duration::days(3);
    let stranger = actor(&t.db, "Nour Elsewhere", Roles::INSTRUCTOR).await;
    match sessions::create(&t.db, &stranger, fields(c.cohort_id, day, "X"), None, chrono_tz::UTC, false).await {
        Err(StoreError::Refused { reason }) => {
            assert!(reason.contains("only its instructors and admins plan"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    for who in [&team.staff, &team.viewer] {
        assert!(matches!(
            sessions::create(&t.db, who, fields(c.cohort_id, day, "X"), None, chrono_tz::UTC, false).await,
            Err(StoreError::Refused { .. })
        ));
    }
    saved(
        sessions::create(&t.db, &team.admin, fields(c.cohort_id, day, "By the admin"), None, chrono_tz::UTC, false)
            .await
            .unwrap(),
    );
    // A completed cohort's calendar is closed.
    exec(&t.db, &format!("UPDATE cohorts SET status = 'completed' WHERE id = {}", c.cohort_id)).await;
    match sessions::create(&t.db, &team.admin, fields(c.cohort_id, day, "Late"), None, chrono_tz::UTC, false).await {
        Err(StoreError::Refused { reason }) => assert!(reason.contains("is completed"), "{reason}"),
        other => panic!("{other:?}"),
    }
});

crate::on_both!(a_cohort_moves_along_its_lifecycle_and_coming_soon_announces_it, |t: TestDb| async move {
    let team = team(&t.db).await;
    let c = class(&t.db, team.instructor.user_id, &["Amal Fathy"], 0).await;
    exec(
        &t.db,
        &format!("UPDATE cohorts SET status = 'planned', start_date = '2027-02-01' WHERE id = {}", c.cohort_id),
    )
    .await;
    let h = cohorts::header(&t.db, c.cohort_id).await.unwrap();
    assert_eq!(
        (h.status, h.capacity, h.seats_taken, h.instructors.clone()),
        (CohortStatus::Planned, Some(40), 1, vec!["Ines Instructor".to_string()])
    );
    // An instructor may not move it; a refused move names the allowed ones.
    assert!(matches!(
        cohorts::move_status(&t.db, &team.instructor, c.cohort_id, h.version, CohortStatus::Open).await,
        Err(StoreError::Refused { .. })
    ));
    match cohorts::move_status(&t.db, &team.admin, c.cohort_id, h.version, CohortStatus::Running).await {
        Err(StoreError::Refused { reason }) => {
            assert!(reason.contains("allowed from planned: coming_soon, open, cancelled"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    let announced = |db: Db, id: i64| async move {
        count(&db, &format!("SELECT COUNT(*) FROM announcements WHERE cohort_id = {id} AND is_auto = TRUE")).await
    };
    assert_eq!(announced(t.db.clone(), c.cohort_id).await, 0);
    let soon =
        cohorts::move_status(&t.db, &team.admin, c.cohort_id, h.version, CohortStatus::ComingSoon).await.unwrap();
    assert_eq!(soon.status, CohortStatus::ComingSoon);
    assert_eq!(announced(t.db.clone(), c.cohort_id).await, 1, "coming soon publishes the website announcement");
    let audited = count(
        &t.db,
        &format!("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'announcement' AND summary = 'announced {} on the website (automatic, cohort is coming soon)'", h.name),
    )
    .await;
    assert_eq!(audited, 1, "the announcement is audited with the move");
    // A stale version is a conflict naming the admin; open does not announce again.
    match cohorts::move_status(&t.db, &team.admin, c.cohort_id, h.version, CohortStatus::Open).await {
        Err(StoreError::Conflict { by, .. }) => assert_eq!(by.as_deref(), Some("Amira Admin")),
        other => panic!("{other:?}"),
    }
    cohorts::move_status(&t.db, &team.admin, c.cohort_id, soon.version, CohortStatus::Open).await.unwrap();
    assert_eq!(announced(t.db.clone(), c.cohort_id).await, 1);
});

async fn calendar_as(db: &Db, email: &str) -> Driver {
    let mut d = Driver::new(db.clone(), 100, 30);
    d.login(email, PASSWORD).await;
    d.app.toasts.clear();
    let effects = d.app.open(ScreenId::Calendar);
    d.run(effects).await;
    d.settle().await;
    d
}

async fn ctrl_s(d: &mut Driver) {
    d.press_key(crossterm::event::KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)).await;
    d.settle().await;
}

/// Tab to the field labelled `label` in the open form (at most 20 fields).
async fn to_field(d: &mut Driver, label: &str) {
    for _ in 0..20 {
        // The focused line field shows the cursor bar after its text.
        if d.screen().lines().any(|l| l.contains(&format!(" {label} ")) && l.contains('▏')) {
            return;
        }
        d.press(KeyCode::Tab).await;
    }
    panic!("no field {label}: {}", d.screen());
}

crate::on_both!(a_series_is_planned_from_the_calendar_by_keys_and_a_clash_asks_first, |t: TestDb| async move {
    let ines = login_user(&t.db, "ines@test.example", "Ines Instructor", Roles::INSTRUCTOR).await;
    let c = class(&t.db, ines.user_id, &["Amal Fathy"], 0).await;
    let name = staffroom_core::with_db!(&t.db, p => sqlx::query_scalar::<_, String>("SELECT name FROM cohorts WHERE id = $1").bind(c.cohort_id).fetch_one(p).await.unwrap());
    let mut d = calendar_as(&t.db, "ines@test.example").await;
    // Today's session of the class is selected: `n` plans in its cohort, on today.
    d.press(KeyCode::Char('n')).await;
    let screen = d.screen();
    assert!(screen.contains("New session") && screen.contains(&name), "{screen}");
    to_field(&mut d, "location").await;
    d.type_text("Lab 2").await;
    to_field(&mut d, "title").await;
    d.type_text("Forms").await;
    to_field(&mut d, "repeat on").await;
    d.type_text("mon wed").await;
    to_field(&mut d, "or sessions").await;
    d.type_text("3").await;
    ctrl_s(&mut d).await;
    // Today's class session is 00:00–? (no times): a session of the same cohort
    // on today clashes only if today is a Monday or Wednesday; the default times
    // are empty (all day), so a clash on today is named and asked about.
    let screen = d.screen();
    if screen.contains("This clashes") {
        assert!(screen.contains("the same cohort") && screen.contains("Save anyway"), "{screen}");
        d.press(KeyCode::Char('y')).await;
        d.settle().await;
    }
    let screen = d.screen();
    assert!(screen.contains("3 sessions of \"Forms\" planned"), "{screen}");
    let n =
        count(&t.db, &format!("SELECT COUNT(*) FROM sessions WHERE cohort_id = {} AND title = 'Forms'", c.cohort_id))
            .await;
    assert_eq!(n, 3);
    let days: Vec<NaiveDate> = staffroom_core::with_db!(&t.db, p => sqlx::query_scalar("SELECT date FROM sessions WHERE title = 'Forms' ORDER BY date").fetch_all(p).await.unwrap());
    assert!(days.iter().all(|d| matches!(d.weekday(), Weekday::Mon | Weekday::Wed)), "{days:?}");

    // A refused field keeps everything typed: an onsite session with no place.
    d.press(KeyCode::Char('n')).await;
    to_field(&mut d, "title").await;
    d.type_text("Nowhere").await;
    to_field(&mut d, "location").await;
    ctrl_s(&mut d).await;
    let screen = d.screen();
    assert!(screen.contains("is needed for an onsite session") && screen.contains("Nowhere"), "{screen}");
    d.press(KeyCode::Char('X')).await;
    to_field(&mut d, "starts").await;
    d.type_text("25:99").await;
    ctrl_s(&mut d).await;
    assert!(d.screen().contains("'25:99' is not a time of day"), "{}", d.screen());
});

crate::on_both!(h_and_l_move_a_session_and_quick_presses_add_up, |t: TestDb| async move {
    let ines = login_user(&t.db, "ines@test.example", "Ines Instructor", Roles::INSTRUCTOR).await;
    let c = class(&t.db, ines.user_id, &["Amal Fathy"], 0).await;
    // Tomorrow's session goes two days on, so tomorrow is free.
    let (tomorrow, later) = (today() + Duration::days(1), today() + Duration::days(2));
    exec(&t.db, &format!("UPDATE sessions SET date = '{later}' WHERE id = {}", c.tomorrow)).await;
    let date_of = |id: i64| {
        let db = t.db.clone();
        async move {
            let d: NaiveDate = staffroom_core::with_db!(&db, p => sqlx::query_scalar("SELECT date FROM sessions WHERE id = $1").bind(id).fetch_one(p).await.unwrap());
            d
        }
    };
    let mut d = calendar_as(&t.db, "ines@test.example").await;
    // Week view: today's session selected. Three quick presses, no waiting.
    d.press(KeyCode::Char('w')).await;
    d.settle().await;
    d.shift('L').await;
    d.shift('L').await;
    d.shift('H').await;
    d.settle().await;
    d.settle().await;
    assert_eq!(date_of(c.today).await, tomorrow, "L L H is one day later, nothing lost or doubled: {}", d.screen());
    let screen = d.screen();
    assert!(!screen.contains("was changed by"), "no conflict with my own moves: {screen}");
    let moves = count(
        &t.db,
        &format!(
            "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'session' AND entity_id = {} AND summary LIKE 'moved%'",
            c.today
        ),
    )
    .await;
    assert!(moves >= 1, "each saved move is audited");
    // Onto the day of the cohort's next session: a clash, asked about. No: stays.
    d.shift('L').await;
    d.settle().await;
    let screen = d.screen();
    assert!(screen.contains("This clashes") && screen.contains("the same cohort"), "{screen}");
    d.press(KeyCode::Char('n')).await;
    d.settle().await;
    assert_eq!(date_of(c.today).await, tomorrow, "n leaves it where it was");
    d.shift('L').await;
    d.settle().await;
    d.press(KeyCode::Char('y')).await;
    d.settle().await;
    assert_eq!(date_of(c.today).await, later, "y moves it anyway");
    // x cancels after asking.
    d.press(KeyCode::Char('x')).await;
    assert!(d.screen().contains("cancel \""), "{}", d.screen());
    d.press(KeyCode::Char('y')).await;
    d.settle().await;
    let status: String = staffroom_core::with_db!(&t.db, p => sqlx::query_scalar("SELECT status FROM sessions WHERE id = $1").bind(c.today).fetch_one(p).await.unwrap());
    assert_eq!(status, "cancelled");
    d.shift('L').await;
    d.settle().await;
    assert!(d.screen().contains("was cancelled; plan a new session"), "{}", d.screen());
});

crate::on_both!(staff_and_viewers_read_the_calendar_but_plan_nothing, |t: TestDb| async move {
    login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    let ines = actor(&t.db, "Ines Instructor", Roles::INSTRUCTOR).await;
    class(&t.db, ines.user_id, &["Amal Fathy"], 0).await;
    let mut d = calendar_as(&t.db, "sami@test.example").await;
    let before = count(&t.db, "SELECT COUNT(*) FROM sessions").await;
    for key in ['n', 'e', 'L', 'x', 'i'] {
        if key.is_uppercase() {
            d.shift(key).await;
        } else {
            d.press(KeyCode::Char(key)).await;
        }
        d.settle().await;
        assert!(!d.screen().contains("New session"), "{key}: {}", d.screen());
    }
    assert_eq!(count(&t.db, "SELECT COUNT(*) FROM sessions").await, before);
    assert!(d.screen().contains("may not") || d.screen().contains("not allowed"), "{}", d.screen());
});

crate::on_both!(an_edit_meeting_someone_elses_change_names_them_and_keeps_the_typing, |t: TestDb| async move {
    let ines = login_user(&t.db, "ines@test.example", "Ines Instructor", Roles::INSTRUCTOR).await;
    let admin = actor(&t.db, "Amira Admin", Roles::ADMIN).await;
    let c = class(&t.db, ines.user_id, &["Amal Fathy"], 0).await;
    let mut d = calendar_as(&t.db, "ines@test.example").await;
    d.press(KeyCode::Char('e')).await;
    d.settle().await;
    assert!(d.screen().contains("Edit \"Session of"), "{}", d.screen());
    // Meanwhile the admin renames it.
    let s = sessions::get(&t.db, c.today).await.unwrap();
    let mut theirs = s.fields.clone();
    theirs.title = "Renamed by admin".into();
    saved(sessions::update(&t.db, &admin, c.today, s.version, theirs, true).await.unwrap());
    to_field(&mut d, "location").await;
    d.type_text("Lab 9").await;
    ctrl_s(&mut d).await;
    let screen = d.screen();
    assert!(screen.contains("changed by Amira Admin") && screen.contains("Lab 9"), "{screen}");
    // Saving again, knowingly, goes over their version.
    ctrl_s(&mut d).await;
    let s = sessions::get(&t.db, c.today).await.unwrap();
    assert_eq!(s.fields.location.as_deref(), Some("Lab 9"));
    assert_eq!(s.version, 3);
});
