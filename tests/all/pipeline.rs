//! The pipeline board driven by keys: moves, prompts, refusals, conflicts, undo,
//! days in stage, and how the board looks with Arabic names.

use crate::common::{TestDb, team};
use crate::driver::Driver;
use chrono::Duration;
use crossterm::event::KeyCode;
use staffroom::domain::lead::{LeadStatus, MoveInput};
use staffroom::ui::msg::Msg;
use staffroom::ui::screens::Screen;
use staffroom_core::store::lead_filter::Scope;
use staffroom_core::store::leads::{self, NewLead};
use staffroom_core::store::users;
use staffroom_core::store::{Actor, Db, board};

/// A small, fixed pipeline: a few leads per stage, Arabic names included.
async fn board_db() -> (TestDb, Actor, Actor) {
    let t = TestDb::sqlite().await;
    let team = team(&t.db).await;
    crate::common::login_user(&t.db, "sara@academy.org", "Sara Staff", staffroom::domain::permissions::Roles::STAFF)
        .await;
    let names = ["Hossam Adel", "سارة عبد الرحمن", "Omar 🎓 Tarek", "منى إبراهيم", "Emily Smith"];
    for (i, name) in names.iter().enumerate() {
        let lead = leads::create(
            &t.db,
            &team.staff,
            NewLead {
                full_name: name.to_string(),
                phone: Some(format!("+2010000000{i:02}")),
                assigned_to: team.staff.user_id,
                ..NewLead::default()
            },
        )
        .await
        .unwrap();
        if i >= 3 {
            leads::move_to(&t.db, &team.staff, lead.id, lead.version, LeadStatus::Contacted, &MoveInput::default())
                .await
                .unwrap();
        }
    }
    (t, team.staff, team.admin)
}

async fn open_board(db: &Db, w: u16, h: u16) -> Driver {
    crate::driver::logged_in_on(db, "sara@academy.org", w, h, staffroom::ui::screens::ScreenId::Pipeline).await
}

fn board(d: &Driver) -> &staffroom::ui::screens::pipeline::PipelineScreen {
    match d.app.screen() {
        Some(Screen::Pipeline(p)) => p,
        _ => panic!("not on the pipeline"),
    }
}

fn stage_of(d: &Driver, name: &str) -> Option<LeadStatus> {
    board(d).columns.iter().find(|c| c.cards.iter().any(|k| k.lead.full_name == name)).map(|c| c.status)
}

#[tokio::test]
async fn l_moves_forward_h_moves_back_and_u_undoes() {
    let (t, _, _) = board_db().await;
    let mut d = open_board(&t.db, 160, 40).await;
    let name = board(&d).selected().unwrap().lead.full_name.clone();
    assert_eq!(stage_of(&d, &name), Some(LeadStatus::New));
    d.shift('L').await;
    assert_eq!(stage_of(&d, &name), Some(LeadStatus::Contacted));
    let id = board(&d).selected().unwrap().lead.id;
    assert_eq!(leads::get(&t.db, id).await.unwrap().stage(), LeadStatus::Contacted, "stored");
    d.shift('H').await;
    assert_eq!(stage_of(&d, &name), Some(LeadStatus::New));
    d.press(KeyCode::Char('u')).await;
    assert_eq!(stage_of(&d, &name), Some(LeadStatus::Contacted), "u undoes the last move (back to contacted)");
    // The database agrees with the board after a reload.
    let effects = d.app.update(Msg::Changed(staffroom::backend::changes::Notice { entity: None }));
    d.run(effects).await;
    assert_eq!(stage_of(&d, &name), Some(LeadStatus::Contacted));
}

#[tokio::test]
async fn closing_as_lost_without_a_reason_changes_nothing() {
    let (t, _, _) = board_db().await;
    let mut d = open_board(&t.db, 160, 40).await;
    let card = board(&d).selected().unwrap().lead.clone();
    d.press(KeyCode::Char('m')).await;
    let s = d.screen();
    assert!(s.contains("Move to…") && s.contains("contacted") && s.contains("closed_lost"), "{s}");
    assert!(!s.contains(" closed_won "), "only allowed targets are offered: {s}");
    d.press(KeyCode::Down).await;
    d.press(KeyCode::Enter).await;
    assert!(d.screen().contains("as lost — why?"));
    d.press(KeyCode::Enter).await;
    assert!(d.screen().contains("a lost reason is needed"), "an empty reason is refused in place");
    d.press(KeyCode::Esc).await;
    assert_eq!(stage_of(&d, &card.full_name), Some(LeadStatus::New), "Esc: nothing moved");
    assert_eq!(leads::get(&t.db, card.id).await.unwrap().version, card.version, "nothing written");
    // With a preset it closes, and the reason is stored.
    d.press(KeyCode::Char('m')).await;
    d.press(KeyCode::Down).await;
    d.press(KeyCode::Enter).await;
    d.type_text("2").await;
    d.press(KeyCode::Enter).await;
    let stored = leads::get(&t.db, card.id).await.unwrap();
    assert_eq!(stored.stage(), LeadStatus::ClosedLost);
    assert_eq!(stored.lost_reason.as_deref(), Some("timing"));
}

