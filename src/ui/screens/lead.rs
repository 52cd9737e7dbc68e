//! One lead: its fields and its timeline (notes and status changes, oldest first).
//! `n` logs a note, `f` sets the next follow-up, `A` takes the lead.

use super::{Component, Cx, Input, Offer, Permission, Vx, move_cursor};
use crate::backend::{LeadReply, LeadRequest};
use crate::backend::{Reply, Request};
use crate::text;
use crate::ui::app::Popup;
use crate::ui::chooser::Chooser;
use crate::ui::cmd::{Cmd, Lane};
use crate::ui::keymap::{Action, Context};
use crate::ui::theme::Theme;
use crate::ui::widgets::detail;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use staffroom_core::protocol::StoreError;
use staffroom_core::protocol::leads::Detail;
use staffroom_core::protocol::leads::Lead;

#[derive(Debug, Clone)]
pub struct LeadScreen {
    pub id: i64,
    pub detail: Option<Detail>,
    /// Selected timeline entry.
    pub scroll: usize,
    /// The fields pane's scroll (long messages), in wrapped rows.
    pub fields_scroll: detail::Scroll,
    /// Which pane `j`/`k` move: 0 the fields, 1 the timeline (Tab switches).
    pub pane: usize,
    pub loaded: bool,
    /// The version the edit form saves over: the lead's when it opened; after a
    /// conflict, the other writer's once reloaded and shown.
    editing: Option<i64>,
    /// A conflict was named: the next detail read gives `editing` their version.
    adopt: bool,
}

impl LeadScreen {
    pub fn new(id: i64) -> LeadScreen {
        LeadScreen {
            id,
            detail: None,
            scroll: 0,
            fields_scroll: detail::Scroll::default(),
            pane: 1,
            loaded: false,
            editing: None,
            adopt: false,
        }
    }

    pub fn on_detail(&mut self, d: Detail) {
        self.scroll = self.scroll.min(d.timeline.len().saturating_sub(1));
        self.detail = Some(d);
        self.loaded = true;
    }

    fn act(&mut self, action: Action, cx: &Cx) -> Vec<Cmd> {
        let Some(d) = &self.detail else { return Vec::new() };
        let (id, version) = (d.lead.id, d.lead.version);
        let popup = |p: Popup| vec![Cmd::Popup(Box::new(p))];
        match action {
            Action::Note => popup(Popup::Input(crate::ui::prompt::InputForm::new(Input::Note { lead_id: id }))),
            Action::FollowUp => {
                popup(Popup::Input(crate::ui::prompt::InputForm::new(Input::FollowUp { lead_id: id, version })))
            }
            Action::AssignMe => {
                vec![Cmd::Send(Lane::Write(0), Request::Leads(LeadRequest::AssignLead { id, version, user_id: cx.me }))]
            }
            Action::Assign => vec![Cmd::Send(Lane::Dialog, Request::Leads(LeadRequest::Assignees))],
            Action::Merge => vec![Cmd::Send(Lane::Dialog, Request::Leads(LeadRequest::LeadDuplicates { id }))],
            Action::Edit => {
                // The version the form starts from: someone else's save meanwhile is a
                // conflict naming them, not silently overwritten.
                self.editing = Some(version);
                self.adopt = false;
                popup(Popup::Form(Box::new(crate::ui::lead_form::edit(&d.lead))))
            }
            Action::Links => {
                let items = links(&d.lead);
                if items.is_empty() {
                    return vec![Cmd::Toast("no email, phone or WhatsApp to link to".into())];
                }
                let items = items
                    .into_iter()
                    .map(|(label, url)| {
                        let shown = format!("copied {} to your clipboard (OSC 52)", text::inert(&url));
                        (format!("{label}  {url}"), vec![Cmd::Toast(shown), Cmd::Copy(url)])
                    })
                    .collect();
                popup(Popup::Choose(Chooser::new("Copy a link (OSC 52 to your clipboard)", items)))
            }
            Action::NextPane | Action::PrevPane => {
                self.pane = 1 - self.pane.min(1);
                Vec::new()
            }
            Action::DetailDown => {
                self.fields_scroll.down();
                Vec::new()
            }
            Action::DetailUp => {
                self.fields_scroll.up();
                Vec::new()
            }
            _ if self.pane == 0 => {
                match action {
                    Action::Down => self.fields_scroll.by(1),
                    Action::Up => self.fields_scroll.by(-1),
                    Action::PageDown => self.fields_scroll.down(),
                    Action::PageUp => self.fields_scroll.up(),
                    Action::Top => self.fields_scroll.to_top(),
                    Action::Bottom => self.fields_scroll.to_bottom(),
                    _ => {}
                }
                Vec::new()
            }
            _ => {
                if let Some(s) = move_cursor(self.scroll, d.timeline.len(), action, 10) {
                    self.scroll = s;
                }
                Vec::new()
            }
        }
    }

