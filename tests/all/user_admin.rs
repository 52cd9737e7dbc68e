//! User administration, on both backends: the admin rules checked inside the
//! transaction (two admins demoting each other at once leave one), one-time
//! passwords that open nothing until replaced, unlock, reactivate, conflicts, the
//! audit of every change, and the screen driven by keys.

use crate::common::{TestDb, actor};
use crate::driver::Driver;
use crossterm::event::KeyCode;
use staffroom::backend::{Backend, Reply, Request, Secret, Settings};
use staffroom::backend::{OfficeReply, OfficeRequest, UserReply, UserRequest};
use staffroom::domain::permissions::Roles;
use staffroom::ui::screens::ScreenId;
use staffroom_core::store::users::{self, DEMO_DOMAIN, LoginPolicy, NewUser, Target, User, UserFields};
use staffroom_core::store::{Actor, Db, StoreError, now};

async fn ctrl(d: &mut Driver, c: char) {
    d.press_key(crossterm::event::KeyEvent::new(KeyCode::Char(c), crossterm::event::KeyModifiers::CONTROL)).await;
}

fn fields_of(u: &User, roles: Roles) -> UserFields {
    UserFields { full_name: u.full_name.clone(), email: u.email.clone(), phone: u.phone.clone(), roles }
}

async fn active_admins(db: &Db) -> i64 {
    staffroom_core::with_db!(db, p => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users WHERE is_admin = $1 AND is_active = $1")
            .bind(true)
            .fetch_one(p)
            .await
            .unwrap()
    })
}

async fn audit_rows(db: &Db, action: &str, id: i64) -> i64 {
    staffroom_core::with_db!(db, p => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND entity_type = 'user' AND entity_id = $2")
            .bind(action)
            .bind(id)
            .fetch_one(p)
            .await
            .unwrap()
    })
}

async fn user_of(db: &Db, a: &Actor) -> User {
    users::get(db, a.user_id.unwrap()).await.unwrap()
}

crate::on_both!(two_admins_demoting_each_other_at_once_leave_one, |t: TestDb| async move {
    let mut survivor = actor(&t.db, "Admin Zero", Roles::ADMIN).await;
    for round in 0..6 {
        let other = actor(&t.db, &format!("Admin Round{round}"), Roles::ADMIN).await;
        assert_eq!(active_admins(&t.db).await, 2);
        let (a, b) = (user_of(&t.db, &survivor).await, user_of(&t.db, &other).await);
        // Each demotes the other, at the same moment.
        let (fa, fb) = (fields_of(&a, Roles::STAFF), fields_of(&b, Roles::STAFF));
        let (ra, rb) = tokio::join!(
            users::edit(&t.db, &survivor, b.id, b.version, &fb),
            users::edit(&t.db, &other, a.id, a.version, &fa),
        );
        let ok = [ra.is_ok(), rb.is_ok()].iter().filter(|x| **x).count();
        assert_eq!(ok, 1, "round {round}: exactly one demotion lands: {ra:?} / {rb:?}");
        let b_won = rb.is_ok();
        let refused = match (ra, rb) {
            (Err(e), _) | (_, Err(e)) => e,
            _ => unreachable!("one was refused"),
        };
        assert!(refused.to_string().contains("last active admin"), "round {round}: {refused}");
        assert_eq!(active_admins(&t.db).await, 1, "round {round}: one admin is left");
        if b_won {
            survivor = other;
        }
    }
});

crate::on_both!(an_admin_keeps_their_own_admin_role_and_account, |t: TestDb| async move {
    let me = actor(&t.db, "Self Admin", Roles::ADMIN).await;
    let _other = actor(&t.db, "Other Admin", Roles::ADMIN).await;
    let u = user_of(&t.db, &me).await;
    let err = users::edit(&t.db, &me, u.id, u.version, &fields_of(&u, Roles::STAFF)).await.unwrap_err();
    assert!(err.to_string().contains("cannot remove the admin role of yourself"), "{err}");
    let err = users::set_active(&t.db, &me, Target::Id { id: u.id, version: u.version }, false).await.unwrap_err();
    assert!(err.to_string().contains("cannot deactivate yourself"), "{err}");
    // Nothing was written: same version, still admin, no audit row.
    let after = user_of(&t.db, &me).await;
    assert!(after.is_admin && after.is_active);
    assert_eq!(after.version, u.version);
    assert_eq!(audit_rows(&t.db, "update", u.id).await, 0);
    // Another admin may demote them; then they may edit their own name (no admin left
    // to lose) only as an admin — they are not one any more.
    let other = users::find_by_email(&t.db, "other.admin@test.example").await.unwrap().unwrap().actor();
    let demoted = users::edit(&t.db, &other, u.id, u.version, &fields_of(&u, Roles::STAFF)).await.unwrap();
    assert!(!demoted.is_admin && demoted.is_staff);
    assert_eq!(demoted.version, u.version + 1);
    assert_eq!(audit_rows(&t.db, "update", u.id).await, 1);
    let err = users::edit(&t.db, &demoted.actor(), u.id, demoted.version, &fields_of(&demoted, Roles::ADMIN))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("may not"), "a staff member cannot make themself admin: {err}");
});

