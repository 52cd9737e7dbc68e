//! Lead import and export on both backends: bad rows reported by line and blocking
//! the import, header synonyms, duplicate warnings, audit rows, exports that hold
//! exactly what the board shows, CSV round trips, JSON, formula protection; and the
//! two commands as a script meets them.

use crate::cli::{assert_one_clear_line, ok, staffroom};
use crate::common::{TestDb, team, temp_path};
use chrono::{DateTime, Duration, Utc};
use staffroom::domain::lead::{LeadSource, LeadStatus, MoveInput};
use staffroom_core::store::audit::{self, Verdict};
use staffroom_core::store::lead_filter::{Assigned, LeadFilter, Scope};
use staffroom_core::store::lead_io::{self, EXPORT_COLUMNS, Format};
use staffroom_core::store::leads::{self, Lead, NewLead};
use staffroom_core::store::{Actor, Db, StoreError};
use std::collections::BTreeSet;

async fn lead_count(db: &Db) -> i64 {
    staffroom_core::store::board::count_by_status(db).await.unwrap().iter().map(|(_, n)| n).sum()
}

/// Every lead id the board shows for `scope`: each column paged to its end.
async fn board_ids(db: &Db, scope: &Scope) -> BTreeSet<i64> {
    let mut ids = BTreeSet::new();
    for &status in LeadStatus::ALL {
        let mut after = None;
        loop {
            let page = staffroom_core::store::board::page_in_scope(db, scope, status, after, 7).await.unwrap();
            ids.extend(page.rows.iter().map(|l| l.id));
            match page.next {
                Some(k) => after = Some(k),
                None => break,
            }
        }
    }
    ids
}

async fn export_json(db: &Db, scope: &Scope) -> (u64, Vec<serde_json::Value>) {
    let mut out = Vec::new();
    let n = lead_io::export(db, scope, Format::Json, &mut out).await.unwrap();
    let value: serde_json::Value = serde_json::from_slice(&out).expect("export is valid JSON");
    (n, value.as_array().expect("a JSON array").clone())
}

async fn export_csv(db: &Db, scope: &Scope) -> Vec<u8> {
    let mut out = Vec::new();
    lead_io::export(db, scope, Format::Csv, &mut out).await.unwrap();
    out
}

fn ids_of(rows: &[serde_json::Value]) -> BTreeSet<i64> {
    rows.iter().map(|r| r["id"].as_i64().unwrap()).collect()
}

/// Backdates a lead's creation (the store always writes `now()`).
async fn set_created_at(db: &Db, id: i64, at: DateTime<Utc>) {
    match db {
        Db::Sqlite(p) => {
            sqlx::query("UPDATE leads SET created_at = $1 WHERE id = $2").bind(at).bind(id).execute(p).await.unwrap();
        }
        Db::Postgres(p) => {
            sqlx::query("UPDATE leads SET created_at = $1 WHERE id = $2").bind(at).bind(id).execute(p).await.unwrap();
        }
    }
}

async fn create(db: &Db, actor: &Actor, name: &str, phone: &str, assigned_to: Option<i64>) -> Lead {
    leads::create(
        db,
        actor,
        NewLead { full_name: name.into(), phone: Some(phone.into()), assigned_to, ..NewLead::default() },
    )
    .await
    .unwrap()
}

const MIXED: &str = "name,email,phone,source,interest\n\
    Sara Ali,sara@example.org,,referral,mentorship\n\
    ,nobody@example.org,,,\n\
    No Contact,,,,\n\
    Bad Mail,sara(at)example.org,,,\n\
    Bad Phone,,12ab,,\n\
    Wrong Source,w@example.org,,tiktok,\n\
    Wrong Interest,i@example.org,,,yoga\n\
    Omar Tarek,,+20 100 123 4567,,\n";