#[tokio::test]
async fn nurturing_asks_for_the_next_follow_up() {
    let (t, _, _) = board_db().await;
    let mut d = open_board(&t.db, 160, 40).await;
    d.press(KeyCode::Char('l')).await; // the contacted column
    let card = board(&d).selected().unwrap().lead.clone();
    assert_eq!(card.stage(), LeadStatus::Contacted);
    d.press(KeyCode::Char('m')).await;
    let targets: Vec<String> = match d.app.popups.last() {
        Some(staffroom::ui::app::Popup::Choose(c)) => c.items.iter().map(|(label, _)| label.clone()).collect(),
        _ => panic!("picker"),
    };
    let nurturing = targets.iter().position(|t| t == "nurturing").unwrap();
    for _ in 0..nurturing {
        d.press(KeyCode::Down).await;
    }
    d.press(KeyCode::Enter).await;
    assert!(d.screen().contains("next follow-up?"));
    d.type_text("yesterday").await;
    d.press(KeyCode::Enter).await;
    assert!(d.screen().contains("is not a date"));
    d.press(KeyCode::Esc).await;
    assert_eq!(leads::get(&t.db, card.id).await.unwrap().stage(), LeadStatus::Contacted);
    d.press(KeyCode::Char('m')).await;
    for _ in 0..nurturing {
        d.press(KeyCode::Down).await;
    }
    d.press(KeyCode::Enter).await;
    d.type_text("+3").await;
    d.press(KeyCode::Enter).await;
    let stored = leads::get(&t.db, card.id).await.unwrap();
    assert_eq!(stored.stage(), LeadStatus::Nurturing);
    let expected = (chrono::Utc::now().date_naive() + chrono::Duration::days(3)).to_string();
    assert_eq!(stored.next_follow_up_at.map(|t| t.date_naive().to_string()), Some(expected));
}

#[tokio::test]
async fn a_refused_move_rolls_back_and_says_what_is_allowed() {
    let (t, _, _) = board_db().await;
    let mut d = open_board(&t.db, 160, 40).await;
    let card = board(&d).selected().unwrap().lead.clone();
    d.shift('H').await; // new has no stage before it
    let s = d.screen();
    assert!(s.contains("no stage before new; allowed: contacted, closed_lost"), "{s}");
    assert_eq!(stage_of(&d, &card.full_name), Some(LeadStatus::New));
}

#[tokio::test]
async fn a_conflicting_move_rolls_back_naming_who_changed_the_lead() {
    let (t, _, admin) = board_db().await;
    let mut d = open_board(&t.db, 160, 40).await;
    let card = board(&d).selected().unwrap().lead.clone();
    // Someone else moves the same lead while the board is open.
    leads::move_to(&t.db, &admin, card.id, card.version, LeadStatus::Contacted, &MoveInput::default()).await.unwrap();
    d.shift('L').await;
    assert_eq!(stage_of(&d, &card.full_name), Some(LeadStatus::New), "rolled back on screen");
    let toast = d.app.toasts.last().map(|t| t.text.clone()).unwrap_or_default();
    assert!(toast.contains("changed by Amira Admin"), "{toast}");
    assert_eq!(leads::get(&t.db, card.id).await.unwrap().stage(), LeadStatus::Contacted, "their move stands");
}

