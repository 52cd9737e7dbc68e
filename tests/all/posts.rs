//! Posts and the editor: write, save, reopen the same text; a stale save names the
//! other writer and keeps the typing; leaving unsaved asks; status moves from the
//! list — on both backends.

use crate::common::{PASSWORD, TestDb, actor, login_user};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use staffroom::domain::permissions::Roles;
use staffroom::domain::post::PostType;
use staffroom::ui::driver::Driver;
use staffroom::ui::screens::{Screen, ScreenId};
use staffroom_core::store::Db;
use staffroom_core::store::posts::{self, PostDraft};

async fn open(db: &Db, email: &str, id: ScreenId) -> Driver {
    let mut d = Driver::new(db.clone(), 100, 30);
    d.login(email, PASSWORD).await;
    d.app.toasts.clear();
    let effects = d.app.open(id);
    d.run(effects).await;
    d.settle().await;
    d
}

async fn ctrl(d: &mut Driver, c: char) {
    d.press_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)).await;
    d.settle().await;
}

fn editor_text(d: &Driver) -> (String, String) {
    match d.app.screen() {
        Some(Screen::Editor(e)) => (e.title.clone(), e.text()),
        _ => panic!("not the editor"),
    }
}

crate::on_both!(a_post_is_written_saved_and_reopened_with_the_same_text, |t: TestDb| async move {
    login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    let mut d = open(&t.db, "sami@test.example", ScreenId::Editor).await;
    d.type_text("Flexbox in 5 minutes · مرحبا").await;
    d.press(KeyCode::Enter).await;
    d.type_text("# Flexbox").await;
    d.press(KeyCode::Enter).await;
    d.type_text("Use display: flex; and gap.").await;
    assert!(d.screen().contains("7 words · 1 min read · unsaved · new post"), "{}", d.screen());
    ctrl(&mut d, 's').await;
    let screen = d.screen();
    assert!(
        screen.contains("saved \"Flexbox in 5 minutes · مرحبا\" (version 1)") && screen.contains("· saved ·"),
        "{screen}"
    );
    let written = editor_text(&d);
    // Esc leaves at once (nothing unsaved); the list has it as a draft.
    d.press(KeyCode::Esc).await;
    let effects = d.app.open(ScreenId::Record("posts"));
    d.run(effects).await;
    d.settle().await;
    assert!(d.screen().contains("Flexbox in 5 minutes") && d.screen().contains("draft 1"), "{}", d.screen());
    d.press(KeyCode::Enter).await;
    d.settle().await;
    assert_eq!(editor_text(&d), written, "reopened: the same title and body");
    // An edit, then Esc: it asks; n stays with the text; ctrl-s saves version 2.
    d.type_text(" More.").await;
    d.press(KeyCode::Esc).await;
    assert!(d.screen().contains("lose what is unsaved"), "{}", d.screen());
    d.press(KeyCode::Char('n')).await;
    assert!(editor_text(&d).1.ends_with("gap. More.") || editor_text(&d).1.contains("More."), "{:?}", editor_text(&d));
    ctrl(&mut d, 's').await;
    assert!(d.screen().contains("(version 2)"), "{}", d.screen());
    let stored: String = staffroom_core::with_db!(&t.db, p => sqlx::query_scalar("SELECT content FROM posts WHERE title LIKE 'Flexbox%'").fetch_one(p).await.unwrap());
    assert_eq!(stored, editor_text(&d).1);
});