crate::on_both!(dry_run_lists_bad_rows_by_line_and_reason_and_writes_nothing, |t: TestDb| async move {
    let audit_before = audit::count(&t.db).await.unwrap();
    let plan = lead_io::plan(&t.db, MIXED.as_bytes()).await.unwrap();
    let bad: Vec<(u64, String)> = plan.bad.iter().map(|b| (b.line, b.reason.clone())).collect();
    let expect = [
        (3, "name is empty"),
        (4, "BR-05"),
        (5, "bad email 'sara(at)example.org'"),
        (6, "bad phone '12ab'"),
        (7, "unknown source 'tiktok' (allowed: website_form, whatsapp"),
        (8, "unknown interest 'yoga' (allowed: mentorship, code_review"),
    ];
    assert_eq!(bad.len(), expect.len(), "{bad:?}");
    for ((line, reason), (want_line, want)) in bad.iter().zip(expect) {
        assert_eq!(*line, want_line, "{reason}");
        assert!(reason.starts_with(want), "line {line}: {reason} (wanted {want})");
    }
    assert_eq!(plan.rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![2, 9]);
    // A dry run is `plan`: nothing reached the database.
    assert_eq!(lead_count(&t.db).await, 0);
    assert_eq!(audit::count(&t.db).await.unwrap(), audit_before);
});

crate::on_both!(a_bad_row_blocks_the_import_unless_skip_bad, |t: TestDb| async move {
    let team = team(&t.db).await;
    let plan = lead_io::plan(&t.db, MIXED.as_bytes()).await.unwrap();
    let mut calls = 0;
    let err = lead_io::import(&t.db, &team.staff, &plan, false, |_| calls += 1).await.unwrap_err();
    assert!(matches!(err, StoreError::Refused { .. }), "{err:?}");
    assert!(err.to_string().contains("6 bad rows") && err.to_string().contains("line 3"), "{err}");
    assert_eq!((lead_count(&t.db).await, calls), (0, 0), "nothing imported");

    // Viewers may not import at all.
    let refused = lead_io::import(&t.db, &team.viewer, &plan, true, |_| {}).await.unwrap_err();
    assert!(matches!(refused, StoreError::Refused { .. }), "{refused:?}");
    assert_eq!(lead_count(&t.db).await, 0);

    let mut seen = Vec::new();
    let report = lead_io::import(&t.db, &team.staff, &plan, true, |n| seen.push(n)).await.unwrap();
    assert_eq!((report.imported, report.skipped, report.duplicates), (2, 6, 0));
    assert_eq!(seen, vec![1, 2], "progress counts rows written");
    let sara = leads::get(&t.db, report.ids[0]).await.unwrap();
    assert_eq!(
        (sara.full_name.as_str(), sara.source.as_str(), sara.interested_in.as_str()),
        ("Sara Ali", "referral", "mentorship")
    );
    let omar = leads::get(&t.db, report.ids[1]).await.unwrap();
    assert_eq!((omar.phone.as_deref(), omar.source.as_str()), (Some("+201001234567"), "import"));
    assert_eq!(lead_count(&t.db).await, 2);
});

crate::on_both!(header_synonyms_map_onto_lead_fields, |t: TestDb| async move {
    let team = team(&t.db).await;
    let file = "\u{feff}Full Name,E-Mail,Telephone,WhatsApp,Interested In,Notes,Budget,Urgency,Type,Favourite Colour\n\
                Mona Ibrahim,Mona@Example.ORG,0100 123 4567,+20 111 222 3333,Code Review,Met at the fair,10k-20k EGP,\
                This Month,student,blue\n";
    let plan = lead_io::read_import(file.as_bytes()).unwrap();
    assert_eq!(plan.ignored, vec!["Favourite Colour".to_string()]);
    assert_eq!(plan.mapping.len(), 9);
    assert!(plan.bad.is_empty(), "{:?}", plan.bad);
    let report = lead_io::import(&t.db, &team.staff, &plan, false, |_| {}).await.unwrap();
    let l = leads::get(&t.db, report.ids[0]).await.unwrap();
    assert_eq!(l.full_name, "Mona Ibrahim");
    assert_eq!(l.email.as_deref(), Some("mona@example.org"));
    assert_eq!(l.phone.as_deref(), Some("+201001234567"), "read in the office's region, stored in E.164");
    assert_eq!(l.whatsapp.as_deref(), Some("+201112223333"));
    assert_eq!(l.interested_in, "code_review");
    assert_eq!(l.message.as_deref(), Some("Met at the fair"));
    assert_eq!(l.budget_range.as_deref(), Some("10k-20k EGP"));
    assert_eq!(l.budget_estimate, Some(15_000), "estimate parsed from the range");
    assert_eq!(l.urgency.as_deref(), Some("this_month"));
    assert_eq!(l.lead_type, "student");
    assert_eq!(l.source, "import", "no source column: import");

    for (file, needle) in [
        ("id,status\n1,new\n", "none of the columns (id, status) is known"),
        ("email,phone\na@b.org,\n", "no name column"),
        ("name,full name\nA,B\n", "both give the name"),
    ] {
        let e = lead_io::read_import(file.as_bytes()).unwrap_err().to_string();
        assert!(e.contains(needle), "{e}");
    }
});

