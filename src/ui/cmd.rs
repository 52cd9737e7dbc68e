//! What a screen or a popup asks the app to do: command values, carried out by
//! `App::run_cmds`. A request names its lane; the app adds the screen that sent it,
//! so the reply comes back to that screen (not to whichever screen is on top).

use super::app::Popup;
use super::screens::{Screen, ScreenId};
use crate::backend::Request;
use crate::domain::lead::{LeadStatus, MoveInput};
use crate::ui::widgets::form::Values;

/// Which of a screen's requests a reply answers. Loads supersede the pending load of
/// the same lane (latest wins); every write has a lane of its own and always runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lane {
    /// The screen's main load.
    Load,
    /// The next page of one part of the screen (a board column, a list).
    More(u8),
    /// One write; its number is unique within the app.
    Write(u64),
    /// A dialog's request (forms, pick lists): errors go to the form on top.
    Dialog,
}

impl Lane {
    /// Loads may be dropped when a newer one of the same lane is sent.
    pub fn supersedable(self) -> bool {
        matches!(self, Lane::Load | Lane::More(_))
    }
}

/// Where a reply goes: the screen that asked, and its lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Token {
    Login,
    /// The app's own probe while the database is unavailable.
    Probe,
    Screen(ScreenId, Lane),
}

impl Token {
    /// The backend's key for "latest wins" (only for supersedable lanes).
    pub fn supersede_key(self) -> Option<u64> {
        use std::hash::{Hash, Hasher};
        match self {
            Token::Screen(_, lane) if lane.supersedable() => {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                self.hash(&mut h);
                Some(h.finish())
            }
            _ => None,
        }
    }
}

/// A message from a popup back to the screen that opened it.
#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    /// Move a lead to a stage; `None`: ask first what the stage needs.
    MoveLead { lead_id: i64, to: LeadStatus, input: Option<MoveInput> },
    /// A generic form checked out: its tag and values.
    Submit { tag: &'static str, values: Values },
    /// A line of a pick list the screen built: its tag and the line's index in the
    /// list the screen keeps.
    Picked { tag: &'static str, index: usize },
    /// The text came back from the user's own editor (`Cmd::External`), or why not.
    Edited { tag: &'static str, text: Result<String, String> },
}

#[derive(Debug, Clone)]
pub enum Cmd {
    /// A backend request; its reply comes back to the sending screen's lane.
    Send(Lane, Request),
    /// Open (or go back to) a screen by name.
    Open(ScreenId),
    /// Push this screen (one that needs data to open, such as a lead).
    Push(Box<Screen>),
    Popup(Box<Popup>),
    /// Close the dialogs (forms and pick lists) that are open.
    CloseDialogs,
    /// The form on top was refused before sending: why, at this field (if any); it
    /// keeps everything typed.
    FieldError {
        field: Option<&'static str>,
        why: String,
    },
    Toast(String),
    Error(String),
    /// Put text on the user's clipboard (OSC 52).
    Copy(String),
    /// Edit `text` in the user's own editor (`$VISUAL`, `$EDITOR`, else `vi`), the
    /// TUI suspended meanwhile; the result comes back as `Call::Edited`.
    External {
        tag: &'static str,
        text: String,
    },
    /// Tell a screen something from one of its popups.
    Call(ScreenId, Call),
    /// Load the screen on top again (after a write or a conflict).
    Reload,
    /// Close the sending screen (the editor's Esc, once confirmed).
    Leave,
    /// Close the form (or note) on top, dropping what it holds (Esc on a changed
    /// form, once confirmed).
    CloseForm,
    Quit,
}
