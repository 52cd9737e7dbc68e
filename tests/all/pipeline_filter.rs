//! Filtering the board: `/` search as you type, quick filters, the summed budget
//! in column headers, and the filter kept per user between runs.

use crate::common::{TestDb, team};
use crate::driver::Driver;
use crossterm::event::KeyCode;
use staffroom::domain::lead::{LeadSource, LeadStatus, MoveInput};
use staffroom::ui::screens::Screen;
use staffroom_core::store::lead_filter::{Assigned, LeadFilter, Scope};
use staffroom_core::store::leads::{self, NewLead};
use staffroom_core::store::{Actor, Db, audit, board, prefs};

async fn lead(db: &Db, by: &Actor, name: &str, phone: &str, assigned: Option<i64>) -> leads::Lead {
    let new = NewLead {
        full_name: name.into(),
        phone: Some(phone.into()),
        assigned_to: assigned,
        message: Some(format!("{name} asked about the 50% scholarship")),
        ..NewLead::default()
    };
    leads::create(db, by, new).await.unwrap()
}

fn ids(columns: &[board::Column]) -> Vec<i64> {
    let mut ids: Vec<i64> = columns.iter().flat_map(|c| c.cards.iter().map(|k| k.lead.id)).collect();
    ids.sort_unstable();
    ids
}

crate::on_both!(filters_narrow_the_board_and_its_counts, |t: TestDb| async move {
    let team = team(&t.db).await;
    let me = team.staff.user_id;
    let sara = lead(&t.db, &team.staff, "Sara Nabil", "+201001112233", me).await;
    let omar = lead(&t.db, &team.staff, "Omar Tarek", "+201004445566", None).await;
    let mona = lead(&t.db, &team.staff, "منى إبراهيم", "+201007778899", team.admin.user_id).await;
    let scope = |f: LeadFilter| Scope::new(f, me);
    let text = |s: &str| LeadFilter { text: s.into(), ..LeadFilter::default() };

    let all = board::load(&t.db, &Scope::all(), 10).await.unwrap();
    assert_eq!(ids(&all), vec![sara.id, omar.id, mona.id]);
    // Case-insensitive over the name; digits typed match normalised phones.
    assert_eq!(ids(&board::load(&t.db, &scope(text("SARA")), 10).await.unwrap()), vec![sara.id]);
    assert_eq!(ids(&board::load(&t.db, &scope(text("0100 444")), 10).await.unwrap()), vec![omar.id]);
    assert_eq!(ids(&board::load(&t.db, &scope(text("1004445")), 10).await.unwrap()), vec![omar.id]);
    assert_eq!(ids(&board::load(&t.db, &scope(text("إبراهيم")), 10).await.unwrap()), vec![mona.id]);
    // Every word must match; a typed % is a percent sign, not a wildcard.
    assert_eq!(ids(&board::load(&t.db, &scope(text("omar scholarship")), 10).await.unwrap()), vec![omar.id]);
    assert_eq!(ids(&board::load(&t.db, &scope(text("50%")), 10).await.unwrap()).len(), 3);
    assert_eq!(ids(&board::load(&t.db, &scope(text("5%0")), 10).await.unwrap()), Vec::<i64>::new());

    let mine = LeadFilter { assigned: Assigned::Me, ..LeadFilter::default() };
    assert_eq!(ids(&board::load(&t.db, &scope(mine), 10).await.unwrap()), vec![sara.id]);
    let unassigned = LeadFilter { assigned: Assigned::Unassigned, ..LeadFilter::default() };
    assert_eq!(ids(&board::load(&t.db, &scope(unassigned), 10).await.unwrap()), vec![omar.id]);
    let source = LeadFilter { source: Some(LeadSource::Whatsapp), ..LeadFilter::default() };
    assert_eq!(ids(&board::load(&t.db, &scope(source), 10).await.unwrap()), Vec::<i64>::new());
    // A search with another condition: both apply (the search's matches are found
    // once for all stages, the other conditions per row).
    let scholarship_mine =
        LeadFilter { text: "scholarship 50%".into(), assigned: Assigned::Me, ..LeadFilter::default() };
    assert_eq!(ids(&board::load(&t.db, &scope(scholarship_mine), 10).await.unwrap()), vec![sara.id]);
    let sara_unassigned = LeadFilter { text: "sara".into(), assigned: Assigned::Unassigned, ..LeadFilter::default() };
    assert_eq!(ids(&board::load(&t.db, &scope(sara_unassigned), 10).await.unwrap()), Vec::<i64>::new());

    // Overdue: open leads whose follow-up has passed.
    let past = staffroom_core::store::now() - chrono::Duration::days(2);
    leads::set_follow_up(&t.db, &team.staff, omar.id, omar.version, Some(past)).await.unwrap();
    let overdue = LeadFilter { overdue: true, ..LeadFilter::default() };
    let cols = board::load(&t.db, &scope(overdue.clone()), 10).await.unwrap();
    assert_eq!(ids(&cols), vec![omar.id]);
    assert_eq!(cols.iter().map(|c| c.count).sum::<i64>(), 1, "counts follow the filter");

    // Status filter (export --status) and created-since.
    let contacted = LeadFilter { statuses: vec![LeadStatus::Contacted], ..LeadFilter::default() };
    assert_eq!(ids(&board::load(&t.db, &scope(contacted), 10).await.unwrap()), Vec::<i64>::new());
    let future =
        LeadFilter { since: Some(staffroom_core::store::now() + chrono::Duration::days(1)), ..LeadFilter::default() };
    assert_eq!(ids(&board::load(&t.db, &scope(future), 10).await.unwrap()), Vec::<i64>::new());
    let week = LeadFilter { age_days: Some(7), ..LeadFilter::default() };
    assert_eq!(ids(&board::load(&t.db, &scope(week), 10).await.unwrap()).len(), 3);
});

