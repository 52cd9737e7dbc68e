//! Keys faster than the database: the driver's late mode holds every reply back and
//! answers them out of order, between random keys. Never a panic, and once every
//! reply is in and the board reloaded, the board agrees with the database.

use crate::common::TestDb;
use crate::driver::Driver;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use staffroom::backend::{Backend, Settings};
use staffroom::domain::lead::{LeadStatus, MoveInput};
use staffroom::domain::permissions::Roles;
use staffroom::ui::keymap::{Context, Key, Keymap};
use staffroom::ui::screens::pipeline::{PipelineScreen, stage_label};
use staffroom::ui::screens::{Screen, ScreenId};
use staffroom_core::store::leads::{self, NewLead};
use staffroom_core::store::users::{self, DEMO_DOMAIN, NewUser};
use staffroom_core::store::{Actor, Db, board};
use std::collections::HashMap;

/// xorshift64: a reproducible key stream per seed.
struct Rng(u64);
impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The terminal event of a keymap key (the inverse of `Key::from_event`).
fn event_of(key: &Key) -> KeyEvent {
    let text = key.to_string();
    let mut mods = KeyModifiers::NONE;
    let mut rest = text.as_str();
    loop {
        if let Some(r) = rest.strip_prefix("ctrl-") {
            mods |= KeyModifiers::CONTROL;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("alt-") {
            mods |= KeyModifiers::ALT;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("shift-").filter(|r| r.chars().count() > 1) {
            mods |= KeyModifiers::SHIFT;
            rest = r;
        } else {
            break;
        }
    }
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), None) => {
            if c.is_uppercase() {
                mods |= KeyModifiers::SHIFT;
            }
            KeyCode::Char(c)
        }
        _ => match rest {
            "space" => KeyCode::Char(' '),
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "delete" => KeyCode::Delete,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pgup" => KeyCode::PageUp,
            "pgdn" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "insert" => KeyCode::Insert,
            f if f.starts_with('f') => KeyCode::F(f[1..].parse().expect("function key")),
            other => panic!("no terminal event for key {other}"),
        },
    };
    let ev = KeyEvent::new(code, mods);
    assert_eq!(Key::from_event(&ev).as_ref(), Some(key), "{text} does not round-trip");
    ev
}

/// The keys bound in `contexts`, as terminal events. Leaving the app (q, ctrl-c)
/// and suspending are left out: they are tested elsewhere and would end a round.
fn bound_keys(contexts: &[Context]) -> Vec<KeyEvent> {
    let map = Keymap::default();
    let mut keys: Vec<KeyEvent> = Vec::new();
    for &ctx in contexts {
        for (_, bound) in map.bindings(ctx) {
            keys.extend(bound.iter().map(event_of));
        }
    }
    let leaves = |k: &KeyEvent| {
        matches!(k.code, KeyCode::Char('q'))
            || (k.modifiers.contains(KeyModifiers::CONTROL) && matches!(k.code, KeyCode::Char('c' | 'z')))
    };
    keys.retain(|k| !leaves(k));
    keys.sort_by_key(|k| format!("{k:?}"));
    keys.dedup();
    keys
}

/// Every key bound in every context, plus upper-case letters, digits and the keys
/// forms and prompts read.
fn alphabet() -> Vec<KeyEvent> {
    let mut keys = bound_keys(Context::all());
    keys.extend(('A'..='Z').map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT)));
    keys.extend(('0'..='9').map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
    keys.extend([KeyCode::Enter, KeyCode::Esc, KeyCode::Tab].map(|c| KeyEvent::new(c, KeyModifiers::NONE)));
    keys.sort_by_key(|k| format!("{k:?}"));
    keys.dedup();
    keys
}

fn demo_backend(db: &Db) -> Backend {
    Backend::new(db.clone(), Settings { demo: true, ..crate::driver::backend_settings() }, "test")
}

