//! Editing, merging, assigning and linking a lead: the store rules on both
//! backends, and the form, pick lists and links driven by keys.

use crate::common::{TestDb, team};
use crate::driver::Driver;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use staffroom::domain::lead::{Interest, LeadSource, LeadStatus, LeadType, MoveInput, NoteType};
use staffroom::domain::permissions::Roles;
use staffroom::ui::msg::Msg;
use staffroom::ui::screens::Screen;
use staffroom_core::store::leads::{self, LeadFields, NewLead};
use staffroom_core::store::users;
use staffroom_core::store::{Actor, Db, StoreError, audit};

async fn lead(db: &Db, by: &Actor, name: &str, email: Option<&str>, phone: Option<&str>) -> leads::Lead {
    let new = NewLead {
        full_name: name.into(),
        email: email.map(String::from),
        phone: phone.map(String::from),
        ..NewLead::default()
    };
    leads::create(db, by, new).await.unwrap()
}

crate::on_both!(editing_validates_contact_and_normalises_phone, |t: TestDb| async move {
    let team = team(&t.db).await;
    let l = lead(&t.db, &team.staff, "Sara Nabil", Some("sara@example.com"), None).await;
    let mut f = LeadFields::of(&l);

    // BR-05: removing every way to reach the lead is refused, and nothing changes.
    f.email = None;
    let err = leads::update_fields(&t.db, &team.staff, l.id, l.version, &f).await.unwrap_err();
    assert!(err.to_string().contains("at least one of email, phone or WhatsApp"), "{err}");
    f.email = Some("sara@@example".into());
    let err = leads::update_fields(&t.db, &team.staff, l.id, l.version, &f).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid { ref field, .. } if field == "email"), "{err}");
    assert_eq!(leads::get(&t.db, l.id).await.unwrap(), l);

    f.email = Some("Sara@Example.com".into());
    f.phone = Some("+٢٠ ١٠٠ ١٢٣-٤٥٦٧".into());
    f.lead_type = LeadType::Student;
    f.interested_in = Interest::Workshop;
    f.budget_range = Some("$500–1,000".into());
    let saved = leads::update_fields(&t.db, &team.staff, l.id, l.version, &f).await.unwrap();
    assert_eq!(saved.phone.as_deref(), Some("+201001234567"), "Arabic-Indic digits, spaces, dashes");
    assert_eq!(saved.email.as_deref(), Some("sara@example.com"));
    assert_eq!((saved.lead_type.as_str(), saved.budget_estimate), ("student", Some(750)));
    assert_eq!(saved.version, l.version + 1);
    let rows = audit::for_entity(&t.db, "lead", l.id).await.unwrap();
    let row = rows.iter().find(|r| r.action == "update").expect("an update row");
    let new = row.new_values.as_deref().unwrap();
    assert!(new.contains("+201001234567") && !new.contains("Sara Nabil"), "only changed fields: {new}");

    // Someone else's edit in between: a conflict naming them, nothing written.
    let err = leads::update_fields(&t.db, &team.admin, l.id, l.version, &f).await.unwrap_err();
    assert!(err.to_string().contains("Sami Staff"), "{err}");
    // Viewers read, they do not edit.
    let err = leads::update_fields(&t.db, &team.viewer, l.id, saved.version, &f).await.unwrap_err();
    assert!(matches!(err, StoreError::Refused { .. }), "{err}");
});