crate::on_both!(column_headers_sum_the_budget_estimates, |t: TestDb| async move {
    let team = team(&t.db).await;
    let a = lead(&t.db, &team.staff, "A", "+201001110001", None).await;
    let b = lead(&t.db, &team.staff, "B", "+201001110002", None).await;
    for (l, budget) in [(a, "$1,000–3,000"), (b, "$3,000+")] {
        let mut v = l.version;
        for to in [LeadStatus::Contacted, LeadStatus::Qualified] {
            v = leads::move_to(&t.db, &team.staff, l.id, v, to, &MoveInput::default()).await.unwrap().version;
        }
        let input = MoveInput { budget_range: Some(budget.into()), ..MoveInput::default() };
        let moved = leads::move_to(&t.db, &team.staff, l.id, v, LeadStatus::ProposalSent, &input).await.unwrap();
        assert!(moved.budget_estimate.is_some());
    }
    let totals = board::totals_by_status(&t.db, &Scope::all()).await.unwrap();
    let proposal = totals.iter().find(|t| t.status == LeadStatus::ProposalSent).unwrap();
    assert_eq!((proposal.count, proposal.budget), (2, 2000 + 3000));
    assert_eq!(totals.iter().find(|t| t.status == LeadStatus::New).unwrap().budget, 0);
});

crate::on_both!(a_saved_filter_is_per_user_and_audited, |t: TestDb| async move {
    let team = team(&t.db).await;
    let f = LeadFilter { overdue: true, text: "sara".into(), ..LeadFilter::default() };
    let value = serde_json::to_value(&f).unwrap();
    prefs::set(&t.db, &team.staff, prefs::PIPELINE_FILTER, &value).await.unwrap();
    let back = prefs::get(&t.db, team.staff.user_id.unwrap(), prefs::PIPELINE_FILTER).await.unwrap();
    assert_eq!(back, Some(value.clone()));
    assert_eq!(prefs::get(&t.db, team.admin.user_id.unwrap(), prefs::PIPELINE_FILTER).await.unwrap(), None);
    let rows = audit::page(&t.db, None, 5).await.unwrap().rows;
    assert!(rows.iter().any(|r| r.entity_type == "user_preference" && r.summary.contains("pipeline.filter")));
    // Saving the same value again writes nothing.
    let before = audit::page(&t.db, None, 1).await.unwrap().rows[0].id;
    prefs::set(&t.db, &team.staff, prefs::PIPELINE_FILTER, &value).await.unwrap();
    assert_eq!(audit::page(&t.db, None, 1).await.unwrap().rows[0].id, before);
    assert!(matches!(audit::verify(&t.db, &mut |_| {}).await.unwrap(), audit::Verdict::Intact { .. }));
});

