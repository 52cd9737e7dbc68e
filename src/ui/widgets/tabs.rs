//! A row of tabs with counts: `all 120  new 14  in progress 3 …`, the shown one
//! highlighted.

use crate::ui::theme::Theme;
use ratatui::text::{Line, Span};

pub fn tabs(items: &[(String, i64)], selected: usize, theme: &Theme) -> Line<'static> {
    let spans: Vec<Span> = items
        .iter()
        .enumerate()
        .map(|(i, (label, n))| {
            Span::styled(format!(" {label} {n} "), if i == selected { theme.selected } else { theme.dim })
        })
        .collect();
    Line::from(spans)
}
