//! A post's markdown as styled lines for the editor's preview, from pulldown-cmark's
//! events: headings, emphasis and strong, lists (bullets and numbers), block
//! quotes, code (inline and blocks), links as their text followed by the address,
//! tables as aligned columns. Every piece of text passes `text::inert`, so an escape
//! sequence in a code block or a link shows as symbols and never reaches the
//! terminal. Wrapping is left to the `Paragraph` that draws the lines, except in a
//! table: a wrapped row would no longer line up, so its cells are cut to the width.

use crate::text;
use crate::ui::theme::Theme;
use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

struct Builder<'t> {
    theme: &'t Theme,
    lines: Vec<Line<'static>>,
    spans: Vec<Span<'static>>,
    styles: Vec<Style>,
    /// Each open list: the next number, or `None` for bullets.
    lists: Vec<Option<u64>>,
    quote: usize,
    code_block: bool,
    links: Vec<String>,
    /// The table being read: its cells are gathered whole, then laid out at its end.
    table: Option<Table>,
}

/// A table's text as read, cell by cell (emphasis inside a cell is dropped: the
/// columns' alignment is what a table is read for).
#[derive(Default)]
struct Table {
    align: Vec<Alignment>,
    /// The header row first when there is one.
    rows: Vec<Vec<String>>,
    has_head: bool,
}

impl Table {
    fn cell(&mut self) -> Option<&mut String> {
        self.rows.last_mut().and_then(|r| r.last_mut())
    }
}

impl Builder<'_> {
    fn style(&self) -> Style {
        self.styles.last().copied().unwrap_or(self.theme.base)
    }

    fn push(&mut self, s: &str) {
        if let Some(cell) = self.table.as_mut().and_then(Table::cell) {
            cell.push_str(s);
            return;
        }
        if self.spans.is_empty() && self.quote > 0 {
            self.spans.push(Span::styled("│ ".repeat(self.quote), self.theme.dim));
        }
        let style = self.style();
        self.spans.push(Span::styled(text::inert(s), style));
    }

    fn flush(&mut self) {
        if !self.spans.is_empty() {
            self.lines.push(Line::from(std::mem::take(&mut self.spans)));
        }
    }

    fn blank(&mut self) {
        self.flush();
        if self.lines.last().is_some_and(|l| !l.spans.is_empty()) {
            self.lines.push(Line::from(""));
        }
    }

    /// Text with a style of its own (inline code, a link's address); in a table
    /// it joins the cell as plain text.
    fn push_styled(&mut self, s: String, style: Style) {
        match self.table.as_mut().and_then(Table::cell) {
            Some(cell) => cell.push_str(&s),
            None => self.spans.push(Span::styled(text::inert(&s), style)),
        }
    }

    /// The gathered table as lines: columns as wide as their widest cell (in
    /// terminal cells: an emoji counts two), narrowed from the widest when the
    /// whole does not fit `width`, the header underlined with `─`.
    fn table(&mut self, table: Table, width: usize) {
        const SEP: &str = " │ ";
        let cols = table.rows.iter().map(Vec::len).max().unwrap_or(0);
        if cols == 0 {
            return;
        }
        let mut widths = vec![0usize; cols];
        for row in &table.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(text::width(&text::inert(cell)));
            }
        }
        let room = width.saturating_sub(SEP.chars().count() * (cols - 1));
        while widths.iter().sum::<usize>() > room {
            // The widest column gives up a cell until the row fits (each keeps one).
            match widths.iter_mut().filter(|w| **w > 1).max_by_key(|w| **w) {
                Some(w) => *w -= 1,
                None => break,
            }
        }
        self.blank();
        for (r, row) in table.rows.iter().enumerate() {
            let mut line = String::new();
            for (c, w) in widths.iter().enumerate() {
                if c > 0 {
                    line.push_str(SEP);
                }
                let cell = text::fit(row.get(c).map_or("", |s| s.trim()), *w);
                let pad = w.saturating_sub(text::width(&cell));
                let (left, right) = match table.align.get(c) {
                    Some(Alignment::Right) => (pad, 0),
                    Some(Alignment::Center) => (pad / 2, pad - pad / 2),
                    _ => (0, pad),
                };
                line.push_str(&" ".repeat(left));
                line.push_str(&cell);
                line.push_str(&" ".repeat(right));
            }
            let head = table.has_head && r == 0;
            let style = if head { self.theme.title.add_modifier(Modifier::BOLD) } else { self.theme.base };
            self.lines.push(Line::styled(line.trim_end().to_string(), style));
            if head {
                let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
                self.lines.push(Line::styled(rule.join("─┼─"), self.theme.dim));
            }
        }
        self.lines.push(Line::from(""));
    }

    fn open(&mut self, style: Style) {
        let base = self.style();
        self.styles.push(base.patch(style));
    }
}

