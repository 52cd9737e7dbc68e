//! The cohort calendar: what a range holds for whom, clashes end to end, and the
//! screen's views, periods, typed dates and Enter into roll call — on both backends.

use crate::attendance::{class, today};
use crate::common::{PASSWORD, TestDb, actor, login_user, team};
use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use crossterm::event::KeyCode;
use staffroom::domain::permissions::Roles;
use staffroom::ui::driver::Driver;
use staffroom::ui::screens::{Screen, ScreenId};
use staffroom_core::store::Db;
use staffroom_core::store::calendar::{self, Kind};

async fn exec(db: &Db, sql: &str) {
    staffroom_core::with_db!(db, p => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()).unwrap_or_else(|e| panic!("{sql}: {e}")));
}

async fn session_at(db: &Db, cohort: i64, date: NaiveDate, from: &str, to: &str, title: &str) {
    exec(
        db,
        &format!(
            "INSERT INTO sessions (cohort_id, date, starts_at, ends_at, title, created_at, updated_at) \
             VALUES ({cohort}, '{date}', '{from}', '{to}', '{title}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
        ),
    )
    .await;
}

crate::on_both!(a_range_holds_my_sessions_the_events_and_the_clashes, |t: TestDb| async move {
    let team = team(&t.db).await;
    let ines = team.instructor.clone();
    let a = class(&t.db, ines.user_id, &["Amal Fathy"], 0).await;
    let b = class(&t.db, ines.user_id, &["Bassem Adel"], 0).await;
    let other = actor(&t.db, "Omar Other", Roles::INSTRUCTOR).await;
    let c = class(&t.db, other.user_id, &["Chen Li"], 0).await;
    let day = today() + Duration::days(3);
    session_at(&t.db, a.cohort_id, day, "18:00:00", "20:00:00", "A evening").await;
    // Ines teaches both: B overlapping A is a clash; C (another teacher) is not.
    session_at(&t.db, b.cohort_id, day, "19:00:00", "21:00:00", "B evening").await;
    session_at(&t.db, c.cohort_id, day, "18:00:00", "20:00:00", "C evening").await;
    session_at(&t.db, a.cohort_id, day, "20:00:00", "21:00:00", "A late").await;
    exec(
        &t.db,
        &format!(
            "INSERT INTO events (slug, title, event_type, starts_at, duration_minutes, max_attendees, currency, created_at, updated_at) \
             VALUES ('open-day', 'Open day', 'public_event', '{day}T09:00:00Z', 120, 40, 'EGP', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
        ),
    )
    .await;
    let tz = chrono_tz::Tz::UTC;
    let mine = calendar::range(&t.db, &ines, day, day, tz, Default::default()).await.unwrap();
    let titles: Vec<&str> = mine.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["Open day", "A evening", "B evening", "A late"], "her cohorts and the events, by time");
    let clash = |title: &str| mine.iter().find(|e| e.title == title).and_then(|e| e.clash.clone());
    assert!(
        clash("A evening")
            .is_some_and(|c| c.starts_with("clashes with \"B evening\"") && c.ends_with("a shared instructor")),
        "{:?}",
        clash("A evening")
    );
    assert!(clash("B evening").is_some_and(|c| c.contains("\"A evening\"")));
    assert!(clash("A late").is_some_and(|c| c.contains("\"B evening\"")), "20:00-21:00 overlaps B's 19:00-21:00");
    let event = mine.iter().find(|e| e.kind == Kind::Event).unwrap();
    assert_eq!((event.seats.as_deref(), event.starts), (Some("0/40"), NaiveTime::from_hms_opt(9, 0, 0)));
    // The admin sees every cohort; C's session clashes with nothing.
    let all = calendar::range(&t.db, &team.admin, day, day, tz, Default::default()).await.unwrap();
    assert_eq!(all.len(), 5);
    assert_eq!(all.iter().find(|e| e.title == "C evening").unwrap().clash, None);
    // A range is bounded.
    let long =
        calendar::range(&t.db, &team.admin, day - Duration::days(400), day, tz, Default::default()).await.unwrap();
    assert!(long.iter().all(|e| e.date < day), "at most {} days from the start", calendar::MAX_DAYS);
});