async fn staff_db() -> (TestDb, Actor) {
    let t = TestDb::sqlite().await;
    let sara = crate::common::login_user(
        &t.db,
        "sara@academy.org",
        "Sara Staff",
        staffroom::domain::permissions::Roles::STAFF,
    )
    .await;
    lead(&t.db, &sara, "Emily Smith", "+201001112233", sara.user_id).await;
    lead(&t.db, &sara, "Hossam Adel", "+201004445566", None).await;
    lead(&t.db, &sara, "سارة عبد الرحمن", "+201007778899", sara.user_id).await;
    (t, sara)
}

async fn open(db: &Db) -> Driver {
    crate::driver::logged_in_on(db, "sara@academy.org", 160, 40, staffroom::ui::screens::ScreenId::Pipeline).await
}

fn names(d: &Driver) -> Vec<String> {
    let Some(Screen::Pipeline(p)) = d.app.screen() else { panic!("not on the pipeline") };
    p.columns.iter().flat_map(|c| c.cards.iter().map(|k| k.lead.full_name.clone())).collect()
}

#[tokio::test]
async fn slash_filters_as_you_type_and_the_filter_survives_a_restart() {
    let (t, _) = staff_db().await;
    let mut d = open(&t.db).await;
    assert_eq!(names(&d).len(), 3);
    d.press(KeyCode::Char('/')).await;
    d.type_text("emi").await;
    assert_eq!(names(&d), vec!["Emily Smith"]);
    let s = d.screen();
    assert!(s.contains("/emi▏"), "the header shows what is typed:\n{s}");
    assert!(s.contains("New 1"), "{s}");
    // Keys go to the text while typing: `q` does not quit, `j` is a letter.
    d.type_text("q").await;
    assert!(!d.app.quit);
    assert!(names(&d).is_empty());
    assert!(d.screen().contains("none match"));
    d.press(KeyCode::Backspace).await;
    d.press(KeyCode::Enter).await;
    assert!(d.screen().contains("filter: \"emi\""), "{}", d.screen());

    // A new session of the same user opens with the filter in force.
    let mut d2 = open(&t.db).await;
    assert_eq!(names(&d2), vec!["Emily Smith"]);
    assert!(d2.screen().contains("filter: \"emi\""));

    // Esc while typing puts the previous text back.
    d2.press(KeyCode::Char('/')).await;
    d2.type_text("zzz").await;
    assert!(names(&d2).is_empty());
    d2.press(KeyCode::Esc).await;
    assert_eq!(names(&d2), vec!["Emily Smith"]);
}

#[tokio::test]
async fn quick_filter_keys_toggle_and_x_clears() {
    let (t, _) = staff_db().await;
    let mut d = open(&t.db).await;
    d.shift('U').await;
    assert_eq!(names(&d), vec!["Hossam Adel"]);
    assert!(d.screen().contains("filter: unassigned"));
    d.shift('M').await;
    let mut mine = names(&d);
    mine.sort();
    assert_eq!(mine, vec!["Emily Smith", "سارة عبد الرحمن"]);
    d.shift('O').await;
    assert!(names(&d).is_empty(), "none of mine is overdue");
    assert!(d.screen().contains("mine · overdue"));
    d.shift('X').await;
    assert_eq!(names(&d).len(), 3);
    assert!(!d.screen().contains("filter:"));
}