crate::on_both!(merging_keeps_the_older_lead_with_all_notes, |t: TestDb| async move {
    let team = team(&t.db).await;
    let old = lead(&t.db, &team.staff, "Omar Tarek", None, Some("+201001234567")).await;
    let new = lead(&t.db, &team.staff, "Omar T.", Some("omar@example.com"), Some("+20 100 123 4567")).await;
    leads::add_note(&t.db, &team.staff, old.id, NoteType::Call, "first call").await.unwrap();
    leads::add_note(&t.db, &team.staff, new.id, NoteType::Email, "sent the brochure").await.unwrap();
    let new = leads::get(&t.db, new.id).await.unwrap();
    let old = leads::get(&t.db, old.id).await.unwrap();

    // A stale version of either lead is a conflict, and nothing moves.
    let err = leads::merge(&t.db, &team.staff, (new.id, new.version - 1), (old.id, old.version)).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert_eq!(leads::notes(&t.db, new.id).await.unwrap().len(), 1);
    let err = leads::merge(&t.db, &team.viewer, (new.id, new.version), (old.id, old.version)).await.unwrap_err();
    assert!(matches!(err, StoreError::Refused { .. }), "{err}");

    // Whichever is named first, the older lead is kept.
    let kept = leads::merge(&t.db, &team.staff, (new.id, new.version), (old.id, old.version)).await.unwrap();
    assert_eq!((kept.id, kept.full_name.as_str()), (old.id, "Omar Tarek"));
    assert_eq!(kept.email.as_deref(), Some("omar@example.com"), "a missing detail is taken from the other");
    let notes: Vec<String> = leads::notes(&t.db, old.id).await.unwrap().into_iter().map(|n| n.note).collect();
    assert_eq!(notes, vec!["first call", "sent the brochure"]);
    // Soft delete: the merged-away lead is kept with its fields, off the board.
    assert_eq!(leads::get(&t.db, new.id).await.unwrap().full_name, "Omar T.");
    assert_eq!(staffroom_core::store::board::count_by_status(&t.db).await.unwrap()[0].1, 1);
    // The audit log records both sides.
    let kept_rows = audit::for_entity(&t.db, "lead", old.id).await.unwrap();
    assert!(kept_rows.iter().any(|r| r.action == "merge" && r.summary.contains(&format!("#{}", new.id))));
    let gone_rows = audit::for_entity(&t.db, "lead", new.id).await.unwrap();
    let merged = gone_rows.iter().find(|r| r.action == "merge").expect("a merge row on the merged lead");
    assert!(merged.new_values.as_deref().unwrap().contains(&format!("\"merged_into\":{}", old.id)), "{merged:?}");
    assert!(matches!(audit::verify(&t.db, &mut |_| {}).await.unwrap(), audit::Verdict::Intact { .. }));
    // A merged-away lead is no longer a duplicate candidate: one open lead remains.
    assert_eq!(leads::find_duplicates(&t.db, Some("omar@example.com"), None).await.unwrap().len(), 1);
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
    crate::common::actor(&t.db, "Karim Colleague", staffroom::domain::permissions::Roles::STAFF).await;
    (t, sara)
}

async fn open_board(db: &Db) -> Driver {
    crate::driver::logged_in_on(db, "sara@academy.org", 160, 40, staffroom::ui::screens::ScreenId::Pipeline).await
}

fn lead_on_screen(d: &Driver) -> Option<leads::Lead> {
    match d.app.screen() {
        Some(Screen::Lead(s)) => s.detail.as_ref().map(|x| x.lead.clone()),
        _ => None,
    }
}

#[tokio::test]
async fn a_new_lead_matching_an_open_one_warns_and_can_be_merged() {
    let (t, sara) = staff_db().await;
    let existing = lead(&t.db, &sara, "Hossam Adel", None, Some("+201001234567")).await;
    let mut d = open_board(&t.db).await;
    d.shift('N').await;
    assert!(d.screen().contains("New lead"));
    d.type_text("Hossam A.").await;
    d.press(KeyCode::Enter).await;
    assert!(d.screen().contains("at least one of email, phone or WhatsApp"), "{}", d.screen());
    // The cursor went to email; Tab to phone, typed the local way.
    d.press(KeyCode::Tab).await;
    d.type_text("+20 100 123 4567").await;
    d.press(KeyCode::Enter).await;
    let s = d.screen();
    assert!(s.contains("Possible duplicate") && s.contains(&format!("#{} Hossam Adel", existing.id)), "{s}");
    assert_eq!(
        staffroom_core::store::board::count_by_status(&t.db).await.unwrap()[0].1,
        1,
        "nothing created while warning"
    );
    // Esc goes back to the form with everything typed.
    d.press(KeyCode::Esc).await;
    assert!(d.screen().contains("Hossam A."));
    d.press(KeyCode::Enter).await;
    // Line 2: merge into the existing lead.
    d.press(KeyCode::Char('2')).await;
    let shown = lead_on_screen(&d).unwrap_or_else(|| panic!("the kept lead opens: {}", d.screen()));
    assert_eq!(shown.id, existing.id);
    assert_eq!(
        staffroom_core::store::board::count_by_status(&t.db).await.unwrap()[0].1,
        1,
        "created and merged into the older one"
    );
    let rows = audit::for_entity(&t.db, "lead", existing.id).await.unwrap();
    assert!(rows.iter().any(|r| r.action == "merge"));
}

#[tokio::test]
async fn create_anyway_makes_a_second_lead() {
    let (t, sara) = staff_db().await;
    lead(&t.db, &sara, "Hossam Adel", Some("h@example.com"), None).await;
    let mut d = open_board(&t.db).await;
    d.shift('N').await;
    d.type_text("Hossam Two").await;
    d.press(KeyCode::Tab).await;
    d.type_text("H@Example.com").await;
    d.press(KeyCode::Enter).await;
    assert!(d.screen().contains("Possible duplicate"));
    d.press(KeyCode::Char('3')).await;
    assert_eq!(lead_on_screen(&d).map(|l| l.full_name), Some("Hossam Two".to_string()));
    assert_eq!(staffroom_core::store::board::count_by_status(&t.db).await.unwrap()[0].1, 2);
}

#[tokio::test]
async fn e_edits_a_lead_keeping_what_was_typed_on_error() {
    let (t, sara) = staff_db().await;
    let l = lead(&t.db, &sara, "Mona Ibrahim", Some("mona@example.com"), None).await;
    let mut d = open_board(&t.db).await;
    d.press(KeyCode::Enter).await;
    d.press(KeyCode::Char('e')).await;
    assert!(d.screen().contains("Edit lead") && d.screen().contains("mona@example.com"));
    // Clear the email: the form refuses with the contact rule and stays open.
    d.press(KeyCode::Tab).await;
    d.app.update(Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
    d.press(KeyCode::Enter).await;
    assert!(d.screen().contains("at least one of email"), "{}", d.screen());
    // Someone else edits meanwhile: saving names them, and the form keeps the text.
    d.type_text("mona.new@example.com").await;
    let mut other = LeadFields::of(&l);
    other.full_name = "Mona I.".into();
    let admin = crate::common::actor(&t.db, "Amira Admin", staffroom::domain::permissions::Roles::ADMIN).await;
    leads::update_fields(&t.db, &admin, l.id, l.version, &other).await.unwrap();
    d.press(KeyCode::Enter).await;
    let s = d.screen();
    assert!(s.contains("Amira Admin") && s.contains("mona.new@example.com"), "{s}");
}

crate::on_both!(
    after_a_conflict_the_lead_form_keeps_the_typing_and_the_next_save_goes_over_theirs,
    |t: TestDb| async move {
        let sara = crate::common::login_user(&t.db, "sara@academy.org", "Sara Staff", Roles::STAFF).await;
        let admin = crate::common::actor(&t.db, "Amira Admin", Roles::ADMIN).await;
        let l = lead(&t.db, &sara, "Mona Ibrahim", Some("mona@example.com"), None).await;
        let mut d = open_board(&t.db).await;
        d.press(KeyCode::Enter).await;
        d.press(KeyCode::Char('e')).await;
        d.press(KeyCode::Tab).await;
        d.app.update(Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
        d.type_text("mona.new@example.com").await;
        // Amira saves the lead meanwhile; a change notice reloads the screen under the
        // form, which must not make the save go over hers unseen.
        let mut theirs = LeadFields::of(&l);
        theirs.full_name = "Mona I.".into();
        leads::update_fields(&t.db, &admin, l.id, l.version, &theirs).await.unwrap();
        d.send(Msg::Changed(staffroom::backend::changes::Notice { entity: None })).await;
        d.press_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)).await;
        let s = d.screen();
        assert!(s.contains("Amira Admin") && s.contains("ctrl-s again saves yours"), "named, and what now: {s}");
        assert!(s.contains("mona.new@example.com"), "the typing is kept: {s}");
        assert_eq!(leads::get(&t.db, l.id).await.unwrap().full_name, "Mona I.", "nothing overwritten yet");
        // The next save goes over theirs, knowingly.
        d.press_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)).await;
        let stored = leads::get(&t.db, l.id).await.unwrap();
        assert_eq!(stored.email.as_deref(), Some("mona.new@example.com"), "{}", d.screen());
        assert_eq!(stored.full_name, "Mona Ibrahim", "the form's name went over theirs");
        assert!(!d.screen().contains("Edit lead"), "the form closes once saved");
    }
);