async fn calendar_driver(db: &Db, email: &str, w: u16, h: u16) -> Driver {
    let mut d = Driver::new(db.clone(), w, h);
    d.login(email, PASSWORD).await;
    d.app.toasts.clear();
    let effects = d.app.open(ScreenId::Calendar);
    d.run(effects).await;
    d.settle().await;
    d
}

fn month_name(d: NaiveDate) -> String {
    d.format("%B %Y").to_string()
}

crate::on_both!(the_calendar_switches_views_moves_by_period_and_goes_to_typed_dates, |t: TestDb| async move {
    let ines = login_user(&t.db, "ines@test.example", "Ines Instructor", Roles::INSTRUCTOR).await;
    let c = class(&t.db, ines.user_id, &["Amal Fathy", "فاطمة الزهراء"], 1).await;
    let mut d = calendar_driver(&t.db, "ines@test.example", 80, 24).await;
    let screen = d.screen();
    assert!(screen.contains(&month_name(today())) && screen.contains("Calendar · month"), "{screen}");
    for line in screen.lines() {
        assert_eq!(staffroom::text::width(line), 80, "row width: {line}");
    }
    // Today's session is selected: the footer names it.
    assert!(screen.contains(&format!("Session of {}", today())), "{screen}");
    d.press(KeyCode::Char(']')).await;
    d.settle().await;
    let next = today().with_day(1).unwrap() + chrono::Months::new(1);
    assert!(d.screen().contains(&month_name(next)), "{}", d.screen());
    d.press(KeyCode::Char('t')).await;
    d.settle().await;
    d.press(KeyCode::Char('w')).await;
    d.settle().await;
    let screen = d.screen();
    assert!(screen.contains("Calendar · week") && screen.contains(&today().format("%a %d").to_string()), "{screen}");
    d.press(KeyCode::Char('a')).await;
    d.settle().await;
    assert!(d.screen().contains(&today().format("%a %Y-%m-%d").to_string()), "{}", d.screen());
    // A date typed badly keeps the text and says why; a good one goes there.
    d.press(KeyCode::Char('g')).await;
    d.type_text("someday").await;
    d.press(KeyCode::Enter).await;
    let screen = d.screen();
    assert!(screen.contains("'someday' is not a date") && screen.contains("go to: someday"), "{screen}");
    for _ in 0.."someday".len() {
        d.press(KeyCode::Backspace).await;
    }
    d.type_text("-1").await;
    d.press(KeyCode::Enter).await;
    d.settle().await;
    let yesterday = today() - Duration::days(1);
    assert!(d.screen().contains(&format!("Session of {yesterday}")), "{}", d.screen());
    // Enter on a session opens its roll call.
    d.press(KeyCode::Enter).await;
    d.settle().await;
    match d.app.screen() {
        Some(Screen::Attendance(a)) => {
            let g = a.grid.as_ref().expect("grid loaded");
            assert_eq!(g.sessions[a.col].id, c.held[0], "the session entered is selected");
        }
        _ => panic!("Enter should open the roll call: {}", d.screen()),
    }
});