crate::on_both!(a_stale_edit_is_a_conflict_naming_the_other_admin, |t: TestDb| async move {
    let amal = actor(&t.db, "Amal Admin", Roles::ADMIN).await;
    let badr = actor(&t.db, "Badr Admin", Roles::ADMIN).await;
    let staff = actor(&t.db, "Sami Staff", Roles::STAFF).await;
    let s = user_of(&t.db, &staff).await;
    let mut f = fields_of(&s, Roles::STAFF);
    f.full_name = "Sami Staff (Amal)".into();
    users::edit(&t.db, &amal, s.id, s.version, &f).await.unwrap();
    f.full_name = "Sami Staff (Badr)".into();
    let err = users::edit(&t.db, &badr, s.id, s.version, &f).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    assert!(err.to_string().contains("Amal Admin"), "{err}");
    assert_eq!(user_of(&t.db, &staff).await.full_name, "Sami Staff (Amal)");
    // Bad input names its field and writes nothing.
    let s = user_of(&t.db, &staff).await;
    let bad = UserFields { email: Some("not an email".into()), ..fields_of(&s, Roles::STAFF) };
    let err = users::edit(&t.db, &amal, s.id, s.version, &bad).await.unwrap_err();
    assert!(matches!(&err, StoreError::Invalid { field, .. } if field == "email"), "{err:?}");
    let taken = UserFields { email: Some("amal.admin@test.example".into()), ..fields_of(&s, Roles::STAFF) };
    let err = users::edit(&t.db, &amal, s.id, s.version, &taken).await.unwrap_err();
    assert!(matches!(&err, StoreError::Invalid { field, .. } if field == "email"), "{err:?}");
    assert_eq!(user_of(&t.db, &staff).await.version, s.version);
});

/// A backend in demo mode with `email` logged in.
async fn session(db: &Db, email: &str) -> Backend {
    let b = Backend::new(db.clone(), Settings { demo: true, ..crate::driver::backend_settings() }, "test");
    let (r, _) =
        b.handle(Request::Office(OfficeRequest::DemoLogin { email: email.into(), terminal: "t".into() })).await;
    assert!(matches!(r, Ok(Reply::Office(OfficeReply::Login(Ok(_))))), "{r:?}");
    b
}

