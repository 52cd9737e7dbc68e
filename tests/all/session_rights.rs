//! Rights that change while a session is open, driven by keys: the CLI demotes or
//! deactivates a user whose board is open, and the very next request follows the
//! database, not what the UI remembered at login. Plus refusals that must hold even
//! when the UI is bypassed (a viewer's export, an instructor's board).

use crate::common::{TestDb, login_user};
use crate::driver::Driver;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use staffroom::backend::LeadRequest;
use staffroom::backend::{Backend, Request, Settings};
use staffroom::domain::lead::LeadStatus;
use staffroom::domain::permissions::Roles;
use staffroom::ui::screens::{Screen, ScreenId};
use staffroom_core::store::lead_filter::LeadFilter;
use staffroom_core::store::leads::{self, Lead, NewLead};
use staffroom_core::store::users::{self, DEMO_DOMAIN, NewUser};
use staffroom_core::store::{Actor, Db, StoreError};

fn demo_email(name: &str) -> String {
    format!("{name}@{DEMO_DOMAIN}")
}

/// A user of the demo domain, so the driver logs in without argon2.
async fn demo_user(db: &Db, name: &str, roles: Roles) {
    let new = NewUser { email: Some(demo_email(name)), full_name: format!("{name} user"), roles, ..NewUser::default() };
    users::create(db, &Actor::cli(), new).await.expect("create user");
}

/// Three new leads.
async fn some_leads(db: &Db) -> Vec<Lead> {
    let mut out = Vec::new();
    for (i, name) in ["Rania Saleh", "Karim Nour", "Dalia Fahmy"].iter().enumerate() {
        let new =
            NewLead { full_name: name.to_string(), phone: Some(format!("+2011100000{i:02}")), ..NewLead::default() };
        out.push(leads::create(db, &Actor::cli(), new).await.expect("create lead"));
    }
    out
}

/// A driver whose backend runs in demo mode, logged in as `email` on `screen`.
async fn demo_driver(db: &Db, email: &str, screen: ScreenId, settings: staffroom::ui::app::Settings) -> Driver {
    let backend = Backend::new(db.clone(), Settings { demo: true, ..crate::driver::backend_settings() }, "test");
    let mut d = Driver::with_backend(db.clone(), backend, 160, 40, settings);
    let effects = d.app.demo_login(email);
    d.run(effects).await;
    assert!(d.app.session.is_some(), "logged in as {email}");
    d.app.toasts.clear();
    let effects = d.app.open(screen);
    d.run(effects).await;
    d
}

fn board(d: &Driver) -> &staffroom::ui::screens::pipeline::PipelineScreen {
    match d.app.screen() {
        Some(Screen::Pipeline(p)) => p,
        other => panic!("not on the pipeline: {:?}", other.map(|s| s.id())),
    }
}

fn hint_bar(d: &mut Driver) -> String {
    d.screen().lines().last().unwrap_or_default().to_string()
}

fn toasts(d: &Driver) -> String {
    d.app.toasts.iter().map(|t| t.text.clone()).collect::<Vec<_>>().join(" | ")
}

crate::on_both!(a_demotion_from_the_cli_takes_effect_on_the_next_key, |t: TestDb| async move {
    demo_user(&t.db, "sara", Roles::STAFF).await;
    some_leads(&t.db).await;
    let mut d = demo_driver(&t.db, &demo_email("sara"), ScreenId::Pipeline, crate::driver::settings()).await;
    let card = board(&d).selected().expect("a card is selected").lead.clone();
    assert_eq!(card.stage(), LeadStatus::New);
    let hints = hint_bar(&mut d);
    assert!(hints.contains("L stage →") && hints.contains("H stage ←") && hints.contains("m move to"), "{hints}");

    // `staffroom user roles sara@… viewer`, while the board is open.
    users::set_roles(&t.db, &Actor::cli(), &demo_email("sara"), Roles::VIEWER).await.unwrap();
    d.shift('L').await;

    let stored = leads::get(&t.db, card.id).await.unwrap();
    assert_eq!((stored.stage(), stored.version), (LeadStatus::New, card.version), "nothing moved in the database");
    let col = board(&d).columns.iter().find(|c| c.cards.iter().any(|k| k.lead.id == card.id)).map(|c| c.status);
    assert_eq!(col, Some(LeadStatus::New), "the card is back where it was on screen");
    let said = toasts(&d);
    assert!(said.contains("your roles changed: you are now viewer"), "{said}");
    assert!(said.contains("may not edit leads"), "the refusal says why: {said}");
    assert_eq!(d.app.roles(), Roles::VIEWER);
    let hints = hint_bar(&mut d);
    assert!(!hints.contains("stage →") && !hints.contains("stage ←") && !hints.contains("move to"), "{hints}");
    assert!(hints.contains("/ filter"), "what a viewer may still do is offered: {hints}");
    let header = d.screen().lines().next().unwrap_or_default().to_string();
    assert!(header.contains("viewer"), "the header shows the new roles: {header}");

    // A second L is now refused by the UI itself: no request leaves.
    d.app.toasts.clear();
    d.shift('L').await;
    assert!(toasts(&d).contains("may not edit leads"), "{}", toasts(&d));
    assert!(!d.app.busy());
    assert_eq!(leads::get(&t.db, card.id).await.unwrap().version, card.version);
});

