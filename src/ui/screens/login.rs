//! The login form (also the idle lock): email and a masked password.

use crate::text;
use crate::ui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Field {
    #[default]
    Email,
    Password,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    Refused(String),
    Error(String),
}

#[derive(Debug, Clone, Default)]
pub struct LoginForm {
    pub email: String,
    pub password: String,
    pub focus: Field,
    /// Unlocking after idle: the email is fixed.
    pub unlock: bool,
    /// After logging in with a one-time password: `email` holds the new password
    /// and `password` the same again (both masked).
    pub choose: bool,
    pub outcome: Option<LoginOutcome>,
}

/// Longest input accepted in a field (a paste of a novel is cut here).
const MAX_FIELD: usize = 256;

impl LoginForm {
    pub fn prefilled(email: &str, password: &str) -> LoginForm {
        LoginForm { email: email.into(), password: password.into(), focus: Field::Password, ..LoginForm::default() }
    }

    pub fn for_unlock(email: &str) -> LoginForm {
        LoginForm { email: email.into(), focus: Field::Password, unlock: true, ..LoginForm::default() }
    }

    /// The form that replaces a one-time password.
    pub fn choose_new(email: &str) -> LoginForm {
        LoginForm {
            choose: true,
            outcome: Some(LoginOutcome::Refused(format!(
                "{} logged in with a one-time password: choose your own (at least {} characters)",
                email,
                staffroom_core::protocol::users::MIN_PASSWORD_LEN
            ))),
            ..LoginForm::default()
        }
    }

    /// Email and password when both are filled; otherwise moves focus to the gap.
    /// Choosing a new password: the password twice, when they agree.
    pub fn submit(&mut self) -> Option<(String, String)> {
        if self.choose {
            let min = staffroom_core::protocol::users::MIN_PASSWORD_LEN;
            let why = if self.email.chars().count() < min {
                Some((Field::Email, format!("the new password needs at least {min} characters")))
            } else if self.email != self.password {
                Some((Field::Password, "the two passwords differ; type the same one twice".to_string()))
            } else {
                None
            };
            if let Some((focus, why)) = why {
                self.outcome = Some(LoginOutcome::Refused(why));
                self.focus = focus;
                self.password.clear();
                return None;
            }
            return Some((String::new(), self.email.clone()));
        }
        if self.email.trim().is_empty() {
            self.focus = Field::Email;
            return None;
        }
        if self.password.is_empty() {
            self.focus = Field::Password;
            return None;
        }
        Some((self.email.trim().to_string(), self.password.clone()))
    }

    pub fn refused(&mut self, why: String) {
        self.outcome = Some(LoginOutcome::Refused(why));
        self.password.clear();
        self.focus = Field::Password;
    }

    fn field(&mut self) -> &mut String {
        match self.focus {
            Field::Email => &mut self.email,
            Field::Password => &mut self.password,
        }
    }

    pub fn paste(&mut self, text: &str) {
        let clean: String = text.chars().filter(|c| !c.is_control()).collect();
        let field = self.field();
        for c in clean.chars() {
            if field.chars().count() < MAX_FIELD {
                field.push(c);
            }
        }
    }

    pub fn on_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Down | KeyCode::Up if !self.unlock => {
                self.focus = if self.focus == Field::Email { Field::Password } else { Field::Email };
            }
            KeyCode::Backspace => {
                self.field().pop();
            }
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => self.field().clear(),
            KeyCode::Char(c) if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
                if self.unlock && self.focus == Field::Email {
                    return;
                }
                let field = self.field();
                if field.chars().count() < MAX_FIELD {
                    field.push(c);
                }
            }
            _ => {}
        }
    }

    pub fn view(&self, f: &mut Frame, area: Rect, theme: &Theme, busy: Option<char>) {
        let w = area.width.min(60);
        let h = area.height.min(12);
        let [_, mid, _] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(h), Constraint::Fill(1)]).areas(area);
        let [_, rect, _] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(w), Constraint::Fill(1)]).areas(mid);
        f.render_widget(Clear, rect);
        let title = if self.choose {
            " staffroom — choose your password ".to_string()
        } else if self.unlock {
            " staffroom — locked ".to_string()
        } else {
            " staffroom — log in ".to_string()
        };
        let block = Block::bordered().title(Span::styled(title, theme.title)).border_style(theme.border);
        let inner = block.inner(rect);
        f.render_widget(block, rect);
        let field_w = usize::from(inner.width.saturating_sub(12));
        let mark = |on: bool| if on { "›" } else { " " };
        let email = if self.choose {
            "•".repeat(self.email.chars().count().min(field_w))
        } else {
            text::fit(&self.email, field_w)
        };
        let (first, second) = if self.choose { ("New      ", "Again    ") } else { ("Email    ", "Password ") };
        let stars = "•".repeat(self.password.chars().count().min(field_w));
        let mut lines = vec![
            Line::from(""),
            Line::from(vec![
                Span::raw(format!("{} {first}", mark(self.focus == Field::Email))),
                Span::styled(email, if self.focus == Field::Email { theme.selected } else { theme.base }),
            ]),
            Line::from(vec![
                Span::raw(format!("{} {second}", mark(self.focus == Field::Password))),
                Span::styled(stars, if self.focus == Field::Password { theme.selected } else { theme.base }),
            ]),
            Line::from(""),
        ];
        match (&self.outcome, busy) {
            (_, Some(spin)) => lines.push(Line::styled(format!("{spin} checking…"), theme.dim)),
            (Some(LoginOutcome::Refused(why)), _) | (Some(LoginOutcome::Error(why)), _) => {
                lines.push(Line::styled(text::inert(why), theme.error))
            }
            (None, _) if self.unlock => {
                lines.push(Line::styled("Locked after being idle. Enter your password to resume.", theme.dim))
            }
            (None, _) => lines.push(Line::styled("Enter to log in · Tab to switch field · Esc to quit", theme.dim)),
        }
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).alignment(Alignment::Left), inner);
    }
}
