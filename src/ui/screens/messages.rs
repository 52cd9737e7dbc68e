//! Incoming contact messages (newest first), with the message on the right. `c`
//! converts one into a lead (with the duplicate check), `i`/`r` mark it in
//! progress or resolved, Tab cycles the status shown, Enter opens its lead.

use super::{Component, Cx, Offer, Permission, Screen, Vx, move_cursor};
use crate::backend::{LeadReply, MessageReply, MessageRequest};
use crate::backend::{Reply, Request};
use crate::domain::message::MessageStatus;
use crate::text;
use crate::ui::app::Popup;
use crate::ui::chooser::Chooser;
use crate::ui::cmd::{Cmd, Lane};
use crate::ui::keymap::{Action, Context};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use staffroom_core::protocol::StoreError;
use staffroom_core::protocol::messages::{ContactMessage, MessageKey};
use staffroom_core::protocol::page::Page;

const PAGE: i64 = 100;

#[derive(Debug, Clone, Default)]
pub struct MessagesScreen {
    /// Shown status (`None`: all).
    pub status: Option<MessageStatus>,
    pub counts: Vec<(MessageStatus, i64)>,
    pub rows: Vec<ContactMessage>,
    pub next: Option<MessageKey>,
    pub cursor: usize,
    pub loaded: bool,
    loading_more: bool,
    /// The detail pane's scroll (it follows the selected message).
    pane: crate::ui::widgets::detail::Scroll,
}

impl MessagesScreen {
    fn load(&self) -> Request {
        Request::Messages(MessageRequest::Messages { status: self.status, after: None, limit: PAGE })
    }

    pub fn on_page(
        &mut self,
        counts: Option<Vec<(MessageStatus, i64)>>,
        page: Page<ContactMessage, MessageKey>,
        more: bool,
    ) {
        if let Some(c) = counts {
            self.counts = c;
        }
        if more {
            let known: Vec<i64> = self.rows.iter().map(|m| m.id).collect();
            self.rows.extend(page.rows.into_iter().filter(|m| !known.contains(&m.id)));
        } else {
            let keep = self.selected().map(|m| m.id);
            self.rows = page.rows;
            self.cursor = keep.and_then(|id| self.rows.iter().position(|m| m.id == id)).unwrap_or(self.cursor);
            self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
        }
        self.next = page.next;
        self.loaded = true;
        self.loading_more = false;
    }

    pub fn selected(&self) -> Option<&ContactMessage> {
        self.rows.get(self.cursor)
    }

    fn act(&mut self, action: Action) -> Vec<Cmd> {
        match action {
            Action::DetailDown => self.pane.down(),
            Action::DetailUp => self.pane.up(),
            _ => {}
        }
        let status_move = |m: &ContactMessage, to: MessageStatus| {
            vec![Cmd::Send(
                Lane::Write(0),
                Request::Messages(MessageRequest::SetMessageStatus { id: m.id, version: m.version, to }),
            )]
        };
        match action {
            Action::NextPane | Action::PrevPane => {
                let all: Vec<Option<MessageStatus>> =
                    std::iter::once(None).chain(MessageStatus::ALL.iter().copied().map(Some)).collect();
                let i = all.iter().position(|s| *s == self.status).unwrap_or(0);
                let n = all.len();
                self.status = all[if action == Action::NextPane { (i + 1) % n } else { (i + n - 1) % n }];
                self.cursor = 0;
                self.loaded = false;
                return vec![Cmd::Send(Lane::Load, self.load())];
            }
            Action::Convert => {
                let Some(m) = self.selected() else { return Vec::new() };
                if let Some(lead) = m.lead_id {
                    return vec![Cmd::Toast(format!("this message is already lead #{lead}; Enter opens it"))];
                }
                let req =
                    Request::Messages(MessageRequest::ConvertMessage { id: m.id, version: m.version, force: false });
                return vec![Cmd::Send(Lane::Dialog, req)];
            }
            Action::InProgress => {
                let Some(m) = self.selected() else { return Vec::new() };
                return status_move(m, MessageStatus::InProgress);
            }
            Action::Resolve => {
                let Some(m) = self.selected() else { return Vec::new() };
                return status_move(m, MessageStatus::Resolved);
            }
            Action::Open => {
                let Some(m) = self.selected() else { return Vec::new() };
                return match m.lead_id {
                    Some(id) => vec![Cmd::Push(Box::new(Screen::lead(id)))],
                    None => vec![Cmd::Toast("not a lead yet: c converts it".into())],
                };
            }
            _ => {
                if let Some(c) = move_cursor(self.cursor, self.rows.len(), action, 10) {
                    self.cursor = c;
                }
            }
        }
        // Near the end of what is loaded: fetch the next page.
        if let Some(after) = self.next.filter(|_| self.cursor + 10 >= self.rows.len() && !self.loading_more) {
            self.loading_more = true;
            return vec![Cmd::Send(
                Lane::More(0),
                Request::Messages(MessageRequest::Messages { status: self.status, after: Some(after), limit: PAGE }),
            )];
        }
        Vec::new()
    }

