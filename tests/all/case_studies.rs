//! Case studies: fields, slugs (BR-02), tags (BR-15), the tech stack, media with
//! exactly one thumbnail to publish (BR-04, BR-07), the status flow, featuring and
//! order, stale edits — and the screen by keys at 80x24 — on both backends.

use crate::common::{PASSWORD, TestDb, actor, login_user};
use crossterm::event::KeyCode;
use staffroom::domain::case_study::CaseStudyStatus;
use staffroom::domain::permissions::Roles;
use staffroom::ui::driver::Driver;
use staffroom::ui::screens::ScreenId;
use staffroom_core::store::areas::case_studies::{self, CaseStudyFields, NewMedia};
use staffroom_core::store::{Db, StoreError};

async fn tech(db: &Db, names: &[&str]) {
    let at = staffroom_core::store::now();
    for n in names {
        let slug = staffroom::domain::slug::slugify(n);
        staffroom_core::with_db!(db, p => sqlx::query("INSERT INTO tech_stack (name, slug, created_at, updated_at) VALUES ($1, $2, $3, $3)").bind(*n).bind(&slug).bind(at).execute(p).await.unwrap().rows_affected());
    }
}

fn fields(title: &str) -> CaseStudyFields {
    CaseStudyFields {
        title: title.into(),
        project_type: "dashboard".into(),
        client_type: "business".into(),
        ..Default::default()
    }
}

fn media(url: &str, thumbnail: bool) -> NewMedia {
    NewMedia { media_type: "image".into(), file_url: url.into(), caption: None, alt_text: None, thumbnail }
}

async fn use_count(db: &Db, tag: &str) -> i64 {
    staffroom_core::store::content::tag_use_count(db, tag).await.unwrap()
}

crate::on_both!(case_study_fields_tags_and_stack_follow_the_rules, |t: TestDb| async move {
    let sami = actor(&t.db, "Sami Staff", Roles::STAFF).await;
    tech(&t.db, &["React", "PostgreSQL"]).await;
    let f = CaseStudyFields {
        tags: vec!["react".into(), "Portfolio".into()],
        tech: vec!["react".into(), "PostgreSQL".into()],
        started_at: chrono::NaiveDate::from_ymd_opt(2026, 1, 10),
        completed_at: chrono::NaiveDate::from_ymd_opt(2026, 3, 1),
        live_url: Some("https://fleet.example".into()),
        problem: Some("Spreadsheets\neverywhere".into()),
        ..fields("Fleet dashboard")
    };
    let c = case_studies::save(&t.db, &sami, None, f).await.unwrap();
    assert_eq!(c.row.slug, "fleet-dashboard");
    assert_eq!(c.row.status, "draft");
    assert_eq!(c.tags, vec!["Portfolio".to_string(), "react".to_string()]);
    assert_eq!(c.tech, vec!["PostgreSQL".to_string(), "React".to_string()], "matched without regard to case");
    assert_eq!((use_count(&t.db, "react").await, use_count(&t.db, "portfolio").await), (1, 1));
    // BR-15 on an edit: the dropped tag counts one fewer.
    let edit = CaseStudyFields { tags: vec!["react".into()], tech: vec!["React".into()], ..fields("Fleet dashboard") };
    let c = case_studies::save(&t.db, &sami, Some((c.row.id, c.row.version)), edit).await.unwrap();
    assert_eq!(use_count(&t.db, "portfolio").await, 0);
    assert_eq!(c.row.slug, "fleet-dashboard", "an edit keeps the slug");
    // Refusals name the field and change nothing.
    let other = case_studies::save(&t.db, &sami, None, fields("Other")).await.unwrap();
    for (bad, says) in [
        (
            CaseStudyFields { slug: Some("fleet-dashboard".into()), ..fields("Other") },
            "is taken by the case study \"Fleet dashboard\"",
        ),
        (
            CaseStudyFields { tech: vec!["Cobol".into()], ..fields("Other") },
            "\"Cobol\" is not in the tech stack; it has: PostgreSQL, React",
        ),
        (
            CaseStudyFields {
                started_at: chrono::NaiveDate::from_ymd_opt(2026, 5, 1),
                completed_at: chrono::NaiveDate::from_ymd_opt(2026, 4, 1),
                ..fields("Other")
            },
            "is before the start",
        ),
        (CaseStudyFields { repo_url: Some("ftp://x".into()), ..fields("Other") }, "https://"),
        (CaseStudyFields { project_type: "blog".into(), ..fields("Other") }, "project_type"),
        (CaseStudyFields { title: " \u{0} ".into(), ..fields("Other") }, "title: is needed"),
    ] {
        let e = case_studies::save(&t.db, &sami, Some((other.row.id, other.row.version)), bad).await.unwrap_err();
        assert!(e.to_string().contains(says), "{e}");
    }
    assert_eq!(case_studies::get(&t.db, other.row.id).await.unwrap().row.version, other.row.version);
    // A stale edit is a conflict naming the other writer.
    let e = case_studies::save(&t.db, &sami, Some((c.row.id, c.row.version - 1)), fields("Stale")).await.unwrap_err();
    assert!(matches!(e, StoreError::Conflict { .. }), "{e}");
    // Viewers read but do not write.
    let viewer = actor(&t.db, "Vera Viewer", Roles::VIEWER).await;
    assert!(case_studies::save(&t.db, &viewer, None, fields("Nope")).await.is_err());
});