    /// Possible duplicates of this lead: merge one into it.
    fn on_duplicates(&self, found: Vec<Lead>) -> Vec<Cmd> {
        let Some(me) = self.detail.as_ref().map(|d| (d.lead.id, d.lead.version)) else { return Vec::new() };
        if found.is_empty() {
            return vec![Cmd::Toast("no open lead shares this lead's email, phone or WhatsApp".into())];
        }
        let items = found
            .iter()
            .map(|l| {
                (
                    format!("merge {}", label(l)),
                    vec![Cmd::Send(
                        Lane::Dialog,
                        Request::Leads(LeadRequest::MergeLeads { a: me, b: (l.id, l.version) }),
                    )],
                )
            })
            .collect();
        let note = "The older lead is kept; notes and links move to it; the audit log keeps both.";
        vec![Cmd::Popup(Box::new(Popup::Choose(Chooser::new("Merge with…", items).with_note(note))))]
    }

    fn on_assignees(&self, people: Vec<(i64, String)>) -> Vec<Cmd> {
        let Some((id, version)) = self.detail.as_ref().map(|d| (d.lead.id, d.lead.version)) else {
            return Vec::new();
        };
        let assign =
            |user_id| vec![Cmd::Send(Lane::Write(0), Request::Leads(LeadRequest::AssignLead { id, version, user_id }))];
        let mut items = vec![("— unassigned".to_string(), assign(None))];
        items.extend(people.into_iter().map(|(uid, name)| (name, assign(Some(uid)))));
        vec![Cmd::Popup(Box::new(Popup::Choose(Chooser::new("Assign to…", items))))]
    }