crate::on_both!(a_stale_save_names_the_other_writer_and_keeps_the_typing, |t: TestDb| async move {
    let sami = login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    let admin = actor(&t.db, "Amira Admin", Roles::ADMIN).await;
    let draft = |title: &str, body: &str| PostDraft {
        title: title.into(),
        excerpt: None,
        content: body.into(),
        post_type: PostType::Article,
        publish_at: None,
        ..Default::default()
    };
    let p = posts::save(&t.db, &sami, None, draft("Grid", "first body")).await.unwrap();
    let mut d = open(&t.db, "sami@test.example", ScreenId::Record("posts")).await;
    d.press(KeyCode::Enter).await;
    d.settle().await;
    // The editor opens at the top; ctrl-End goes to the end of the text.
    d.press_key(KeyEvent::new(KeyCode::End, KeyModifiers::CONTROL)).await;
    d.type_text(" and mine").await;
    posts::save(&t.db, &admin, Some((p.row.id, p.row.version)), draft("Grid", "the admin's body")).await.unwrap();
    ctrl(&mut d, 's').await;
    let screen = d.screen();
    let error = match d.app.screen() {
        Some(Screen::Editor(e)) => e.error.clone().unwrap_or_default(),
        _ => String::new(),
    };
    assert!(screen.contains("changed by Amira Admin") && error.contains("changed by Amira Admin"), "{screen}");
    assert_eq!(editor_text(&d).1, "first body and mine", "the typing stays");
    // Their version is shown against ours, line by line.
    let screen = d.screen();
    assert!(screen.contains("Their version (-) against yours (+)"), "{screen}");
    assert!(screen.contains("- the admin's body") && screen.contains("+ first body and mine"), "{screen}");
    let stored: String = staffroom_core::with_db!(&t.db, p => sqlx::query_scalar("SELECT content FROM posts WHERE title = 'Grid'").fetch_one(p).await.unwrap());
    assert_eq!(stored, "the admin's body");
    // Having seen it, the next save goes over their version.
    d.press(KeyCode::Esc).await;
    let error = match d.app.screen() {
        Some(Screen::Editor(e)) => e.error.clone().unwrap_or_default(),
        _ => String::new(),
    };
    assert!(
        error.contains("changed by Amira Admin") && error.ends_with(": ctrl-s now saves yours over theirs"),
        "{error}"
    );
    ctrl(&mut d, 's').await;
    assert!(d.screen().contains("(version 3)"), "{}", d.screen());
    let stored: String = staffroom_core::with_db!(&t.db, p => sqlx::query_scalar("SELECT content FROM posts WHERE title = 'Grid'").fetch_one(p).await.unwrap());
    assert_eq!(stored, "first body and mine");
});

crate::on_both!(status_moves_from_the_list_follow_the_flow, |t: TestDb| async move {
    let sami = login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    let d1 = PostDraft {
        title: "One".into(),
        excerpt: Some("short".into()),
        content: "a b c".into(),
        post_type: PostType::Tutorial,
        publish_at: None,
        ..Default::default()
    };
    let p = posts::save(&t.db, &sami, None, d1).await.unwrap();
    assert_eq!(p.row.excerpt.as_deref(), Some("short"));
    let mut d = open(&t.db, "sami@test.example", ScreenId::Record("posts")).await;
    let status = || {
        let db = t.db.clone();
        async move {
            let s: (String, Option<chrono::DateTime<chrono::Utc>>) = staffroom_core::with_db!(&db, p => sqlx::query_as("SELECT status, published_at FROM posts WHERE title = 'One'").fetch_one(p).await.unwrap());
            s
        }
    };
    // Staff publish a draft directly (BR-07: published_at set), audited as such.
    d.press(KeyCode::Char('p')).await;
    d.settle().await;
    let (s, at) = status().await;
    assert!(s == "published" && at.is_some(), "{s} {at:?}");
    let direct: i64 = staffroom_core::with_db!(&t.db, p => sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'post' AND summary LIKE '%directly, skipping review%'").fetch_one(p).await.unwrap());
    assert_eq!(direct, 1);
    d.press(KeyCode::Char('x')).await;
    d.settle().await;
    assert_eq!(status().await.0, "archived");
    // Archived → submit is refused naming the allowed moves; d goes back to draft.
    d.press(KeyCode::Char('s')).await;
    d.settle().await;
    assert!(d.toasted("cannot move from archived to pending; allowed from archived: d"), "{}", d.screen());
    d.press(KeyCode::Char('d')).await;
    d.settle().await;
    d.press(KeyCode::Char('s')).await;
    d.settle().await;
    assert_eq!(status().await.0, "pending");
});

crate::on_both!(viewers_read_posts_but_do_not_write, |t: TestDb| async move {
    let sami = login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    login_user(&t.db, "vera@test.example", "Vera Viewer", Roles::VIEWER).await;
    let d1 = PostDraft {
        title: "Read me".into(),
        excerpt: None,
        content: "x".into(),
        post_type: PostType::Article,
        publish_at: None,
        ..Default::default()
    };
    posts::save(&t.db, &sami, None, d1).await.unwrap();
    let mut d = open(&t.db, "vera@test.example", ScreenId::Record("posts")).await;
    assert!(d.screen().contains("Read me"), "{}", d.screen());
    d.press(KeyCode::Char('p')).await;
    d.settle().await;
    assert!(d.screen().contains("may not edit content"), "{}", d.screen());
    let effects = d.app.open(ScreenId::Editor);
    d.run(effects).await;
    assert!(d.screen().contains("may not open editor"), "{}", d.screen());
});

crate::on_both!(scheduled_posts_publish_when_due_and_only_then, |t: TestDb| async move {
    let sami = login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    let mk = |title: &'static str| PostDraft {
        title: title.into(),
        excerpt: None,
        content: "x y".into(),
        post_type: PostType::Article,
        publish_at: None,
        ..Default::default()
    };
    let due = posts::save(&t.db, &sami, None, mk("Due")).await.unwrap();
    let later = posts::save(&t.db, &sami, None, mk("Later")).await.unwrap();
    let draft = posts::save(&t.db, &sami, None, mk("Still a draft")).await.unwrap();
    let now = staffroom_core::store::now();
    for (id, at, status) in [
        (due.row.id, now - chrono::Duration::minutes(5), "approved"),
        (later.row.id, now + chrono::Duration::days(1), "approved"),
        (draft.row.id, now - chrono::Duration::minutes(5), "draft"),
    ] {
        staffroom_core::with_db!(&t.db, p => sqlx::query("UPDATE posts SET status = $2, publish_at = $3 WHERE id = $1").bind(id).bind(status).bind(at).execute(p).await.unwrap().rows_affected());
    }
    // The list's "scheduled" tab: approved posts with a publish time; "all" counts
    // each post once.
    let scheduled = posts::page(&t.db, Some(posts::SCHEDULED), None, None, 50).await.unwrap();
    assert_eq!(scheduled.rows.len(), 2);
    let counts = posts::counts(&t.db).await.unwrap();
    assert!(counts.contains(&("scheduled".to_string(), 2)) && counts.contains(&("all".to_string(), 3)), "{counts:?}");
    let out = crate::cli::staffroom(&["publish-due", "--database-url", &t.url], &[]);
    assert_eq!(crate::cli::ok(&out).trim(), "published 1 post(s): \"Due\"");
    let status = |id: i64| {
        let db = t.db.clone();
        async move {
            let s: (String, Option<chrono::DateTime<chrono::Utc>>) = staffroom_core::with_db!(&db, p => sqlx::query_as("SELECT status, published_at FROM posts WHERE id = $1").bind(id).fetch_one(p).await.unwrap());
            s
        }
    };
    let (s, at) = status(due.row.id).await;
    assert!(s == "published" && at.is_some(), "BR-07: {s} {at:?}");
    assert_eq!(status(later.row.id).await.0, "approved", "not yet due");
    assert_eq!(status(draft.row.id).await.0, "draft", "only approved posts are scheduled");
    let by: String = staffroom_core::with_db!(&t.db, p => sqlx::query_scalar("SELECT client FROM audit_log WHERE entity_type = 'post' AND action = 'publish'").fetch_one(p).await.unwrap());
    assert!(by.ends_with(" scheduler"), "{by}");
    // Run again: nothing more is due.
    let again = crate::cli::staffroom(&["publish-due", "--database-url", &t.url], &[]);
    assert_eq!(crate::cli::ok(&again).trim(), "no post is due");
});

