//! The mouse on a record screen: a click on a tab shows it, on a row selects it, a
//! double click opens it (as `Enter`); the wheel scrolls the detail under the
//! pointer, else the list.

use super::RecordScreen;
use crate::ui::keymap::Action;
use crate::ui::mouse::{Pointer, inside};
use crate::ui::widgets::tabs;
use ratatui::layout::Rect;

/// Where the last frame drew each part.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Drawn {
    pub(super) tabs: Rect,
    pub(super) rows: Rect,
    /// The first row drawn.
    pub(super) start: usize,
    pub(super) detail: Rect,
}

impl RecordScreen {
    pub(super) fn pointed(&mut self, pointer: Pointer) -> Vec<Action> {
        let drawn = self.drawn.get();
        let at = pointer.at();
        match pointer {
            Pointer::Wheel { up, .. } if inside(drawn.detail, at) => {
                self.pane.by(if up { -3 } else { 3 });
                Vec::new()
            }
            Pointer::Wheel { up, .. } => vec![if up { Action::Up } else { Action::Down }; 3],
            Pointer::Click { col, .. } | Pointer::DoubleClick { col, .. } if inside(drawn.tabs, at) => {
                let items = self.tab_items();
                match tabs::tab_at(&items, self.tab, drawn.tabs.width, col - drawn.tabs.x) {
                    Some(i) if i != self.tab => {
                        self.tab = i;
                        self.cursor = 0;
                        self.loaded = false;
                        vec![Action::Refresh]
                    }
                    _ => Vec::new(),
                }
            }
            Pointer::Click { row, .. } | Pointer::DoubleClick { row, .. } if inside(drawn.rows, at) => {
                let i = drawn.start + usize::from(row - drawn.rows.y);
                if i >= self.rows.len() {
                    return Vec::new();
                }
                self.cursor = i;
                if matches!(pointer, Pointer::DoubleClick { .. }) { vec![Action::Open] } else { Vec::new() }
            }
            _ => Vec::new(),
        }
    }
}
