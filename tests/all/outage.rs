//! The database going away under an open TUI, for real: a PostgreSQL cluster of the
//! test's own is stopped (`pg_ctl stop -m fast`) while a form is being saved, then started
//! again. The banner says so, the form keeps everything typed, the write is sent
//! once more when the database is back and lands exactly once.

use crate::driver::Driver;
use crate::pg::OwnCluster;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use staffroom::backend::{Backend, Settings};
use staffroom::domain::permissions::Roles;
use staffroom::ui::app::Popup;
use staffroom::ui::screens::ScreenId;
use staffroom_core::store::users::{self, DEMO_DOMAIN, NewUser};
use staffroom_core::store::{Actor, Db};

async fn packages_named(db: &Db, name: &str) -> i64 {
    staffroom_core::with_db!(db, p => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM service_packages WHERE name = $1")
            .bind(name)
            .fetch_one(p)
            .await
            .expect("count")
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stopped_under_an_open_form_then_back() {
    let Some(pg) = OwnCluster::start("outage", 5499) else { return };
    let url = pg.url("postgres");
    let db = Db::open(&url).await.expect("open and migrate");
    let email = format!("admin@{DEMO_DOMAIN}");
    let new = NewUser {
        email: Some(email.clone()),
        full_name: "Ada Admin".into(),
        roles: Roles::ADMIN,
        ..NewUser::default()
    };
    users::create(&db, &Actor::cli(), new).await.expect("admin");
    let backend = Backend::new(db.clone(), Settings { demo: true, ..crate::driver::backend_settings() }, "test");
    let mut d = Driver::with_backend(db.clone(), backend, 120, 36, crate::driver::settings());
    let effects = d.app.demo_login(&email);
    d.run(effects).await;
    let effects = d.app.open(ScreenId::Record("packages"));
    d.run(effects).await;

    // A new package typed, and the database stops before it is saved.
    d.shift('N').await;
    d.type_text("Outage Bootcamp").await;
    pg.stop();
    d.press_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)).await;
    let s = d.screen();
    assert!(s.contains("database unavailable since"), "the banner: {s}");
    assert!(s.contains("1 change waits to be sent"), "{s}");
    assert!(s.contains("Outage Bootcamp"), "the form is still open with what was typed: {s}");
    assert!(matches!(d.app.popups.last(), Some(Popup::Form(_))));

    // Still down: the probes fail, nothing is lost, the banner stays.
    for _ in 0..9 {
        d.tick().await;
    }
    let s = d.screen();
    assert!(s.contains("database unavailable") && s.contains("Outage Bootcamp"), "{s}");

    // Back: the next probe notices, the write goes again and lands once.
    pg.restart();
    for _ in 0..9 {
        d.tick().await;
    }
    let s = d.screen();
    assert!(!s.contains("database unavailable"), "the banner is gone: {s}");
    assert!(d.app.outage.is_none());
    assert!(!matches!(d.app.popups.last(), Some(Popup::Form(_))), "saved, the form closed: {s}");
    assert!(s.contains("Outage Bootcamp"), "the list shows it: {s}");
    let db = Db::open(&url).await.expect("reopen");
    assert_eq!(packages_named(&db, "Outage Bootcamp").await, 1, "saved exactly once");
}
