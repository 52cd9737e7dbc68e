//! Events (`:events`), the first simple area built from one file under
//! `store/areas/` and one declaration under `ui/records/`: the store's rules (slug
//! BR-02, the start in the office's zone, a limit never under the seats taken
//! BR-08, the status machine, the website only for events that take place, stale
//! versions, one audit row per write) and the screen through keys, with late
//! replies, for staff and a viewer — on both backends.

use crate::common::{PASSWORD, TestDb, login_user};
use crate::driver::{Driver, backend_settings, settings};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use staffroom::backend::Backend;
use staffroom::domain::lifecycle::EventStatus;
use staffroom::domain::permissions::Roles;
use staffroom::ui::screens::ScreenId;
use staffroom_core::store::areas::events::{self, Event, Input, field, sample_fields};
use staffroom_core::store::areas::{Args, FieldValue};
use staffroom_core::store::{Actor, Db, StoreError, audit};

const CAIRO: chrono_tz::Tz = chrono_tz::Africa::Cairo;

fn input(fields: Vec<(&'static str, FieldValue)>) -> Result<Input, StoreError> {
    Input::read(&Args { fields, ..Args::default() }, CAIRO)
}

/// The sample form with `key` set to `value`.
fn with(title: &str, key: &'static str, value: &str) -> Vec<(&'static str, FieldValue)> {
    let mut f: Vec<_> = sample_fields(title).into_iter().filter(|(k, _)| *k != key).collect();
    f.push((key, value.into()));
    f
}

async fn create(db: &Db, title: &str) -> Event {
    events::create(db, &Actor::cli(), input(sample_fields(title)).expect("valid form")).await.expect("create")
}

async fn register(db: &Db, event: i64, people: usize) {
    for n in 0..people {
        staffroom_core::with_db!(db, p => {
            sqlx::query("INSERT INTO event_registrations (event_id, full_name, registered_at) VALUES ($1, $2, $3)")
                .bind(event)
                .bind(format!("Guest {n}"))
                .bind(staffroom_core::store::now())
                .execute(p)
                .await
                .expect("register");
        });
    }
}

async fn audit_count(db: &Db, id: i64) -> usize {
    audit::for_entity(db, "event", id).await.expect("audit rows").len()
}

fn invalid_field(r: Result<impl std::fmt::Debug, StoreError>) -> (String, String) {
    match r {
        Err(StoreError::Invalid { field, why }) => (field, why),
        other => panic!("expected a field refused, got {other:?}"),
    }
}

crate::on_both!(the_form_is_checked_field_by_field_in_the_office_zone, |t: TestDb| async move {
    let e = create(&t.db, "React night").await;
    assert_eq!(e.slug, "react-night", "the slug comes from the title");
    // 18:00 in Cairo is 16:00 UTC in December (UTC+2).
    let dec = with("Winter talk", field::DAY, "2026-12-10");
    let i = input(dec).unwrap();
    assert_eq!(i.starts_at.to_rfc3339(), "2026-12-10T16:00:00+00:00");
    assert_eq!(create(&t.db, "React night").await.slug, "react-night-2", "BR-02: a free slug is found");
    // A typed slug that is taken is refused, naming the event that has it.
    let taken = input(with("Other", field::SLUG, "react-night")).unwrap();
    let (f, why) = invalid_field(events::create(&t.db, &Actor::cli(), taken).await);
    assert_eq!(f, field::SLUG);
    assert!(why.contains("React night"), "{why}");
    // Absurd values are refused at their field, before any write.
    for (key, value, says) in [
        (field::MINUTES, "0", "between 1 and"),
        (field::MINUTES, "99999999999999999999999", "whole number"),
        (field::MAX, "-3", "between 1 and"),
        (field::PRICE, "999999999999999999", "between 0 and"),
        (field::TIME, "25:00", "18:00"),
        (field::DAY, "2026-02-30", "2026-12-05"),
        (field::DAY, "9999-12-31", "1900-01-01 to 2200-12-31"),
        (field::MEETING, "javascript:alert(1)", "https://"),
        (field::TYPE, "rave", "workshop"),
        (field::CURRENCY, "BTC", "EGP or USD"),
        (field::TITLE, "   ", "is needed"),
    ] {
        let (f, why) = invalid_field(input(with("Absurd", key, value)));
        assert_eq!(f, key, "{key}={value}: {why}");
        assert!(why.contains(says), "{key}={value}: {why}");
    }
    let long = "x".repeat(events::MAX_TITLE_CHARS + 1);
    assert_eq!(invalid_field(input(with("", field::TITLE, &long))).0, field::TITLE);
    let paste = "x".repeat(10 * 1024 * 1024);
    let (f, why) = invalid_field(input(with("Big", field::DESCRIPTION, &paste)));
    assert_eq!(f, field::DESCRIPTION);
    assert!(why.contains("5000"), "the limit is named: {why}");
    // Hostile text is stored as typed (bound, never built into SQL) and shown inert.
    let hostile = "Q&A '; DROP TABLE events; -- \u{1b}]52;c;eA==\u{7} \u{202e}%_\\";
    let e = events::create(&t.db, &Actor::cli(), input(sample_fields(hostile)).unwrap()).await.unwrap();
    assert_eq!(events::get(&t.db, e.id).await.unwrap().title, hostile);
    assert_eq!(events::page(&t.db, None, Some("%_"), None, 10).await.unwrap().rows.len(), 1, "% and _ are literal");
});

crate::on_both!(a_limit_never_falls_under_the_seats_taken, |t: TestDb| async move {
    let e = create(&t.db, "Portfolio clinic").await;
    register(&t.db, e.id, 3).await;
    let before = audit_count(&t.db, e.id).await;
    let two = input(with("Portfolio clinic", field::MAX, "2")).unwrap();
    let (f, why) = invalid_field(events::update(&t.db, &Actor::cli(), e.id, e.version, two).await);
    assert_eq!(f, field::MAX);
    assert!(why.contains("3 people are registered"), "{why}");
    let stored = events::get(&t.db, e.id).await.unwrap();
    assert_eq!((stored.max_attendees, stored.version), (Some(20), e.version), "nothing was written");
    assert_eq!(audit_count(&t.db, e.id).await, before, "no audit row for a refusal");
    let three = input(with("Portfolio clinic", field::MAX, "3")).unwrap();
    let saved = events::update(&t.db, &Actor::cli(), e.id, e.version, three).await.unwrap();
    assert_eq!(events::seats(&saved), "3 of 3 (full)");
    assert_eq!(audit_count(&t.db, e.id).await, before + 1, "one audit row per write");
    // Someone else's save since: a conflict, and theirs stays.
    let stale = input(with("Portfolio clinic", field::TITLE, "Mine")).unwrap();
    let r = events::update(&t.db, &Actor::cli(), e.id, e.version, stale).await;
    assert!(matches!(r, Err(StoreError::Conflict { .. })), "{r:?}");
    assert_eq!(events::get(&t.db, e.id).await.unwrap().title, "Portfolio clinic");
});

crate::on_both!(status_moves_follow_the_machine_and_the_website_only_shows_what_takes_place, |t: TestDb| async move {
    let a = Actor::cli();
    let e = create(&t.db, "Live Q&A").await;
    let e = events::publish(&t.db, &a, e.id, e.version, true).await.unwrap();
    assert!(e.is_published);
    let e = events::set_status(&t.db, &a, e.id, e.version, EventStatus::Live).await.unwrap();
    let back = events::set_status(&t.db, &a, e.id, e.version, EventStatus::Scheduled).await;
    match back {
        Err(StoreError::Refused { reason }) => assert!(reason.contains("completed, cancelled"), "{reason}"),
        other => panic!("live -> scheduled must be refused: {other:?}"),
    }
    let done = events::set_status(&t.db, &a, e.id, e.version, EventStatus::Completed).await.unwrap();
    assert!(done.is_published, "a held event stays on the website");
    let r = events::set_status(&t.db, &a, done.id, done.version, EventStatus::Live).await;
    assert!(matches!(r, Err(StoreError::Refused { reason }) if reason.contains("final state")));
    // Cancelling takes it off the website, and it cannot go back on while cancelled.
    let c = create(&t.db, "Open day").await;
    let c = events::publish(&t.db, &a, c.id, c.version, true).await.unwrap();
    let c = events::set_status(&t.db, &a, c.id, c.version, EventStatus::Cancelled).await.unwrap();
    assert!(!c.is_published);
    let r = events::publish(&t.db, &a, c.id, c.version, true).await;
    assert!(matches!(r, Err(StoreError::Refused { reason }) if reason.contains("cancelled")));
    let rows = audit::for_entity(&t.db, "event", c.id).await.unwrap();
    assert_eq!(rows.len(), 3, "create, publish, cancel: {rows:?}");
    // A viewer's actor is refused by the store itself too.
    let viewer = Actor { roles: Roles::VIEWER, ..Actor::cli() };
    let r = events::set_status(&t.db, &viewer, c.id, c.version, EventStatus::Scheduled).await;
    assert!(matches!(r, Err(StoreError::Refused { reason }) if reason.contains("may not manage events")));
});

async fn open(t: &TestDb, email: &str, name: &str, roles: Roles, late: Option<u64>) -> Driver {
    login_user(&t.db, email, name, roles).await;
    let backend = Backend::new(t.db.clone(), backend_settings(), "test");
    let mut d = Driver::with_backend(t.db.clone(), backend, 120, 40, settings());
    if let Some(seed) = late {
        d = d.late(seed);
    }
    d.login(email, PASSWORD).await;
    d.settle().await;
    d.app.toasts.clear();
    let effects = d.app.open(ScreenId::Record("events"));
    d.run(effects).await;
    d.settle().await;
    d
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

crate::on_both!(staff_add_move_and_publish_an_event_from_the_keyboard, |t: TestDb| async move {
    let held = create(&t.db, "Weekly live: debugging").await;
    let held = events::set_status(&t.db, &Actor::cli(), held.id, held.version, EventStatus::Completed).await.unwrap();
    // Replies arrive late and out of order throughout.
    let mut d = open(&t, "sami@academy.org", "Sami Staff", Roles::STAFF, Some(7)).await;
    let s = d.screen();
    assert!(s.contains("completed 1") && s.contains("Weekly live: debugging"), "tabs with counts: {s}");
    assert!(s.lines().last().unwrap_or("").contains("publish"), "staff are offered p: {s}");
    // A held event moves no further: said, nothing sent.
    d.press(KeyCode::Char('m')).await;
    assert!(d.screen().contains("moves no further"), "{}", d.screen());
    // N: the form; saving it empty is refused at the title, nothing sent.
    d.shift('N').await;
    assert!(d.screen().contains("New event"));
    d.press_key(ctrl('s')).await;
    d.settle().await;
    assert!(d.screen().contains("title is needed"), "{}", d.screen());
    d.type_text("Rust for beginners").await;
    for _ in 0..3 {
        d.press(KeyCode::Tab).await; // slug, type, day
    }
    d.type_text("2026-12-20").await;
    d.press(KeyCode::Tab).await;
    d.type_text("25:00").await; // refused by the store, at the field
    d.press_key(ctrl('s')).await;
    d.settle().await;
    let s = d.screen();
    assert!(
        s.contains("18:00") && s.contains("Rust for beginners"),
        "the store's refusal at the field, typing kept: {s}"
    );
    for _ in 0..5 {
        d.press(KeyCode::Backspace).await;
    }
    d.type_text("19:30").await;
    d.press_key(ctrl('s')).await;
    d.settle().await;
    let page = events::page(&t.db, None, Some("Rust for"), None, 10).await.unwrap();
    let e = page.rows.first().expect("the event was created").clone();
    assert_eq!(e.starts_at.to_rfc3339(), "2026-12-20T19:30:00+00:00", "the test office is in UTC");
    assert_eq!((e.status, e.is_published), (EventStatus::Scheduled, false));
    let s = d.screen();
    assert!(s.contains("Rust for beginners") && s.contains("scheduled 1"), "listed and counted: {s}");
    // The new event starts latest: it is first. m → live.
    d.press(KeyCode::Char('g')).await;
    d.press(KeyCode::Char('m')).await;
    assert!(d.screen().contains("Move Rust for beginners (scheduled) to"), "{}", d.screen());
    d.press(KeyCode::Enter).await;
    d.settle().await;
    assert_eq!(events::get(&t.db, e.id).await.unwrap().status, EventStatus::Live);
    // p twice quickly, before the first answer: one publish lands, the second was
    // sent at the version both presses saw, so it is a conflict; nothing is lost.
    d.press(KeyCode::Char('p')).await;
    d.press(KeyCode::Char('p')).await;
    d.settle().await;
    assert!(events::get(&t.db, e.id).await.unwrap().is_published, "{}", d.screen());
    let published = audit::for_entity(&t.db, "event", e.id).await.unwrap();
    assert_eq!(published.iter().filter(|r| r.summary.starts_with("published")).count(), 1, "{published:?}");
    assert!(audit_count(&t.db, e.id).await >= 3, "create, move, publish");
    assert!(audit_count(&t.db, held.id).await >= 2);
});

crate::on_both!(a_viewer_reads_events_and_changes_nothing, |t: TestDb| async move {
    let hostile = "Night \u{1b}]52;c;cHduZWQ=\u{7} \u{1b}[2Jtalk";
    let e = create(&t.db, hostile).await;
    let mut d = open(&t, "vera@academy.org", "Vera Viewer", Roles::VIEWER, None).await;
    let s = d.screen();
    assert!(s.contains("Night") && s.contains("talk"), "{s}");
    assert!(!s.contains('\u{1b}') && !s.contains('\u{7}'), "a hostile title is drawn inert");
    assert!(!s.lines().last().unwrap_or("").contains("publish"), "a viewer is not offered p: {s}");
    d.press(KeyCode::Char('p')).await;
    d.settle().await;
    assert!(d.screen().contains("may not manage events"), "{}", d.screen());
    d.shift('N').await;
    assert!(!d.screen().contains("New event"), "no form for a viewer");
    // Help lists the screen's own words, and marks first what the role may not do.
    let help = staffroom::ui::view::help_lines(&d.app);
    let line = |words: &str| help.iter().find(|(_, w)| w.contains(words)).map(|(_, w)| w.clone());
    assert_eq!(line("on / off the website").as_deref(), Some("✗ on / off the website (not for your role)"));
    assert_eq!(line("search title, place, slug").as_deref(), Some("search title, place, slug"));
    let stored = events::get(&t.db, e.id).await.unwrap();
    assert_eq!((stored.version, stored.is_published), (e.version, false));
});

/// The form's values arrive typed (a number, a day, a yes/no) and meet the same
/// checks as typed text: a day out of the office's range, a length out of bounds.
#[test]
fn typed_values_meet_the_same_checks_as_text() {
    let typed = |key: &'static str, value: FieldValue| {
        let mut f: Vec<_> = sample_fields("Typed").into_iter().filter(|(k, _)| *k != key).collect();
        f.push((key, value));
        input(f)
    };
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 10);
    let i = typed(field::DAY, FieldValue::Date(day)).unwrap();
    assert_eq!(i.starts_at.to_rfc3339(), "2026-12-10T16:00:00+00:00", "18:00 in Cairo on the typed day");
    let far = chrono::NaiveDate::from_ymd_opt(9999, 12, 31);
    let (key, why) = invalid_field(typed(field::DAY, FieldValue::Date(far)));
    assert_eq!((key.as_str(), why.contains("2200")), (field::DAY, true), "{why}");
    assert_eq!(
        invalid_field(typed(field::DAY, FieldValue::Date(None))),
        invalid_field(input(with("Typed", field::DAY, ""))),
        "an empty day is refused alike, typed or as text"
    );
    let (key, why) = invalid_field(typed(field::MINUTES, FieldValue::Number(Some(0))));
    assert_eq!((key.as_str(), why.contains("between 1 and")), (field::MINUTES, true), "{why}");
    let ok = typed(field::MINUTES, FieldValue::Number(Some(45))).unwrap();
    assert_eq!(ok.minutes, 45);
    let args = |v: FieldValue| Args { fields: vec![(field::PUBLISHED, v)], ..Args::default() };
    assert!(args(FieldValue::Flag(true)).flag(field::PUBLISHED));
    assert!(!args(FieldValue::Flag(false)).flag(field::PUBLISHED));
    assert!(args("yes".into()).flag(field::PUBLISHED), "text says yes as before");
}

