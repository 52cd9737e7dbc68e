//! App state and `update`: no I/O, no awaiting, no clock, no environment. Time
//! arrives in `Msg::Tick(now)`; effects (backend commands, quit, suspend, clipboard)
//! are returned for the event loop to carry out, so the whole UI can be driven by a
//! test feeding messages. The app knows no area: screens answer with `Cmd` values.

mod dispatch;
mod keys;
mod login;
mod outage;
mod popups;

pub use outage::Outage;

use super::cmd::{Cmd, Lane, Token};
use super::keymap::{Context, Keymap};
use super::msg::{Effect, Msg};
use super::palette::Palette;
use super::screens::login::{LoginForm, LoginOutcome};
use super::screens::{Cx, Screen, ScreenId};
use super::theme::Theme;
use crate::backend::{Envelope, Event, Reply, ReqId, Request, Who};
use crate::backend::{OfficeReply, UserReply};
use crate::domain::permissions::Roles;
use chrono::{DateTime, NaiveDate, Utc};
use crossterm::event::KeyEventKind;
use staffroom_core::protocol::StoreError;
use staffroom_core::protocol::users::Me;

/// Ticks per second of the frame tick.
pub const TICKS_PER_SECOND: u32 = 4;
/// How long a toast stays up.
const TOAST_TICKS: u32 = 3 * TICKS_PER_SECOND;

/// What the UI needs from configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    pub keymap: Keymap,
    pub theme: Theme,
    /// Idle ticks before the screen locks (0: never).
    pub idle_lock_ticks: u32,
    /// The office's zone (`display.time_zone`): every day and time shown or typed.
    pub tz: chrono_tz::Tz,
    /// The terminal name recorded with each login.
    pub terminal: String,
    /// Presets offered when closing a lead as lost.
    pub lost_reasons: Vec<String>,
    /// Presets offered when rejecting in the moderation queue.
    pub reject_reasons: Vec<String>,
    /// Where the editor keeps unsaved text (`None`: nowhere, as in most tests).
    pub autosave_dir: Option<std::path::PathBuf>,
    /// Days per stage before a card is marked as rotting.
    pub rot_days: std::collections::BTreeMap<String, i64>,
    /// Where `E` writes exports (empty: the current directory).
    pub export_dir: std::path::PathBuf,
    /// `rules.attendance_threshold_percent`: a rate under it is flagged.
    pub attendance_threshold_percent: u8,
}

/// The logged-in user, as the UI shows them. The backend owns the session and
/// checks every request; `roles` follows what its gate last saw, so hints and the
/// palette change as soon as an admin changes this user's roles.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: Me,
    pub roles: Roles,
    pub previous: Option<(DateTime<Utc>, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub text: String,
    pub error: bool,
    ticks_left: u32,
}