    /// Open leads look like the sender: open one, link the message to it, or
    /// convert anyway.
    fn on_duplicates(&self, found: Vec<staffroom_core::protocol::leads::Lead>) -> Vec<Cmd> {
        let Some(m) = self.selected() else { return Vec::new() };
        let (id, version) = (m.id, m.version);
        let mut items = Vec::new();
        for l in &found {
            let label = super::lead::label(l);
            items.push((format!("open {label}"), vec![Cmd::CloseDialogs, Cmd::Push(Box::new(Screen::lead(l.id)))]));
            items.push((
                format!("it is {label} — link the message to it"),
                vec![Cmd::Send(
                    Lane::Dialog,
                    Request::Messages(MessageRequest::LinkMessage { id, version, lead_id: l.id }),
                )],
            ));
        }
        items.push((
            "convert into a separate lead anyway".into(),
            vec![Cmd::Send(
                Lane::Dialog,
                Request::Messages(MessageRequest::ConvertMessage { id, version, force: true }),
            )],
        ));
        let note = "An open lead has the same email or phone.";
        vec![Cmd::Popup(Box::new(Popup::Choose(Chooser::new("Possible duplicate", items).with_note(note))))]
    }

    fn draw(&self, f: &mut Frame, area: Rect, theme: &Theme, tz: chrono_tz::Tz) {
        let [tabs, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        let total: i64 = self.counts.iter().map(|(_, n)| n).sum();
        let mut spans = Vec::new();
        let tab =
            |label: String, on: bool| Span::styled(format!(" {label} "), if on { theme.selected } else { theme.dim });
        spans.push(tab(format!("all {total}"), self.status.is_none()));
        for (s, n) in &self.counts {
            spans.push(tab(format!("{} {n}", s.as_str().replace('_', " ")), self.status == Some(*s)));
        }
        f.render_widget(Line::from(spans), tabs);
        if !self.loaded {
            f.render_widget(Paragraph::new("Loading…").style(theme.dim), body);
            return;
        }
        let [list, _, detail] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Length(1), Constraint::Fill(1)]).areas(body);
        let w = usize::from(list.width);
        let height = usize::from(list.height);
        let start = self.cursor.saturating_sub(height.saturating_sub(1));
        let mut lines = Vec::new();
        for (i, m) in self.rows.iter().enumerate().skip(start).take(height) {
            let state = match (m.state(), m.lead_id) {
                (_, Some(id)) => format!("lead #{id}"),
                (s, None) => s.as_str().replace('_', " "),
            };
            let head = format!("{} ", m.created_at.with_timezone(&tz).format("%m-%d"));
            let name_w = 18.min(w / 4);
            let tail = format!(" {state:>11}");
            let subject_w = w.saturating_sub(text::width(&head) + name_w + 1 + text::width(&tail));
            let subject = m.subject.as_deref().unwrap_or(&m.message);
            let line = format!("{head}{} {}{tail}", text::pad(&m.name, name_w), text::pad(subject, subject_w));
            let style = if i == self.cursor {
                theme.selected
            } else if m.state() == MessageStatus::New {
                theme.base
            } else {
                theme.dim
            };
            lines.push(Line::styled(text::fit(&line, w), style));
        }
        if self.rows.is_empty() {
            lines.push(Line::styled("no messages", theme.dim));
        }
        f.render_widget(Paragraph::new(lines), list);
        let block = Block::bordered().border_style(theme.border);
        let Some(m) = self.selected() else {
            f.render_widget(block, detail);
            return;
        };
        let row =
            |k: &str, v: &str| Line::from(vec![Span::styled(format!("{k:<9}"), theme.dim), Span::raw(text::inert(v))]);
        let mut lines = vec![
            Line::styled(text::inert(&m.name), theme.title),
            row("email", m.email.as_deref().unwrap_or("—")),
            row("phone", m.phone.as_deref().unwrap_or("—")),
            row("status", &m.status.replace('_', " ")),
            row("lead", &m.lead_id.map_or("— (c converts)".into(), |id| format!("#{id} (Enter opens)"))),
            Line::from(""),
        ];
        if let Some(s) = &m.subject {
            lines.push(Line::styled(text::inert(s), theme.title));
        }
        lines.extend(text::inert_multiline(&m.message).lines().map(|l| Line::raw(l.to_string())));
        self.pane.follow(m.id);
        crate::ui::widgets::detail::render_scrolled(f, detail, lines, block, &self.pane, theme);
    }
}

const EDIT: Option<Permission> = Some(Permission::EditLeads);

impl Component for MessagesScreen {
    fn title(&self) -> String {
        "Contact messages".into()
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Messages, Context::Detail, Context::List]
    }

    fn offers(&self) -> &'static [Offer] {
        const C: &[Offer] = &[
            Offer::hint(Action::Convert, EDIT),
            Offer::hint(Action::InProgress, EDIT),
            Offer::hint(Action::Resolve, EDIT),
            Offer::hint(Action::NextPane, None),
            Offer::key(Action::Open, None),
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
        match reply {
            Reply::Messages(MessageReply::Messages { counts, page, more }) => {
                self.on_page(counts, page, more);
                Vec::new()
            }
            Reply::Leads(LeadReply::Duplicates(found)) => self.on_duplicates(found),
            Reply::Messages(MessageReply::MessageConverted(lead)) => vec![
                Cmd::CloseDialogs,
                Cmd::Toast(format!("lead #{} {} created from the message", lead.id, text::inert(&lead.full_name))),
                Cmd::Reload,
            ],
            Reply::Messages(MessageReply::MessageSaved) => {
                vec![Cmd::CloseDialogs, Cmd::Toast("saved".into()), Cmd::Reload]
            }
            _ => Vec::new(),
        }
    }

    fn on_error(&mut self, lane: Lane, e: &StoreError, _cx: &Cx) -> Vec<Cmd> {
        self.loaded = true;
        self.loading_more = false;
        // Someone else changed the message: show their version.
        if lane != Lane::Load && matches!(e, StoreError::Conflict { .. }) { vec![Cmd::Reload] } else { Vec::new() }
    }

    fn view(&self, f: &mut Frame, area: Rect, vx: &Vx) {
        self.draw(f, area, vx.theme, vx.tz)
    }
}
