//! One lead: its fields and its timeline (notes and status changes, oldest first).
//! `n` logs a note, `f` sets the next follow-up, `A` takes the lead.

use super::{Input, LANE_DIALOG, Outcome, move_cursor};
use crate::backend::Request;
use crate::store::leads::Detail;
use crate::store::leads::Lead;
use crate::ui::chooser::{Choice, Chooser};
use crate::ui::form::LeadForm;
use crate::ui::keymap::Action;
use crate::ui::text;
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

/// Request lanes of this screen.
pub const LANE_EDIT: u64 = 1;

#[derive(Debug, Clone)]
pub struct LeadScreen {
    pub id: i64,
    pub detail: Option<Detail>,
    pub scroll: usize,
    pub loaded: bool,
}

impl LeadScreen {
    pub fn new(id: i64) -> LeadScreen {
        LeadScreen { id, detail: None, scroll: 0, loaded: false }
    }

    pub fn reload(&mut self) -> Request {
        Request::LeadDetail { id: self.id }
    }

    pub fn on_detail(&mut self, d: Detail) {
        self.detail = Some(d);
        self.loaded = true;
    }

    pub fn on_action(&mut self, action: Action, me: Option<i64>) -> Outcome {
        let Some(d) = &self.detail else { return Outcome::default() };
        let (id, version) = (d.lead.id, d.lead.version);
        match action {
            Action::Note => Outcome { input: Some(Input::Note { lead_id: id }), ..Outcome::default() },
            Action::FollowUp => Outcome { input: Some(Input::FollowUp { lead_id: id, version }), ..Outcome::default() },
            Action::AssignMe => Outcome {
                request: Some(Request::AssignLead { id, version, user_id: me }),
                lane: LANE_EDIT,
                ..Outcome::default()
            },
            Action::Assign => Outcome { request: Some(Request::Assignees), lane: LANE_DIALOG, ..Outcome::default() },
            Action::Merge => {
                Outcome { request: Some(Request::LeadDuplicates { id }), lane: LANE_DIALOG, ..Outcome::default() }
            }
            Action::Edit => Outcome { form: Some(Box::new(LeadForm::edit(&d.lead))), ..Outcome::default() },
            Action::Links => {
                let items = links(&d.lead);
                if items.is_empty() {
                    return Outcome {
                        toast: Some("no email, phone or WhatsApp to link to".into()),
                        ..Outcome::default()
                    };
                }
                let items =
                    items.into_iter().map(|(label, url)| (format!("{label}  {url}"), Choice::Copy(url))).collect();
                Outcome {
                    choose: Some(Chooser::new("Copy a link (OSC 52 to your clipboard)", items)),
                    ..Outcome::default()
                }
            }
            _ => {
                if let Some(s) = move_cursor(self.scroll, d.timeline.len(), action, 10) {
                    self.scroll = s;
                }
                Outcome::default()
            }
        }
    }

    pub fn view(&self, f: &mut Frame, area: Rect, theme: &Theme) {
        let Some(d) = &self.detail else {
            f.render_widget(Paragraph::new(if self.loaded { "Not found" } else { "Loading…" }).style(theme.dim), area);
            return;
        };
        let l = &d.lead;
        let [fields, timeline] =
            Layout::horizontal([Constraint::Length(44.min(area.width / 2)), Constraint::Fill(1)]).areas(area);
        let row = |k: &str, v: String| {
            Line::from(vec![Span::styled(format!("{k:<11}"), theme.dim), Span::raw(text::inert(&v))])
        };
        let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
        let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
            t.map_or("—".into(), |t| t.format("%Y-%m-%d %H:%M").to_string())
        };
        let lines = vec![
            Line::styled(text::fit(&l.full_name, usize::from(fields.width.saturating_sub(2))), theme.title),
            Line::from(""),
            row("stage", l.status.clone()),
            row("email", opt(&l.email)),
            row("phone", opt(&l.phone)),
            row("whatsapp", opt(&l.whatsapp)),
            row("source", l.source.replace('_', " ")),
            row("interest", l.interested_in.replace('_', " ")),
            row("budget", opt(&l.budget_range)),
            row("urgency", opt(&l.urgency)),
            row("assignee", opt(&d.assignee)),
            row("follow-up", when(l.next_follow_up_at)),
            row("contacted", when(l.last_contact_at)),
            row("lost", opt(&l.lost_reason)),
            Line::from(""),
            Line::styled("message", theme.dim),
            Line::raw(text::inert_multiline(l.message.as_deref().unwrap_or("—"))),
        ];
        let block = Block::bordered().border_style(theme.border);
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(block), fields);
        let block = Block::bordered().title(Span::styled(format!(" timeline ({}) ", d.timeline.len()), theme.title));
        let inner = block.inner(timeline);
        f.render_widget(block, timeline);
        let w = usize::from(inner.width);
        let mut lines = Vec::new();
        for (i, e) in d.timeline.iter().enumerate().skip(self.scroll) {
            let head = format!("{} {:<8} {}", e.at.format("%Y-%m-%d %H:%M"), e.kind, e.by.as_deref().unwrap_or(""));
            let style = if i == self.scroll { theme.selected } else { theme.dim };
            lines.push(Line::styled(text::fit(&head, w), style));
            for part in text::inert_multiline(&e.text).lines().take(4) {
                lines.push(Line::raw(format!("  {}", text::fit(part, w.saturating_sub(2)))));
            }
        }
        if d.timeline.is_empty() {
            lines.push(Line::styled("no notes yet — n adds one", theme.dim));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }
}

/// Links to reach a lead: WhatsApp, phone, mail. Numbers are stored normalised
/// (+201001234567), which is what wa.me and tel: want (wa.me without the +).
pub fn links(l: &Lead) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(w) = l.whatsapp.as_deref().or(l.phone.as_deref()) {
        out.push(("WhatsApp", format!("https://wa.me/{}", w.trim_start_matches('+'))));
    }
    if let Some(p) = l.phone.as_deref() {
        out.push(("Call", format!("tel:{p}")));
    }
    if let Some(e) = l.email.as_deref() {
        out.push(("Mail", format!("mailto:{e}")));
    }
    out
}