#[tokio::test]
async fn days_in_stage_count_from_the_last_move() {
    let (t, staff, _) = board_db().await;
    let lead = leads::create(
        &t.db,
        &staff,
        NewLead { full_name: "Aged".into(), email: Some("aged@x.org".into()), ..NewLead::default() },
    )
    .await
    .unwrap();
    assert_eq!(lead.stage_since, Some(lead.created_at), "a new lead entered its stage when it was created");
    let moved = leads::move_to(&t.db, &staff, lead.id, lead.version, LeadStatus::Contacted, &MoveInput::default())
        .await
        .unwrap();
    assert_eq!(moved.stage_since, Some(moved.updated_at), "a move sets when the stage was entered");
    let cards = board::cards(&t.db, vec![moved.clone()]).await.unwrap();
    assert_eq!(cards[0].stage_since, moved.updated_at);
    // An edit that is not a move leaves it alone: backdate it 9 days, then assign.
    let nine_days_ago = staffroom_core::store::now() - chrono::Duration::days(9);
    staffroom_core::with_db!(&t.db, p => {
        sqlx::query("UPDATE leads SET stage_since = $1 WHERE id = $2").bind(nine_days_ago).bind(lead.id).execute(p).await.unwrap();
    });
    let assigned = leads::assign(&t.db, &staff, lead.id, moved.version, staff.user_id).await.unwrap();
    assert_eq!(assigned.stage_since, Some(nine_days_ago), "assigning is not a move");
    let mut d = open_board(&t.db, 160, 40).await;
    let s = d.screen();
    assert!(s.contains(" 9d*"), "9 days in contacted is past the 7-day rot limit: {s}");
}

#[tokio::test]
async fn demo_leads_have_sat_in_their_stages_for_days() {
    let t = TestDb::sqlite().await;
    staffroom::demo::ensure(&t.db, false).await.unwrap();
    let rot = staffroom::config::Config::defaults().unwrap().pipeline.rot_days;
    let now = staffroom_core::store::now();
    let columns = board::load(&t.db, &Scope::all(), 1000).await.unwrap();
    let mut open = Vec::new();
    for column in &columns {
        assert_eq!(column.cards.len() as i64, column.count, "every card of {} on one page", column.status);
        for card in &column.cards {
            let lead = &card.lead;
            assert!(lead.created_at <= card.stage_since && card.stage_since < now, "{}", lead.full_name);
            assert!(
                now - lead.created_at < Duration::days(125),
                "{} is older than the demo's ~120 days",
                lead.full_name
            );
            assert!(now - card.stage_since <= Duration::days(61), "{}", lead.full_name);
            assert_eq!(lead.updated_at, card.stage_since, "{}: updated when it last moved", lead.full_name);
            if column.status.is_open() {
                open.push(card);
            }
        }
    }
    let aged = open.iter().filter(|c| now - c.stage_since > Duration::days(1)).count();
    assert!(aged * 4 >= open.len() * 3, "{aged} of {} open leads in their stage for over a day", open.len());
    let rotting = open
        .iter()
        .filter(|c| rot.get(c.lead.status.as_str()).is_some_and(|limit| (now - c.stage_since).num_days() > *limit))
        .count();
    assert!(rotting >= 1 && rotting * 3 <= open.len(), "{rotting} of {} open leads rotting", open.len());
    let overdue = open.iter().filter(|c| c.lead.next_follow_up_at.is_some_and(|f| f < now)).count();
    let ahead = open.iter().filter(|c| c.lead.next_follow_up_at.is_some_and(|f| f > now)).count();
    assert!(overdue >= 1 && ahead >= 1, "{overdue} overdue and {ahead} future follow-ups");
    let verdict = staffroom_core::store::audit::verify(&t.db, &mut |_| {}).await.unwrap();
    assert!(matches!(verdict, staffroom_core::store::audit::Verdict::Intact { .. }), "{verdict:?}");
}

#[tokio::test]
async fn board_snapshots_with_arabic_names() {
    let (t, _, _) = board_db().await;
    for (w, h) in [(80, 24), (200, 50)] {
        let mut d = open_board(&t.db, w, h).await;
        // No clock on the board: the view of the same data is the same screen.
        let screen = d.screen();
        for line in screen.lines() {
            assert_eq!(staffroom::text::width(line), usize::from(w), "row width: {line}");
        }
        insta::assert_snapshot!(format!("board_{w}x{h}"), screen);
    }
}