#[tokio::test]
async fn a_assigns_from_a_list_and_w_copies_links() {
    let (t, sara) = staff_db().await;
    let l = lead(&t.db, &sara, "Emily Smith", Some("emily@example.com"), Some("+201001112233")).await;
    let mut d = open_board(&t.db).await;
    d.press(KeyCode::Enter).await;
    d.press(KeyCode::Char('a')).await;
    let s = d.screen();
    assert!(s.contains("Assign to") && s.contains("Karim Colleague") && s.contains("Sara Staff"), "{s}");
    // 1: unassigned, then by name: Karim, Sara.
    d.press(KeyCode::Char('2')).await;
    let karim = users::find_by_email(&t.db, "karim.colleague@test.example").await.unwrap().unwrap();
    assert_eq!(leads::get(&t.db, l.id).await.unwrap().assigned_to, Some(karim.id));

    d.press(KeyCode::Char('w')).await;
    let s = d.screen();
    assert!(s.contains("https://wa.me/201001112233") && s.contains("mailto:emily@example.com"), "{s}");
    d.press(KeyCode::Enter).await;
    assert_eq!(d.copied, vec!["https://wa.me/201001112233".to_string()]);
}

#[tokio::test]
async fn a_pick_list_filters_as_you_type_and_picks_the_line_shown() {
    let (t, sara) = staff_db().await;
    let l = lead(&t.db, &sara, "Emily Smith", Some("emily@example.com"), None).await;
    let karim = users::find_by_email(&t.db, "karim.colleague@test.example").await.unwrap().unwrap();
    let mut d = open_board(&t.db).await;
    d.press(KeyCode::Enter).await;
    d.press(KeyCode::Char('a')).await;
    // Letters type (j and q too, which once moved and closed): only Karim matches.
    d.type_text("kj").await;
    let s = d.screen();
    assert!(s.contains("filter: kj") && s.contains("no line matches"), "{s}");
    d.press(KeyCode::Backspace).await;
    d.type_text("col").await;
    let s = d.screen();
    assert!(s.contains("filter: kcol") && s.contains("Karim Colleague"), "{s}");
    // Sara Staff stays in the header (the one logged in), not in the list.
    assert!(s.matches("Sara Staff").count() == 1 && !s.contains("— unassigned"), "only matching lines: {s}");
    // The first line shown is the list's second: Enter assigns Karim, not "unassigned".
    d.press(KeyCode::Enter).await;
    assert_eq!(leads::get(&t.db, l.id).await.unwrap().assigned_to, Some(karim.id));
    // Esc first clears the filter (every line is back), a second Esc closes.
    d.press(KeyCode::Char('a')).await;
    d.type_text("sa").await;
    let s = d.screen();
    // Karim now shows once, as the assignee; the list has only Sara.
    assert!(s.matches("Sara Staff").count() == 2 && s.matches("Karim Colleague").count() == 1, "{s}");
    d.press(KeyCode::Esc).await;
    let s = d.screen();
    assert!(s.contains("Assign to") && s.matches("Karim Colleague").count() == 2 && !s.contains("filter:"), "{s}");
    d.press(KeyCode::Esc).await;
    assert!(!d.screen().contains("Assign to"), "{}", d.screen());
}