/// A late driver logged in (demo login, no argon2) as `email` on the board, settled.
async fn late_on_board(db: &Db, email: &str, seed: u64, export_dir: &std::path::Path) -> Driver {
    let settings = staffroom::ui::app::Settings { export_dir: export_dir.to_path_buf(), ..crate::driver::settings() };
    let mut d = Driver::with_backend(db.clone(), demo_backend(db), 200, 50, settings).late(seed);
    let effects = d.app.demo_login(email);
    d.run(effects).await;
    d.settle().await;
    assert!(d.app.session.is_some(), "logged in as {email}");
    let effects = d.app.open(ScreenId::Pipeline);
    d.run(effects).await;
    d.settle().await;
    d
}

fn pipeline(d: &Driver) -> &PipelineScreen {
    match d.app.screen() {
        Some(Screen::Pipeline(p)) => p,
        other => panic!("not on the pipeline: {:?}", other.map(|s| s.id())),
    }
}

async fn ctrl_r(d: &mut Driver) {
    d.press_key(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL)).await;
}

/// The board on screen against the database: header counts, one column per lead,
/// and each card's stage and version as stored.
async fn check_board_matches_database(d: &mut Driver, db: &Db, context: &str) {
    let counts: HashMap<LeadStatus, i64> = board::count_by_status(db).await.unwrap().into_iter().collect();
    let screen = d.screen();
    let titles = screen.lines().nth(1).unwrap_or_default().to_string();
    let p = pipeline(d);
    assert!(p.loaded && p.filter.is_empty(), "{context}: an unfiltered, loaded board");
    assert_eq!(p.columns.len(), LeadStatus::ALL.len(), "{context}");
    assert_each_card_once(p, context);
    for col in &p.columns {
        assert_eq!(col.count, counts[&col.status], "{context}: count of {}", col.status);
        // Closed columns show at this width: every header is on screen.
        let title = format!(" {} {} ", stage_label(col.status), col.count);
        assert!(titles.contains(&title), "{context}: header {title:?} not in {titles:?}");
        for card in &col.cards {
            let stored = leads::get(db, card.lead.id).await.unwrap();
            assert_eq!(
                (stored.stage(), stored.version),
                (col.status, card.lead.version),
                "{context}: card #{} {} against the database",
                card.lead.id,
                card.lead.full_name
            );
        }
    }
}

fn assert_each_card_once(p: &PipelineScreen, context: &str) {
    let mut seen: HashMap<i64, LeadStatus> = HashMap::new();
    for col in &p.columns {
        for card in &col.cards {
            if let Some(other) = seen.insert(card.lead.id, col.status) {
                panic!("{context}: lead #{} is in both {other} and {}", card.lead.id, col.status);
            }
            assert_eq!(card.lead.stage(), col.status, "{context}: card #{} in the wrong column", card.lead.id);
        }
    }
}

