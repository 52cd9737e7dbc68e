//! The dashboard: one screen, sections by role; Enter opens an item's screen.

use super::{Component, Cx, Offer, Screen, ScreenId, Vx, move_cursor};
use crate::backend::{OfficeReply, OfficeRequest};
use crate::backend::{Reply, Request};
use crate::text;
use crate::ui::cmd::{Cmd, Lane};
use crate::ui::keymap::{Action, Context};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use staffroom_core::protocol::StoreError;
use staffroom_core::protocol::dashboard::{Section, SectionKind};

#[derive(Debug, Clone, Default)]
pub struct Dashboard {
    pub sections: Vec<Section>,
    /// Selected section, and item within it.
    pub pane: usize,
    pub cursor: usize,
    pub loaded: bool,
}

impl Dashboard {
    pub fn set(&mut self, sections: Vec<Section>) {
        self.sections = sections;
        self.loaded = true;
        // Keep the cursor where it was when the data refreshes.
        self.pane = self.pane.min(self.sections.len().saturating_sub(1));
        let len = self.sections.get(self.pane).map_or(0, |s| s.items.len());
        self.cursor = self.cursor.min(len.saturating_sub(1));
    }

    fn act(&mut self, action: Action) -> Vec<Cmd> {
        let n = self.sections.len();
        match action {
            Action::NextPane if n > 0 => {
                self.pane = (self.pane + 1) % n;
                self.cursor = 0;
            }
            Action::PrevPane if n > 0 => {
                self.pane = (self.pane + n - 1) % n;
                self.cursor = 0;
            }
            Action::Open => return self.open(),
            _ => {
                let len = self.sections.get(self.pane).map_or(0, |s| s.items.len());
                if let Some(c) = move_cursor(self.cursor, len, action, 5) {
                    self.cursor = c;
                }
            }
        }
        Vec::new()
    }

    fn open(&self) -> Vec<Cmd> {
        let Some(section) = self.sections.get(self.pane) else { return Vec::new() };
        let target = match section.kind {
            SectionKind::LatestAudit => ScreenId::Audit,
            SectionKind::Lockouts => ScreenId::Record("users"),
            SectionKind::NewLeads | SectionKind::FollowUps => {
                // A lead item opens that lead; an empty section opens the board.
                return match section.items.get(self.cursor) {
                    Some(item) => vec![Cmd::Push(Box::new(Screen::lead(item.id)))],
                    None => vec![Cmd::Open(ScreenId::Pipeline)],
                };
            }
            SectionKind::UnreadMessages => ScreenId::Messages,
            SectionKind::TodaySessions | SectionKind::LowAttendance => {
                use staffroom_core::protocol::attendance::GridOf;
                let of = |id| {
                    if section.kind == SectionKind::TodaySessions {
                        GridOf::Session(id)
                    } else {
                        GridOf::Enrollment(id)
                    }
                };
                return match section.items.get(self.cursor) {
                    Some(item) => vec![Cmd::Push(Box::new(Screen::Attendance(Box::new(
                        super::attendance::AttendanceScreen::opened_on(of(item.id)),
                    ))))],
                    None => vec![Cmd::Open(ScreenId::Attendance)],
                };
            }
            SectionKind::ModerationQueue => ScreenId::Moderation,
        };
        vec![Cmd::Open(target)]
    }

    fn draw(&self, f: &mut Frame, area: Rect, theme: &Theme) {
        if !self.loaded {
            f.render_widget(Paragraph::new("Loading…").style(theme.dim), area);
            return;
        }
        if self.sections.is_empty() {
            f.render_widget(Paragraph::new("Nothing needs you right now."), area);
            return;
        }
        let cols = if area.width >= 100 && self.sections.len() > 1 { 2 } else { 1 };
        // Each row is as tall as its longest section (items + borders + a spare line).
        let heights: Vec<Constraint> = self
            .sections
            .chunks(cols)
            .map(|row| Constraint::Length(row.iter().map(|s| s.items.len().max(1)).max().unwrap_or(1) as u16 + 3))
            .collect();
        let row_areas = Layout::vertical(heights).split(area);
        for (i, section) in self.sections.iter().enumerate() {
            let row = row_areas[i / cols];
            let col_areas = Layout::horizontal(vec![Constraint::Fill(1); cols]).split(row);
            self.section(f, col_areas[i % cols], section, i == self.pane, theme);
        }
    }

    fn section(&self, f: &mut Frame, area: Rect, s: &Section, active: bool, theme: &Theme) {
        let title = format!(" {} ({}) ", s.kind.title(), s.total);
        let block = Block::bordered().title(Span::styled(title, theme.title)).border_style(if active {
            theme.key
        } else {
            theme.border
        });
        let inner = block.inner(area);
        f.render_widget(block, area);
        let width = usize::from(inner.width);
        let mut lines = Vec::new();
        if s.items.is_empty() {
            lines.push(Line::styled("nothing here", theme.dim));
        }
        for (i, item) in s.items.iter().enumerate() {
            let selected = active && i == self.cursor;
            let marker = if item.alert { "! " } else { "  " };
            let title_w = (width * 3 / 5).max(1);
            let title = text::fit(&item.title, title_w.saturating_sub(2));
            let pad = title_w.saturating_sub(2 + text::width(&title));
            let detail = text::fit(&item.detail, width.saturating_sub(title_w + 1));
            let style = if selected {
                theme.selected
            } else if item.alert {
                theme.alert
            } else {
                theme.base
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{marker}{title}{} ", " ".repeat(pad)), style),
                Span::styled(detail, if selected { theme.selected } else { theme.dim }),
            ]));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }
}

impl Component for Dashboard {
    fn title(&self) -> String {
        "Dashboard".into()
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Dashboard, Context::List]
    }

    fn offers(&self) -> &'static [Offer] {
        const C: &[Offer] =
            &[Offer::hint(Action::Down, None), Offer::hint(Action::Open, None), Offer::hint(Action::NextPane, None)];
        C
    }

    fn reload(&mut self, cx: &Cx) -> Vec<Cmd> {
        vec![Cmd::Send(Lane::Load, Request::Office(OfficeRequest::Dashboard { today: cx.today }))]
    }

    fn on_action(&mut self, action: Action, _cx: &Cx) -> Vec<Cmd> {
        self.act(action)
    }

    fn on_reply(&mut self, _lane: Lane, reply: Reply, _cx: &Cx) -> Vec<Cmd> {
        if let Reply::Office(OfficeReply::Dashboard(sections)) = reply {
            self.set(sections);
        }
        Vec::new()
    }

    fn on_error(&mut self, _lane: Lane, _e: &StoreError, _cx: &Cx) -> Vec<Cmd> {
        self.loaded = true;
        Vec::new()
    }

    fn view(&self, f: &mut Frame, area: Rect, vx: &Vx) {
        self.draw(f, area, vx.theme)
    }
}