#[tokio::test]
async fn merge_from_the_lead_view_lists_leads_with_the_same_contact() {
    let (t, sara) = staff_db().await;
    let a = lead(&t.db, &sara, "Old Record", Some("same@example.com"), None).await;
    let b = lead(&t.db, &sara, "New Record", Some("SAME@example.com"), None).await;
    leads::move_to(&t.db, &sara, b.id, b.version, LeadStatus::Contacted, &MoveInput::default()).await.unwrap();
    let _ = LeadSource::Other;
    let mut d = open_board(&t.db).await;
    // The newest card is first: New Record, in contacted; open it.
    let effects = d.app.update(Msg::Key(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::NONE)));
    d.run(effects).await;
    d.press(KeyCode::Enter).await;
    assert_eq!(lead_on_screen(&d).map(|l| l.id), Some(b.id));
    d.shift('M').await;
    assert!(d.screen().contains("Merge with") && d.screen().contains("Old Record"), "{}", d.screen());
    d.press(KeyCode::Enter).await;
    // The lead on screen was merged away: the view follows the kept, older lead.
    assert_eq!(lead_on_screen(&d).map(|l| l.id), Some(a.id));
    let board =
        staffroom_core::store::board::load(&t.db, &staffroom_core::store::lead_filter::Scope::all(), 10).await.unwrap();
    assert!(board.iter().all(|c| c.cards.iter().all(|k| k.lead.id != b.id)), "off the board, kept in the table");
    assert!(leads::get(&t.db, b.id).await.is_ok());
}

