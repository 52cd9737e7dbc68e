//! The board's filter: `/` search as you type (a word needs three letters before it
//! searches), the quick filters (`M`, `U`, `O`, `S`, `I`, `D`, `X`), and the header's
//! label; every change is saved as the user's filter for next time.

use super::*;

impl PipelineScreen {
    /// The filter for the header: what is typed, or the filter in force.
    pub fn filter_label(&self) -> Option<String> {
        if self.typing.is_some() {
            let hint = if self.filter.short_words() { "  (words of 3+ letters are searched)" } else { "" };
            return Some(format!("/{}▏{hint}", self.filter.text));
        }
        (!self.filter.is_empty()).then(|| format!("filter: {}", self.filter.describe()))
    }

    /// A key while `/` search is typed: every change reloads the board (the board
    /// lane keeps only the newest request, so fast typing never queues up).
    pub(super) fn text_key(&mut self, key: crossterm::event::KeyEvent) -> Vec<Cmd> {
        use crossterm::event::{KeyCode, KeyModifiers};
        let Some(before) = &self.typing else { return Vec::new() };
        match key.code {
            KeyCode::Esc => {
                self.filter.text = before.clone();
                self.typing = None;
                self.refilter(false)
            }
            KeyCode::Enter => {
                self.typing = None;
                self.refilter(true)
            }
            KeyCode::Backspace => {
                self.filter.text.pop();
                self.refilter(false)
            }
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.filter.text.clear();
                self.refilter(false)
            }
            KeyCode::Char(c)
                if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                    && self.filter.text.chars().count() < 200 =>
            {
                self.filter.text.push(c);
                self.refilter(false)
            }
            _ => Vec::new(),
        }
    }

    /// Reloads the board with the filter in force; `save` keeps it for next time.
    pub(super) fn refilter(&mut self, save: bool) -> Vec<Cmd> {
        // A keystroke that leaves the searched words as they were (the first two
        // letters of a word) shows the same board: no query.
        let searched = self.filter.searched();
        if !save && self.shown.as_ref() == Some(&searched) {
            return Vec::new();
        }
        self.shown = Some(searched);
        self.keep = self.selected().map(|c| c.lead.id);
        self.row = 0;
        vec![Cmd::Send(
            Lane::Load,
            Request::Leads(LeadRequest::Board { per_column: PAGE, filter: Some(self.filter.clone()), save }),
        )]
    }

    /// A quick filter key: toggles or cycles one part of the filter.
    pub(super) fn quick_filter(&mut self, action: Action) -> Vec<Cmd> {
        let f = &mut self.filter;
        match action {
            Action::FilterMine => {
                f.assigned = if f.assigned == Assigned::Me { Assigned::Anyone } else { Assigned::Me };
            }
            Action::FilterUnassigned => {
                f.assigned = if f.assigned == Assigned::Unassigned { Assigned::Anyone } else { Assigned::Unassigned };
            }
            Action::FilterOverdue => f.overdue = !f.overdue,
            Action::FilterSource => f.source = cycle(LeadSource::ALL, f.source),
            Action::FilterInterest => f.interest = cycle(Interest::ALL, f.interest),
            Action::FilterAge => {
                f.age_days = match f.age_days {
                    None => Some(7),
                    Some(7) => Some(30),
                    Some(30) => Some(90),
                    _ => None,
                }
            }
            Action::ClearFilter => *f = LeadFilter::default(),
            _ => return Vec::new(),
        }
        self.refilter(true)
    }
}

/// None → the first value → … → the last → None.
fn cycle<T: Copy + PartialEq>(all: &[T], current: Option<T>) -> Option<T> {
    match current.and_then(|c| all.iter().position(|v| *v == c)) {
        None => all.first().copied(),
        Some(i) => all.get(i + 1).copied(),
    }
}