#[tokio::test]
async fn e_exports_exactly_what_the_filter_shows() {
    let (t, _) = staff_db().await;
    let mut d = open(&t.db).await;
    d.shift('M').await;
    let mut shown = names(&d);
    shown.sort();
    assert_eq!(shown.len(), 2);
    d.app.toasts.clear();
    d.shift('E').await;
    let toast = d.app.toasts.last().map(|t| t.text.clone()).unwrap_or_default();
    let path = toast.split(" to ").nth(1).unwrap_or_else(|| panic!("a toast naming the file: {toast}"));
    assert!(toast.starts_with("exported 2 leads"), "{toast}");
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = headers.iter().position(|h| h == "full_name").unwrap();
    let mut exported: Vec<String> = reader.records().map(|r| r.unwrap()[col].to_string()).collect();
    exported.sort();
    assert_eq!(exported, shown);
    std::fs::remove_file(path).unwrap();
    // Personal data leaving the system leaves a trace.
    let rows = staffroom_core::store::audit::page(&t.db, None, 1).await.unwrap().rows;
    assert!(rows[0].action == "export" && rows[0].summary.contains("exported 2 leads (mine)"), "{:?}", rows[0]);
}

#[tokio::test]
async fn help_shows_every_board_key_even_at_80x24() {
    let (t, _) = staff_db().await;
    let mut d = Driver::new(t.db.clone(), 80, 24);
    d.login("sara@academy.org", crate::common::PASSWORD).await;
    let effects = d.app.open(staffroom::ui::screens::ScreenId::Pipeline);
    d.run(effects).await;
    d.press(KeyCode::Char('?')).await;
    // One key a line, each description whole (wrapped, never cut); PgDn pages on.
    let mut s = d.screen();
    assert!(s.contains("j/k scroll"), "{s}");
    for _ in 0..10 {
        d.press(KeyCode::PageDown).await;
        s.push_str(&d.screen());
    }
    let mut in_help = false;
    for line in s.lines() {
        in_help = (in_help || line.starts_with("┌ keys")) && !line.starts_with('└');
        assert!(!(in_help && line.trim_end_matches('│').trim_end().ends_with('…')), "cut: {line}\n{s}");
    }
    for what in ["filter as you type", "export what", "clear the filter", "new lead", "quit", "suspend"] {
        assert!(s.contains(what), "help lists {what}:\n{s}");
    }
    // Any other key closes it.
    d.press(KeyCode::Char('x')).await;
    assert!(!d.screen().contains("j/k scroll"));
}

#[tokio::test]
async fn a_filter_that_empties_the_column_selects_the_first_match() {
    let (t, sara) = staff_db().await;
    let hossam = board::count_by_status(&t.db).await.unwrap();
    assert_eq!(hossam[0].1, 3);
    let all = board::page_by_status(&t.db, LeadStatus::New, None, 10).await.unwrap().rows;
    let h = all.iter().find(|l| l.full_name == "Hossam Adel").unwrap();
    leads::move_to(&t.db, &sara, h.id, h.version, LeadStatus::Contacted, &MoveInput::default()).await.unwrap();
    let mut d = open(&t.db).await;
    d.press(KeyCode::Char('/')).await;
    d.type_text("hossam").await;
    let Some(Screen::Pipeline(p)) = d.app.screen() else { panic!() };
    assert_eq!(p.selected().map(|c| c.lead.id), Some(h.id));
}

#[tokio::test]
async fn viewers_read_the_board_but_cannot_move_or_edit() {
    let (t, _) = staff_db().await;
    crate::common::login_user(&t.db, "vera@academy.org", "Vera Viewer", staffroom::domain::permissions::Roles::VIEWER)
        .await;
    let mut d = Driver::new(t.db.clone(), 160, 40);
    d.login("vera@academy.org", crate::common::PASSWORD).await;
    let effects = d.app.open(staffroom::ui::screens::ScreenId::Pipeline);
    d.run(effects).await;
    assert_eq!(names(&d).len(), 3, "viewers read the board");
    let before = board::count_by_status(&t.db).await.unwrap();
    d.shift('L').await;
    assert!(d.screen().contains("may not edit leads"), "{}", d.screen());
    let Some(Screen::Pipeline(p)) = d.app.screen() else { panic!() };
    assert_eq!(p.columns[0].cards.len(), 3, "nothing moved on screen either");
    assert_eq!(board::count_by_status(&t.db).await.unwrap(), before);
    d.press(KeyCode::Enter).await;
    d.press(KeyCode::Char('e')).await;
    assert!(!d.screen().contains("Edit lead"), "no form for a viewer");
}