/// The budget of the bug report: each number saturated the estimate, stored as -1.
const ABSURD_BUDGET: &str = "9999999999999999999-9999999999999999999";

crate::on_both!(absurd_budgets_are_refused_with_a_message, |t: TestDb| async move {
    let team = team(&t.db).await;
    let new = NewLead {
        full_name: "Eve Budget".into(),
        email: Some("eve@example.com".into()),
        budget_range: Some(ABSURD_BUDGET.into()),
        ..NewLead::default()
    };
    let err = leads::create(&t.db, &team.staff, new).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid { ref field, .. } if field == "budget"), "{err:?}");
    assert!(err.to_string().contains("maximum budget of 1,000,000,000,000"), "{err}");
    assert_eq!(staffroom_core::store::board::count_by_status(&t.db).await.unwrap().iter().map(|c| c.1).sum::<i64>(), 0);

    // The edit form refuses it before sending (the same validation), and so does the store.
    let l = lead(&t.db, &team.staff, "Sara Nabil", Some("sara@example.com"), None).await;
    let mut f = LeadFields::of(&l);
    f.budget_range = Some(ABSURD_BUDGET.into());
    let err = f.validated().unwrap_err();
    assert!(matches!(err, StoreError::Invalid { ref field, .. } if field == "budget"), "{err:?}");
    let err = leads::update_fields(&t.db, &team.staff, l.id, l.version, &f).await.unwrap_err();
    assert!(err.to_string().contains("maximum budget"), "{err}");
    assert_eq!(leads::get(&t.db, l.id).await.unwrap(), l, "nothing changed");

    // The budget asked when a lead moves to proposal_sent is checked too.
    let plain = MoveInput::default();
    let l = leads::move_to(&t.db, &team.staff, l.id, l.version, LeadStatus::Contacted, &plain).await.unwrap();
    let l = leads::move_to(&t.db, &team.staff, l.id, l.version, LeadStatus::Qualified, &plain).await.unwrap();
    let absurd = MoveInput { budget_range: Some(ABSURD_BUDGET.into()), ..MoveInput::default() };
    let err = leads::move_to(&t.db, &team.staff, l.id, l.version, LeadStatus::ProposalSent, &absurd).await.unwrap_err();
    assert!(err.to_string().contains("maximum budget"), "{err}");

    // Up to the maximum is a budget; a negative one is refused (it was estimated as
    // its size), and a dash between numbers is still a range.
    f = LeadFields::of(&l);
    f.budget_range = Some("1,000,000,000,000".into());
    let saved = leads::update_fields(&t.db, &team.staff, l.id, l.version, &f).await.unwrap();
    assert_eq!(saved.budget_estimate, Some(1_000_000_000_000));
    f.budget_range = Some("-5000 (refund?)".into());
    let err = leads::update_fields(&t.db, &team.staff, l.id, saved.version, &f).await.unwrap_err();
    assert!(err.to_string().contains("cannot be negative"), "{err}");
    f.budget_range = Some("4000-6000".into());
    let saved = leads::update_fields(&t.db, &team.staff, l.id, saved.version, &f).await.unwrap();
    assert_eq!(saved.budget_estimate, Some(5000));
});

