//! Programs (`:programs`): the list by status with the size of its content, and the
//! publishing rule of seed 001 — a program needs a chapter and every chapter a
//! lesson before it is published, a refusal naming what is missing — on both
//! backends, through the store and through keys.

use crate::common::{PASSWORD, TestDb, login_user, team};
use crate::driver::Driver;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use staffroom::domain::lifecycle::ProgramStatus;
use staffroom::domain::permissions::Roles;
use staffroom::ui::screens::ScreenId;
use staffroom_core::store::StoreError;
use staffroom_core::store::areas::programs;
use staffroom_core::store::audit;

fn refusal(r: Result<programs::Program, StoreError>) -> String {
    match r {
        Err(StoreError::Refused { reason }) => reason,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

crate::on_both!(publishing_needs_a_chapter_and_a_lesson_in_every_chapter, |t: TestDb| async move {
    let team = team(&t.db).await;
    let empty = programs::sample(&t.db, "Data Basics", 0, 0).await.unwrap();
    let why = refusal(programs::set_status(&t.db, &team.staff, empty.id, 1, ProgramStatus::Published).await);
    assert!(why.contains("Data Basics has no chapter yet"), "{why}");

    let half = programs::sample(&t.db, "Web Foundations", 2, 1).await.unwrap();
    // A third chapter, still without lessons.
    staffroom_core::with_db!(&t.db, p => {
        sqlx::query(
            "INSERT INTO chapters (program_id, title, position, created_at, updated_at) \
             VALUES ($1, 'Deploying', 9, $2, $2)",
        )
        .bind(half.id)
        .bind(staffroom_core::store::now())
        .execute(p)
        .await
        .unwrap()
        .rows_affected()
    });
    let audit_before = audit::count(&t.db).await.unwrap();
    let why = refusal(programs::set_status(&t.db, &team.staff, half.id, 1, ProgramStatus::Published).await);
    assert!(why.contains("\"Deploying\" has none"), "the empty chapter is named: {why}");
    assert_eq!(audit::count(&t.db).await.unwrap(), audit_before, "a refused publish writes nothing");

    let full = programs::sample(&t.db, "Full Stack", 2, 3).await.unwrap();
    let published = programs::set_status(&t.db, &team.staff, full.id, 1, ProgramStatus::Published).await.unwrap();
    assert_eq!(
        (published.status, published.version, published.chapters, published.lessons),
        (ProgramStatus::Published, 2, 2, 6)
    );
    let rows = audit::for_entity(&t.db, "program", full.id).await.unwrap();
    assert!(rows.iter().any(|r| r.action == "status_change"), "audited");
    // A stale version is a conflict naming who moved it; an illegal move names the allowed ones.
    let stale = programs::set_status(&t.db, &team.admin, full.id, 1, ProgramStatus::Archived).await.unwrap_err();
    assert!(matches!(stale, StoreError::Conflict { .. }), "{stale:?}");
    let archived = programs::set_status(&t.db, &team.admin, full.id, 2, ProgramStatus::Archived).await.unwrap();
    let why =
        refusal(programs::set_status(&t.db, &team.admin, full.id, archived.version, ProgramStatus::Published).await);
    assert!(why.contains("draft"), "archived moves only back to draft: {why}");
    // A viewer may not move one.
    let viewer = programs::set_status(&t.db, &team.viewer, empty.id, 1, ProgramStatus::Archived).await.unwrap_err();
    assert!(viewer.to_string().contains("may not"), "{viewer}");
});

crate::on_both!(the_programs_screen_lists_content_and_names_a_refused_publish, |t: TestDb| async move {
    programs::sample(&t.db, "Data Basics", 0, 0).await.unwrap();
    programs::sample(&t.db, "Full Stack", 2, 3).await.unwrap();
    login_user(&t.db, "sara@academy.org", "Sara Staff", Roles::STAFF).await;
    let mut d = Driver::new(t.db.clone(), 80, 24);
    d.login("sara@academy.org", PASSWORD).await;
    let effects = d.app.open(ScreenId::Record("programs"));
    d.run(effects).await;
    let s = d.screen();
    assert!(s.contains("draft 2") && s.contains("2ch 6le") && s.contains("0ch 0le"), "{s}");
    assert!(s.contains("│Full Stack"), "the detail is titled by the selected program: {s}");
    // The newest first: Full Stack. Publish it from the keyboard.
    d.press(KeyCode::Char('m')).await;
    assert!(d.screen().contains("Move Full Stack (draft) to"), "{}", d.screen());
    d.press_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)).await;
    let s = d.screen();
    assert!(s.contains("published 1"), "{s}");
    // The empty one is refused, saying why.
    d.press(KeyCode::Char('j')).await;
    d.press(KeyCode::Char('m')).await;
    d.press_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)).await;
    let said: String = d.app.toasts.iter().map(|t| t.text.clone()).collect::<Vec<_>>().join(" | ");
    let s = d.screen();
    assert!(said.contains("no chapter yet") || s.contains("no chapter yet"), "{said} {s}");
});
