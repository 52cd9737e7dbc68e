//! The `:` palette: fuzzy-find any screen or action the current role may use.

use super::fuzzy::fuzzy_score;
use super::keymap::Action;
use super::screens::ScreenId;
use crate::domain::permissions::Roles;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Screen(ScreenId),
    Action(Action),
}

impl Entry {
    pub fn name(self) -> &'static str {
        match self {
            Entry::Screen(id) => id.name(),
            Entry::Action(Action::Quit) => "quit",
            Entry::Action(Action::Help) => "help",
            Entry::Action(Action::Refresh) => "reload",
            Entry::Action(a) => a.as_str(),
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Entry::Screen(id) => id.describe(),
            Entry::Action(a) => a.describe(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Palette {
    pub query: String,
    entries: Vec<Entry>,
    pub cursor: usize,
}

pub enum PaletteOutcome {
    Stay,
    Close,
    Run(Entry),
}

impl Palette {
    /// Entries this actor may use: screens their roles allow, and the global actions.
    pub fn new(roles: Roles) -> Palette {
        let mut entries: Vec<Entry> =
            ScreenId::all().filter(|id| id.requires().is_none_or(|p| roles.can(p))).map(Entry::Screen).collect();
        entries.extend([Entry::Action(Action::Refresh), Entry::Action(Action::Help), Entry::Action(Action::Quit)]);
        Palette { query: String::new(), entries, cursor: 0 }
    }

    /// Entries matching the query, best first.
    pub fn matches(&self) -> Vec<Entry> {
        let mut scored: Vec<(i64, usize, Entry)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| fuzzy_score(&self.query, e.name()).map(|s| (s, i, *e)))
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, _, e)| e).collect()
    }

    pub fn paste(&mut self, text: &str) {
        self.query.extend(text.chars().filter(|c| !c.is_control()).take(64));
        self.cursor = 0;
    }

    pub fn on_key(&mut self, key: KeyEvent) -> PaletteOutcome {
        let n = self.matches().len();
        match key.code {
            KeyCode::Esc => return PaletteOutcome::Close,
            KeyCode::Enter => {
                return match self.matches().get(self.cursor) {
                    Some(e) => PaletteOutcome::Run(*e),
                    None => PaletteOutcome::Stay,
                };
            }
            KeyCode::Up => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Down | KeyCode::Tab => self.cursor = (self.cursor + 1).min(n.saturating_sub(1)),
            KeyCode::Char('p') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.cursor = self.cursor.saturating_sub(1)
            }
            KeyCode::Char('n') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.cursor = (self.cursor + 1).min(n.saturating_sub(1))
            }
            KeyCode::Backspace => {
                if self.query.pop().is_none() {
                    return PaletteOutcome::Close;
                }
                self.cursor = 0;
            }
            KeyCode::Char(c) if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
                if self.query.chars().count() < 64 {
                    self.query.push(c);
                }
                self.cursor = 0;
            }
            _ => {}
        }
        PaletteOutcome::Stay
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::permissions::Roles;

    #[test]
    fn palette_lists_only_what_the_role_may_use() {
        let names: Vec<&str> = Palette::new(Roles::STAFF).matches().iter().map(|e| e.name()).collect();
        assert!(names.contains(&"audit") && !names.contains(&"users"), "{names:?}");
        assert!(Palette::new(Roles::ADMIN).matches().iter().any(|e| e.name() == "users"));
        // Instructors read their cohorts' share of the audit trail; not the users.
        let names: Vec<&str> = Palette::new(Roles::INSTRUCTOR).matches().iter().map(|e| e.name()).collect();
        assert!(names.contains(&"audit") && !names.contains(&"users") && !names.contains(&"pipeline"), "{names:?}");
    }
}
