//! What flows into `App::update` and what comes out of it.

use crate::backend::changes::Notice;
use crate::backend::{Envelope, Event};
use crate::ui::screens::ScreenId;
use crossterm::event::KeyEvent;

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// Text pasted in one go (bracketed paste).
    Paste(String),
    Resize(u16, u16),
    /// The mouse (`display.mouse`): a wheel turn, a click or a double click.
    Pointer(super::mouse::Pointer),
    /// The frame tick with the current instant (toasts expire, spinners turn, idle
    /// time counts, "today" moves on). The only way time enters the UI.
    Tick(chrono::DateTime<chrono::Utc>),
    Backend(Box<Event>),
    Changed(Notice),
    /// What the user's own editor gave back to a screen (`Effect::External`).
    Edited {
        screen: ScreenId,
        tag: &'static str,
        text: Result<String, String>,
    },
}

/// Everything `update` wants done in the world; the event loop does it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Boxed: a command is large next to the other effects.
    Send(Box<Envelope>),
    Quit,
    Suspend,
    /// Put text on the user's own clipboard with OSC 52 (works over SSH when the
    /// local terminal allows it).
    Copy(String),
    /// Hand the terminal to the user's editor on `text`; `Msg::Edited` follows.
    External {
        screen: ScreenId,
        tag: &'static str,
        text: String,
    },
}

/// The effects of several messages handled together (keys typed or pasted in one
/// go), with every load that a later one in the same batch supersedes left out: it
/// would be cancelled the moment it started, after taking a connection and CPU from
/// the one that counts. Writes and everything else stay, in order.
pub fn coalesce(effects: Vec<Effect>) -> Vec<Effect> {
    let key = |e: &Effect| match e {
        Effect::Send(cmd) => cmd.supersedes,
        _ => None,
    };
    let mut kept = Vec::with_capacity(effects.len());
    for (i, e) in effects.iter().enumerate() {
        let superseded = key(e).is_some_and(|k| effects[i + 1..].iter().any(|later| key(later) == Some(k)));
        if !superseded {
            kept.push(e.clone());
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::LeadRequest;
    use crate::backend::Request;

    fn send(req_id: u64, supersedes: Option<u64>) -> Effect {
        Effect::Send(Box::new(Envelope { req_id, supersedes, request: Request::Leads(LeadRequest::Assignees) }))
    }

    #[test]
    fn only_the_last_load_of_a_slot_is_sent_and_writes_all_are() {
        let batch = vec![send(1, Some(7)), send(2, None), send(3, Some(7)), send(4, Some(8)), Effect::Quit];
        assert_eq!(coalesce(batch), vec![send(2, None), send(3, Some(7)), send(4, Some(8)), Effect::Quit]);
        assert_eq!(coalesce(vec![send(1, None), send(2, None)]), vec![send(1, None), send(2, None)]);
    }
}
