//! Testimonials as a record screen: the featured first in their order, `K`/`J`
//! reorder only the featured, the edit form's rules (BR-10, a case study by slug, a
//! stale version), and the screen by keys — on both backends.

use crate::common::{PASSWORD, TestDb, login_user, team};
use crossterm::event::KeyCode;
use staffroom::domain::permissions::Roles;
use staffroom::ui::driver::Driver;
use staffroom::ui::screens::ScreenId;
use staffroom_core::store::areas::testimonials::{self, TestimonialFields};
use staffroom_core::store::{Actor, Db, StoreError, content};

async fn approved(db: &Db, who: &Actor, author: &str) -> (i64, i64) {
    let t = content::create_testimonial(db, who, author, &format!("{author} loved it"), 5).await.unwrap();
    let t = content::moderate_testimonial(db, who, t.id, t.version, true, None).await.unwrap();
    (t.id, t.version)
}

fn fields(author: &str, rating: Option<i64>, case_study: &str) -> TestimonialFields {
    TestimonialFields {
        author_name: author.into(),
        author_role: Some("Alumna".into()),
        content: "Changed my career".into(),
        rating,
        testimonial_type: "student".into(),
        case_study: case_study.into(),
    }
}

crate::on_both!(the_featured_come_first_and_only_they_are_reordered, |t: TestDb| async move {
    let team = team(&t.db).await;
    let staff = &team.staff;
    let mut ids = Vec::new();
    for name in ["Amal", "Bassem", "Chen"] {
        let (id, v) = approved(&t.db, staff, name).await;
        content::set_featured(&t.db, staff, id, v, true, 6).await.unwrap();
        ids.push(id);
    }
    let (plain, plain_v) = approved(&t.db, staff, "Dina").await;
    let order = |db: Db| async move {
        let page = testimonials::page(&db, None, None, None, 50).await.unwrap();
        page.rows.iter().map(|r| r.author_name.clone()).collect::<Vec<_>>()
    };
    assert_eq!(order(t.db.clone()).await, ["Amal", "Bassem", "Chen", "Dina"]);
    let version = |id: i64| {
        let db = t.db.clone();
        async move {
            testimonials::page(&db, None, None, None, 50)
                .await
                .unwrap()
                .rows
                .into_iter()
                .find(|r| r.id == id)
                .unwrap()
                .version
        }
    };
    // Chen up: Amal, Chen, Bassem; then Chen up again: first.
    testimonials::reorder(&t.db, staff, ids[2], version(ids[2]).await, true).await.unwrap();
    assert_eq!(order(t.db.clone()).await, ["Amal", "Chen", "Bassem", "Dina"]);
    testimonials::reorder(&t.db, staff, ids[2], version(ids[2]).await, true).await.unwrap();
    assert_eq!(order(t.db.clone()).await, ["Chen", "Amal", "Bassem", "Dina"]);
    match testimonials::reorder(&t.db, staff, ids[2], version(ids[2]).await, true).await {
        Err(StoreError::Refused { reason }) => assert!(reason.contains("first"), "{reason}"),
        other => panic!("{other:?}"),
    }
    match testimonials::reorder(&t.db, staff, plain, plain_v, true).await {
        Err(StoreError::Refused { reason }) => assert!(reason.contains("only featured"), "{reason}"),
        other => panic!("{other:?}"),
    }
    // Paging keeps the order across the featured/not boundary.
    let first = testimonials::page(&t.db, None, None, None, 3).await.unwrap();
    let rest = testimonials::page(&t.db, None, None, first.next, 3).await.unwrap();
    assert_eq!(rest.rows.iter().map(|r| r.author_name.as_str()).collect::<Vec<_>>(), ["Dina"]);
    assert!(matches!(
        testimonials::reorder(&t.db, &team.viewer, ids[0], 1, true).await,
        Err(StoreError::Refused { .. })
    ));
});

