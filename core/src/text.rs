//! Untrusted text (lead messages, names, post bodies) made safe for a terminal, and
//! width-aware truncation. Everything from the database passes `inert` before it is
//! drawn or printed: no escape sequence or control character reaches the terminal.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// One line of text with every control character shown as a visible symbol:
/// ESC as `␛`, other C0 controls as their control pictures (`␀`…`␟`, so a newline
/// is `␊`), DEL as `␡`, C1 controls as `�`, and bidi overrides/isolates by name
/// (`<RLO>`), so reversed text cannot disguise what it says.
pub fn inert(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_inert(&mut out, c, false);
    }
    out
}

/// Like `inert`, but keeps newlines and turns tabs into spaces (multi-line views).
pub fn inert_multiline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_inert(&mut out, c, true);
    }
    out
}

fn push_inert(out: &mut String, c: char, multiline: bool) {
    match c {
        '\n' if multiline => out.push('\n'),
        '\t' if multiline => out.push_str("    "),
        '\u{1b}' => out.push('␛'),
        '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}')),
        '\u{7f}' => out.push('␡'),
        '\u{80}'..='\u{9f}' => out.push('\u{fffd}'),
        _ => match bidi_name(c) {
            Some(name) => {
                out.push('<');
                out.push_str(name);
                out.push('>');
            }
            None => out.push(c),
        },
    }
}

/// Names of the bidi embedding, override and isolate controls.
fn bidi_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{202a}' => "LRE",
        '\u{202b}' => "RLE",
        '\u{202c}' => "PDF",
        '\u{202d}' => "LRO",
        '\u{202e}' => "RLO",
        '\u{2066}' => "LRI",
        '\u{2067}' => "RLI",
        '\u{2068}' => "FSI",
        '\u{2069}' => "PDI",
        _ => return None,
    })
}

/// Display width in terminal cells, counted the way ratatui lays out a buffer: per
/// grapheme (emoji and CJK take two, Arabic letters one each, unshaped). Measuring
/// the whole string instead would count Arabic lam-alef as one cell and misalign rows.
pub fn width(text: &str) -> usize {
    text.graphemes(true).map(grapheme_width).sum()
}

fn grapheme_width(g: &str) -> usize {
    UnicodeWidthStr::width(g)
}

/// Sanitises and cuts `text` to at most `max` cells, ending in `…` when cut. A wide
/// character that would straddle the edge is dropped, never split.
pub fn fit(text: &str, max: usize) -> String {
    let clean = inert(text);
    if width(&clean) <= max {
        return clean;
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in clean.graphemes(true) {
        let w = grapheme_width(g);
        if used + w > max - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.push('…');
    out
}

/// Like `fit` but keeps the end ("…the end"): the text being typed stays in view.
pub fn fit_end(text: &str, max: usize) -> String {
    let clean = inert(text);
    if width(&clean) <= max {
        return clean;
    }
    if max == 0 {
        return String::new();
    }
    let mut kept = Vec::new();
    let mut used = 0;
    for g in clean.graphemes(true).rev() {
        let w = grapheme_width(g);
        if used + w > max - 1 {
            break;
        }
        kept.push(g);
        used += w;
    }
    kept.push("…");
    kept.reverse();
    kept.concat()
}

/// Sanitises `text` and wraps it at word boundaries into lines of at most `max`
/// cells (a word longer than a line is broken), at most `lines` of them: the last
/// one ends in `…` when more was left. For messages that must be read whole.
pub fn wrap(text: &str, max: usize, lines: usize) -> Vec<String> {
    let clean = inert(text);
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    let max = max.max(1);
    for word in clean.split_whitespace() {
        let sep = usize::from(!line.is_empty());
        if width(&line) + sep + width(word) <= max {
            if sep == 1 {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            out.push(std::mem::take(&mut line));
        }
        // A word wider than a line goes on in pieces.
        for g in word.graphemes(true) {
            if width(&line) + grapheme_width(g) > max {
                out.push(std::mem::take(&mut line));
            }
            line.push_str(g);
        }
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    if out.len() > lines && lines > 0 {
        let rest = out[lines - 1..].join(" ");
        out.truncate(lines - 1);
        out.push(fit(&rest, max));
    }
    out
}

/// "a" or "an" before `word` (by its first letter: "an email", "a call").
pub fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) { "an" } else { "a" }
}

/// `fit`, then padded with spaces to exactly `width` cells (table columns).
pub fn pad(text: &str, width: usize) -> String {
    let mut out = fit(text, width);
    let w = self::width(&out);
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_every_word_within_the_width() {
        let said = "refused: the maximum budget of 1,000,000,000,000 is over the limit for this lead";
        let lines = wrap(said, 30, 5);
        assert!(lines.iter().all(|l| width(l) <= 30), "{lines:?}");
        assert_eq!(lines.join(" "), said, "nothing cut");
        assert_eq!(wrap("a\u{1b}[2J b", 10, 2), vec!["a␛[2J b"]);
        let cut = wrap(said, 20, 2);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…'));
        assert_eq!(wrap("مرحبا😀😀😀", 4, 9).iter().map(|l| width(l)).max(), Some(4));
    }

    #[test]
    fn escapes_become_visible() {
        let hostile = "Hi\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\r\nthere\u{9b}31m";
        let out = inert(hostile);
        assert!(!out.chars().any(|c| c.is_control()), "{out:?}");
        assert!(out.starts_with("Hi␛[2J␛]52;c;ZXZpbA==␇␍␊there"), "{out}");
    }

    #[test]
    fn bidi_overrides_are_named() {
        assert_eq!(inert("invoice\u{202e}fdp.exe"), "invoice<RLO>fdp.exe");
        assert_eq!(inert("سارة أحمد"), "سارة أحمد", "Arabic passes untouched");
    }

    #[test]
    fn multiline_keeps_lines() {
        assert_eq!(inert_multiline("a\n\tb\u{1b}"), "a\n    b␛");
    }

    #[test]
    fn fit_respects_cell_widths() {
        assert_eq!(fit("hello", 10), "hello");
        assert_eq!(fit("hello world", 6), "hello…");
        assert_eq!(width(&fit("🎓🎓🎓🎓", 5)), 5, "{}", fit("🎓🎓🎓🎓", 5));
        assert_eq!(fit("🎓🎓🎓🎓", 4), "🎓…");
        assert_eq!(width(&fit("محمد عبد الرحمن", 8)), 8);
        // Lam-alef is two cells in a terminal buffer, whatever ligature rules say.
        assert_eq!(width("الأسعار"), 7);
        assert_eq!(width("❤\u{fe0f}"), 2);
        assert_eq!(fit("abc", 0), "");
        assert_eq!(pad("سارة 🎓", 9), "سارة 🎓  ");
        assert_eq!(width(&pad("🎓🎓🎓", 5)), 5);
    }
}
