//! The questions a pipeline move asks first: why a lead was lost, when to follow up
//! a nurtured lead, the budget range of a proposal. Esc cancels and nothing moves.

use super::cmd::{Call, Cmd, Lane};
use super::keymap::Action;
use super::screens::ScreenId;
use super::screens::pipeline::PendingMove;
use crate::domain::lead::{MoveInput, Prompt};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key did to a one-line popup.
pub enum Typed {
    Stay,
    Cancel,
    /// Close the popup and run these.
    Submit(Vec<Cmd>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct MovePrompt {
    pub pending: PendingMove,
    pub input: String,
    pub presets: Vec<String>,
    pub error: Option<String>,
}

impl MovePrompt {
    pub fn new(pending: PendingMove, lost_reasons: &[String]) -> MovePrompt {
        let presets = if pending.prompt == Prompt::LostReason { lost_reasons.to_vec() } else { Vec::new() };
        MovePrompt { pending, input: String::new(), presets, error: None }
    }

    pub fn title(&self) -> String {
        let name = crate::text::inert(&self.pending.name);
        match self.pending.prompt {
            Prompt::LostReason => format!("Close {name} as lost — why?"),
            Prompt::FollowUp => format!("Nurture {name} — next follow-up?"),
            Prompt::Budget => format!("Proposal for {name} — budget range?"),
        }
    }

    pub fn hint(&self) -> &'static str {
        match self.pending.prompt {
            Prompt::LostReason => "a number picks a preset, or type a reason · Enter · Esc cancels",
            Prompt::FollowUp => "YYYY-MM-DD, +N days, or tomorrow · Enter · Esc cancels",
            Prompt::Budget => "e.g. $1,000–3,000 · Enter · Esc cancels",
        }
    }

    /// A key; `action` is its binding in the keymap's `form` context (save, close).
    pub fn on_key(&mut self, key: KeyEvent, action: Option<Action>, today: NaiveDate, tz: Tz) -> Typed {
        match (action, key.code) {
            (Some(Action::Back), _) => return Typed::Cancel,
            (Some(Action::Submit), _) => match self.parse(today, tz) {
                Ok(input) => {
                    let call =
                        Call::MoveLead { lead_id: self.pending.lead_id, to: self.pending.to, input: Some(input) };
                    return Typed::Submit(vec![Cmd::Call(ScreenId::Pipeline, call)]);
                }
                Err(why) => self.error = Some(why),
            },
            (Some(Action::ClearField), _) => self.input.clear(),
            (_, KeyCode::Backspace) => {
                self.input.pop();
            }
            (_, KeyCode::Char(c))
                if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                    && self.input.chars().count() < 200 =>
            {
                self.input.push(c)
            }
            _ => {}
        }
        Typed::Stay
    }

    /// The answer as move data, or why it is not one yet.
    pub fn parse(&self, today: NaiveDate, tz: Tz) -> Result<MoveInput, String> {
        let text = self.input.trim();
        match self.pending.prompt {
            Prompt::LostReason => {
                // A bare number only ever picks a preset: "12" of 5 presets is a slip,
                // not a reason.
                let reason = match text.parse::<u64>() {
                    Ok(n) => match usize::try_from(n).ok().and_then(|n| n.checked_sub(1)) {
                        Some(i) if i < self.presets.len() => self.presets[i].clone(),
                        _ if self.presets.is_empty() => return Err("type the reason in words".into()),
                        _ => {
                            let last = self.presets.len();
                            return Err(format!("{n} is not a preset: pick 1 to {last}, or type the reason in words"));
                        }
                    },
                    Err(_) => text.to_string(),
                };
                if reason.is_empty() {
                    return Err("a lost reason is needed: pick a number or type one".into());
                }
                Ok(MoveInput { lost_reason: Some(reason), ..MoveInput::default() })
            }
            Prompt::FollowUp => {
                Ok(MoveInput { next_follow_up_at: Some(parse_follow_up(text, today, tz)?), ..MoveInput::default() })
            }
            Prompt::Budget => {
                if text.is_empty() {
                    return Err("a budget range is needed for a proposal".into());
                }
                // The store's own check, here too, so a refusal keeps the prompt open
                // with what was typed.
                crate::domain::lead::check_budget(text)
                    .map_err(|why| if why.starts_with("is ") { format!("the budget {why}") } else { why })?;
                Ok(MoveInput { budget_range: Some(text.to_string()), ..MoveInput::default() })
            }
        }
    }
}

/// `YYYY-MM-DD`, `+N` (days from today), `N`, `tomorrow` → that day at 09:00 in the
/// office's zone. A day before today is refused.
pub fn parse_follow_up(text: &str, today: NaiveDate, tz: Tz) -> Result<DateTime<Utc>, String> {
    let day = crate::domain::dates::not_past(crate::domain::time::parse_day(text, today)?, today)?;
    Ok(crate::domain::time::at_hour(day, 9, tz))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::domain::lead::LeadStatus;

    fn prompt(kind: Prompt, input: &str) -> MovePrompt {
        let pending = PendingMove { lead_id: 1, name: "Sara".into(), to: LeadStatus::ClosedLost, prompt: kind };
        let mut p = MovePrompt::new(pending, &["price".to_string(), "timing".to_string()]);
        p.input = input.into();
        p
    }

    #[test]
    fn lost_reason_from_preset_or_text() {
        let (now, tz) = (NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), Tz::UTC);
        assert_eq!(prompt(Prompt::LostReason, "2").parse(now, tz).unwrap().lost_reason.as_deref(), Some("timing"));
        assert_eq!(
            prompt(Prompt::LostReason, "went quiet").parse(now, tz).unwrap().lost_reason.as_deref(),
            Some("went quiet")
        );
        assert!(prompt(Prompt::LostReason, "  ").parse(now, tz).is_err());
        let slip = prompt(Prompt::LostReason, "9").parse(now, tz).unwrap_err();
        assert_eq!(slip, "9 is not a preset: pick 1 to 2, or type the reason in words");
        assert!(prompt(Prompt::LostReason, "0").parse(now, tz).is_err());
    }

