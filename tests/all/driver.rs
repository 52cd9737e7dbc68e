//! A headless driver: feeds key events to the App, carries out its effects against
//! the real backend (awaiting each reply instead of a channel), and renders to
//! ratatui's TestBackend.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use staffroom::backend::{self, Event};
use staffroom::store::Db;
use staffroom::store::users::LoginPolicy;
use staffroom::ui::app::{App, Settings};
use staffroom::ui::keymap::Keymap;
use staffroom::ui::msg::{Effect, Msg};
use staffroom::ui::screens::ScreenId;
use staffroom::ui::theme::Theme;
use staffroom::ui::view::view;

pub struct Driver {
    pub app: App,
    pub db: Db,
    pub term: Terminal<TestBackend>,
    pub quit: bool,
    /// Text sent to the clipboard (OSC 52), oldest first.
    pub copied: Vec<String>,
}

pub fn settings() -> Settings {
    Settings {
        keymap: Keymap::default(),
        theme: Theme::monochrome(),
        idle_lock_ticks: 0,
        today: chrono::Utc::now().date_naive(),
        terminal: "test".into(),
        lost_reasons: vec!["price".into(), "timing".into()],
        rot_days: [("new".to_string(), 2), ("contacted".to_string(), 7)].into_iter().collect(),
        export_dir: std::env::temp_dir(),
    }
}

pub fn backend_settings() -> backend::Settings {
    backend::Settings { login: LoginPolicy::default(), attendance_threshold_percent: 75, demo: false }
}

pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

impl Driver {
    pub fn new(db: Db, width: u16, height: u16) -> Driver {
        Driver::with_settings(db, width, height, settings())
    }

    pub fn with_settings(db: Db, width: u16, height: u16, settings: Settings) -> Driver {
        let mut app = App::new(settings);
        app.update(Msg::Resize(width, height));
        let term = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
        Driver { app, db, term, quit: false, copied: Vec::new() }
    }

    /// Carries out effects until none are left (replies are fed back in).
    pub async fn run(&mut self, mut effects: Vec<Effect>) {
        while let Some(effect) = effects.pop() {
            match effect {
                Effect::Send(cmd) => {
                    let req_id = cmd.req_id;
                    let result = backend::handle(&self.db, backend_settings(), *cmd).await;
                    effects.extend(self.app.update(Msg::Backend(Box::new(Event { req_id, result }))));
                }
                Effect::Quit => self.quit = true,
                Effect::Suspend => {}
                Effect::Copy(text) => self.copied.push(text),
            }
        }
    }

    pub async fn login(&mut self, email: &str, password: &str) {
        let effects = self.app.auto_login(email, password);
        self.run(effects).await;
    }

    pub async fn press(&mut self, code: KeyCode) {
        let effects = self.app.update(Msg::Key(key(code)));
        self.run(effects).await;
    }

    pub async fn tick(&mut self) {
        let effects = self.app.update(Msg::Tick);
        self.run(effects).await;
    }

    /// An upper-case key as terminals send it (with SHIFT).
    pub async fn shift(&mut self, c: char) {
        let effects = self.app.update(Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT)));
        self.run(effects).await;
    }

    pub async fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c)).await;
        }
    }

    /// Draws and returns the screen as text, one line per row.
    pub fn screen(&mut self) -> String {
        self.term.draw(|f| view(&self.app, f)).expect("draw");
        let buf = self.term.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut x = 0;
            while x < buf.area.width {
                // A wide character's second cell is part of it: skip it.
                let symbol = buf[(x, y)].symbol();
                out.push_str(symbol);
                x += staffroom::ui::text::width(symbol).max(1) as u16;
            }
            out.push('\n');
        }
        out
    }

    /// Every symbol in the buffer (for checks that no control character got through).
    pub fn symbols(&mut self) -> Vec<String> {
        self.term.draw(|f| view(&self.app, f)).expect("draw");
        self.term.backend().buffer().content().iter().map(|c| c.symbol().to_string()).collect()
    }
}

/// Replaces times and dates (they move with the clock) so snapshots are stable.
pub fn normalize(screen: &str) -> String {
    let mut out = String::with_capacity(screen.len());
    let chars: Vec<char> = screen.chars().collect();
    let mut i = 0;
    let is = |i: usize, pat: &str| -> bool {
        pat.chars()
            .enumerate()
            .all(|(k, p)| chars.get(i + k).is_some_and(|c| if p == '9' { c.is_ascii_digit() } else { *c == p }))
    };
    while i < chars.len() {
        if is(i, "9999-99-99") {
            out.push_str("YYYY-MM-DD");
            i += 10;
        } else if is(i, "99:99") && !chars.get(i.wrapping_sub(1)).is_some_and(|c| c.is_ascii_digit()) {
            out.push_str("HH:MM");
            i += 5;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// A driver logged in as `email` (a `common::login_user`) on `screen`, toasts cleared.
pub async fn logged_in_on(db: &Db, email: &str, width: u16, height: u16, screen: ScreenId) -> Driver {
    let mut d = Driver::new(db.clone(), width, height);
    d.login(email, crate::common::PASSWORD).await;
    d.app.toasts.clear();
    let effects = d.app.open(screen);
    d.run(effects).await;
    d
}
