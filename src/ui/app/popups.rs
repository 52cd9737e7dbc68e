//! Keys while a popup is open: the top popup takes them all, through the keymap's
//! `popup` and `form` contexts (so `?` lists them and config can rebind them).

use super::{App, Popup};
use crate::ui::chooser::ChooserOutcome;
use crate::ui::cmd::Cmd;
use crate::ui::keymap::{Action, Context};
use crate::ui::msg::Effect;
use crate::ui::palette::PaletteOutcome;
use crate::ui::prompt::Typed;
use crate::ui::screens::ScreenId;
use crossterm::event::{KeyCode, KeyEvent};

/// Asked when Esc would drop what a form or a note holds.
const DROP_TYPING: &str = "Close the form and lose what you typed? (y closes; n/Esc keeps editing)";

impl App {
    /// The screen popups act for (their requests reply to it).
    fn popup_owner(&self) -> ScreenId {
        self.screen().map_or(ScreenId::Dashboard, |s| s.id())
    }

    /// A key for the popup on top (help, palette, confirm, prompts, forms, lists).
    pub(super) fn on_popup_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let owner = self.popup_owner();
        let today = self.today();
        let tz = self.settings.tz;
        let popup_action = self.settings.keymap.action(&[Context::Popup], &key);
        // One-line prompts: printable keys are text; only other keys are bindings.
        let printable = matches!(key.code, KeyCode::Char(_))
            && !key.modifiers.intersects(crossterm::event::KeyModifiers::CONTROL | crossterm::event::KeyModifiers::ALT);
        let line_action = if printable { None } else { self.settings.keymap.action(&[Context::Form], &key) };
        let Some(popup) = self.popups.last_mut() else { return Vec::new() };
        match popup {
            Popup::Help { .. } => {
                // Moving keys scroll the list; any other key closes it.
                let last = super::super::view::help_lines(self).len().saturating_sub(1);
                let Some(Popup::Help { scroll }) = self.popups.last_mut() else { return Vec::new() };
                match popup_action.or_else(|| self.settings.keymap.action(&[Context::List], &key)) {
                    Some(Action::Up) => *scroll = scroll.saturating_sub(1),
                    Some(Action::Down) => *scroll = (*scroll + 1).min(last),
                    Some(Action::PageUp) => *scroll = scroll.saturating_sub(10),
                    Some(Action::PageDown) => *scroll = (*scroll + 10).min(last),
                    _ => {
                        self.popups.pop();
                    }
                }
                Vec::new()
            }
            Popup::Confirm { on_yes, .. } => match popup_action {
                Some(Action::Yes | Action::Open) => {
                    let cmds = std::mem::take(on_yes);
                    self.popups.pop();
                    self.run_cmds(cmds, owner)
                }
                Some(Action::No | Action::Back) => {
                    self.popups.pop();
                    Vec::new()
                }
                _ => Vec::new(),
            },
            Popup::Prompt(prompt) => match prompt.on_key(key, line_action, today, tz) {
                Typed::Stay => Vec::new(),
                Typed::Cancel => {
                    self.popups.pop();
                    self.toast("move cancelled; nothing changed");
                    Vec::new()
                }
                Typed::Submit(cmds) => {
                    self.popups.pop();
                    self.run_cmds(cmds, owner)
                }
            },
            Popup::Input(form) => match form.on_key(key, line_action, today, tz) {
                Typed::Stay => Vec::new(),
                // A note being typed is kept unless dropping it is confirmed, as a form's.
                Typed::Cancel if !form.text.trim().is_empty() => {
                    self.popups
                        .push(Popup::Confirm { question: DROP_TYPING.to_string(), on_yes: vec![Cmd::CloseForm] });
                    Vec::new()
                }
                Typed::Cancel => {
                    self.popups.pop();
                    Vec::new()
                }
                Typed::Submit(cmds) => {
                    self.popups.pop();
                    self.run_cmds(cmds, owner)
                }
            },
            Popup::Form(form) => match form.on_key(key, &self.settings.keymap, today) {
                crate::ui::widgets::form::FormOutcome::Stay => Vec::new(),
                crate::ui::widgets::form::FormOutcome::Cancel => {
                    // What was typed is only dropped once confirmed; n or Esc goes
                    // back to the form as it was.
                    if form.changed() {
                        self.popups
                            .push(Popup::Confirm { question: DROP_TYPING.to_string(), on_yes: vec![Cmd::CloseForm] });
                    } else {
                        self.popups.pop();
                    }
                    Vec::new()
                }
                crate::ui::widgets::form::FormOutcome::Submit(values) => {
                    let call = crate::ui::cmd::Call::Submit { tag: form.tag, values };
                    self.run_cmds(vec![crate::ui::cmd::Cmd::Call(owner, call)], owner)
                }
            },
            Popup::Text { lines, scroll, on_yes, .. } => {
                let last = lines.len().saturating_sub(1);
                if let (Some(Action::Yes), Some((_, cmds))) = (popup_action, on_yes.as_ref()) {
                    let cmds = cmds.clone();
                    self.popups.pop();
                    return self.run_cmds(cmds, owner);
                }
                match popup_action {
                    Some(Action::Up) => *scroll = scroll.saturating_sub(1),
                    Some(Action::Down) => *scroll = (*scroll + 1).min(last),
                    Some(Action::PageUp) => *scroll = scroll.saturating_sub(10),
                    Some(Action::PageDown) => *scroll = (*scroll + 10).min(last),
                    Some(Action::Top) => *scroll = 0,
                    Some(Action::Bottom) => *scroll = last,
                    Some(Action::Back | Action::No | Action::Open | Action::Yes) => {
                        self.popups.pop();
                    }
                    _ => {}
                }
                Vec::new()
            }
            Popup::Choose(chooser) => {
                // Printable keys type into the filter (as in a prompt), so moving
                // is on keys that type nothing: arrows, ctrl-n/ctrl-p, PgUp/PgDn.
                let outcome = match key.code {
                    KeyCode::Char(c) if printable => chooser.on_char(c),
                    KeyCode::Backspace => {
                        chooser.backspace();
                        ChooserOutcome::Stay
                    }
                    _ => match popup_action {
                        Some(a) => chooser.on_action(a),
                        None => ChooserOutcome::Stay,
                    },
                };
                match outcome {
                    ChooserOutcome::Stay => Vec::new(),
                    ChooserOutcome::Cancel => {
                        self.popups.pop();
                        Vec::new()
                    }
                    ChooserOutcome::Pick(cmds) => {
                        self.popups.pop();
                        self.run_cmds(cmds, owner)
                    }
                }
            }
            Popup::Palette(p) => match p.on_key(key) {
                PaletteOutcome::Stay => Vec::new(),
                PaletteOutcome::Close => {
                    self.popups.pop();
                    Vec::new()
                }
                PaletteOutcome::Run(entry) => {
                    self.popups.pop();
                    self.run_entry(entry)
                }
            },
        }
    }
}
