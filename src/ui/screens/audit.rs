//! The audit trail, newest first, paged with keyset queries as the cursor moves.

use super::{Command, Component, Cx, Vx, move_cursor};
use crate::backend::{Reply, Request};
use crate::store::StoreError;
use crate::store::audit::AuditRow;
use crate::store::page::Page;
use crate::ui::cmd::{Cmd, Lane};
use crate::ui::keymap::{Action, Context};
use crate::ui::text;
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

const PAGE: i64 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Load {
    /// The first page again, keeping the cursor on the same row.
    Reload,
    /// The page after the last loaded row.
    More,
}

#[derive(Debug, Clone, Default)]
pub struct AuditScreen {
    pub rows: Vec<AuditRow>,
    pub next: Option<i64>,
    pub cursor: usize,
    pub loading: Option<Load>,
    pub loaded: bool,
    /// Detail pane open (Enter).
    pub detail: bool,
}

impl AuditScreen {
    pub fn load(&mut self) -> Request {
        self.loading = Some(Load::Reload);
        let limit = (self.rows.len() as i64).clamp(PAGE, crate::store::page::MAX_PAGE);
        Request::AuditPage { before: None, limit }
    }

    pub fn on_page(&mut self, page: Page<AuditRow, i64>) {
        let kind = self.loading.take().unwrap_or(Load::Reload);
        self.loaded = true;
        match kind {
            Load::Reload => {
                let keep = self.rows.get(self.cursor).map(|r| r.id);
                self.rows = page.rows;
                self.next = page.next;
                self.cursor = keep.and_then(|id| self.rows.iter().position(|r| r.id == id)).unwrap_or(0);
            }
            Load::More => {
                self.rows.extend(page.rows);
                self.next = page.next;
            }
        }
    }

    fn act(&mut self, action: Action) -> Vec<Cmd> {
        if action == Action::Open {
            self.detail = !self.detail;
            return Vec::new();
        }
        if let Some(c) = move_cursor(self.cursor, self.rows.len(), action, 20) {
            self.cursor = c;
        }
        // Fetch the next page before the cursor reaches the end.
        if let Some(before) = self.next.filter(|_| self.cursor + 20 >= self.rows.len() && self.loading.is_none()) {
            self.loading = Some(Load::More);
            return vec![Cmd::Send(Lane::More(0), Request::AuditPage { before: Some(before), limit: PAGE })];
        }
        Vec::new()
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, theme: &Theme, tz: chrono_tz::Tz) {
        if !self.loaded {
            f.render_widget(Paragraph::new("Loading…").style(theme.dim), area);
            return;
        }
        let (list_area, detail_area) = if self.detail && area.height > 10 {
            let [a, b] = Layout::vertical([Constraint::Fill(1), Constraint::Length(8)]).areas(area);
            (a, Some(b))
        } else {
            (area, None)
        };
        let height = usize::from(list_area.height);
        let start = self.cursor.saturating_sub(height.saturating_sub(1));
        let width = usize::from(list_area.width);
        let lines: Vec<Line> = self
            .rows
            .iter()
            .enumerate()
            .skip(start)
            .take(height)
            .map(|(i, r)| {
                let head = format!(
                    "{:>8} {} {:<14} ",
                    r.id,
                    crate::ui::time::stamp(r.created_at, tz),
                    text::fit(&r.action, 14)
                );
                let rest = text::fit(&r.summary, width.saturating_sub(text::width(&head)));
                let style = if i == self.cursor { theme.selected } else { theme.base };
                Line::from(vec![
                    Span::styled(head, if i == self.cursor { theme.selected } else { theme.dim }),
                    Span::styled(rest, style),
                ])
            })
            .collect();
        f.render_widget(Paragraph::new(lines), list_area);
        if let (Some(rect), Some(row)) = (detail_area, self.rows.get(self.cursor)) {
            let block =
                Block::bordered().title(Span::styled(format!(" #{} {} ", row.id, row.entity_type), theme.title));
            let body = vec![
                Line::from(format!(
                    "by user {} from {} with {}",
                    row.actor_id.map_or("system".into(), |a| format!("#{a}")),
                    text::inert(&row.remote),
                    text::inert(&row.client)
                )),
                Line::from(format!("old: {}", text::inert(row.old_values.as_deref().unwrap_or("—")))),
                Line::from(format!("new: {}", text::inert(row.new_values.as_deref().unwrap_or("—")))),
                Line::styled(format!("hash {}…", &row.hash.get(..16).unwrap_or("")), theme.dim),
            ];
            f.render_widget(Paragraph::new(body).wrap(Wrap { trim: false }).block(block), rect);
        }
    }
}

impl Component for AuditScreen {
    fn title(&self) -> String {
        "Audit trail".into()
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Audit, Context::List]
    }

    fn commands(&self) -> &'static [Command] {
        const C: &[Command] = &[
            Command::hint(Action::Down, None),
            Command::hint(Action::Open, None),
            Command::hint(Action::Bottom, None),
        ];
        C
    }

    fn reload(&mut self, _cx: &Cx) -> Vec<Cmd> {
        vec![Cmd::Send(Lane::Load, self.load())]
    }

    fn on_action(&mut self, action: Action, _cx: &Cx) -> Vec<Cmd> {
        self.act(action)
    }

    fn on_reply(&mut self, _lane: Lane, reply: Reply, _cx: &Cx) -> Vec<Cmd> {
        if let Reply::AuditPage(page) = reply {
            self.on_page(page);
        }
        Vec::new()
    }

    fn on_error(&mut self, _lane: Lane, _e: &StoreError, _cx: &Cx) -> Vec<Cmd> {
        self.loading = None;
        self.loaded = true;
        Vec::new()
    }

    fn view(&self, f: &mut Frame, area: Rect, vx: &Vx) {
        self.draw(f, area, vx.theme, vx.tz)
    }
}