crate::on_both!(search_follows_edits_and_deletes, |t: TestDb| async move {
    let team = team(&t.db).await;
    let a = lead(&t.db, &team.staff, "Karim Fawzy", "+201001112233", None).await;
    let b = lead(&t.db, &team.staff, "Karim Duplicate", "+20 100 111 2233", None).await;
    let find = |s: &str| {
        let db = t.db.clone();
        let f = LeadFilter { text: s.into(), ..LeadFilter::default() };
        async move { ids(&board::load(&db, &Scope::new(f, None), 10).await.unwrap()) }
    };
    assert_eq!(find("karim").await, vec![a.id, b.id]);
    let mut fields = leads::LeadFields::of(&a);
    fields.full_name = "Kareem Fawzy".into();
    fields.message = None;
    leads::update_fields(&t.db, &team.staff, a.id, a.version, &fields).await.unwrap();
    assert_eq!(find("karim").await, vec![b.id], "the old name is gone from the index");
    assert_eq!(find("kareem").await, vec![a.id]);
    let a = leads::get(&t.db, a.id).await.unwrap();
    leads::merge(&t.db, &team.staff, (a.id, a.version), (b.id, b.version)).await.unwrap();
    // The kept lead took the other's message; the merged-away lead itself is gone.
    assert_eq!(find("duplicate").await, vec![a.id]);
    assert_eq!(find("1112233").await, vec![a.id]);
    // Words under three letters are not searched (every lead shows).
    assert_eq!(find("ka").await, vec![a.id]);
});

crate::on_both!(a_search_pages_like_the_plain_board, |t: TestDb| async move {
    let team = team(&t.db).await;
    // 67 matches in New (more than FEW_MATCHES: SQLite walks the stage's index) and
    // 8 in Contacted (few: SQLite looks each one up); both must page alike.
    for i in 0..75 {
        let l = lead(&t.db, &team.staff, &format!("Zeinab {i}"), &format!("+2010099900{i:02}"), None).await;
        if i % 10 == 1 {
            leads::move_to(&t.db, &team.staff, l.id, l.version, LeadStatus::Contacted, &MoveInput::default())
                .await
                .unwrap();
        }
    }
    lead(&t.db, &team.staff, "Other Person", "+201007770000", None).await;
    let scope = Scope::new(LeadFilter { text: "zeinab".into(), ..LeadFilter::default() }, None);
    assert!(scope.filter.searches());
    let cols = board::load(&t.db, &scope, 2).await.unwrap();
    for col in &cols {
        // The one-pass search gives what the per-stage keyset query gives.
        let page = board::page_in_scope(&t.db, &scope, col.status, None, 2).await.unwrap();
        let want: Vec<i64> = page.rows.iter().map(|l| l.id).collect();
        assert_eq!(col.cards.iter().map(|c| c.lead.id).collect::<Vec<_>>(), want, "{}", col.status);
        assert_eq!(col.next, page.next, "{}", col.status);
    }
    let new = cols.iter().find(|c| c.status == LeadStatus::New).unwrap();
    assert_eq!((new.count, new.cards.len()), (67, 2));
    let contacted = cols.iter().find(|c| c.status == LeadStatus::Contacted).unwrap();
    assert_eq!((contacted.count, contacted.cards.len()), (8, 2));
    let rest = board::more(&t.db, &scope, LeadStatus::New, new.next.unwrap(), 10).await.unwrap();
    assert_eq!(rest.rows.len(), 10, "the next page continues the search");
    assert!(rest.rows.iter().all(|c| c.lead.full_name.starts_with("Zeinab")));
});