crate::on_both!(a_one_time_password_opens_nothing_until_replaced, |t: TestDb| async move {
    let admin_email = format!("root@{DEMO_DOMAIN}");
    let new = NewUser {
        email: Some(admin_email.clone()),
        full_name: "Root".into(),
        roles: Roles::ADMIN,
        ..NewUser::default()
    };
    users::create(&t.db, &Actor::cli(), new).await.unwrap();
    let admin = session(&t.db, &admin_email).await;
    let fields = UserFields {
        full_name: "Nadia New".into(),
        email: Some("nadia@academy.org".into()),
        phone: None,
        roles: Roles::STAFF,
    };
    let (r, _) = admin.handle(Request::Users(UserRequest::AddUser { fields: Box::new(fields), password: None })).await;
    let Ok(Reply::Users(UserReply::OneTimePassword(name, Secret(pw)))) = r else { panic!("{r:?}") };
    assert_eq!(name, "Nadia New");
    assert!(pw.len() >= 16, "{pw}");
    // The audit says a one-time password was set, never the password or its hash.
    let nadia = users::find_by_email(&t.db, "nadia@academy.org").await.unwrap().unwrap();
    assert!(nadia.must_change_password);
    let dump: String = staffroom_core::with_db!(&t.db, p => {
        sqlx::query_scalar::<_, String>("SELECT COALESCE(new_values, '') FROM audit_log WHERE entity_id = $1 AND action = 'create' AND entity_type = 'user'")
            .bind(nadia.id).fetch_one(p).await.unwrap()
    });
    assert!(dump.contains("one_time_password") && !dump.contains(&pw) && !dump.contains("argon2"), "{dump}");

    // Nadia logs in with it: the login works, everything else is refused.
    let b = Backend::new(t.db.clone(), crate::driver::backend_settings(), "198.51.100.4");
    let (r, _) = b
        .handle(Request::Office(OfficeRequest::Login {
            email: "nadia@academy.org".into(),
            password: pw.clone(),
            terminal: "tty9".into(),
        }))
        .await;
    let Ok(Reply::Office(OfficeReply::Login(Ok(ok)))) = r else { panic!("{r:?}") };
    assert!(ok.user.must_change_password);
    let err = b.handle(Request::Office(OfficeRequest::Dashboard { today: now().date_naive() })).await.0.unwrap_err();
    assert!(err.to_string().contains("one-time"), "{err}");
    // The same one is refused as the new one; a real new one is saved.
    let err =
        b.handle(Request::Users(UserRequest::ChangeOwnPassword { password: Secret(pw.clone()) })).await.0.unwrap_err();
    assert!(err.to_string().contains("choose a new one"), "{err}");
    let (r, _) = b
        .handle(Request::Users(UserRequest::ChangeOwnPassword { password: Secret("nadia's own secret".into()) }))
        .await;
    assert!(matches!(r, Ok(Reply::Users(UserReply::PasswordChanged))), "{r:?}");
    assert!(b.handle(Request::Office(OfficeRequest::Dashboard { today: now().date_naive() })).await.0.is_ok());
    let old = users::login(&t.db, "nadia@academy.org", &pw, "x", "t", now(), LoginPolicy::default()).await.unwrap();
    assert!(old.is_err(), "the one-time password no longer works");
    let new = users::login(&t.db, "nadia@academy.org", "nadia's own secret", "x", "t", now(), LoginPolicy::default())
        .await
        .unwrap();
    assert!(new.is_ok_and(|l| !l.user.must_change_password));

    // The login history has the remote and the terminal.
    let (r, _) = admin.handle(Request::Users(UserRequest::LoginHistory { id: nadia.id })).await;
    let Ok(Reply::Users(UserReply::LoginHistory(_, attempts))) = r else { panic!("{r:?}") };
    assert!(attempts.iter().any(|a| a.success && a.remote == "198.51.100.4" && a.terminal.as_deref() == Some("tty9")));
    assert!(attempts.iter().any(|a| !a.success && a.failure_reason.as_deref() == Some("bad_password")));
});

crate::on_both!(unlock_reset_deactivate_and_reactivate, |t: TestDb| async move {
    let admin = actor(&t.db, "Amal Admin", Roles::ADMIN).await;
    let new = NewUser {
        email: Some("locked@academy.org".into()),
        full_name: "Lou Locked".into(),
        password: Some("the right password".into()),
        roles: Roles::STAFF,
        ..NewUser::default()
    };
    users::create(&t.db, &Actor::cli(), new).await.unwrap();
    let policy = LoginPolicy::default();
    for _ in 0..policy.max_failures {
        let r = users::login(&t.db, "locked@academy.org", "wrong", "x", "t", now(), policy).await.unwrap();
        assert!(r.is_err());
    }
    let r = users::login(&t.db, "locked@academy.org", "the right password", "x", "t", now(), policy).await.unwrap();
    assert!(r.is_err(), "locked out even with the right password");
    let u = users::find_by_email(&t.db, "locked@academy.org").await.unwrap().unwrap();
    let u = users::unlock(&t.db, &admin, u.id, u.version).await.unwrap();
    assert_eq!(u.failed_logins, 0);
    assert!(
        users::login(&t.db, "locked@academy.org", "the right password", "x", "t", now(), policy).await.unwrap().is_ok()
    );
    let err = users::unlock(&t.db, &admin, u.id, users::get(&t.db, u.id).await.unwrap().version).await.unwrap_err();
    assert!(err.to_string().contains("is not locked"), "{err}");
    assert_eq!(audit_rows(&t.db, "unlock", u.id).await, 1);

    // A typed reset: the old password stops working, and it is not one-time.
    let u = users::get(&t.db, u.id).await.unwrap();
    let u =
        users::reset_password(&t.db, &admin, Target::Id { id: u.id, version: u.version }, "typed by the admin", false)
            .await
            .unwrap();
    assert!(!u.must_change_password);
    assert!(
        users::login(&t.db, "locked@academy.org", "the right password", "x", "t", now(), policy)
            .await
            .unwrap()
            .is_err()
    );

    // Deactivated: no login; reactivated: login again. Each audited.
    let u = users::get(&t.db, u.id).await.unwrap();
    let u = users::set_active(&t.db, &admin, Target::Id { id: u.id, version: u.version }, false).await.unwrap();
    let r = users::login(&t.db, "locked@academy.org", "typed by the admin", "x", "t", now(), policy).await.unwrap();
    assert_eq!(r.unwrap_err(), users::LoginRefused::Inactive);
    let err = users::set_active(&t.db, &admin, Target::Id { id: u.id, version: u.version }, false).await.unwrap_err();
    assert!(err.to_string().contains("already deactivated"), "{err}");
    let u = users::set_active(&t.db, &admin, Target::Id { id: u.id, version: u.version }, true).await.unwrap();
    assert!(u.is_active);
    assert!(
        users::login(&t.db, "locked@academy.org", "typed by the admin", "x", "t", now(), policy).await.unwrap().is_ok()
    );
    assert_eq!(audit_rows(&t.db, "deactivate", u.id).await, 1);
    assert_eq!(audit_rows(&t.db, "reactivate", u.id).await, 1);
});

