//! App state and `update`: no I/O, no awaiting. Effects (backend commands, quit,
//! suspend) are returned for the event loop to carry out, so the whole UI can be
//! driven by a test feeding messages.

mod dialogs;
mod popups;

use super::keymap::{Action, Context, Keymap};
use super::msg::{Effect, Msg};
use super::palette::Palette;
use super::screens::login::{LoginForm, LoginOutcome};
use super::screens::{ActionCtx, Screen, ScreenId};
use super::theme::Theme;
use crate::backend::{Command, Event, Reply, ReqId, Request};
use crate::domain::lead::LeadStatus;
use crate::domain::permissions::Action as Permission;
use crate::store::users::{LoggedIn, User};
use crate::store::{Actor, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

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
    /// The office's calendar day (dashboard "today").
    pub today: NaiveDate,
    /// The terminal name recorded with each login.
    pub terminal: String,
    /// Presets offered when closing a lead as lost.
    pub lost_reasons: Vec<String>,
    /// Days per stage before a card is marked as rotting.
    pub rot_days: std::collections::BTreeMap<String, i64>,
    /// Where `E` writes exports (empty: the current directory).
    pub export_dir: std::path::PathBuf,
}

/// The logged-in user.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub actor: Actor,
    pub previous: Option<(DateTime<Utc>, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub text: String,
    pub error: bool,
    ticks_left: u32,
}

/// Popups stack over the screen; keys go to the top one.
#[derive(Debug, Clone)]
pub enum Popup {
    Help,
    Palette(Palette),
    /// A yes/no question; `y` runs the action.
    Confirm {
        question: String,
        on_yes: ConfirmAction,
    },
    /// What a pipeline move needs (lost reason, follow-up date, budget).
    Prompt(super::prompt::MovePrompt),
    /// A note or a date for the lead view.
    Input(super::prompt::InputForm),
    /// The lead form (edit, new).
    Form(Box<super::form::LeadForm>),
    /// Pick one line of a short list.
    Choose(super::chooser::Chooser),
    /// The stages a card may move to (`m`).
    Pick {
        lead_id: i64,
        targets: Vec<LeadStatus>,
        cursor: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmAction {
    Quit,
}

/// Which request a reply answers. One pending request per slot: a newer one
/// supersedes the older (latest wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Login,
    /// A screen's request lane (0: its main load).
    Screen(ScreenId, u64),
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
    pending: Vec<(Slot, ReqId)>,
    next_req: ReqId,
    idle_ticks: u32,
    pub spinner: usize,
    pub size: (u16, u16),
    pub quit: bool,
    /// Something visible changed since the last draw.
    pub dirty: bool,
}

impl App {
    pub fn new(settings: Settings) -> App {
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
            spinner: 0,
            size: (80, 24),
            quit: false,
            dirty: true,
        }
    }

    /// Logs in straight away with these credentials.
    pub fn auto_login(&mut self, email: &str, password: &str) -> Vec<Effect> {
        self.login = LoginForm::prefilled(email, password);
        self.submit_login()
    }

    /// `staffroom demo --as ROLE`: opens logged in as that demo account.
    pub fn demo_login(&mut self, email: &str) -> Vec<Effect> {
        self.login = LoginForm::prefilled(email, "");
        let terminal = self.settings.terminal.clone();
        vec![self.request(Slot::Login, Request::DemoLogin { email: email.to_string(), terminal })]
    }

    pub fn actor(&self) -> Option<&Actor> {
        self.session.as_ref().map(|s| &s.actor)
    }

    pub fn screen(&self) -> Option<&Screen> {
        self.stack.last()
    }

