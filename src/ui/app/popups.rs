//! Keys while a popup is open: the top popup takes them all.

use super::{App, ConfirmAction, Popup, Slot};
use crate::ui::msg::Effect;
use crate::ui::screens::ScreenId;
use crossterm::event::{KeyCode, KeyEvent};

impl App {
    /// A key for the popup on top (help, palette, confirm, prompts, forms, lists).
    pub(super) fn on_popup_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(popup) = self.popups.last_mut() else { return Vec::new() };
        match popup {
            Popup::Help => {
                self.popups.pop();
                Vec::new()
            }
            Popup::Confirm { on_yes, .. } => {
                let on_yes = *on_yes;
                self.popups.pop();
                if matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter) {
                    match on_yes {
                        ConfirmAction::Quit => {
                            self.quit = true;
                            return vec![Effect::Quit];
                        }
                    }
                }
                Vec::new()
            }
            Popup::Prompt(prompt) => match prompt.on_key(key, crate::store::now()) {
                crate::ui::prompt::PromptOutcome::Stay => Vec::new(),
                crate::ui::prompt::PromptOutcome::Cancel => {
                    self.popups.pop();
                    self.toast("move cancelled; nothing changed");
                    Vec::new()
                }
                crate::ui::prompt::PromptOutcome::Submit(lead_id, to, input) => {
                    self.popups.pop();
                    self.with_pipeline(lead_id, |p| p.start_move(to, input))
                }
            },
            Popup::Input(form) => match form.on_key(key, crate::store::now()) {
                crate::ui::prompt::InputOutcome::Stay => Vec::new(),
                crate::ui::prompt::InputOutcome::Cancel => {
                    self.popups.pop();
                    Vec::new()
                }
                crate::ui::prompt::InputOutcome::Submit(req) => {
                    self.popups.pop();
                    vec![self.request(Slot::Screen(ScreenId::Lead, crate::ui::screens::lead::LANE_EDIT), req)]
                }
            },
            Popup::Form(form) => match form.on_key(key) {
                crate::ui::form::FormOutcome::Stay => Vec::new(),
                crate::ui::form::FormOutcome::Cancel => {
                    let changed = form.changed();
                    self.popups.pop();
                    if changed {
                        self.toast("form closed; nothing was saved");
                    }
                    Vec::new()
                }
                crate::ui::form::FormOutcome::Submit(req) => vec![self.dialog_request(req)],
            },
            Popup::Choose(chooser) => match chooser.on_key(key) {
                crate::ui::chooser::ChooserOutcome::Stay => Vec::new(),
                crate::ui::chooser::ChooserOutcome::Cancel => {
                    self.popups.pop();
                    Vec::new()
                }
                crate::ui::chooser::ChooserOutcome::Pick(choice) => {
                    self.popups.pop();
                    self.on_choice(choice)
                }
            },
            Popup::Pick { lead_id, targets, cursor } => {
                let n = targets.len();
                match key.code {
                    KeyCode::Esc | KeyCode::Char('q') => {
                        self.popups.pop();
                    }
                    KeyCode::Up | KeyCode::Char('k') => *cursor = cursor.saturating_sub(1),
                    KeyCode::Down | KeyCode::Char('j') => *cursor = (*cursor + 1).min(n.saturating_sub(1)),
                    KeyCode::Enter => {
                        let (lead_id, to) = (*lead_id, targets.get(*cursor).copied());
                        self.popups.pop();
                        if let Some(to) = to {
                            return self.with_pipeline(lead_id, |p| p.ask_or_move(to, Default::default()));
                        }
                    }
                    _ => {}
                }
                Vec::new()
            }
            Popup::Palette(p) => match p.on_key(key) {
                crate::ui::palette::PaletteOutcome::Stay => Vec::new(),
                crate::ui::palette::PaletteOutcome::Close => {
                    self.popups.pop();
                    Vec::new()
                }
                crate::ui::palette::PaletteOutcome::Run(entry) => {
                    self.popups.pop();
                    self.run_entry(entry)
                }
            },
        }
    }
}
