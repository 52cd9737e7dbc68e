//! A short list to pick one line from: an assignee, a duplicate to open or merge,
//! a link to copy. Each line carries what picking it does.

use crossterm::event::{KeyCode, KeyEvent};

/// What picking a line does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    Assign {
        lead_id: i64,
        version: i64,
        user: Option<i64>,
    },
    /// Open this lead (the form under the list is dropped).
    OpenLead(i64),
    /// Create the lead of the form under the list, then merge it into (id, version).
    MergeInto(i64, i64),
    /// Create the lead of the form under the list although it looks like another.
    CreateAnyway,
    /// Merge two existing leads (id, version each).
    MergeLeads((i64, i64), (i64, i64)),
    /// Link a contact message to an existing lead.
    LinkMessage {
        id: i64,
        version: i64,
        lead_id: i64,
    },
    /// Convert a contact message although it looks like an open lead.
    ConvertAnyway {
        id: i64,
        version: i64,
    },
    /// Copy to the local clipboard (OSC 52).
    Copy(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chooser {
    pub title: String,
    /// Shown above the lines (why the list is up).
    pub note: Option<String>,
    pub items: Vec<(String, Choice)>,
    pub cursor: usize,
}

pub enum ChooserOutcome {
    Stay,
    Cancel,
    Pick(Choice),
}

impl Chooser {
    pub fn new(title: impl Into<String>, items: Vec<(String, Choice)>) -> Chooser {
        Chooser { title: title.into(), note: None, items, cursor: 0 }
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Chooser {
        self.note = Some(note.into());
        self
    }

    pub fn on_key(&mut self, key: KeyEvent) -> ChooserOutcome {
        let n = self.items.len();
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => return ChooserOutcome::Cancel,
            KeyCode::Up | KeyCode::Char('k') => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => self.cursor = (self.cursor + 1).min(n.saturating_sub(1)),
            KeyCode::Enter => {
                if let Some((_, c)) = self.items.get(self.cursor) {
                    return ChooserOutcome::Pick(c.clone());
                }
            }
            // 1-9 pick a line directly.
            KeyCode::Char(c @ '1'..='9') => {
                let i = c as usize - '1' as usize;
                if let Some((_, choice)) = self.items.get(i) {
                    return ChooserOutcome::Pick(choice.clone());
                }
            }
            _ => {}
        }
        ChooserOutcome::Stay
    }
}
