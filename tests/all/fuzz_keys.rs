//! Random key sequences at random terminal sizes, on every screen: never a panic.

use crate::common::TestDb;
use crate::driver::Driver;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use staffroom::demo;
use staffroom::ui::msg::Msg;
use staffroom::ui::view::view;

/// A small deterministic generator (SplitMix64), so a failure reproduces.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn random_key(rng: &mut Rng) -> KeyEvent {
    const CODES: &[KeyCode] = &[
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Backspace,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::F(1),
    ];
    const CHARS: &[char] = &['j', 'k', 'g', 'G', 'l', 'h', ':', '?', '/', 'a', 'u', 'd', 'x', ' ', 'س', '🎓', 'y', 'n'];
    let code = if rng.below(3) == 0 {
        CODES[rng.below(CODES.len() as u64) as usize]
    } else {
        KeyCode::Char(CHARS[rng.below(CHARS.len() as u64) as usize])
    };
    let mods = match rng.below(10) {
        0 => KeyModifiers::CONTROL,
        1 => KeyModifiers::SHIFT,
        2 => KeyModifiers::ALT,
        _ => KeyModifiers::NONE,
    };
    // ctrl-c and ctrl-z leave the app; they are tested elsewhere.
    if mods == KeyModifiers::CONTROL && matches!(code, KeyCode::Char('c') | KeyCode::Char('z')) {
        return KeyEvent::new(KeyCode::Down, KeyModifiers::NONE);
    }
    KeyEvent::new(code, mods)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_keys_at_random_sizes_never_panic() {
    let t = TestDb::sqlite().await;
    demo::ensure(&t.db, false).await.expect("demo data");
    let mut rng = Rng(0x5eed);
    for round in 0..24 {
        let role = ["admin", "staff", "instructor", "viewer"][round % 4];
        let mut d = Driver::new(t.db.clone(), 100, 30);
        if round % 6 != 5 {
            d.login(&demo::demo_user(role).email, demo::DEMO_PASSWORD).await;
            // Start each round on a different screen, so every screen gets keys.
            let all: Vec<_> = staffroom::ui::screens::ScreenId::all().collect();
            let screen = all[round % all.len()];
            let effects = d.app.open(screen);
            d.run(effects).await;
        }
        for _ in 0..150 {
            let w = 1 + rng.below(300) as u16;
            let h = 1 + rng.below(100) as u16;
            if rng.below(8) == 0 {
                let effects = d.app.update(Msg::Resize(w, h));
                d.run(effects).await;
            }
            let effects = d.app.update(Msg::Key(random_key(&mut rng)));
            d.run(effects).await;
            if d.quit {
                break;
            }
            let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
            term.draw(|f| view(&d.app, f)).unwrap();
        }
    }
}
