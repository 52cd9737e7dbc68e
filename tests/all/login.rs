//! Login: lockout after N failures in the window, unlock after it, refusals that
//! never say which of email or password was wrong, every attempt recorded.

use crate::common::TestDb;
use chrono::Duration;
use staffroom::domain::permissions::Roles;
use staffroom_core::store::users::{self, LoginPolicy, LoginRefused, NewUser};
use staffroom_core::store::{Actor, now};

const PW: &str = "correct horse battery";

async fn account(t: &TestDb, email: &str) -> users::User {
    let new = NewUser {
        email: Some(email.into()),
        full_name: "Sara Staff".into(),
        password: Some(PW.into()),
        roles: Roles::STAFF,
        ..NewUser::default()
    };
    users::create(&t.db, &Actor::cli(), new).await.unwrap()
}

fn policy() -> LoginPolicy {
    LoginPolicy { max_failures: 3, window: Duration::minutes(15) }
}

crate::on_both!(lockout_after_failures_and_unlock_after_the_window, |t: TestDb| async move {
    let u = account(&t, "sara@academy.org").await;
    let t0 = now();
    for i in 0..2 {
        let r =
            users::login(&t.db, "sara@academy.org", "wrong", "10.0.0.9", "xterm", t0 + Duration::seconds(i), policy())
                .await
                .unwrap();
        assert_eq!(r.unwrap_err(), LoginRefused::BadCredentials);
    }
    let third =
        users::login(&t.db, "sara@academy.org", "wrong", "10.0.0.9", "xterm", t0 + Duration::seconds(3), policy())
            .await
            .unwrap();
    // Locked, answering like any wrong password (see a_lockout_answers_like_an_unknown_email).
    assert_eq!(third.unwrap_err(), LoginRefused::BadCredentials);
    assert!(users::get(&t.db, u.id).await.unwrap().locked_until.is_some());
    // While locked, even the right password is refused.
    let during = users::login(&t.db, "sara@academy.org", PW, "10.0.0.9", "xterm", t0 + Duration::minutes(5), policy())
        .await
        .unwrap();
    assert_eq!(during.unwrap_err(), LoginRefused::BadCredentials);
    // After the window the right password works and the counter resets.
    let after = users::login(&t.db, "SARA@academy.org ", PW, "10.0.0.9", "xterm", t0 + Duration::minutes(16), policy())
        .await
        .unwrap();
    let ok = after.expect("unlocked after the window");
    assert_eq!(ok.user.id, u.id);
    assert_eq!(ok.previous, None, "first successful login");
    let stored = users::get(&t.db, u.id).await.unwrap();
    assert_eq!(stored.failed_logins, 0);
    assert_eq!(stored.locked_until, None);
    // Every attempt is in the history, newest first.
    let attempts = users::login_attempts(&t.db, u.id, 10).await.unwrap();
    assert_eq!(attempts.len(), 5);
    assert!(attempts[0].success);
    assert_eq!(attempts[1].failure_reason.as_deref(), Some("locked"));
    assert!(attempts.iter().all(|a| a.remote == "10.0.0.9"));
});

crate::on_both!(failures_outside_the_window_do_not_add_up, |t: TestDb| async move {
    account(&t, "slow@academy.org").await;
    let t0 = now();
    for i in 0..6 {
        // One failure every 10 minutes: at most 2 ever fall within 15 minutes.
        let at = t0 + Duration::minutes(10 * i);
        let r = users::login(&t.db, "slow@academy.org", "nope", "local", "t", at, policy()).await.unwrap();
        assert_eq!(r.unwrap_err(), LoginRefused::BadCredentials, "attempt {i}");
    }
});

crate::on_both!(refusals_do_not_reveal_which_part_was_wrong, |t: TestDb| async move {
    account(&t, "known@academy.org").await;
    let at = now();
    let unknown =
        users::login(&t.db, "unknown@academy.org", PW, "local", "t", at, policy()).await.unwrap().unwrap_err();
    let wrong = users::login(&t.db, "known@academy.org", "bad password", "local", "t", at, policy())
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(unknown, wrong);
    assert_eq!(unknown.to_string(), "wrong email or password (repeated failures lock an account for a while)");
    // The unknown-email attempt is recorded too (without a user).
    let n: i64 = match &t.db {
        staffroom_core::store::Db::Sqlite(p) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM login_history WHERE user_id IS NULL").fetch_one(p).await.unwrap()
        }
        staffroom_core::store::Db::Postgres(p) => {
            sqlx::query_scalar("SELECT COUNT(*) FROM login_history WHERE user_id IS NULL").fetch_one(p).await.unwrap()
        }
    };
    assert_eq!(n, 1);
});

crate::on_both!(deactivated_users_cannot_log_in, |t: TestDb| async move {
    let admin = users::create(
        &t.db,
        &Actor::cli(),
        NewUser {
            email: Some("boss@academy.org".into()),
            full_name: "Boss".into(),
            roles: Roles::ADMIN,
            ..NewUser::default()
        },
    )
    .await
    .unwrap();
    account(&t, "gone@academy.org").await;
    let first = users::login(&t.db, "gone@academy.org", PW, "local", "t", now(), policy()).await.unwrap().unwrap();
    users::deactivate(&t.db, &admin.actor(), "gone@academy.org").await.unwrap();
    let r = users::login(&t.db, "gone@academy.org", PW, "local", "t", now(), policy()).await.unwrap();
    assert_eq!(r.unwrap_err(), LoginRefused::Inactive);
    // The last admin cannot be deactivated or demoted: someone must be able to log in.
    let err = users::deactivate(&t.db, &Actor::cli(), "boss@academy.org").await.unwrap_err();
    assert!(err.to_string().contains("last active admin"), "{err}");
    let err = users::set_roles(&t.db, &Actor::cli(), "boss@academy.org", Roles::STAFF).await.unwrap_err();
    assert!(err.to_string().contains("last active admin"), "{err}");
    assert!(first.user.last_login_at.is_some());
});

