//! The editor's `ctrl-f` details form stays open until the post is saved, with
//! every refusal at its field (those it can tell at once together, the store's
//! own on its answer) instead of closing with one toast per save — both backends.

use crate::common::{PASSWORD, TestDb, login_user};
use crate::driver::Driver;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use staffroom::domain::permissions::Roles;
use staffroom::ui::app::Popup;
use staffroom::ui::screens::ScreenId;
use staffroom_core::store::posts::{self, PostDraft};

async fn ctrl(d: &mut Driver, c: char) {
    d.press_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)).await;
}

/// The details form's error at `key`, or `None` when the form is not open.
fn error_at(d: &Driver, key: &str) -> Option<Option<String>> {
    d.app.popups.iter().rev().find_map(|p| match p {
        Popup::Form(f) => f.fields.iter().find(|x| x.key == key).map(|x| x.error.clone()),
        _ => None,
    })
}

crate::on_both!(the_details_form_stays_open_with_every_refusal_at_its_field, |t: TestDb| async move {
    let sami = login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    let draft = PostDraft { title: "First".into(), slug: Some("taken".into()), ..Default::default() };
    posts::save(&t.db, &sami, None, draft).await.unwrap();
    let mut d = Driver::new(t.db.clone(), 120, 40);
    d.login("sami@test.example", PASSWORD).await;
    d.app.toasts.clear();
    let effects = d.app.open(ScreenId::Editor);
    d.run(effects).await;
    d.type_text("Mine").await;
    ctrl(&mut d, 'f').await;
    d.type_text("taken").await; // slug
    for _ in 0..3 {
        d.press(KeyCode::Tab).await; // excerpt, category, tags
    }
    d.type_text(&format!("ok, {}", "x".repeat(61))).await;
    d.press(KeyCode::Tab).await; // type
    d.press(KeyCode::Tab).await; // cover image
    d.type_text("javascript:alert(1)").await;
    ctrl(&mut d, 's').await;
    // Both at once, each at its field; the form is still open.
    let tags = error_at(&d, "tags").unwrap_or_else(|| panic!("still open: {}", d.screen()));
    assert!(tags.is_some_and(|e| e.contains("at most 60 characters")), "{}", d.screen());
    assert!(error_at(&d, "cover_image_url").flatten().is_some_and(|e| e.contains("https://")));
    assert!(d.app.toasts.iter().all(|t| !t.error), "no toast: {:?}", d.app.toasts);
    // The cursor is on the first of them: fix it, then the link.
    ctrl(&mut d, 'u').await;
    d.type_text("ok").await;
    d.press(KeyCode::Tab).await;
    d.press(KeyCode::Tab).await;
    ctrl(&mut d, 'u').await;
    d.type_text("https://img.example/c.png").await;
    ctrl(&mut d, 's').await;
    // The store's own refusal, at its field, the form still open with the rest.
    let slug = error_at(&d, "slug").unwrap_or_else(|| panic!("still open: {}", d.screen()));
    assert!(slug.is_some_and(|e| e.contains("taken by the post \"First\"")), "{}", d.screen());
    assert_eq!(error_at(&d, "tags"), Some(None), "fixed fields carry no error");
    assert!(d.app.toasts.iter().all(|t| !t.error), "no toast: {:?}", d.app.toasts);
    ctrl(&mut d, 'u').await;
    d.type_text("mine").await;
    ctrl(&mut d, 's').await;
    assert!(error_at(&d, "slug").is_none(), "saved, the form closed: {}", d.screen());
    let page = posts::page(&t.db, None, None, None, 10).await.unwrap();
    let mine = page.rows.iter().find(|r| r.title == "Mine").unwrap_or_else(|| panic!("saved: {}", d.screen()));
    assert_eq!(mine.slug, "mine");
    assert_eq!(mine.cover_image_url.as_deref(), Some("https://img.example/c.png"));
});
