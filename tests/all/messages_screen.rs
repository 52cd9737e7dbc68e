//! The contact messages screen driven by keys: the list and its status tabs,
//! converting with the duplicate check, linking, resolving, and who may do it.

use crate::common::TestDb;
use crate::contact_messages::receive;
use crate::driver::Driver;
use crossterm::event::KeyCode;
use staffroom::domain::lead::LeadSource;
use staffroom::domain::permissions::Roles;
use staffroom::ui::screens::Screen;
use staffroom_core::store::contact_messages as messages;
use staffroom_core::store::leads::{self, NewLead};
use staffroom_core::store::{Actor, Db};

async fn person(db: &Db, email: &str, roles: Roles) -> Actor {
    crate::common::login_user(db, email, email.split('@').next().unwrap_or("x"), roles).await
}

async fn open(db: &Db, email: &str) -> Driver {
    let mut d = crate::driver::logged_in_on(db, email, 140, 36, staffroom::ui::screens::ScreenId::Dashboard).await;
    d.press(KeyCode::Char(':')).await;
    d.type_text("messages").await;
    d.press(KeyCode::Enter).await;
    d
}

fn selected(d: &Driver) -> messages::ContactMessage {
    match d.app.screen() {
        Some(Screen::Messages(s)) => s.selected().cloned().expect("a message is selected"),
        _ => panic!("not on the messages screen"),
    }
}

#[tokio::test]
async fn c_converts_a_message_and_warns_about_an_open_duplicate() {
    let t = TestDb::sqlite().await;
    let staff = person(&t.db, "sara@academy.org", Roles::STAFF).await;
    let now = staffroom_core::store::now();
    let existing = leads::create(
        &t.db,
        &staff,
        NewLead { full_name: "Hossam Adel".into(), phone: Some("+201001234567".into()), ..NewLead::default() },
    )
    .await
    .unwrap();
    receive(&t.db, "Hossam again", None, Some("+20 100 123 4567"), now - chrono::Duration::hours(1)).await;
    receive(&t.db, "Lina \u{1b}[31mRed\u{7}", Some("lina@example.com"), None, now).await;
    let mut d = open(&t.db, "sara@academy.org").await;
    let s = d.screen();
    assert!(s.contains("all 2") && s.contains("new 2") && s.contains("Lina ␛[31mRed␇"), "{s}");
    assert!(!d.symbols().iter().any(|c| c.chars().any(|ch| ch.is_control())), "escapes are made inert");

    // The newest is first: Lina, no duplicate, converts straight away.
    d.press(KeyCode::Char('c')).await;
    let lina = selected(&d);
    let lead_id = lina.lead_id.expect("linked to its new lead");
    let lead = leads::get(&t.db, lead_id).await.unwrap();
    assert_eq!(
        (lead.source.as_str(), lead.email.as_deref()),
        (LeadSource::ContactForm.as_str(), Some("lina@example.com"))
    );
    assert!(d.screen().contains(&format!("lead #{lead_id}")));
    assert_eq!(lina.status, "in_progress");
    // Converting twice is refused before it reaches the database.
    d.press(KeyCode::Char('c')).await;
    assert!(d.screen().contains("already lead"));

    // Hossam's number matches an open lead: the choice is offered, nothing written.
    d.press(KeyCode::Char('j')).await;
    d.press(KeyCode::Char('c')).await;
    let s = d.screen();
    assert!(s.contains("Possible duplicate") && s.contains(&format!("#{} Hossam Adel", existing.id)), "{s}");
    assert_eq!(selected(&d).lead_id, None);
    // 2: "it is #… — link the message to it".
    d.press(KeyCode::Char('2')).await;
    assert_eq!(selected(&d).lead_id, Some(existing.id));
    assert_eq!(staffroom_core::store::board::count_by_status(&t.db).await.unwrap()[0].1, 2, "no third lead");

    // r resolves; Tab shows one status at a time.
    d.press(KeyCode::Char('r')).await;
    assert_eq!(selected(&d).status, "resolved");
    d.press(KeyCode::Tab).await;
    d.press(KeyCode::Tab).await;
    let s = d.screen();
    assert!(s.contains("in progress 1") && s.contains("Lina") && !s.contains("Hossam again"), "{s}");
    // Enter opens the message's lead.
    d.press(KeyCode::Enter).await;
    assert!(matches!(d.app.screen(), Some(Screen::Lead(l)) if l.id == lead_id));
}

#[tokio::test]
async fn viewers_read_messages_but_cannot_convert_them() {
    let t = TestDb::sqlite().await;
    person(&t.db, "vera@academy.org", Roles::VIEWER).await;
    receive(&t.db, "Mona", Some("mona@example.com"), None, staffroom_core::store::now()).await;
    let mut d = open(&t.db, "vera@academy.org").await;
    assert!(d.screen().contains("Mona"));
    d.press(KeyCode::Char('c')).await;
    assert!(d.screen().contains("may not"), "{}", d.screen());
    assert_eq!(selected(&d).lead_id, None);
    assert_eq!(staffroom_core::store::board::count_by_status(&t.db).await.unwrap().iter().map(|c| c.1).sum::<i64>(), 0);
}

crate::on_both!(c_pressed_twice_before_the_answer_says_it_is_already_a_lead, |t: TestDb| async move {
    person(&t.db, "omar@academy.org", Roles::STAFF).await;
    receive(&t.db, "Lina Saleh", Some("lina@example.com"), None, staffroom_core::store::now()).await;
    let mut d = open(&t.db, "omar@academy.org").await.late(3);
    // Both presses leave before the first answer: the second meets the first's write.
    d.press(KeyCode::Char('c')).await;
    d.press(KeyCode::Char('c')).await;
    d.settle().await;
    let lead_id = selected(&d).lead_id.expect("converted once");
    let said = format!("already done: you converted contact message from Lina Saleh into lead #{lead_id}");
    assert!(d.app.toasts.iter().any(|t| t.text.starts_with(&said)), "{:?}", d.app.toasts);
    // Read whole on the screen too: the toast wraps instead of cutting.
    let s = d.screen();
    assert!(s.contains("already done: you converted") && s.contains("nothing more was changed"), "{s}");
    assert!(!s.contains("changed by"), "not a conflict with someone else: {s}");
    assert_eq!(staffroom_core::store::board::count_by_status(&t.db).await.unwrap()[0].1, 1, "one lead");
});
