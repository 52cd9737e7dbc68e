//! The generic form: built from a list of fields (line, multi-line text via
//! tui-textarea, choice, whole number, money, date), validated field by field on
//! save, keeping everything typed on any error (its own or the store's, which names
//! the field so the cursor goes there). Used by every record screen.
//!
//! Keys come through the keymap's `form` context (`tab`/`backtab` move, `enter` or
//! `ctrl-s` saves — in a multi-line field `enter` is a new line —, `esc` closes,
//! `←`/`→` change a choice); anything else is typed into the focused field.

use crate::domain::money;
use crate::text;
use crate::ui::keymap::{Action, Context, Keymap};
use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_textarea::TextArea;

/// The longest password a form accepts (argon2 takes any length; this bounds work).
pub const MAX_SECRET_CHARS: usize = 200;

/// What a field holds and how it is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// One line of text, up to `max` characters; `required` refuses empty.
    Line { max: usize, required: bool },
    /// Several lines (tui-textarea), up to `max` characters.
    Multi { max: usize, required: bool },
    /// One of these values (shown with `_` as spaces).
    Choice(Vec<std::borrow::Cow<'static, str>>),
    /// A whole number in a range (empty allowed unless `required`).
    Number { min: i64, max: i64, required: bool },
    /// An amount of money in minor units (e.g. `1,250.50`); empty means none.
    Money,
    /// A day: `YYYY-MM-DD`, `+N`, `tomorrow` (empty means none).
    Date,
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The name the store uses for it (a refusal naming it focuses it).
    pub key: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    /// The text of line, number, money and date fields.
    pub line: String,
    /// The text of a multi-line field.
    pub area: TextArea<'static>,
    /// The chosen index of a choice field.
    pub choice: usize,
    pub error: Option<String>,
    /// What to type here, shown at the foot while the field has the cursor.
    pub hint: Option<std::borrow::Cow<'static, str>>,
    /// How many characters are shown elsewhere (a search engine's title): the
    /// count is drawn beside the value, in the alert colour past it.
    pub soft_max: Option<usize>,
    /// A password: drawn as dots, never as typed.
    pub secret: bool,
}

/// A checked value, ready for a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Choice(String),
    Number(Option<i64>),
    /// Minor units.
    Money(Option<i64>),
    Date(Option<NaiveDate>),
}

/// The checked values by field key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values(pub Vec<(&'static str, Value)>);

impl Values {
    pub fn text(&self, key: &str) -> String {
        match self.get(key) {
            Some(Value::Text(t)) => t.clone(),
            Some(Value::Choice(c)) => c.clone(),
            _ => String::new(),
        }
    }
    pub fn number(&self, key: &str) -> Option<i64> {
        match self.get(key) {
            Some(Value::Number(n) | Value::Money(n)) => *n,
            _ => None,
        }
    }
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

impl Field {
    fn new(key: &'static str, label: &'static str, kind: Kind) -> Field {
        Field {
            key,
            label,
            kind,
            line: String::new(),
            area: TextArea::default(),
            choice: 0,
            error: None,
            hint: None,
            soft_max: None,
            secret: false,
        }
    }
    pub fn hint(mut self, hint: impl Into<std::borrow::Cow<'static, str>>) -> Field {
        self.hint = Some(hint.into());
        self
    }
    pub fn soft_max(mut self, shown: usize) -> Field {
        self.soft_max = Some(shown);
        self
    }
    pub fn line(key: &'static str, label: &'static str, max: usize, required: bool) -> Field {
        Field::new(key, label, Kind::Line { max, required })
    }
    pub fn multi(key: &'static str, label: &'static str, max: usize, required: bool) -> Field {
        Field::new(key, label, Kind::Multi { max, required })
    }
    pub fn choice(key: &'static str, label: &'static str, options: Vec<&'static str>) -> Field {
        Field::new(key, label, Kind::Choice(options.into_iter().map(std::borrow::Cow::Borrowed).collect()))
    }
    /// A choice among values read from the database (category names…).
    pub fn pick(key: &'static str, label: &'static str, options: Vec<String>) -> Field {
        Field::new(key, label, Kind::Choice(options.into_iter().map(std::borrow::Cow::Owned).collect()))
    }
    /// A password, drawn as dots. Not trimmed: spaces are part of a password.
    pub fn secret(key: &'static str, label: &'static str) -> Field {
        Field { secret: true, ..Field::new(key, label, Kind::Line { max: MAX_SECRET_CHARS, required: false }) }
    }
    pub fn number(key: &'static str, label: &'static str, min: i64, max: i64) -> Field {
        Field::new(key, label, Kind::Number { min, max, required: false })
    }
    pub fn money(key: &'static str, label: &'static str) -> Field {
        Field::new(key, label, Kind::Money)
    }
    pub fn date(key: &'static str, label: &'static str) -> Field {
        Field::new(key, label, Kind::Date)
    }

