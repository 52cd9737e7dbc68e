//! The moderation queue: what waits, oldest first, for whom; each decision and its
//! rules (a reason to reject, a role for an instructor application, a seat for a
//! cohort application, even with two approvers at once); the screen by keys — on
//! both backends.

use crate::common::{PASSWORD, TestDb, actor, login_user, team};
use crossterm::event::KeyCode;
use staffroom::domain::permissions::Roles;
use staffroom::domain::post::PostType;
use staffroom::ui::driver::Driver;
use staffroom::ui::screens::ScreenId;
use staffroom_core::store::moderation::{self, Decision, QueueKind};
use staffroom_core::store::{Db, StoreError, content};
use std::sync::atomic::{AtomicU32, Ordering};

static N: AtomicU32 = AtomicU32::new(1);

async fn scalar(db: &Db, sql: &str) -> i64 {
    staffroom_core::with_db!(db, p => sqlx::query_scalar(sql).fetch_one(p).await.unwrap_or_else(|e| panic!("{sql}: {e}")))
}

async fn text(db: &Db, sql: &str) -> Option<String> {
    staffroom_core::with_db!(db, p => sqlx::query_scalar(sql).fetch_one(p).await.unwrap_or_else(|e| panic!("{sql}: {e}")))
}

/// A post submitted for review.
async fn pending_post(db: &Db, author: &staffroom_core::store::Actor, title: &str) -> i64 {
    let p = content::create_post(db, author, title, "# Hello\n\nbody", PostType::Article).await.unwrap();
    content::move_post(db, author, p.id, p.version, staffroom::domain::post::PostStatus::Pending, None).await.unwrap();
    p.id
}

/// A cohort with `capacity` seats and its name.
async fn cohort(db: &Db, capacity: i64) -> (i64, String) {
    let n = N.fetch_add(1, Ordering::Relaxed);
    let name = format!("Queue Cohort {n}");
    let now = staffroom_core::store::now();
    let id: i64 = staffroom_core::with_db!(db, p => {
        let program: i64 = sqlx::query_scalar(
            "INSERT INTO programs (slug, title, price_minor, price_currency, created_at, updated_at) \
             VALUES ($1, 'Web', 0, 'USD', $2, $2) RETURNING id",
        )
        .bind(format!("q-{n}"))
        .bind(now)
        .fetch_one(p)
        .await
        .unwrap();
        sqlx::query_scalar(
            "INSERT INTO cohorts (program_id, name, status, capacity, created_at, updated_at) \
             VALUES ($1, $2, 'open', $3, $4, $4) RETURNING id",
        )
        .bind(program)
        .bind(&name)
        .bind(capacity)
        .bind(now)
        .fetch_one(p)
        .await
        .unwrap()
    });
    (id, name)
}

/// A pending application of a new applicant to `cohort_id`.
async fn application(db: &Db, cohort_id: i64, name: &str, email: &str) -> i64 {
    let now = staffroom_core::store::now();
    staffroom_core::with_db!(db, p => {
        let applicant: i64 = sqlx::query_scalar(
            "INSERT INTO applicants (full_name, email, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id",
        )
        .bind(name)
        .bind(email)
        .bind(now)
        .fetch_one(p)
        .await
        .unwrap();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO applications (cohort_id, applicant_id, status, submitted_at, created_at, updated_at) \
             VALUES ($1, $2, 'pending', $3, $3, $3) RETURNING id",
        )
        .bind(cohort_id)
        .bind(applicant)
        .bind(now)
        .fetch_one(p)
        .await
        .unwrap();
        id
    })
}

async fn instructor_application(db: &Db, user_id: i64) -> i64 {
    let now = staffroom_core::store::now();
    staffroom_core::with_db!(db, p => {
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO instructor_applications (user_id, status, application_data, created_at, updated_at) \
             VALUES ($1, 'pending', '{\"subjects\": \"Rust, SQL\", \"years\": 6}', $2, $2) RETURNING id",
        )
        .bind(user_id)
        .bind(now)
        .fetch_one(p)
        .await
        .unwrap()
    })
}

