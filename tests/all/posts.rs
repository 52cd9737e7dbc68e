//! Posts and the editor: write, save, reopen the same text; a stale save names the
//! other writer and keeps the typing; leaving unsaved asks; status moves from the
//! list — on both backends.

use crate::common::{PASSWORD, TestDb, actor, login_user};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use staffroom::domain::permissions::Roles;
use staffroom::domain::post::PostType;
use staffroom::store::Db;
use staffroom::store::posts::{self, PostDraft};
use staffroom::ui::driver::Driver;
use staffroom::ui::screens::{Screen, ScreenId};

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
    let effects = d.app.open(ScreenId::Posts);
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
    let stored: String = staffroom::with_db!(&t.db, p => sqlx::query_scalar("SELECT content FROM posts WHERE title LIKE 'Flexbox%'").fetch_one(p).await.unwrap());
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
    };
    let p = posts::save(&t.db, &sami, None, draft("Grid", "first body")).await.unwrap();
    let mut d = open(&t.db, "sami@test.example", ScreenId::Posts).await;
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
    assert!(screen.contains("changed by Amira Admin") && error.ends_with("nothing was overwritten"), "{screen}");
    assert_eq!(editor_text(&d).1, "first body and mine", "the typing stays");
    let stored: String = staffroom::with_db!(&t.db, p => sqlx::query_scalar("SELECT content FROM posts WHERE title = 'Grid'").fetch_one(p).await.unwrap());
    assert_eq!(stored, "the admin's body");
});

crate::on_both!(status_moves_from_the_list_follow_the_flow, |t: TestDb| async move {
    let sami = login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    let d1 = PostDraft {
        title: "One".into(),
        excerpt: Some("short".into()),
        content: "a b c".into(),
        post_type: PostType::Tutorial,
        publish_at: None,
    };
    let p = posts::save(&t.db, &sami, None, d1).await.unwrap();
    assert_eq!(p.row.excerpt.as_deref(), Some("short"));
    let mut d = open(&t.db, "sami@test.example", ScreenId::Posts).await;
    let status = || {
        let db = t.db.clone();
        async move {
            let s: (String, Option<chrono::DateTime<chrono::Utc>>) = staffroom::with_db!(&db, p => sqlx::query_as("SELECT status, published_at FROM posts WHERE title = 'One'").fetch_one(p).await.unwrap());
            s
        }
    };
    // Staff publish a draft directly (BR-07: published_at set), audited as such.
    d.press(KeyCode::Char('p')).await;
    d.settle().await;
    let (s, at) = status().await;
    assert!(s == "published" && at.is_some(), "{s} {at:?}");
    let direct: i64 = staffroom::with_db!(&t.db, p => sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'post' AND summary LIKE '%directly, skipping review%'").fetch_one(p).await.unwrap());
    assert_eq!(direct, 1);
    d.press(KeyCode::Char('x')).await;
    d.settle().await;
    assert_eq!(status().await.0, "archived");
    // Archived → submit is refused naming the allowed moves; d goes back to draft.
    d.press(KeyCode::Char('s')).await;
    d.settle().await;
    assert!(d.screen().contains("cannot move from archived to pending; allowed from archived: d"), "{}", d.screen());
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
    };
    posts::save(&t.db, &sami, None, d1).await.unwrap();
    let mut d = open(&t.db, "vera@test.example", ScreenId::Posts).await;
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
    };
    let due = posts::save(&t.db, &sami, None, mk("Due")).await.unwrap();
    let later = posts::save(&t.db, &sami, None, mk("Later")).await.unwrap();
    let draft = posts::save(&t.db, &sami, None, mk("Still a draft")).await.unwrap();
    let now = staffroom::store::now();
    for (id, at, status) in [
        (due.row.id, now - chrono::Duration::minutes(5), "approved"),
        (later.row.id, now + chrono::Duration::days(1), "approved"),
        (draft.row.id, now - chrono::Duration::minutes(5), "draft"),
    ] {
        staffroom::with_db!(&t.db, p => sqlx::query("UPDATE posts SET status = $2, publish_at = $3 WHERE id = $1").bind(id).bind(status).bind(at).execute(p).await.unwrap().rows_affected());
    }
    let out = crate::cli::staffroom(&["publish-due", "--database-url", &t.url], &[]);
    assert_eq!(crate::cli::ok(&out).trim(), "published 1 post(s): \"Due\"");
    let status = |id: i64| {
        let db = t.db.clone();
        async move {
            let s: (String, Option<chrono::DateTime<chrono::Utc>>) = staffroom::with_db!(&db, p => sqlx::query_as("SELECT status, published_at FROM posts WHERE id = $1").bind(id).fetch_one(p).await.unwrap());
            s
        }
    };
    let (s, at) = status(due.row.id).await;
    assert!(s == "published" && at.is_some(), "BR-07: {s} {at:?}");
    assert_eq!(status(later.row.id).await.0, "approved", "not yet due");
    assert_eq!(status(draft.row.id).await.0, "draft", "only approved posts are scheduled");
    let by: String = staffroom::with_db!(&t.db, p => sqlx::query_scalar("SELECT client FROM audit_log WHERE entity_type = 'post' AND action = 'publish'").fetch_one(p).await.unwrap());
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
            let effects = d.app.open(ScreenId::Posts);
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
    d.type_text("A short summary").await;
    d.press(KeyCode::Tab).await;
    d.press(KeyCode::Right).await;
    d.press(KeyCode::Tab).await;
    d.type_text("2030-01-15 25:00").await;
    d.press(KeyCode::Enter).await;
    assert!(d.screen().contains("not a time of day"), "{}", d.screen());
    for _ in 0..5 {
        d.press(KeyCode::Backspace).await;
    }
    d.type_text("18:30").await;
    d.press(KeyCode::Enter).await;
    d.settle().await;
    let row: (Option<String>, String, Option<chrono::DateTime<chrono::Utc>>) = staffroom::with_db!(&t.db, p => sqlx::query_as("SELECT excerpt, post_type, publish_at FROM posts WHERE title = 'Scheduled one'").fetch_one(p).await.unwrap());
    assert_eq!(row.0.as_deref(), Some("A short summary"));
    assert_eq!(row.1, "session_summary", "the next type after article");
    assert_eq!(row.2.map(|t| t.to_rfc3339()), Some("2030-01-15T18:30:00+00:00".into()));
});