crate::on_both!(enter_on_a_session_not_held_yet_says_so_instead_of_opening_another, |t: TestDb| async move {
    let ines = login_user(&t.db, "ines@test.example", "Ines Instructor", Roles::INSTRUCTOR).await;
    let c = class(&t.db, ines.user_id, &["Amal Fathy"], 1).await;
    let mut d = calendar_driver(&t.db, "ines@test.example", 100, 30).await;
    d.press(KeyCode::Char('g')).await;
    d.type_text("+1").await;
    d.press(KeyCode::Enter).await;
    d.settle().await;
    let tomorrow = today() + Duration::days(1);
    assert!(d.screen().contains(&format!("Session of {tomorrow}")), "{}", d.screen());
    d.press(KeyCode::Enter).await;
    d.settle().await;
    assert!(matches!(d.app.screen(), Some(Screen::Calendar(_))), "no roll call of another session: {}", d.screen());
    let said: Vec<String> = d.app.toasts.iter().map(|t| t.text.clone()).collect();
    assert!(said.iter().any(|t| t.contains(&format!("on {tomorrow} has not been held yet"))), "{said:?}");
    // `p` there marks nobody.
    d.press(KeyCode::Char('p')).await;
    d.settle().await;
    let marks: i64 = staffroom_core::with_db!(&t.db, p => sqlx::query_scalar("SELECT COUNT(*) FROM attendance_records").fetch_one(p).await.unwrap());
    assert_eq!(marks, 0);
    // Today's session still opens its roll call.
    d.press(KeyCode::Char('t')).await;
    d.settle().await;
    d.press(KeyCode::Enter).await;
    d.settle().await;
    match d.app.screen() {
        Some(Screen::Attendance(a)) => {
            let g = a.grid.as_ref().expect("grid loaded");
            assert_eq!(g.sessions[a.col].id, c.today, "today's session is selected");
        }
        _ => panic!("Enter on today's session opens its roll call: {}", d.screen()),
    }
});

crate::on_both!(the_ics_export_parses_back_with_stable_uids_sequence_cancelled_and_dst, |t: TestDb| async move {
    use icalendar::Component;
    let team = team(&t.db).await;
    let c = class(&t.db, team.instructor.user_id, &["Amal Fathy"], 0).await;
    exec(&t.db, &format!("UPDATE cohorts SET time_zone = 'America/New_York' WHERE id = {}", c.cohort_id)).await;
    // 18:00 in New York: 22:00 UTC in summer (EDT), 23:00 UTC in winter (EST).
    let summer = NaiveDate::from_ymd_opt(2030, 6, 3).unwrap();
    let winter = NaiveDate::from_ymd_opt(2030, 12, 2).unwrap();
    session_at(&t.db, c.cohort_id, summer, "18:00:00", "20:00:00", "Summer class").await;
    session_at(&t.db, c.cohort_id, winter, "18:00:00", "20:00:00", "Winter class").await;
    let export = || {
        let out = crate::cli::staffroom(
            &[
                "export",
                "calendar",
                "--cohort",
                &c.cohort_id.to_string(),
                "--from",
                "2030-01-01",
                "--to",
                "2030-12-31",
                "--format",
                "ics",
                "--database-url",
                &t.url,
            ],
            &[],
        );
        crate::cli::ok(&out).parse::<icalendar::Calendar>().expect("the export parses as iCalendar")
    };
    let events = |cal: &icalendar::Calendar| -> Vec<icalendar::Event> {
        cal.components.iter().filter_map(|c| c.as_event().cloned()).collect()
    };
    let first = events(&export());
    assert_eq!(first.len(), 2);
    let start = |e: &icalendar::Event| match e.get_start() {
        Some(icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(t))) => t.to_rfc3339(),
        other => panic!("a UTC start, got {other:?}"),
    };
    assert_eq!(start(&first[0]), "2030-06-03T22:00:00+00:00");
    assert_eq!(start(&first[1]), "2030-12-02T23:00:00+00:00");
    assert_eq!(first[0].get_sequence(), Some(0));
    let uid = first[1].get_uid().unwrap().to_string();
    assert!(uid.starts_with("session-") && uid.ends_with("@staffroom"), "{uid}");
    // An edit keeps the UID and bumps SEQUENCE; a cancelled session says so.
    exec(&t.db, "UPDATE sessions SET title = 'Winter class (moved)', status = 'cancelled', version = version + 1 WHERE title = 'Winter class'").await;
    let second = events(&export());
    assert_eq!(second[1].get_uid(), Some(uid.as_str()), "the UID does not change when the session is edited");
    assert_eq!((second[1].get_summary(), second[1].get_sequence()), (Some("Winter class (moved)"), Some(1)));
    assert_eq!(second[1].get_status(), Some(icalendar::EventStatus::Cancelled));
    assert_eq!(second[0].get_status(), Some(icalendar::EventStatus::Confirmed));
    let bad = crate::cli::staffroom(
        &["export", "calendar", "--cohort", &c.cohort_id.to_string(), "--from", "June", "--database-url", &t.url],
        &[],
    );
    crate::cli::assert_one_clear_line(&bad, "--from");
});

