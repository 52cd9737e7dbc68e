//! Leads and the sales pipeline (docs/domain.md §2, BR-06).

use super::MoveRefused;

string_enum! {
    /// A lead's stage on the pipeline. Declaration order is the board's column order.
    LeadStatus {
        New => "new",
        Contacted => "contacted",
        Qualified => "qualified",
        ProposalSent => "proposal_sent",
        Nurturing => "nurturing",
        ClosedWon => "closed_won",
        ClosedLost => "closed_lost",
    }
}

string_enum! {
    LeadSource {
        WebsiteForm => "website_form",
        Whatsapp => "whatsapp",
        Instagram => "instagram",
        Facebook => "facebook",
        Referral => "referral",
        Session => "session",
        ContactForm => "contact_form",
        Import => "import",
        Other => "other",
    }
}

string_enum! {
    LeadType { Student => "student", Client => "client", Partner => "partner", Other => "other" }
}

string_enum! {
    Interest {
        Mentorship => "mentorship",
        CodeReview => "code_review",
        MvpSprint => "mvp_sprint",
        Dashboard => "dashboard",
        LandingPage => "landing_page",
        Workshop => "workshop",
        Program => "program",
        Other => "other",
    }
}

string_enum! {
    Urgency { Asap => "asap", ThisMonth => "this_month", NextMonth => "next_month", Exploring => "exploring" }
}

string_enum! {
    NoteType {
        General => "general",
        Call => "call",
        Email => "email",
        Meeting => "meeting",
        Whatsapp => "whatsapp",
    }
}

impl NoteType {
    /// A note of this type records real contact with the lead, so it updates
    /// `leads.last_contact_at` (docs/domain.md §2).
    pub fn is_contact(self) -> bool {
        !matches!(self, NoteType::General)
    }
}

impl LeadStatus {
    pub fn is_closed(self) -> bool {
        matches!(self, LeadStatus::ClosedWon | LeadStatus::ClosedLost)
    }

    pub fn is_open(self) -> bool {
        !self.is_closed()
    }

    /// The stages this one may move to. Reopening a closed lead is included only for
    /// admins; everything else is the same for every role that may edit leads.
    pub fn allowed_moves(self, is_admin: bool) -> Vec<LeadStatus> {
        use LeadStatus::*;
        let mut moves = match self {
            New => vec![Contacted],
            Contacted => vec![Qualified, New, Nurturing],
            Qualified => vec![ProposalSent, Contacted, Nurturing],
            ProposalSent => vec![ClosedWon, Qualified, Nurturing],
            Nurturing => vec![Contacted, Qualified],
            ClosedWon | ClosedLost => vec![],
        };
        if self.is_open() {
            moves.push(ClosedLost);
        } else if is_admin {
            moves.push(Contacted);
        }
        moves
    }

    /// The next stage forward on the board (`L`), if moving forward is a legal move.
    pub fn forward(self) -> Option<LeadStatus> {
        use LeadStatus::*;
        match self {
            New => Some(Contacted),
            Contacted => Some(Qualified),
            Qualified => Some(ProposalSent),
            ProposalSent => Some(ClosedWon),
            Nurturing | ClosedWon | ClosedLost => None,
        }
    }

    /// One step back among open stages (`H`): undoes a mis-click.
    pub fn back(self) -> Option<LeadStatus> {
        use LeadStatus::*;
        match self {
            Contacted => Some(New),
            Qualified => Some(Contacted),
            ProposalSent => Some(Qualified),
            _ => None,
        }
    }
}

/// Data that some target stages need before a lead may enter them: closed_lost a
/// lost reason (required); nurturing the next follow-up; proposal_sent the budget
/// range (the board asks for these two; they are stored with the move).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MoveInput {
    pub lost_reason: Option<String>,
    pub next_follow_up_at: Option<chrono::DateTime<chrono::Utc>>,
    pub budget_range: Option<String>,
    /// The move is the undo of the user's own last move of the lead (`u`): the
    /// exact reverse, which the forward machine does not judge (`store::lead_undo`).
    pub undo: bool,
}

/// What the board must ask before moving a lead to `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    LostReason,
    FollowUp,
    Budget,
}

/// The question to ask for a move, if any (`has_budget`: the lead has a budget range).
pub fn prompt_for(to: LeadStatus, has_budget: bool) -> Option<Prompt> {
    match to {
        LeadStatus::ClosedLost => Some(Prompt::LostReason),
        LeadStatus::Nurturing => Some(Prompt::FollowUp),
        LeadStatus::ProposalSent if !has_budget => Some(Prompt::Budget),
        _ => None,
    }
}

