//! Live refresh: a write by another session shows in an open screen without a key
//! press, and the screen keeps its cursor on the same row.

use crate::common::TestDb;
use crate::driver::Driver;
use crossterm::event::KeyCode;
use staffroom::backend::changes;
use staffroom::demo;
use staffroom::ui::msg::Msg;
use staffroom::ui::screens::Screen;
use staffroom_core::store::leads::{self, NewLead};
use staffroom_core::store::{Db, users};
use std::time::Duration;

fn selected_id(d: &Driver) -> Option<i64> {
    match d.app.screen() {
        Some(Screen::Audit(a)) => a.rows.get(a.cursor).map(|r| r.id),
        _ => None,
    }
}

async fn two_apps(t: TestDb) {
    demo::ensure(&t.db, false).await.expect("demo data");
    let mut a = Driver::new(t.db.clone(), 120, 36);
    a.login(&demo::demo_user("admin").email, demo::DEMO_PASSWORD).await;
    a.press(KeyCode::Char(':')).await;
    a.type_text("audit").await;
    a.press(KeyCode::Enter).await;
    for _ in 0..3 {
        a.press(KeyCode::Char('j')).await;
    }
    let before = selected_id(&a).expect("a row is selected");
    let mut notices = changes::watch(&t.db);
    tokio::time::sleep(Duration::from_millis(600)).await; // the watcher takes its baseline

    // Another staffroom, another connection pool, writes.
    let other = Db::open(&t.url).await.unwrap();
    let staff = users::find_by_email(&other, "staff@demo.staffroom.test").await.unwrap().unwrap();
    leads::create(
        &other,
        &staff.actor(),
        NewLead { full_name: "Live Update Lead".into(), phone: Some("+201234567890".into()), ..Default::default() },
    )
    .await
    .unwrap();

    let notice = tokio::time::timeout(Duration::from_secs(5), notices.recv())
        .await
        .expect("a change notice arrives")
        .expect("open channel");
    let effects = a.app.update(Msg::Changed(notice));
    a.run(effects).await;
    let screen = a.screen();
    assert!(screen.contains("created lead Live Update Lead"), "{screen}");
    assert_eq!(selected_id(&a), Some(before), "the cursor stays on the same row");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_elsewhere_shows_without_a_key_press_sqlite() {
    two_apps(TestDb::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_elsewhere_shows_without_a_key_press_postgres() {
    if let Some(t) = TestDb::postgres().await {
        two_apps(t).await;
    }
}