crate::on_both!(duplicates_against_open_leads_and_within_the_file_are_reported, |t: TestDb| async move {
    let team = team(&t.db).await;
    let open = leads::create(
        &t.db,
        &team.staff,
        NewLead { full_name: "Open One".into(), email: Some("open@example.org".into()), ..NewLead::default() },
    )
    .await
    .unwrap();
    let closed = create(&t.db, &team.staff, "Closed One", "+201009998877", None).await;
    let lost = MoveInput { lost_reason: Some("price".into()), ..MoveInput::default() };
    leads::move_to(&t.db, &team.staff, closed.id, closed.version, LeadStatus::ClosedLost, &lost).await.unwrap();

    let file = "name,email,phone,whatsapp\n\
                Same Open,OPEN@example.org,,\n\
                Same Closed,,00201009998877,\n\
                Twin A,,010 5555 4444,\n\
                Twin B,twinb@example.org,,01055554444\n\
                Unique,u@example.org,,\n";
    let plan = lead_io::plan(&t.db, file.as_bytes()).await.unwrap();
    let warnings: Vec<String> = plan.duplicates.iter().map(|d| d.to_string()).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].starts_with(&format!("line 2: possible duplicate of open lead #{} Open One", open.id)),
        "{warnings:?}"
    );
    assert!(warnings[1].starts_with("line 5: possible duplicate of line 4"), "{warnings:?}");
    // A closed lead is not a duplicate (docs/domain.md: "as an open lead").
    assert!(!warnings.iter().any(|w| w.contains("Closed One")), "{warnings:?}");
    assert!(plan.bad.is_empty());

    // Reported, not merged: every row becomes a lead.
    let report = lead_io::import(&t.db, &team.staff, &plan, false, |_| {}).await.unwrap();
    assert_eq!((report.imported, report.duplicates), (5, 2));
    assert_eq!(lead_count(&t.db).await, 7);
});

crate::on_both!(imported_leads_have_audit_rows_in_an_intact_chain, |t: TestDb| async move {
    let team = team(&t.db).await;
    let plan = lead_io::read_import("name,email\nA One,a1@example.org\nB Two,b2@example.org\n".as_bytes()).unwrap();
    let report = lead_io::import(&t.db, &team.staff, &plan, false, |_| {}).await.unwrap();
    for id in &report.ids {
        let rows = audit::for_entity(&t.db, "lead", *id).await.unwrap();
        assert_eq!(rows.len(), 1, "one audit row per imported lead");
        assert_eq!((rows[0].action.as_str(), rows[0].actor_id), ("create", team.staff.user_id));
    }
    assert!(matches!(audit::verify(&t.db, &mut |_| {}).await.unwrap(), Verdict::Intact { .. }));
});