#[tokio::test]
async fn instructors_cannot_open_the_board() {
    let (t, _, _) = board_db().await;
    crate::common::login_user(&t.db, "ines@academy.org", "Ines", staffroom::domain::permissions::Roles::INSTRUCTOR)
        .await;
    let mut d = Driver::new(t.db.clone(), 120, 30);
    d.login("ines@academy.org", crate::common::PASSWORD).await;
    let effects = d.app.open(staffroom::ui::screens::ScreenId::Pipeline);
    d.run(effects).await;
    assert_ne!(d.app.screen().map(|s| s.id()), Some(staffroom::ui::screens::ScreenId::Pipeline));
    let forged = staffroom::backend::Request::Leads(staffroom::backend::LeadRequest::Board {
        per_column: 10,
        filter: None,
        save: false,
    });
    let err = d.backend.handle(forged).await.0.unwrap_err();
    assert!(err.to_string().contains("may not view leads"), "{err}");
}

#[tokio::test]
async fn enter_opens_the_lead_and_a_call_is_logged_from_the_keyboard() {
    let (t, _, _) = board_db().await;
    let mut d = open_board(&t.db, 160, 40).await;
    let card = board(&d).selected().unwrap().lead.clone();
    d.press(KeyCode::Enter).await;
    let s = d.screen();
    assert!(s.contains("timeline (0)") && s.contains(&card.full_name), "{s}");
    d.press(KeyCode::Char('n')).await;
    assert!(d.screen().contains("Add a call note"));
    d.press(KeyCode::Enter).await;
    assert!(d.screen().contains("a note needs some text"));
    d.type_text("Called: wants the evening cohort").await;
    d.press(KeyCode::Enter).await;
    let s = d.screen();
    assert!(s.contains("timeline (1)") && s.contains("Called: wants the evening cohort"), "{s}");
    let stored = leads::get(&t.db, card.id).await.unwrap();
    assert!(stored.last_contact_at.is_some(), "a call note records contact");
    // Take it, and set the next follow-up.
    d.shift('A').await;
    let me = users::find_by_email(&t.db, "sara@academy.org").await.unwrap().unwrap();
    assert_eq!(leads::get(&t.db, card.id).await.unwrap().assigned_to, Some(me.id));
    d.press(KeyCode::Char('f')).await;
    d.type_text("+2").await;
    d.press(KeyCode::Enter).await;
    let stored = leads::get(&t.db, card.id).await.unwrap();
    let expected = (chrono::Utc::now().date_naive() + chrono::Duration::days(2)).to_string();
    assert_eq!(stored.next_follow_up_at.map(|t| t.date_naive().to_string()), Some(expected));
    // Esc returns to the board.
    d.press(KeyCode::Esc).await;
    assert_eq!(d.app.screen().map(|s| s.id()), Some(staffroom::ui::screens::ScreenId::Pipeline));
}

crate::on_both!(assigning_and_follow_ups_are_versioned_and_audited, |t: TestDb| async move {
    let team = team(&t.db).await;
    let lead = leads::create(
        &t.db,
        &team.staff,
        NewLead { full_name: "Versioned".into(), email: Some("v@x.org".into()), ..NewLead::default() },
    )
    .await
    .unwrap();
    let a = leads::assign(&t.db, &team.staff, lead.id, lead.version, team.staff.user_id).await.unwrap();
    assert_eq!(a.assigned_to, team.staff.user_id);
    let err = leads::set_follow_up(&t.db, &team.admin, lead.id, lead.version, None).await.unwrap_err();
    assert!(err.to_string().contains("changed by Sami Staff"), "{err}");
    let err = leads::assign(&t.db, &team.staff, lead.id, a.version, team.instructor.user_id).await.unwrap_err();
    assert!(err.to_string().contains("active staff or admins"), "{err}");
    assert!(leads::assign(&t.db, &team.viewer, lead.id, a.version, None).await.is_err());
    let trail = staffroom_core::store::audit::for_entity(&t.db, "lead", lead.id).await.unwrap();
    assert!(trail.iter().any(|r| r.summary.starts_with("assigned lead Versioned")), "{trail:?}");
});

/// The open move prompt: what is typed in it and the message it shows.
fn prompt_state(d: &Driver) -> (String, Option<String>) {
    match d.app.popups.last() {
        Some(staffroom::ui::app::Popup::Prompt(p)) => (p.input.clone(), p.error.clone()),
        _ => panic!("the move prompt should still be open"),
    }
}

async fn clear_and_type(d: &mut Driver, text: &str) {
    d.press_key(crossterm::event::KeyEvent::new(KeyCode::Char('u'), crossterm::event::KeyModifiers::CONTROL)).await;
    d.type_text(text).await;
    d.press(KeyCode::Enter).await;
}