/// Popups stack over the screen; keys go to the top one. Each handles its own keys
/// (through the keymap's `popup` and `form` contexts) and draws itself.
#[derive(Debug, Clone)]
pub enum Popup {
    /// The keys in force; `scroll` is the first entry shown.
    Help {
        scroll: usize,
    },
    Palette(Palette),
    /// A yes/no question that carries what to run on yes.
    Confirm {
        question: String,
        on_yes: Vec<Cmd>,
    },
    /// What a pipeline move needs (lost reason, follow-up date, budget).
    Prompt(super::prompt::MovePrompt),
    /// A note or a date for the lead view.
    Input(super::prompt::InputForm),
    /// Pick one line of a short list.
    Choose(super::chooser::Chooser),
    /// A form (the lead form, a record screen's forms).
    Form(Box<super::widgets::form::Form>),
    /// A report to read (a student's attendance history, a diff): lines that
    /// scroll. With `on_yes`, `y` runs its commands (restore this revision).
    Text {
        title: String,
        lines: Vec<String>,
        scroll: usize,
        on_yes: Option<(&'static str, Vec<Cmd>)>,
        /// Lines are a diff (`ui::diff`): `+`/`-` lines are coloured.
        diff: bool,
    },
}

impl Popup {
    /// A dialog of a screen (closed by `Cmd::CloseDialogs`), not the app's own.
    fn is_dialog(&self) -> bool {
        matches!(self, Popup::Form(_) | Popup::Choose(_) | Popup::Prompt(_) | Popup::Input(_) | Popup::Text { .. })
    }
}

pub struct App {
    pub settings: Settings,
    pub session: Option<Session>,
    /// Shown when nobody is logged in, or when the idle lock is on.
    pub login: LoginForm,
    pub locked: bool,
    /// Navigation stack; the last is on screen. Never empty once logged in.
    pub stack: Vec<Screen>,
    pub popups: Vec<Popup>,
    pub toasts: Vec<Toast>,
    pending: Vec<(Token, ReqId)>,
    next_req: ReqId,
    idle_ticks: u32,
    /// The instant of the last tick.
    pub now: DateTime<Utc>,
    pub spinner: usize,
    pub size: (u16, u16),
    pub quit: bool,
    /// Something visible changed since the last draw.
    pub dirty: bool,
    /// The database is unavailable (the banner shows it).
    pub outage: Option<Outage>,
    /// Writes on their way, and those kept for a retry when the database is back.
    sent: Vec<outage::Sent>,
    retry: Vec<outage::Sent>,
}

/// The context handed to screens, from the app's fields (borrowed apart from the
/// screen stack, so a screen can be changed while it reads them).
fn make_cx<'a>(settings: &'a Settings, session: &Option<Session>, now: DateTime<Utc>, width: u16) -> Cx<'a> {
    Cx {
        now,
        today: crate::domain::time::today(now, settings.tz),
        tz: settings.tz,
        roles: session.as_ref().map_or(Roles::VIEWER, |s| s.roles),
        me: session.as_ref().map(|s| s.user.id),
        width,
        settings,
    }
}

impl App {
    /// A new app; `now` is the instant it starts (ticks move it on).
    pub fn new(settings: Settings, now: DateTime<Utc>) -> App {
        App {
            settings,
            session: None,
            login: LoginForm::default(),
            locked: false,
            stack: Vec::new(),
            popups: Vec::new(),
            toasts: Vec::new(),
            pending: Vec::new(),
            next_req: 1,
            idle_ticks: 0,
            now,
            spinner: 0,
            size: (80, 24),
            quit: false,
            dirty: true,
            outage: None,
            sent: Vec::new(),
            retry: Vec::new(),
        }
    }

    /// The office's calendar day now.
    pub fn today(&self) -> NaiveDate {
        crate::domain::time::today(self.now, self.settings.tz)
    }

    pub fn roles(&self) -> Roles {
        self.session.as_ref().map_or(Roles::VIEWER, |s| s.roles)
    }

    pub fn screen(&self) -> Option<&Screen> {
        self.stack.last()
    }

    /// Is a request of this token on its way?
    pub fn is_pending(&self, token: Token) -> bool {
        self.pending.iter().any(|(t, _)| *t == token)
    }

    /// Is this request still awaited (not superseded by a newer one of its token)?
    pub fn is_live(&self, req_id: ReqId) -> bool {
        self.pending.iter().any(|(_, id)| *id == req_id)
    }

    pub fn busy(&self) -> bool {
        !self.pending.is_empty()
    }

