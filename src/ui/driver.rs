//! The headless driver, used by tests and benches: feeds messages to the App,
//! carries out its effects against a real backend (no terminal, no channels) and
//! draws to ratatui's `TestBackend`.
//!
//! In order (the default), each request runs as soon as it is sent and its reply is
//! fed back at once. In late mode (`Driver::late`) requests wait in a queue and
//! their replies arrive later and out of order (a seeded shuffle), the way a slow
//! database and a fast typist meet; a queued load superseded by a newer one of the
//! same key is dropped unrun, as the real worker does.

use crate::backend::{self, Backend, Envelope, Event};
use crate::ui::app::{App, Settings};
use crate::ui::keymap::Keymap;
use crate::ui::msg::{Effect, Msg};
use crate::ui::theme::Theme;
use crate::ui::view::view;
use chrono::{DateTime, Duration, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use staffroom_core::protocol::Db;
use staffroom_core::protocol::users::LoginPolicy;
use std::sync::Arc;

/// UI settings for tests: default keys, no colours, UTC, no idle lock.
pub fn settings() -> Settings {
    Settings {
        keymap: Keymap::default(),
        theme: Theme::monochrome(),
        idle_lock_ticks: 0,
        tz: chrono_tz::Tz::UTC,
        terminal: "test".into(),
        lost_reasons: vec!["price".into(), "timing".into()],
        reject_reasons: vec!["off-topic".into(), "duplicate".into()],
        autosave_dir: None,
        rot_days: [("new".to_string(), 2), ("contacted".to_string(), 7)].into_iter().collect(),
        export_dir: std::env::temp_dir(),
        attendance_threshold_percent: 75,
    }
}

pub fn backend_settings() -> backend::Settings {
    backend::Settings {
        login: LoginPolicy::default(),
        attendance_threshold_percent: 75,
        featured_limit: 6,
        featured_case_studies_limit: 6,
        audit_viewers_read: false,
        demo: false,
        tz: chrono_tz::Tz::UTC,
    }
}

pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

pub struct Driver {
    pub app: App,
    pub db: Db,
    pub backend: Arc<Backend>,
    pub term: Terminal<TestBackend>,
    pub quit: bool,
    /// Text sent to the clipboard (OSC 52), oldest first.
    pub copied: Vec<String>,
    /// The instant ticks carry; `tick` moves it on.
    pub clock: DateTime<Utc>,
    /// The "user's editor" for `Cmd::External` (a shell command run on the file);
    /// `None`: there is none, and the screen is told so.
    pub editor: Option<String>,
    /// Late mode: the shuffle's state (`None`: replies in order).
    late: Option<u64>,
    queue: Vec<Envelope>,
}

impl Driver {
    pub fn new(db: Db, width: u16, height: u16) -> Driver {
        Driver::with_settings(db, width, height, settings())
    }

    pub fn with_settings(db: Db, width: u16, height: u16, settings: Settings) -> Driver {
        Driver::with_backend(db.clone(), Backend::new(db, backend_settings(), "test"), width, height, settings)
    }

    pub fn with_backend(db: Db, backend: Backend, width: u16, height: u16, settings: Settings) -> Driver {
        let clock = staffroom_core::protocol::clock::now();
        let mut app = App::new(settings, clock);
        app.update(Msg::Resize(width, height));
        // A TestBackend cannot fail to build a terminal.
        #[allow(clippy::expect_used)]
        // TestBackend draws into memory: creating and drawing it cannot fail (its
        // error type is never produced), so a panic here is a bug in the driver.
        let term = Terminal::new(TestBackend::new(width, height)).expect("test terminal"); // ok: in memory
        Driver {
            app,
            db,
            backend: Arc::new(backend),
            term,
            quit: false,
            copied: Vec::new(),
            clock,
            editor: None,
            late: None,
            queue: Vec::new(),
        }
    }

    /// Replies from now on arrive late and out of order, shuffled from `seed`.
    pub fn late(mut self, seed: u64) -> Driver {
        self.late = Some(seed | 1);
        self
    }

    /// Requests sent and not answered yet (late mode).
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Carries out effects; in order, replies are fed back until none are left.
    pub async fn run(&mut self, effects: Vec<Effect>) {
        let mut effects = effects;
        while let Some(effect) = pop_front(&mut effects) {
            match effect {
                Effect::Send(cmd) if self.late.is_some() => self.enqueue(*cmd),
                Effect::Send(cmd) => {
                    let ev = self.answer(*cmd).await;
                    effects.extend(self.app.update(Msg::Backend(Box::new(ev))));
                }
                Effect::Quit => self.quit = true,
                Effect::Suspend => {}
                Effect::Copy(text) => self.copied.push(text),
                Effect::External { screen, tag, text } => {
                    let out = match &self.editor {
                        Some(editor) => crate::ui::external::edit(editor, &text),
                        None => Err("no editor in the test driver".to_string()),
                    };
                    effects.extend(self.app.update(Msg::Edited { screen, tag, text: out }));
                }
            }
        }
    }

    fn enqueue(&mut self, cmd: Envelope) {
        if let Some(k) = cmd.supersedes {
            // Latest wins: the older load of this key never runs.
            self.queue.retain(|c| c.supersedes != Some(k));
        }
        self.queue.push(cmd);
    }

    async fn answer(&self, cmd: Envelope) -> Event {
        let req_id = cmd.req_id;
        let (result, who) = self.backend.handle(cmd.request).await;
        Event { req_id, result, who, partial: false }
    }

    /// Late mode: answers one queued request, chosen by the shuffle. False when none.
    pub async fn step(&mut self) -> bool {
        if self.queue.is_empty() {
            return false;
        }
        let i = match &mut self.late {
            Some(state) => {
                // xorshift64: a reproducible order from the seed.
                *state ^= *state << 13;
                *state ^= *state >> 7;
                *state ^= *state << 17;
                (*state % self.queue.len() as u64) as usize
            }
            None => 0,
        };
        let cmd = self.queue.remove(i);
        let ev = self.answer(cmd).await;
        let effects = self.app.update(Msg::Backend(Box::new(ev)));
        self.run(effects).await;
        true
    }

    /// Whether a toast on screen says `needle` (toasts wrap, so the drawn screen
    /// may split the words across lines).
    pub fn toasted(&self, needle: &str) -> bool {
        self.app.toasts.iter().any(|t| t.text.contains(needle))
    }

    /// Late mode: answers everything queued (and what those answers ask for).
    pub async fn settle(&mut self) {
        while self.step().await {}
    }

    pub async fn login(&mut self, email: &str, password: &str) {
        let effects = self.app.auto_login(email, password);
        self.run(effects).await;
    }

    pub async fn send(&mut self, msg: Msg) {
        let effects = self.app.update(msg);
        self.run(effects).await;
    }

    pub async fn press(&mut self, code: KeyCode) {
        self.send(Msg::Key(key(code))).await;
    }

    pub async fn press_key(&mut self, key: KeyEvent) {
        self.send(Msg::Key(key)).await;
    }

    /// A frame tick, a quarter second after the last.
    pub async fn tick(&mut self) {
        self.clock += Duration::milliseconds(250);
        self.send(Msg::Tick(self.clock)).await;
    }

    /// Moves the clock to `at` and ticks (a test of "after midnight").
    pub async fn tick_at(&mut self, at: DateTime<Utc>) {
        self.clock = at;
        self.send(Msg::Tick(at)).await;
    }

    /// An upper-case key as terminals send it (with SHIFT).
    pub async fn shift(&mut self, c: char) {
        self.send(Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT))).await;
    }

    pub async fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c)).await;
        }
    }

    /// Draws into the test terminal.
    pub fn draw(&mut self) {
        // Drawing into a TestBackend does no I/O and cannot fail.
        #[allow(clippy::expect_used)]
        // In memory: cannot fail (see `with_backend`).
        self.term.draw(|f| view(&self.app, f)).expect("draw"); // ok: in memory
    }

    /// Draws and returns the screen as text, one line per row.
    pub fn screen(&mut self) -> String {
        self.draw();
        let buf = self.term.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut x = 0;
            while x < buf.area.width {
                // A wide character's second cell is part of it: skip it.
                let symbol = buf[(x, y)].symbol();
                out.push_str(symbol);
                x += crate::text::width(symbol).max(1) as u16;
            }
            out.push('\n');
        }
        out
    }

    /// Every symbol in the buffer (for checks that no control character got through).
    pub fn symbols(&mut self) -> Vec<String> {
        self.draw();
        self.term.backend().buffer().content().iter().map(|c| c.symbol().to_string()).collect()
    }
}

fn pop_front<T>(v: &mut Vec<T>) -> Option<T> {
    if v.is_empty() { None } else { Some(v.remove(0)) }
}
