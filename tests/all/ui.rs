//! The app shell driven headlessly: keys in, TestBackend buffer out.

use crate::common::TestDb;
use crate::driver::Driver;
use crossterm::event::KeyCode;
use staffroom::demo;
use staffroom::ui::screens::{Screen, ScreenId};
use staffroom::ui::view::help_lines;

async fn demo_db() -> TestDb {
    let t = TestDb::sqlite().await;
    demo::ensure(&t.db, false).await.expect("demo data");
    t
}

async fn logged_in(t: &TestDb, role: &str, w: u16, h: u16) -> Driver {
    let mut d = Driver::new(t.db.clone(), w, h);
    d.login(&demo::demo_user(role).email, demo::DEMO_PASSWORD).await;
    assert!(d.app.session.is_some(), "logged in as {role}");
    d.app.toasts.clear(); // the "last login" toast depends on the clock
    d
}

#[tokio::test]
async fn login_screen_refuses_then_accepts() {
    let t = demo_db().await;
    let mut d = Driver::new(t.db.clone(), 100, 30);
    let s = d.screen();
    assert!(s.contains("staffroom — log in") && s.contains("Email") && s.contains("Password"), "{s}");
    d.type_text("staff@demo.staffroom.test").await;
    d.press(KeyCode::Tab).await;
    d.type_text("not-the-password").await;
    let s = d.screen();
    assert!(s.contains("••••••••••••••••") && !s.contains("not-the-password"), "masked: {s}");
    d.press(KeyCode::Enter).await;
    let s = d.screen();
    assert!(s.contains("wrong email or password"), "{s}");
    assert!(d.app.session.is_none());
    d.type_text(demo::DEMO_PASSWORD).await;
    d.press(KeyCode::Enter).await;
    let s = d.screen();
    assert!(s.contains("Dashboard") && s.contains("Omar Farouk · staff"), "{s}");
}

#[tokio::test]
async fn palette_opens_every_screen_the_role_may_use_and_esc_returns() {
    let t = demo_db().await;
    let mut d = logged_in(&t, "admin", 120, 40).await;
    let all: Vec<ScreenId> = ScreenId::all().collect();
    assert!(all.contains(&ScreenId::Record("events")), "a record screen is in the palette by being declared");
    for id in &all {
        // The editor takes typing: there the palette is ctrl-p.
        if d.app.screen().is_some_and(|s| s.id() == ScreenId::Editor) {
            d.press_key(crossterm::event::KeyEvent::new(KeyCode::Char('p'), crossterm::event::KeyModifiers::CONTROL))
                .await;
        } else {
            d.press(KeyCode::Char(':')).await;
        }
        assert!(d.screen().contains("go to"));
        d.type_text(id.name()).await;
        d.press(KeyCode::Enter).await;
        assert_eq!(d.app.screen().map(|s| s.id()), Some(*id), "opened {}", id.name());
        let s = d.screen();
        assert!(!s.contains("Loading…"), "{} loaded: {s}", id.name());
    }
    // Esc walks back through every screen opened, in reverse.
    for id in all.iter().rev() {
        assert_eq!(d.app.screen().map(|s| s.id()), Some(*id), "Esc goes back");
        d.press(KeyCode::Esc).await;
    }
    assert_eq!(d.app.screen().map(|s| s.id()), Some(ScreenId::Dashboard), "Esc on the first screen stays");
    d.press(KeyCode::Char('q')).await;
    assert!(d.quit, "q quits");
}

#[tokio::test]
async fn a_staff_member_cannot_open_users_even_by_name() {
    let t = demo_db().await;
    let mut d = logged_in(&t, "staff", 120, 40).await;
    d.press(KeyCode::Char(':')).await;
    d.type_text("users").await;
    let s = d.screen();
    assert!(s.contains("no match"), "the palette offers only allowed screens: {s}");
    d.press(KeyCode::Esc).await;
    // Even a forged request is refused by the backend.
    let forged = staffroom::backend::Request::Users(staffroom::backend::UserRequest::Users {
        state: None,
        search: None,
        after: None,
        limit: 10,
    });
    let err = d.backend.handle(forged).await.0.unwrap_err();
    assert!(err.to_string().contains("may not manage users"), "{err}");
}

#[tokio::test]
async fn help_lists_exactly_the_bindings_of_the_keymap() {
    let t = demo_db().await;
    let mut d = logged_in(&t, "admin", 120, 50).await;
    d.press(KeyCode::Char('?')).await;
    let s = d.screen();
    let km = staffroom::ui::keymap::Keymap::default();
    let mut contexts = d.app.contexts();
    contexts.push(staffroom::ui::keymap::Context::Global);
    let mut expected = 0;
    for ctx in contexts {
        for (action, keys) in km.bindings(ctx) {
            let keys = keys.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(", ");
            assert!(s.contains(&keys) && s.contains(action.describe()), "help shows {keys} {}: {s}", action.describe());
            expected += 1;
        }
    }
    assert_eq!(help_lines(&d.app).len(), expected);
    d.press(KeyCode::Char('x')).await;
    assert!(!d.screen().contains("keys (any key closes)"), "any key closes help");
}