crate::on_both!(export_holds_exactly_what_the_board_shows_for_the_same_scope, |t: TestDb| async move {
    let team = team(&t.db).await;
    let staff_id = team.staff.user_id.unwrap();
    let old = Utc::now() - Duration::days(40);
    let mut all = Vec::new();
    for i in 0..24 {
        let assignee = match i % 3 {
            0 => None,
            1 => Some(staff_id),
            _ => team.admin.user_id,
        };
        let name = if i % 4 == 0 { format!("Hossam {i}") } else { format!("Lead {i}") };
        let mut lead = create(&t.db, &team.admin, &name, &format!("+2010000{i:05}"), assignee).await;
        if i % 2 == 0 {
            lead =
                leads::move_to(&t.db, &team.admin, lead.id, lead.version, LeadStatus::Contacted, &MoveInput::default())
                    .await
                    .unwrap();
        }
        if i % 5 == 0 {
            set_created_at(&t.db, lead.id, old).await;
        }
        all.push(lead.id);
    }
    let since = Utc::now() - Duration::days(7);
    let filters = [
        LeadFilter::default(),
        LeadFilter { statuses: vec![LeadStatus::Contacted], ..LeadFilter::default() },
        LeadFilter { statuses: vec![LeadStatus::New, LeadStatus::ClosedWon], ..LeadFilter::default() },
        LeadFilter { assigned: Assigned::User(staff_id), ..LeadFilter::default() },
        LeadFilter { assigned: Assigned::Unassigned, ..LeadFilter::default() },
        LeadFilter { since: Some(since), ..LeadFilter::default() },
        LeadFilter { text: "hossam".into(), ..LeadFilter::default() },
        LeadFilter { source: Some(LeadSource::Referral), ..LeadFilter::default() },
        LeadFilter {
            text: "hossam".into(),
            statuses: vec![LeadStatus::Contacted],
            assigned: Assigned::Unassigned,
            since: Some(since),
            ..LeadFilter::default()
        },
    ];
    for filter in filters {
        let scope = Scope::new(filter.clone(), team.staff.user_id);
        let board = board_ids(&t.db, &scope).await;
        let (n, rows) = export_json(&t.db, &scope).await;
        assert_eq!(ids_of(&rows), board, "{filter:?}");
        assert_eq!(n as usize, board.len());
        // CSV holds the same rows.
        let csv = export_csv(&t.db, &scope).await;
        let mut r = csv::Reader::from_reader(csv.as_slice());
        let csv_ids: BTreeSet<i64> = r.records().map(|rec| rec.unwrap()[0].parse().unwrap()).collect();
        assert_eq!(csv_ids, board, "{filter:?}");
    }
    // The unfiltered export is every lead, in id order.
    let (_, rows) = export_json(&t.db, &Scope::all()).await;
    assert_eq!(rows.iter().map(|r| r["id"].as_i64().unwrap()).collect::<Vec<_>>(), all);
    let staff_rows =
        export_json(&t.db, &Scope::new(LeadFilter { assigned: Assigned::Me, ..LeadFilter::default() }, Some(staff_id)))
            .await
            .1;
    assert!(staff_rows.iter().all(|r| r["assigned_to_email"] == "sami.staff@test.example"), "{staff_rows:?}");
    assert_eq!(staff_rows.len(), 8);
});

