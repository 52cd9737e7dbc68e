//! Draw budget of the app shell: rendering any screen at 250x80 ≤ 2 ms; a month of
//! 2,000 sessions ≤ 30 ms; a key typed in a 10,000-word post → its frame ≤ 8 ms.
//! Run: `cargo bench --bench render`. Data is synthetic (no database): the
//! screens hold what they would after loading, including Arabic and emoji text.

use chrono::Utc;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use staffroom::domain::permissions::Roles;
use staffroom::ui::app::{App, Session, Settings};
use staffroom::ui::keymap::Keymap;
use staffroom::ui::screens::Screen;
use staffroom::ui::screens::audit::AuditScreen;
use staffroom::ui::screens::dashboard::Dashboard;
use staffroom::ui::theme::Theme;
use staffroom::ui::view::view;
use staffroom_core::store::audit::AuditRow;
use staffroom_core::store::dashboard::{Item, Section, SectionKind};
use staffroom_core::store::users::User;
use std::time::{Duration, Instant};

fn user() -> User {
    let now = Utc::now();
    User {
        id: 1,
        email: Some("admin@demo.staffroom.test".into()),
        phone: None,
        full_name: "Amira Haddad".into(),
        password_hash: None,
        is_admin: true,
        is_staff: true,
        is_instructor: true,
        is_student: false,
        is_active: true,
        banned: false,
        ban_until: None,
        last_login_at: None,
        failed_logins: 0,
        locked_until: None,
        must_change_password: false,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

fn app() -> App {
    let settings = Settings {
        keymap: Keymap::default(),
        theme: Theme::default(),
        idle_lock_ticks: 0,
        tz: chrono_tz::Tz::UTC,
        terminal: "bench".into(),
        lost_reasons: Vec::new(),
        reject_reasons: Vec::new(),
        autosave_dir: None,
        rot_days: Default::default(),
        export_dir: std::env::temp_dir(),
        attendance_threshold_percent: 75,
    };
    let mut app = App::new(settings, Utc::now());
    let u = user();
    app.session = Some(Session { roles: u.roles(), user: (&u).into(), previous: None });
    let _ = Roles::ADMIN;
    app
}

fn dashboard() -> Screen {
    let kinds = [
        SectionKind::NewLeads,
        SectionKind::FollowUps,
        SectionKind::UnreadMessages,
        SectionKind::TodaySessions,
        SectionKind::LowAttendance,
        SectionKind::ModerationQueue,
        SectionKind::Lockouts,
        SectionKind::LatestAudit,
    ];
    let sections = kinds
        .iter()
        .map(|k| Section {
            kind: *k,
            total: 1234,
            items: (0..5)
                .map(|i| Item {
                    id: i,
                    title: format!("سارة عبد الرحمن 🎓 {i}"),
                    detail: "website form · mentorship".into(),
                    alert: i % 2 == 0,
                })
                .collect(),
        })
        .collect();
    Screen::Dashboard(Dashboard { sections, pane: 0, cursor: 0, loaded: true })
}

fn audit() -> Screen {
    let rows = (0..500)
        .map(|i| AuditRow {
            id: 1_000_000 - i,
            actor_id: Some(2),
            action: "status_change".into(),
            entity_type: "lead".into(),
            entity_id: Some(i),
            summary: format!("moved lead محمد 🚀 #{i} from contacted to qualified"),
            old_values: Some(r#"{"id":1,"status":"contacted"}"#.into()),
            new_values: Some(r#"{"id":1,"status":"qualified"}"#.into()),
            remote: "10.0.0.1".into(),
            client: "staffroom/0.1.0".into(),
            created_at: Utc::now(),
            prev_hash: "0".repeat(64),
            hash: "f".repeat(64),
        })
        .collect();
    Screen::Audit(AuditScreen { rows, next: Some(1), cursor: 40, loaded: true, detail: true, ..AuditScreen::default() })
}

/// A month of 2,000 sessions (about 48 a day), some in clashes: the issue's budget
/// for drawing a month is 30 ms.
fn month() -> Screen {
    use staffroom::ui::screens::calendar::{CalendarScreen, View};
    use staffroom_core::store::calendar::{Entry, Kind};
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("day");
    let first = day - chrono::Duration::days(1);
    let entries = (0..2000)
        .map(|i| Entry {
            kind: if i % 50 == 0 { Kind::Event } else { Kind::Session },
            id: i,
            date: first + chrono::Duration::days(i / 48),
            starts: chrono::NaiveTime::from_hms_opt(8 + (i % 12) as u32, 0, 0),
            ends: chrono::NaiveTime::from_hms_opt(9 + (i % 12) as u32, 30, 0),
            title: format!("جلسة {i} 🎓"),
            group: format!("Cohort {}", i % 9),
            cohort_id: Some(i % 9),
            place: "Cairo campus, Lab 2".into(),
            status: "scheduled".into(),
            seats: None,
            clash: (i % 7 == 0).then(|| "clashes with \"x\" (Cohort 1, 09:00): a shared instructor".into()),
            version: 1,
            own_time: (i % 11 == 0).then(|| "18:00–19:30 Europe/London".into()),
        })
        .collect();
    let range = (first, first + chrono::Duration::days(41));
    Screen::Calendar(Box::new(CalendarScreen::showing(View::Month, day, range, entries)))
}

/// A 10,000-word post in the editor; the budget for keystroke → frame is 8 ms.
fn editor() -> Screen {
    let paragraph = "Flexbox lays out items in one direction, and grid in two: both are worth knowing well. ";
    let mut body = String::from("# A long tutorial 🎓\n\n");
    for i in 0..625 {
        body.push_str(paragraph);
        body.push_str(if i % 3 == 0 { "\n\n" } else { " " });
    }
    Screen::Editor(Box::new(staffroom::ui::screens::editor::EditorScreen::with_text("A long tutorial", &body)))
}

fn main() {
    let mut term = Terminal::new(TestBackend::new(250, 80)).expect("terminal");
    let screens = [
        ("dashboard", dashboard(), Duration::from_millis(2)),
        ("audit", audit(), Duration::from_millis(2)),
        ("month", month(), Duration::from_millis(30)),
        ("editor key", editor(), Duration::from_millis(8)),
    ];
    for (name, screen, budget) in screens {
        let mut app = app();
        app.stack.push(screen);
        let mut times = Vec::new();
        for i in 0..300 {
            // Alternate the cursor so every frame has something to redraw.
            if let Some(Screen::Audit(a)) = app.stack.last_mut() {
                a.cursor = 40 + i % 2;
            }
            let t = Instant::now();
            // The editor: a typed key (it goes through the app as a real one does).
            if name == "editor key" {
                let key = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('x'));
                let _ = app.update(staffroom::ui::msg::Msg::Key(key));
            }
            term.draw(|f| view(&app, f)).expect("draw");
            times.push(t.elapsed());
        }
        times.sort();
        let median = times[times.len() / 2];
        let verdict = if median <= budget { "ok" } else { "OVER BUDGET" };
        println!(
            "draw {name:<10} at 250x80: median {:>7.3} ms  p95 {:>7.3} ms  budget {} ms  {verdict}",
            median.as_secs_f64() * 1e3,
            times[times.len() * 95 / 100].as_secs_f64() * 1e3,
            budget.as_millis()
        );
    }
}