#[tokio::test]
async fn a_refused_budget_or_preset_number_keeps_the_prompt_open_with_the_typing() {
    let (t, _, _) = board_db().await;
    let mut d = open_board(&t.db, 160, 40).await;
    d.press(KeyCode::Char('l')).await; // the contacted column
    let card = board(&d).selected().unwrap().lead.clone();
    d.shift('L').await; // qualified
    d.shift('L').await; // a proposal asks the budget
    assert!(d.screen().contains("budget range?"), "{}", d.screen());
    // Over the limit: refused in the prompt, nothing typed lost, the card waits.
    d.type_text("99999999999999").await;
    d.press(KeyCode::Enter).await;
    let (typed, why) = prompt_state(&d);
    assert_eq!(typed, "99999999999999");
    assert!(why.as_deref().is_some_and(|w| w.contains("above the maximum budget")), "{why:?}");
    assert_eq!(stage_of(&d, &card.full_name), Some(LeadStatus::Qualified));
    // A negative budget is refused, not read as its size.
    clear_and_type(&mut d, "-5000").await;
    let (typed, why) = prompt_state(&d);
    assert_eq!((typed.as_str(), why.as_deref()), ("-5000", Some("a budget cannot be negative")));
    clear_and_type(&mut d, "5,000").await;
    let stored = leads::get(&t.db, card.id).await.unwrap();
    assert_eq!((stored.stage(), stored.budget_estimate), (LeadStatus::ProposalSent, Some(5000)));

    // Closing as lost: a bare number outside the presets is refused naming them.
    d.press(KeyCode::Char('m')).await;
    let targets: Vec<String> = match d.app.popups.last() {
        Some(staffroom::ui::app::Popup::Choose(c)) => c.items.iter().map(|(label, _)| label.clone()).collect(),
        _ => panic!("picker"),
    };
    for _ in 0..targets.iter().position(|t| t == "closed_lost").unwrap() {
        d.press(KeyCode::Down).await;
    }
    d.press(KeyCode::Enter).await;
    let presets = match d.app.popups.last() {
        Some(staffroom::ui::app::Popup::Prompt(p)) => p.presets.len(),
        _ => panic!("the lost prompt"),
    };
    d.type_text("12").await;
    d.press(KeyCode::Enter).await;
    let (typed, why) = prompt_state(&d);
    assert_eq!(typed, "12");
    assert_eq!(why, Some(format!("12 is not a preset: pick 1 to {presets}, or type the reason in words")));
    d.press(KeyCode::Esc).await;
    let stored = leads::get(&t.db, card.id).await.unwrap();
    assert_eq!((stored.stage(), stored.lost_reason), (LeadStatus::ProposalSent, None), "nothing stored");
}

/// The selected card is on a shown column (closed ones are hidden under 160 columns).
fn selected_shown(d: &Driver) -> Option<String> {
    let b = board(d);
    let col = b.columns.get(b.col)?;
    (!col.status.is_closed()).then(|| b.selected().map(|c| c.lead.full_name.clone())).flatten()
}