/// The preview of `markdown`, for a pane `width` cells wide (tables are cut to it).
pub fn render(markdown: &str, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut b = Builder {
        theme,
        lines: Vec::new(),
        spans: Vec::new(),
        styles: Vec::new(),
        lists: Vec::new(),
        quote: 0,
        code_block: false,
        links: Vec::new(),
        table: None,
    };
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(tag) => match tag {
                Tag::Heading { level, .. } => {
                    b.blank();
                    let hashes = match level {
                        HeadingLevel::H1 => "# ",
                        HeadingLevel::H2 => "## ",
                        _ => "### ",
                    };
                    b.open(theme.title.add_modifier(Modifier::BOLD));
                    b.push(hashes);
                }
                Tag::Paragraph => {}
                Tag::BlockQuote(_) => {
                    b.flush();
                    b.quote += 1;
                }
                Tag::CodeBlock(_) => {
                    b.blank();
                    b.code_block = true;
                    b.open(theme.dim);
                }
                Tag::List(first) => {
                    b.flush();
                    b.lists.push(first);
                }
                Tag::Item => {
                    b.flush();
                    let depth = b.lists.len().saturating_sub(1);
                    let marker = match b.lists.last_mut() {
                        Some(Some(n)) => {
                            let m = format!("{n}. ");
                            *n += 1;
                            m
                        }
                        _ => "• ".to_string(),
                    };
                    b.push(&format!("{}{marker}", "  ".repeat(depth)));
                }
                Tag::Table(align) => {
                    b.flush();
                    b.table = Some(Table { align, ..Table::default() });
                }
                Tag::TableHead => {
                    if let Some(t) = b.table.as_mut() {
                        t.has_head = t.rows.is_empty();
                        t.rows.push(Vec::new());
                    }
                }
                Tag::TableRow => {
                    if let Some(t) = b.table.as_mut() {
                        t.rows.push(Vec::new());
                    }
                }
                Tag::TableCell => {
                    if let Some(row) = b.table.as_mut().and_then(|t| t.rows.last_mut()) {
                        row.push(String::new());
                    }
                }
                Tag::Emphasis => b.open(Style::default().add_modifier(Modifier::ITALIC)),
                Tag::Strong => b.open(Style::default().add_modifier(Modifier::BOLD)),
                Tag::Strikethrough => b.open(Style::default().add_modifier(Modifier::CROSSED_OUT)),
                Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                    b.links.push(dest_url.to_string());
                    b.open(theme.key.add_modifier(Modifier::UNDERLINED));
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Heading(_) => {
                    b.styles.pop();
                    b.flush();
                    b.lines.push(Line::from(""));
                }
                TagEnd::Paragraph => b.blank(),
                TagEnd::BlockQuote(_) => {
                    b.flush();
                    b.quote = b.quote.saturating_sub(1);
                }
                TagEnd::CodeBlock => {
                    b.code_block = false;
                    b.styles.pop();
                    b.blank();
                }
                TagEnd::List(_) => {
                    b.lists.pop();
                    b.blank();
                }
                TagEnd::Item => b.flush(),
                TagEnd::Table => {
                    if let Some(t) = b.table.take() {
                        b.table(t, width);
                    }
                }
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {
                    b.styles.pop();
                }
                TagEnd::Link | TagEnd::Image => {
                    b.styles.pop();
                    if let Some(url) = b.links.pop().filter(|u| !u.is_empty()) {
                        b.push_styled(format!(" ({url})"), theme.dim);
                    }
                }
                _ => {}
            },
            Event::Text(t) if b.code_block => {
                for (i, line) in t.split('\n').enumerate() {
                    if i > 0 {
                        b.flush();
                    }
                    if !line.is_empty() {
                        b.push(&format!("    {line}"));
                    }
                }
            }
            Event::Text(t) => b.push(&t),
            Event::Code(t) => {
                let style = b.style().patch(theme.key);
                b.push_styled(format!("`{t}`"), style);
            }
            Event::SoftBreak => b.push(" "),
            Event::HardBreak => b.flush(),
            Event::Rule => {
                b.blank();
                b.lines.push(Line::styled("────────", theme.dim));
            }
            Event::Html(t) | Event::InlineHtml(t) => b.push(&t),
            Event::TaskListMarker(done) => b.push(if done { "[x] " } else { "[ ] " }),
            _ => {}
        }
    }
    b.flush();
    while b.lines.last().is_some_and(|l| l.spans.is_empty() || l.width() == 0) {
        b.lines.pop();
    }
    b.lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(md: &str) -> Vec<String> {
        render(md, &Theme::default(), 80).iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect()
    }

    #[test]
    fn headings_lists_quotes_code_and_links() {
        let md = "# Title\n\nSome *soft* and **bold** text.\n\n- one\n- two\n\n1. first\n2. second\n\n> quoted\n\n```\nlet x = 1;\n```\n\nSee [the docs](https://example.com) and `code`.";
        assert_eq!(
            plain(md),
            [
                "# Title",
                "",
                "Some soft and bold text.",
                "",
                "• one",
                "• two",
                "",
                "1. first",
                "2. second",
                "",
                "│ quoted",
                "",
                "    let x = 1;",
                "",
                "See the docs (https://example.com) and `code`.",
            ]
        );
    }

    #[test]
    fn escape_sequences_stay_inert_in_code_and_links() {
        let md = "```\n\u{1b}[2Jgone\n```\n\n[click](javascript:\u{1b}]52;c;ZXZpbA==\u{7})";
        let out = plain(md).join("\n");
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
        assert!(out.contains("␛[2Jgone") && out.contains("javascript:␛]52"), "{out}");
    }

    fn cells(line: &str) -> Vec<usize> {
        // Where each column starts, in terminal cells.
        let mut at = Vec::new();
        let mut used = 0;
        for (i, part) in line.split('│').enumerate() {
            if i > 0 {
                at.push(used);
            }
            used += text::width(part) + 1;
        }
        at
    }

    #[test]
    fn tables_line_up_by_terminal_cells() {
        let md = "| name | city | mood |\n|---|---|--:|\n| Amira | القاهرة | 😀😀 |\n| Jo | Rome | ok |\n\nafter";
        let out = plain(md);
        assert_eq!(out[0], "name  │ city    │ mood");
        assert_eq!(out[1], "──────┼─────────┼─────");
        assert_eq!(out[2], "Amira │ القاهرة │ 😀😀");
        assert_eq!(out[3], "Jo    │ Rome    │   ok", "a right-aligned column");
        assert_eq!(cells(&out[0]), cells(&out[2]), "the Arabic and emoji row lines up");
        assert_eq!(cells(&out[0]), cells(&out[3]));
        assert_eq!(out.last().map(String::as_str), Some("after"), "the text after the table is its own");
    }

    #[test]
    fn a_table_wider_than_the_pane_is_cut_and_stays_inert() {
        let md = "| a | b |\n|---|---|\n| short | a very long cell that does not fit \u{1b}[2J |\n";
        let lines: Vec<String> = render(md, &Theme::default(), 24)
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        assert!(lines.iter().all(|l| text::width(l) <= 24), "{lines:?}");
        assert!(lines[2].ends_with('…') && !lines.concat().contains('\u{1b}'), "{lines:?}");
        assert_eq!(cells(&lines[0]), cells(&lines[2]));
    }
}