crate::on_both!(a_deactivation_ends_the_session_on_the_next_request, |t: TestDb| async move {
    demo_user(&t.db, "sara", Roles::STAFF).await;
    some_leads(&t.db).await;
    let mut d = demo_driver(&t.db, &demo_email("sara"), ScreenId::Pipeline, crate::driver::settings()).await;
    let card = board(&d).selected().unwrap().lead.clone();

    // `staffroom user deactivate sara@…`.
    users::deactivate(&t.db, &Actor::cli(), &demo_email("sara")).await.unwrap();
    // A key that sends nothing changes nothing yet.
    d.press(KeyCode::Char('j')).await;
    assert!(d.app.session.is_some());
    d.shift('L').await;

    assert!(d.app.session.is_none(), "the session has ended");
    assert!(d.app.stack.is_empty() && d.app.popups.is_empty(), "nothing of the session is left on screen");
    let s = d.screen();
    assert!(s.contains("staffroom — log in") && s.contains("deactivated"), "{s}");
    assert!(!s.contains(&card.full_name), "no lead shows behind the login: {s}");
    let stored = leads::get(&t.db, card.id).await.unwrap();
    assert_eq!((stored.stage(), stored.version), (LeadStatus::New, card.version), "nothing moved");
    // The old backend session is over too: a forged request is refused.
    let (r, _) =
        d.backend.handle(Request::Leads(LeadRequest::Board { per_column: 5, filter: None, save: false })).await;
    assert!(matches!(&r, Err(StoreError::Refused { reason }) if reason.contains("log in first")), "{r:?}");
});

crate::on_both!(a_deactivated_user_cannot_unlock_the_idle_lock, |t: TestDb| async move {
    login_user(&t.db, "lina@academy.org", "Lina Staff", Roles::STAFF).await;
    some_leads(&t.db).await;
    let settings = staffroom::ui::app::Settings { idle_lock_ticks: 3, ..crate::driver::settings() };
    let mut d = Driver::with_settings(t.db.clone(), 160, 40, settings);
    d.login("lina@academy.org", crate::common::PASSWORD).await;
    let effects = d.app.open(ScreenId::Pipeline);
    d.run(effects).await;
    for _ in 0..3 {
        d.tick().await;
    }
    assert!(d.app.locked, "locked after being idle");

    users::deactivate(&t.db, &Actor::cli(), "lina@academy.org").await.unwrap();
    d.type_text(crate::common::PASSWORD).await;
    d.press(KeyCode::Enter).await;

    assert!(!d.app.locked && d.app.session.is_none(), "the right password does not reopen a deactivated session");
    assert!(d.app.stack.is_empty(), "the board behind the lock is gone");
    let s = d.screen();
    assert!(s.contains("staffroom — log in") && s.contains("deactivated"), "{s}");
    // Logging in again is refused too.
    d.login("lina@academy.org", crate::common::PASSWORD).await;
    assert!(d.app.session.is_none());
    let s = d.screen();
    assert!(s.contains("this account is deactivated"), "{s}");
});