crate::on_both!(absurd_budgets_stored_before_the_fix_do_not_break_the_board, |t: TestDb| async move {
    let team = team(&t.db).await;
    let sane = leads::create(
        &t.db,
        &team.staff,
        NewLead {
            full_name: "Legacy Sane".into(),
            phone: Some("+201001110009".into()),
            budget_range: Some("5k".into()),
            ..NewLead::default()
        },
    )
    .await
    .unwrap();
    // What older versions stored: the saturated estimate of the bug report (twice, so
    // a SUM overflows a 64-bit integer) and the -1 it became after the midpoint.
    for (i, estimate) in [i64::MAX, i64::MAX, -1].iter().enumerate() {
        let sql = format!(
            "INSERT INTO leads (full_name, email, interested_in, budget_range, budget_estimate, created_at, updated_at) \
             VALUES ('Legacy {i}', 'legacy{i}@example.org', 'other', '9999999999999999999-9999999999999999999', \
             {estimate}, $1, $1)"
        );
        crate::common::exec_at(&t.db, &sql, staffroom_core::store::now()).await;
    }
    let new_column = |columns: &[board::Column]| {
        let c = columns.iter().find(|c| c.status == LeadStatus::New).unwrap();
        (c.count, c.budget)
    };
    let me = team.staff.user_id;
    for filter in [
        LeadFilter::default(),
        LeadFilter { text: "legacy".into(), ..LeadFilter::default() },
        LeadFilter { assigned: Assigned::Unassigned, ..LeadFilter::default() },
    ] {
        let columns = board::load(&t.db, &Scope::new(filter.clone(), me), 10).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(new_column(&columns), (4, 5000), "{filter:?}: out-of-range estimates are not summed");
    }
    // Migration 0008 clears such estimates (run again here: the rows came after it).
    let forget = "DELETE FROM _sqlx_migrations WHERE version = 8 AND $1 IS NOT NULL";
    assert_eq!(crate::common::exec_at(&t.db, forget, staffroom_core::store::now()).await, 1, "0008 exists");
    t.db.migrate().await.unwrap();
    let estimates: Vec<Option<i64>> = staffroom_core::with_db!(&t.db, p => {
        sqlx::query_scalar("SELECT budget_estimate FROM leads ORDER BY id").fetch_all(p).await.unwrap()
    });
    assert_eq!(estimates, vec![Some(5000), None, None, None]);
    assert_eq!(leads::get(&t.db, sane.id).await.unwrap().budget_estimate, Some(5000));
});

/// Saves `json` as the user's board filter straight into user_preferences, as an older
/// version, another tool or a hand edit could have left it.
async fn save_raw_filter(db: &Db, user_id: i64, json: &str) {
    let sql = format!(
        "INSERT INTO user_preferences (user_id, key, value, updated_at) VALUES ({user_id}, 'pipeline.filter', '{json}', $1) \
         ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value"
    );
    crate::common::exec_at(db, &sql, staffroom_core::store::now()).await;
}

