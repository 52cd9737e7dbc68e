//! A detail pane: labelled values and long texts that keep their line breaks, wrap
//! at the pane's width and scroll by wrapped rows (`ctrl-d`/`ctrl-u`, the `detail`
//! keys), with the rows shown in its border.

use crate::text;
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

/// The lines of a pane, built up by the screen.
#[derive(Debug, Default)]
pub struct Detail {
    lines: Vec<Line<'static>>,
}

impl Detail {
    pub fn new() -> Detail {
        Detail::default()
    }

    /// A title line.
    pub fn title(mut self, t: &str, theme: &Theme) -> Detail {
        self.lines.push(Line::styled(text::inert(t), theme.title));
        self
    }

    /// `label   value` on one line (the value made inert).
    pub fn row(mut self, label: &str, value: &str, theme: &Theme) -> Detail {
        self.lines
            .push(Line::from(vec![Span::styled(format!("{label:<10} "), theme.dim), Span::raw(text::inert(value))]));
        self
    }

    pub fn blank(mut self) -> Detail {
        self.lines.push(Line::from(""));
        self
    }

    /// A long text under a label: one line per line of the text, so a message
    /// written in paragraphs reads as paragraphs.
    pub fn text(mut self, label: &str, value: &str, theme: &Theme) -> Detail {
        self.lines.push(Line::styled(label.to_string(), theme.dim));
        self.lines.extend(lines_of(value));
        self
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Draws from wrapped row `scroll.pos()` (clamped so the last row can reach the
    /// bottom), with the rows shown and their total in the border when the text is
    /// longer than the pane.
    pub fn render(self, f: &mut Frame, area: Rect, scroll: &Scroll, focused: bool, theme: &Theme) {
        let block = Block::bordered().border_style(if focused { theme.key } else { theme.border });
        render_scrolled(f, area, self.lines, block, scroll, theme);
    }
}

/// Where a pane's text is scrolled to, counted in wrapped rows. The pane stores
/// what its last drawing measured (the last row that can be first, a page), so a
/// key scrolls within the text as drawn; and it starts at the top again when the
/// pane shows another record (`follow`).
#[derive(Debug, Clone, Default)]
pub struct Scroll {
    pos: std::cell::Cell<usize>,
    max: std::cell::Cell<usize>,
    page: std::cell::Cell<usize>,
    of: std::cell::Cell<Option<u64>>,
}

impl Scroll {
    pub fn pos(&self) -> usize {
        self.pos.get().min(self.max.get())
    }

    /// Half a page down (ctrl-d, as in less and vim).
    pub fn down(&self) {
        let step = (self.page.get() / 2).max(1);
        self.pos.set((self.pos() + step).min(self.max.get()));
    }

    /// Half a page up (ctrl-u).
    pub fn up(&self) {
        let step = (self.page.get() / 2).max(1);
        self.pos.set(self.pos().saturating_sub(step));
    }

    /// `rows` down (or up, when negative): `j`/`k` on a focused pane.
    pub fn by(&self, rows: isize) {
        let to = self.pos().saturating_add_signed(rows).min(self.max.get());
        self.pos.set(to);
    }

    pub fn to_top(&self) {
        self.pos.set(0);
    }

    pub fn to_bottom(&self) {
        self.pos.set(self.max.get());
    }

    /// The pane now shows `record` (its id, or kind and id): back to its top when
    /// that is another one.
    pub fn follow(&self, record: impl std::hash::Hash) {
        use std::hash::Hasher;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        record.hash(&mut h);
        let key = h.finish();
        if self.of.get() != Some(key) {
            self.of.set(Some(key));
            self.pos.set(0);
        }
    }
}

/// Draws `lines` wrapped in `block`, from `scroll`'s row, and records what it
/// measured there. The border's bottom says which rows show: "↓ 1–20/64".
pub fn render_scrolled(
    f: &mut Frame,
    area: Rect,
    lines: Vec<Line<'static>>,
    block: Block<'static>,
    scroll: &Scroll,
    theme: &Theme,
) {
    let inner = block.inner(area);
    let page = usize::from(inner.height);
    let text = Paragraph::new(lines).wrap(Wrap { trim: false });
    let rows = text.line_count(inner.width);
    scroll.max.set(rows.saturating_sub(page));
    scroll.page.set(page);
    let pos = scroll.pos();
    let block = if rows > page && page > 0 {
        let arrows = match (pos > 0, pos < scroll.max.get()) {
            (true, true) => "↑↓",
            (true, false) => "↑",
            (false, _) => "↓",
        };
        let at = format!(" {arrows} {}–{}/{rows} ", pos + 1, (pos + page).min(rows));
        block.title_bottom(Line::styled(at, theme.dim).right_aligned())
    } else {
        block
    };
    let y = u16::try_from(pos).unwrap_or(u16::MAX);
    f.render_widget(text.block(block).scroll((y, 0)), area);
}

/// A stored text as display lines: made inert, split at its line breaks.
pub fn lines_of(value: &str) -> Vec<Line<'static>> {
    text::inert_multiline(value).split('\n').map(|l| Line::raw(l.to_string())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_label_keeps_a_space_before_its_value() {
        let d = Detail::new().row("agree terms", "yes", &Theme::default()).row("email", "a@b.co", &Theme::default());
        let text: Vec<String> = d.lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(text, vec!["agree terms yes", "email      a@b.co"]);
    }
}