    fn draw(&self, f: &mut Frame, area: Rect, theme: &Theme, tz: chrono_tz::Tz) {
        let Some(d) = &self.detail else {
            f.render_widget(Paragraph::new(if self.loaded { "Not found" } else { "Loading…" }).style(theme.dim), area);
            return;
        };
        let l = &d.lead;
        let [fields, timeline] =
            Layout::horizontal([Constraint::Length(44.min(area.width / 2)), Constraint::Fill(1)]).areas(area);
        let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
        let when =
            |t: Option<chrono::DateTime<chrono::Utc>>| t.map_or("—".into(), |t| crate::domain::time::stamp(t, tz));
        detail::Detail::new()
            .title(&text::fit(&l.full_name, usize::from(fields.width.saturating_sub(2))), theme)
            .blank()
            .row("stage", &l.status, theme)
            .row("email", &opt(&l.email), theme)
            .row("phone", &opt(&l.phone), theme)
            .row("whatsapp", &opt(&l.whatsapp), theme)
            .row("source", &l.source.replace('_', " "), theme)
            .row("interest", &l.interested_in.replace('_', " "), theme)
            .row("budget", &opt(&l.budget_range), theme)
            .row("urgency", &opt(&l.urgency), theme)
            .row("assignee", &opt(&d.assignee), theme)
            .row("follow-up", &when(l.next_follow_up_at), theme)
            .row("contacted", &when(l.last_contact_at), theme)
            .row("lost", &opt(&l.lost_reason), theme)
            .blank()
            .text("message", l.message.as_deref().unwrap_or("—"), theme)
            .render(f, fields, &self.fields_scroll, self.pane == 0, theme);
        let block = Block::bordered()
            .title(Span::styled(format!(" timeline ({}) ", d.timeline.len()), theme.title))
            .border_style(if self.pane == 1 { theme.key } else { theme.border });
        let inner = block.inner(timeline);
        f.render_widget(block, timeline);
        let w = usize::from(inner.width);
        let mut lines = Vec::new();
        for (i, e) in d.timeline.iter().enumerate().skip(self.scroll) {
            let head =
                format!("{} {:<8} {}", crate::domain::time::stamp(e.at, tz), e.kind, e.by.as_deref().unwrap_or(""));
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

/// `#12 Sara · sara@example.com · new`: a lead in a pick list.
pub fn label(l: &Lead) -> String {
    format!("#{} {} · {} · {}", l.id, l.full_name, l.email.as_deref().or(l.phone.as_deref()).unwrap_or(""), l.status)
}

const EDIT: Option<Permission> = Some(Permission::EditLeads);

impl Component for LeadScreen {
    fn title(&self) -> String {
        "Lead".into()
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Lead, Context::Detail, Context::List]
    }

    fn offers(&self) -> &'static [Offer] {
        const C: &[Offer] = &[
            Offer::hint(Action::Edit, EDIT),
            Offer::hint(Action::Note, EDIT),
            Offer::hint(Action::FollowUp, EDIT),
            Offer::hint(Action::Links, None),
            Offer::key(Action::Assign, EDIT),
            Offer::key(Action::AssignMe, EDIT),
            Offer::key(Action::Merge, EDIT),
        ];
        C
    }

    fn reload(&mut self, _cx: &Cx) -> Vec<Cmd> {
        vec![Cmd::Send(Lane::Load, Request::Leads(LeadRequest::LeadDetail { id: self.id }))]
    }

    fn on_action(&mut self, action: Action, cx: &Cx) -> Vec<Cmd> {
        self.act(action, cx)
    }

    fn on_reply(&mut self, _lane: Lane, reply: Reply, _cx: &Cx) -> Vec<Cmd> {
        match reply {
            Reply::Leads(LeadReply::LeadDetail(d)) => {
                if std::mem::take(&mut self.adopt) && self.editing.is_some() {
                    self.editing = Some(d.lead.version);
                }
                self.on_detail(*d);
                Vec::new()
            }
            Reply::Leads(LeadReply::LeadChanged) => vec![Cmd::Toast("saved".into()), Cmd::Reload],
            Reply::Leads(LeadReply::Assignees(people)) => self.on_assignees(people),
            Reply::Leads(LeadReply::Duplicates(found)) => self.on_duplicates(found),
            Reply::Leads(LeadReply::LeadSaved(lead)) => {
                // A merge may have removed the lead on screen: follow the kept one.
                self.id = lead.id;
                vec![Cmd::CloseDialogs, Cmd::Toast("saved".into()), Cmd::Reload]
            }
            _ => Vec::new(),
        }
    }

    fn on_call(&mut self, call: crate::ui::cmd::Call, _cx: &Cx) -> Vec<Cmd> {
        let crate::ui::cmd::Call::Submit { tag: crate::ui::lead_form::EDIT, values } = call else { return Vec::new() };
        let Some(version) = self.editing else { return Vec::new() };
        match crate::ui::lead_form::checked(&values) {
            Ok(fields) => {
                vec![Cmd::Send(
                    Lane::Dialog,
                    Request::Leads(LeadRequest::UpdateLead { id: self.id, version, fields: Box::new(fields) }),
                )]
            }
            Err((field, why)) => vec![Cmd::FieldError { field, why }],
        }
    }

    fn on_error(&mut self, lane: Lane, e: &StoreError, _cx: &Cx) -> Vec<Cmd> {
        self.loaded = true;
        // Someone else changed the lead: show their version underneath; an open
        // edit form keeps what was typed and its next save goes over theirs.
        if lane != Lane::Load && matches!(e, StoreError::Conflict { .. }) {
            self.adopt = lane == Lane::Dialog;
            vec![Cmd::Reload]
        } else {
            Vec::new()
        }
    }

    fn view(&self, f: &mut Frame, area: Rect, vx: &Vx) {
        self.draw(f, area, vx.theme, vx.tz)
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
