//! The mouse, when `display.mouse` is on: the wheel scrolls what is under the
//! pointer, a click selects a row, a tab or a card, a double click opens it. The
//! terminal's events become `Pointer`s here (a double click is two presses on one
//! cell within `DOUBLE_CLICK`); each screen maps them onto its own drawn areas.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use std::time::{Duration, Instant};

/// Two presses on one cell closer than this are a double click.
pub const DOUBLE_CLICK: Duration = Duration::from_millis(400);

/// What the pointer did, at a cell of the terminal (column, row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pointer {
    Wheel { up: bool, col: u16, row: u16 },
    Click { col: u16, row: u16 },
    DoubleClick { col: u16, row: u16 },
}

impl Pointer {
    pub fn at(self) -> (u16, u16) {
        match self {
            Pointer::Wheel { col, row, .. } | Pointer::Click { col, row } | Pointer::DoubleClick { col, row } => {
                (col, row)
            }
        }
    }
}

/// Turns the terminal's mouse events into pointers, telling double clicks apart.
#[derive(Debug, Default)]
pub struct Clicks {
    last: Option<(u16, u16, Instant)>,
}

impl Clicks {
    pub fn pointer(&mut self, ev: MouseEvent, now: Instant) -> Option<Pointer> {
        let (col, row) = (ev.column, ev.row);
        match ev.kind {
            MouseEventKind::ScrollUp => Some(Pointer::Wheel { up: true, col, row }),
            MouseEventKind::ScrollDown => Some(Pointer::Wheel { up: false, col, row }),
            MouseEventKind::Down(MouseButton::Left) => {
                let double = self.last.is_some_and(|(c, r, t)| (c, r) == (col, row) && now - t < DOUBLE_CLICK);
                self.last = if double { None } else { Some((col, row, now)) };
                Some(if double { Pointer::DoubleClick { col, row } } else { Pointer::Click { col, row } })
            }
            _ => None,
        }
    }
}

/// Is the cell inside `area`?
pub fn inside(area: ratatui::layout::Rect, (col, row): (u16, u16)) -> bool {
    col >= area.x && col < area.x + area.width && row >= area.y && row < area.y + area.height
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn press(col: u16, row: u16) -> MouseEvent {
        MouseEvent { kind: MouseEventKind::Down(MouseButton::Left), column: col, row, modifiers: KeyModifiers::NONE }
    }

    #[test]
    fn two_quick_presses_on_one_cell_are_a_double_click() {
        let mut c = Clicks::default();
        let t = Instant::now();
        assert_eq!(c.pointer(press(3, 4), t), Some(Pointer::Click { col: 3, row: 4 }));
        assert_eq!(
            c.pointer(press(3, 4), t + Duration::from_millis(200)),
            Some(Pointer::DoubleClick { col: 3, row: 4 })
        );
        // A third is a click again; slow or elsewhere is a click.
        assert_eq!(c.pointer(press(3, 4), t + Duration::from_millis(300)), Some(Pointer::Click { col: 3, row: 4 }));
        assert_eq!(c.pointer(press(3, 4), t + Duration::from_millis(900)), Some(Pointer::Click { col: 3, row: 4 }));
        assert_eq!(c.pointer(press(5, 4), t + Duration::from_millis(950)), Some(Pointer::Click { col: 5, row: 4 }));
    }
}