crate::on_both!(a_merge_never_removes_a_lead_changed_meanwhile, |t: TestDb| async move {
    let team = team(&t.db).await;
    let old = lead(&t.db, &team.staff, "Omar Tarek", None, Some("+201001234567")).await;
    let new = lead(&t.db, &team.staff, "Omar T.", Some("omar@example.com"), Some("+20 100 123 4567")).await;
    leads::add_note(&t.db, &team.staff, new.id, NoteType::Email, "sent the brochure").await.unwrap();
    // The versions the user saw when choosing to merge.
    let (new, old) = (leads::get(&t.db, new.id).await.unwrap(), leads::get(&t.db, old.id).await.unwrap());
    let audit_rows = audit::count(&t.db).await.unwrap();
    let mut edit = LeadFields::of(&new);
    edit.message = Some("call after 6pm".into());
    let err = match &t.db {
        // SQLite runs one writer at a time (BEGIN IMMEDIATE): the colleague's edit lands
        // before the merge reads the versions.
        Db::Sqlite(_) => {
            leads::update_fields(&t.db, &team.admin, new.id, new.version, &edit).await.unwrap();
            leads::merge(&t.db, &team.staff, (new.id, new.version), (old.id, old.version)).await.unwrap_err()
        }
        // On PostgreSQL the edit can land between the merge's reads and its writes:
        // hold the newer lead's notes so the merge waits right after reading.
        Db::Postgres(p) => {
            let mut hold = p.begin().await.unwrap();
            sqlx::query("SELECT id FROM lead_notes WHERE lead_id = $1 FOR UPDATE")
                .bind(new.id)
                .fetch_all(&mut *hold)
                .await
                .unwrap();
            let (db, staff) = (t.db.clone(), team.staff.clone());
            let (a, b) = ((new.id, new.version), (old.id, old.version));
            let merging = tokio::spawn(async move { leads::merge(&db, &staff, a, b).await });
            let mut waited = 0;
            loop {
                let waiting: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() \
                     AND wait_event_type = 'Lock'",
                )
                .fetch_one(p)
                .await
                .unwrap();
                if waiting > 0 {
                    break;
                }
                waited += 1;
                assert!(waited < 500, "the merge never waited for the held notes");
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
            leads::update_fields(&t.db, &team.admin, new.id, new.version, &edit).await.unwrap();
            hold.rollback().await.unwrap();
            merging.await.unwrap().unwrap_err()
        }
    };
    match &err {
        StoreError::Conflict { by, .. } => assert_eq!(by.as_deref(), Some("Amira Admin"), "{err}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    // Nothing of the merge happened: both leads, the note where it was, no merge rows.
    let edited = leads::get(&t.db, new.id).await.unwrap();
    assert_eq!(edited.message.as_deref(), Some("call after 6pm"));
    assert_eq!(leads::get(&t.db, old.id).await.unwrap(), old);
    assert_eq!(leads::notes(&t.db, new.id).await.unwrap().len(), 1);
    assert_eq!(audit::count(&t.db).await.unwrap(), audit_rows + 1, "only the colleague's edit");
});