#[tokio::test]
async fn the_preview_of_hostile_markdown_stays_inert() {
    let t = TestDb::sqlite().await;
    login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    let mut d = Driver::new(t.db.clone(), 120, 24);
    d.login("sami@test.example", PASSWORD).await;
    d.app.toasts.clear();
    let effects = d.app.open(ScreenId::Editor);
    d.run(effects).await;
    d.type_text("Hostile ✓").await;
    d.press(KeyCode::Enter).await;
    let hostile = "# Heading \u{1b}[31mred\n\n- item with **bold** and *soft*\n1. first\n\n> quoted مرحبا 🎓\n\n```\n\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}wipe\n```\n\n[click me](javascript:\u{1b}[8m) and `code\u{202e}`";
    d.send(staffroom::ui::msg::Msg::Paste(hostile.into())).await;
    // From the top: the preview follows the cursor.
    d.press_key(KeyEvent::new(KeyCode::Home, KeyModifiers::CONTROL)).await;
    let screen = d.screen();
    assert!(!screen.contains('\u{1b}') && !screen.contains('\u{7}') && !screen.contains('\u{202e}'), "{screen:?}");
    insta::assert_snapshot!("editor_preview_hostile_120x24", screen);
    // Wide: ctrl-t hides the preview.
    ctrl(&mut d, 't').await;
    assert!(!d.screen().contains("preview (ctrl-t)") && d.screen().contains("body (markdown)"), "{}", d.screen());
    // Narrow: the body alone; ctrl-t shows the preview instead of it.
    let mut n = Driver::new(t.db.clone(), 80, 24);
    n.login("sami@test.example", PASSWORD).await;
    let effects = n.app.open(ScreenId::Editor);
    n.run(effects).await;
    n.type_text("Narrow").await;
    n.press(KeyCode::Enter).await;
    n.type_text("**bold** text").await;
    assert!(!n.screen().contains("preview (ctrl-t)"), "{}", n.screen());
    ctrl(&mut n, 't').await;
    let screen = n.screen();
    assert!(
        screen.contains("preview (ctrl-t)") && !screen.contains("body (markdown)") && screen.contains("bold text"),
        "{screen}"
    );
}