crate::on_both!(publishing_needs_exactly_one_thumbnail_and_follows_the_flow, |t: TestDb| async move {
    let sami = actor(&t.db, "Sami Staff", Roles::STAFF).await;
    let c = case_studies::save(&t.db, &sami, None, fields("Landing page")).await.unwrap();
    // BR-04: no thumbnail, no publishing.
    let e = case_studies::move_to(&t.db, &sami, c.row.id, c.row.version, CaseStudyStatus::Published).await.unwrap_err();
    assert!(e.to_string().contains("exactly one thumbnail: it has none"), "{e}");
    let c = case_studies::add_media(&t.db, &sami, c.row.id, c.row.version, media("https://img.example/a.png", false))
        .await
        .unwrap();
    let c = case_studies::add_media(&t.db, &sami, c.row.id, c.row.version, media("https://img.example/b.png", true))
        .await
        .unwrap();
    // A second thumbnail replaces the first: there is only ever one.
    let c = case_studies::add_media(&t.db, &sami, c.row.id, c.row.version, media("https://img.example/c.png", true))
        .await
        .unwrap();
    let thumbs: Vec<&str> = c.media.iter().filter(|m| m.is_thumbnail).map(|m| m.file_url.as_str()).collect();
    assert_eq!(thumbs, vec!["https://img.example/c.png"]);
    assert_eq!(c.media.len(), 3);
    // Bad media is refused.
    let e =
        case_studies::add_media(&t.db, &sami, c.row.id, c.row.version, media("javascript:x", false)).await.unwrap_err();
    assert!(e.to_string().contains("https://"), "{e}");
    // The flow: draft -> archived is refused naming what is allowed.
    let e = case_studies::move_to(&t.db, &sami, c.row.id, c.row.version, CaseStudyStatus::Archived).await.unwrap_err();
    assert!(e.to_string().contains("it can become published"), "{e}");
    let c = case_studies::move_to(&t.db, &sami, c.row.id, c.row.version, CaseStudyStatus::Published).await.unwrap();
    assert_eq!(c.row.status, "published");
    let first_published = c.row.published_at.expect("BR-07: published_at is set");
    let c = case_studies::move_to(&t.db, &sami, c.row.id, c.row.version, CaseStudyStatus::Archived).await.unwrap();
    let c = case_studies::move_to(&t.db, &sami, c.row.id, c.row.version, CaseStudyStatus::Draft).await.unwrap();
    let c = case_studies::move_to(&t.db, &sami, c.row.id, c.row.version, CaseStudyStatus::Published).await.unwrap();
    assert_eq!(c.row.published_at, Some(first_published), "republishing keeps the first publication time");
    let audited: i64 = staffroom_core::with_db!(&t.db, p => sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'case_study' AND entity_id = $1").bind(c.row.id).fetch_one(p).await.unwrap());
    assert_eq!(audited, 1 + 3 + 4, "create, three media, four moves");
});

crate::on_both!(case_studies_are_featured_and_reordered, |t: TestDb| async move {
    let sami = actor(&t.db, "Sami Staff", Roles::STAFF).await;
    let a = case_studies::save(&t.db, &sami, None, fields("Alpha")).await.unwrap();
    let b = case_studies::save(&t.db, &sami, None, fields("Beta")).await.unwrap();
    let c = case_studies::save(&t.db, &sami, None, fields("Gamma")).await.unwrap();
    let order = |db: Db| async move {
        let page = case_studies::page(&db, None, None, None, 10).await.unwrap();
        page.rows.into_iter().map(|c| c.row.title).collect::<Vec<_>>()
    };
    assert_eq!(order(t.db.clone()).await, vec!["Alpha", "Beta", "Gamma"]);
    case_studies::reorder(&t.db, &sami, c.row.id, c.row.version, true).await.unwrap();
    assert_eq!(order(t.db.clone()).await, vec!["Alpha", "Gamma", "Beta"]);
    // Pressed twice quickly: the second, sent with the version the list showed,
    // moves it again.
    case_studies::reorder(&t.db, &sami, c.row.id, c.row.version, true).await.unwrap();
    assert_eq!(order(t.db.clone()).await, vec!["Gamma", "Alpha", "Beta"]);
    case_studies::reorder(&t.db, &sami, c.row.id, c.row.version, false).await.unwrap();
    let e = case_studies::reorder(&t.db, &sami, a.row.id, a.row.version, true).await.unwrap_err();
    assert!(e.to_string().contains("first case study already"), "{e}");
    let b = case_studies::set_featured(&t.db, &sami, b.row.id, b.row.version, true, 6).await.unwrap();
    assert!(b.row.featured);
    // The page goes on by keyset from where it stopped.
    let first = case_studies::page(&t.db, None, None, None, 2).await.unwrap();
    let rest = case_studies::page(&t.db, None, None, first.next, 2).await.unwrap();
    assert_eq!(rest.rows.iter().map(|c| c.row.title.as_str()).collect::<Vec<_>>(), vec!["Beta"]);
});

crate::on_both!(the_case_studies_screen_by_keys_at_80x24, |t: TestDb| async move {
    let sami = login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    case_studies::save(&t.db, &sami, None, fields("Fleet \u{1b}[2J dashboard")).await.unwrap();
    let mut d = Driver::new(t.db.clone(), 80, 24);
    d.login("sami@test.example", PASSWORD).await;
    d.app.toasts.clear();
    let effects = d.app.open(ScreenId::Record("case-studies"));
    d.run(effects).await;
    d.settle().await;
    let screen = d.screen();
    assert!(screen.contains("Fleet") && screen.contains("draft 1"), "{screen}");
    assert!(!screen.contains('\u{1b}'), "titles are drawn inert");
    // p without a thumbnail: refused by name.
    d.press(KeyCode::Char('p')).await;
    d.settle().await;
    assert!(d.screen().contains("exactly one thumbnail"), "{}", d.screen());
    // m adds the thumbnail; p then publishes.
    d.press(KeyCode::Char('m')).await;
    d.type_text("https://img.example/cover.png").await;
    for _ in 0..4 {
        d.press(KeyCode::Tab).await;
    }
    d.press(KeyCode::Char(' ')).await;
    d.press(KeyCode::Enter).await;
    d.settle().await;
    assert!(d.screen().contains("has a new thumbnail"), "{}", d.screen());
    d.press(KeyCode::Char('p')).await;
    d.settle().await;
    let status: String = staffroom_core::with_db!(&t.db, p => sqlx::query_scalar("SELECT status FROM case_studies").fetch_one(p).await.unwrap());
    assert_eq!(status, "published", "{}", d.screen());
    // e: the form is taller than 24 rows; moving down keeps the field in view.
    d.app.toasts.clear();
    d.press(KeyCode::Char('e')).await;
    assert!(d.screen().contains("(more ↓)"), "{}", d.screen());
    for _ in 0..15 {
        d.press(KeyCode::Tab).await;
    }
    let screen = d.screen();
    assert!(screen.contains("lessons") && screen.contains("(more ↑)"), "{screen}");
    d.type_text("Ship a thin slice first").await;
    d.press_key(crossterm::event::KeyEvent::new(KeyCode::Char('s'), crossterm::event::KeyModifiers::CONTROL)).await;
    d.settle().await;
    let lessons: Option<String> = staffroom_core::with_db!(&t.db, p => sqlx::query_scalar("SELECT lessons_learned FROM case_studies").fetch_one(p).await.unwrap());
    assert_eq!(lessons.as_deref(), Some("Ship a thin slice first"), "{}", d.screen());
});

crate::on_both!(moving_a_case_study_in_the_list_is_not_an_edit, |t: TestDb| async move {
    let sami = actor(&t.db, "Sami Staff", Roles::STAFF).await;
    let a = case_studies::save(&t.db, &sami, None, fields("Alpha")).await.unwrap();
    let b = case_studies::save(&t.db, &sami, None, fields("Beta")).await.unwrap();
    case_studies::reorder(&t.db, &sami, b.row.id, b.row.version, true).await.unwrap();
    for before in [&a, &b] {
        let now = case_studies::get(&t.db, before.row.id).await.unwrap();
        assert_eq!(
            (now.row.version, now.row.updated_at),
            (before.row.version, before.row.updated_at),
            "{}",
            now.row.title
        );
    }
    // An edit opened before the move still saves.
    case_studies::save(&t.db, &sami, Some((a.row.id, a.row.version)), fields("Alpha 2")).await.unwrap();
});

crate::on_both!(at_most_the_featured_limit_of_case_studies_are_featured, |t: TestDb| async move {
    let sami = actor(&t.db, "Sami Staff", Roles::STAFF).await;
    let mut rows = Vec::new();
    for title in ["One", "Two", "Three"] {
        rows.push(case_studies::save(&t.db, &sami, None, fields(title)).await.unwrap());
    }
    let one = case_studies::set_featured(&t.db, &sami, rows[0].row.id, rows[0].row.version, true, 2).await.unwrap();
    case_studies::set_featured(&t.db, &sami, rows[1].row.id, rows[1].row.version, true, 2).await.unwrap();
    let e = case_studies::set_featured(&t.db, &sami, rows[2].row.id, rows[2].row.version, true, 2).await.unwrap_err();
    assert_eq!(e.to_string(), "2 case studies are already featured (the limit is 2); unfeature one first");
    assert!(!case_studies::get(&t.db, rows[2].row.id).await.unwrap().row.featured);
    // Unfeaturing one makes room.
    case_studies::set_featured(&t.db, &sami, one.row.id, one.row.version, false, 2).await.unwrap();
    let three = case_studies::set_featured(&t.db, &sami, rows[2].row.id, rows[2].row.version, true, 2).await.unwrap();
    assert!(three.row.featured);
});