crate::on_both!(the_edit_form_keeps_to_br10_a_known_case_study_and_the_version, |t: TestDb| async move {
    let team = team(&t.db).await;
    let (id, v) = approved(&t.db, &team.staff, "Amal").await;
    match testimonials::update(&t.db, &team.staff, id, v, fields("Amal", Some(6), "")).await {
        Err(StoreError::Invalid { field, why }) => assert!(field == "rating" && why.contains("1 to 5"), "{why}"),
        other => panic!("{other:?}"),
    }
    match testimonials::update(&t.db, &team.staff, id, v, fields("Amal", Some(5), "no-such-study")).await {
        Err(StoreError::Invalid { field, .. }) => assert_eq!(field, "case study"),
        other => panic!("{other:?}"),
    }
    let at = staffroom_core::store::now();
    staffroom_core::with_db!(&t.db, p => sqlx::query("INSERT INTO case_studies (slug, title, created_at, updated_at) VALUES ('shop-redesign', 'Shop redesign', $1, $1)")
        .bind(at).execute(p).await.unwrap().rows_affected());
    let saved =
        testimonials::update(&t.db, &team.staff, id, v, fields("Amal F.", Some(4), "shop-redesign")).await.unwrap();
    assert_eq!(
        (saved.author_name.as_str(), saved.rating, saved.case_study.as_deref()),
        ("Amal F.", Some(4), Some("shop-redesign"))
    );
    match testimonials::update(&t.db, &team.admin, id, v, fields("Stale", Some(1), "")).await {
        Err(StoreError::Conflict { by, .. }) => assert_eq!(by.as_deref(), Some("Sami Staff")),
        other => panic!("{other:?}"),
    }
    let preview = staffroom_core::store::moderation::preview(
        &t.db,
        staffroom_core::store::moderation::QueueKind::Testimonial,
        id,
    )
    .await
    .unwrap();
    assert!(preview.fields.iter().any(|(k, v)| k == "case study" && v == "Shop redesign"), "{:?}", preview.fields);
});

crate::on_both!(testimonials_by_keys_approve_feature_and_reject_with_a_reason, |t: TestDb| async move {
    let sami = login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    let pending = content::create_testimonial(&t.db, &sami, "Omar", "Great mentors", 5).await.unwrap();
    let other = content::create_testimonial(&t.db, &sami, "Zeina", "Too fast for me", 2).await.unwrap();
    let mut d = Driver::new(t.db.clone(), 110, 30);
    d.login("sami@test.example", PASSWORD).await;
    d.app.toasts.clear();
    let effects = d.app.open(ScreenId::Record("testimonials"));
    d.run(effects).await;
    d.settle().await;
    assert!(d.screen().contains("pending 2") && d.screen().contains("Omar"), "{}", d.screen());
    let status = |id: i64| {
        let db = t.db.clone();
        async move {
            let s: String = staffroom_core::with_db!(&db, p => sqlx::query_scalar("SELECT status FROM testimonials WHERE id = $1").bind(id).fetch_one(p).await.unwrap());
            s
        }
    };
    d.press(KeyCode::Char('a')).await;
    d.settle().await;
    assert_eq!(status(pending.id).await, "approved");
    // f on the approved one features it (★ in the list).
    d.press(KeyCode::Char('f')).await;
    d.settle().await;
    assert!(d.screen().contains("is featured"), "{}", d.screen());
    // r on Zeina's asks for a reason; empty is refused in the form.
    d.press(KeyCode::Down).await;
    d.press(KeyCode::Char('r')).await;
    d.press(KeyCode::Enter).await;
    assert!(d.screen().contains("is needed"), "{}", d.screen());
    d.type_text("too short to publish").await;
    d.press(KeyCode::Enter).await;
    d.settle().await;
    assert_eq!(status(other.id).await, "rejected");
    let reason: Option<String> = staffroom_core::with_db!(&t.db, p => sqlx::query_scalar("SELECT rejection_reason FROM testimonials WHERE id = $1").bind(other.id).fetch_one(p).await.unwrap());
    assert_eq!(reason.as_deref(), Some("too short to publish"));
});