crate::on_both!(csv_round_trips_through_import_and_json_is_valid, |t: TestDb| async move {
    let team = team(&t.db).await;
    let tricky = [
        ("=HYPERLINK(\"http://evil\",\"click\")", "+201001112223", "line one\nline two, with comma"),
        ("@Sara \"Quoted\" Ali", "-", "+cmd|' /C calc'!A0"),
        ("'Apostrophe", "", "-2+3"),
        ("سارة عبد الرحمن", "00201001112224", ""),
    ];
    for (i, (name, phone, message)) in tricky.iter().enumerate() {
        let phone = if phone.len() > 3 { Some(phone.to_string()) } else { None };
        leads::create(
            &t.db,
            &team.staff,
            NewLead {
                full_name: name.to_string(),
                email: Some(format!("rt{i}@example.org")),
                phone,
                message: (!message.is_empty()).then(|| message.to_string()),
                source: Some(LeadSource::Instagram),
                interested_in: Some("workshop".into()),
                budget_range: Some("5k".into()),
                ..NewLead::default()
            },
        )
        .await
        .unwrap();
    }
    let csv = export_csv(&t.db, &Scope::all()).await;

    // Formula protection: no cell a spreadsheet would run.
    let mut r = csv::Reader::from_reader(csv.as_slice());
    assert_eq!(r.headers().unwrap().iter().collect::<Vec<_>>(), EXPORT_COLUMNS.to_vec());
    let mut cells = 0;
    for rec in r.records() {
        for cell in rec.unwrap().iter() {
            cells += 1;
            assert!(!cell.starts_with(['=', '+', '-', '@']), "unprotected cell {cell:?}");
        }
    }
    assert_eq!(cells, 4 * EXPORT_COLUMNS.len());
    let text = String::from_utf8(csv.clone()).unwrap();
    assert!(text.contains("'=HYPERLINK") && text.contains("'+201001112223") && text.contains("'@Sara"), "{text}");

    // Round trip: the export imports back to the same fields.
    let plan = lead_io::plan(&t.db, csv.as_slice()).await.unwrap();
    assert!(plan.bad.is_empty(), "{:?}", plan.bad);
    assert_eq!(plan.duplicates.len(), 4, "each row matches the lead it came from");
    let report = lead_io::import(&t.db, &team.staff, &plan, false, |_| {}).await.unwrap();
    let (_, rows) = export_json(&t.db, &Scope::all()).await;
    assert_eq!(rows.len(), 8);
    let fields = ["full_name", "email", "phone", "whatsapp", "source", "interested_in", "budget_range", "message"];
    for (orig, copy) in rows[..4].iter().zip(&rows[4..]) {
        for f in fields {
            assert_eq!(orig[f], copy[f], "{f}");
        }
        assert_eq!(copy["status"], "new");
    }
    assert_eq!(rows[0]["full_name"], tricky[0].0, "JSON holds values unprotected");
    assert_eq!(report.imported, 4);

    // JSON: one array with every column as a key; an empty export is `[]`.
    for row in &rows {
        let keys: Vec<&str> = row.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), EXPORT_COLUMNS.len());
        assert!(EXPORT_COLUMNS.iter().all(|c| keys.contains(c)));
    }
    let none = Scope::new(LeadFilter { text: "no-such-lead".into(), ..LeadFilter::default() }, None);
    let (n, rows) = export_json(&t.db, &none).await;
    assert_eq!((n, rows.len()), (0, 0));
});

crate::on_both!(large_imports_and_exports_page_through_every_row, |t: TestDb| async move {
    let team = team(&t.db).await;
    let mut file = String::from("name,phone\n");
    for i in 0..2_050 {
        file.push_str(&format!("Bulk {i},+2012{i:08}\n"));
    }
    let plan = lead_io::read_import(file.as_bytes()).unwrap();
    let report = lead_io::import(&t.db, &team.staff, &plan, false, |_| {}).await.unwrap();
    assert_eq!(report.imported, 2_050);
    let (n, rows) = export_json(&t.db, &Scope::all()).await;
    assert_eq!(n, 2_050);
    assert_eq!(ids_of(&rows).len(), 2_050, "no row twice, none skipped across pages");
});

