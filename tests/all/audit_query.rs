//! Reading the audit trail: who reads which rows (enforced in the query), filters,
//! keyset pages from either end, and `staffroom export audit` — on both backends.

use crate::attendance::class;
use crate::common::{TestDb, team};
use staffroom_core::store::audit::{self, Change};
use staffroom_core::store::audit_query::{self, AuditFilter, From, Scope};
use staffroom_core::store::{Actor, Db};

async fn write(db: &Db, who: &Actor, action: &str, entity: &str, id: i64, summary: &str) {
    let mut tx = db.begin().await.unwrap();
    audit::record(&mut tx, who, Change::new(action, entity, Some(id), summary)).await.unwrap();
    tx.commit().await.unwrap();
}

async fn summaries(db: &Db, scope: Scope, f: &AuditFilter) -> Vec<String> {
    let page = audit_query::page(db, scope, f, From::Newest, 500).await.unwrap();
    page.rows.into_iter().map(|r| r.summary).collect()
}

crate::on_both!(each_role_reads_only_its_rows_in_the_query, |t: TestDb| async move {
    let team = team(&t.db).await;
    let ines = team.instructor.user_id.unwrap();
    let mine = class(&t.db, Some(ines), &[], 1).await;
    let theirs = class(&t.db, None, &[], 1).await;
    write(&t.db, &team.admin, "update", "lead", 1, "admin edited a lead").await;
    write(&t.db, &team.admin, "update", "user", 7, "admin changed a user").await;
    write(&t.db, &team.staff, "update", "user_preference", 3, "staff saved a filter").await;
    write(&t.db, &team.admin, "update", "session", mine.today, "admin moved Ines's session").await;
    write(&t.db, &team.admin, "update", "session", theirs.today, "admin moved another session").await;
    write(&t.db, &team.admin, "update", "cohort", mine.cohort_id, "admin edited Ines's cohort").await;
    let all = AuditFilter::default();
    let admin = summaries(&t.db, Scope::of(&team.admin, false), &all).await;
    assert!(
        admin.iter().any(|s| s == "admin changed a user") && admin.iter().any(|s| s == "admin moved another session")
    );
    let staff = summaries(&t.db, Scope::of(&team.staff, false), &all).await;
    assert!(
        staff.contains(&"admin edited a lead".to_string()) && staff.contains(&"staff saved a filter".to_string()),
        "{staff:?}"
    );
    assert!(
        !staff.iter().any(|s| s.contains("user") && s.starts_with("admin")),
        "staff do not read user changes: {staff:?}"
    );
    assert!(!staff.iter().any(|s| s.contains("session")), "{staff:?}");
    let instructor = summaries(&t.db, Scope::of(&team.instructor, false), &all).await;
    assert!(
        instructor.contains(&"admin moved Ines's session".to_string())
            && instructor.contains(&"admin edited Ines's cohort".to_string()),
        "{instructor:?}"
    );
    assert!(!instructor.iter().any(|s| s.contains("another") || s.contains("lead")), "{instructor:?}");
    // Viewers: nothing, unless the config grants it.
    assert!(summaries(&t.db, Scope::of(&team.viewer, false), &all).await.is_empty());
    assert_eq!(Scope::of(&team.viewer, true), Scope::All);
    assert!(Scope::of(&team.viewer, false).refusal().unwrap().contains("audit.viewers_read"));
});