/// Checks a pipeline move. `Err` names the moves that are allowed from `from`.
pub fn check_move(from: LeadStatus, to: LeadStatus, is_admin: bool, input: &MoveInput) -> Result<(), LeadMoveError> {
    let allowed = from.allowed_moves(is_admin);
    if !allowed.contains(&to) {
        let reopening = from.is_closed() && to == LeadStatus::Contacted;
        return Err(LeadMoveError::Refused(MoveRefused {
            what: if reopening { "a closed lead (reopening is admin-only)" } else { "a lead" },
            from: from.to_string(),
            to: to.to_string(),
            allowed: allowed.iter().map(|s| s.to_string()).collect(),
        }));
    }
    if to == LeadStatus::ClosedLost && input.lost_reason.as_deref().map(str::trim).unwrap_or("").is_empty() {
        return Err(LeadMoveError::LostReasonRequired);
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LeadMoveError {
    #[error(transparent)]
    Refused(#[from] MoveRefused),
    #[error("closing a lead as lost needs a lost reason")]
    LostReasonRequired,
}

#[cfg(test)]
mod tests {
    use super::LeadStatus::*;
    use super::*;

    fn ok(from: LeadStatus, to: LeadStatus, admin: bool) -> bool {
        let input = MoveInput { lost_reason: Some("price".into()), ..MoveInput::default() };
        check_move(from, to, admin, &input).is_ok()
    }

    #[test]
    fn the_full_move_table_matches_br06() {
        // Every (from, to) pair, for a non-admin: exactly these are legal.
        let legal = [
            (New, Contacted),
            (Contacted, Qualified),
            (Qualified, ProposalSent),
            (ProposalSent, ClosedWon),
            (Contacted, New),
            (Qualified, Contacted),
            (ProposalSent, Qualified),
            (Contacted, Nurturing),
            (Qualified, Nurturing),
            (ProposalSent, Nurturing),
            (Nurturing, Contacted),
            (Nurturing, Qualified),
            (New, ClosedLost),
            (Contacted, ClosedLost),
            (Qualified, ClosedLost),
            (ProposalSent, ClosedLost),
            (Nurturing, ClosedLost),
        ];
        for &from in LeadStatus::ALL {
            for &to in LeadStatus::ALL {
                assert_eq!(ok(from, to, false), legal.contains(&(from, to)), "{from} -> {to}");
            }
        }
    }

    #[test]
    fn reopening_is_admin_only() {
        for closed in [ClosedWon, ClosedLost] {
            assert!(!ok(closed, Contacted, false));
            assert!(ok(closed, Contacted, true));
            assert!(!ok(closed, Qualified, true), "reopen goes to contacted only");
        }
    }

    #[test]
    fn refusal_names_the_allowed_moves() {
        let err = check_move(New, ClosedWon, false, &MoveInput::default()).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("new to closed_won"), "{text}");
        assert!(text.contains("contacted, closed_lost"), "{text}");
        let closed = check_move(ClosedWon, Contacted, false, &MoveInput::default()).unwrap_err();
        assert!(closed.to_string().contains("admin-only"), "{closed}");
    }

    #[test]
    fn closed_lost_needs_a_reason() {
        let blank = MoveInput { lost_reason: Some("  ".into()), ..MoveInput::default() };
        assert_eq!(check_move(Qualified, ClosedLost, false, &blank), Err(LeadMoveError::LostReasonRequired));
        assert_eq!(
            check_move(Qualified, ClosedLost, false, &MoveInput::default()),
            Err(LeadMoveError::LostReasonRequired)
        );
    }

    #[test]
    fn forward_and_back_are_legal_moves() {
        for &s in LeadStatus::ALL {
            if let Some(f) = s.forward() {
                assert!(ok(s, f, false), "{s} forward");
            }
            if let Some(b) = s.back() {
                assert!(ok(s, b, false), "{s} back");
            }
        }
    }

    #[test]
    fn prompts() {
        assert_eq!(prompt_for(ClosedLost, true), Some(Prompt::LostReason));
        assert_eq!(prompt_for(Nurturing, true), Some(Prompt::FollowUp));
        assert_eq!(prompt_for(ProposalSent, false), Some(Prompt::Budget));
        assert_eq!(prompt_for(ProposalSent, true), None);
        assert_eq!(prompt_for(Contacted, false), None);
    }

    #[test]
    fn only_non_general_notes_count_as_contact() {
        assert!(!NoteType::General.is_contact());
        for t in [NoteType::Call, NoteType::Email, NoteType::Meeting, NoteType::Whatsapp] {
            assert!(t.is_contact());
        }
    }
}

/// The largest budget taken, in whole currency units of any currency: 10^12. A
/// trillion is beyond any training, mentoring or project budget (even in currencies
/// with thousands of units to the dollar), and far from where the board's sums could
/// overflow a 64-bit integer (about 9.2 * 10^18). A budget range naming a bigger
/// number is refused; estimates outside `0..=MAX_BUDGET` are never stored (migration
/// 0008 cleared those older versions wrote) and never summed.
pub const MAX_BUDGET: i64 = 1_000_000_000_000;

/// The longest name, first message, budget text and note of a lead, in characters.
pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_MESSAGE_CHARS: usize = 10_000;
pub const MAX_BUDGET_RANGE_CHARS: usize = 100;
pub const MAX_NOTE_CHARS: usize = 20_000;

/// `MAX_BUDGET` as messages show it.
pub const MAX_BUDGET_TEXT: &str = "1,000,000,000,000";

/// A number for a free-text budget range, so the board can sum a column: the
/// midpoint of a range ("$1,000–3,000" → 2000), the bound of an open one
/// ("$3,000+" → 3000, "< $500" → 500), "2k" → 2000. `Ok(None)` when the text holds no
/// number; `Err` (a message naming the number) when a number is above `MAX_BUDGET`.
/// Whole currency units; the currency is not converted. A `-` between two numbers
/// is a range dash; one before the first number makes it negative, which is
/// refused (`-5000` was once read as 5000).
pub fn parse_budget(range: &str) -> Result<Option<i64>, String> {
    let mut numbers = Vec::new();
    let mut chars = range.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let Some(d) = c.to_digit(10) else { continue };
        let before = range[..start].trim_end_matches(|c: char| c.is_whitespace() || "$€£".contains(c));
        if numbers.is_empty() && (before.ends_with('-') || before.ends_with('−')) {
            return Err("a budget cannot be negative".into());
        }
        // Above the maximum the value no longer matters, only that it is too big:
        // cap it instead of letting it overflow.
        let mut n = i64::from(d);
        let mut end = start + c.len_utf8();
        while let Some(&(i, next)) = chars.peek() {
            if let Some(d) = next.to_digit(10) {
                n = n.saturating_mul(10).saturating_add(i64::from(d)).min(MAX_BUDGET + 1);
            } else if next != ',' {
                break;
            }
            end = i + next.len_utf8();
            chars.next();
        }
        if let Some(&(i, k @ ('k' | 'K'))) = chars.peek() {
            n = n.saturating_mul(1000).min(MAX_BUDGET + 1);
            end = i + k.len_utf8();
        }
        if n > MAX_BUDGET {
            let typed = range[start..end].trim_end_matches(',');
            return Err(format!("'{typed}' is above the maximum budget of {MAX_BUDGET_TEXT}"));
        }
        numbers.push(n);
    }
    Ok(match numbers.as_slice() {
        [] => None,
        [one] => Some(*one),
        // Both at most MAX_BUDGET: the sum cannot overflow.
        [low, high, ..] => Some((low + high) / 2),
    })
}

/// A budget range as typed (a form, the move prompt, the store): at most
/// `MAX_BUDGET_RANGE_CHARS` characters, its numbers checked by `parse_budget`.
/// `Ok` holds the estimate.
pub fn check_budget(range: &str) -> Result<Option<i64>, String> {
    let n = range.chars().count();
    if n > MAX_BUDGET_RANGE_CHARS {
        return Err(format!("is longer than {MAX_BUDGET_RANGE_CHARS} characters"));
    }
    parse_budget(range)
}

/// `parse_budget` for text already stored: a number above the maximum (written
/// before it was refused) gives no estimate rather than an error.
pub fn budget_estimate(range: &str) -> Option<i64> {
    parse_budget(range).ok().flatten()
}

#[cfg(test)]
mod budget_tests {
    use super::budget_estimate;

    #[test]
    fn budget_ranges_become_numbers() {
        assert_eq!(budget_estimate("$1,000–3,000"), Some(2000));
        assert_eq!(budget_estimate("$500–1,000"), Some(750));
        assert_eq!(budget_estimate("$3,000+"), Some(3000));
        assert_eq!(budget_estimate("< $500"), Some(500));
        assert_eq!(budget_estimate("2k-4k EGP"), Some(3000));
        assert_eq!(budget_estimate("not sure"), None);
    }

    #[test]
    fn absurd_budgets_are_refused_naming_the_number() {
        use super::{MAX_BUDGET, MAX_BUDGET_TEXT, parse_budget};
        assert_eq!(MAX_BUDGET_TEXT.replace(',', "").parse::<i64>(), Ok(MAX_BUDGET));
        let err = parse_budget("9999999999999999999-9999999999999999999").unwrap_err();
        assert_eq!(err, "'9999999999999999999' is above the maximum budget of 1,000,000,000,000");
        assert!(parse_budget("2,000,000,000k EGP").unwrap_err().starts_with("'2,000,000,000k' is above"));
        let digits = "9".repeat(400);
        assert!(parse_budget(&digits).is_err(), "any length, no overflow");
        assert_eq!(budget_estimate("9999999999999999999-9999999999999999999"), None);
        assert_eq!(parse_budget("1,000,000,000,000"), Ok(Some(MAX_BUDGET)));
        assert_eq!(parse_budget("1,000,000,000,000 - 1,000,000,000,000"), Ok(Some(MAX_BUDGET)));
        assert_eq!(parse_budget("-5000").unwrap_err(), "a budget cannot be negative");
        assert!(parse_budget("$ -500").is_err() && parse_budget("− 500 EGP").is_err());
        assert_eq!(parse_budget("500-1,000"), Ok(Some(750)), "a dash between numbers is a range");
        assert_eq!(parse_budget("1,000,"), Ok(Some(1000)));
    }
}
