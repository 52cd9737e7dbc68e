//! Carrying out what screens and popups ask for: the one place a `Cmd` becomes a
//! request, a screen, a popup or a toast.

use super::{App, Popup, make_cx};
use crate::ui::cmd::{Cmd, Token};
use crate::ui::msg::Effect;
use crate::ui::screens::ScreenId;

impl App {
    /// Runs `cmds` on behalf of the screen `from` (requests reply to it).
    pub(super) fn run_cmds(&mut self, cmds: Vec<Cmd>, from: ScreenId) -> Vec<Effect> {
        let mut effects = Vec::new();
        for cmd in cmds {
            match cmd {
                Cmd::Send(lane, request) => effects.push(self.request(Token::Screen(from, lane), request)),
                Cmd::Open(id) => effects.extend(self.open(id)),
                Cmd::Push(screen) => effects.extend(self.push(*screen)),
                Cmd::Popup(p) => self.popups.push(*p),
                Cmd::CloseDialogs => self.popups.retain(|p| !p.is_dialog()),
                Cmd::FieldError { field, why } => {
                    if let Some(Popup::Form(f)) = self.popups.iter_mut().rev().find(|p| matches!(p, Popup::Form(_))) {
                        f.refused(field, why);
                    } else {
                        self.toast_error(why);
                    }
                }
                Cmd::Toast(text) => self.toast(text),
                Cmd::Error(text) => self.toast_error(text),
                Cmd::Copy(text) => effects.push(Effect::Copy(text)),
                Cmd::External { tag, text } => effects.push(Effect::External { screen: from, tag, text }),
                Cmd::Call(id, call) => {
                    let cx = make_cx(&self.settings, &self.session, self.now, self.size.0);
                    let Some(screen) = self.stack.iter_mut().rev().find(|s| s.id() == id) else { continue };
                    let more = screen.component_mut().on_call(call, &cx);
                    effects.extend(self.run_cmds(more, id));
                }
                Cmd::Reload => effects.extend(self.reload_current()),
                Cmd::Leave => {
                    if self.stack.len() > 1 && self.stack.last().is_some_and(|s| s.id() == from) {
                        // Leaving keeps what it keeps on any way out (the autosave).
                        let cx = make_cx(&self.settings, &self.session, self.now, self.size.0);
                        if let Some(mut gone) = self.stack.pop() {
                            gone.component_mut().on_exit(&cx);
                        }
                        effects.extend(self.reload_current());
                    }
                }
                Cmd::Quit => effects.extend(self.quit_now()),
                Cmd::CloseForm => {
                    if let Some(i) = self.popups.iter().rposition(|p| matches!(p, Popup::Form(_) | Popup::Input(_))) {
                        self.popups.remove(i);
                        self.toast("form closed; nothing was saved");
                    }
                }
            }
        }
        effects
    }
}