crate::on_both!(filters_keep_one_cohort_program_or_instructor_and_zones_show_both_times, |t: TestDb| async move {
    let team = team(&t.db).await;
    let ines = team.instructor.clone();
    let other = actor(&t.db, "Omar Other", Roles::INSTRUCTOR).await;
    let a = class(&t.db, ines.user_id, &["Amal Fathy"], 0).await;
    let b = class(&t.db, other.user_id, &["Bassem Adel"], 0).await;
    let day = NaiveDate::from_ymd_opt(2030, 1, 14).unwrap();
    session_at(&t.db, a.cohort_id, day, "18:00:00", "20:00:00", "A class").await;
    session_at(&t.db, b.cohort_id, day, "09:00:00", "11:00:00", "B class").await;
    exec(
        &t.db,
        &format!(
            "INSERT INTO events (slug, title, event_type, starts_at, duration_minutes, currency, created_at, updated_at) \
             VALUES ('webinar-x', 'Webinar', 'weekly_live', '{day}T12:00:00Z', 60, 'EGP', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"
        ),
    )
    .await;
    let utc = chrono_tz::Tz::UTC;
    let titles = |e: &[calendar::Entry]| e.iter().map(|e| e.title.clone()).collect::<Vec<_>>();
    let all = calendar::range(&t.db, &team.admin, day, day, utc, Default::default()).await.unwrap();
    assert_eq!(titles(&all), ["B class", "Webinar", "A class"]);
    let only = |f: calendar::CalendarFilter| {
        let (db, admin) = (t.db.clone(), team.admin.clone());
        async move { titles(&calendar::range(&db, &admin, day, day, utc, f).await.unwrap()) }
    };
    let cohort = calendar::CalendarFilter { cohort: Some(b.cohort_id), ..Default::default() };
    assert_eq!(only(cohort).await, ["B class"], "one cohort, and no events");
    let teacher = calendar::CalendarFilter { instructor: other.user_id, ..Default::default() };
    assert_eq!(only(teacher).await, ["B class"]);
    let program: i64 = staffroom_core::with_db!(&t.db, p => sqlx::query_scalar("SELECT program_id FROM cohorts WHERE id = $1").bind(a.cohort_id).fetch_one(p).await.unwrap());
    assert_eq!(only(calendar::CalendarFilter { program: Some(program), ..Default::default() }).await, ["A class"]);
    // The choices: an instructor is offered her own cohorts only.
    let choices = calendar::filter_choices(&t.db, &ines).await.unwrap();
    let labels: Vec<&str> = choices.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(labels[0], "everything");
    assert!(
        labels.contains(&"instructor: Ines Instructor") && !labels.contains(&"instructor: Omar Other"),
        "{labels:?}"
    );
    // A cohort in London seen from a Cairo office: 18:00 there is 20:00 here (winter).
    exec(&t.db, &format!("UPDATE cohorts SET time_zone = 'Europe/London' WHERE id = {}", a.cohort_id)).await;
    let cairo: chrono_tz::Tz = "Africa/Cairo".parse().unwrap();
    let seen = calendar::range(&t.db, &team.admin, day, day, cairo, cohort_a(a.cohort_id)).await.unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!((seen[0].starts, seen[0].ends), (NaiveTime::from_hms_opt(20, 0, 0), NaiveTime::from_hms_opt(22, 0, 0)));
    assert_eq!(seen[0].own_time.as_deref(), Some("18:00–20:00 Europe/London"));
    let same =
        calendar::range(&t.db, &team.admin, day, day, chrono_tz::Europe::London, cohort_a(a.cohort_id)).await.unwrap();
    assert_eq!(same[0].own_time, None, "one zone: one time");
});

fn cohort_a(id: i64) -> calendar::CalendarFilter {
    calendar::CalendarFilter { cohort: Some(id), ..Default::default() }
}

