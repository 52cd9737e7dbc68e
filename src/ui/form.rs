//! The lead form: edit a lead's fields (`e` on a lead) or create one (`N` on the
//! board). Validation is the store's own (`LeadFields::validated`), run before
//! sending so a bad email or a missing contact is named at once and nothing typed
//! is lost; the store checks again.

use crate::backend::{OnDuplicate, Request};
use crate::domain::lead::{Interest, LeadSource, LeadType, Urgency};
use crate::store::StoreError;
use crate::store::leads::{Lead, LeadFields};
use crate::ui::keymap::{Action, Context, Keymap};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What the form saves into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormMode {
    New,
    Edit { id: i64, version: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    /// An index into `options`; `optional` adds "—" (none) as index 0.
    Choice {
        options: Vec<&'static str>,
        index: usize,
        optional: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: &'static str,
    /// The name the store uses in its messages ("email", "phone", …).
    pub key: &'static str,
    pub value: Value,
}

impl Field {
    fn text(label: &'static str, key: &'static str, v: Option<&str>) -> Field {
        Field { label, key, value: Value::Text(v.unwrap_or("").to_string()) }
    }

    fn choice(label: &'static str, options: Vec<&'static str>, current: Option<&str>, optional: bool) -> Field {
        let found = current.and_then(|c| options.iter().position(|o| *o == c));
        let index = match (found, optional) {
            (Some(i), true) => i + 1,
            (Some(i), false) => i,
            (None, _) => 0,
        };
        Field { label, key: label, value: Value::Choice { options, index, optional } }
    }

    /// What is shown in the form.
    pub fn shown(&self) -> String {
        match &self.value {
            Value::Text(t) => t.clone(),
            Value::Choice { options, index, optional } => {
                let i = if *optional { index.checked_sub(1) } else { Some(*index) };
                format!("‹ {} ›", i.and_then(|i| options.get(i)).map_or("—", |o| o).replace('_', " "))
            }
        }
    }

    fn text_value(&self) -> Option<String> {
        match &self.value {
            Value::Text(t) => Some(t.trim().to_string()).filter(|t| !t.is_empty()),
            Value::Choice { .. } => None,
        }
    }

    fn choice_value(&self) -> Option<&'static str> {
        match &self.value {
            Value::Choice { options, index, optional } => {
                let i = if *optional { index.checked_sub(1)? } else { *index };
                options.get(i).copied()
            }
            Value::Text(_) => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadForm {
    pub mode: FormMode,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
    /// Sent, waiting for the answer (keys are ignored meanwhile).
    pub saving: bool,
    /// The values the form opened with (to tell whether anything changed).
    initial: Vec<Field>,
}

pub enum FormOutcome {
    Stay,
    Cancel,
    Submit(Request),
}

fn names<T: Copy>(all: &'static [T], name: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| name(*v)).collect()
}

/// The form's fields, filled from `lead` or empty.
fn fields(lead: Option<&Lead>) -> Vec<Field> {
    vec![
        Field::text("name", "name", lead.map(|l| l.full_name.as_str())),
        Field::text("email", "email", lead.and_then(|l| l.email.as_deref())),
        Field::text("phone", "phone", lead.and_then(|l| l.phone.as_deref())),
        Field::text("whatsapp", "whatsapp", lead.and_then(|l| l.whatsapp.as_deref())),
        Field::choice(
            "type",
            names(LeadType::ALL, LeadType::as_str),
            Some(lead.map_or("other", |l| &l.lead_type)),
            false,
        ),
        Field::choice(
            "source",
            names(LeadSource::ALL, LeadSource::as_str),
            Some(lead.map_or("other", |l| &l.source)),
            false,
        ),
        Field::choice(
            "interest",
            names(Interest::ALL, Interest::as_str),
            Some(lead.map_or("other", |l| &l.interested_in)),
            false,
        ),
        Field::text("budget", "budget", lead.and_then(|l| l.budget_range.as_deref())),
        Field::choice("urgency", names(Urgency::ALL, Urgency::as_str), lead.and_then(|l| l.urgency.as_deref()), true),
        Field::text("message", "message", lead.and_then(|l| l.message.as_deref())),
    ]
}

impl LeadForm {
    /// An edit of `lead`.
    pub fn edit(lead: &Lead) -> LeadForm {
        LeadForm::with(FormMode::Edit { id: lead.id, version: lead.version }, fields(Some(lead)))
    }

    /// A new lead.
    pub fn new_lead() -> LeadForm {
        LeadForm::with(FormMode::New, fields(None))
    }

    fn with(mode: FormMode, fields: Vec<Field>) -> LeadForm {
        LeadForm { mode, initial: fields.clone(), fields, focus: 0, error: None, saving: false }
    }

    pub fn title(&self) -> &'static str {
        match self.mode {
            FormMode::New => "New lead",
            FormMode::Edit { .. } => "Edit lead",
        }
    }

    pub fn changed(&self) -> bool {
        self.fields != self.initial
    }

    fn get(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The fields as the store takes them.
    pub fn values(&self) -> LeadFields {
        let text = |k: &str| self.get(k).and_then(Field::text_value);
        let choice = |k: &str| self.get(k).and_then(Field::choice_value);
        LeadFields {
            full_name: text("name").unwrap_or_default(),
            email: text("email"),
            phone: text("phone"),
            whatsapp: text("whatsapp"),
            lead_type: choice("type").and_then(LeadType::parse).unwrap_or(LeadType::Other),
            source: choice("source").and_then(LeadSource::parse).unwrap_or(LeadSource::Other),
            interested_in: choice("interest").and_then(Interest::parse).unwrap_or(Interest::Other),
            budget_range: text("budget"),
            urgency: choice("urgency").and_then(Urgency::parse),
            message: text("message"),
        }
    }

    /// The request that saves the form, or the reason it cannot be sent (and the
    /// focus moves to the field at fault).
    pub fn submit(&mut self, on_duplicate: OnDuplicate) -> Result<Request, String> {
        let fields = self.values();
        if let Err(e) = fields.validated() {
            if let StoreError::Invalid { field, .. } = &e {
                let at = if field == "contact" { "email" } else { field.as_str() };
                if let Some(i) = self.fields.iter().position(|f| f.key == at) {
                    self.focus = i;
                }
            }
            return Err(e.to_string());
        }
        Ok(match self.mode {
            FormMode::New => Request::CreateLead { fields: Box::new(fields), on_duplicate },
            FormMode::Edit { id, version } => Request::UpdateLead { id, version, fields: Box::new(fields) },
        })
    }

    /// A key: bound keys (context `form`) move between fields, change choices, save
    /// or close; other keys type into the focused text field.
    pub fn on_key(&mut self, key: KeyEvent, keymap: &Keymap) -> FormOutcome {
        if self.saving {
            return FormOutcome::Stay;
        }
        let n = self.fields.len();
        let is_text = matches!(self.fields[self.focus].value, Value::Text(_));
        let printable = matches!(key.code, KeyCode::Char(_))
            && !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        let action = keymap.action(&[Context::Form], &key).filter(|_| !(printable && is_text));
        match action {
            Some(Action::Back) => return FormOutcome::Cancel,
            Some(Action::Submit) => match self.submit(OnDuplicate::Warn) {
                Ok(req) => {
                    self.error = None;
                    self.saving = true;
                    return FormOutcome::Submit(req);
                }
                Err(why) => self.error = Some(why),
            },
            Some(Action::NextField) => self.focus = (self.focus + 1) % n,
            Some(Action::PrevField) => self.focus = (self.focus + n - 1) % n,
            Some(a @ (Action::ChoiceNext | Action::ChoicePrev)) => self.step_choice(a == Action::ChoiceNext),
            Some(Action::ClearField) => {
                if let Value::Text(t) = &mut self.fields[self.focus].value {
                    t.clear();
                }
            }
            Some(_) => {}
            None => match key.code {
                KeyCode::Backspace => {
                    if let Value::Text(t) = &mut self.fields[self.focus].value {
                        t.pop();
                    }
                }
                KeyCode::Char(c) if printable => match &mut self.fields[self.focus].value {
                    Value::Text(t) if t.chars().count() < 4000 => t.push(c),
                    Value::Choice { .. } if c == ' ' => self.step_choice(true),
                    _ => {}
                },
                _ => {}
            },
        }
        FormOutcome::Stay
    }

    fn step_choice(&mut self, forward: bool) {
        if let Value::Choice { options, index, optional } = &mut self.fields[self.focus].value {
            let len = options.len() + usize::from(*optional);
            *index = if forward { (*index + 1) % len } else { (*index + len - 1) % len };
        }
    }

    /// Pasted text goes into the focused text field.
    pub fn paste(&mut self, text: &str) {
        if let Value::Text(t) = &mut self.fields[self.focus].value {
            t.extend(text.chars().filter(|c| !c.is_control()).take(4000));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(form: &mut LeadForm, s: &str) {
        for c in s.chars() {
            form.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), &Keymap::default());
        }
    }

    fn press(form: &mut LeadForm, code: KeyCode, mods: KeyModifiers) -> FormOutcome {
        form.on_key(KeyEvent::new(code, mods), &Keymap::default())
    }

    #[test]
    fn a_new_lead_needs_a_way_to_reach_them() {
        let mut f = LeadForm::new_lead();
        typed(&mut f, "Sara Nabil");
        assert!(matches!(press(&mut f, KeyCode::Enter, KeyModifiers::NONE), FormOutcome::Stay));
        assert!(f.error.as_deref().unwrap_or("").contains("at least one of email"), "{:?}", f.error);
        assert_eq!(f.fields[f.focus].key, "email", "the cursor goes to the field at fault");
        typed(&mut f, "not-an-email");
        press(&mut f, KeyCode::Enter, KeyModifiers::NONE);
        assert!(f.error.as_deref().unwrap_or("").contains("email"), "{:?}", f.error);
        press(&mut f, KeyCode::Char('u'), KeyModifiers::CONTROL);
        press(&mut f, KeyCode::Tab, KeyModifiers::NONE);
        typed(&mut f, "0100 123 4567");
        let FormOutcome::Submit(Request::CreateLead { fields, .. }) = press(&mut f, KeyCode::Enter, KeyModifiers::NONE)
        else {
            panic!("should submit: {:?}", f.error)
        };
        assert_eq!(fields.full_name, "Sara Nabil");
        assert!(f.saving);
    }

    #[test]
    fn choices_cycle_with_arrows_and_optional_ones_clear() {
        let mut f = LeadForm::new_lead();
        f.focus = f.fields.iter().position(|x| x.key == "source").unwrap();
        press(&mut f, KeyCode::Right, KeyModifiers::NONE);
        assert_eq!(f.values().source, LeadSource::ALL[0], "after `other`, the list wraps to the first");
        assert!(f.changed());
    }
}