    /// Fills the field with a stored value (as text; a choice picks the option).
    pub fn with(mut self, value: &str) -> Field {
        match &self.kind {
            Kind::Multi { .. } => self.area = TextArea::new(value.split('\n').map(str::to_string).collect()),
            Kind::Choice(options) => self.choice = options.iter().position(|o| o == value).unwrap_or(0),
            _ => self.line = value.to_string(),
        }
        self
    }

    fn is_multi(&self) -> bool {
        matches!(self.kind, Kind::Multi { .. })
    }

    fn is_choice(&self) -> bool {
        matches!(self.kind, Kind::Choice(_))
    }

    /// The text as typed (multi-line joined with newlines).
    pub fn raw(&self) -> String {
        match &self.kind {
            Kind::Multi { .. } => self.area.lines().join("\n"),
            Kind::Choice(options) => options.get(self.choice).map_or(String::new(), |o| o.to_string()),
            _ => self.line.clone(),
        }
    }

    /// Checks what is typed; the message says what is accepted.
    pub fn check(&self, today: NaiveDate) -> Result<Value, String> {
        let raw = self.raw();
        let t = raw.trim();
        match &self.kind {
            Kind::Line { max, required } | Kind::Multi { max, required } => {
                if *required && t.is_empty() {
                    return Err("is needed".into());
                }
                let t = if self.secret { raw.as_str() } else { t };
                let n = t.chars().count();
                if n > *max {
                    return Err(format!("is {n} characters; at most {max}"));
                }
                Ok(Value::Text(t.to_string()))
            }
            Kind::Choice(options) => {
                options.get(self.choice).map(|o| Value::Choice(o.to_string())).ok_or_else(|| "pick one".to_string())
            }
            Kind::Number { min, max, required } => {
                if t.is_empty() {
                    return if *required { Err("is needed".into()) } else { Ok(Value::Number(None)) };
                }
                let n: i64 = crate::domain::contact::ascii_digits(t)
                    .parse()
                    .map_err(|_| format!("'{}' is not a whole number", text::inert(t)))?;
                if n < *min || n > *max {
                    return Err(format!("must be between {min} and {max}"));
                }
                Ok(Value::Number(Some(n)))
            }
            Kind::Money => {
                if t.is_empty() {
                    return Ok(Value::Money(None));
                }
                money::parse_minor(t).map(|m| Value::Money(Some(m))).map_err(|e| e.to_string())
            }
            Kind::Date => {
                if t.is_empty() {
                    return Ok(Value::Date(None));
                }
                crate::domain::time::parse_day(t, today).map(|d| Value::Date(Some(d)))
            }
        }
    }
}

/// What a key did to a form.
#[derive(Debug)]
pub enum FormOutcome {
    Stay,
    Cancel,
    /// Every field checked out: these are the values.
    Submit(Values),
}

#[derive(Debug, Clone)]
pub struct Form {
    pub title: String,
    /// Which of its owner's forms this is (the owner builds the request from it).
    pub tag: &'static str,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why the last save failed (the store's words), beside the per-field errors.
    pub error: Option<String>,
    /// Sent, waiting for the answer.
    pub saving: bool,
    initial: Vec<String>,
}

impl Form {
    pub fn new(title: impl Into<String>, tag: &'static str, fields: Vec<Field>) -> Form {
        let initial = fields.iter().map(Field::raw).collect();
        Form { title: title.into(), tag, fields, focus: 0, error: None, saving: false, initial }
    }

    pub fn changed(&self) -> bool {
        self.fields.iter().map(Field::raw).collect::<Vec<_>>() != self.initial
    }