crate::on_both!(filters_combine_and_pages_walk_from_either_end, |t: TestDb| async move {
    let team = team(&t.db).await;
    for i in 0..30 {
        let who = if i % 2 == 0 { &team.admin } else { &team.staff };
        let action = if i % 3 == 0 { "publish" } else { "update" };
        write(&t.db, who, action, "post", 100 + i % 5, &format!("row {i} 50%_off")).await;
    }
    let scope = Scope::All;
    let by = |actor: &str| AuditFilter { actor: Some(actor.into()), ..AuditFilter::default() };
    assert_eq!(summaries(&t.db, scope, &by("sami.staff@test.example")).await.len(), 15, "by email");
    assert_eq!(summaries(&t.db, scope, &by("amira")).await.len(), 15, "by part of the name");
    let f = AuditFilter {
        action: Some("publish".into()),
        entity_type: Some("post".into()),
        entity_id: Some(100),
        ..AuditFilter::default()
    };
    // i ≡ 0 (mod 3) and i ≡ 0 (mod 5): 0, 15.
    assert_eq!(summaries(&t.db, scope, &f).await, vec!["row 15 50%_off", "row 0 50%_off"]);
    let text = AuditFilter { text: Some("%_".into()), ..AuditFilter::default() };
    assert_eq!(summaries(&t.db, scope, &text).await.len(), 30, "LIKE metacharacters match themselves");
    let none = AuditFilter { text: Some("row 1_".into()), ..AuditFilter::default() };
    assert!(summaries(&t.db, scope, &none).await.is_empty());
    // A substring in any case, served by the trigram index (SQLite: FTS5 fed by a
    // trigger on insert, so rows written now are found; quotes are literal).
    let sub = AuditFilter { text: Some("OW 2".into()), ..AuditFilter::default() };
    assert_eq!(
        summaries(&t.db, scope, &sub).await.len(),
        11,
        "row 2, 20-29: {:?}",
        summaries(&t.db, scope, &sub).await
    );
    write(&t.db, &team.admin, "update", "lead", 1, "said \"quoted\" Wonderful").await;
    let quoted = AuditFilter { text: Some("\"quoted\" wonder".into()), ..AuditFilter::default() };
    assert_eq!(summaries(&t.db, scope, &quoted).await, vec!["said \"quoted\" Wonderful"]);
    let short = AuditFilter { text: Some("9 ".into()), ..AuditFilter::default() };
    assert_eq!(summaries(&t.db, scope, &short).await.len(), 3, "two characters: rows 9, 19, 29");
    let future =
        AuditFilter { since: Some(staffroom_core::store::now() + chrono::Duration::days(1)), ..AuditFilter::default() };
    assert!(summaries(&t.db, scope, &future).await.is_empty());
    // Pages: newest first by 7, then from the oldest end, newer by 7; no gaps.
    let only = AuditFilter { entity_type: Some("post".into()), ..AuditFilter::default() };
    let mut seen = Vec::new();
    let mut from = From::Newest;
    loop {
        let p = audit_query::page(&t.db, scope, &only, from, 7).await.unwrap();
        seen.extend(p.rows.iter().map(|r| r.id));
        match p.next {
            Some(id) => from = From::Before(id),
            None => break,
        }
    }
    assert_eq!(seen.len(), 30);
    assert!(seen.windows(2).all(|w| w[0] > w[1]));
    let oldest = audit_query::page(&t.db, scope, &only, From::Oldest, 7).await.unwrap();
    assert_eq!(oldest.rows.last().map(|r| r.id), seen.last().copied(), "G: the oldest row at the bottom");
    assert!(oldest.rows.windows(2).all(|w| w[0].id > w[1].id), "read newest first like every page");
    let newer = audit_query::page(&t.db, scope, &only, From::After(oldest.next.unwrap()), 7).await.unwrap();
    assert_eq!(newer.rows.last().unwrap().id, oldest.rows[0].id + 1, "the next page up continues without a gap");
});