crate::on_both!(the_queue_lists_what_waits_oldest_first_for_those_who_decide_it, |t: TestDb| async move {
    let team = team(&t.db).await;
    let post = pending_post(&t.db, &team.staff, "Why Rust").await;
    let testimonial = content::create_testimonial(&t.db, &team.staff, "Mona", "Great course", 5).await.unwrap();
    let wants = actor(&t.db, "Would Teach", Roles::VIEWER).await;
    let teacher = instructor_application(&t.db, wants.user_id.unwrap()).await;
    let (c, _) = cohort(&t.db, 10).await;
    let app = application(&t.db, c, "Salma Applicant", "salma@applicant.example").await;
    let (items, next) = moderation::page(&t.db, &team.admin, None, None, 10).await.unwrap();
    let got: Vec<(QueueKind, i64)> = items.iter().map(|i| (i.kind, i.id)).collect();
    assert_eq!(got.len(), 4, "{got:?}");
    assert!(items.windows(2).all(|w| w[0].at <= w[1].at), "oldest first");
    for want in [
        (QueueKind::Post, post),
        (QueueKind::Testimonial, testimonial.id),
        (QueueKind::InstructorApplication, teacher),
        (QueueKind::Application, app),
    ] {
        assert!(got.contains(&want), "{want:?} in {got:?}");
    }
    assert_eq!(next, None);
    // Keyset pages: two, then the other two, nothing twice.
    let (first, next) = moderation::page(&t.db, &team.admin, None, None, 2).await.unwrap();
    let (second, last) = moderation::page(&t.db, &team.admin, None, next, 2).await.unwrap();
    assert_eq!((first.len(), second.len(), last), (2, 2, None));
    assert!(first.iter().all(|a| !second.iter().any(|b| (a.kind, a.id) == (b.kind, b.id))));
    // Staff do not see instructor applications (approving one grants a role).
    let staff_counts = moderation::counts(&t.db, &team.staff).await.unwrap();
    assert!(!staff_counts.iter().any(|(k, _)| *k == QueueKind::InstructorApplication), "{staff_counts:?}");
    let (staff_items, _) = moderation::page(&t.db, &team.staff, None, None, 10).await.unwrap();
    assert_eq!(staff_items.len(), 3);
    // One kind only; the preview has the full text and the form's answers.
    let (posts, _) = moderation::page(&t.db, &team.admin, Some(QueueKind::Post), None, 10).await.unwrap();
    assert_eq!(posts.len(), 1);
    let p = moderation::preview(&t.db, QueueKind::InstructorApplication, teacher).await.unwrap();
    assert!(p.fields.iter().any(|(k, v)| k == "subjects" && v == "Rust, SQL"), "{:?}", p.fields);
});

crate::on_both!(decisions_need_their_right_and_a_rejection_its_reason, |t: TestDb| async move {
    let team = team(&t.db).await;
    let post = pending_post(&t.db, &team.staff, "Draft thoughts").await;
    // A rejection without a reason changes nothing.
    match moderation::decide(&t.db, &team.staff, QueueKind::Post, post, 2, &Decision::Reject("  ".into())).await {
        Err(StoreError::Invalid { field, .. }) => assert_eq!(field, "reason"),
        other => panic!("{other:?}"),
    }
    assert_eq!(text(&t.db, &format!("SELECT status FROM posts WHERE id = {post}")).await.as_deref(), Some("pending"));
    moderation::decide(&t.db, &team.staff, QueueKind::Post, post, 2, &Decision::Reject("duplicate".into()))
        .await
        .unwrap();
    let reason = text(&t.db, &format!("SELECT rejection_reason FROM posts WHERE id = {post}")).await;
    assert_eq!(reason.as_deref(), Some("duplicate"), "the reason is stored with the item");
    // Viewers and instructors decide nothing; staff no instructor application.
    let t2 = content::create_testimonial(&t.db, &team.staff, "Omar", "Loved it", 4).await.unwrap();
    for who in [&team.viewer, &team.instructor] {
        assert!(matches!(
            moderation::decide(&t.db, who, QueueKind::Testimonial, t2.id, t2.version, &Decision::Approve).await,
            Err(StoreError::Refused { .. })
        ));
    }
    moderation::decide(&t.db, &team.staff, QueueKind::Testimonial, t2.id, t2.version, &Decision::Approve)
        .await
        .unwrap();
    assert_eq!(
        text(&t.db, &format!("SELECT status FROM testimonials WHERE id = {}", t2.id)).await.as_deref(),
        Some("approved")
    );
    let wants = actor(&t.db, "Would Teach", Roles::VIEWER).await;
    let app = instructor_application(&t.db, wants.user_id.unwrap()).await;
    assert!(matches!(
        moderation::decide(&t.db, &team.staff, QueueKind::InstructorApplication, app, 1, &Decision::Approve).await,
        Err(StoreError::Refused { .. })
    ));
    let said = moderation::decide(&t.db, &team.admin, QueueKind::InstructorApplication, app, 1, &Decision::Approve)
        .await
        .unwrap();
    assert!(said.contains("approved"), "{said}");
    let is_instructor =
        scalar(&t.db, &format!("SELECT COUNT(*) FROM users WHERE id = {} AND is_instructor", wants.user_id.unwrap()))
            .await;
    assert_eq!(is_instructor, 1, "approving an instructor application sets is_instructor");
    // Decided already: a second decision is refused, not applied twice.
    assert!(
        moderation::decide(&t.db, &team.admin, QueueKind::InstructorApplication, app, 2, &Decision::Reject("x".into()))
            .await
            .is_err()
    );
    let audited = scalar(&t.db, "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'instructor_application'").await;
    assert_eq!(audited, 1);
});

