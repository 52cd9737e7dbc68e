//! The generic record screen, through keys: help requests (respond, status moves,
//! tabs with counts, search) and service packages (form validation per field,
//! money, reorder, withdraw), and what each role may do — on both backends.

use crate::common::{PASSWORD, TestDb, login_user};
use crate::driver::Driver;
use crossterm::event::KeyCode;
use staffroom::domain::help_request::HelpStatus;
use staffroom::domain::permissions::Roles;
use staffroom::ui::screens::{Screen, ScreenId};
use staffroom_core::store::areas::help_requests;
use staffroom_core::store::areas::packages::{self, PackageFields};
use staffroom_core::store::{Actor, audit};

/// A requester, a help request and two packages.
async fn fixture(t: &TestDb) -> (i64, i64) {
    let student = staffroom_core::store::users::create(
        &t.db,
        &Actor::cli(),
        staffroom_core::store::users::NewUser {
            email: Some("student@example.org".into()),
            full_name: "Layla Student".into(),
            roles: Roles { student: true, ..Roles::VIEWER },
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // Raised on the website (the TUI never creates one).
    let sql = "INSERT INTO help_requests (user_id, subject, message, requester_type, created_at, updated_at) \
               VALUES ($1, $2, $3, 'student', $4, $4) RETURNING id";
    let at = staffroom_core::store::now();
    let hr: i64 = staffroom_core::with_db!(&t.db, p => {
        sqlx::query_scalar(sql)
            .bind(student.id)
            .bind("Cannot open lesson 3")
            .bind("It says\nerror 404\nplease help")
            .bind(at)
            .fetch_one(p)
            .await
            .unwrap()
    });
    let a = packages::create(
        &t.db,
        &Actor::cli(),
        PackageFields { name: "Code Review".into(), ..PackageFields::default() },
    )
    .await
    .unwrap();
    packages::create(&t.db, &Actor::cli(), PackageFields { name: "Mentorship".into(), ..PackageFields::default() })
        .await
        .unwrap();
    (hr, a.id)
}

async fn open(t: &TestDb, email: &str, roles: Roles, screen: ScreenId) -> Driver {
    login_user(&t.db, email, "Sami Staff", roles).await;
    let mut d = Driver::new(t.db.clone(), 120, 40);
    d.login(email, PASSWORD).await;
    d.app.toasts.clear();
    let effects = d.app.open(screen);
    d.run(effects).await;
    d
}

crate::on_both!(staff_respond_to_a_help_request_and_the_request_moves_to_resolved, |t: TestDb| async move {
    let (hr, _) = fixture(&t).await;
    let mut d = open(&t, "sami@academy.org", Roles::STAFF, ScreenId::Record("help-requests")).await;
    let s = d.screen();
    assert!(s.contains("pending 1") && s.contains("Cannot open lesson 3"), "tabs with counts and the row: {s}");
    assert!(s.lines().last().unwrap_or("").contains("respond"), "staff are offered e: {s}");
    assert!(s.contains("error 404"), "the message keeps its lines in the detail: {s}");
    d.press(KeyCode::Char('e')).await;
    assert!(d.screen().contains("Respond to #"));
    // Saving an empty response: refused at the field, nothing sent.
    let save = crossterm::event::KeyEvent::new(KeyCode::Char('s'), crossterm::event::KeyModifiers::CONTROL);
    d.press_key(save).await;
    assert!(d.screen().contains("response is needed"), "{}", d.screen());
    d.type_text("Try again now").await;
    d.press(KeyCode::Enter).await; // a new line in the text area
    d.type_text("it works").await;
    d.press_key(save).await;
    let stored = help_requests::get(&t.db, hr).await.unwrap();
    assert_eq!(stored.status, HelpStatus::Resolved);
    assert_eq!(stored.response.as_deref(), Some("Try again now\nit works"));
    assert!(stored.responder_name.as_deref() == Some("Sami Staff"));
    let s = d.screen();
    assert!(s.contains("resolved 1") && s.contains("pending 0"), "counts follow: {s}");
    assert!(audit::for_entity(&t.db, "help_request", hr).await.unwrap().iter().any(|r| r.action.contains("respond")));
    // An illegal move is refused with the allowed ones, nothing changes.
    d.press(KeyCode::Char('x')).await; // closed
    d.press(KeyCode::Char('r')).await; // closed -> resolved is not allowed
    assert_eq!(help_requests::get(&t.db, hr).await.unwrap().status, HelpStatus::Closed);
    assert!(d.screen().contains("allowed"), "{}", d.screen());
});

crate::on_both!(a_viewer_reads_help_requests_and_packages_but_changes_nothing, |t: TestDb| async move {
    let (hr, pkg) = fixture(&t).await;
    let mut d = open(&t, "vera@academy.org", Roles::VIEWER, ScreenId::Record("help-requests")).await;
    let s = d.screen();
    assert!(s.contains("Cannot open lesson 3"), "{s}");
    assert!(!s.lines().last().unwrap_or("").contains("respond"), "a viewer is not offered e: {s}");
    d.press(KeyCode::Char('e')).await;
    assert!(d.screen().contains("may not edit content"), "{}", d.screen());
    d.press(KeyCode::Char('r')).await;
    assert_eq!(help_requests::get(&t.db, hr).await.unwrap().status, HelpStatus::Pending);
    let effects = d.app.open(ScreenId::Record("packages"));
    d.run(effects).await;
    d.shift('J').await;
    assert!(d.screen().contains("may not manage settings"));
    let page = packages::page(&t.db, &packages::Query::default(), None, 10).await.unwrap();
    assert_eq!(page.rows[0].id, pkg, "order unchanged");
});

crate::on_both!(an_admin_edits_a_package_with_prices_as_money_and_reorders_it, |t: TestDb| async move {
    let (_, pkg) = fixture(&t).await;
    let mut d = open(&t, "amira@academy.org", Roles::ADMIN, ScreenId::Record("packages")).await;
    assert!(d.screen().contains("Code Review"));
    d.press(KeyCode::Char('e')).await;
    // Down to the EGP price (name, slug, description, features, deliverables, for, weeks, EGP).
    for _ in 0..7 {
        d.press(KeyCode::Tab).await;
    }
    d.type_text("1,250.505").await;
    d.press(KeyCode::Enter).await;
    let s = d.screen();
    assert!(s.contains("decimals"), "three decimals refused at the field: {s}");
    assert!(s.contains("Code Review"), "nothing typed is lost: {s}");
    d.press(KeyCode::Backspace).await;
    d.press(KeyCode::Enter).await;
    let stored = packages::get(&t.db, pkg).await.unwrap();
    assert_eq!(stored.price(staffroom::domain::money::Currency::Egp).map(|m| m.minor), Some(125_050));
    assert!(d.screen().contains("EGP 1,250.50"), "{}", d.screen());
    // J moves it below the second package.
    d.shift('J').await;
    let page = packages::page(&t.db, &packages::Query::default(), None, 10).await.unwrap();
    assert_eq!(page.rows[1].id, pkg, "moved down");
    assert!(audit::for_entity(&t.db, "service_package", pkg).await.unwrap().len() >= 3);
    // Withdraw asks first and states what.
    let Some(Screen::Record(r)) = d.app.screen() else { panic!("record screen") };
    let cursor_on = r.selected().map(|x| x.id);
    d.press(KeyCode::Char('t')).await;
    assert!(d.screen().contains("withdraw"), "{}", d.screen());
    d.press(KeyCode::Char('y')).await;
    let withdrawn = packages::get(&t.db, cursor_on.unwrap()).await.unwrap();
    assert!(!withdrawn.is_active);
});

crate::on_both!(
    after_a_conflict_a_record_form_keeps_the_typing_and_the_next_save_goes_over_theirs,
    |t: TestDb| async move {
        let (_, pkg) = fixture(&t).await;
        let mut d = open(&t, "amira@academy.org", Roles::ADMIN, ScreenId::Record("packages")).await;
        d.press(KeyCode::Char('e')).await;
        d.press(KeyCode::End).await;
        d.type_text(" Plus").await;
        // Omar saves the package meanwhile, and a change notice reloads the list under
        // the form: the save still starts from the version the form opened on.
        let omar = crate::common::actor(&t.db, "Omar Admin", Roles::ADMIN).await;
        let before = packages::get(&t.db, pkg).await.unwrap();
        let theirs = PackageFields { description: Some("theirs".into()), ..before.fields() };
        packages::update(&t.db, &omar, pkg, before.version, theirs).await.unwrap();
        d.send(staffroom::ui::msg::Msg::Changed(staffroom::backend::changes::Notice { entity: None })).await;
        d.press(KeyCode::Enter).await;
        let s = d.screen();
        assert!(s.contains("Omar Admin") && s.contains("ctrl-s again saves yours"), "{s}");
        assert_eq!(packages::get(&t.db, pkg).await.unwrap().name, "Code Review", "nothing overwritten yet");
        // The next save goes over theirs; once more is not refused again.
        d.press(KeyCode::Enter).await;
        let stored = packages::get(&t.db, pkg).await.unwrap();
        assert_eq!(stored.name, "Code Review Plus", "{}", d.screen());
        assert!(d.app.popups.is_empty(), "the form closed once saved: {}", d.screen());
    }
);

/// shift-Tab as terminals send it: BackTab, with SHIFT set.
fn shift_tab() -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(KeyCode::BackTab, crossterm::event::KeyModifiers::SHIFT)
}

crate::on_both!(shift_tab_goes_back_through_status_tabs_and_form_fields, |t: TestDb| async move {
    fixture(&t).await;
    let mut d = open(&t, "amira@academy.org", Roles::ADMIN, ScreenId::Record("packages")).await;
    let tab = |d: &Driver| match d.app.screen() {
        Some(Screen::Record(r)) => r.tab,
        _ => usize::MAX,
    };
    d.press(KeyCode::Tab).await;
    assert_eq!(tab(&d), 1);
    d.press_key(shift_tab()).await;
    assert_eq!(tab(&d), 0, "back to all");
    d.press_key(shift_tab()).await;
    assert_eq!(tab(&d), 2, "from the first tab to the last");
    d.press(KeyCode::Tab).await;
    d.shift('N').await;
    let focus = |d: &Driver| match d.app.popups.last() {
        Some(staffroom::ui::app::Popup::Form(f)) => f.focus,
        _ => usize::MAX,
    };
    d.press(KeyCode::Tab).await;
    d.press(KeyCode::Tab).await;
    assert_eq!(focus(&d), 2);
    d.press_key(shift_tab()).await;
    assert_eq!(focus(&d), 1, "shift-Tab is the previous field");
});

crate::on_both!(a_long_detail_scrolls_by_wrapped_rows_to_its_last_line, |t: TestDb| async move {
    fixture(&t).await;
    // Twenty paragraphs that each wrap to several rows in a pane at 80x24: counted in
    // lines, the pane would stop a long way before the end.
    let words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor";
    let message: Vec<String> = (1..=20).map(|n| format!("para{n:02} {words} {words}")).collect();
    let sql = "INSERT INTO help_requests (user_id, subject, message, requester_type, created_at, updated_at) \
               SELECT user_id, 'A long story', $1, 'student', $2, $2 FROM help_requests LIMIT 1";
    let at = staffroom_core::store::now() + chrono::Duration::minutes(1);
    staffroom_core::with_db!(&t.db, p => {
        sqlx::query(sql).bind(message.join("\n")).bind(at).execute(p).await.unwrap().rows_affected()
    });
    login_user(&t.db, "sami@academy.org", "Sami Staff", Roles::STAFF).await;
    let mut d = Driver::new(t.db.clone(), 80, 24);
    d.login("sami@academy.org", PASSWORD).await;
    let effects = d.app.open(ScreenId::Record("help-requests"));
    d.run(effects).await;
    let s = d.screen();
    assert!(s.contains("A long story") && s.contains("para01"), "the newest first, its text from the top: {s}");
    assert!(!s.contains("para20") && s.contains("↓ 1–"), "more below, and the rows shown: {s}");
    let ctrl = |c| crossterm::event::KeyEvent::new(KeyCode::Char(c), crossterm::event::KeyModifiers::CONTROL);
    for _ in 0..60 {
        d.press_key(ctrl('d')).await;
    }
    let s = d.screen();
    assert!(s.contains("para20") && s.contains("elit sed do eiusmod tempor"), "the last row can be read: {s}");
    assert!(!s.contains("para01") && s.contains("↑ "), "{s}");
    // The list's cursor did not move: ctrl-d scrolled the pane, not the list.
    assert!(d.screen().contains("A long story"));
    d.press_key(ctrl('u')).await;
    assert!(d.screen().contains("↑↓"), "half a page back up: {}", d.screen());
    // Another record starts at its top.
    d.press(KeyCode::Char('j')).await;
    let s = d.screen();
    assert!(s.contains("error 404") && !s.contains("↑"), "{s}");
    d.press(KeyCode::Char('k')).await;
    assert!(d.screen().contains("para01"), "{}", d.screen());
});

crate::on_both!(help_requests_sort_by_subject_and_page_in_that_order, |t: TestDb| async move {
    use staffroom::backend::{Backend, OfficeRequest, Reply, Request};
    use staffroom_core::store::areas::Args;
    use staffroom_core::store::page::Sort;
    use staffroom_core::store::records::Cursor;
    fixture(&t).await;
    let sql = "INSERT INTO help_requests (user_id, subject, message, requester_type, created_at, updated_at) \
               SELECT user_id, $1, 'm', 'student', $2, $2 FROM help_requests LIMIT 1";
    for subject in ["zoom link broken", "Access to week 2", "billing question"] {
        let at = staffroom_core::store::now();
        staffroom_core::with_db!(&t.db, p => {
            sqlx::query(sql).bind(subject).bind(at).execute(p).await.unwrap().rows_affected()
        });
    }
    login_user(&t.db, "sami@academy.org", "Sami Staff", Roles::STAFF).await;
    let backend = Backend::new(t.db.clone(), crate::driver::backend_settings(), "test");
    let login =
        OfficeRequest::Login { email: "sami@academy.org".into(), password: PASSWORD.into(), terminal: "t".into() };
    assert!(backend.handle(Request::Office(login)).await.0.is_ok());
    let mut subjects = Vec::new();
    let mut after: Option<Cursor> = None;
    loop {
        let sort = Some(Sort { column: "subject".into(), descending: true });
        let args = Args { limit: 3, after: after.clone(), sort, ..Args::default() };
        let (r, _) = backend.handle(Request::Area { area: "help_requests", op: "list", args: Box::new(args) }).await;
        let Ok(Reply::Records(page)) = r else { panic!("{r:?}") };
        subjects.extend(page.rows.iter().map(|r| r.cells[2].clone()));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(subjects, ["zoom link broken", "Cannot open lesson 3", "billing question", "Access to week 2"]);
});
