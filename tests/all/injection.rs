//! The injection sweep over the forms outside content (leads, notes, help answers,
//! packages, users, testimonials, sessions, attendance notes), on both backends:
//! each text field written with escape sequences, OSC 52, a bidi override, SQL
//! metacharacters and a NUL is stored as typed (the NUL dropped, the one character
//! PostgreSQL cannot store, documented in the README) and never built into SQL; a
//! 10 MB value is refused with a message that names the field's limit.

use crate::common::{TestDb, actor};
use chrono::NaiveDate;
use staffroom::domain::lead::NoteType;
use staffroom::domain::permissions::Roles;
use staffroom_core::store::areas::help_requests;
use staffroom_core::store::areas::packages::{self, PackageFields};
use staffroom_core::store::leads::{self, NewLead};
use staffroom_core::store::sessions::{self, SessionFields};
use staffroom_core::store::users::{self, NewUser, UserFields};
use staffroom_core::store::{Db, StoreError, content};

/// Typed into every field: an ANSI clear, an OSC 52 clipboard write, a bell, a
/// right-to-left override, SQL quoting and LIKE wildcards, and a NUL.
const HOSTILE: &str =
    "Ro'bert\"); DROP TABLE leads; -- \u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{202e}gpj.exe %_\\ \u{0}end";

fn stored() -> String {
    HOSTILE.replace('\0', "")
}

fn huge() -> String {
    "a".repeat(10 * 1024 * 1024)
}

/// A refusal for a huge value: it names a limit (a number of characters) and does
/// not echo the 10 MB back.
/// The refusal of a write that must be refused (without printing a stored 10 MB row).
fn refused<T>(r: Result<T, StoreError>, what: &str) -> StoreError {
    match r {
        Ok(_) => panic!("{what}: a 10 MB value was stored"),
        Err(e) => e,
    }
}

fn names_a_limit(e: &StoreError, what: &str) {
    let s = e.to_string();
    assert!(s.len() < 500, "{what}: the refusal echoes the value ({} bytes)", s.len());
    assert!(s.chars().any(|c| c.is_ascii_digit()), "{what}: the refusal names the limit: {s}");
}

async fn tables_still_there(db: &Db) {
    let n: i64 =
        staffroom_core::with_db!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM leads").fetch_one(p).await.unwrap());
    assert!(n >= 0);
}