crate::on_both!(a_sorted_list_pages_in_its_sort_and_the_sort_is_the_users_next_time, |t: TestDb| async move {
    use staffroom::backend::{OfficeRequest, Reply, Request};
    use staffroom_core::store::page::{Sort, SortValue};
    use staffroom_core::store::records::Cursor;
    for title in ["delta talk", "Alpha night", "charlie clinic", "Bravo day", "echo live"] {
        create(&t.db, title).await;
    }
    login_user(&t.db, "sam@academy.org", "Sam Staff", Roles::STAFF).await;
    let backend = Backend::new(t.db.clone(), backend_settings(), "test");
    let login =
        OfficeRequest::Login { email: "sam@academy.org".into(), password: PASSWORD.into(), terminal: "t".into() };
    assert!(backend.handle(Request::Office(login)).await.0.is_ok());
    // Two at a time, by title (case-insensitive), each page going on from the last.
    let mut titles = Vec::new();
    let mut after: Option<Cursor> = None;
    for _ in 0..4 {
        let args = Args {
            limit: 2,
            after: after.clone(),
            sort: Some(Sort { column: "title".into(), descending: false }),
            sort_chosen: after.is_none(),
            ..Args::default()
        };
        let (r, _) = backend.handle(Request::Area { area: "events", op: "list", args: Box::new(args) }).await;
        let Ok(Reply::Records(page)) = r else { panic!("{r:?}") };
        assert_eq!(page.sorted.as_ref().map(|s| s.column.as_str()), Some("title"));
        titles.extend(page.rows.iter().map(|r| r.cells[1].clone()));
        if let Some(Cursor::Sorted(SortValue::Text(_), _)) = &page.next {
            after = page.next.clone();
        } else {
            assert!(page.next.is_none(), "{:?}", page.next);
            break;
        }
    }
    assert_eq!(titles, ["Alpha night", "Bravo day", "charlie clinic", "delta talk", "echo live"]);
    // Asked again without a sort, the first page comes in the user's saved one.
    let args = Args { limit: 10, ..Args::default() };
    let (r, _) = backend.handle(Request::Area { area: "events", op: "list", args: Box::new(args) }).await;
    let Ok(Reply::Records(page)) = r else { panic!("{r:?}") };
    assert_eq!(page.sorted, Some(Sort { column: "title".into(), descending: false }), "kept per user");
    assert_eq!(page.rows[0].cells[1], "Alpha night");
    // A column the list cannot be sorted by: its own order (latest start first).
    let args = Args { limit: 10, sort: Some(Sort { column: "x".into(), descending: false }), ..Args::default() };
    let (r, _) = backend.handle(Request::Area { area: "events", op: "list", args: Box::new(args) }).await;
    let Ok(Reply::Records(page)) = r else { panic!("{r:?}") };
    assert_eq!(page.sorted, None);
    assert_eq!(page.sortable, ["title", "starts", "seats"]);
});

