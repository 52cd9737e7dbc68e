//! A short list to pick one line from: an assignee, a duplicate to open or merge,
//! a stage to move to, a link to copy. Each line carries the commands that picking
//! it runs, so the list knows nothing about leads or messages.
//!
//! Typing filters the lines with the palette's fuzzy matcher; the commands a line
//! carries are its own, so a pick from the filtered list reaches the screen as the
//! line's place in the list the screen made.

use super::cmd::Cmd;
use super::fuzzy::fuzzy_score;
use super::keymap::Action;

/// Longest filter kept: a pick list's lines are short, and a paste is not a query.
const FILTER_MAX: usize = 64;

#[derive(Debug, Clone)]
pub struct Chooser {
    pub title: String,
    /// Shown above the lines (why the list is up).
    pub note: Option<String>,
    pub items: Vec<(String, Vec<Cmd>)>,
    /// What the user typed; the lines shown are those it matches.
    pub filter: String,
    /// A place in `shown()`, not in `items`.
    pub cursor: usize,
}

pub enum ChooserOutcome {
    Stay,
    Cancel,
    Pick(Vec<Cmd>),
}

impl Chooser {
    pub fn new(title: impl Into<String>, items: Vec<(String, Vec<Cmd>)>) -> Chooser {
        Chooser { title: title.into(), note: None, items, filter: String::new(), cursor: 0 }
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Chooser {
        self.note = Some(note.into());
        self
    }

    /// Indices into `items` of the lines the filter matches, best first (ties keep
    /// the screen's order; no filter shows every line as the screen made them).
    pub fn shown(&self) -> Vec<usize> {
        if self.filter.is_empty() {
            return (0..self.items.len()).collect();
        }
        let mut scored: Vec<(i64, usize)> = self
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, (label, _))| fuzzy_score(&self.filter, label).map(|s| (s, i)))
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, i)| i).collect()
    }

    /// A bound key (context `popup`; printable keys never get here, they type).
    pub fn on_action(&mut self, action: Action) -> ChooserOutcome {
        let n = self.shown().len();
        let last = n.saturating_sub(1);
        match action {
            // Esc first drops the filter, so a wrong letter never closes the list.
            Action::Back | Action::No if !self.filter.is_empty() => {
                self.filter.clear();
                self.cursor = 0;
            }
            Action::Back | Action::No => return ChooserOutcome::Cancel,
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(last),
            Action::PageUp => self.cursor = self.cursor.saturating_sub(10),
            Action::PageDown => self.cursor = (self.cursor + 10).min(last),
            Action::Top => self.cursor = 0,
            Action::Bottom => self.cursor = last,
            Action::Open | Action::Yes => return self.pick(self.cursor),
            _ => {}
        }
        ChooserOutcome::Stay
    }

    /// A printable character: `1`–`9` pick a line directly while nothing is typed
    /// (the numbers shown then); anything else, digits after a letter included,
    /// goes to the filter.
    pub fn on_char(&mut self, c: char) -> ChooserOutcome {
        if self.filter.is_empty()
            && let Some(i) = c.to_digit(10).and_then(|d| (d as usize).checked_sub(1))
        {
            return self.pick(i);
        }
        self.type_text(&c.to_string());
        ChooserOutcome::Stay
    }

    /// Typed or pasted text joins the filter (control characters dropped: they
    /// cannot be in a query).
    pub fn type_text(&mut self, text: &str) {
        let room = FILTER_MAX.saturating_sub(self.filter.chars().count());
        self.filter.extend(text.chars().filter(|c| !c.is_control()).take(room));
        self.cursor = 0;
    }

    /// Backspace: the filter's last character.
    pub fn backspace(&mut self) {
        self.filter.pop();
        self.cursor = 0;
    }

    fn pick(&self, i: usize) -> ChooserOutcome {
        match self.shown().get(i).and_then(|&at| self.items.get(at)) {
            Some((_, cmds)) => ChooserOutcome::Pick(cmds.clone()),
            None => ChooserOutcome::Stay,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::cmd::Call;
    use crate::ui::screens::ScreenId;

    fn list(labels: &[&str]) -> Chooser {
        let items = labels
            .iter()
            .enumerate()
            .map(|(index, l)| (l.to_string(), vec![Cmd::Call(ScreenId::Lead, Call::Picked { tag: "t", index })]))
            .collect();
        Chooser::new("pick", items)
    }

    fn picked(o: ChooserOutcome) -> Option<usize> {
        match o {
            ChooserOutcome::Pick(cmds) => match cmds.as_slice() {
                [Cmd::Call(_, Call::Picked { index, .. })] => Some(*index),
                _ => None,
            },
            _ => None,
        }
    }

    #[test]
    fn typing_filters_and_enter_picks_the_original_line() {
        let mut c = list(&["Amira Haddad", "Sami Nasser", "Omar Said", "Salma Yousef"]);
        c.type_text("sa");
        let shown: Vec<&str> = c.shown().iter().map(|&i| c.items[i].0.as_str()).collect();
        assert_eq!(shown, ["Sami Nasser", "Salma Yousef", "Omar Said"], "prefix matches first");
        c.on_action(Action::Down);
        assert_eq!(picked(c.on_action(Action::Open)), Some(3));
        // Digits type once a letter is there; with nothing typed they pick.
        c.filter.clear();
        assert_eq!(picked(c.on_char('2')), Some(1));
        c.type_text("zz");
        assert!(c.shown().is_empty());
        assert!(matches!(c.on_action(Action::Open), ChooserOutcome::Stay), "nothing to pick");
    }

    #[test]
    fn esc_clears_the_filter_then_closes() {
        let mut c = list(&["a", "b"]);
        c.type_text("b");
        assert!(matches!(c.on_action(Action::Back), ChooserOutcome::Stay));
        assert_eq!((c.filter.as_str(), c.shown().len()), ("", 2));
        assert!(matches!(c.on_action(Action::Back), ChooserOutcome::Cancel));
    }
}
