//! The real terminal: raw mode and the alternate screen on entry, and restored on
//! every way out — normal quit, error (a guard's Drop), panic in any thread (the
//! hook), SIGTERM/SIGHUP (the event loop exits cleanly), and around Ctrl-Z.

use crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Whether the terminal is in TUI mode (so the panic hook knows to restore it).
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Enters raw mode and the alternate screen. Mouse capture only when asked (it
/// stops the terminal's own text selection).
pub fn enter(mouse: bool) -> io::Result<Term> {
    install_panic_hook();
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut out = io::stdout();
    execute!(out, EnterAlternateScreen, EnableBracketedPaste, cursor::Hide)?;
    if mouse {
        execute!(out, EnableMouseCapture)?;
    }
    Terminal::new(CrosstermBackend::new(io::stdout()))
}

/// Puts the terminal back as it was. Safe to call more than once.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste, LeaveAlternateScreen, cursor::Show);
        let _ = disable_raw_mode();
    }
}

/// Restores the terminal when dropped (error paths out of the event loop).
pub struct RestoreGuard;

impl Drop for RestoreGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// A panic anywhere (also in a tokio task, which would otherwise leave the UI running
/// on a broken screen) restores the terminal, logs, prints one line and exits.
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if ACTIVE.load(Ordering::SeqCst) {
                restore();
                tracing::error!("panic: {info}");
                let line = info.to_string().split_whitespace().collect::<Vec<_>>().join(" ");
                // A panic message may quote input (a name, a pasted value): never raw.
                let _ =
                    writeln!(io::stderr(), "staffroom: internal error (please report): {}", crate::text::inert(&line));
                std::process::exit(101);
            }
            previous(info);
        }));
    });
}

/// Ctrl-Z: give the terminal back, stop, and take it again when resumed (`fg`).
/// Runs `f` with the terminal as the shell had it (an external editor), then takes
/// it back and redraws everything.
pub fn handed<T>(term: &mut Term, mouse: bool, f: impl FnOnce() -> T) -> io::Result<T> {
    restore();
    let out = f();
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste, cursor::Hide)?;
    if mouse {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    full_redraw(term)?;
    Ok(out)
}

pub fn suspend(term: &mut Term, mouse: bool) -> io::Result<()> {
    restore();
    // SAFETY: raise() only sends a signal to this process; SIGTSTP's default action
    // stops it until SIGCONT.
    unsafe {
        libc::raise(libc::SIGTSTP);
    }
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste, cursor::Hide)?;
    if mouse {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    full_redraw(term)
}

/// Clears the screen and makes the next draw paint every cell. Not
/// `Terminal::clear`: it asks the terminal where the cursor is, and the input
/// reader's thread takes the answer, so after `fg` the screen stayed blank until
/// the query gave up two seconds later and ended the app with an error.
fn full_redraw(term: &mut Term) -> io::Result<()> {
    execute!(io::stdout(), crossterm::terminal::Clear(crossterm::terminal::ClearType::All))?;
    // The frame last drawn is forgotten (reset) and the empty one becomes the
    // current: the next draw compares against nothing and paints everything.
    term.swap_buffers();
    Ok(())
}
