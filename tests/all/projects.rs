//! Internal projects (`:projects`), a simple area: the store's rules (dates in
//! order, a budget as money with its currency, the status machine, stale versions,
//! one audit row per write) and the screen through keys with late replies, for staff
//! and a viewer — on both backends.

use crate::common::{PASSWORD, TestDb, login_user};
use crate::driver::Driver;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use staffroom::domain::lifecycle::ProjectStatus;
use staffroom::domain::permissions::Roles;
use staffroom::ui::screens::ScreenId;
use staffroom_core::store::areas::projects::{self, Input, Project, field, sample_fields};
use staffroom_core::store::areas::{Args, FieldValue};
use staffroom_core::store::{Actor, Db, StoreError, audit};

fn input(fields: Vec<(&'static str, FieldValue)>) -> Result<Input, StoreError> {
    Input::read(&Args { fields, ..Args::default() })
}

fn with(title: &str, key: &'static str, value: &str) -> Vec<(&'static str, FieldValue)> {
    let mut f: Vec<_> = sample_fields(title).into_iter().filter(|(k, _)| *k != key).collect();
    f.push((key, value.into()));
    f
}

async fn create(db: &Db, title: &str) -> Project {
    projects::create(db, &Actor::cli(), input(sample_fields(title)).unwrap()).await.unwrap()
}

fn refused_field(r: Result<impl std::fmt::Debug, StoreError>) -> (String, String) {
    match r {
        Err(StoreError::Invalid { field, why }) => (field, why),
        other => panic!("expected a field refused, got {other:?}"),
    }
}

crate::on_both!(projects_keep_dates_in_order_money_exact_and_moves_in_the_machine, |t: TestDb| async move {
    let p = create(&t.db, "Cohort 8 launch").await;
    assert_eq!(
        (p.status, p.budget_minor, p.budget_currency.as_deref()),
        (ProjectStatus::Planning, Some(150_000), Some("EGP"))
    );
    for (key, value, says) in [
        (field::END, "2026-11-30", "before the start"),
        (field::START, "2026-13-01", "2026-12-05"),
        (field::BUDGET, "-5", "between 0 and"),
        (field::BUDGET, "99999999999999999999", "amount"),
        (field::CURRENCY, "BTC", "EGP or USD"),
        (field::PRIORITY, "whenever", "low, medium"),
        (field::TITLE, "  ", "is needed"),
    ] {
        let (f, why) = refused_field(input(with("Absurd", key, value)));
        assert_eq!(f, key, "{key}={value}: {why}");
        assert!(why.contains(says), "{key}={value}: {why}");
    }
    // No budget at all is fine: neither amount nor currency is stored.
    let none =
        projects::create(&t.db, &Actor::cli(), input(with("Tidy the lab", field::BUDGET, "")).unwrap()).await.unwrap();
    assert_eq!((none.budget_minor, none.budget_currency), (None, None));
    let a = Actor::cli();
    let p = projects::set_status(&t.db, &a, p.id, p.version, ProjectStatus::Active).await.unwrap();
    let r = projects::set_status(&t.db, &a, p.id, p.version, ProjectStatus::Planning).await;
    assert!(
        matches!(&r, Err(StoreError::Refused { reason }) if reason.contains("on_hold, completed, cancelled")),
        "{r:?}"
    );
    let done = projects::set_status(&t.db, &a, p.id, p.version, ProjectStatus::Completed).await.unwrap();
    // A stale edit is a conflict, and the stored project stays.
    let stale = projects::update(&t.db, &a, p.id, p.version, input(sample_fields("Mine")).unwrap()).await;
    assert!(matches!(stale, Err(StoreError::Conflict { .. })), "{stale:?}");
    assert_eq!(projects::get(&t.db, p.id).await.unwrap().title, "Cohort 8 launch");
    let rows = audit::for_entity(&t.db, "project", p.id).await.unwrap();
    assert_eq!(rows.len(), 3, "create and two moves, nothing for refusals: {rows:?}");
    assert_eq!(done.status, ProjectStatus::Completed);
    let viewer = Actor { roles: Roles::VIEWER, ..Actor::cli() };
    let r = projects::create(&t.db, &viewer, input(sample_fields("Not mine")).unwrap()).await;
    assert!(matches!(r, Err(StoreError::Refused { reason }) if reason.contains("may not edit content")));
});

async fn open(t: &TestDb, email: &str, name: &str, roles: Roles) -> Driver {
    login_user(&t.db, email, name, roles).await;
    let mut d = Driver::new(t.db.clone(), 120, 40).late(11);
    d.login(email, PASSWORD).await;
    d.settle().await;
    d.app.toasts.clear();
    let effects = d.app.open(ScreenId::Record("projects"));
    d.run(effects).await;
    d.settle().await;
    d
}

crate::on_both!(staff_add_and_move_a_project_from_the_keyboard, |t: TestDb| async move {
    let mut d = open(&t, "sami@academy.org", "Sami Staff", Roles::STAFF).await;
    assert!(d.screen().contains("planning 0"), "{}", d.screen());
    d.shift('N').await;
    d.type_text("Open day").await;
    d.press(KeyCode::Tab).await; // priority
    d.press(KeyCode::Right).await; // high
    d.press(KeyCode::Tab).await;
    d.type_text("2026-12-10").await;
    d.press(KeyCode::Tab).await;
    d.type_text("2026-12-01").await; // before the start: refused by the store, at the field
    d.press_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)).await;
    d.settle().await;
    let s = d.screen();
    assert!(s.contains("before the start") && s.contains("Open day"), "refused at the field, typing kept: {s}");
    for _ in 0..10 {
        d.press(KeyCode::Backspace).await;
    }
    d.type_text("2026-12-20").await;
    d.press_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)).await;
    d.settle().await;
    let p = projects::page(&t.db, None, Some("Open day"), None, 5).await.unwrap().rows.remove(0);
    assert_eq!((p.priority.as_str(), p.end_date.map(|d| d.to_string())), ("high", Some("2026-12-20".into())));
    let s = d.screen();
    assert!(s.contains("planning 1") && s.contains("+ Open day"), "listed, counted, marked high: {s}");
    d.press(KeyCode::Char('m')).await;
    assert!(d.screen().contains("Move Open day (planning) to"), "{}", d.screen());
    d.press(KeyCode::Enter).await; // active, the first allowed move
    d.settle().await;
    assert_eq!(projects::get(&t.db, p.id).await.unwrap().status, ProjectStatus::Active);
    assert!(d.screen().contains("active 1"), "{}", d.screen());
});

crate::on_both!(a_viewer_reads_projects_and_changes_nothing, |t: TestDb| async move {
    let p = create(&t.db, "Website \u{1b}[31mredesign\u{7}").await;
    let mut d = open(&t, "vera@academy.org", "Vera Viewer", Roles::VIEWER).await;
    let s = d.screen();
    assert!(s.contains("redesign") && !s.contains('\u{1b}'), "listed and inert: {s}");
    assert!(!s.lines().last().unwrap_or("").contains("move to"), "a viewer is not offered m: {s}");
    d.press(KeyCode::Char('m')).await;
    d.settle().await;
    assert!(d.screen().contains("may not edit content"), "{}", d.screen());
    assert_eq!(projects::get(&t.db, p.id).await.unwrap().version, p.version);
});