/// A driver whose editor keeps its autosave in `dir`.
async fn editor_with_autosave(db: &Db, dir: &std::path::Path, id: Option<i64>) -> Driver {
    let settings =
        staffroom::ui::app::Settings { autosave_dir: Some(dir.to_path_buf()), ..staffroom::ui::driver::settings() };
    let mut d = Driver::with_settings(db.clone(), 100, 30, settings);
    d.login("sami@test.example", PASSWORD).await;
    d.app.toasts.clear();
    let effects = match id {
        None => d.app.open(ScreenId::Editor),
        // As Enter on the posts list does.
        Some(id) => {
            let effects = d.app.open(ScreenId::Record("posts"));
            d.run(effects).await;
            d.settle().await;
            let at = match d.app.screen() {
                Some(Screen::Record(r)) => r.rows.iter().position(|row| row.id == id).expect("listed"),
                _ => panic!("posts"),
            };
            for _ in 0..at {
                d.press(KeyCode::Down).await;
            }
            d.press(KeyCode::Enter).await;
            Vec::new()
        }
    };
    d.run(effects).await;
    d.settle().await;
    d
}

crate::on_both!(unsaved_text_survives_a_dropped_session_and_is_offered_back, |t: TestDb| async move {
    let sami = login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    let dir = crate::common::temp_path("autosave");
    // A new post typed and never saved; the session ends without a goodbye.
    {
        let mut d = editor_with_autosave(&t.db, &dir, None).await;
        d.type_text("Lost and found").await;
        d.press(KeyCode::Enter).await;
        d.type_text("every word counts").await;
        d.tick().await;
        d.tick().await;
        d.press(KeyCode::End).await;
    }
    let mut d = editor_with_autosave(&t.db, &dir, None).await;
    let question = match d.app.popups.last() {
        Some(staffroom::ui::app::Popup::Confirm { question, .. }) => question.clone(),
        _ => String::new(),
    };
    assert!(
        question.contains("Unsaved text of \"Lost and found\"") && question.contains("(3 words)"),
        "{}",
        d.screen()
    );
    d.press(KeyCode::Char('y')).await;
    assert_eq!(editor_text(&d), ("Lost and found".to_string(), "every word counts".to_string()));
    ctrl(&mut d, 's').await;
    assert!(!dir.join("new.md").exists(), "a saved post's autosave is removed");
    // An existing post: the kept edit is offered over the stored text.
    let p = posts::save(
        &t.db,
        &sami,
        None,
        PostDraft {
            title: "Kept".into(),
            excerpt: None,
            content: "stored".into(),
            post_type: PostType::Article,
            publish_at: None,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    {
        let mut d = editor_with_autosave(&t.db, &dir, Some(p.row.id)).await;
        d.type_text("my edit, ").await;
        d.tick().await;
        d.tick().await;
        d.press(KeyCode::Home).await;
    }
    let mut d = editor_with_autosave(&t.db, &dir, Some(p.row.id)).await;
    assert!(d.screen().contains("Unsaved text of \"Kept\""), "{}", d.screen());
    d.press(KeyCode::Char('n')).await;
    assert_eq!(editor_text(&d).1, "stored", "n keeps the stored text");
    let _ = std::fs::remove_dir_all(&dir);
});

crate::on_both!(the_details_form_sets_excerpt_type_and_publish_time, |t: TestDb| async move {
    login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    let mut d = open(&t.db, "sami@test.example", ScreenId::Editor).await;
    d.type_text("Scheduled one").await;
    d.press(KeyCode::Enter).await;
    d.type_text("body").await;
    ctrl(&mut d, 'f').await;
    assert!(d.screen().contains("Post details"), "{}", d.screen());
    // slug, then excerpt; category and tags; type; the links and SEO; publish at.
    d.press(KeyCode::Tab).await;
    d.type_text("A short summary").await;
    for _ in 0..3 {
        d.press(KeyCode::Tab).await;
    }
    d.press(KeyCode::Right).await;
    for _ in 0..5 {
        d.press(KeyCode::Tab).await;
    }
    d.type_text("2030-01-15 25:00").await;
    d.press(KeyCode::Enter).await;
    assert!(d.screen().contains("not a time of day"), "{}", d.screen());
    for _ in 0..5 {
        d.press(KeyCode::Backspace).await;
    }
    d.type_text("18:30").await;
    d.press(KeyCode::Enter).await;
    d.settle().await;
    let row: (Option<String>, String, Option<chrono::DateTime<chrono::Utc>>) = staffroom_core::with_db!(&t.db, p => sqlx::query_as("SELECT excerpt, post_type, publish_at FROM posts WHERE title = 'Scheduled one'").fetch_one(p).await.unwrap());
    assert_eq!(row.0.as_deref(), Some("A short summary"));
    assert_eq!(row.1, "session_summary", "the next type after article");
    assert_eq!(row.2.map(|t| t.to_rfc3339()), Some("2030-01-15T18:30:00+00:00".into()));
});

async fn category(db: &Db, name: &str) {
    let at = staffroom_core::store::now();
    let slug = staffroom::domain::slug::slugify(name);
    staffroom_core::with_db!(db, p => sqlx::query("INSERT INTO categories (name, slug, created_at, updated_at) VALUES ($1, $2, $3, $3)").bind(name).bind(&slug).bind(at).execute(p).await.unwrap().rows_affected());
}

async fn use_count(db: &Db, tag: &str) -> i64 {
    staffroom_core::store::content::tag_use_count(db, tag).await.unwrap()
}

crate::on_both!(details_save_slug_category_tags_links_and_seo, |t: TestDb| async move {
    let sami = login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    category(&t.db, "Frontend").await;
    let d = PostDraft {
        title: "Grid layouts".into(),
        content: "body".into(),
        slug: Some("css-grid".into()),
        category: Some("Frontend".into()),
        tags: vec!["css".into(), "Layout".into(), "CSS".into()],
        cover_image_url: Some("https://img.example/grid.png".into()),
        video_url: Some("https://video.example/grid".into()),
        seo_title: Some("CSS grid, the short way".into()),
        seo_description: Some("Rows, columns and gaps.".into()),
        ..Default::default()
    };
    let p = posts::save(&t.db, &sami, None, d).await.unwrap();
    assert_eq!(p.row.slug, "css-grid");
    assert_eq!(p.row.category.as_deref(), Some("Frontend"));
    assert_eq!(p.tags, vec!["Layout".to_string(), "css".to_string()], "the same tag twice is kept once");
    assert_eq!(p.row.cover_image_url.as_deref(), Some("https://img.example/grid.png"));
    assert_eq!(p.row.seo_title.as_deref(), Some("CSS grid, the short way"));
    assert_eq!((use_count(&t.db, "css").await, use_count(&t.db, "layout").await), (1, 1));
    // BR-15 on an edit: a tag dropped counts one fewer, a new one is created.
    let edit = PostDraft { tags: vec!["css".into(), "grid".into()], ..p.draft() };
    let p2 = posts::save(&t.db, &sami, Some((p.row.id, p.row.version)), edit).await.unwrap();
    assert_eq!(p2.tags, vec!["css".to_string(), "grid".to_string()]);
    assert_eq!((use_count(&t.db, "layout").await, use_count(&t.db, "grid").await), (0, 1));
    // BR-02: another post may not take the slug; the refusal names the post.
    let other =
        posts::save(&t.db, &sami, None, PostDraft { title: "Other".into(), ..Default::default() }).await.unwrap();
    let taken = PostDraft { slug: Some("css-grid".into()), ..other.draft() };
    let e = posts::save(&t.db, &sami, Some((other.row.id, other.row.version)), taken).await.unwrap_err();
    assert!(e.to_string().contains("\"css-grid\" is taken by the post \"Grid layouts\""), "{e}");
    // Bad values are refused, naming the field; nothing changes.
    for (bad, says) in [
        (PostDraft { slug: Some("Not A Slug".into()), ..other.draft() }, "slug"),
        (
            PostDraft { category: Some("Nope".into()), ..other.draft() },
            "no category is called \"Nope\"; there are: Frontend",
        ),
        (PostDraft { cover_image_url: Some("javascript:alert(1)".into()), ..other.draft() }, "https://"),
        (PostDraft { tags: vec!["x".repeat(61)], ..other.draft() }, "at most 60 characters"),
        (PostDraft { tags: (0..21).map(|i| format!("t{i}")).collect(), ..other.draft() }, "at most 20 tags"),
    ] {
        let e = posts::save(&t.db, &sami, Some((other.row.id, other.row.version)), bad).await.unwrap_err();
        assert!(e.to_string().contains(says), "{e}");
    }
    assert_eq!(posts::get(&t.db, other.row.id).await.unwrap().row.version, other.row.version);
    let tags: i64 = staffroom_core::with_db!(&t.db, p => sqlx::query_scalar("SELECT COUNT(*) FROM tags").fetch_one(p).await.unwrap());
    assert_eq!(tags, 3, "a refused save creates no tag");
});

crate::on_both!(the_details_form_sets_the_fields_from_the_keyboard, |t: TestDb| async move {
    let sami = login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    category(&t.db, "Backend").await;
    let p =
        posts::save(&t.db, &sami, None, PostDraft { title: "Tokio".into(), content: "x".into(), ..Default::default() })
            .await
            .unwrap();
    let mut d = open(&t.db, "sami@test.example", ScreenId::Record("posts")).await;
    d.press(KeyCode::Enter).await;
    d.settle().await;
    ctrl(&mut d, 'f').await;
    assert!(d.screen().contains("Post details"), "{}", d.screen());
    // slug (first), excerpt, category (a choice), tags.
    for _ in 0..10 {
        d.press(KeyCode::Backspace).await;
    }
    d.type_text("async-rust").await;
    d.press(KeyCode::Tab).await;
    d.press(KeyCode::Tab).await;
    d.press(KeyCode::Char(' ')).await;
    d.press(KeyCode::Tab).await;
    d.type_text("rust, async").await;
    ctrl(&mut d, 's').await;
    let b = posts::get(&t.db, p.row.id).await.unwrap();
    assert_eq!(b.row.slug, "async-rust", "{}", d.screen());
    assert_eq!(b.row.category.as_deref(), Some("Backend"));
    assert_eq!(b.tags, vec!["async".to_string(), "rust".to_string()]);
    assert_eq!(use_count(&t.db, "rust").await, 1);
    // Reopened, the form shows what was saved.
    ctrl(&mut d, 'f').await;
    let screen = d.screen();
    assert!(
        screen.contains("async-rust") && screen.contains("‹ Backend ›") && screen.contains("async, rust"),
        "{screen}"
    );
});

crate::on_both!(a_published_post_keeps_revisions_and_restores_one, |t: TestDb| async move {
    let sami = login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    let admin = actor(&t.db, "Amira Admin", Roles::ADMIN).await;
    let p = posts::save(
        &t.db,
        &sami,
        None,
        PostDraft { title: "Ownership".into(), content: "first\nbody".into(), ..Default::default() },
    )
    .await
    .unwrap();
    // A draft keeps no revisions.
    let p = posts::save(
        &t.db,
        &sami,
        Some((p.row.id, p.row.version)),
        PostDraft { content: "draft edit\nbody".into(), ..p.draft() },
    )
    .await
    .unwrap();
    assert!(posts::revisions(&t.db, p.row.id).await.unwrap().is_empty());
    let moved = staffroom_core::store::content::move_post(
        &t.db,
        &sami,
        p.row.id,
        p.row.version,
        staffroom::domain::post::PostStatus::Published,
        None,
    )
    .await
    .unwrap();
    let p = posts::get(&t.db, moved.id).await.unwrap();
    // Two saves of the published post keep the two bodies they replaced.
    let p = posts::save(
        &t.db,
        &admin,
        Some((p.row.id, p.row.version)),
        PostDraft { content: "published edit\nbody".into(), ..p.draft() },
    )
    .await
    .unwrap();
    // A save that changes neither title nor body keeps nothing.
    let p = posts::save(
        &t.db,
        &admin,
        Some((p.row.id, p.row.version)),
        PostDraft { excerpt: Some("short".into()), ..p.draft() },
    )
    .await
    .unwrap();
    assert_eq!(posts::revisions(&t.db, p.row.id).await.unwrap().len(), 1);
    let p = posts::save(
        &t.db,
        &sami,
        Some((p.row.id, p.row.version)),
        PostDraft { content: "latest\nbody".into(), ..p.draft() },
    )
    .await
    .unwrap();
    let revs = posts::revisions(&t.db, p.row.id).await.unwrap();
    assert_eq!(
        revs.iter().map(|r| r.content.as_str()).collect::<Vec<_>>(),
        vec!["published edit\nbody", "draft edit\nbody"]
    );
    assert_eq!((revs[1].written_by.as_str(), revs[1].replaced_by.as_str()), ("Sami Staff", "Amira Admin"));
    assert_eq!(revs[0].written_by, "Amira Admin");
    // From the list: R, pick the older one, its diff against now, y restores it.
    let mut d = open(&t.db, "sami@test.example", ScreenId::Record("posts")).await;
    d.press(KeyCode::Char('R')).await;
    d.settle().await;
    let screen = d.screen();
    assert!(screen.contains("Revisions of \"Ownership\"") && screen.contains("by Sami Staff"), "{screen}");
    d.press(KeyCode::Down).await;
    d.press(KeyCode::Enter).await;
    let screen = d.screen();
    assert!(
        screen.contains("- draft edit") && screen.contains("+ latest") && screen.contains("y restores"),
        "{screen}"
    );
    d.press(KeyCode::Char('y')).await;
    d.settle().await;
    assert!(d.screen().contains("is back as it was"), "{}", d.screen());
    let now = posts::get(&t.db, p.row.id).await.unwrap();
    assert_eq!((now.content.as_str(), now.row.status.as_str()), ("draft edit\nbody", "published"));
    // The restore is itself a revision, and audited as a restore.
    let revs = posts::revisions(&t.db, p.row.id).await.unwrap();
    assert_eq!(revs.len(), 3);
    assert_eq!(revs[0].content, "latest\nbody");
    let audited: i64 = staffroom_core::with_db!(&t.db, c => sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'restore' AND entity_type = 'post' AND entity_id = $1").bind(p.row.id).fetch_one(c).await.unwrap());
    assert_eq!(audited, 1);
    // A restore at a stale version is a conflict; nothing changes.
    let e = posts::restore(&t.db, &admin, p.row.id, p.row.version, revs[1].id).await.unwrap_err();
    assert!(matches!(e, staffroom_core::store::StoreError::Conflict { .. }), "{e}");
    assert_eq!(posts::get(&t.db, p.row.id).await.unwrap().content, "draft edit\nbody");
    // A revision of another post is not found.
    let other =
        posts::save(&t.db, &sami, None, PostDraft { title: "Other".into(), ..Default::default() }).await.unwrap();
    let e = posts::restore(&t.db, &admin, other.row.id, other.row.version, revs[1].id).await.unwrap_err();
    assert!(e.to_string().contains("revision"), "{e}");
});

crate::on_both!(ctrl_e_edits_the_body_in_the_users_own_editor, |t: TestDb| async move {
    let sami = login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    let p = posts::save(
        &t.db,
        &sami,
        None,
        PostDraft { title: "Vim users".into(), content: "line one\nline two".into(), ..Default::default() },
    )
    .await
    .unwrap();
    let mut d = open(&t.db, "sami@test.example", ScreenId::Record("posts")).await;
    d.press(KeyCode::Enter).await;
    d.settle().await;
    // An editor that fails changes nothing and says why.
    d.editor = Some("false".into());
    ctrl(&mut d, 'e').await;
    assert!(d.screen().contains("the text is as it was"), "{}", d.screen());
    assert_eq!(editor_text(&d).1, "line one\nline two");
    // One that edits: the text comes back unsaved; ctrl-s saves it.
    d.editor = Some("sed -i -e 's/two/2/' -e '$a line three'".into());
    ctrl(&mut d, 'e').await;
    assert_eq!(editor_text(&d).1, "line one\nline 2\nline three");
    assert!(d.screen().contains("· unsaved ·"), "{}", d.screen());
    ctrl(&mut d, 's').await;
    assert_eq!(posts::get(&t.db, p.row.id).await.unwrap().content, "line one\nline 2\nline three");
});

crate::on_both!(the_list_filters_by_type_tag_category_and_author, |t: TestDb| async move {
    let sami = login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    let mona = login_user(&t.db, "mona@test.example", "Mona Writer", Roles::STAFF).await;
    category(&t.db, "Front End").await;
    let mk = |title: &str, kind: PostType, tags: &[&str], cat: Option<&str>| PostDraft {
        title: title.into(),
        post_type: kind,
        tags: tags.iter().map(|t| t.to_string()).collect(),
        category: cat.map(str::to_string),
        ..Default::default()
    };
    posts::save(&t.db, &sami, None, mk("Flexbox basics", PostType::Tutorial, &["css"], Some("Front End")))
        .await
        .unwrap();
    posts::save(&t.db, &sami, None, mk("Grid deep dive", PostType::Article, &["css", "layout"], None)).await.unwrap();
    posts::save(&t.db, &mona, None, mk("Cohort 7 recap", PostType::SessionSummary, &[], None)).await.unwrap();
    let titles = |search: &'static str| {
        let db = t.db.clone();
        async move {
            let page = posts::page(&db, None, Some(search), None, 50).await.unwrap();
            let mut v: Vec<String> = page.rows.into_iter().map(|r| r.title).collect();
            v.sort();
            v
        }
    };
    assert_eq!(titles("type:tutorial").await, vec!["Flexbox basics"]);
    assert_eq!(titles("type:session_summary").await, vec!["Cohort 7 recap"]);
    assert_eq!(titles("tag:CSS").await, vec!["Flexbox basics", "Grid deep dive"]);
    assert_eq!(titles("tag:css grid").await, vec!["Grid deep dive"], "a filter and words together");
    assert_eq!(titles("category:front_end").await, vec!["Flexbox basics"]);
    assert_eq!(titles("author:mona").await, vec!["Cohort 7 recap"]);
    assert_eq!(titles("author:sami tag:layout").await, vec!["Grid deep dive"]);
    assert!(titles("tag:nothing").await.is_empty());
    assert_eq!(titles("50%_off type:").await, Vec::<String>::new(), "LIKE metacharacters match themselves");
    // Typed on the screen as a search.
    let mut d = open(&t.db, "sami@test.example", ScreenId::Record("posts")).await;
    d.press(KeyCode::Char('/')).await;
    d.type_text("tag:layout").await;
    d.settle().await;
    let screen = d.screen();
    assert!(screen.contains("Grid deep dive") && !screen.contains("Flexbox basics"), "{screen}");
});

crate::on_both!(ctrl_g_finds_text_in_the_body, |t: TestDb| async move {
    login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    let mut d = open(&t.db, "sami@test.example", ScreenId::Editor).await;
    d.type_text("Find me").await;
    d.press(KeyCode::Enter).await;
    d.type_text("alpha (1+1)").await;
    d.press(KeyCode::Enter).await;
    d.type_text("beta (1+1) gamma").await;
    d.press_key(KeyEvent::new(KeyCode::Home, KeyModifiers::CONTROL)).await;
    ctrl(&mut d, 'g').await;
    d.type_text("(1+1) g").await;
    assert!(d.screen().contains("find: (1+1) g"), "{}", d.screen());
    d.press(KeyCode::Enter).await;
    let cursor = match d.app.screen() {
        Some(Screen::Editor(e)) => e.body.cursor(),
        _ => panic!("not the editor"),
    };
    assert_eq!(cursor, (1, 5), "on the match in the second line: the pattern is taken literally");
    ctrl(&mut d, 'g').await;
    for _ in 0..7 {
        d.press(KeyCode::Backspace).await;
    }
    d.type_text("delta").await;
    d.press(KeyCode::Enter).await;
    assert!(d.screen().contains("\"delta\" is not in the body"), "{}", d.screen());
    // Enter again finds the next one; Esc closes the find line and typing goes to
    // the body again, at the last match.
    d.press(KeyCode::Esc).await;
    assert!(!d.screen().contains("find:"), "{}", d.screen());
    d.type_text("!").await;
    assert_eq!(editor_text(&d).1, "alpha (1+1)\nbeta !(1+1) gamma");
});

crate::on_both!(the_scheduler_publishes_through_the_gate_as_the_system, |t: TestDb| async move {
    use staffroom::backend::{Backend, Reply, Request};
    use staffroom::backend::{OfficeRequest, PostReply, PostRequest};
    let sami = login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    let draft = PostDraft { title: "Due".into(), content: "x y".into(), ..Default::default() };
    let due = posts::save(&t.db, &sami, None, draft).await.unwrap();
    let past = staffroom_core::store::now() - chrono::Duration::minutes(5);
    staffroom_core::with_db!(&t.db, p => sqlx::query("UPDATE posts SET status = 'approved', publish_at = $2 WHERE id = $1").bind(due.row.id).bind(past).execute(p).await.unwrap().rows_affected());
    let backend = Backend::new(t.db.clone(), staffroom::ui::driver::backend_settings(), "local");
    // No session: the system actor passes the same gate row as a person would.
    let reply = backend.handle_as_system(Request::Posts(PostRequest::PublishDue)).await.unwrap();
    assert!(
        matches!(&reply, Reply::Posts(PostReply::PublishedDue(titles)) if titles == &vec!["Due".to_string()]),
        "{reply:?}"
    );
    let client: String = staffroom_core::with_db!(&t.db, p => sqlx::query_scalar("SELECT client FROM audit_log WHERE entity_type = 'post' AND action = 'publish'").fetch_one(p).await.unwrap());
    assert!(client.ends_with("scheduler"), "{client}");
    // What is not a job with a permission row is refused to the system.
    let today = staffroom_core::store::now().date_naive();
    let err = backend.handle_as_system(Request::Office(OfficeRequest::Dashboard { today })).await.unwrap_err();
    assert!(err.to_string().contains("not a job the system runs"), "{err}");
});