crate::on_both!(o_sorts_the_events_screen_and_o_flips_it_kept_when_it_opens_again, |t: TestDb| async move {
    for title in ["delta talk", "Alpha night", "charlie clinic"] {
        create(&t.db, title).await;
    }
    let mut d = open(&t, "sam@academy.org", "Sam Staff", Roles::STAFF, Some(7)).await;
    d.press(KeyCode::Char('o')).await;
    d.settle().await;
    let s = d.screen();
    assert!(s.contains("by title ↑"), "{s}");
    // The list's rows only (the detail pane on the right names the selected one).
    let order = |s: &str| {
        ["Alpha night", "charlie clinic", "delta talk"]
            .map(|t| s.lines().position(|l| l.chars().take(40).collect::<String>().contains(t)).unwrap_or(usize::MAX))
    };
    let at = order(&s);
    assert!(at[0] < at[1] && at[1] < at[2], "{s}");
    d.shift('O').await;
    d.settle().await;
    let s = d.screen();
    let at = order(&s);
    assert!(s.contains("by title ↓") && at[2] < at[1] && at[1] < at[0], "{s}");
    // Opened again: the user's sort.
    let effects = d.app.open(ScreenId::Dashboard);
    d.run(effects).await;
    let effects = d.app.open(ScreenId::Record("events"));
    d.run(effects).await;
    d.settle().await;
    assert!(d.screen().contains("by title ↓"), "{}", d.screen());
});