#[test]
fn cli_import_dry_run_then_skip_bad_then_export() {
    let db = temp_path("db");
    let url = format!("sqlite://{}", db.display());
    ok(&staffroom(&["migrate", "--database-url", &url], &[]));
    let file = temp_path("csv");
    std::fs::write(&file, "Name,E-mail\nSara,sara@example.org\n,nobody@example.org\nOmar,omar@example.org\n").unwrap();
    let f = file.to_str().unwrap();

    let dry = staffroom(&["--database-url", &url, "import", "leads", f, "--dry-run"], &[]);
    assert_one_clear_line(&dry, "1 bad row");
    assert_eq!(dry.status.code(), Some(4), "bad input rows exit 4");
    let out = String::from_utf8_lossy(&dry.stdout);
    assert!(out.contains("line 3: name is empty"), "{out}");
    assert!(out.contains("dry run: 2 leads would be imported, 1 bad row, 0 possible duplicates"), "{out}");

    let blocked = staffroom(&["--database-url", &url, "import", "leads", f], &[]);
    assert_one_clear_line(&blocked, "nothing imported");
    assert_eq!(blocked.status.code(), Some(4), "bad input rows exit 4");

    let done = ok(&staffroom(&["--database-url", &url, "import", "leads", f, "--skip-bad"], &[]));
    assert!(done.contains("imported 2 leads (1 skipped, 0 possible duplicates)"), "{done}");

    let json = temp_path("json");
    let j = json.to_str().unwrap();
    ok(&staffroom(&["--database-url", &url, "export", "leads", "--format", "json", "--status", "new", "-o", j], &[]));
    let value: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(value.as_array().unwrap().len(), 2);
    let csv = ok(&staffroom(&["--database-url", &url, "export", "leads", "--search", "omar"], &[]));
    assert_eq!(csv.lines().count(), 2, "header and Omar: {csv}");
    for p in [&db, &file, &json] {
        let _ = std::fs::remove_file(p);
    }
}

#[test]
fn cli_import_and_export_fail_with_one_clear_line() {
    let db = temp_path("db");
    let url = format!("sqlite://{}", db.display());
    let missing = temp_path("csv");
    let m = missing.to_str().unwrap();
    // Only init, migrate and demo create a database: the others need one.
    crate::cli::ok(&staffroom(&["--database-url", &url, "migrate"], &[]));
    assert_one_clear_line(&staffroom(&["--database-url", &url, "import", "leads", m], &[]), "cannot open");
    assert_one_clear_line(
        &staffroom(&["--database-url", &url, "export", "leads", "--since", "yesterday"], &[]),
        "--since: 'yesterday' is not a date",
    );
    assert_one_clear_line(
        &staffroom(&["--database-url", &url, "export", "leads", "--assigned", "ghost@example.org"], &[]),
        "no user has the email",
    );
    assert_one_clear_line(
        &staffroom(&["--database-url", &url, "export", "leads", "--status", "won"], &[]),
        "'won' is not a valid",
    );
    let _ = std::fs::remove_file(&db);
}

crate::on_both!(a_piped_export_is_byte_exact_even_with_hostile_text, |t: TestDb| async move {
    let team = team(&t.db).await;
    leads::create(
        &t.db,
        &team.staff,
        NewLead {
            full_name: crate::cli::HOSTILE.into(),
            email: Some("eve@example.org".into()),
            message: Some(format!("line one\nline two {}", crate::cli::HOSTILE)),
            ..NewLead::default()
        },
    )
    .await
    .unwrap();
    let csv = export_csv(&t.db, &Scope::all()).await;
    let mut json = Vec::new();
    lead_io::export(&t.db, &Scope::all(), Format::Json, &mut json).await.unwrap();
    assert!(String::from_utf8_lossy(&csv).contains(crate::cli::HOSTILE), "the CSV holds the name as stored");
    // Standard output is a pipe here: the bytes are the export's, untouched.
    let piped = staffroom(&["--database-url", &t.url, "export", "leads"], &[]);
    ok(&piped);
    assert_eq!(piped.stdout, csv);
    let piped = staffroom(&["--database-url", &t.url, "export", "leads", "--format", "json"], &[]);
    ok(&piped);
    assert_eq!(piped.stdout, json);
});

crate::on_both!(an_export_to_a_terminal_is_inert_and_to_a_pipe_byte_exact, |t: TestDb| async move {
    use clap::Parser;
    use staffroom::cli::out::Printer;
    let team = team(&t.db).await;
    let new =
        NewLead { full_name: crate::cli::HOSTILE.into(), email: Some("eve@example.org".into()), ..NewLead::default() };
    leads::create(&t.db, &team.staff, new).await.unwrap();
    let config = temp_path("toml");
    std::fs::write(&config, "").unwrap();
    let run = |sanitize: bool| {
        let args = ["staffroom", "--config", config.to_str().unwrap(), "--database-url", &t.url, "export", "leads"];
        let cli = staffroom::cli::Cli::try_parse_from(args).unwrap();
        async move {
            let mut out = Printer::new(Vec::new(), sanitize);
            staffroom::cli::commands::run_to(cli, &mut out).await.unwrap();
            out.into_inner()
        }
    };
    let shown = run(true).await;
    assert!(!crate::cli::drives_a_terminal(&shown), "{}", String::from_utf8_lossy(&shown));
    assert!(String::from_utf8_lossy(&shown).contains("Eve␛[2J␛]52;c;ZXZpbA==␇<RLO>gnp.exe"));
    assert_eq!(run(false).await, export_csv(&t.db, &Scope::all()).await);
    let _ = std::fs::remove_file(&config);
});