crate::on_both!(export_audit_writes_exactly_the_filtered_rows_and_is_audited, |t: TestDb| async move {
    let team = team(&t.db).await;
    write(&t.db, &team.staff, "update", "lead", 42, "edited lead 42 \u{1b}[2J").await;
    write(&t.db, &team.staff, "update", "lead", 43, "edited lead 43").await;
    write(&t.db, &team.admin, "publish", "post", 9, "published a post").await;
    let file = crate::common::temp_path("audit.csv");
    let out = crate::cli::staffroom(
        &[
            "export",
            "audit",
            "--entity",
            "lead:42",
            "--format",
            "csv",
            "--output",
            &file.display().to_string(),
            "--database-url",
            &t.url,
        ],
        &[],
    );
    crate::cli::ok(&out);
    let mut reader = csv::Reader::from_path(&file).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][6], "edited lead 42 \u{1b}[2J", "a file keeps the bytes as stored");
    // JSON lines to stdout (not a terminal here: byte-exact), by actor and since a day.
    let out = crate::cli::staffroom(
        &[
            "export",
            "audit",
            "--actor",
            "sami.staff@test.example",
            "--since",
            "2000-01-01",
            "--format",
            "json",
            "--database-url",
            &t.url,
        ],
        &[],
    );
    let text = crate::cli::ok(&out);
    let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["entity_id"], 42, "oldest first");
    // The export is audited with its filter and count.
    let last = audit_query::page(&t.db, Scope::All, &AuditFilter::default(), From::Newest, 1).await.unwrap();
    assert_eq!(last.rows[0].action, "export");
    assert!(last.rows[0].summary.contains("exported 2 audit rows"), "{}", last.rows[0].summary);
    // Bad filters: one clear line.
    let bad = crate::cli::staffroom(&["export", "audit", "--entity", "lead:x", "--database-url", &t.url], &[]);
    crate::cli::assert_one_clear_line(&bad, "TYPE:ID");
    let bad = crate::cli::staffroom(&["export", "audit", "--since", "2026-02-30", "--database-url", &t.url], &[]);
    crate::cli::assert_one_clear_line(&bad, "--since");
    let _ = std::fs::remove_file(&file);
});

async fn audit_screen(db: &Db, email: &str) -> staffroom::ui::driver::Driver {
    let mut d = staffroom::ui::driver::Driver::new(db.clone(), 110, 30);
    d.login(email, crate::common::PASSWORD).await;
    d.app.toasts.clear();
    let effects = d.app.open(staffroom::ui::screens::ScreenId::Audit);
    d.run(effects).await;
    d.settle().await;
    d
}

fn audit_rows(d: &staffroom::ui::driver::Driver) -> Vec<String> {
    match d.app.screen() {
        Some(staffroom::ui::screens::Screen::Audit(a)) => a.rows.iter().map(|r| r.summary.clone()).collect(),
        _ => panic!("not the audit screen"),
    }
}

crate::on_both!(the_viewer_filters_jumps_to_either_end_and_shows_the_changes, |t: TestDb| async move {
    use crate::common::login_user;
    use crossterm::event::KeyCode;
    use staffroom::domain::permissions::Roles;
    let admin = login_user(&t.db, "amira@test.example", "Amira Admin", Roles::ADMIN).await;
    let sami = login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    login_user(&t.db, "vera@test.example", "Vera Viewer", Roles::VIEWER).await;
    for i in 0..150 {
        write(&t.db, &sami, "update", "lead", 1000 + i, &format!("bulk row {i}")).await;
    }
    let mut tx = t.db.begin().await.unwrap();
    let change = Change::new("update", "post", Some(7), "edited post Grid").diff(
        &serde_json::json!({"id": 7, "title": "Grid", "content": "one\ntwo\nthree"}),
        &serde_json::json!({"id": 7, "title": "CSS Grid", "content": "one\n2\nthree"}),
    );
    audit::record(&mut tx, &admin, change).await.unwrap();
    tx.commit().await.unwrap();
    let mut d = audit_screen(&t.db, "amira@test.example").await;
    let screen = d.screen();
    assert!(
        screen.contains("showing everything") && screen.contains("edited post Grid") && screen.contains("Amira Admin"),
        "{screen}"
    );
    // Enter: the changed fields, short ones old → new, long ones as a diff (the
    // newest row is the admin's login).
    d.press(KeyCode::Down).await;
    d.press(KeyCode::Enter).await;
    let screen = d.screen();
    assert!(
        screen.contains("title: Grid → CSS Grid") && screen.contains("- two") && screen.contains("+ 2"),
        "{screen}"
    );
    d.press(KeyCode::Enter).await;
    // G: the oldest row of the whole log, at the bottom; up from the top of that
    // page reaches newer rows again.
    d.press(KeyCode::Char('G')).await;
    d.settle().await;
    let rows = audit_rows(&d);
    let oldest_first_row = rows.last().cloned().unwrap();
    assert!(d.screen().contains(&oldest_first_row), "{}", d.screen());
    let cursor = |d: &staffroom::ui::driver::Driver| match d.app.screen() {
        Some(staffroom::ui::screens::Screen::Audit(a)) => a.cursor,
        _ => 0,
    };
    assert_eq!(cursor(&d), rows.len() - 1);
    let before = audit_rows(&d).len();
    for _ in 0..(before + 1) {
        d.press(KeyCode::Up).await;
    }
    d.settle().await;
    assert!(audit_rows(&d).len() > before, "up past the top loads newer rows");
    // g: back to the newest.
    d.press(KeyCode::Char('g')).await;
    d.settle().await;
    assert_eq!(audit_rows(&d)[1], "edited post Grid");
    // f: a filter by who and a text; the header names it.
    d.press(KeyCode::Char('f')).await;
    d.type_text("sami@test.example").await;
    for _ in 0..6 {
        d.press(KeyCode::Tab).await;
    }
    d.type_text("row 14").await;
    d.press(KeyCode::Enter).await;
    d.settle().await;
    let rows = audit_rows(&d);
    assert_eq!(rows.len(), 11, "row 14 and 140-149: {rows:?}");
    assert!(d.screen().contains("by sami@test.example · \"row 14\""), "{}", d.screen());
    // H: the selected row's record, whole.
    d.press(KeyCode::Char('H')).await;
    d.settle().await;
    assert_eq!(audit_rows(&d).len(), 1);
    assert!(d.screen().contains("lead #1149"), "{}", d.screen());
    // F clears it.
    d.press(KeyCode::Char('F')).await;
    d.settle().await;
    assert!(d.screen().contains("showing everything"), "{}", d.screen());
    // A viewer without the config's grant is told so, and sees no row.
    let mut v = audit_screen(&t.db, "vera@test.example").await;
    assert!(v.screen().contains("viewers may not read the audit trail"), "{}", v.screen());
});

