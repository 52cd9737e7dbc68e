//! Line diffs for people: a stale save's "their version against yours", a post's
//! revision against the post as it is now, and the audit viewer's long texts.
//! Lines start with `- ` (only in the old), `+ ` (only in the new) or two spaces
//! (both, kept as context around each change); `…` separates distant changes.
//! The text is made inert when drawn, not here.

use similar::{ChangeTag, TextDiff};

/// Unchanged lines kept around each change.
const CONTEXT: usize = 2;
/// The longest diff shown; the rest is counted.
const MOST: usize = 2_000;

/// The changed lines of `old` → `new` with a little context; empty when equal.
pub fn lines(old: &str, new: &str) -> Vec<String> {
    let diff = TextDiff::from_lines(old, new);
    let mut out = Vec::new();
    for (i, group) in diff.grouped_ops(CONTEXT).iter().enumerate() {
        if i > 0 {
            out.push("…".to_string());
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let sign = match change.tag() {
                    ChangeTag::Delete => "- ",
                    ChangeTag::Insert => "+ ",
                    ChangeTag::Equal => "  ",
                };
                out.push(format!("{sign}{}", change.value().trim_end_matches(['\n', '\r'])));
            }
        }
    }
    if out.len() > MOST {
        let more = out.len() - MOST;
        out.truncate(MOST);
        out.push(format!("… and {more} more lines"));
    }
    out
}

/// How much changed: (lines added, lines removed).
pub fn counts(old: &str, new: &str) -> (usize, usize) {
    let diff = TextDiff::from_lines(old, new);
    diff.iter_all_changes().fold((0, 0), |(a, r), c| match c.tag() {
        ChangeTag::Insert => (a + 1, r),
        ChangeTag::Delete => (a, r + 1),
        ChangeTag::Equal => (a, r),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_with_context_and_gaps() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
        let new = "a\nB\nc\nd\ne\nf\ng\nh\ni\nJ\n";
        let d = lines(old, new);
        assert_eq!(d, vec!["  a", "- b", "+ B", "  c", "  d", "…", "  h", "  i", "- j", "+ J"]);
        assert_eq!(counts(old, new), (2, 2));
        assert!(lines("same\n", "same\n").is_empty());
    }

    #[test]
    fn a_last_line_without_newline_still_compares() {
        assert_eq!(lines("one\ntwo", "one\ntwo!"), vec!["  one", "- two", "+ two!"]);
    }
}