    /// Is a request of this slot on its way?
    pub fn is_pending(&self, slot: Slot) -> bool {
        self.pending.iter().any(|(s, _)| *s == slot)
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
                }
                Vec::new()
            }
            Msg::Resize(w, h) => {
                self.size = (w, h);
                self.dirty = true;
                Vec::new()
            }
            Msg::Tick => self.on_tick(),
            Msg::Backend(ev) => self.on_event(*ev),
            Msg::Changed(_) => self.reload_current(),
        }
    }

    fn on_tick(&mut self) -> Vec<Effect> {
        let before = self.toasts.len();
        for t in &mut self.toasts {
            t.ticks_left = t.ticks_left.saturating_sub(1);
        }
        self.toasts.retain(|t| t.ticks_left > 0);
        if self.toasts.len() != before {
            self.dirty = true;
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

    /// Sends `request` for `slot`, superseding any pending request of that slot.
    pub fn request(&mut self, slot: Slot, request: Request) -> Effect {
        let req_id = self.next_req;
        self.next_req += 1;
        self.pending.retain(|(s, _)| *s != slot);
        self.pending.push((slot, req_id));
        Effect::Send(Box::new(Command { req_id, actor: self.actor().cloned(), request }))
    }

    fn on_event(&mut self, ev: Event) -> Vec<Effect> {
        let Some(pos) = self.pending.iter().position(|(_, id)| *id == ev.req_id) else {
            return Vec::new(); // stale: a newer request superseded it
        };
        let (slot, _) = self.pending.remove(pos);
        self.dirty = true;
        match (slot, ev.result) {
            (Slot::Login, Ok(Reply::Login(outcome))) => self.on_login(outcome),
            (Slot::Screen(..), Ok(Reply::LeadChanged | Reply::MessageSaved)) => {
                self.toast("saved");
                self.reload_current()
            }
            (Slot::Screen(_, super::screens::LANE_DIALOG), result) => self.on_dialog_reply(result),
            (Slot::Login, Err(e)) => {
                self.login.outcome = Some(LoginOutcome::Error(e.to_string()));
                Vec::new()
            }
            (Slot::Screen(id, lane), result) => {
                let Some(screen) = self.stack.iter_mut().rev().find(|s| s.id() == id) else { return Vec::new() };
                match result {
                    Ok(reply) => {
                        screen.on_reply(lane, reply);
                        Vec::new()
                    }
                    Err(e) => {
                        screen.on_error(lane);
                        self.toast_error(describe_error(&e));
                        Vec::new()
                    }
                }
            }
            (Slot::Login, Ok(_)) => Vec::new(),
        }
    }

    fn on_login(&mut self, outcome: Result<LoggedIn, crate::store::users::LoginRefused>) -> Vec<Effect> {
        match outcome {
            Err(refused) => {
                self.login.refused(refused.to_string());
                Vec::new()
            }
            Ok(ok) => {
                if self.locked {
                    // Unlock: resume exactly where the user was.
                    self.locked = false;
                    self.login = LoginForm::default();
                    return Vec::new();
                }
                let previous = ok.previous.clone();
                let actor = ok.user.actor();
                self.session = Some(Session { user: ok.user, actor, previous: ok.previous });
                self.login = LoginForm::default();
                if let Some((at, from)) = previous {
                    self.toast(format!(
                        "Last login {} from {}",
                        at.format("%Y-%m-%d %H:%M UTC"),
                        super::text::inert(&from)
                    ));
                }
                self.stack.clear();
                self.open(ScreenId::Dashboard)
            }
        }
    }

    /// Opens a screen on top of the stack (or goes back to it if already open).
    pub fn open(&mut self, id: ScreenId) -> Vec<Effect> {
        let Some(actor) = self.actor().cloned() else { return Vec::new() };
        if id == ScreenId::Lead {
            return Vec::new(); // a lead opens from the board, with its id
        }
        if id.requires().is_some_and(|a| !actor.roles.can(a)) {
            self.toast_error(format!("{} ({}) may not open {}", actor.name, actor.roles.label(), id.name()));
            return Vec::new();
        }
        if let Some(pos) = self.stack.iter().position(|s| s.id() == id) {
            self.stack.truncate(pos + 1);
            return self.reload_current();
        }
        let screen = Screen::new(id, &self.settings.rot_days);
        self.stack.push(screen);
        self.reload_current()
    }

    /// Asks the current screen's data again (after a change notice, or `ctrl-r`).
    /// Screens keep their cursor and any text being typed.
    fn reload_current(&mut self) -> Vec<Effect> {
        let today = self.settings.today;
        let Some(screen) = self.stack.last_mut() else { return Vec::new() };
        let id = screen.id();
        match screen.reload_request(today) {
            Some(req) => vec![self.request(Slot::Screen(id, 0), req)],
            None => Vec::new(),
        }
    }

    fn submit_login(&mut self) -> Vec<Effect> {
        let Some((email, password)) = self.login.submit() else { return Vec::new() };
        let terminal = self.settings.terminal.clone();
        vec![self.request(Slot::Login, Request::Login { email, password, terminal })]
    }

    /// Contexts of the keymap that apply now, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        self.screen().map(|s| s.contexts().to_vec()).unwrap_or_default()
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        // Ctrl-C always quits, whatever has focus.
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            self.quit = true;
            return vec![Effect::Quit];
        }
        if self.session.is_none() || self.locked {
            return self.on_login_key(key);
        }
        if !self.popups.is_empty() {
            return self.on_popup_key(key);
        }
        if let Some(screen) = self.stack.last_mut().filter(|s| s.captures_text()) {
            let outcome = screen.on_text_key(key);
            return self.apply(outcome);
        }
        let contexts = self.contexts();
        let Some(action) = self.settings.keymap.action(&contexts, &key) else {
            return Vec::new();
        };
        self.on_action(action)
    }

    fn on_action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Quit => {
                if self.stack.iter().any(|s| s.has_unsaved()) {
                    self.popups.push(Popup::Confirm {
                        question: "Quit and lose what you typed? (y/n)".into(),
                        on_yes: ConfirmAction::Quit,
                    });
                    return Vec::new();
                }
                self.quit = true;
                vec![Effect::Quit]
            }
            Action::Help => {
                self.popups.push(Popup::Help);
                Vec::new()
            }
            Action::Palette => {
                let actor = self.actor().cloned();
                if let Some(actor) = actor {
                    self.popups.push(Popup::Palette(Palette::new(&actor)));
                }
                Vec::new()
            }
            Action::Back => {
                if self.stack.len() > 1 {
                    self.stack.pop();
                    return self.reload_current();
                }
                Vec::new()
            }
            Action::Refresh => self.reload_current(),
            Action::Suspend => vec![Effect::Suspend],
            other if needs_edit(self.screen().map(|s| s.id()), other) => {
                // The backend refuses too; saying so here keeps a viewer's board from
                // flashing a move that is then rolled back.
                let refused = self.actor().and_then(|a| a.require(Permission::EditLeads).err());
                if let Some(e) = refused {
                    self.toast_error(e.to_string());
                    return Vec::new();
                }
                self.screen_action(other)
            }
            other => self.screen_action(other),
        }
    }

    /// Hands an action to the screen on top and carries out what it asks for.
    fn screen_action(&mut self, action: Action) -> Vec<Effect> {
        let ctx = ActionCtx {
            today: self.settings.today,
            can_reopen: self.actor().is_some_and(|a| a.roles.can(Permission::ReopenLead)),
            width: self.size.0,
            me: self.actor().and_then(|a| a.user_id),
        };
        let Some(screen) = self.stack.last_mut() else { return Vec::new() };
        let outcome = screen.on_action(action, ctx);
        self.apply(outcome)
    }

    /// Carries out what a screen asked for.
    fn apply(&mut self, outcome: super::screens::Outcome) -> Vec<Effect> {
        let mut effects = Vec::new();
        let Some(id) = self.screen().map(|s| s.id()) else { return effects };
        if let Some(req) = outcome.request {
            effects.push(self.request(Slot::Screen(id, outcome.lane), req));
        }
        if let Some(msg) = outcome.toast {
            self.toast(msg);
        }
        if let Some(pending) = outcome.prompt {
            self.popups.push(Popup::Prompt(super::prompt::MovePrompt::new(pending, &self.settings.lost_reasons)));
        }
        if let Some((lead_id, targets)) = outcome.pick {
            if targets.is_empty() {
                self.toast("this lead cannot move anywhere (closed; reopening is admin-only)");
            } else {
                self.popups.push(Popup::Pick { lead_id, targets, cursor: 0 });
            }
        }
        if let Some(input) = outcome.input {
            self.popups.push(Popup::Input(super::prompt::InputForm::new(input)));
        }
        if let Some(filter) = outcome.export {
            let dir = self.settings.export_dir.clone();
            let dir = if dir.as_os_str().is_empty() { std::path::PathBuf::from(".") } else { dir };
            effects.push(self.dialog_request(Request::ExportLeads { filter, dir }));
        }
        if let Some(form) = outcome.form {
            self.popups.push(Popup::Form(form));
        }
        if let Some(chooser) = outcome.choose {
            self.popups.push(Popup::Choose(chooser));
        }
        if let Some(lead_id) = outcome.open_lead {
            self.stack.push(Screen::Lead(Box::new(super::screens::lead::LeadScreen::new(lead_id))));
            effects.extend(self.reload_current());
        }
        if let Some(target) = outcome.open {
            effects.extend(self.open(target));
        }
        effects
    }

    /// Runs `f` on the pipeline screen with `lead_id`'s card selected.
    fn with_pipeline(
        &mut self,
        lead_id: i64,
        f: impl FnOnce(&mut super::screens::pipeline::PipelineScreen) -> super::screens::Outcome,
    ) -> Vec<Effect> {
        let Some(Screen::Pipeline(p)) = self.stack.last_mut() else { return Vec::new() };
        if !p.select(lead_id) {
            self.toast_error("that lead is no longer on the board; nothing changed");
            return Vec::new();
        }
        let outcome = f(p);
        self.apply(outcome)
    }

    fn run_entry(&mut self, entry: super::palette::Entry) -> Vec<Effect> {
        match entry {
            super::palette::Entry::Screen(id) => self.open(id),
            super::palette::Entry::Action(a) => self.on_action(a),
        }
    }

    fn on_login_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if self.is_pending(Slot::Login) {
            return Vec::new();
        }
        match key.code {
            KeyCode::Enter => self.submit_login(),
            KeyCode::Esc if !self.locked => {
                self.quit = true;
                vec![Effect::Quit]
            }
            _ => {
                self.login.on_key(key);
                Vec::new()
            }
        }
    }
}

/// Actions that change leads or messages (read-only roles are told at once).
fn needs_edit(screen: Option<ScreenId>, action: Action) -> bool {
    use Action::*;
    match screen {
        Some(ScreenId::Pipeline) => matches!(action, MoveBack | MoveForward | MoveTo | Undo | NewLead),
        Some(ScreenId::Lead) => matches!(action, Edit | Note | FollowUp | Assign | AssignMe | Merge),
        Some(ScreenId::Messages) => matches!(action, Convert | InProgress | Resolve),
        _ => false,
    }
}

/// A store error in plain words for a toast.
pub fn describe_error(e: &StoreError) -> String {
    match e {
        StoreError::Unavailable(_) => format!("{e} — nothing was lost; try again with ctrl-r"),
        _ => e.to_string(),
    }
}