    /// Has it a field with this key?
    pub fn has(&self, key: &str) -> bool {
        self.fields.iter().any(|f| f.key == key)
    }

    /// The store refused: show why, at the field it names when there is one.
    pub fn refused(&mut self, field: Option<&str>, why: String) {
        self.saving = false;
        match field.and_then(|f| self.fields.iter().position(|x| x.key == f)) {
            Some(i) => {
                self.focus = i;
                self.fields[i].error = Some(why);
                self.error = None;
            }
            None => self.error = Some(why),
        }
    }

    /// Checks every field; on any error the focus goes to the first bad one.
    pub fn check(&mut self, today: NaiveDate) -> Option<Values> {
        let mut values = Vec::new();
        let mut first_bad = None;
        for (i, f) in self.fields.iter_mut().enumerate() {
            match f.check(today) {
                Ok(v) => {
                    f.error = None;
                    values.push((f.key, v));
                }
                Err(why) => {
                    f.error = Some(why);
                    first_bad.get_or_insert(i);
                }
            }
        }
        match first_bad {
            Some(i) => {
                self.focus = i;
                None
            }
            None => Some(Values(values)),
        }
    }

    pub fn on_key(&mut self, key: KeyEvent, keymap: &Keymap, today: NaiveDate) -> FormOutcome {
        if self.saving || self.fields.is_empty() {
            return if keymap.action(&[Context::Form], &key) == Some(Action::Back) {
                FormOutcome::Cancel
            } else {
                FormOutcome::Stay
            };
        }
        let n = self.fields.len();
        let field = &self.fields[self.focus];
        let printable = matches!(key.code, KeyCode::Char(_))
            && !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        let mut action = keymap.action(&[Context::Form], &key);
        // Typing wins over single-letter bindings; Enter is a new line in a text area;
        // arrows move inside a text area.
        if printable && !field.is_choice() {
            action = None;
        }
        if field.is_multi()
            && matches!(key.code, KeyCode::Enter | KeyCode::Up | KeyCode::Down | KeyCode::Left | KeyCode::Right)
            && !key.modifiers.contains(KeyModifiers::CONTROL)
        {
            action = None;
        }
        match action {
            Some(Action::Back) => return FormOutcome::Cancel,
            Some(Action::Submit) => {
                self.error = None;
                if let Some(values) = self.check(today) {
                    self.saving = true;
                    return FormOutcome::Submit(values);
                }
            }
            Some(Action::NextField) => self.focus = (self.focus + 1) % n,
            Some(Action::PrevField) => self.focus = (self.focus + n - 1) % n,
            Some(a @ (Action::ChoiceNext | Action::ChoicePrev)) => self.step(a == Action::ChoiceNext),
            Some(Action::ClearField) => {
                let f = &mut self.fields[self.focus];
                f.line.clear();
                f.area = TextArea::default();
            }
            Some(_) => {}
            None => self.type_key(key),
        }
        FormOutcome::Stay
    }

    fn step(&mut self, forward: bool) {
        let f = &mut self.fields[self.focus];
        if let Kind::Choice(options) = &f.kind {
            let len = options.len().max(1);
            f.choice = if forward { (f.choice + 1) % len } else { (f.choice + len - 1) % len };
        }
    }

    fn type_key(&mut self, key: KeyEvent) {
        let f = &mut self.fields[self.focus];
        match &f.kind {
            Kind::Multi { max, .. } => {
                let typing = matches!(key.code, KeyCode::Char(_) | KeyCode::Enter);
                if !typing || f.area.lines().iter().map(|l| l.chars().count() + 1).sum::<usize>() <= *max + 1000 {
                    f.area.input(key);
                }
            }
            Kind::Choice(_) if key.code == KeyCode::Char(' ') => self.step(true),
            Kind::Choice(_) => {}
            _ => match key.code {
                KeyCode::Backspace => {
                    f.line.pop();
                }
                KeyCode::Char(c)
                    if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                        && f.line.chars().count() < 10_000 =>
                {
                    f.line.push(c)
                }
                _ => {}
            },
        }
    }