crate::on_both!(an_out_of_range_saved_filter_never_panics_the_board, |t: TestDb| async move {
    let team = team(&t.db).await;
    let me = team.staff.user_id;
    let sara = lead(&t.db, &team.staff, "Sara Nabil", "+201001112233", me).await;
    // Any value a saved filter may hold: the board loads, it does not panic.
    for f in [
        LeadFilter { age_days: Some(4_000_000_000), ..LeadFilter::default() },
        LeadFilter { age_days: Some(u32::MAX), assigned: Assigned::User(i64::MIN), ..LeadFilter::default() },
        LeadFilter {
            age_days: Some(0),
            since: Some(chrono::DateTime::<chrono::Utc>::MIN_UTC),
            ..LeadFilter::default()
        },
        LeadFilter { since: Some(chrono::DateTime::<chrono::Utc>::MAX_UTC), ..LeadFilter::default() },
    ] {
        board::load(&t.db, &Scope::new(f.clone(), me), 10).await.unwrap_or_else(|e| panic!("{f:?}: {e}"));
        assert!(f.validate().is_err(), "{f:?} is out of range");
    }
    let huge = LeadFilter { age_days: Some(4_000_000_000), ..LeadFilter::default() };
    let columns = board::load(&t.db, &Scope::new(huge, me), 10).await.unwrap();
    assert_eq!(ids(&columns), vec![sara.id], "created within 4e9 days: every lead");

    // Loading the saved filter: unreadable or out of range falls back to none, saying why.
    let uid = me.unwrap();
    assert_eq!(prefs::load_pipeline_filter(&t.db, uid).await.unwrap(), (LeadFilter::default(), None));
    for (json, why) in [
        (r#"{"age_days": 4000000000}"#, "age_days"),
        (r#"{"age_days": -1}"#, "could not be read"),
        (r#"{"assigned": "nobody"}"#, "could not be read"),
        (r#""mine""#, "could not be read"),
        (r#"{"since": "0000-06-01T00:00:00Z"}"#, "since"),
    ] {
        save_raw_filter(&t.db, uid, json).await;
        let (filter, reason) = prefs::load_pipeline_filter(&t.db, uid).await.unwrap();
        assert_eq!(filter, LeadFilter::default(), "{json}");
        let reason = reason.unwrap_or_else(|| panic!("{json}: no reason given"));
        assert!(reason.contains(why), "{json}: {reason}");
    }
    let long = format!(r#"{{"text": "{}"}}"#, "a".repeat(10_000));
    save_raw_filter(&t.db, uid, &long).await;
    let (filter, reason) = prefs::load_pipeline_filter(&t.db, uid).await.unwrap();
    assert!(filter.is_empty() && reason.is_some_and(|r| r.contains("text")));
    // A sound saved filter loads as saved.
    save_raw_filter(&t.db, uid, r#"{"assigned": "me", "age_days": 30}"#).await;
    let (filter, reason) = prefs::load_pipeline_filter(&t.db, uid).await.unwrap();
    assert_eq!((filter.assigned, filter.age_days, reason), (Assigned::Me, Some(30), None));
});

#[tokio::test]
async fn opening_the_board_with_an_out_of_range_saved_filter_shows_every_lead() {
    let (t, sara) = staff_db().await;
    save_raw_filter(&t.db, sara.user_id.unwrap(), r#"{"age_days": 4000000000, "text": "emily"}"#).await;
    let d = open(&t.db).await;
    assert_eq!(names(&d).len(), 3, "the saved filter was dropped: {:?}", names(&d));
}

crate::on_both!(a_merged_lead_is_kept_hidden_and_its_history_reachable, |t: TestDb| async move {
    let team = team(&t.db).await;
    let older = lead(&t.db, &team.staff, "Karim Fawzy", "+201001112233", None).await;
    let newer = lead(&t.db, &team.staff, "Karim Again", "+20 100 111 2233", team.staff.user_id).await;
    let kept = leads::merge(&t.db, &team.staff, (older.id, older.version), (newer.id, newer.version)).await.unwrap();
    assert_eq!(kept.id, older.id);
    // Kept, marked merged into the older lead (a soft delete: no row is gone).
    let gone = leads::get(&t.db, newer.id).await.unwrap();
    assert_eq!(gone.full_name, "Karim Again");
    let into: Option<i64> = staffroom_core::with_db!(&t.db, p => {
        sqlx::query_scalar("SELECT merged_into_id FROM leads WHERE id = $1").bind(newer.id).fetch_one(p).await.unwrap()
    });
    assert_eq!(into, Some(older.id));
    // Hidden from the board, its counts, the duplicate check and the export.
    assert_eq!(ids(&board::load(&t.db, &Scope::all(), 10).await.unwrap()), vec![older.id]);
    assert_eq!(board::count_by_status(&t.db).await.unwrap()[0].1, 1);
    let dups = leads::duplicates_of(&t.db, None, Some("+201001112233"), None).await.unwrap();
    assert_eq!(dups.iter().map(|l| l.id).collect::<Vec<_>>(), vec![older.id]);
    let mut csv = Vec::new();
    let n = staffroom_core::store::lead_io::export(
        &t.db,
        &Scope::all(),
        staffroom_core::store::lead_io::Format::Csv,
        &mut csv,
    )
    .await
    .unwrap();
    assert_eq!(n, 1);
    // Its own history is still there, ending in the merge; merging it again is refused.
    let history = audit::for_entity(&t.db, "lead", newer.id).await.unwrap();
    assert_eq!(history.first().map(|r| r.action.as_str()), Some("create"));
    assert_eq!(history.last().map(|r| r.action.as_str()), Some("merge"), "{history:?}");
    let again = leads::merge(&t.db, &team.staff, (older.id, kept.version), (newer.id, gone.version)).await.unwrap_err();
    assert!(again.to_string().contains("was merged into"), "{again}");
});