#[tokio::test]
async fn dashboards_per_role() {
    // The store's clock stands still for the demo's story and the logins, so every
    // time drawn is the same on every run: no normalising.
    let noon = chrono::DateTime::parse_from_rfc3339("2026-12-01T12:00:00Z").unwrap().to_utc();
    staffroom_core::store::at(noon, async {
        let t = demo_db().await;
        for role in ["admin", "staff", "instructor", "viewer"] {
            let mut d = logged_in(&t, role, 120, 36).await;
            insta::assert_snapshot!(format!("dashboard_{role}"), d.screen());
        }
    })
    .await;
}

#[tokio::test]
async fn hostile_text_renders_inert_and_wide_text_keeps_columns() {
    let t = demo_db().await;
    let staff = staffroom_core::store::users::find_by_email(&t.db, "staff@demo.staffroom.test").await.unwrap().unwrap();
    let names = [
        "Evil\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}Name",
        "Bidi invoice\u{202e}fdp.exe",
        "سارة عبد الرحمن 🎓🚀",
        "C1\u{9b}31m lead",
    ];
    for n in names {
        staffroom_core::store::leads::create(
            &t.db,
            &staff.actor(),
            staffroom_core::store::leads::NewLead {
                full_name: n.into(),
                email: Some(format!("{}@x.org", n.len())),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    let mut d = logged_in(&t, "staff", 120, 36).await;
    let symbols = d.symbols();
    for s in &symbols {
        assert!(
            !s.chars().any(|c| c.is_control() || ('\u{80}'..='\u{9f}').contains(&c)),
            "control char reached the buffer: {s:?}"
        );
        assert!(!s.contains('\u{202e}'), "bidi override reached the buffer");
    }
    let screen = d.screen();
    assert!(screen.contains("Evil␛[2J␛]52;c;ZXZpbA==␇Name"), "{screen}");
    assert!(screen.contains("Bidi invoice<RLO>fdp.exe"), "{screen}");
    // Every row is exactly the terminal's width in cells, wide characters included.
    for line in screen.lines() {
        assert_eq!(staffroom::text::width(line), 120, "row width: {line}");
    }
}

#[tokio::test]
async fn too_small_terminals_get_a_message_not_a_panic() {
    let t = demo_db().await;
    for (w, h) in [(1, 1), (20, 5), (79, 24), (80, 23)] {
        let mut d = logged_in(&t, "admin", w, h).await;
        let s = d.screen();
        assert!(w < 10 || s.contains("too small"), "{w}x{h}: {s}");
    }
    let mut d = logged_in(&t, "admin", 80, 24).await;
    assert!(d.screen().contains("Dashboard"), "80x24 is enough");
}

#[tokio::test]
async fn the_idle_lock_asks_the_password_and_resumes_where_it_was() {
    let t = demo_db().await;
    let settings = staffroom::ui::app::Settings { idle_lock_ticks: 3, ..crate::driver::settings() };
    let mut d = Driver::with_settings(t.db.clone(), 120, 36, settings);
    d.login(&demo::demo_user("admin").email, demo::DEMO_PASSWORD).await;
    d.press(KeyCode::Char(':')).await;
    d.type_text("audit").await;
    d.press(KeyCode::Enter).await;
    for _ in 0..4 {
        d.press(KeyCode::Char('j')).await;
    }
    let cursor = |d: &Driver| match d.app.screen() {
        Some(staffroom::ui::screens::Screen::Audit(a)) => a.cursor,
        _ => usize::MAX,
    };
    assert_eq!(cursor(&d), 4);
    d.tick().await;
    d.tick().await;
    assert!(!d.app.locked, "not yet idle long enough");
    d.tick().await;
    assert!(d.app.locked);
    let s = d.screen();
    assert!(s.contains("staffroom — locked") && !s.contains("moved lead"), "nothing behind the lock shows: {s}");
    d.press(KeyCode::Char('j')).await;
    assert_eq!(cursor(&d), 4, "keys go to the lock, not the screen behind it");
    d.type_text("wrong-password").await;
    d.press(KeyCode::Enter).await;
    assert!(d.app.locked && d.screen().contains("wrong email or password"));
    d.type_text(demo::DEMO_PASSWORD).await;
    d.press(KeyCode::Enter).await;
    assert!(!d.app.locked);
    assert_eq!(d.app.screen().map(|s| s.id()), Some(ScreenId::Audit), "same screen");
    assert_eq!(cursor(&d), 4, "same row");
}

#[tokio::test]
async fn passwordless_demo_login_exists_only_in_demo_mode_and_for_demo_accounts() {
    let t = demo_db().await;
    let cmd = |email: &str| {
        staffroom::backend::Request::Office(staffroom::backend::OfficeRequest::DemoLogin {
            email: email.into(),
            terminal: "t".into(),
        })
    };
    let normal = crate::driver::backend_settings();
    let backend = |settings| staffroom::backend::Backend::new(t.db.clone(), settings, "test");
    let err = backend(normal).handle(cmd("admin@demo.staffroom.test")).await.0.unwrap_err();
    assert!(err.to_string().contains("only for the demo"), "{err}");
    let demo_mode = staffroom::backend::Settings { demo: true, ..normal };
    let ok = backend(demo_mode).handle(cmd("admin@demo.staffroom.test")).await.0.unwrap();
    assert!(matches!(ok, staffroom::backend::Reply::Office(staffroom::backend::OfficeReply::Login(Ok(_)))));
    let staffroom_core::store::users::User { id, .. } =
        staffroom_core::store::users::find_by_email(&t.db, "admin@demo.staffroom.test").await.unwrap().unwrap();
    let attempts = staffroom_core::store::users::login_attempts(&t.db, id, 1).await.unwrap();
    assert!(attempts[0].success, "recorded like any login");
    // A real account never logs in without its password, even in demo mode.
    staffroom_core::store::users::create(
        &t.db,
        &staffroom_core::store::Actor::cli(),
        staffroom_core::store::users::NewUser {
            email: Some("real@academy.org".into()),
            full_name: "Real".into(),
            roles: staffroom::domain::permissions::Roles::ADMIN,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let err = backend(demo_mode).handle(cmd("real@academy.org")).await.0.unwrap_err();
    assert!(err.to_string().contains("only demo accounts"), "{err}");
}

#[tokio::test]
async fn a_stale_reply_is_dropped_and_the_latest_wins() {
    use staffroom::backend::{AuditReply, AuditRequest};
    use staffroom::backend::{Event, Reply, Request};
    use staffroom::ui::cmd::{Lane, Token};
    use staffroom::ui::msg::{Effect, Msg};
    use staffroom_core::store::page::Page;
    let t = demo_db().await;
    let mut d = logged_in(&t, "admin", 120, 36).await;
    d.press(KeyCode::Char(':')).await;
    d.type_text("audit").await;
    d.press(KeyCode::Enter).await;
    // Two loads for the same screen: the first is superseded by the second.
    let token = Token::Screen(ScreenId::Audit, Lane::Load);
    let first = d.app.request(
        token,
        Request::Audit(AuditRequest::AuditPage {
            filter: Box::default(),
            from: staffroom_core::store::audit_query::From::Newest,
            limit: 10,
        }),
    );
    let second = d.app.request(
        token,
        Request::Audit(AuditRequest::AuditPage {
            filter: Box::default(),
            from: staffroom_core::store::audit_query::From::Newest,
            limit: 10,
        }),
    );
    let (Effect::Send(a), Effect::Send(b)) = (first, second) else { panic!("requests") };
    let mut stale_rows = staffroom_core::store::audit::page(&t.db, None, 1).await.unwrap().rows;
    stale_rows[0].summary = "STALE RESULT".into();
    let mut fresh_rows = stale_rows.clone();
    fresh_rows[0].summary = "FRESH RESULT".into();
    // The newer reply arrives first, then the stale one: the stale one is ignored.
    d.app.update(Msg::Backend(Box::new(Event {
        req_id: b.req_id,
        result: Ok(Reply::Audit(AuditReply::AuditPage {
            page: Page { rows: fresh_rows, next: None },
            names: Vec::new(),
        })),
        who: None,
        partial: false,
    })));
    d.app.update(Msg::Backend(Box::new(Event {
        req_id: a.req_id,
        result: Ok(Reply::Audit(AuditReply::AuditPage {
            page: Page { rows: stale_rows, next: None },
            names: Vec::new(),
        })),
        who: None,
        partial: false,
    })));
    let s = d.screen();
    assert!(s.contains("FRESH RESULT") && !s.contains("STALE RESULT"), "{s}");
}

#[tokio::test]
async fn dashboard_items_open_their_lead_or_screen() {
    use staffroom_core::store::dashboard::SectionKind;
    let t = demo_db().await;
    let mut d = logged_in(&t, "staff", 120, 40).await;
    let Some(Screen::Dashboard(dash)) = d.app.screen() else { panic!("dashboard first") };
    let new_leads = dash.sections.iter().position(|s| s.kind == SectionKind::NewLeads).expect("staff see new leads");
    let second = dash.sections[new_leads].items[1].clone();
    let messages = dash.sections.iter().position(|s| s.kind == SectionKind::UnreadMessages).expect("and messages");
    for _ in 0..new_leads {
        d.press(KeyCode::Tab).await;
    }
    d.press(KeyCode::Char('j')).await;
    d.press(KeyCode::Enter).await;
    match d.app.screen() {
        Some(Screen::Lead(l)) => assert_eq!(l.id, second.id),
        _ => panic!("Enter on a new lead opens it"),
    }
    assert!(d.screen().contains(&second.title.chars().take(10).collect::<String>()));
    d.press(KeyCode::Esc).await;
    for _ in 0..(messages + dash_len(&d) - new_leads) % dash_len(&d) {
        d.press(KeyCode::Tab).await;
    }
    d.press(KeyCode::Enter).await;
    assert_eq!(d.app.screen().map(|s| s.id()), Some(ScreenId::Messages));
}

fn dash_len(d: &Driver) -> usize {
    match d.app.screen() {
        Some(Screen::Dashboard(dash)) => dash.sections.len(),
        _ => 1,
    }
}
