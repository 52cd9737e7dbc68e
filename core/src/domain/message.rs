//! Contact messages from the website form (docs/domain.md §2, seed 002): their
//! status and the moves between statuses.

use super::MoveRefused;
use super::lifecycle::check_transition;

string_enum! {
    /// Where a contact message is in its handling.
    MessageStatus { New => "new", InProgress => "in_progress", Resolved => "resolved" }
}

impl MessageStatus {
    /// new -> in_progress -> resolved, new -> resolved (answered at once), and
    /// resolved -> in_progress to reopen. Nothing goes back to new: once someone has
    /// looked at a message it is no longer unread.
    pub fn allowed_moves(self) -> &'static [MessageStatus] {
        use MessageStatus::*;
        match self {
            New => &[InProgress, Resolved],
            InProgress => &[Resolved],
            Resolved => &[InProgress],
        }
    }

    /// `Err` names the moves allowed from `self`, e.g. "a contact message cannot move
    /// from resolved to new; allowed from resolved: in_progress".
    pub fn check_move(self, to: MessageStatus) -> Result<(), MoveRefused> {
        check_transition("a contact message", self, to, self.allowed_moves())
    }

    /// Whether the message still needs someone's attention.
    pub fn is_open(self) -> bool {
        self != MessageStatus::Resolved
    }
}

#[cfg(test)]
mod tests {
    use super::MessageStatus::{self, *};

    #[test]
    fn allowed_moves_are_exactly_the_documented_ones() {
        let allowed = [(New, InProgress), (New, Resolved), (InProgress, Resolved), (Resolved, InProgress)];
        for &from in MessageStatus::ALL {
            for &to in MessageStatus::ALL {
                assert_eq!(from.check_move(to).is_ok(), allowed.contains(&(from, to)), "{from} -> {to}");
            }
        }
    }

    #[test]
    fn a_refusal_names_the_allowed_moves() {
        let err = Resolved.check_move(New).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a contact message cannot move from resolved to new; allowed from resolved: in_progress"
        );
        let err = InProgress.check_move(InProgress).unwrap_err();
        assert_eq!(err.allowed, vec!["resolved"]);
        assert!(New.is_open() && InProgress.is_open() && !Resolved.is_open());
    }

    #[test]
    fn round_trips_through_database_text() {
        for &s in MessageStatus::ALL {
            assert_eq!(MessageStatus::parse(s.as_str()), Some(s));
        }
        assert!("done".parse::<MessageStatus>().unwrap_err().to_string().contains("new, in_progress, resolved"));
    }
}
