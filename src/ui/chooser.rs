//! A short list to pick one line from: an assignee, a duplicate to open or merge,
//! a stage to move to, a link to copy. Each line carries the commands that picking
//! it runs, so the list knows nothing about leads or messages.

use super::cmd::Cmd;
use super::keymap::Action;

#[derive(Debug, Clone)]
pub struct Chooser {
    pub title: String,
    /// Shown above the lines (why the list is up).
    pub note: Option<String>,
    pub items: Vec<(String, Vec<Cmd>)>,
    pub cursor: usize,
}

pub enum ChooserOutcome {
    Stay,
    Cancel,
    Pick(Vec<Cmd>),
}

impl Chooser {
    pub fn new(title: impl Into<String>, items: Vec<(String, Vec<Cmd>)>) -> Chooser {
        Chooser { title: title.into(), note: None, items, cursor: 0 }
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Chooser {
        self.note = Some(note.into());
        self
    }

    /// A bound key (context `popup`).
    pub fn on_action(&mut self, action: Action) -> ChooserOutcome {
        let n = self.items.len();
        match action {
            Action::Back | Action::No => return ChooserOutcome::Cancel,
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(n.saturating_sub(1)),
            Action::Top => self.cursor = 0,
            Action::Bottom => self.cursor = n.saturating_sub(1),
            Action::Open | Action::Yes => return self.pick(self.cursor),
            _ => {}
        }
        ChooserOutcome::Stay
    }

    /// `1`–`9` pick a line directly.
    pub fn on_digit(&mut self, c: char) -> ChooserOutcome {
        match c.to_digit(10).and_then(|d| (d as usize).checked_sub(1)) {
            Some(i) => self.pick(i),
            None => ChooserOutcome::Stay,
        }
    }

    fn pick(&self, i: usize) -> ChooserOutcome {
        match self.items.get(i) {
            Some((_, cmds)) => ChooserOutcome::Pick(cmds.clone()),
            None => ChooserOutcome::Stay,
        }
    }
}
