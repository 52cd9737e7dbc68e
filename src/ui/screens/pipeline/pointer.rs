//! The mouse on the board: a click selects the card under it (two lines a card), a
//! double click opens its lead (as `Enter`); the wheel moves along the column.

use super::PipelineScreen;
use crate::ui::keymap::Action;
use crate::ui::mouse::{Pointer, inside};

impl PipelineScreen {
    pub(super) fn pointed(&mut self, pointer: Pointer) -> Vec<Action> {
        let (col, row) = pointer.at();
        let hit = self.drawn.borrow().iter().find(|(area, _, _)| inside(*area, (col, row))).copied();
        match (pointer, hit) {
            (Pointer::Wheel { up, .. }, _) => vec![if up { Action::Up } else { Action::Down }],
            (Pointer::Click { .. } | Pointer::DoubleClick { .. }, Some((area, ci, start))) => {
                let card = start + usize::from(row - area.y) / 2;
                if card >= self.columns.get(ci).map_or(0, |c| c.cards.len()) {
                    return Vec::new();
                }
                self.col = ci;
                self.row = card;
                if matches!(pointer, Pointer::DoubleClick { .. }) { vec![Action::Open] } else { Vec::new() }
            }
            _ => Vec::new(),
        }
    }
}
