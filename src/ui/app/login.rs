//! Logging in, unlocking after idle, and choosing one's own password after a
//! one-time one: the login form's keys and the answers to its requests.

use super::{App, Session};
use crate::backend::Request;
use crate::backend::{OfficeRequest, UserRequest};
use crate::ui::cmd::Token;
use crate::ui::msg::Effect;
use crate::ui::screens::ScreenId;
use crate::ui::screens::login::LoginForm;
use crossterm::event::{KeyCode, KeyEvent};
use staffroom_core::protocol::users::LoggedIn;

impl App {
    /// Logs in straight away with these credentials.
    pub fn auto_login(&mut self, email: &str, password: &str) -> Vec<Effect> {
        self.login = LoginForm::prefilled(email, password);
        self.submit_login()
    }

    /// `staffroom demo --as ROLE`: opens logged in as that demo account.
    pub fn demo_login(&mut self, email: &str) -> Vec<Effect> {
        self.login = LoginForm::prefilled(email, "");
        let terminal = self.settings.terminal.clone();
        vec![
            self.request(
                Token::Login,
                Request::Office(OfficeRequest::DemoLogin { email: email.to_string(), terminal }),
            ),
        ]
    }

    pub(super) fn on_login(
        &mut self,
        outcome: Result<LoggedIn, staffroom_core::protocol::users::LoginRefused>,
    ) -> Vec<Effect> {
        match outcome {
            Err(refused) => {
                self.login.refused(refused.to_string());
                Vec::new()
            }
            Ok(ok) => {
                if self.locked {
                    // Unlock: resume exactly where the user was.
                    self.locked = false;
                    self.login = LoginForm::default();
                    return Vec::new();
                }
                let previous = ok.previous.clone();
                let roles = ok.user.roles;
                // A one-time password: nothing opens until the user chose their own
                // (the backend refuses every other request meanwhile).
                if ok.user.must_change_password {
                    self.login = LoginForm::choose_new(ok.user.email.as_deref().unwrap_or(""));
                    self.session = Some(Session { user: ok.user, roles, previous: ok.previous });
                    self.locked = true;
                    return Vec::new();
                }
                self.session = Some(Session { user: ok.user, roles, previous: ok.previous });
                self.login = LoginForm::default();
                if let Some((at, from)) = previous {
                    self.toast(format!(
                        "Last login {} from {}",
                        crate::domain::time::stamp(at, self.settings.tz),
                        crate::text::inert(&from)
                    ));
                }
                self.stack.clear();
                self.open(ScreenId::Dashboard)
            }
        }
    }

    pub(super) fn submit_login(&mut self) -> Vec<Effect> {
        let Some((email, password)) = self.login.submit() else { return Vec::new() };
        let terminal = self.settings.terminal.clone();
        let request = if self.login.choose {
            Request::Users(UserRequest::ChangeOwnPassword { password: crate::backend::Secret(password) })
        } else if self.locked {
            Request::Office(OfficeRequest::Unlock { password, terminal })
        } else {
            Request::Office(OfficeRequest::Login { email, password, terminal })
        };
        vec![self.request(Token::Login, request)]
    }

    pub(super) fn on_login_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if self.is_pending(Token::Login) {
            return Vec::new();
        }
        match key.code {
            KeyCode::Enter => self.submit_login(),
            KeyCode::Esc if !self.locked => {
                self.quit = true;
                vec![Effect::Quit]
            }
            _ => {
                self.login.on_key(key);
                Vec::new()
            }
        }
    }

    /// The new password is saved: the session goes on, at the dashboard.
    pub(super) fn on_password_changed(&mut self) -> Vec<Effect> {
        self.locked = false;
        self.login = LoginForm::default();
        self.toast("Your new password is saved");
        self.stack.clear();
        self.open(ScreenId::Dashboard)
    }
}
