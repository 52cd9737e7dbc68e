//! Nothing typed is lost by a key: ctrl-c and `q` ask alike when something is
//! unsaved (a form, a note, the editor), Esc on a changed form asks before closing
//! it, and every way out writes the editor's autosave whole.

use crate::common::{PASSWORD, TestDb, login_user};
use crate::driver::Driver;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use staffroom::domain::permissions::Roles;
use staffroom::ui::app::Popup;
use staffroom::ui::screens::ScreenId;
use staffroom_core::store::Db;

async fn open(db: &Db, screen: ScreenId, settings: staffroom::ui::app::Settings) -> Driver {
    login_user(db, "sara@academy.org", "Sara Staff", Roles::ADMIN).await;
    let mut d = Driver::with_settings(db.clone(), 120, 40, settings);
    d.login("sara@academy.org", PASSWORD).await;
    d.app.toasts.clear();
    let effects = d.app.open(screen);
    d.run(effects).await;
    d
}

async fn ctrl_c(d: &mut Driver) {
    d.press_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)).await;
}

fn asking(d: &Driver) -> Option<String> {
    match d.app.popups.last() {
        Some(Popup::Confirm { question, .. }) => Some(question.clone()),
        _ => None,
    }
}

fn form_text(d: &Driver, key: &str) -> Option<String> {
    d.app.popups.iter().rev().find_map(|p| match p {
        Popup::Form(f) => f.fields.iter().find(|x| x.key == key).map(|x| x.raw()),
        _ => None,
    })
}

crate::on_both!(ctrl_c_asks_like_q_before_dropping_a_typed_new_lead, |t: TestDb| async move {
    let mut d = open(&t.db, ScreenId::Pipeline, staffroom::ui::driver::settings()).await;
    d.shift('N').await;
    d.type_text("Hossam Adel").await;
    ctrl_c(&mut d).await;
    assert!(!d.quit, "ctrl-c did not quit with a typed lead open");
    let q = asking(&d).unwrap_or_else(|| panic!("a question: {}", d.screen()));
    assert!(q.contains("Quit and lose what you typed?"), "{q}");
    // n goes back to the form with the name as typed.
    d.press(KeyCode::Char('n')).await;
    assert_eq!(form_text(&d, "name").as_deref(), Some("Hossam Adel"));
    assert!(!d.quit);
    // A second ctrl-c on the question answers it.
    ctrl_c(&mut d).await;
    assert!(asking(&d).is_some() && !d.quit);
    ctrl_c(&mut d).await;
    assert!(d.quit, "ctrl-c twice quits");

    // Nothing typed: ctrl-c quits at once, as q does.
    let mut d = Driver::new(t.db.clone(), 120, 40);
    d.login("sara@academy.org", PASSWORD).await;
    ctrl_c(&mut d).await;
    assert!(d.quit && asking(&d).is_none());
});

crate::on_both!(ctrl_c_in_the_editor_asks_and_the_autosave_holds_every_key, |t: TestDb| async move {
    let dir = crate::common::temp_path("autosave");
    let settings =
        staffroom::ui::app::Settings { autosave_dir: Some(dir.clone()), ..staffroom::ui::driver::settings() };
    let mut d = open(&t.db, ScreenId::Editor, settings).await;
    d.press(KeyCode::Enter).await; // from the title to the body
    // Typed faster than the autosave's half-second pace: no tick in between.
    d.type_text("Draft").await;
    ctrl_c(&mut d).await;
    assert!(!d.quit, "the editor's unsaved text is asked about");
    assert!(asking(&d).is_some_and(|q| q.contains("Quit")), "{}", d.screen());
    d.press(KeyCode::Char('y')).await;
    assert!(d.quit);
    let kept = staffroom::ui::autosave::read(&dir, "new").expect("an autosave");
    assert_eq!(kept.body, "Draft", "every key, not the first one");

    // A signal or a lost terminal: the event loop's shutdown writes it whole too.
    let _ = std::fs::remove_dir_all(&dir);
    let settings =
        staffroom::ui::app::Settings { autosave_dir: Some(dir.clone()), ..staffroom::ui::driver::settings() };
    let mut d = Driver::with_settings(t.db.clone(), 120, 40, settings);
    d.login("sara@academy.org", PASSWORD).await;
    let effects = d.app.open(ScreenId::Editor);
    d.run(effects).await;
    d.press(KeyCode::Enter).await;
    d.type_text("Second").await;
    d.app.shutdown();
    assert_eq!(staffroom::ui::autosave::read(&dir, "new").map(|a| a.body).as_deref(), Some("Second"));
    let _ = std::fs::remove_dir_all(&dir);
});