    /// Pasted text goes into the focused field as pasted, control characters
    /// included (they are drawn visible, and the stored text is what was pasted);
    /// line breaks only into a text area (`\r\n` and `\r` become `\n` there), a
    /// one-line field drops them.
    pub fn paste(&mut self, pasted: &str) {
        let Some(f) = self.fields.get_mut(self.focus) else { return };
        match f.kind {
            Kind::Multi { .. } => {
                let text = pasted.replace("\r\n", "\n").replace('\r', "\n");
                f.area.insert_str(text.chars().take(20_000).collect::<String>());
            }
            Kind::Choice(_) => {}
            _ => f.line.extend(pasted.chars().filter(|c| !matches!(c, '\n' | '\r')).take(10_000)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default()
    }

    fn form() -> Form {
        Form::new(
            "Test",
            "test",
            vec![
                Field::line("name", "name", 10, true),
                Field::number("weeks", "weeks", 1, 52),
                Field::money("egp", "EGP"),
                Field::multi("notes", "notes", 100, false),
                Field::choice("kind", "kind", vec!["a", "b"]),
            ],
        )
    }

    fn press(f: &mut Form, code: KeyCode) -> FormOutcome {
        f.on_key(KeyEvent::new(code, KeyModifiers::NONE), &Keymap::default(), today())
    }

    fn typed(f: &mut Form, s: &str) {
        for c in s.chars() {
            press(f, KeyCode::Char(c));
        }
    }

    #[test]
    fn every_field_is_checked_and_nothing_typed_is_lost() {
        let mut f = form();
        assert!(matches!(press(&mut f, KeyCode::Enter), FormOutcome::Stay));
        assert_eq!(f.fields[0].error.as_deref(), Some("is needed"));
        typed(&mut f, "Sara");
        press(&mut f, KeyCode::Tab);
        typed(&mut f, "9999999999999999999999");
        press(&mut f, KeyCode::Tab);
        typed(&mut f, "12.345");
        assert!(matches!(press(&mut f, KeyCode::Enter), FormOutcome::Stay));
        assert_eq!(f.focus, 1, "the cursor goes to the first bad field");
        assert!(f.fields[1].error.as_deref().unwrap_or("").contains("not a whole number"));
        assert!(f.fields[2].error.is_some(), "3 decimals are refused");
        assert_eq!(f.fields[0].raw(), "Sara", "kept");
        assert_eq!(f.fields[2].raw(), "12.345", "kept");
    }

    #[test]
    fn a_text_area_keeps_lines_and_the_form_submits_checked_values() {
        let mut f = form();
        typed(&mut f, "Sara");
        press(&mut f, KeyCode::Tab);
        typed(&mut f, "12");
        press(&mut f, KeyCode::Tab);
        typed(&mut f, "1,250.50");
        press(&mut f, KeyCode::Tab);
        typed(&mut f, "line one");
        press(&mut f, KeyCode::Enter);
        typed(&mut f, "line two");
        press(&mut f, KeyCode::Tab);
        press(&mut f, KeyCode::Right);
        let FormOutcome::Submit(v) =
            f.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL), &Keymap::default(), today())
        else {
            panic!("submits: {:?}", f.fields.iter().map(|x| &x.error).collect::<Vec<_>>())
        };
        assert_eq!(v.number("weeks"), Some(12));
        assert_eq!(v.number("egp"), Some(125_050));
        assert_eq!(v.text("notes"), "line one\nline two");
        assert_eq!(v.text("kind"), "b");
        assert!(f.saving);
    }

    #[test]
    fn a_number_typed_in_arabic_indic_digits_is_that_number() {
        let mut f = form();
        typed(&mut f, "Sara");
        press(&mut f, KeyCode::Tab);
        typed(&mut f, "٣");
        let FormOutcome::Submit(v) =
            f.on_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL), &Keymap::default(), today())
        else {
            panic!("submits: {:?}", f.fields.iter().map(|x| &x.error).collect::<Vec<_>>())
        };
        assert_eq!(v.number("weeks"), Some(3));
    }

    #[test]
    fn the_store_naming_a_field_focuses_it() {
        let mut f = form();
        f.refused(Some("egp"), "has more than 2 decimals".into());
        assert_eq!(f.focus, 2);
        assert!(!f.saving);
        f.refused(None, "someone else changed it".into());
        assert_eq!(f.error.as_deref(), Some("someone else changed it"));
    }
}