/// Back to a plain board: popups and typing closed, the pipeline on top, no filter.
async fn back_to_the_board(d: &mut Driver) {
    for _ in 0..6 {
        d.press(KeyCode::Esc).await;
        d.settle().await;
        // Esc on a form holding typing asks first: y drops it.
        if matches!(d.app.popups.last(), Some(staffroom::ui::app::Popup::Confirm { question, .. })
            if question.contains("lose what you typed"))
        {
            d.press(KeyCode::Char('y')).await;
            d.settle().await;
        }
    }
    assert!(d.app.popups.is_empty(), "Esc closes every popup: {:?}", d.app.popups.len());
    let effects = d.app.open(ScreenId::Pipeline);
    d.run(effects).await;
    d.settle().await;
    if !pipeline(d).filter.is_empty() {
        d.shift('X').await;
        d.settle().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn late_replies_between_random_keys_leave_the_board_agreeing_with_the_database() {
    let t = TestDb::sqlite().await;
    staffroom::demo::ensure(&t.db, false).await.expect("demo data");
    let keys = alphabet();
    assert!(keys.len() > 60, "{} keys", keys.len());
    // Most keys are the board's own (and a fifth move cards or clear the filter), so
    // moves are often in flight when other replies land.
    let board_keys = bound_keys(&[Context::Pipeline, Context::List]);
    let char_key = |c: char| {
        let mods = if c.is_uppercase() { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
        KeyEvent::new(KeyCode::Char(c), mods)
    };
    let mut movers: Vec<KeyEvent> = "LLLHujkhlX".chars().map(char_key).collect();
    movers.extend([KeyCode::Esc, KeyCode::Esc].map(|c| KeyEvent::new(c, KeyModifiers::NONE)));
    let moves_before = status_changes(&t.db).await;
    let staff = staffroom::demo::demo_user("staff").email;
    let dir = crate::common::temp_path("late-exports");
    std::fs::create_dir_all(&dir).unwrap();
    for seed in [0x1a7e_u64, 0xbeef, 0x5eed_cafe, 0x0dd_ba11, 0xfa57, 0x5106] {
        let mut d = late_on_board(&t.db, &staff, seed, &dir).await;
        let mut rng = Rng::new(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        for i in 0..1000 {
            // A pick list takes typed letters as its filter (and its first Esc clears
            // that): leave popups often enough that most keys still reach the board.
            let leave = !d.app.popups.is_empty() && rng.below(3) == 0;
            let key = match rng.below(5) {
                _ if leave => KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
                0 => movers[rng.below(movers.len())],
                1 | 2 => board_keys[rng.below(board_keys.len())],
                _ => keys[rng.below(keys.len())],
            };
            d.press_key(key).await;
            // Replies trickle in: none, one, or a few at a time, sometimes all.
            match rng.below(10) {
                0..=3 => {}
                4..=7 => {
                    d.step().await;
                }
                8 => {
                    for _ in 0..rng.below(5) {
                        d.step().await;
                    }
                }
                _ => d.settle().await,
            }
            if rng.below(25) == 0 {
                d.tick().await;
            }
            if i % 50 == 49 {
                // Draw now and then: the view must cope with half-answered state.
                d.draw();
            }
            if d.app.popups.is_empty() && rng.below(15) == 0 {
                // Back to the board now and then, so most keys land on it.
                let effects = d.app.open(ScreenId::Pipeline);
                d.run(effects).await;
            }
            assert!(!d.quit, "seed {seed:#x}: a key left the app");
            assert!(d.app.session.is_some(), "seed {seed:#x}: the session was lost");
        }
        d.settle().await;
        if matches!(d.app.screen(), Some(Screen::Pipeline(_))) {
            // Before any reload: whatever order the replies came in, a card is shown once,
            // in the column of its own stage.
            assert_each_card_once(pipeline(&d), &format!("seed {seed:#x}, settled"));
        }
        back_to_the_board(&mut d).await;
        ctrl_r(&mut d).await;
        d.settle().await;
        check_board_matches_database(&mut d, &t.db, &format!("seed {seed:#x}")).await;
    }
    let moved = status_changes(&t.db).await - moves_before;
    assert!(moved >= 50, "the keys moved only {moved} cards: the fuzzer no longer reaches the board");
    let _ = std::fs::remove_dir_all(&dir);
}

async fn status_changes(db: &Db) -> i64 {
    staffroom_core::with_db!(db, p => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log WHERE action = 'status_change'")
            .fetch_one(p)
            .await
            .unwrap()
    })
}

/// One lead with a name nobody else has, and a staff user of the demo domain.
async fn one_lead_board(db: &Db) -> (String, i64) {
    let new = NewUser {
        email: Some(format!("late@{DEMO_DOMAIN}")),
        full_name: "Late Staff".into(),
        roles: Roles::STAFF,
        ..NewUser::default()
    };
    users::create(db, &Actor::cli(), new).await.unwrap();
    for (i, name) in ["Hossam Adel", "Emily Smith", "Omar Tarek"].iter().enumerate() {
        let new =
            NewLead { full_name: name.to_string(), phone: Some(format!("+2012200000{i:02}")), ..NewLead::default() };
        let l = leads::create(db, &Actor::cli(), new).await.unwrap();
        if i == 2 {
            leads::move_to(db, &Actor::cli(), l.id, l.version, LeadStatus::Contacted, &MoveInput::default())
                .await
                .unwrap();
        }
    }
    let new = NewLead {
        full_name: "Zenobia Quillfeather".into(),
        email: Some("zq@example.org".into()),
        ..NewLead::default()
    };
    let lead = leads::create(db, &Actor::cli(), new).await.unwrap();
    (format!("late@{DEMO_DOMAIN}"), lead.id)
}

/// On a board filtered to the one lead, `L` twice before any reply (with a reload
/// asked between the two when `reload_between`), then every reply in `seed`'s
/// order. Checks what the database and the card say; returns the settled driver.
async fn two_quick_moves(db: &Db, email: &str, id: i64, seed: u64, reload_between: bool) -> Driver {
    reset_to_new(db, id).await;
    let before = leads::get(db, id).await.unwrap();
    let dir = std::env::temp_dir();
    let mut d = late_on_board(db, email, seed, &dir).await;
    d.press(KeyCode::Char('/')).await;
    // The filter saved by an earlier round is in the search field: clear it first.
    d.press_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)).await;
    d.type_text("Zenobia").await;
    d.press(KeyCode::Enter).await;
    d.settle().await;
    let p = pipeline(&d);
    let shown: Vec<i64> = p.columns.iter().flat_map(|c| c.cards.iter().map(|k| k.lead.id)).collect();
    assert_eq!(shown, [id], "seed {seed}: the filter shows the one lead");
    assert_eq!(p.selected().map(|c| c.lead.id), Some(id));

    d.shift('L').await;
    if reload_between {
        ctrl_r(&mut d).await;
    }
    d.shift('L').await;
    assert!(d.queued() >= 1, "seed {seed}: nothing answered yet");
    d.settle().await;

    let stored = leads::get(db, id).await.unwrap();
    assert_eq!(stored.stage(), LeadStatus::Qualified, "seed {seed}: two stages forward");
    assert_eq!(stored.version, before.version + 2, "seed {seed}: two writes, no more");
    let p = pipeline(&d);
    let cards: Vec<(LeadStatus, i64)> =
        p.columns.iter().flat_map(|c| c.cards.iter().map(move |k| (c.status, k.lead.version))).collect();
    assert_eq!(cards, [(LeadStatus::Qualified, stored.version)], "seed {seed}: one card, stored stage and version");
    let said: Vec<String> = d.app.toasts.iter().map(|t| t.text.clone()).collect();
    assert!(
        !said.iter().any(|t| t.contains("nothing was overwritten") || t.contains("changed by")),
        "seed {seed}: no conflict: {said:?}"
    );
    assert!(d.app.toasts.iter().all(|t| !t.error), "seed {seed}: no error: {said:?}");
    d
}

/// The header counts what the columns show.
fn assert_counts_match_cards(d: &Driver, context: &str) {
    for col in &pipeline(d).columns {
        assert_eq!(col.count, col.cards.len() as i64, "{context}: header count of {}", col.status);
    }
}

crate::on_both!(two_quick_moves_of_a_filtered_card_arrive_as_two_moves, |t: TestDb| async move {
    let (email, id) = one_lead_board(&t.db).await;
    for (round, seed) in [3_u64, 8, 21, 0x5eed, 99, 1234].into_iter().enumerate() {
        let reload_between = round % 2 == 1;
        let d = two_quick_moves(&t.db, &email, id, seed, reload_between).await;
        if !reload_between {
            assert_counts_match_cards(&d, &format!("seed {seed}"));
        }
    }
});

/// A reload answered while a move is in flight: the in-flight card is shown in the
/// column it is moving to, and the header counts move with it (they once said
/// `New 1` over an empty column and `Qualified 0` over the card until the next
/// reload).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_during_quick_moves_keeps_the_header_counts() {
    let t = TestDb::sqlite().await;
    let (email, id) = one_lead_board(&t.db).await;
    for seed in [8_u64, 0x5eed, 1234] {
        let d = two_quick_moves(&t.db, &email, id, seed, true).await;
        assert_counts_match_cards(&d, &format!("seed {seed}"));
    }
}

/// Puts a lead back in `new` by legal moves (qualified → contacted → new), so each
/// round starts from the same stage.
async fn reset_to_new(db: &Db, id: i64) {
    loop {
        let l = leads::get(db, id).await.unwrap();
        let Some(back) = l.stage().back() else { break };
        leads::move_to(db, &Actor::cli(), id, l.version, back, &MoveInput::default()).await.unwrap();
    }
    assert_eq!(leads::get(db, id).await.unwrap().stage(), LeadStatus::New);
}
