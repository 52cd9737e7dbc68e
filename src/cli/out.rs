//! Where a command's output goes, decided once: `Printer::stdout()` asks whether
//! standard output is a terminal, and every command writes through the printer it is
//! given, so tests construct one over a `Vec` with either answer.
//!
//! Database text (names, emails, import cells, lead messages) can hold escape
//! sequences typed by anyone: `ESC ] 52` writes the clipboard, `ESC [ 2 J` clears the
//! screen, a bidi override reverses what follows. Two kinds of output:
//! - `line`/`text`: messages for people. Always passed through the one sanitizer
//!   (`text::inert`), also into a pipe, which often ends at a terminal anyway
//!   (`| less -R`, `| cat`).
//! - `data`: what a script reads back (an export's CSV or JSON, `config show`). Into a
//!   file or pipe it is byte-exact; on a terminal every line is sanitized too.

use crate::text::{inert, inert_multiline};
use std::io::{self, IsTerminal, Write};

/// A command's standard output.
pub struct Printer<W: Write> {
    out: W,
    sanitize: bool,
}

impl Printer<io::Stdout> {
    /// Standard output; data is sanitized when it is a terminal.
    pub fn stdout() -> Printer<io::Stdout> {
        let out = io::stdout();
        let sanitize = out.is_terminal();
        Printer { out, sanitize }
    }
}

impl<W: Write> Printer<W> {
    /// `sanitize`: the output is a terminal, so `data` is made inert as well.
    pub fn new(out: W, sanitize: bool) -> Printer<W> {
        Printer { out, sanitize }
    }

    /// Whether `data` is sanitized (the output is a terminal).
    pub fn sanitizes(&self) -> bool {
        self.sanitize
    }

    /// One line for people: control characters and bidi controls made visible.
    pub fn line(&mut self, text: impl AsRef<str>) -> io::Result<()> {
        writeln!(self.out, "{}", inert(text.as_ref()))
    }

    /// Several lines for people (ends with a newline if `text` does).
    pub fn text(&mut self, text: impl AsRef<str>) -> io::Result<()> {
        write!(self.out, "{}", inert_multiline(text.as_ref()))
    }

    /// A writer for machine-readable output: byte-exact unless the output is a
    /// terminal. Flush it when done (a sanitized line is written once complete).
    pub fn data(&mut self) -> Data<'_, W> {
        if self.sanitize { Data::Inert(InertWriter::new(&mut self.out)) } else { Data::Raw(&mut self.out) }
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    pub fn into_inner(self) -> W {
        self.out
    }
}

/// A one-line note on standard error for people (progress, where a file went).
pub fn note(text: impl AsRef<str>) {
    let _ = writeln!(std::io::stderr(), "{}", inert(text.as_ref()));
}

/// `Printer::data`: raw bytes, or lines made inert.
pub enum Data<'a, W: Write> {
    Raw(&'a mut W),
    Inert(InertWriter<&'a mut W>),
}

impl<W: Write> Write for Data<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Data::Raw(w) => w.write(buf),
            Data::Inert(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Data::Raw(w) => w.flush(),
            Data::Inert(w) => w.flush(),
        }
    }
}

/// Writes text through `inert` line by line: newlines stay (a CSV keeps its rows, a
/// `\r\n` ending becomes `\n`), every other control character becomes visible. Bytes
/// are held until their line (or, on `flush`, their character) is complete, so a
/// UTF-8 sequence split across writes is never mangled.
pub struct InertWriter<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> InertWriter<W> {
    pub fn new(inner: W) -> InertWriter<W> {
        InertWriter { inner, pending: Vec::new() }
    }

    /// Writes `bytes` (no newline in them) made inert.
    fn emit(inner: &mut W, bytes: &[u8]) -> io::Result<()> {
        inner.write_all(inert(&String::from_utf8_lossy(bytes)).as_bytes())
    }
}

impl<W: Write> Write for InertWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(last) = self.pending.iter().rposition(|b| *b == b'\n') {
            let complete: Vec<u8> = self.pending.drain(..=last).collect();
            for line in complete.split_inclusive(|b| *b == b'\n') {
                let body = line.strip_suffix(b"\n").unwrap_or(line);
                let body = body.strip_suffix(b"\r").unwrap_or(body);
                Self::emit(&mut self.inner, body)?;
                self.inner.write_all(b"\n")?;
            }
        }
        Ok(buf.len())
    }

    /// Writes the pending part of a line, up to its last complete character.
    fn flush(&mut self) -> io::Result<()> {
        let upto = match std::str::from_utf8(&self.pending) {
            Ok(_) => self.pending.len(),
            // An incomplete character at the end waits for its other bytes.
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => self.pending.len(),
        };
        // A `\r` may be the first half of a `\r\n` line end.
        let upto = if self.pending[..upto].ends_with(b"\r") { upto - 1 } else { upto };
        let part: Vec<u8> = self.pending.drain(..upto).collect();
        Self::emit(&mut self.inner, &part)?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for InertWriter<W> {
    fn drop(&mut self) {
        if !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            let _ = Self::emit(&mut self.inner, &rest);
            let _ = self.inner.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "Eve\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{202e}gnp.exe";

    fn drives_a_terminal(bytes: &[u8]) -> bool {
        let text = String::from_utf8_lossy(bytes);
        text.chars().any(|c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c))
    }

    #[test]
    fn lines_are_always_inert() {
        for sanitize in [true, false] {
            let mut p = Printer::new(Vec::new(), sanitize);
            p.line(format!("deactivated {HOSTILE}")).unwrap();
            p.text(format!("a\n{HOSTILE}\n")).unwrap();
            let out = p.into_inner();
            assert!(!drives_a_terminal(&out), "{out:?}");
            assert_eq!(
                String::from_utf8(out).unwrap(),
                "deactivated Eve␛[2J␛]52;c;ZXZpbA==␇<RLO>gnp.exe\na\nEve␛[2J␛]52;c;ZXZpbA==␇<RLO>gnp.exe\n"
            );
        }
    }

    #[test]
    fn data_is_inert_on_a_terminal_and_byte_exact_elsewhere() {
        let csv = format!("id,full_name\r\n1,\"{HOSTILE}\nsecond line\"\r\n2,Sara\r\n");
        let mut terminal = Printer::new(Vec::new(), true);
        {
            let mut d = terminal.data();
            // Written in small pieces, splitting characters: the result is the same.
            for chunk in csv.as_bytes().chunks(3) {
                d.write_all(chunk).unwrap();
                d.flush().unwrap();
            }
            d.flush().unwrap();
        }
        let shown = String::from_utf8(terminal.into_inner()).unwrap();
        assert!(!drives_a_terminal(shown.as_bytes()), "{shown:?}");
        assert_eq!(shown, "id,full_name\n1,\"Eve␛[2J␛]52;c;ZXZpbA==␇<RLO>gnp.exe\nsecond line\"\n2,Sara\n");

        let mut pipe = Printer::new(Vec::new(), false);
        pipe.data().write_all(csv.as_bytes()).unwrap();
        assert_eq!(pipe.into_inner(), csv.as_bytes());
    }

    #[test]
    fn split_characters_wait_for_their_bytes() {
        let mut out = Vec::new();
        {
            let mut w = InertWriter::new(&mut out);
            let bytes = "سارة\u{1b}".as_bytes();
            w.write_all(&bytes[..3]).unwrap();
            w.flush().unwrap();
            w.write_all(&bytes[3..]).unwrap();
        }
        assert_eq!(String::from_utf8(out).unwrap(), "سارة␛");
    }
}
