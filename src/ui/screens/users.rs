//! User accounts (admins): who exists, their roles, whether they can log in.

use super::{Command, Component, Cx, Vx, move_cursor};
use crate::backend::{Reply, Request};
use crate::store::StoreError;
use crate::store::page::Page;
use crate::store::users::User;
use crate::ui::cmd::{Cmd, Lane};
use crate::ui::keymap::{Action, Context};
use crate::ui::text;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

#[derive(Debug, Clone, Default)]
pub struct UsersScreen {
    pub rows: Vec<User>,
    pub next: Option<i64>,
    pub cursor: usize,
    pub loading: bool,
    pub loaded: bool,
}

impl UsersScreen {
    pub fn load(&mut self) -> Request {
        self.loading = true;
        Request::UsersPage { after: None, limit: crate::store::page::MAX_PAGE }
    }

    pub fn on_page(&mut self, page: Page<User, i64>) {
        let keep = self.rows.get(self.cursor).map(|u| u.id);
        self.rows = page.rows;
        self.next = page.next;
        self.loading = false;
        self.loaded = true;
        self.cursor = keep.and_then(|id| self.rows.iter().position(|u| u.id == id)).unwrap_or(0);
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, vx: &Vx) {
        let theme = vx.theme;
        if !self.loaded {
            f.render_widget(Paragraph::new("Loading…").style(theme.dim), area);
            return;
        }
        let height = usize::from(area.height);
        let start = self.cursor.saturating_sub(height.saturating_sub(1));
        let now = vx.now;
        let lines: Vec<Line> = self
            .rows
            .iter()
            .enumerate()
            .skip(start)
            .take(height)
            .map(|(i, u)| {
                let state = if !u.is_active {
                    "inactive"
                } else if u.locked_until.is_some_and(|t| t > now) {
                    "locked"
                } else {
                    "active"
                };
                let line = format!(
                    "{:>5}  {}  {}  {:<22} {:<8} {}",
                    u.id,
                    text::pad(&u.full_name, 24),
                    text::pad(u.email.as_deref().unwrap_or("-"), 30),
                    u.roles().label(),
                    state,
                    u.last_login_at.map_or("never".to_string(), |t| crate::ui::time::stamp(t, vx.tz)),
                );
                let style = if i == self.cursor {
                    theme.selected
                } else if state != "active" {
                    theme.alert
                } else {
                    theme.base
                };
                Line::from(Span::styled(text::fit(&line, usize::from(area.width)), style))
            })
            .collect();
        f.render_widget(Paragraph::new(lines), area);
    }
}

impl Component for UsersScreen {
    fn title(&self) -> String {
        "Users".into()
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::List]
    }

    fn commands(&self) -> &'static [Command] {
        const C: &[Command] = &[Command::hint(Action::Down, None), Command::hint(Action::PageDown, None)];
        C
    }

    fn reload(&mut self, _cx: &Cx) -> Vec<Cmd> {
        vec![Cmd::Send(Lane::Load, self.load())]
    }

    fn on_action(&mut self, action: Action, _cx: &Cx) -> Vec<Cmd> {
        if let Some(c) = move_cursor(self.cursor, self.rows.len(), action, 20) {
            self.cursor = c;
        }
        Vec::new()
    }

    fn on_reply(&mut self, _lane: Lane, reply: Reply, _cx: &Cx) -> Vec<Cmd> {
        if let Reply::UsersPage(page) = reply {
            self.on_page(page);
        }
        Vec::new()
    }

    fn on_error(&mut self, _lane: Lane, _e: &StoreError, _cx: &Cx) -> Vec<Cmd> {
        self.loading = false;
        self.loaded = true;
        Vec::new()
    }

    fn view(&self, f: &mut Frame, area: Rect, vx: &Vx) {
        self.draw(f, area, vx)
    }
}
