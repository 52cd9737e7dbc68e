//! Content rules on both backends: BR-02 unique slugs, moderation moves, BR-07
//! published_at, BR-15 tag use_count, BR-10 ratings and the featured limit.

use crate::common::{TestDb, team};
use staffroom::domain::post::{PostStatus, PostType};
use staffroom_core::store::content;
use staffroom_core::store::{Db, StoreError};

crate::on_both!(slugs_are_unique_per_entity_type, |t: TestDb| async move {
    let team = team(&t.db).await;
    let a = content::create_post(&t.db, &team.staff, "Intro to Rust!", "body", PostType::Article).await.unwrap();
    let b = content::create_post(&t.db, &team.staff, "Intro to  Rust", "body", PostType::Article).await.unwrap();
    let c = content::create_post(&t.db, &team.staff, "intro to rust?", "body", PostType::Tutorial).await.unwrap();
    assert_eq!(
        (a.slug.as_str(), b.slug.as_str(), c.slug.as_str()),
        ("intro-to-rust", "intro-to-rust-2", "intro-to-rust-3")
    );
    // And the database holds the line even if code did not.
    let raw = "UPDATE posts SET slug = 'intro-to-rust' WHERE id = $1";
    let res = match &t.db {
        Db::Sqlite(p) => sqlx::query(raw).bind(b.id).execute(p).await.map(|_| ()),
        Db::Postgres(p) => sqlx::query(raw).bind(b.id).execute(p).await.map(|_| ()),
    };
    let err = StoreError::from(res.unwrap_err());
    assert!(matches!(err, StoreError::Invalid { .. }), "{err:?}");
});

crate::on_both!(moderation_flow_sets_published_at, |t: TestDb| async move {
    let team = team(&t.db).await;
    let p = content::create_post(&t.db, &team.staff, "Cohort recap", &"word ".repeat(450), PostType::SessionSummary)
        .await
        .unwrap();
    assert_eq!(p.read_time_minutes, 3, "computed on save");
    assert_eq!(p.published_at, None);
    let p = content::move_post(&t.db, &team.staff, p.id, p.version, PostStatus::Pending, None).await.unwrap();
    let err =
        content::move_post(&t.db, &team.staff, p.id, p.version, PostStatus::Rejected, Some(" ")).await.unwrap_err();
    assert!(err.to_string().contains("reason"), "{err}");
    let p = content::move_post(&t.db, &team.admin, p.id, p.version, PostStatus::Approved, None).await.unwrap();
    let err = content::move_post(&t.db, &team.admin, p.id, p.version, PostStatus::Draft, None).await.unwrap_err();
    assert!(err.to_string().contains("allowed from approved: published"), "{err}");
    let p = content::move_post(&t.db, &team.admin, p.id, p.version, PostStatus::Published, None).await.unwrap();
    assert_eq!(p.status, "published");
    assert!(p.published_at.is_some(), "BR-07: published implies published_at");
    // BR-07 in the schema too: clearing published_at of a published post fails.
    let raw = "UPDATE posts SET published_at = NULL WHERE id = $1";
    let res = match &t.db {
        Db::Sqlite(pool) => sqlx::query(raw).bind(p.id).execute(pool).await.map(|_| ()),
        Db::Postgres(pool) => sqlx::query(raw).bind(p.id).execute(pool).await.map(|_| ()),
    };
    assert!(res.is_err());
});

crate::on_both!(only_staff_publish_directly_and_instructors_do_not_edit_content, |t: TestDb| async move {
    let team = team(&t.db).await;
    let p = content::create_post(&t.db, &team.staff, "Quick news", "body", PostType::Announcement).await.unwrap();
    assert!(content::create_post(&t.db, &team.instructor, "Mine", "body", PostType::Article).await.is_err());
    let err = content::move_post(&t.db, &team.viewer, p.id, p.version, PostStatus::Pending, None).await.unwrap_err();
    assert!(matches!(err, StoreError::Refused { .. }));
    let published = content::move_post(&t.db, &team.staff, p.id, p.version, PostStatus::Published, None).await.unwrap();
    assert!(published.published_at.is_some());
    let trail = staffroom_core::store::audit::for_entity(&t.db, "post", p.id).await.unwrap();
    assert!(
        trail.iter().any(|r| r.action == "publish" && r.summary.contains("directly, skipping review")),
        "{trail:?}"
    );
});