crate::on_both!(a_viewer_cannot_export_by_key_or_by_forged_request, |t: TestDb| async move {
    demo_user(&t.db, "vera", Roles::VIEWER).await;
    demo_user(&t.db, "sami", Roles::STAFF).await;
    some_leads(&t.db).await;
    let dir = crate::common::temp_path("viewer-export");
    std::fs::create_dir_all(&dir).unwrap();
    let files = || std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
    let settings = staffroom::ui::app::Settings { export_dir: dir.clone(), ..crate::driver::settings() };

    let mut d = demo_driver(&t.db, &demo_email("vera"), ScreenId::Pipeline, settings.clone()).await;
    assert!(board(&d).loaded && !board(&d).columns.is_empty(), "a viewer reads the board");
    d.shift('E').await;
    assert!(toasts(&d).contains("may not export data"), "{}", toasts(&d));
    assert_eq!(files(), 0, "no file written");
    let forged = Request::Leads(LeadRequest::ExportLeads { filter: LeadFilter::default(), dir: dir.clone() });
    let (r, who) = d.backend.handle(forged.clone()).await;
    assert!(matches!(&r, Err(StoreError::Refused { reason }) if reason.contains("may not export data")), "{r:?}");
    assert!(who.is_some_and(|w| w.active), "a refusal does not end the session");
    assert_eq!(files(), 0, "no file written by the forged request either");

    // The same key for staff writes the file (so the refusal above is not a broken key).
    let mut d = demo_driver(&t.db, &demo_email("sami"), ScreenId::Pipeline, settings).await;
    d.shift('E').await;
    assert!(toasts(&d).contains("exported 3 leads"), "{}", toasts(&d));
    assert_eq!(files(), 1);
    let _ = std::fs::remove_dir_all(&dir);
});

crate::on_both!(an_instructor_cannot_load_the_board_even_with_a_forged_request, |t: TestDb| async move {
    demo_user(&t.db, "ines", Roles::INSTRUCTOR).await;
    some_leads(&t.db).await;
    let mut d = demo_driver(&t.db, &demo_email("ines"), ScreenId::Dashboard, crate::driver::settings()).await;
    // Through the palette, as a person would: it does not even offer the board.
    d.press(KeyCode::Char(':')).await;
    d.type_text("pipeline").await;
    assert!(!d.screen().contains("leads by stage"), "{}", d.screen());
    d.press(KeyCode::Enter).await;
    assert_ne!(d.app.screen().map(|s| s.id()), Some(ScreenId::Pipeline));
    d.press(KeyCode::Esc).await;
    // Opening it by id is refused by the UI, and sends nothing.
    let effects = d.app.open(ScreenId::Pipeline);
    assert!(effects.is_empty());
    assert!(toasts(&d).contains("may not open pipeline"), "{}", toasts(&d));
    assert_eq!(d.app.screen().map(|s| s.id()), Some(ScreenId::Dashboard));
    // Straight to the backend, as a tampered client would.
    let forged = [
        Request::Leads(LeadRequest::Board { per_column: 50, filter: None, save: false }),
        Request::Leads(LeadRequest::Board { per_column: 50, filter: Some(LeadFilter::default()), save: true }),
        Request::Leads(LeadRequest::BoardMore {
            status: LeadStatus::New,
            after: (staffroom_core::store::now(), i64::MAX),
            limit: 50,
            filter: LeadFilter::default(),
        }),
    ];
    for request in forged {
        let (r, who) = d.backend.handle(request.clone()).await;
        assert!(
            matches!(&r, Err(StoreError::Refused { reason }) if reason.contains("may not view leads")),
            "{request:?}: {r:?}"
        );
        assert!(who.is_some_and(|w| w.active && w.roles == Roles::INSTRUCTOR));
    }
    // A saved filter was not written by the refused `save: true`.
    let me = users::find_by_email(&t.db, &demo_email("ines")).await.unwrap().unwrap();
    let saved =
        staffroom_core::store::prefs::get(&t.db, me.id, staffroom_core::store::prefs::PIPELINE_FILTER).await.unwrap();
    assert!(saved.is_none(), "{saved:?}");
    // And a forged key event on the dashboard moves nothing.
    d.press_key(KeyEvent::new(KeyCode::Char('L'), KeyModifiers::SHIFT)).await;
    assert_ne!(d.app.screen().map(|s| s.id()), Some(ScreenId::Pipeline));
});