crate::on_both!(an_absurd_budget_is_a_bad_row_named_by_line, |t: TestDb| async move {
    let team = team(&t.db).await;
    let file =
        "name,email,budget\nSara,sara@example.org,5k\nEve,eve@example.org,9999999999999999999-9999999999999999999\n";
    let plan = lead_io::plan(&t.db, file.as_bytes()).await.unwrap();
    let bad: Vec<String> = plan.bad.iter().map(|b| b.to_string()).collect();
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(bad[0].starts_with("line 3: bad budget '9999999999999999999-9999999999999999999'"), "{bad:?}");
    assert!(bad[0].contains("1,000,000,000,000"), "the message names the maximum: {bad:?}");
    let err = lead_io::import(&t.db, &team.staff, &plan, false, |_| {}).await.unwrap_err();
    assert!(err.to_string().contains("line 3"), "{err}");
    assert_eq!(lead_count(&t.db).await, 0);
    let report = lead_io::import(&t.db, &team.staff, &plan, true, |_| {}).await.unwrap();
    assert_eq!((report.imported, report.skipped), (1, 1));
    assert_eq!(leads::get(&t.db, report.ids[0]).await.unwrap().budget_estimate, Some(5000));
});

crate::on_both!(an_export_never_drops_search_words_quietly, |t: TestDb| async move {
    let team = team(&t.db).await;
    for (i, name) in ["Fatma F1 Team", "Omar Tarek", "Sara Ali"].iter().enumerate() {
        create(&t.db, &team.staff, name, &format!("+2010000{i:05}"), None).await;
    }
    for (text, needle) in
        [("f1", "'f1'"), ("fatma f1 ab", "'f1', 'ab'"), ("one two three four five six", "at most 5 words")]
    {
        let scope = Scope::new(LeadFilter { text: text.into(), ..LeadFilter::default() }, None);
        let mut out = Vec::new();
        let err = lead_io::export(&t.db, &scope, Format::Csv, &mut out).await.unwrap_err();
        assert!(err.to_string().contains(needle), "{text}: {err}");
        assert!(out.is_empty(), "{text}: nothing written");
        let file = temp_path("csv");
        let err = lead_io::export_to_file(&t.db, &scope, Format::Csv, &file).await.unwrap_err();
        assert!(err.to_string().contains(needle), "{text}: {err}");
        assert!(!file.exists(), "{text}: no file");
    }
    // Words of 3 letters or more still export what the board shows.
    let scope = Scope::new(LeadFilter { text: "fatma".into(), ..LeadFilter::default() }, None);
    assert_eq!(export_json(&t.db, &scope).await.0, 1);
});

#[test]
fn cli_export_refuses_a_search_it_would_widen() {
    let db = temp_path("db");
    let url = format!("sqlite://{}", db.display());
    ok(&staffroom(&["migrate", "--database-url", &url], &[]));
    let out = staffroom(&["--database-url", &url, "export", "leads", "--search", "f1"], &[]);
    assert_one_clear_line(&out, "'f1'");
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    let file = temp_path("csv");
    let out = staffroom(
        &["--database-url", &url, "export", "leads", "--search", "sara xy", "--output", file.to_str().unwrap()],
        &[],
    );
    assert_one_clear_line(&out, "'xy'");
    assert!(!file.exists());
    let _ = std::fs::remove_file(&db);
}
