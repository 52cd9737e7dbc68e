//! Help requests (docs/domain.md §8, seed 001): support tickets raised by students,
//! teachers and admins, answered by staff. Their status, the moves between statuses,
//! and the limit on a response.

use super::MoveRefused;
use super::lifecycle::check_transition;

string_enum! {
    /// Where a help request is in its handling (seed 001's HelpRequestStatus).
    HelpStatus { Pending => "pending", InProgress => "in_progress", Resolved => "resolved", Closed => "closed" }
}

string_enum! {
    /// Who raised the request (seed 001's HelpRequestUserType).
    RequesterType { Teacher => "teacher", Student => "student", Admin => "admin" }
}

/// The longest response staff may store, in characters (a long email's worth; a
/// pasted log or a whole document is refused rather than stored).
pub const MAX_RESPONSE_CHARS: usize = 10_000;

impl HelpStatus {
    /// The moves staff may make:
    /// - pending -> in_progress (someone is on it), resolved (answered at once) or
    ///   closed (spam, duplicate, withdrawn);
    /// - in_progress -> resolved or closed;
    /// - resolved -> in_progress (the requester replied that it is not fixed) or
    ///   closed (done, archived);
    /// - closed -> in_progress: a reopen, so a closing mis-keyed in the TUI can be
    ///   undone (every move is audited, so a reopen is visible).
    ///
    /// Nothing goes back to pending: once staff have looked at a request it is no
    /// longer waiting unseen.
    pub fn allowed_moves(self) -> &'static [HelpStatus] {
        use HelpStatus::*;
        match self {
            Pending => &[InProgress, Resolved, Closed],
            InProgress => &[Resolved, Closed],
            Resolved => &[InProgress, Closed],
            Closed => &[InProgress],
        }
    }

    /// `Err` names the moves allowed from `self`, e.g. "a help request cannot move
    /// from closed to resolved; allowed from closed: in_progress".
    pub fn check_move(self, to: HelpStatus) -> Result<(), MoveRefused> {
        check_transition("a help request", self, to, self.allowed_moves())
    }

    /// The status a response leaves the request in: `chosen`, or resolved. Staying in
    /// the current status is allowed (a holding answer to a request in progress,
    /// a corrected answer to a resolved one); pending is not a status after a
    /// response; anything else must be an allowed move.
    pub fn after_response(self, chosen: Option<HelpStatus>) -> Result<HelpStatus, MoveRefused> {
        let to = chosen.unwrap_or(HelpStatus::Resolved);
        if to == HelpStatus::Pending {
            let allowed = std::iter::once(self).chain(self.allowed_moves().iter().copied());
            return Err(MoveRefused {
                what: "a help request with a response",
                from: self.to_string(),
                to: to.to_string(),
                allowed: allowed.filter(|s| *s != HelpStatus::Pending).map(|s| s.to_string()).collect(),
            });
        }
        if to == self {
            return Ok(to);
        }
        self.check_move(to).map(|()| to)
    }

    /// Whether the request still needs someone's attention.
    pub fn is_open(self) -> bool {
        matches!(self, HelpStatus::Pending | HelpStatus::InProgress)
    }
}

/// Checks and trims a response: not empty, at most `MAX_RESPONSE_CHARS` characters.
pub fn check_response(text: &str) -> Result<String, String> {
    let text = super::contact::clean(text);
    if text.is_empty() {
        return Err("is needed".into());
    }
    let n = text.chars().count();
    if n > MAX_RESPONSE_CHARS {
        return Err(format!("is {n} characters long; the limit is {MAX_RESPONSE_CHARS}"));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::HelpStatus::{self, *};
    use super::*;

    #[test]
    fn allowed_moves_are_exactly_the_documented_ones() {
        let allowed = [
            (Pending, InProgress),
            (Pending, Resolved),
            (Pending, Closed),
            (InProgress, Resolved),
            (InProgress, Closed),
            (Resolved, InProgress),
            (Resolved, Closed),
            (Closed, InProgress),
        ];
        for &from in HelpStatus::ALL {
            for &to in HelpStatus::ALL {
                assert_eq!(from.check_move(to).is_ok(), allowed.contains(&(from, to)), "{from} -> {to}");
            }
        }
    }

    #[test]
    fn a_refusal_names_the_allowed_moves() {
        let err = Closed.check_move(Resolved).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a help request cannot move from closed to resolved; allowed from closed: in_progress"
        );
        let err = InProgress.check_move(Pending).unwrap_err();
        assert_eq!(err.allowed, vec!["resolved", "closed"]);
    }

    #[test]
    fn a_response_resolves_unless_told_otherwise() {
        assert_eq!(Pending.after_response(None), Ok(Resolved));
        assert_eq!(Pending.after_response(Some(InProgress)), Ok(InProgress));
        assert_eq!(InProgress.after_response(Some(InProgress)), Ok(InProgress), "a holding answer");
        assert_eq!(Resolved.after_response(None), Ok(Resolved), "a corrected answer");
        let err = Closed.after_response(None).unwrap_err();
        assert!(err.to_string().contains("allowed from closed: in_progress"), "{err}");
        let err = InProgress.after_response(Some(Pending)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a help request with a response cannot move from in_progress to pending; allowed from in_progress: \
             in_progress, resolved, closed"
        );
    }

    #[test]
    fn responses_are_checked() {
        assert_eq!(check_response("  Done.\n"), Ok("Done.".to_string()));
        assert_eq!(check_response(" \n "), Err("is needed".to_string()));
        assert!(check_response(&"ا".repeat(MAX_RESPONSE_CHARS)).is_ok(), "the limit counts characters, not bytes");
        let err = check_response(&"x".repeat(MAX_RESPONSE_CHARS + 1)).unwrap_err();
        assert_eq!(err, "is 10001 characters long; the limit is 10000");
    }

    #[test]
    fn round_trips_through_database_text() {
        for &s in HelpStatus::ALL {
            assert_eq!(HelpStatus::try_from(s.as_str().to_string()), Ok(s));
        }
        assert!(RequesterType::try_from("parent".to_string()).is_err());
        assert!(Pending.is_open() && InProgress.is_open() && !Resolved.is_open() && !Closed.is_open());
    }
}
