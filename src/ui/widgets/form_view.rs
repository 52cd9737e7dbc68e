//! Drawing the generic form: one line per field (a text area gets four), each
//! error under its field, the foot (the store's refusal, wrapped in full, or the
//! focused field's hint) always last; a form taller than the room scrolls to keep
//! the focused field in view.

use super::form::{Form, Kind};
use crate::ui::text;
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

impl Form {
    /// Draws the form centred in `area`: one line per field (a text area gets four),
    /// its error under it.
    pub fn view(&self, f: &mut Frame, area: Rect, theme: &Theme) {
        let w = 76.min(area.width.saturating_sub(2));
        let label_w = 12usize;
        let value_w = usize::from(w.saturating_sub(4)).saturating_sub(label_w + 1);
        let mut rows: Vec<(Line, Option<usize>)> = Vec::new();
        // The rows of the focused field, so a form taller than the screen scrolls
        // to keep it in view.
        let mut focus_rows = (0, 0);
        for (i, field) in self.fields.iter().enumerate() {
            let focused = i == self.focus;
            let first_row = rows.len();
            let label = Span::styled(
                format!(" {} ", text::pad(field.label, label_w)),
                if focused { theme.key } else { theme.dim },
            );
            match &field.kind {
                Kind::Multi { .. } => {
                    rows.push((Line::from(label), None));
                    rows.push((Line::raw(""), Some(i)));
                }
                Kind::Choice(options) => {
                    let shown = text::inert(options.get(field.choice).map_or("—", |o| o.as_ref())).replace('_', " ");
                    let style = if focused { theme.selected } else { theme.base };
                    rows.push((Line::from(vec![label, Span::styled(format!("‹ {shown} ›"), style)]), None));
                }
                _ => {
                    let count = field.soft_max.map(|most| {
                        let n = field.line.chars().count();
                        let style = if n > most { theme.alert } else { theme.dim };
                        Span::styled(format!(" {n}/{most}"), style)
                    });
                    let room = value_w.saturating_sub(count.as_ref().map_or(0, |c| c.content.chars().count()));
                    let shown = if field.secret {
                        "•".repeat(field.line.chars().count().min(value_w))
                    } else {
                        text::inert(&field.line)
                    };
                    let shown =
                        if focused { text::fit_end(&shown, room.saturating_sub(1)) } else { text::fit(&shown, room) };
                    let mut spans = vec![
                        label,
                        Span::styled(shown, if focused { theme.selected } else { theme.base }),
                        Span::styled(if focused { "▏" } else { "" }, theme.key),
                    ];
                    spans.extend(count);
                    rows.push((Line::from(spans), None));
                }
            }
            if let Some(e) = &field.error {
                rows.push((Line::styled(format!("   {} {}", field.label, text::inert(e)), theme.error), None));
            }
            if focused {
                focus_rows = (first_row, rows.len());
            }
        }
        rows.push((Line::raw(""), None));
        // The store's refusal is read in full (wrapped), not cut at the border.
        let foot: Vec<Line> = match (&self.error, self.saving) {
            (_, true) => vec![Line::styled("saving…", theme.dim)],
            (Some(e), _) => wrap(&text::inert(e), usize::from(w.saturating_sub(2)))
                .into_iter()
                .map(|l| Line::styled(l, theme.error))
                .collect(),
            (None, _) => vec![match self.fields.get(self.focus).and_then(|f| f.hint.as_deref()) {
                Some(hint) => Line::styled(format!("{} · Tab next · ctrl-s saves", text::inert(hint)), theme.dim),
                None => Line::styled("Tab next field · Enter/ctrl-s saves · Esc closes", theme.dim),
            }],
        };
        let foot_h = foot.len().clamp(1, 4) as u16;
        let area_h = 4u16;
        let height = |rows: &[(Line, Option<usize>)]| {
            rows.iter().map(|(_, a)| if a.is_some() { area_h } else { 1 }).sum::<u16>()
        };
        // Taller than the room: the first rows scroll out until the focused field
        // (and the foot, always last) fit; the title says there is more.
        let room = area.height.saturating_sub(2 + foot_h);
        let mut start = 0;
        while start < focus_rows.0 && height(&rows[start..focus_rows.1.max(start)]) > room {
            start += 1;
        }
        let hidden_above = start > 0;
        // (The last row is the blank before the foot: it may go unseen.)
        let hidden_below = height(&rows[start..rows.len().saturating_sub(1).max(start)]) > room;
        rows.drain(..start);
        let h = (height(&rows) + foot_h).min(room + foot_h) + 2;
        let rect = crate::ui::view::centered(area, w, h);
        f.render_widget(Clear, rect);
        let more = match (hidden_above, hidden_below) {
            (true, true) => " (more ↑↓) ",
            (true, false) => " (more ↑) ",
            (false, true) => " (more ↓) ",
            (false, false) => " ",
        };
        let block = Block::bordered().title(Span::styled(format!(" {}{more}", text::inert(&self.title)), theme.title));
        let inner = block.inner(rect);
        f.render_widget(block, rect);
        let foot_h = foot_h.min(inner.height);
        f.render_widget(
            Paragraph::new(foot),
            Rect { y: inner.bottom().saturating_sub(foot_h), height: foot_h, ..inner },
        );
        let inner = Rect { height: inner.height.saturating_sub(foot_h), ..inner };
        let mut y = inner.y;
        for (line, text_area) in rows {
            if y >= inner.bottom() {
                break;
            }
            let h = if text_area.is_some() { area_h.min(inner.bottom() - y) } else { 1 };
            let r = Rect { x: inner.x, y, width: inner.width, height: h };
            match text_area {
                Some(i) => {
                    let r = Rect { x: r.x + 2, width: r.width.saturating_sub(3), ..r };
                    // Control characters drawn visible, as the detail panes do.
                    let mut ta = super::shown::area(&self.fields[i].area);
                    let focused = i == self.focus;
                    ta.set_block(Block::bordered().border_style(if focused { theme.key } else { theme.border }));
                    ta.set_cursor_line_style(theme.base);
                    f.render_widget(&ta, r);
                }
                None => f.render_widget(Paragraph::new(line), r),
            }
            y += h;
        }
    }
}

/// `line` in lines of at most `width` cells, broken at spaces (a word longer
/// than a line is cut into pieces).
fn wrap(line: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in line.split(' ') {
        let sep = usize::from(!cur.is_empty());
        if !cur.is_empty() && text::width(&cur) + sep + text::width(word) > width {
            out.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        for c in word.chars() {
            if text::width(&cur) + text::width(c.encode_utf8(&mut [0; 4])) > width {
                out.push(std::mem::take(&mut cur));
            }
            cur.push(c);
        }
    }
    out.push(cur);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn wrap_breaks_at_spaces_and_cuts_long_words() {
        assert_eq!(super::wrap("one two three", 9), vec!["one two", "three"]);
        assert_eq!(super::wrap("abcdefghijkl", 8), vec!["abcdefgh", "ijkl"]);
    }
}