#[tokio::test]
async fn undo_reverses_my_own_move_to_won_and_a_shown_card_stays_selected() {
    let (t, staff, _) = board_db().await;
    let plain = MoveInput::default();
    let lead = leads::create(
        &t.db,
        &staff,
        NewLead { full_name: "Won Case".into(), phone: Some("+201009999999".into()), ..NewLead::default() },
    )
    .await
    .unwrap();
    let l = leads::move_to(&t.db, &staff, lead.id, lead.version, LeadStatus::Contacted, &plain).await.unwrap();
    let l = leads::move_to(&t.db, &staff, l.id, l.version, LeadStatus::Qualified, &plain).await.unwrap();
    let budget = MoveInput { budget_range: Some("5k".into()), ..MoveInput::default() };
    leads::move_to(&t.db, &staff, l.id, l.version, LeadStatus::ProposalSent, &budget).await.unwrap();
    let mut d = open_board(&t.db, 120, 40).await;
    for _ in 0..6 {
        if board(&d).selected().is_some_and(|c| c.lead.full_name == "Won Case") {
            break;
        }
        d.press(KeyCode::Char('l')).await;
    }
    assert_eq!(selected_shown(&d).as_deref(), Some("Won Case"));
    // Won: the card goes to the hidden closed column; the cursor stays on a shown card.
    d.shift('L').await;
    let won = leads::get(&t.db, lead.id).await.unwrap();
    assert_eq!(won.stage(), LeadStatus::ClosedWon);
    assert!(won.converted_at.is_some());
    assert!(selected_shown(&d).is_some(), "a shown card is selected after moving one out of sight");
    // u: the exact reverse, although no forward move leads from closed_won back.
    d.press(KeyCode::Char('u')).await;
    let back = leads::get(&t.db, lead.id).await.unwrap();
    assert_eq!((back.stage(), back.converted_at, back.version), (LeadStatus::ProposalSent, None, won.version + 1));
    assert_eq!(back.budget_range.as_deref(), Some("5k"));
    assert_eq!(selected_shown(&d).as_deref(), Some("Won Case"), "the cursor follows the card back");
    let trail = staffroom_core::store::audit::for_entity(&t.db, "lead", lead.id).await.unwrap();
    let last = trail.last().unwrap();
    assert_eq!(last.action, "undo", "audited as an undo: {}", last.summary);
    d.press(KeyCode::Char('u')).await;
    assert_eq!(leads::get(&t.db, lead.id).await.unwrap().version, back.version, "an undo is not undone again");
    // Won again, then X: still a shown card selected.
    d.shift('L').await;
    d.shift('M').await;
    d.shift('X').await;
    assert!(selected_shown(&d).is_some(), "after X a shown card is selected");
}

#[tokio::test]
async fn undo_is_refused_when_someone_else_moved_the_lead_since() {
    let (t, staff, admin) = board_db().await;
    let mut d = open_board(&t.db, 160, 40).await;
    let card = board(&d).selected().unwrap().lead.clone();
    d.shift('L').await;
    let moved = leads::get(&t.db, card.id).await.unwrap();
    // Someone else moves it on: the version guards the undo, naming them.
    let plain = MoveInput::default();
    leads::move_to(&t.db, &admin, moved.id, moved.version, LeadStatus::Qualified, &plain).await.unwrap();
    d.press(KeyCode::Char('u')).await;
    assert_eq!(leads::get(&t.db, card.id).await.unwrap().stage(), LeadStatus::Qualified, "nothing undone");
    // Straight through the store: another user's move is not mine to undo.
    let now = leads::get(&t.db, card.id).await.unwrap();
    let err = staffroom_core::store::lead_undo::undo_move(&t.db, &staff, now.id, now.version, LeadStatus::Contacted)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("only your own last move"), "{err}");
}

fn last_toast(d: &Driver) -> String {
    d.app.toasts.last().map(|t| t.text.clone()).unwrap_or_default()
}

#[tokio::test]
async fn marked_cards_move_and_assign_together_each_on_its_own_with_refusals_named() {
    let (t, _, admin) = board_db().await;
    let mut d = open_board(&t.db, 160, 40).await;
    let first = board(&d).selected().unwrap().lead.clone();
    d.press(KeyCode::Char(' ')).await;
    let second = board(&d).selected().unwrap().lead.clone();
    d.press(KeyCode::Char(' ')).await;
    assert_eq!(board(&d).marked.len(), 2);
    assert!(d.screen().contains(&format!("● {}", first.full_name)), "{}", d.screen());
    // Someone else changes the second lead while it is marked.
    leads::assign(&t.db, &admin, second.id, second.version, None).await.unwrap();
    let audit_before = staffroom_core::store::audit::count(&t.db).await.unwrap();
    d.press(KeyCode::Char('m')).await;
    assert!(d.screen().contains("Move 2 marked to…"), "{}", d.screen());
    d.press(KeyCode::Enter).await;
    let question = d.screen();
    assert!(question.contains("Move 2 marked leads to"), "a confirm with the count: {question}");
    d.press(KeyCode::Char('y')).await;
    let moved = leads::get(&t.db, first.id).await.unwrap();
    assert_ne!(moved.stage(), LeadStatus::New, "the first moved");
    assert_eq!(leads::get(&t.db, second.id).await.unwrap().stage(), LeadStatus::New, "the changed one did not");
    let said = last_toast(&d);
    assert!(said.contains("1 lead changed; 1 refused"), "{said}");
    assert!(
        said.contains(&second.full_name) && said.contains("Amira Admin"),
        "the refusal names the lead and who: {said}"
    );
    let audit_after = staffroom_core::store::audit::count(&t.db).await.unwrap();
    assert_eq!(audit_after, audit_before + 1, "one audit row per lead changed");
    assert!(board(&d).marked.is_empty(), "the marks are spent");
    assert_eq!(stage_of(&d, &first.full_name), Some(moved.stage()), "the board shows what is stored");

    // `a` on one marked card: pick the assignee, confirm, stored and audited.
    let card = board(&d).selected().unwrap().lead.clone();
    d.press(KeyCode::Char(' ')).await;
    d.press(KeyCode::Char('a')).await;
    assert!(d.screen().contains("Assign 1 to…") && d.screen().contains("nobody"), "{}", d.screen());
    d.press(KeyCode::Enter).await;
    assert!(d.screen().contains("Assign 1 lead to nobody"), "{}", d.screen());
    d.press(KeyCode::Char('y')).await;
    assert_eq!(leads::get(&t.db, card.id).await.unwrap().assigned_to, None);
    assert!(last_toast(&d).contains("1 lead changed"), "{}", last_toast(&d));
}