/// Where `text` is drawn: (column, row) of its first cell, in the list's half.
fn cell_of(screen: &str, text: &str) -> (u16, u16) {
    for (row, line) in screen.lines().enumerate() {
        let left: String = line.chars().take(60).collect();
        if let Some(at) = left.find(text) {
            let col = left[..at].chars().count();
            return (col as u16, row as u16);
        }
    }
    panic!("{text} is not on the screen: {screen}")
}

crate::on_both!(the_mouse_selects_a_row_and_a_tab_and_a_double_click_opens, |t: TestDb| async move {
    use staffroom::ui::mouse::Pointer;
    use staffroom::ui::msg::Msg;
    for title in ["delta talk", "Alpha night"] {
        create(&t.db, title).await;
    }
    let mut d = open(&t, "sam@academy.org", "Sam Staff", Roles::STAFF, None).await;
    let s = d.screen();
    let (col, row) = cell_of(&s, "delta talk");
    d.send(Msg::Pointer(Pointer::Click { col, row })).await;
    let s = d.screen();
    assert!(s.lines().nth(3).is_some_and(|l| l.contains("│delta talk")), "the clicked row is selected: {s}");
    // The wheel over the list moves along it; a click below the rows selects nothing.
    d.send(Msg::Pointer(Pointer::Click { col, row: row + 10 })).await;
    assert!(d.screen().contains("│delta talk"), "{}", d.screen());
    // A double click opens it as Enter does.
    d.send(Msg::Pointer(Pointer::DoubleClick { col, row })).await;
    assert!(d.screen().contains("Edit delta talk"), "{}", d.screen());
    d.press(KeyCode::Esc).await;
    // A click on a tab shows it.
    let s = d.screen();
    let (col, row) = cell_of(&s, "cancelled");
    d.send(Msg::Pointer(Pointer::Click { col, row })).await;
    d.settle().await;
    let s = d.screen();
    assert!(s.contains("nothing here") && !s.contains("delta talk"), "the cancelled tab: {s}");
});
