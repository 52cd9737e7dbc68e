//! Drawing the generic form: one line per field (a text area gets four), each
//! error under its field, the foot (the store's refusal, wrapped in full, or the
//! focused field's hint) always last; a form taller than the room scrolls to keep
//! the focused field in view.

use super::form::{Form, Kind};
use crate::text;
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
                // Read whole: wrapped under the field, never cut at the border.
                let said = format!("{} {}", field.label, text::inert(e));
                for part in wrap(&said, usize::from(w.saturating_sub(5))) {
                    rows.push((Line::styled(format!("   {part}"), theme.error), None));
                }
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
            (None, _) => {
                let hint = match self.fields.get(self.focus).and_then(|f| f.hint.as_deref()) {
                    Some(hint) => format!("{} · Tab next · ctrl-s saves", text::inert(hint)),
                    None => "Tab next field · Enter/ctrl-s saves · Esc closes".to_string(),
                };
                wrap(&hint, usize::from(w.saturating_sub(2))).into_iter().map(|l| Line::styled(l, theme.dim)).collect()
            }
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

/// `line` wrapped at spaces into lines of at most `width` cells, whole.
fn wrap(line: &str, width: usize) -> Vec<String> {
    text::wrap(line, width, usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::widgets::form::Field;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    #[test]
    fn a_long_field_error_is_read_whole_at_80x24() {
        let mut form = Form::new("Event", "e", vec![Field::line("slug", "slug", 200, false)]);
        let said = "is taken by the event \"Intro to Rust for absolute beginners, evening edition\" (#4182); pick another slug or leave it empty to derive one";
        form.refused(Some("slug"), said.into());
        let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
        term.draw(|f| form.view(f, f.area(), &Theme::default())).unwrap();
        let buf = term.backend().buffer();
        let rows: Vec<String> = (0..24u16).map(|y| (0..80u16).map(|x| buf[(x, y)].symbol()).collect()).collect();
        let screen = rows.join("\n");
        let flat: Vec<&str> =
            rows.iter().map(|r| r.trim().trim_matches('│').trim()).filter(|r| !r.is_empty()).collect();
        assert!(flat.join(" ").contains(&format!("slug {said}")), "{screen}");
        assert!(!screen.contains('…'), "nothing cut: {screen}");
    }

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_long_words() {
        assert_eq!(super::wrap("one two three", 9), vec!["one two", "three"]);
        assert_eq!(super::wrap("abcdefghijkl", 8), vec!["abcdefgh", "ijkl"]);
    }
}
