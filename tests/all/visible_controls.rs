//! Control characters while editing: drawn visible in form fields and the editor
//! body (`␛`, `␇`, `<RLO>`, as the detail panes show them), and stored exactly as
//! typed or pasted — on both backends.

use crate::common::{PASSWORD, TestDb, login_user};
use crate::driver::Driver;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use staffroom::domain::permissions::Roles;
use staffroom::ui::msg::Msg;
use staffroom::ui::screens::{Screen, ScreenId};
use staffroom_core::store::areas::packages;

async fn open(t: &TestDb, screen: ScreenId) -> Driver {
    login_user(&t.db, "amira@academy.org", "Amira Admin", Roles::ADMIN).await;
    let mut d = Driver::new(t.db.clone(), 120, 40);
    d.login("amira@academy.org", PASSWORD).await;
    d.app.toasts.clear();
    let effects = d.app.open(screen);
    d.run(effects).await;
    d
}

crate::on_both!(pasted_controls_show_in_form_fields_and_are_stored_as_pasted, |t: TestDb| async move {
    let mut d = open(&t, ScreenId::Record("packages")).await;
    d.shift('N').await;
    let name = "Red\u{1b}[31m alert\u{7}";
    d.send(Msg::Paste(name.into())).await;
    d.press(KeyCode::Tab).await;
    d.press(KeyCode::Tab).await;
    let description = "abc\u{202e}fed\u{1b}\nsecond line";
    d.send(Msg::Paste(description.into())).await;
    let s = d.screen();
    assert!(s.contains("Red␛[31m alert␇"), "the one-line field shows them: {s}");
    assert!(s.contains("abc<RLO>fed␛"), "the text area shows them: {s}");
    d.press_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)).await;
    let page = packages::page(&t.db, &packages::Query::default(), None, 10).await.unwrap();
    let stored = page.rows.first().unwrap_or_else(|| panic!("saved: {}", d.screen()));
    assert_eq!(stored.name, name, "stored as pasted");
    assert_eq!(stored.description.as_deref(), Some(description));
});

crate::on_both!(the_editor_body_shows_controls_and_keeps_them, |t: TestDb| async move {
    let mut d = open(&t, ScreenId::Editor).await;
    d.type_text("Hidden").await;
    d.press(KeyCode::Enter).await;
    d.type_text("price: ").await;
    d.press(KeyCode::Char('\u{202e}')).await;
    d.type_text("001").await;
    d.send(Msg::Paste("\u{1b}]8;;x\u{7}".into())).await;
    let s = d.screen();
    assert!(s.contains("price: <RLO>001␛]8;;x␇"), "{s}");
    let Some(Screen::Editor(e)) = d.app.screen() else { panic!("the editor") };
    assert_eq!(e.text(), "price: \u{202e}001\u{1b}]8;;x\u{7}", "kept as typed");
});