crate::on_both!(a_second_login_reports_the_previous_one, |t: TestDb| async move {
    account(&t, "again@academy.org").await;
    let t1 = now();
    users::login(&t.db, "again@academy.org", PW, "192.0.2.7", "t", t1, policy()).await.unwrap().unwrap();
    let second = users::login(&t.db, "again@academy.org", PW, "local", "t", t1 + Duration::hours(1), policy())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(second.previous, Some((t1, "192.0.2.7".to_string())));
});

crate::on_both!(students_and_duplicate_emails_are_refused, |t: TestDb| async move {
    account(&t, "dup@academy.org").await;
    let again = NewUser { email: Some("Dup@Academy.org".into()), full_name: "Other".into(), ..NewUser::default() };
    let err = users::create(&t.db, &Actor::cli(), again).await.unwrap_err();
    assert!(err.to_string().contains("dup@academy.org is already used"), "{err}");
    let student = NewUser {
        email: Some("kid@academy.org".into()),
        full_name: "Kid".into(),
        password: Some(PW.into()),
        roles: Roles { student: true, ..Roles::VIEWER },
        ..NewUser::default()
    };
    users::create(&t.db, &Actor::cli(), student).await.unwrap();
    let r = users::login(&t.db, "kid@academy.org", PW, "local", "t", now(), policy()).await.unwrap();
    assert_eq!(r.unwrap_err(), LoginRefused::NotStaff);
    let short = NewUser {
        email: Some("short@academy.org".into()),
        full_name: "S".into(),
        password: Some("123".into()),
        ..NewUser::default()
    };
    assert!(users::create(&t.db, &Actor::cli(), short).await.unwrap_err().to_string().contains("at least 8"));
});

crate::on_both!(a_lockout_answers_like_an_unknown_email, |t: TestDb| async move {
    let u = account(&t, "real@academy.org").await;
    let t0 = now();
    let login = |email: &'static str, password: &'static str, at| {
        let db = t.db.clone();
        async move { users::login(&db, email, password, "local", "t", at, policy()).await.unwrap() }
    };
    // Before, at and after the N-th failure, with the wrong and with the right password.
    for i in 0..policy().max_failures + 2 {
        let at = t0 + Duration::seconds(i);
        let real = login("real@academy.org", "wrong", at).await.unwrap_err();
        let ghost = login("ghost@academy.org", "wrong", at).await.unwrap_err();
        assert_eq!(real.to_string(), ghost.to_string(), "attempt {i}");
        assert_eq!(real, ghost, "attempt {i}");
    }
    let at = t0 + Duration::minutes(5);
    let real = login("real@academy.org", PW, at).await.unwrap_err();
    let ghost = login("ghost@academy.org", PW, at).await.unwrap_err();
    assert_eq!(real.to_string(), ghost.to_string(), "right password while locked");
    // The lock itself works as before: stored, recorded, lifted after the window...
    assert!(users::get(&t.db, u.id).await.unwrap().locked_until.is_some_and(|l| l > at));
    let attempts = users::login_attempts(&t.db, u.id, 1).await.unwrap();
    assert_eq!(attempts[0].failure_reason.as_deref(), Some("locked"));
    login("real@academy.org", PW, t0 + Duration::minutes(16)).await.expect("unlocked after the window");
    // ...or at once by a new password.
    let t1 = t0 + Duration::minutes(20);
    for i in 0..policy().max_failures {
        login("real@academy.org", "wrong", t1 + Duration::seconds(i)).await.unwrap_err();
    }
    assert!(users::get(&t.db, u.id).await.unwrap().locked_until.is_some());
    users::set_password(&t.db, &Actor::cli(), "real@academy.org", "a brand new password").await.unwrap();
    login("real@academy.org", "a brand new password", t1 + Duration::minutes(1)).await.expect("passwd unlocks");
});

/// An unknown email costs what a wrong password costs: both verify one argon2 hash
/// (the unknown one against a dummy), so the time does not tell which emails have
/// an account. Medians of interleaved attempts, with a wide margin: what this
/// catches is a path that skips argon2 (a tenth of the time or less), not noise.
#[tokio::test]
async fn an_unknown_email_takes_about_as_long_as_a_wrong_password() {
    let t = TestDb::sqlite().await;
    account(&t, "timing@academy.org").await;
    // Many failures would lock the account (answering the same, but skipping the
    // count); a window of a second keeps every attempt a plain wrong password.
    let policy = LoginPolicy { max_failures: 1_000, window: Duration::seconds(1) };
    let time = |email: &'static str| {
        let db = t.db.clone();
        async move {
            let start = std::time::Instant::now();
            let r = users::login(&db, email, "not the password", "x", "t", now(), policy).await.unwrap();
            assert_eq!(r.unwrap_err(), LoginRefused::BadCredentials, "the same answer for {email}");
            start.elapsed()
        }
    };
    let (mut known, mut unknown) = (Vec::new(), Vec::new());
    for _ in 0..7 {
        known.push(time("timing@academy.org").await);
        unknown.push(time("nobody@academy.org").await);
    }
    known.sort();
    unknown.sort();
    let (k, u) = (known[3].as_secs_f64(), unknown[3].as_secs_f64());
    let ratio = u / k;
    assert!((0.5..=2.0).contains(&ratio), "unknown email {u:.4}s vs wrong password {k:.4}s (ratio {ratio:.2})");
}