crate::on_both!(tag_use_count_equals_junction_rows, |t: TestDb| async move {
    let team = team(&t.db).await;
    let a = content::create_post(&t.db, &team.staff, "A", "x", PostType::Article).await.unwrap();
    let b = content::create_post(&t.db, &team.staff, "B", "x", PostType::Article).await.unwrap();
    content::set_post_tags(&t.db, &team.staff, a.id, &["Rust", "SQL"]).await.unwrap();
    content::set_post_tags(&t.db, &team.staff, b.id, &["rust", "TUI", "TUI"]).await.unwrap();
    assert_eq!(content::tag_use_count(&t.db, "rust").await.unwrap(), 2);
    assert_eq!(content::tag_use_count(&t.db, "tui").await.unwrap(), 1);
    content::set_post_tags(&t.db, &team.staff, a.id, &["TUI"]).await.unwrap();
    assert_eq!(content::tag_use_count(&t.db, "rust").await.unwrap(), 1);
    assert_eq!(content::tag_use_count(&t.db, "sql").await.unwrap(), 0);
    assert_eq!(content::tag_use_count(&t.db, "tui").await.unwrap(), 2);
    let check = "SELECT COUNT(*) FROM tags WHERE use_count <> \
                 (SELECT COUNT(*) FROM post_tags WHERE tag_id = tags.id) + (SELECT COUNT(*) FROM case_study_tags WHERE tag_id = tags.id)";
    let drift: i64 = match &t.db {
        Db::Sqlite(p) => sqlx::query_scalar(check).fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(check).fetch_one(p).await.unwrap(),
    };
    assert_eq!(drift, 0);
});

crate::on_both!(ratings_stay_in_range_and_the_featured_limit_holds, |t: TestDb| async move {
    let team = team(&t.db).await;
    for bad in [0, 6, -1] {
        let err = content::create_testimonial(&t.db, &team.staff, "Nour", "Great", bad).await.unwrap_err();
        assert!(err.to_string().contains("between 1 and 5"), "{err}");
    }
    let limit = 2;
    let mut approved = Vec::new();
    for i in 0..3 {
        let tm =
            content::create_testimonial(&t.db, &team.staff, &format!("Student {i}"), "Loved it 🎓", 5).await.unwrap();
        approved.push(content::moderate_testimonial(&t.db, &team.staff, tm.id, tm.version, true, None).await.unwrap());
    }
    let pending = content::create_testimonial(&t.db, &team.staff, "Later", "ok", 4).await.unwrap();
    let err = content::set_featured(&t.db, &team.staff, pending.id, pending.version, true, limit).await.unwrap_err();
    assert!(err.to_string().contains("only approved"), "{err}");
    let f0 = content::set_featured(&t.db, &team.staff, approved[0].id, approved[0].version, true, limit).await.unwrap();
    content::set_featured(&t.db, &team.staff, approved[1].id, approved[1].version, true, limit).await.unwrap();
    let err =
        content::set_featured(&t.db, &team.staff, approved[2].id, approved[2].version, true, limit).await.unwrap_err();
    assert!(err.to_string().contains("the limit is 2"), "{err}");
    content::set_featured(&t.db, &team.staff, f0.id, f0.version, false, limit).await.unwrap();
    content::set_featured(&t.db, &team.staff, approved[2].id, approved[2].version, true, limit).await.unwrap();
    let err =
        content::moderate_testimonial(&t.db, &team.staff, pending.id, pending.version, false, None).await.unwrap_err();
    assert!(err.to_string().contains("needs a reason"), "{err}");
});