/// The screen, by keys: the list with states, adding a user with a one-time
/// password shown once, a typed password that differs refused at its field.
#[tokio::test]
async fn the_users_screen_adds_a_user_and_shows_the_password_once() {
    let t = TestDb::sqlite().await;
    let email = format!("boss@{DEMO_DOMAIN}");
    let new = NewUser {
        email: Some(email.clone()),
        full_name: "Boss Admin".into(),
        roles: Roles::ADMIN,
        ..NewUser::default()
    };
    users::create(&t.db, &Actor::cli(), new).await.unwrap();
    actor(&t.db, "Gone Staff", Roles::STAFF).await;
    users::deactivate(&t.db, &Actor::cli(), "gone.staff@test.example").await.unwrap();
    let evil = "Evil \u{1b}]52;c;ZXZpbA==\u{7}\u{202e} Name";
    let hostile = NewUser { email: Some("evil@academy.org".into()), full_name: evil.into(), ..NewUser::default() };
    users::create(&t.db, &Actor::cli(), hostile).await.unwrap();
    let backend = Backend::new(t.db.clone(), Settings { demo: true, ..crate::driver::backend_settings() }, "test");
    let mut d = Driver::with_backend(t.db.clone(), backend, 140, 40, crate::driver::settings());
    let effects = d.app.demo_login(&email);
    d.run(effects).await;
    let effects = d.app.open(ScreenId::Record("users"));
    d.run(effects).await;
    let s = d.screen();
    assert!(s.contains("all 3") && s.contains("active 2") && s.contains("inactive 1"), "{s}");
    assert!(s.contains("x Gone Staff"), "a deactivated account is marked: {s}");
    assert!(s.contains("Evil ␛]52") && !s.contains('\u{1b}') && !s.contains('\u{202e}'), "names drawn inert: {s}");

    // N: name, email, staff; a typed password that differs is refused at "again".
    d.shift('N').await;
    d.type_text("Hoda Hired").await;
    d.press(KeyCode::Tab).await;
    d.type_text("hoda@academy.org").await;
    for _ in 0..3 {
        d.press(KeyCode::Tab).await;
    }
    d.press(KeyCode::Right).await; // staff: yes
    for _ in 0..3 {
        d.press(KeyCode::Tab).await;
    }
    d.press(KeyCode::Right).await; // typed here
    d.press(KeyCode::Tab).await;
    d.type_text("first password").await;
    d.press(KeyCode::Tab).await;
    d.type_text("other password").await;
    ctrl(&mut d, 's').await;
    let s = d.screen();
    assert!(s.contains("is not the same as the first"), "{s}");
    assert!(!s.contains("first password") && s.contains("••••"), "passwords are masked: {s}");
    assert!(users::find_by_email(&t.db, "hoda@academy.org").await.unwrap().is_none());

    // Back to one-time: saved, and the password is shown once.
    for _ in 0..2 {
        d.press(KeyCode::BackTab).await;
    }
    d.press(KeyCode::Left).await;
    ctrl(&mut d, 's').await;
    let s = d.screen();
    assert!(s.contains("One-time password for Hoda Hired") && s.contains("Shown this once"), "{s}");
    let hoda = users::find_by_email(&t.db, "hoda@academy.org").await.unwrap().expect("added");
    assert!(hoda.is_staff && !hoda.is_admin && hoda.must_change_password);
    d.press(KeyCode::Esc).await;
    let s = d.screen();
    assert!(s.contains("Hoda Hired") && s.contains("all 4"), "{s}");
    assert!(!s.contains("One-time password"), "gone once closed: {s}");
}
