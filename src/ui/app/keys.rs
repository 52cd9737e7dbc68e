//! Keys with no popup open: the keymap's action for the screen on top, the app's
//! own actions (quit, help, palette, back), and ctrl-c, which always reaches quit.

use super::{App, Popup, make_cx};
use crate::ui::cmd::Cmd;
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::Effect;
use crate::ui::screens::login::LoginOutcome;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Said on the lock screen at a ctrl-c while something is unsaved.
const LOCKED_UNSAVED: &str = "something typed is unsaved: unlock to keep it, or ctrl-c again to quit and lose it";

impl App {
    /// Typed and not saved: a screen's own (the editor), or a form holding changes
    /// or a note being typed, under whatever popup is on top.
    pub fn has_unsaved(&self) -> bool {
        self.stack.iter().any(|s| s.component().has_unsaved())
            || self.popups.iter().any(|p| match p {
                Popup::Form(f) => f.changed(),
                Popup::Input(i) => !i.text.trim().is_empty(),
                _ => false,
            })
    }

    /// Quits now: every screen keeps what it keeps on the way out first (the
    /// editor's autosave, written whole whatever its half-second pace).
    pub(super) fn quit_now(&mut self) -> Vec<Effect> {
        self.shutdown();
        self.quit = true;
        vec![Effect::Quit]
    }

    /// The app is about to end, by a key, a signal or a lost terminal: each screen
    /// writes what it keeps (the event loop calls this on every way out).
    pub fn shutdown(&mut self) {
        let cx = make_cx(&self.settings, &self.session, self.now, self.size.0);
        for s in &mut self.stack {
            s.component_mut().on_exit(&cx);
        }
    }

    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        // Ctrl-C always reaches quit, whatever has focus (a form, a popup, the
        // editor), and asks as `q` does when something is unsaved; a second ctrl-c
        // on that question answers it.
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            if matches!(self.popups.last(), Some(Popup::Confirm { on_yes, .. }) if matches!(on_yes.as_slice(), [Cmd::Quit]))
            {
                return self.quit_now();
            }
            // Locked, nothing can be asked in a popup: the lock screen says what
            // would be lost, and only a second ctrl-c quits.
            let warned = matches!(&self.login.outcome, Some(LoginOutcome::Error(w)) if w == LOCKED_UNSAVED);
            if self.locked && self.has_unsaved() && !warned {
                self.login.outcome = Some(LoginOutcome::Error(LOCKED_UNSAVED.to_string()));
                return Vec::new();
            }
            return self.on_action(Action::Quit);
        }
        if self.session.is_none() || self.locked {
            return self.on_login_key(key);
        }
        if !self.popups.is_empty() {
            return self.on_popup_key(key);
        }
        if self.stack.last().is_some_and(|s| s.component().captures_text()) {
            // A screen that takes typing (the editor, a filter being typed) still
            // lets the palette and help open on their non-printable keys (ctrl-p, F1).
            let printable = matches!(key.code, KeyCode::Char(_)) && !key.modifiers.contains(KeyModifiers::CONTROL);
            if !printable
                && let Some(a @ (Action::Palette | Action::Help)) =
                    self.settings.keymap.action(&[Context::Global], &key)
            {
                return self.on_action(a);
            }
            let cx = make_cx(&self.settings, &self.session, self.now, self.size.0);
            let Some(screen) = self.stack.last_mut() else { return Vec::new() };
            let id = screen.id();
            let cmds = screen.component_mut().on_text_key(key, &cx);
            return self.run_cmds(cmds, id);
        }
        let contexts = self.contexts();
        let Some(action) = self.settings.keymap.action(&contexts, &key) else {
            return Vec::new();
        };
        self.on_action(action)
    }

    /// An action the mouse asked for: as if its key was pressed.
    pub(super) fn on_pointed(&mut self, action: Action) -> Vec<Effect> {
        self.on_action(action)
    }

    fn on_action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Quit => {
                // Behind the lock screen nothing can be asked (ctrl-c warned there
                // first): what the editor holds goes to its autosave on the way out.
                if self.has_unsaved() && self.session.is_some() && !self.locked {
                    let question = "Quit and lose what you typed? (y/n; n goes back to it)".to_string();
                    self.popups.push(Popup::Confirm { question, on_yes: vec![Cmd::Quit] });
                    return Vec::new();
                }
                self.quit_now()
            }
            Action::Help => {
                self.popups.push(Popup::Help { scroll: 0 });
                Vec::new()
            }
            Action::Palette => {
                if self.session.is_some() {
                    self.popups.push(Popup::Palette(crate::ui::palette::Palette::new(self.roles())));
                }
                Vec::new()
            }
            Action::Back => {
                // A screen closes what it has open (the audit's detail) first.
                if self.stack.last_mut().is_some_and(|s| s.component_mut().on_back()) {
                    return Vec::new();
                }
                if self.stack.len() > 1 {
                    self.stack.pop();
                    return self.reload_current();
                }
                Vec::new()
            }
            Action::Refresh => self.reload_current(),
            Action::Suspend => vec![Effect::Suspend],
            other => self.screen_action(other),
        }
    }

    /// Hands an action to the screen on top, after checking the permission its
    /// command table names (the backend refuses too; saying so here keeps a viewer's
    /// board from flashing a move that is then rolled back).
    fn screen_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(screen) = self.stack.last() else { return Vec::new() };
        let needs = screen.component().offers().iter().find(|c| c.action == action).and_then(|c| c.needs);
        if let (Some(p), Some(s)) = (needs, &self.session)
            && !s.roles.can(p)
        {
            let msg = format!("{} ({}) may not {}", s.user.full_name, s.roles.label(), p.as_str().replace('_', " "));
            self.toast_error(crate::text::inert(&msg));
            return Vec::new();
        }
        let cx = make_cx(&self.settings, &self.session, self.now, self.size.0);
        let Some(screen) = self.stack.last_mut() else { return Vec::new() };
        let id = screen.id();
        let cmds = screen.component_mut().on_action(action, &cx);
        self.run_cmds(cmds, id)
    }

    pub(super) fn run_entry(&mut self, entry: crate::ui::palette::Entry) -> Vec<Effect> {
        match entry {
            crate::ui::palette::Entry::Screen(id) => self.open(id),
            crate::ui::palette::Entry::Action(a) => self.on_action(a),
        }
    }
}