crate::on_both!(hostile_and_huge_values_in_the_office_forms, |t: TestDb| async move {
    let admin = actor(&t.db, "Amal Admin", Roles::ADMIN).await;
    let want = stored();

    // Leads: every free-text field.
    let lead = leads::create(
        &t.db,
        &admin,
        NewLead {
            full_name: HOSTILE.into(),
            phone: Some("+201001234567".into()),
            message: Some(HOSTILE.into()),
            budget_range: Some(HOSTILE.into()),
            ..NewLead::default()
        },
    )
    .await
    .unwrap();
    let l = leads::get(&t.db, lead.id).await.unwrap();
    assert_eq!(l.full_name, want);
    assert_eq!(l.message.as_deref(), Some(want.as_str()));
    assert_eq!(l.budget_range.as_deref(), Some(want.as_str()));
    for (what, new) in [
        ("lead name", NewLead { full_name: huge(), phone: Some("+201001234568".into()), ..NewLead::default() }),
        (
            "lead message",
            NewLead {
                full_name: "M".into(),
                phone: Some("+201001234569".into()),
                message: Some(huge()),
                ..NewLead::default()
            },
        ),
        (
            "lead budget",
            NewLead {
                full_name: "B".into(),
                phone: Some("+201001234571".into()),
                budget_range: Some(huge()),
                ..NewLead::default()
            },
        ),
    ] {
        let e = leads::create(&t.db, &admin, new).await;
        let e = refused(e, what);
        names_a_limit(&e, what);
    }

    // A note on the lead.
    let note = leads::add_note(&t.db, &admin, lead.id, NoteType::Call, HOSTILE).await.unwrap();
    assert_eq!(note.note, want);
    let e = leads::add_note(&t.db, &admin, lead.id, NoteType::Call, &huge()).await;
    let e = refused(e, "huge note");
    names_a_limit(&e, "note");

    // A help request's answer.
    let sql = "INSERT INTO help_requests (user_id, subject, message, requester_type, created_at, updated_at) \
               VALUES ($1, 'help', 'help', 'student', $2, $2) RETURNING id";
    let at = staffroom_core::store::now();
    let uid = admin.user_id.unwrap();
    let help: i64 =
        staffroom_core::with_db!(&t.db, p => sqlx::query_scalar(sql).bind(uid).bind(at).fetch_one(p).await.unwrap());
    let h = help_requests::respond(&t.db, &admin, help, 1, HOSTILE, None).await.unwrap();
    assert_eq!(help_requests::get(&t.db, h.id).await.unwrap().response.as_deref(), Some(want.as_str()));
    let e = help_requests::respond(&t.db, &admin, help, h.version, &huge(), None).await;
    let e = refused(e, "huge answer");
    names_a_limit(&e, "help answer");

    // A package.
    let p = packages::create(
        &t.db,
        &admin,
        PackageFields {
            name: HOSTILE.into(),
            description: Some(HOSTILE.into()),
            features: vec![HOSTILE.into()],
            ..PackageFields::default()
        },
    )
    .await
    .unwrap();
    let p = packages::get(&t.db, p.id).await.unwrap();
    assert_eq!((p.name.as_str(), p.description.as_deref()), (want.as_str(), Some(want.as_str())));
    assert_eq!(p.features, vec![want.clone()]);
    for (what, f) in [
        ("package name", PackageFields { name: huge(), ..PackageFields::default() }),
        (
            "package description",
            PackageFields { name: "D".into(), description: Some(huge()), ..PackageFields::default() },
        ),
        ("package features", PackageFields { name: "F".into(), features: vec![huge()], ..PackageFields::default() }),
    ] {
        let e = packages::create(&t.db, &admin, f).await;
        let e = refused(e, what);
        names_a_limit(&e, what);
    }

    // A user (the name; email and phone have formats that refuse such text).
    let u = users::create(
        &t.db,
        &admin,
        NewUser { email: Some("hostile@academy.org".into()), full_name: HOSTILE.into(), ..NewUser::default() },
    )
    .await
    .unwrap();
    assert_eq!(users::get(&t.db, u.id).await.unwrap().full_name, want);
    let e = users::edit(
        &t.db,
        &admin,
        u.id,
        u.version,
        &UserFields { full_name: huge(), email: u.email.clone(), ..UserFields::default() },
    )
    .await;
    let e = refused(e, "huge name");
    names_a_limit(&e, "user name");
    let e = users::edit(
        &t.db,
        &admin,
        u.id,
        u.version,
        &UserFields { full_name: "N".into(), email: Some(HOSTILE.into()), ..UserFields::default() },
    )
    .await;
    let e = refused(e, "hostile email");
    assert!(matches!(&e, StoreError::Invalid { field, .. } if field == "email"), "{e:?}");

    // A testimonial.
    let tm = content::create_testimonial(&t.db, &admin, HOSTILE, HOSTILE, 5).await.unwrap();
    assert_eq!((tm.author_name.as_str(), tm.content.as_str()), (want.as_str(), want.as_str()));
    let e = content::create_testimonial(&t.db, &admin, "A", &huge(), 5).await;
    let e = refused(e, "huge testimonial");
    names_a_limit(&e, "testimonial");

    // A session and an attendance note.
    let class = crate::attendance::class(&t.db, None, &["Hostile Student"], 1).await;
    let day = NaiveDate::from_ymd_opt(2030, 1, 7).unwrap();
    let fields = SessionFields {
        cohort_id: class.cohort_id,
        date: day,
        starts: None,
        ends: None,
        mode: staffroom::domain::session::DeliveryMode::Onsite,
        location: Some(HOSTILE.into()),
        meeting_url: None,
        title: HOSTILE.into(),
        day_plan: Some(HOSTILE.into()),
        session_type: staffroom::domain::session::SessionType::Normal,
    };
    let out = sessions::create(&t.db, &admin, fields.clone(), None, chrono_tz::Tz::UTC, true).await.unwrap();
    let sessions::Outcome::Saved(ids, _) = out else { panic!("{out:?}") };
    let s = sessions::get(&t.db, ids[0]).await.unwrap();
    assert_eq!(s.fields.title, want);
    assert_eq!(s.fields.location.as_deref(), Some(want.as_str()));
    assert_eq!(s.fields.day_plan.as_deref(), Some(want.as_str()));
    for (what, f) in [
        ("session title", SessionFields { title: huge(), ..fields.clone() }),
        ("session location", SessionFields { location: Some(huge()), ..fields.clone() }),
        ("session plan", SessionFields { day_plan: Some(huge()), ..fields.clone() }),
    ] {
        let e = sessions::create(&t.db, &admin, f, None, chrono_tz::Tz::UTC, true).await;
        let e = refused(e, what);
        names_a_limit(&e, what);
    }
    let today = staffroom_core::store::now().date_naive();
    let present = staffroom::domain::attendance::AttendanceStatus::Present;
    staffroom_core::store::attendance::mark(&t.db, &admin, class.today, class.students[0], present, today)
        .await
        .unwrap();
    let m = staffroom_core::store::attendance::set_note(
        &t.db,
        &admin,
        class.today,
        class.students[0],
        Some(HOSTILE.into()),
        today,
    )
    .await
    .unwrap();
    assert_eq!(m.note.as_deref(), Some(want.as_str()));
    let e =
        staffroom_core::store::attendance::set_note(&t.db, &admin, class.today, class.students[0], Some(huge()), today)
            .await;
    let e = refused(e, "huge attendance note");
    names_a_limit(&e, "attendance note");

    tables_still_there(&t.db).await;
});
