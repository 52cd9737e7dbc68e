//! What flows into `App::update` and what comes out of it.

use crate::backend::changes::Notice;
use crate::backend::{Command, Event};
use crossterm::event::KeyEvent;

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// Text pasted in one go (bracketed paste).
    Paste(String),
    Resize(u16, u16),
    /// The frame tick with the current instant (toasts expire, spinners turn, idle
    /// time counts, "today" moves on). The only way time enters the UI.
    Tick(chrono::DateTime<chrono::Utc>),
    Backend(Box<Event>),
    Changed(Notice),
}

/// Everything `update` wants done in the world; the event loop does it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Boxed: a command is large next to the other effects.
    Send(Box<Command>),
    Quit,
    Suspend,
    /// Put text on the user's own clipboard with OSC 52 (works over SSH when the
    /// local terminal allows it).
    Copy(String),
}
