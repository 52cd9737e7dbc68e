//! A post's markdown as styled lines for the editor's preview, from pulldown-cmark's
//! events: headings, emphasis and strong, lists (bullets and numbers), block
//! quotes, code (inline and blocks), links as their text followed by the address.
//! Every piece of text passes `text::inert`, so an escape sequence in a code block
//! or a link shows as symbols and never reaches the terminal. Wrapping is left to
//! the `Paragraph` that draws the lines.

use crate::text;
use crate::ui::theme::Theme;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
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
}

impl Builder<'_> {
    fn style(&self) -> Style {
        self.styles.last().copied().unwrap_or(self.theme.base)
    }

    fn push(&mut self, s: &str) {
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

    fn open(&mut self, style: Style) {
        let base = self.style();
        self.styles.push(base.patch(style));
    }
}

/// The preview of `markdown`.
pub fn render(markdown: &str, theme: &Theme) -> Vec<Line<'static>> {
    let mut b = Builder {
        theme,
        lines: Vec::new(),
        spans: Vec::new(),
        styles: Vec::new(),
        lists: Vec::new(),
        quote: 0,
        code_block: false,
        links: Vec::new(),
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
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {
                    b.styles.pop();
                }
                TagEnd::Link | TagEnd::Image => {
                    b.styles.pop();
                    if let Some(url) = b.links.pop().filter(|u| !u.is_empty()) {
                        let dim = theme.dim;
                        b.spans.push(Span::styled(format!(" ({})", text::inert(&url)), dim));
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
                b.spans.push(Span::styled(format!("`{}`", text::inert(&t)), style));
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
        render(md, &Theme::default()).iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect()
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
}