    #[test]
    fn follow_up_dates() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let utc = Tz::UTC;
        assert_eq!(parse_follow_up("+3", today, utc).unwrap().to_rfc3339(), "2026-11-26T09:00:00+00:00");
        assert_eq!(parse_follow_up("tomorrow", today, utc).unwrap().date_naive().to_string(), "2026-11-24");
        assert_eq!(parse_follow_up("2026-12-01", today, utc).unwrap().date_naive().to_string(), "2026-12-01");
        assert!(parse_follow_up("2026-11-01", today, utc).unwrap_err().contains("past"));
        assert!(parse_follow_up("soon", today, utc).unwrap_err().contains("not a date"));
        assert!(parse_follow_up("-5", today, utc).unwrap_err().contains("in the past"));
        let range = crate::domain::dates::RANGE;
        assert!(parse_follow_up("9999-12-31", today, utc).unwrap_err().contains(range));
        assert!(parse_follow_up("+99999999999", today, utc).unwrap_err().contains(range));
        // 09:00 in Cairo is 07:00 UTC: the follow-up is at the office's morning.
        let cairo = "Africa/Cairo".parse::<Tz>().unwrap();
        assert_eq!(parse_follow_up("+3", today, cairo).unwrap().to_rfc3339(), "2026-11-26T07:00:00+00:00");
    }
}

/// A one-line input for the lead view: a note (Tab picks its type) or a follow-up date.
#[derive(Debug, Clone, PartialEq)]
pub struct InputForm {
    pub kind: super::screens::Input,
    pub text: String,
    pub note_type: crate::domain::lead::NoteType,
    pub error: Option<String>,
}

impl InputForm {
    pub fn new(kind: super::screens::Input) -> InputForm {
        InputForm { kind, text: String::new(), note_type: crate::domain::lead::NoteType::Call, error: None }
    }

    pub fn title(&self) -> String {
        match self.kind {
            super::screens::Input::Note { .. } => format!(
                "Add {} {} note (Tab changes the type)",
                crate::text::article(&self.note_type.to_string()),
                self.note_type
            ),
            super::screens::Input::FollowUp { .. } => {
                "Next follow-up: YYYY-MM-DD, +N days, tomorrow, or - to clear".into()
            }
        }
    }

    /// A key; `action` is its binding in the keymap's `form` context (save, close;
    /// next field cycles a note's type).
    pub fn on_key(&mut self, key: KeyEvent, action: Option<Action>, today: NaiveDate, tz: Tz) -> Typed {
        use crate::domain::lead::NoteType;
        match (action, key.code) {
            (Some(Action::Back), _) => return Typed::Cancel,
            (Some(Action::NextField), _) if matches!(self.kind, super::screens::Input::Note { .. }) => {
                let all = NoteType::ALL;
                let i = all.iter().position(|t| *t == self.note_type).unwrap_or(0);
                self.note_type = all[(i + 1) % all.len()];
            }
            (Some(Action::Submit), _) => match self.submit(today, tz) {
                Ok(req) => return Typed::Submit(vec![Cmd::Send(Lane::Write(0), req)]),
                Err(why) => self.error = Some(why),
            },
            (Some(Action::ClearField), _) => self.text.clear(),
            (_, KeyCode::Backspace) => {
                self.text.pop();
            }
            (_, KeyCode::Char(c))
                if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                    && self.text.chars().count() < 2000 =>
            {
                self.text.push(c)
            }
            _ => {}
        }
        Typed::Stay
    }

    fn submit(&self, today: NaiveDate, tz: Tz) -> Result<crate::backend::Request, String> {
        use crate::backend::LeadRequest;
        use crate::backend::Request;
        let text = self.text.trim();
        match self.kind {
            super::screens::Input::Note { lead_id } => {
                if text.is_empty() {
                    return Err("a note needs some text".into());
                }
                Ok(Request::Leads(LeadRequest::AddNote { lead_id, note_type: self.note_type, text: text.to_string() }))
            }
            super::screens::Input::FollowUp { lead_id, version } => {
                let at = if text == "-" { None } else { Some(parse_follow_up(text, today, tz)?) };
                Ok(Request::Leads(LeadRequest::SetFollowUp { id: lead_id, version, at }))
            }
        }
    }
}

#[cfg(test)]
mod input_tests {
    use super::*;

    #[test]
    fn the_note_prompt_says_an_email_note() {
        let mut f = InputForm::new(crate::ui::screens::Input::Note { lead_id: 1 });
        f.note_type = crate::domain::lead::NoteType::Email;
        assert!(f.title().starts_with("Add an email note"), "{}", f.title());
        f.note_type = crate::domain::lead::NoteType::Call;
        assert!(f.title().starts_with("Add a call note"), "{}", f.title());
    }
}
