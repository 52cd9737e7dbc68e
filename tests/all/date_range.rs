//! One range of days for every date field (`domain::dates`, 1900-01-01 to
//! 2200-12-31): the store refuses a day outside it at its field, naming the range —
//! a follow-up, a post's publish time, an event's day, a session's date — and the
//! calendar stays inside it. On both backends.

use crate::common::{TestDb, login_user, team};
use chrono::{DateTime, Utc};
use crossterm::event::KeyCode;
use staffroom::domain::dates::RANGE;
use staffroom::domain::permissions::Roles;
use staffroom::ui::driver::Driver;
use staffroom::ui::screens::ScreenId;
use staffroom_core::store::areas::Args;
use staffroom_core::store::areas::events::{self, field, sample_fields};
use staffroom_core::store::leads::{self, NewLead};
use staffroom_core::store::posts::{self, PostDraft};
use staffroom_core::store::{Actor, StoreError};

fn refused_at(r: Result<impl std::fmt::Debug, StoreError>, at: &str) {
    match r {
        Err(StoreError::Invalid { field, why }) => {
            assert_eq!(field, at, "{why}");
            assert!(why.contains(RANGE), "the refusal names the range: {why}");
        }
        other => panic!("expected {at} refused, got {other:?}"),
    }
}

fn instant(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

crate::on_both!(absurd_days_are_refused_by_the_store_naming_the_range, |t: TestDb| async move {
    let team = team(&t.db).await;
    let lead = leads::create(
        &t.db,
        &team.staff,
        NewLead { full_name: "Far Future".into(), email: Some("far@x.org".into()), ..NewLead::default() },
    )
    .await
    .unwrap();
    let far = instant("9999-12-31T09:00:00Z");
    refused_at(leads::set_follow_up(&t.db, &team.staff, lead.id, lead.version, Some(far)).await, "next_follow_up_at");
    let fine = instant("2199-12-31T09:00:00Z");
    assert!(leads::set_follow_up(&t.db, &team.staff, lead.id, lead.version, Some(fine)).await.is_ok());

    // A publish time of year 0 would publish the post the moment it is approved.
    let draft = PostDraft {
        title: "Year zero".into(),
        content: "body".into(),
        publish_at: Some(instant("0000-01-01T00:00:00Z")),
        ..Default::default()
    };
    refused_at(posts::save(&t.db, &team.staff, None, draft).await, "publish_at");

    // An event on 9999-12-31 would never show on its day in the calendar.
    let mut f: Vec<_> = sample_fields("Far event").into_iter().filter(|(k, _)| *k != field::DAY).collect();
    f.push((field::DAY, "9999-12-31".into()));
    refused_at(events::Input::read(&Args { fields: f, ..Args::default() }, chrono_tz::UTC), field::DAY);

    // A session's date, whatever sent it.
    let ines = team.instructor.clone();
    let c = crate::attendance::class(&t.db, ines.user_id, &["Amal Fathy"], 0).await;
    let fields = staffroom_core::store::sessions::SessionFields {
        cohort_id: c.cohort_id,
        date: "9999-12-31".parse().unwrap(),
        starts: None,
        ends: None,
        mode: staffroom::domain::session::DeliveryMode::Onsite,
        location: Some("Lab".into()),
        meeting_url: None,
        title: "Far".into(),
        day_plan: None,
        session_type: staffroom::domain::session::SessionType::Normal,
    };
    refused_at(
        staffroom_core::store::sessions::create(&t.db, &ines, fields, None, chrono_tz::UTC, false).await,
        "date",
    );
});

async fn calendar(db: &staffroom_core::store::Db) -> Driver {
    let _: Actor = login_user(db, "ines@test.example", "Ines Instructor", Roles::INSTRUCTOR).await;
    let mut d = Driver::new(db.clone(), 100, 30);
    d.login("ines@test.example", crate::common::PASSWORD).await;
    let effects = d.app.open(ScreenId::Calendar);
    d.run(effects).await;
    d.settle().await;
    d
}

async fn go_to(d: &mut Driver, text: &str) {
    d.press(KeyCode::Char('g')).await;
    d.type_text(text).await;
    d.press(KeyCode::Enter).await;
    d.settle().await;
}

crate::on_both!(the_calendar_stays_within_the_range_of_days, |t: TestDb| async move {
    let mut d = calendar(&t.db).await;
    go_to(&mut d, "9999-12-31").await;
    let screen = d.screen();
    assert!(screen.contains(RANGE) && screen.contains("go to: 9999-12-31"), "{screen}");
    d.press(KeyCode::Esc).await;
    go_to(&mut d, "2200-12-15").await;
    assert!(d.screen().contains("December 2200"), "{}", d.screen());
    for _ in 0..3 {
        d.press(KeyCode::Char(']')).await;
        d.settle().await;
    }
    let screen = d.screen();
    assert!(screen.contains("December 2200") && !screen.contains("2201"), "] stops at the last month: {screen}");
    go_to(&mut d, "1900-01-03").await;
    d.press(KeyCode::Char('[')).await;
    d.settle().await;
    assert!(d.screen().contains("January 1900") && !d.screen().contains("1899"), "{}", d.screen());
});