crate::on_both!(f_picks_what_the_calendar_shows, |t: TestDb| async move {
    login_user(&t.db, "amira@test.example", "Amira Admin", Roles::ADMIN).await;
    let ines = actor(&t.db, "Ines Instructor", Roles::INSTRUCTOR).await;
    let other = actor(&t.db, "Omar Other", Roles::INSTRUCTOR).await;
    let a = class(&t.db, ines.user_id, &["Amal Fathy"], 0).await;
    class(&t.db, other.user_id, &["Bassem Adel"], 0).await;
    let name: String = staffroom_core::with_db!(&t.db, p => sqlx::query_scalar("SELECT name FROM cohorts WHERE id = $1").bind(a.cohort_id).fetch_one(p).await.unwrap());
    let mut d = calendar_driver(&t.db, "amira@test.example", 100, 30).await;
    d.press(KeyCode::Char('a')).await;
    d.settle().await;
    let rows = |screen: &str| screen.lines().filter(|l| l.starts_with("  --:--  Session of")).count();
    assert_eq!(rows(&d.screen()), 4, "both cohorts, today and tomorrow: {}", d.screen());
    d.press(KeyCode::Char('f')).await;
    d.settle().await;
    let screen = d.screen();
    assert!(screen.contains("everything ✓") && screen.contains(&format!("cohort: {name}")), "{screen}");
    // Down to the cohort's line and Enter.
    let lines: Vec<String> = match d.app.popups.last() {
        Some(staffroom::ui::app::Popup::Choose(c)) => c.items.iter().map(|(l, _)| l.clone()).collect(),
        _ => panic!("a pick list: {screen}"),
    };
    let at = lines.iter().position(|l| *l == format!("cohort: {name}")).unwrap();
    for _ in 0..at {
        d.press(KeyCode::Down).await;
    }
    d.press(KeyCode::Enter).await;
    d.settle().await;
    let screen = d.screen();
    assert!(screen.contains(&format!("Calendar · agenda · cohort: {name}")), "{screen}");
    assert_eq!(rows(&screen), 2, "one cohort: {screen}");
    assert!(!screen.contains("Bassem") && screen.lines().filter(|l| l.contains(&name)).count() >= 2, "{screen}");
});

crate::on_both!(the_dashboard_shows_a_session_at_the_time_the_calendar_shows, |t: TestDb| async move {
    use staffroom_core::store::dashboard::{self, SectionKind};
    let ines = login_user(&t.db, "ines@test.example", "Ines Instructor", Roles::INSTRUCTOR).await;
    let c = class(&t.db, ines.user_id, &["Amal Fathy"], 0).await;
    exec(&t.db, &format!("UPDATE cohorts SET time_zone = 'Africa/Cairo' WHERE id = {}", c.cohort_id)).await;
    exec(&t.db, &format!("UPDATE sessions SET starts_at = '18:00:00', ends_at = '21:00:00' WHERE id = {}", c.today))
        .await;
    // The office in UTC: 18:00 in Cairo is 16:00 (15:00 in Egypt's summer time).
    let utc = chrono_tz::Tz::UTC;
    let cal = calendar::range(&t.db, &ines, today(), today(), utc, cohort_a(c.cohort_id)).await.unwrap();
    let entry = cal.iter().find(|e| e.id == c.today).expect("today's session on the calendar");
    let hm = entry.starts.unwrap().format("%H:%M").to_string();
    assert_ne!(hm, "18:00", "the calendar shows the office's hour");
    let sections = dashboard::load(&t.db, &ines, today(), utc, 75).await.unwrap();
    let todays = sections.iter().find(|s| s.kind == SectionKind::TodaySessions).unwrap();
    let item = todays.items.iter().find(|i| i.id == c.today).expect("today's session on the dashboard");
    assert_eq!(item.title, format!("{hm} Session of {}", today()), "the calendar's time: {item:?}");
    assert!(item.detail.contains("(18:00–21:00 Africa/Cairo)"), "and the cohort's own: {item:?}");
});
