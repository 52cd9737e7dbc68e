//! A text area as it is drawn while editing: every control character visible, as
//! the detail panes show it (`␛`, `␇`, `<RLO>`; `text::inert`), so reversed or
//! hidden text cannot disguise what is being saved. What is stored stays what was
//! typed; only the drawn copy differs, with its cursor on the same character.

use crate::text;
use tui_textarea::{CursorMove, TextArea};

/// A line as drawn: controls shown, tabs kept (the text area lays them out).
fn shown_line(line: &str) -> String {
    line.split('\t').map(text::inert).collect::<Vec<_>>().join("\t")
}

/// The copy of `area` to draw: itself when nothing needs showing (the usual case,
/// no cost beyond the clone drawing already made), else its lines made visible
/// with the cursor and the find pattern carried over.
pub fn area(area: &TextArea<'static>) -> TextArea<'static> {
    let lines = area.lines();
    if !lines.iter().any(|l| shown_line(l) != *l) {
        return area.clone();
    }
    let cursor = area.cursor();
    let mut shown = TextArea::new(lines.iter().map(|l| shown_line(l)).collect());
    let col =
        lines.get(cursor.0).map_or(0, |l| shown_line(&l.chars().take(cursor.1).collect::<String>()).chars().count());
    let clamp = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
    shown.move_cursor(CursorMove::Jump(clamp(cursor.0), clamp(col)));
    if let Some(p) = area.search_pattern() {
        // The pattern is matched on the drawn text: a literal of printable text
        // still finds it (a find for a control character does not highlight).
        let _ = shown.set_search_pattern(p.as_str());
    }
    shown
}

#[cfg(test)]
mod tests {
    #[test]
    fn controls_are_visible_and_the_cursor_stays_on_its_character() {
        let mut ta = tui_textarea::TextArea::new(vec!["a\u{1b}b\u{202e}cd\tz".to_string(), "plain".into()]);
        ta.move_cursor(tui_textarea::CursorMove::Jump(0, 4)); // before "c"
        let shown = super::area(&ta);
        assert_eq!(shown.lines()[0], "a␛b<RLO>cd\tz");
        assert_eq!(shown.lines()[1], "plain");
        assert_eq!((shown.cursor().0, shown.cursor().1), (0, 8), "still before c");
        let plain = tui_textarea::TextArea::new(vec!["plain".to_string()]);
        assert_eq!(super::area(&plain).lines(), plain.lines());
    }
}
