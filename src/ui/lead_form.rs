//! The lead form — edit a lead's fields (`e` on a lead) or create one (`N` on the
//! board) — as a generic form (`widgets/form.rs`). Validation is the store's own
//! (`LeadFields::validated`), run before sending so a bad email or a missing contact is
//! named at its field at once and nothing typed is lost; the store checks again.

use crate::domain::lead::{Interest, LeadSource, LeadType, Urgency};
use crate::ui::records::Refusal;
use crate::ui::widgets::form::{Field, Form, Values};
use staffroom_core::protocol::StoreError;
use staffroom_core::protocol::leads::{Lead, LeadFields};

/// The tags of the two lead forms.
pub const NEW: &str = "new_lead";
pub const EDIT: &str = "edit_lead";

/// "No urgency" in the urgency choice.
const NONE: &str = "—";

/// The form's field keys: the names the store's refusals use.
const KEYS: &[&str] =
    &["name", "email", "phone", "whatsapp", "type", "source", "interest", "budget", "urgency", "message"];

fn names<T: Copy>(all: &'static [T], name: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| name(*v)).collect()
}

fn form(title: &str, tag: &'static str, lead: Option<&Lead>) -> Form {
    let opt = |v: Option<&String>| v.map_or(String::new(), |s| s.clone());
    let mut urgencies = vec![NONE];
    urgencies.extend(names(Urgency::ALL, Urgency::as_str));
    Form::new(
        title,
        tag,
        vec![
            Field::line("name", "name", crate::domain::lead::MAX_NAME_CHARS, false)
                .with(&lead.map_or(String::new(), |l| l.full_name.clone())),
            Field::line("email", "email", 254, false).with(&opt(lead.and_then(|l| l.email.as_ref()))),
            Field::line("phone", "phone", 40, false).with(&opt(lead.and_then(|l| l.phone.as_ref()))),
            Field::line("whatsapp", "whatsapp", 40, false).with(&opt(lead.and_then(|l| l.whatsapp.as_ref()))),
            Field::choice("type", "type", names(LeadType::ALL, LeadType::as_str))
                .with(lead.map_or("other", |l| &l.lead_type)),
            Field::choice("source", "source", names(LeadSource::ALL, LeadSource::as_str))
                .with(lead.map_or("other", |l| &l.source)),
            Field::choice("interest", "interest", names(Interest::ALL, Interest::as_str))
                .with(lead.map_or("other", |l| &l.interested_in)),
            Field::line("budget", "budget", crate::domain::lead::MAX_BUDGET_RANGE_CHARS, false)
                .with(&opt(lead.and_then(|l| l.budget_range.as_ref()))),
            Field::choice("urgency", "urgency", urgencies)
                .with(lead.and_then(|l| l.urgency.as_deref()).unwrap_or(NONE)),
            Field::multi("message", "message", crate::domain::lead::MAX_MESSAGE_CHARS, false)
                .with(&opt(lead.and_then(|l| l.message.as_ref()))),
        ],
    )
}

/// A new lead.
pub fn new_lead() -> Form {
    form("New lead", NEW, None)
}

/// An edit of `lead`.
pub fn edit(lead: &Lead) -> Form {
    form("Edit lead", EDIT, Some(lead))
}

/// The form's values as the store takes them, checked by the store's rules; a
/// refusal names the field to go to (the contact rule goes to email).
pub fn checked(v: &Values) -> Result<LeadFields, Refusal> {
    let text = |k: &str| Some(v.text(k)).filter(|t| !t.is_empty());
    let fields = LeadFields {
        full_name: v.text("name"),
        email: text("email"),
        phone: text("phone"),
        whatsapp: text("whatsapp"),
        lead_type: LeadType::parse(&v.text("type")).unwrap_or(LeadType::Other),
        source: LeadSource::parse(&v.text("source")).unwrap_or(LeadSource::Other),
        interested_in: Interest::parse(&v.text("interest")).unwrap_or(Interest::Other),
        budget_range: text("budget"),
        urgency: Urgency::parse(&v.text("urgency")),
        message: text("message"),
    };
    match fields.validated() {
        Ok(_) => Ok(fields),
        Err(StoreError::Invalid { field, why }) => {
            let at = if field == "contact" { "email" } else { field.as_str() };
            Err((KEYS.iter().copied().find(|k| *k == at), why))
        }
        Err(other) => Err((None, other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::keymap::Keymap;
    use crate::ui::widgets::form::FormOutcome;
    use chrono::NaiveDate;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn press(f: &mut Form, code: KeyCode) -> FormOutcome {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
        f.on_key(KeyEvent::new(code, KeyModifiers::NONE), &Keymap::default(), today)
    }

    fn typed(f: &mut Form, s: &str) {
        for c in s.chars() {
            press(f, KeyCode::Char(c));
        }
    }

    #[test]
    fn a_new_lead_needs_a_way_to_reach_them() {
        let mut f = new_lead();
        typed(&mut f, "Sara Nabil");
        let FormOutcome::Submit(v) = press(&mut f, KeyCode::Enter) else { panic!("the form checks types only") };
        let (field, why) = checked(&v).unwrap_err();
        assert_eq!(field, Some("email"), "the contact rule goes to the email field");
        assert!(why.contains("at least one of email"), "{why}");
        f.refused(field, why);
        assert_eq!(f.fields[f.focus].key, "email");
        assert_eq!(f.fields[0].raw(), "Sara Nabil", "nothing typed is lost");
        press(&mut f, KeyCode::Tab);
        typed(&mut f, "0100 123 4567");
        let FormOutcome::Submit(v) = press(&mut f, KeyCode::Enter) else { panic!("submits") };
        let fields = checked(&v).unwrap();
        assert_eq!(fields.full_name, "Sara Nabil");
        assert_eq!(fields.urgency, None, "— is no urgency");
    }

    #[test]
    fn choices_cycle_with_arrows() {
        let mut f = new_lead();
        f.focus = f.fields.iter().position(|x| x.key == "source").unwrap();
        press(&mut f, KeyCode::Right);
        assert!(f.changed());
        typed(&mut f, "q"); // a letter on a choice types nothing
        let other = LeadSource::ALL.iter().position(|s| *s == LeadSource::Other).unwrap();
        let next = LeadSource::ALL[(other + 1) % LeadSource::ALL.len()];
        assert_eq!(f.fields[f.focus].raw(), next.as_str());
    }
}