    /// The one entry point: a message in, effects out.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) if key.kind == KeyEventKind::Release => Vec::new(),
            Msg::Key(key) => {
                self.idle_ticks = 0;
                self.dirty = true;
                self.on_key(key)
            }
            Msg::Paste(text) => {
                self.idle_ticks = 0;
                self.dirty = true;
                if self.session.is_none() || self.locked {
                    self.login.paste(&text);
                } else if let Some(Popup::Palette(p)) = self.popups.last_mut() {
                    p.paste(&text);
                } else if let Some(Popup::Form(f)) = self.popups.last_mut() {
                    f.paste(&text);
                } else if let Some(Popup::Choose(c)) = self.popups.last_mut() {
                    c.type_text(&text);
                } else if self.popups.is_empty()
                    && let Some(s) = self.stack.last_mut().filter(|s| s.component().captures_text())
                {
                    s.component_mut().on_paste(&text);
                }
                Vec::new()
            }
            Msg::Pointer(p) => {
                self.idle_ticks = 0;
                self.dirty = true;
                // Over a screen only: popups, the login and the lock keep to keys.
                if self.session.is_none() || self.locked || !self.popups.is_empty() {
                    return Vec::new();
                }
                let Some(screen) = self.stack.last_mut() else { return Vec::new() };
                let actions = screen.component_mut().on_pointer(p);
                actions.into_iter().flat_map(|a| self.on_pointed(a)).collect()
            }
            Msg::Resize(w, h) => {
                self.size = (w, h);
                self.dirty = true;
                Vec::new()
            }
            Msg::Tick(now) => self.on_tick(now),
            Msg::Backend(ev) => self.on_event(*ev),
            Msg::Changed(_) => self.reload_current(),
            Msg::Edited { screen, tag, text } => {
                self.dirty = true;
                self.run_cmds(vec![Cmd::Call(screen, crate::ui::cmd::Call::Edited { tag, text })], screen)
            }
        }
    }

    fn on_tick(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let day_before = self.today();
        self.now = now;
        let before = self.toasts.len();
        for t in &mut self.toasts {
            t.ticks_left = t.ticks_left.saturating_sub(1);
        }
        self.toasts.retain(|t| t.ticks_left > 0);
        if self.toasts.len() != before {
            self.dirty = true;
        }
        if self.session.is_some() && !self.locked {
            let cx = make_cx(&self.settings, &self.session, self.now, self.size.0);
            if let Some(top) = self.stack.last_mut() {
                top.component_mut().on_tick(&cx);
            }
        }
        if self.busy() {
            self.spinner = self.spinner.wrapping_add(1);
            self.dirty = true;
        }
        if self.session.is_some() && !self.locked && self.settings.idle_lock_ticks > 0 {
            self.idle_ticks += 1;
            if self.idle_ticks >= self.settings.idle_lock_ticks {
                self.lock();
            }
        }
        let probe = self.probe_tick();
        if !probe.is_empty() {
            return probe;
        }
        // Past midnight in the office's zone: "today" moved, so what is on screen
        // (the dashboard's due items, days in stage) is asked again.
        if self.session.is_some() && self.today() != day_before {
            self.dirty = true;
            return self.reload_current();
        }
        Vec::new()
    }

    /// The idle lock: the screen stays as it is underneath; the password is asked again.
    pub fn lock(&mut self) {
        if let Some(s) = &self.session {
            self.locked = true;
            self.login = LoginForm::for_unlock(s.user.email.as_deref().unwrap_or(""));
            self.dirty = true;
        }
    }

    pub fn toast(&mut self, text: impl Into<String>) {
        self.toasts.push(Toast { text: text.into(), error: false, ticks_left: TOAST_TICKS });
        self.dirty = true;
    }

    pub fn toast_error(&mut self, text: impl Into<String>) {
        self.toasts.push(Toast { text: text.into(), error: true, ticks_left: TOAST_TICKS * 2 });
        self.dirty = true;
    }

    /// Sends `request` for `token`; a load supersedes the pending load of its token.
    pub fn request(&mut self, token: Token, request: Request) -> Effect {
        let req_id = self.next_req;
        self.next_req += 1;
        if matches!(token, Token::Login) || matches!(token, Token::Screen(_, lane) if lane.supersedable()) {
            self.pending.retain(|(t, _)| *t != token);
        }
        self.pending.push((token, req_id));
        self.remember(req_id, token, &request, false);
        // A load that also saves (the board keeping a filter) is never cut short.
        let supersedes = token.supersede_key().filter(|_| !request.saves());
        Effect::Send(Box::new(Envelope { req_id, supersedes, request }))
    }

    fn on_event(&mut self, ev: Event) -> Vec<Effect> {
        let Some(pos) = self.pending.iter().position(|(_, id)| *id == ev.req_id) else {
            return Vec::new(); // stale: a newer request superseded it
        };
        // Progress: to the screen that asked, which still waits for the answer.
        if ev.partial {
            return match (self.pending[pos].0, ev.result) {
                (Token::Screen(id, lane), Ok(reply)) => self.reply_to_screen(id, lane, Ok(reply)),
                _ => Vec::new(),
            };
        }
        let (token, _) = self.pending.remove(pos);
        self.dirty = true;
        let (kept, mut effects) = self.watch(ev.req_id, &ev.result);
        if kept {
            return effects;
        }
        effects.extend(self.route(token, ev));
        effects
    }

    fn route(&mut self, token: Token, ev: Event) -> Vec<Effect> {
        if let Some(who) = &ev.who
            && self.follow_session(who)
        {
            return Vec::new();
        }
        match (token, ev.result) {
            (Token::Login, Ok(Reply::Office(OfficeReply::Login(outcome)))) => self.on_login(outcome),
            (Token::Login, Ok(Reply::Users(UserReply::PasswordChanged))) => self.on_password_changed(),
            (Token::Login | Token::Probe, Ok(_)) => Vec::new(),
            (Token::Probe, Err(_)) => Vec::new(),
            (Token::Login, Err(e)) => {
                self.login.outcome = Some(LoginOutcome::Error(describe_error(&e)));
                Vec::new()
            }
            (Token::Screen(id, lane), result) => self.reply_to_screen(id, lane, result),
        }
    }

    /// Takes the backend's word on who the user is now. Returns true when the session
    /// is over (deactivated, banned): the app is back at the login screen.
    fn follow_session(&mut self, who: &Who) -> bool {
        let Some(session) = &mut self.session else { return false };
        if who.user_id != session.user.id {
            return false;
        }
        if !who.active {
            self.end_session("your account was deactivated or banned; the session has ended");
            return true;
        }
        if session.roles != who.roles {
            session.roles = who.roles;
            let label = who.roles.label();
            // A screen the new roles may not open closes.
            let roles = who.roles;
            let cx = make_cx(&self.settings, &self.session, self.now, self.size.0);
            self.stack.retain_mut(|s| {
                let keep = s.id().requires().is_none_or(|p| roles.can(p));
                if !keep {
                    // Closed by the change: it keeps what it keeps (the autosave).
                    s.component_mut().on_exit(&cx);
                }
                keep
            });
            if self.stack.is_empty() {
                self.stack.push(Screen::Dashboard(Default::default()));
            }
            self.toast_error(format!("your roles changed: you are now {label}"));
        }
        false
    }

    /// Back to the login screen, saying why.
    fn end_session(&mut self, why: &str) {
        // Its screens go: each keeps what it keeps first (the editor's autosave).
        self.shutdown();
        self.session = None;
        self.locked = false;
        self.stack.clear();
        self.popups.clear();
        self.pending.clear();
        self.login = LoginForm::default();
        self.login.refused(why.to_string());
        self.dirty = true;
    }

    /// A reply for a screen: to the screen that asked, wherever it is in the stack.
    fn reply_to_screen(&mut self, id: ScreenId, lane: Lane, result: Result<Reply, StoreError>) -> Vec<Effect> {
        let Some(idx) = self.stack.iter().rposition(|s| s.id() == id) else { return Vec::new() };
        if lane == Lane::Dialog {
            // The form's answer came: it takes keys again (a duplicate warning or an
            // error leaves it open with everything typed).
            for p in &mut self.popups {
                if let Popup::Form(f) = p {
                    f.saving = false;
                }
            }
        }
        let cx = make_cx(&self.settings, &self.session, self.now, self.size.0);
        let cmds = match result {
            Ok(reply) => self.stack[idx].component_mut().on_reply(lane, reply, &cx),
            Err(e) => {
                let why = describe_error(&e);
                let cmds = self.stack[idx].component_mut().on_error(lane, &e, &cx);
                let form = self.popups.iter_mut().rev().find(|p| matches!(p, Popup::Form(_)));
                match (lane, form) {
                    // The form stays open with everything typed, and says why (at
                    // the field the store names).
                    (Lane::Dialog, Some(Popup::Form(form))) => {
                        // At its field the message needs no field name ("email: …").
                        match &e {
                            StoreError::Invalid { field, why } if form.has(field) => {
                                form.refused(Some(field.as_str()), why.clone())
                            }
                            // Every screen with a versioned form reloads the other
                            // writer's version and saves the next time over it.
                            StoreError::Conflict { .. } => form.refused(None, conflict_words(&why)),
                            _ => form.refused(None, why),
                        }
                    }
                    _ => self.toast_error(why),
                }
                cmds
            }
        };
        self.run_cmds(cmds, id)
    }

    /// Opens a screen on top of the stack (or goes back to it if already open).
    pub fn open(&mut self, id: ScreenId) -> Vec<Effect> {
        let Some(session) = &self.session else { return Vec::new() };
        if id == ScreenId::Lead {
            return Vec::new(); // a lead opens from the board, with its id
        }
        if id.requires().is_some_and(|a| !session.roles.can(a)) {
            let msg = format!("{} ({}) may not open {}", session.user.full_name, session.roles.label(), id.name());
            self.toast_error(crate::text::inert(&msg));
            return Vec::new();
        }
        if let Some(pos) = self.stack.iter().position(|s| s.id() == id) {
            self.stack.truncate(pos + 1);
            return self.reload_current();
        }
        match Screen::new(id, &self.settings) {
            Some(screen) => self.push(screen),
            None => Vec::new(),
        }
    }

    fn push(&mut self, screen: Screen) -> Vec<Effect> {
        self.stack.push(screen);
        self.reload_current()
    }

    /// Asks the current screen's data again (after a change notice, or `ctrl-r`).
    /// Screens keep their cursor and any text being typed.
    fn reload_current(&mut self) -> Vec<Effect> {
        let cx = make_cx(&self.settings, &self.session, self.now, self.size.0);
        let Some(screen) = self.stack.last_mut() else { return Vec::new() };
        let id = screen.id();
        let cmds = screen.component_mut().reload(&cx);
        self.run_cmds(cmds, id)
    }

    /// Contexts of the keymap that apply now, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        match self.popups.last() {
            Some(Popup::Form(_) | Popup::Prompt(_) | Popup::Input(_)) => vec![Context::Form],
            Some(Popup::Choose(_) | Popup::Confirm { .. } | Popup::Text { .. }) => vec![Context::Popup],
            _ => self.screen().map(|s| s.component().contexts().to_vec()).unwrap_or_default(),
        }
    }
}

/// A conflict for a form that stays open: who saved meanwhile, and that the next
/// save goes over their version (the conflict's own words end "nothing was
/// overwritten").
fn conflict_words(why: &str) -> String {
    let who = why.split(" since you opened it").next().unwrap_or(why);
    format!("{who}: their version is shown underneath; ctrl-s again saves yours over it")
}

/// A store error in plain words for a toast.
pub fn describe_error(e: &StoreError) -> String {
    match e {
        StoreError::Unavailable(_) => format!("{e} — nothing was lost; try again with ctrl-r"),
        _ => e.to_string(),
    }
}