crate::on_both!(approving_an_application_enrols_within_capacity_or_offers_the_waitlist, |t: TestDb| async move {
    let team = team(&t.db).await;
    let (c, name) = cohort(&t.db, 1).await;
    let first = application(&t.db, c, "Salma New", "salma@applicant.example").await;
    let second = application(&t.db, c, "Karim Late", "karim@applicant.example").await;
    let said =
        moderation::decide(&t.db, &team.staff, QueueKind::Application, first, 1, &Decision::Approve).await.unwrap();
    assert!(said.contains(&format!("enrolled in {name}")), "{said}");
    let user =
        scalar(&t.db, "SELECT COUNT(*) FROM users WHERE email = 'salma@applicant.example' AND full_name = 'Salma New'")
            .await;
    assert_eq!(user, 1, "the student's account is created");
    let enrolled =
        scalar(&t.db, &format!("SELECT COUNT(*) FROM enrollments WHERE cohort_id = {c} AND application_id = {first}"))
            .await;
    assert_eq!(enrolled, 1);
    match moderation::decide(&t.db, &team.staff, QueueKind::Application, second, 1, &Decision::Approve).await {
        Err(StoreError::Refused { reason }) => {
            assert!(reason.contains(&name) && reason.contains("waitlist"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        text(&t.db, &format!("SELECT status FROM applications WHERE id = {second}")).await.as_deref(),
        Some("pending")
    );
    moderation::decide(&t.db, &team.staff, QueueKind::Application, second, 1, &Decision::Waitlist).await.unwrap();
    assert_eq!(
        text(&t.db, &format!("SELECT status FROM applications WHERE id = {second}")).await.as_deref(),
        Some("waitlisted")
    );
    // An applicant who has an account already keeps it.
    let (c2, _) = cohort(&t.db, 5).await;
    let again = application(&t.db, c2, "Salma New", "SALMA@applicant.example").await;
    moderation::decide(&t.db, &team.staff, QueueKind::Application, again, 1, &Decision::Approve).await.unwrap();
    assert_eq!(scalar(&t.db, "SELECT COUNT(*) FROM users WHERE lower(email) = 'salma@applicant.example'").await, 1);
});

crate::on_both!(two_approvers_at_once_never_overfill_a_cohort, |t: TestDb| async move {
    let team = team(&t.db).await;
    let other = actor(&t.db, "Second Staff", Roles::STAFF).await;
    let (c, _) = cohort(&t.db, 3).await;
    let mut apps = Vec::new();
    for i in 0..8 {
        apps.push(application(&t.db, c, &format!("Applicant {i}"), &format!("a{i}@applicant.example")).await);
    }
    let mut tasks = Vec::new();
    for (i, app) in apps.into_iter().enumerate() {
        let db = t.db.clone();
        let who = if i % 2 == 0 { team.staff.clone() } else { other.clone() };
        tasks.push(tokio::spawn(async move {
            moderation::decide(&db, &who, QueueKind::Application, app, 1, &Decision::Approve).await
        }));
    }
    let mut ok = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => ok += 1,
            Err(StoreError::Refused { reason }) => assert!(reason.contains("waitlist"), "{reason}"),
            // SQLite may report a busy writer; that is a refusal too, never an overfill.
            Err(e) => assert!(matches!(e, StoreError::Unavailable(_) | StoreError::Other(_)), "{e:?}"),
        }
    }
    let seats = scalar(&t.db, &format!("SELECT COUNT(*) FROM enrollments WHERE cohort_id = {c}")).await;
    assert_eq!(seats, 3, "exactly the capacity, whoever approved");
    assert_eq!(ok, 3);
});

crate::on_both!(the_queue_by_keys_approves_marks_and_rejects_with_a_preset, |t: TestDb| async move {
    let sami = login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    let a = pending_post(&t.db, &sami, "First post").await;
    let b = pending_post(&t.db, &sami, "Second post").await;
    let c = pending_post(&t.db, &sami, "Third post").await;
    let d = pending_post(&t.db, &sami, "Fourth \u{1b}[2J post").await;
    let mut drv = Driver::new(t.db.clone(), 100, 30);
    drv.login("sami@test.example", PASSWORD).await;
    drv.app.toasts.clear();
    let effects = drv.app.open(ScreenId::Moderation);
    drv.run(effects).await;
    drv.settle().await;
    let screen = drv.screen();
    assert!(screen.contains("all 4") && screen.contains("posts 4") && screen.contains("First post"), "{screen}");
    assert!(!screen.contains('\u{1b}'), "titles are drawn inert");
    let status = |id: i64| {
        let db = t.db.clone();
        async move { text(&db, &format!("SELECT status FROM posts WHERE id = {id}")).await.unwrap_or_default() }
    };
    // a approves the selected one at once.
    drv.press(KeyCode::Char('a')).await;
    drv.settle().await;
    assert_eq!(status(a).await, "approved");
    // Space marks two; a asks with the count; y decides both.
    drv.press(KeyCode::Char(' ')).await;
    drv.press(KeyCode::Char(' ')).await;
    drv.press(KeyCode::Char('a')).await;
    assert!(drv.screen().contains("approve 2 marked items?"), "{}", drv.screen());
    drv.press(KeyCode::Char('y')).await;
    drv.settle().await;
    assert_eq!((status(b).await, status(c).await), ("approved".to_string(), "approved".to_string()));
    // r: a preset reason (1) rejects the last one, and the reason is kept.
    drv.press(KeyCode::Char('r')).await;
    assert!(drv.screen().contains("off-topic") && drv.screen().contains("type a reason"), "{}", drv.screen());
    drv.press(KeyCode::Char('1')).await;
    drv.settle().await;
    assert_eq!(status(d).await, "rejected");
    let reason = text(&t.db, &format!("SELECT rejection_reason FROM posts WHERE id = {d}")).await;
    assert_eq!(reason.as_deref(), Some("off-topic"));
    assert!(drv.screen().contains("nothing awaits a decision"), "{}", drv.screen());
});

crate::on_both!(viewers_and_instructors_cannot_open_the_queue, |t: TestDb| async move {
    login_user(&t.db, "vera@test.example", "Vera Viewer", Roles::VIEWER).await;
    let mut d = Driver::new(t.db.clone(), 100, 30);
    d.login("vera@test.example", PASSWORD).await;
    let effects = d.app.open(ScreenId::Moderation);
    d.run(effects).await;
    d.settle().await;
    let screen = d.screen();
    assert!(screen.contains("may not open moderation") && !screen.contains("staffroom › Moderation"), "{screen}");
});

/// A course review by `user` on a fresh program.
async fn review(db: &Db, user: i64, rating: i64, comment: Option<&str>) -> i64 {
    let n = N.fetch_add(1, Ordering::Relaxed);
    let now = staffroom_core::store::now();
    staffroom_core::with_db!(db, p => {
        let program: i64 = sqlx::query_scalar(
            "INSERT INTO programs (slug, title, price_minor, price_currency, created_at, updated_at) \
             VALUES ($1, 'Data Track', 0, 'USD', $2, $2) RETURNING id",
        )
        .bind(format!("r-{n}"))
        .bind(now)
        .fetch_one(p)
        .await
        .unwrap();
        sqlx::query_scalar(
            "INSERT INTO reviews (program_id, user_id, rating, comment, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(program)
        .bind(user)
        .bind(rating)
        .bind(comment)
        .bind(now)
        .fetch_one(p)
        .await
        .unwrap()
    })
}

/// A comment by `user` on post `post`, reported `reports` times.
async fn comment(db: &Db, post: i64, user: i64, text: &str, reports: i64) -> i64 {
    let now = staffroom_core::store::now();
    staffroom_core::with_db!(db, p => {
        sqlx::query_scalar(
            "INSERT INTO comments (post_id, author_id, content, reports, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(post)
        .bind(user)
        .bind(text)
        .bind(reports)
        .bind(now)
        .fetch_one(p)
        .await
        .unwrap()
    })
}

async fn version(db: &Db, table: &str, id: i64) -> i64 {
    scalar(db, &format!("SELECT version FROM {table} WHERE id = {id}")).await
}

crate::on_both!(course_reviews_are_kept_rejected_or_promoted_to_a_testimonial, |t: TestDb| async move {
    let admin = actor(&t.db, "Amira Admin", Roles::ADMIN).await;
    let student =
        login_user(&t.db, "sara@test.example", "Sara Student", Roles { student: true, ..Roles::VIEWER }).await;
    let sid = student.user_id.unwrap();
    let kept = review(&t.db, sid, 5, Some("Loved it")).await;
    let promoted = review(&t.db, sid, 4, Some("Real projects, kind mentors")).await;
    let rejected = review(&t.db, sid, 1, Some("spam spam")).await;
    let silent = review(&t.db, sid, 3, None).await;
    let (items, _) = moderation::page(&t.db, &admin, Some(QueueKind::Review), None, 50).await.unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(items[1].rating, Some(4));
    // A rejection needs its reason; with none nothing changes.
    let e = moderation::decide(&t.db, &admin, QueueKind::Review, rejected, 1, &Decision::Reject(" ".into())).await;
    assert!(e.is_err());
    assert_eq!(text(&t.db, &format!("SELECT status FROM reviews WHERE id = {rejected}")).await.as_deref(), Some("new"));
    moderation::decide(&t.db, &admin, QueueKind::Review, kept, 1, &Decision::Approve).await.unwrap();
    moderation::decide(&t.db, &admin, QueueKind::Review, rejected, 1, &Decision::Reject("spam".into())).await.unwrap();
    let said = moderation::decide(&t.db, &admin, QueueKind::Review, promoted, 1, &Decision::Promote).await.unwrap();
    assert!(said.contains("pending testimonial"), "{said}");
    // The testimonial waits for its own decision, with the review's words and rating.
    let t_row: (String, String, i64, String) = staffroom_core::with_db!(&t.db, p => sqlx::query_as("SELECT t.author_name, t.content, t.rating, t.status FROM testimonials t JOIN reviews r ON r.testimonial_id = t.id WHERE r.id = $1").bind(promoted).fetch_one(p).await.unwrap());
    assert_eq!(t_row, ("Sara Student".into(), "Real projects, kind mentors".into(), 4, "pending".into()));
    let (items, _) = moderation::page(&t.db, &admin, None, None, 50).await.unwrap();
    assert!(items.iter().any(|i| i.kind == QueueKind::Testimonial), "the promoted review is now a pending testimonial");
    // A review without words cannot be promoted; a decided one cannot be decided again.
    let e = moderation::decide(&t.db, &admin, QueueKind::Review, silent, 1, &Decision::Promote).await.unwrap_err();
    assert!(e.to_string().contains("has no words"), "{e}");
    let e = moderation::decide(&t.db, &admin, QueueKind::Review, kept, 2, &Decision::Reject("late".into())).await;
    assert!(matches!(e, Err(StoreError::Conflict { .. })), "{e:?}");
    let statuses: Vec<String> = staffroom_core::with_db!(&t.db, p => sqlx::query_scalar("SELECT status FROM reviews ORDER BY id").fetch_all(p).await.unwrap());
    assert_eq!(statuses, vec!["approved", "promoted", "rejected", "new"]);
    let audited = scalar(&t.db, "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'review'").await;
    assert_eq!(audited, 3);
    // A viewer may not decide them.
    let viewer = actor(&t.db, "Vera Viewer", Roles::VIEWER).await;
    let e = moderation::decide(&t.db, &viewer, QueueKind::Review, silent, 1, &Decision::Approve).await;
    assert!(matches!(e, Err(StoreError::Refused { .. })), "{e:?}");
});

crate::on_both!(comments_are_kept_hidden_and_shown_again_from_the_queue_by_keys, |t: TestDb| async move {
    let sami = login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    let student =
        login_user(&t.db, "sara@test.example", "Sara Student", Roles { student: true, ..Roles::VIEWER }).await;
    let post = pending_post(&t.db, &sami, "Commented").await;
    content::move_post(&t.db, &sami, post, 2, staffroom::domain::post::PostStatus::Approved, None).await.unwrap();
    let sid = student.user_id.unwrap();
    let fine = comment(&t.db, post, sid, "Thanks, this helped", 0).await;
    let spam = comment(&t.db, post, sid, "cheap answers \u{1b}]52;c;ZXZpbA==\u{7} here", 3).await;
    let mut drv = Driver::new(t.db.clone(), 100, 30);
    drv.login("sami@test.example", PASSWORD).await;
    drv.app.toasts.clear();
    let effects = drv.app.open(ScreenId::Moderation);
    drv.run(effects).await;
    drv.settle().await;
    let screen = drv.screen();
    assert!(screen.contains("comments 2") && screen.contains("Thanks, this helped"), "{screen}");
    assert!(!screen.contains('\u{1b}') && !screen.contains('\u{7}'), "comments are drawn inert");
    // a keeps the first: seen, it leaves the queue, still visible.
    drv.press(KeyCode::Char('a')).await;
    drv.settle().await;
    let row: (String, bool) = staffroom_core::with_db!(&t.db, p => sqlx::query_as("SELECT status, reviewed_at IS NOT NULL FROM comments WHERE id = $1").bind(fine).fetch_one(p).await.unwrap());
    assert_eq!(row, ("visible".into(), true));
    // The reported one: its preview says so; h hides it and it stays listed.
    assert!(drv.screen().contains("3 times"), "{}", drv.screen());
    drv.press(KeyCode::Char('h')).await;
    drv.settle().await;
    assert_eq!(text(&t.db, &format!("SELECT status FROM comments WHERE id = {spam}")).await.as_deref(), Some("hidden"));
    assert!(drv.screen().contains("(hidden)") && drv.screen().contains("h again shows it"), "{}", drv.screen());
    // h again shows it; twice more hides it again (the version followed).
    drv.press(KeyCode::Char('h')).await;
    drv.settle().await;
    assert_eq!(
        text(&t.db, &format!("SELECT status FROM comments WHERE id = {spam}")).await.as_deref(),
        Some("visible")
    );
    drv.press(KeyCode::Char('h')).await;
    drv.settle().await;
    assert_eq!(text(&t.db, &format!("SELECT status FROM comments WHERE id = {spam}")).await.as_deref(), Some("hidden"));
    assert_eq!(version(&t.db, "comments", spam).await, 4);
    let actions: Vec<String> = staffroom_core::with_db!(&t.db, p => sqlx::query_scalar("SELECT action FROM audit_log WHERE entity_type = 'comment' ORDER BY id").fetch_all(p).await.unwrap());
    assert_eq!(actions, vec!["moderate", "hide", "unhide", "hide"]);
    // r on a comment is refused by name; p on a comment too.
    let e =
        moderation::decide(&t.db, &sami, QueueKind::Comment, spam, 4, &Decision::Reject("x".into())).await.unwrap_err();
    assert!(e.to_string().contains("h hides it"), "{e}");
    drv.press(KeyCode::Char('p')).await;
    assert!(drv.screen().contains("only a course review is promoted"), "{}", drv.screen());
    // Reloaded, the hidden one has left the queue.
    let effects = drv.app.open(ScreenId::Moderation);
    drv.run(effects).await;
    drv.settle().await;
    assert!(drv.screen().contains("nothing awaits a decision"), "{}", drv.screen());
});

crate::on_both!(a_pressed_twice_says_it_is_already_approved, |t: TestDb| async move {
    let sami = login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    let a = pending_post(&t.db, &sami, "First post").await;
    pending_post(&t.db, &sami, "Second post").await;
    let mut drv = Driver::new(t.db.clone(), 100, 30);
    drv.login("sami@test.example", PASSWORD).await;
    drv.app.toasts.clear();
    let effects = drv.app.open(ScreenId::Moderation);
    drv.run(effects).await;
    let mut drv = drv.late(5);
    drv.settle().await;
    // Both presses leave before the first answer.
    drv.press(KeyCode::Char('a')).await;
    drv.press(KeyCode::Char('a')).await;
    drv.settle().await;
    let approved = scalar(&t.db, "SELECT COUNT(*) FROM posts WHERE status = 'approved'").await;
    assert_eq!(approved, 1, "the second press decided nothing");
    assert!(drv.toasted("already done: you"), "{:?}", drv.app.toasts);
    assert!(!drv.toasted("changed by Sami Staff"), "{:?}", drv.app.toasts);
    let post = text(&t.db, &format!("SELECT status FROM posts WHERE id = {a}")).await;
    assert_eq!(post.as_deref(), Some("approved"));
});