crate::on_both!(a_bulk_move_changes_each_lead_on_its_own, |t: TestDb| async move {
    use staffroom::backend::{Backend, LeadReply, LeadRequest, OfficeRequest, Reply, Request};
    let team = team(&t.db).await;
    let mut ids = Vec::new();
    for (i, name) in ["Bulk One", "Bulk Two", "Bulk Three"].iter().enumerate() {
        let new = NewLead {
            full_name: name.to_string(),
            email: Some(format!("bulk{i}@leads.example")),
            ..NewLead::default()
        };
        let l = leads::create(&t.db, &team.staff, new).await;
        ids.push(l.unwrap());
    }
    // The third changed since the board read it.
    leads::assign(&t.db, &team.admin, ids[2].id, ids[2].version, team.staff.user_id).await.unwrap();
    crate::common::login_user(&t.db, "bea@academy.org", "Bea Bulk", staffroom::domain::permissions::Roles::STAFF).await;
    let backend = Backend::new(t.db.clone(), crate::driver::backend_settings(), "test");
    let login = OfficeRequest::Login {
        email: "bea@academy.org".into(),
        password: crate::common::PASSWORD.into(),
        terminal: "t".into(),
    };
    assert!(backend.handle(Request::Office(login)).await.0.is_ok());
    let audit_before = staffroom_core::store::audit::count(&t.db).await.unwrap();
    let items = ids.iter().map(|l| (l.id, l.version)).collect();
    let (r, _) = backend.handle(Request::Leads(LeadRequest::MoveLeads { items, to: LeadStatus::Contacted })).await;
    let Ok(Reply::Leads(LeadReply::Bulk { done, refused })) = r else { panic!("{r:?}") };
    assert_eq!(done.iter().map(|l| l.id).collect::<Vec<_>>(), vec![ids[0].id, ids[1].id]);
    assert_eq!(refused.len(), 1);
    assert!(refused[0].starts_with("Bulk Three: ") && refused[0].contains("Amira Admin"), "{refused:?}");
    assert_eq!(staffroom_core::store::audit::count(&t.db).await.unwrap(), audit_before + 2);
    assert_eq!(leads::get(&t.db, ids[2].id).await.unwrap().stage(), LeadStatus::New);
});

#[tokio::test]
async fn a_click_selects_a_card_and_a_double_click_opens_its_lead() {
    use staffroom::ui::mouse::Pointer;
    let (t, _, _) = board_db().await;
    let mut d = open_board(&t.db, 160, 40).await;
    let s = d.screen();
    let (row, line) = s.lines().enumerate().find(|(_, l)| l.contains("Emily Smith")).unwrap();
    // In cells: an emoji to its left takes two.
    let col = line.find("Emily Smith").map(|b| staffroom::text::width(&line[..b])).unwrap();
    let (col, row) = (col as u16, row as u16);
    d.send(Msg::Pointer(Pointer::Click { col, row })).await;
    assert_eq!(board(&d).selected().unwrap().lead.full_name, "Emily Smith", "the clicked card");
    // Its second line is the same card.
    d.send(Msg::Pointer(Pointer::Click { col, row: row + 1 })).await;
    assert_eq!(board(&d).selected().unwrap().lead.full_name, "Emily Smith");
    d.send(Msg::Pointer(Pointer::DoubleClick { col, row })).await;
    assert!(matches!(d.app.screen(), Some(Screen::Lead(_))), "the lead opened: {}", d.screen());
}