crate::on_both!(v_verifies_in_the_background_and_e_exports_the_filtered_rows, |t: TestDb| async move {
    use crate::common::login_user;
    use crossterm::event::KeyCode;
    use staffroom::domain::permissions::Roles;
    login_user(&t.db, "amira@test.example", "Amira Admin", Roles::ADMIN).await;
    let sami = login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    for i in 0..5 {
        write(&t.db, &sami, "update", "lead", 500 + i, &format!("export me {i}")).await;
    }
    let mut d = audit_screen(&t.db, "amira@test.example").await;
    d.press(KeyCode::Char('V')).await;
    d.settle().await;
    assert!(d.screen().contains("The audit chain is intact"), "{}", d.screen());
    d.press(KeyCode::Esc).await;
    // Filtered to Sami's rows, E writes exactly those.
    d.press(KeyCode::Char('f')).await;
    d.type_text("sami@test.example").await;
    d.press(KeyCode::Enter).await;
    d.settle().await;
    d.app.toasts.clear();
    d.press(KeyCode::Char('E')).await;
    d.settle().await;
    let said = d.app.toasts.iter().map(|t| t.text.clone()).collect::<Vec<_>>().join(" ");
    let path = said.split(" to ").nth(1).unwrap_or_default().trim().to_string();
    assert!(said.contains("exported 5 audit rows"), "{said}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(text.lines().count(), 6, "a header and Sami's five rows: {text}");
    assert!(text.contains("export me 4") && !text.contains("logged in"), "{text}");
    let _ = std::fs::remove_file(&path);
    // Tampered with, V names the row.
    staffroom_core::with_db!(&t.db, p => sqlx::query("UPDATE audit_log SET summary = 'nothing to see' WHERE id = 3").execute(p).await.unwrap().rows_affected());
    d.press(KeyCode::Char('V')).await;
    d.settle().await;
    assert!(d.screen().contains("BROKEN") && d.screen().contains("at row #3"), "{}", d.screen());
    // Staff: not offered V, and refused if it is sent anyway.
    let mut s = audit_screen(&t.db, "sami@test.example").await;
    s.press(KeyCode::Char('V')).await;
    s.settle().await;
    assert!(s.screen().contains("may not"), "{}", s.screen());
});

crate::on_both!(h_on_a_record_screen_opens_that_records_history, |t: TestDb| async move {
    use crate::common::login_user;
    use crossterm::event::KeyCode;
    use staffroom::domain::permissions::Roles;
    let sami = login_user(&t.db, "sami@test.example", "Sami Staff", Roles::STAFF).await;
    let p = staffroom_core::store::posts::save(
        &t.db,
        &sami,
        None,
        staffroom_core::store::posts::PostDraft { title: "Traced".into(), ..Default::default() },
    )
    .await
    .unwrap();
    staffroom_core::store::posts::save(
        &t.db,
        &sami,
        Some((p.row.id, p.row.version)),
        staffroom_core::store::posts::PostDraft { content: "edited".into(), ..p.draft() },
    )
    .await
    .unwrap();
    let mut d = staffroom::ui::driver::Driver::new(t.db.clone(), 110, 30);
    d.login("sami@test.example", crate::common::PASSWORD).await;
    let effects = d.app.open(staffroom::ui::screens::ScreenId::Record("posts"));
    d.run(effects).await;
    d.settle().await;
    d.press(KeyCode::Char('H')).await;
    d.settle().await;
    let screen = d.screen();
    assert!(screen.contains(&format!("post #{}", p.row.id)) && screen.contains("edited post Traced"), "{screen}");
    assert_eq!(audit_rows(&d), vec!["edited post Traced".to_string(), "created post Traced".to_string()]);
    // Esc goes back to the list.
    d.press(KeyCode::Esc).await;
    d.settle().await;
    assert!(d.screen().contains("Posts"), "{}", d.screen());
});

/// `V` with a progress bar: the worker reports how far verification has come before
/// its verdict, and the viewer draws the reports as a bar while it waits.
#[tokio::test]
async fn v_shows_how_far_verification_has_come() {
    use crossterm::event::KeyCode;
    use staffroom::backend::{AuditReply, AuditRequest, OfficeReply, OfficeRequest};
    use staffroom::backend::{Backend, Envelope, Event, Reply, Request};
    use staffroom::domain::permissions::Roles;
    use staffroom::ui::cmd::{Lane, Token};
    use staffroom::ui::msg::{Effect, Msg};
    let t = TestDb::sqlite().await;
    let amira = crate::common::login_user(&t.db, "amira@test.example", "Amira Admin", Roles::ADMIN).await;
    for i in 0..40 {
        write(&t.db, &amira, "update", "lead", i, &format!("row {i}")).await;
    }
    // The real worker: progress events (partial) first, then the verdict.
    let backend = std::sync::Arc::new(Backend::new(t.db.clone(), crate::driver::backend_settings(), "test"));
    let login = Request::Office(OfficeRequest::Login {
        email: "amira@test.example".into(),
        password: crate::common::PASSWORD.into(),
        terminal: "t".into(),
    });
    assert!(matches!(backend.handle(login).await.0, Ok(Reply::Office(OfficeReply::Login(Ok(_))))));
    let (tx, mut rx) = staffroom::backend::spawn(backend);
    tx.send(Envelope { req_id: 9, supersedes: None, request: Request::Audit(AuditRequest::VerifyAudit) }).unwrap();
    let mut events: Vec<Event> = Vec::new();
    while let Some(ev) = rx.recv().await {
        let last = !ev.partial;
        events.push(ev);
        if last {
            break;
        }
    }
    let head = audit::head(&t.db).await.unwrap().unwrap().0 as u64;
    let (last, reports) = events.split_last().unwrap();
    assert!(!reports.is_empty(), "at least one report before the verdict");
    for r in reports {
        assert!(r.partial && r.req_id == 9);
        assert!(matches!(r.result, Ok(Reply::Progress { done, total }) if total == head && done <= total), "{r:?}");
    }
    assert!(
        matches!(last.result, Ok(Reply::Audit(AuditReply::AuditVerified(audit::Verdict::Intact { .. })))),
        "{last:?}"
    );

    // The viewer: a report arriving while the verdict is awaited is drawn as a bar.
    let mut d = audit_screen(&t.db, "amira@test.example").await.late(7);
    d.press(KeyCode::Char('V')).await;
    let Effect::Send(cmd) = d.app.request(
        Token::Screen(staffroom::ui::screens::ScreenId::Audit, Lane::Write(0)),
        Request::Audit(AuditRequest::VerifyAudit),
    ) else {
        panic!("a request")
    };
    d.app.update(Msg::Backend(Box::new(Event {
        req_id: cmd.req_id,
        result: Ok(Reply::Progress { done: 61, total: 100 }),
        who: None,
        partial: true,
    })));
    let s = d.screen();
    assert!(s.contains("verifying the chain ▕██████░░░░▏ 61% (61 of 100)"), "{s}");
    d.settle().await;
    let s = d.screen();
    assert!(s.contains("The audit chain is intact") && !s.contains("61%"), "{s}");
}

crate::on_both!(the_audit_csv_guards_cells_a_spreadsheet_would_run, |t: TestDb| async move {
    let team = team(&t.db).await;
    write(&t.db, &team.staff, "check_in", "attendance", 7, "=HYPERLINK(\"http://evil\") checked in").await;
    write(&t.db, &team.staff, "update", "lead", 8, "+20 100 called back").await;
    let out = crate::cli::staffroom(&["export", "audit", "--format", "csv", "--database-url", &t.url], &[]);
    let text = crate::cli::ok(&out);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let summaries: Vec<String> = reader.records().map(|r| r.unwrap()[6].to_string()).collect();
    assert!(summaries.contains(&"'=HYPERLINK(\"http://evil\") checked in".to_string()), "{summaries:?}");
    assert!(summaries.contains(&"'+20 100 called back".to_string()), "{summaries:?}");
    assert!(summaries.iter().all(|s| !s.starts_with(['=', '+', '-', '@'])), "{summaries:?}");
});

crate::on_both!(esc_in_the_audit_viewer_closes_the_detail_before_leaving, |t: TestDb| async move {
    use crossterm::event::KeyCode;
    use staffroom::ui::screens::{Screen, ScreenId};
    let admin = staffroom::domain::permissions::Roles::ADMIN;
    crate::common::login_user(&t.db, "amira@test.example", "Amira Admin", admin).await;
    let mut d = audit_screen(&t.db, "amira@test.example").await;
    let detail = |d: &staffroom::ui::driver::Driver| match d.app.screen() {
        Some(Screen::Audit(a)) => Some(a.detail),
        _ => None,
    };
    d.press(KeyCode::Enter).await;
    assert_eq!(detail(&d), Some(true), "Enter opens the detail");
    d.press(KeyCode::Esc).await;
    assert_eq!(detail(&d), Some(false), "Esc closes the detail and stays: {}", d.screen());
    d.press(KeyCode::Esc).await;
    assert_eq!(d.app.screen().map(|s| s.id()), Some(ScreenId::Dashboard), "the next Esc leaves");
});

crate::on_both!(the_audit_header_names_the_whole_filter_at_80x24, |t: TestDb| async move {
    use staffroom::ui::screens::Screen;
    use staffroom_core::store::audit_query::AuditFilter;
    let admin = staffroom::domain::permissions::Roles::ADMIN;
    crate::common::login_user(&t.db, "amira@test.example", "Amira Admin", admin).await;
    let mut d = staffroom::ui::driver::Driver::new(t.db.clone(), 80, 24);
    d.login("amira@test.example", crate::common::PASSWORD).await;
    let effects = d.app.open(staffroom::ui::screens::ScreenId::Audit);
    d.run(effects).await;
    let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&chrono::Utc);
    if let Some(Screen::Audit(a)) = d.app.stack.last_mut() {
        a.filter = AuditFilter {
            actor: Some("amira@test.example".into()),
            action: Some("status_change".into()),
            entity_type: Some("lead".into()),
            entity_id: Some(4182),
            since: Some(at("2026-11-01T09:00:00Z")),
            until: Some(at("2026-12-01T18:00:00Z")),
            text: Some("scholarship".into()),
        };
    }
    let s = d.screen();
    let head: String = s.lines().skip(1).take(3).collect::<Vec<_>>().join(" ");
    let head = head.split_whitespace().collect::<Vec<_>>().join(" ");
    for part in ["by amira@test.example", "action status_change", "lead #4182", "until 2026-12-01 18:00", "scholarship"]
    {
        assert!(head.contains(part), "the header names {part}:\n{s}");
    }
    assert!(!head.contains('…'), "{s}");
});