crate::on_both!(esc_on_a_changed_form_asks_and_n_keeps_editing, |t: TestDb| async move {
    let mut d = open(&t.db, ScreenId::Pipeline, staffroom::ui::driver::settings()).await;
    d.shift('N').await;
    let pasted = "x".repeat(10_000);
    d.send(staffroom::ui::msg::Msg::Paste(pasted.clone())).await;
    d.press(KeyCode::Esc).await;
    let q = asking(&d).unwrap_or_else(|| panic!("Esc asks: {}", d.screen()));
    assert!(q.contains("lose what you typed"), "{q}");
    // n and Esc both go back to the form as it was.
    d.press(KeyCode::Char('n')).await;
    assert_eq!(form_text(&d, "name").as_deref(), Some(pasted.as_str()));
    d.press(KeyCode::Esc).await;
    d.press(KeyCode::Esc).await;
    assert_eq!(form_text(&d, "name").as_deref(), Some(pasted.as_str()), "Esc on the question keeps editing");
    // y closes it, saying nothing was saved.
    d.press(KeyCode::Esc).await;
    d.press(KeyCode::Char('y')).await;
    assert!(d.app.popups.is_empty(), "closed: {}", d.screen());
    assert!(d.app.toasts.iter().any(|t| t.text.contains("nothing was saved")));
    // An untouched form closes at once.
    d.shift('N').await;
    d.press(KeyCode::Esc).await;
    assert!(d.app.popups.is_empty() && !d.quit);
});

crate::on_both!(esc_on_a_typed_note_asks_before_dropping_it, |t: TestDb| async move {
    let new = staffroom_core::store::leads::NewLead {
        full_name: "Mona Ibrahim".into(),
        email: Some("mona@example.com".into()),
        ..Default::default()
    };
    staffroom_core::store::leads::create(&t.db, &staffroom_core::store::Actor::cli(), new).await.unwrap();
    let mut d = open(&t.db, ScreenId::Pipeline, staffroom::ui::driver::settings()).await;
    d.press(KeyCode::Enter).await; // the lead
    d.press(KeyCode::Char('n')).await;
    d.type_text("called her").await;
    d.press(KeyCode::Esc).await;
    assert!(asking(&d).is_some_and(|q| q.contains("lose what you typed")), "{}", d.screen());
    d.press(KeyCode::Char('n')).await;
    let note = |d: &Driver| match d.app.popups.last() {
        Some(Popup::Input(i)) => Some(i.text.clone()),
        _ => None,
    };
    assert_eq!(note(&d).as_deref(), Some("called her"), "n keeps the note");
    d.press(KeyCode::Esc).await;
    d.press(KeyCode::Char('y')).await;
    assert!(d.app.popups.is_empty(), "y drops it: {}", d.screen());
});

crate::on_both!(ctrl_c_on_the_lock_screen_warns_before_dropping_unsaved_work, |t: TestDb| async move {
    let mut d = open(&t.db, ScreenId::Pipeline, staffroom::ui::driver::settings()).await;
    d.shift('N').await;
    d.type_text("Hossam Adel").await;
    d.app.lock();
    ctrl_c(&mut d).await;
    assert!(!d.quit, "the first ctrl-c only warns");
    assert!(d.screen().contains("unlock to keep it"), "{}", d.screen());
    // Unlocking keeps the form as it was.
    d.type_text(PASSWORD).await;
    d.press(KeyCode::Enter).await;
    assert!(!d.app.locked, "{}", d.screen());
    assert_eq!(form_text(&d, "name").as_deref(), Some("Hossam Adel"));
    // Locked again: a second ctrl-c after the warning quits.
    d.app.lock();
    ctrl_c(&mut d).await;
    ctrl_c(&mut d).await;
    assert!(d.quit);
});

crate::on_both!(a_session_ended_by_deactivation_keeps_the_whole_editor_text_in_its_autosave, |t: TestDb| async move {
    let dir = crate::common::temp_path("autosave");
    let settings =
        staffroom::ui::app::Settings { autosave_dir: Some(dir.clone()), ..staffroom::ui::driver::settings() };
    let mut d = open(&t.db, ScreenId::Editor, settings).await;
    d.press(KeyCode::Enter).await;
    d.type_text("Draft").await;
    let cli = staffroom_core::store::Actor::cli();
    crate::common::actor(&t.db, "Other Admin", Roles::ADMIN).await; // Sara is not the last admin
    staffroom_core::store::users::deactivate(&t.db, &cli, "sara@academy.org").await.unwrap();
    // The next request learns it: the session ends and the editor goes.
    d.press_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)).await;
    assert!(d.app.session.is_none() && d.app.stack.is_empty(), "{}", d.screen());
    let kept = staffroom::ui::autosave::read(&dir, "new").map(|a| a.body);
    assert_eq!(kept.as_deref(), Some("Draft"), "every key, not the first one");
    let _ = std::fs::remove_dir_all(&dir);
});
