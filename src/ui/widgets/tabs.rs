//! A row of tabs with counts: `all 120  new 14  in progress 3 …`, the shown one
//! highlighted. Every tab and its count stays on screen at any width: when the row
//! does not fit, the padding goes first, then the longest labels are shortened
//! (`instructor applications` → `instr.`), the shown tab keeping its whole label.

use crate::text;
use crate::ui::theme::Theme;
use ratatui::text::{Line, Span};

pub fn tabs(items: &[(String, i64)], selected: usize, width: u16, theme: &Theme) -> Line<'static> {
    let labels = fitted(items, selected, usize::from(width));
    let spans: Vec<Span> = labels
        .into_iter()
        .enumerate()
        .map(|(i, label)| Span::styled(label, if i == selected { theme.selected } else { theme.dim }))
        .collect();
    Line::from(spans)
}

/// Which tab is drawn at column `x` of a row `width` wide (as `tabs` draws it).
pub fn tab_at(items: &[(String, i64)], selected: usize, width: u16, x: u16) -> Option<usize> {
    let mut from = 0usize;
    for (i, label) in fitted(items, selected, usize::from(width)).iter().enumerate() {
        let to = from + text::width(label);
        if (from..to).contains(&usize::from(x)) {
            return Some(i);
        }
        from = to;
    }
    None
}

/// Each tab's text, padded (` new 14 `) when the row fits, else tight (`new 14 `)
/// with the longest other labels cut to the widest length that fits.
fn fitted(items: &[(String, i64)], selected: usize, width: usize) -> Vec<String> {
    let padded: Vec<String> = items.iter().map(|(l, n)| format!(" {} {n} ", text::inert(l))).collect();
    if padded.iter().map(|t| text::width(t)).sum::<usize>() <= width {
        return padded;
    }
    let longest = items.iter().map(|(l, _)| text::width(l)).max().unwrap_or(0);
    let tight = |max: usize| -> Vec<String> {
        items
            .iter()
            .enumerate()
            .map(|(i, (l, n))| {
                let l = text::inert(l);
                let l = if i == selected || text::width(&l) <= max { l } else { short(&l, max) };
                format!("{l} {n} ")
            })
            .collect()
    };
    // From whole labels down to three letters, the first that fits.
    for max in (3..=longest).rev() {
        let row = tight(max);
        if row.iter().map(|t| text::width(t)).sum::<usize>() <= width {
            return row;
        }
    }
    tight(3)
}

/// `label` in at most `max` cells, ending in `.` when cut (`instr.`).
fn short(label: &str, max: usize) -> String {
    let cut = text::fit(label, max);
    match cut.strip_suffix('…') {
        Some(kept) => format!("{}.", kept.trim_end()),
        None => cut,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(items: &[(&str, i64)], selected: usize, width: usize) -> String {
        let items: Vec<(String, i64)> = items.iter().map(|(l, n)| (l.to_string(), *n)).collect();
        fitted(&items, selected, width).concat()
    }

    #[test]
    fn every_tab_and_count_fits_the_width() {
        let queue = [
            ("all", 12),
            ("posts", 3),
            ("testimonials", 2),
            ("instructor applications", 1),
            ("cohort applications", 4),
            ("course reviews", 2),
            ("comments", 1),
        ];
        let wide = row(&queue, 0, 200);
        assert!(wide.contains(" instructor applications 1 "), "{wide}");
        let narrow = row(&queue, 3, 80);
        assert!(text::width(&narrow) <= 80, "{narrow}");
        assert!(narrow.contains("instructor applications 1"), "the shown tab keeps its label: {narrow}");
        for n in ["12", "3", "2", "1", "4"] {
            assert!(narrow.contains(&format!(" {n} ")) || narrow.contains(&format!("{n} ")), "{narrow}");
        }
        let posts = [
            ("all", 1),
            ("draft", 0),
            ("pending", 0),
            ("approved", 0),
            ("rejected", 0),
            ("scheduled", 0),
            ("published", 0),
            ("archived", 1),
        ];
        let at80 = row(&posts, 0, 80);
        assert!(text::width(&at80) <= 80 && at80.contains("archived 1"), "{at80}");
    }
}
