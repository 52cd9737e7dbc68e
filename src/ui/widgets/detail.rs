//! A detail pane: labelled values and long texts that keep their line breaks, wrap
//! at the pane's width and scroll (`j`/`k` when the pane has focus).

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

    /// Draws from line `scroll` (clamped so the last line can reach the top), with
    /// a marker in the border when more is above or below.
    pub fn render(self, f: &mut Frame, area: Rect, scroll: usize, focused: bool, theme: &Theme) {
        let total = self.lines.len();
        let scroll = scroll.min(total.saturating_sub(1));
        let inner_h = usize::from(area.height.saturating_sub(2));
        let more_below = total > scroll + inner_h;
        let marks = match (scroll > 0, more_below) {
            (true, true) => " ↑↓ ",
            (true, false) => " ↑ ",
            (false, true) => " ↓ ",
            (false, false) => "",
        };
        let block = Block::bordered()
            .border_style(if focused { theme.key } else { theme.border })
            .title_bottom(Span::styled(marks, theme.dim));
        let y = u16::try_from(scroll).unwrap_or(u16::MAX);
        f.render_widget(Paragraph::new(self.lines).wrap(Wrap { trim: false }).block(block).scroll((y, 0)), area);
    }
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
