//! The moderation queue (`:moderation`): everything awaiting a decision, oldest
//! first, with a tab per kind and its count (posts, testimonials, instructor and
//! cohort applications, course reviews, comments); the selected item's full text and fields beside the list.
//! `a` approves, `r` rejects with a reason (a preset from `moderation.reject_reasons`
//! or typed), `w` puts a cohort application on the waitlist. Space marks several
//! items: a decision then applies to all of them after a confirm with the count.
//! Course reviews: `a` keeps one, `r` rejects it, `p` promotes it to a pending
//! testimonial. Comments (visible ones no moderator has seen, reported ones among
//! them): `a` keeps one (seen), `h` hides it — it stays listed, marked, so `h`
//! again shows it.

use super::{Component, Cx, Offer, Permission, Vx, move_cursor};
use crate::backend::{ModerationReply, ModerationRequest};
use crate::backend::{Reply, Request};
use crate::text;
use crate::ui::app::Popup;
use crate::ui::cmd::{Call, Cmd, Lane};
use crate::ui::keymap::{Action, Context};
use crate::ui::widgets::{detail, list, tabs};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use staffroom_core::protocol::StoreError;
use staffroom_core::protocol::moderation::{Decision, Preview, QueueItem, QueueKey, QueueKind};
use std::collections::BTreeSet;

const PAGE: i64 = 100;
/// The lane of hiding or showing a comment (the list stays as it is).
const HIDE: Lane = Lane::Write(2);
/// The lane of the preview load (superseded as the cursor moves).
const PREVIEW: Lane = Lane::More(1);

#[derive(Debug, Clone, Default)]
pub struct ModerationScreen {
    /// 0: all; then the kinds with a count, in `QueueKind::ALL` order.
    pub tab: usize,
    pub counts: Vec<(QueueKind, i64)>,
    pub items: Vec<QueueItem>,
    next: Option<QueueKey>,
    pub cursor: usize,
    /// Items marked with Space: (kind, id).
    pub marked: BTreeSet<(QueueKind, i64)>,
    pub preview: Option<Preview>,
    pub loaded: bool,
    loading_more: bool,
    /// The items a reject form or reason list is for.
    rejecting: Vec<(QueueKind, i64, i64)>,
    /// Comments hidden from here: they stay in the list (marked) until the next
    /// load, so `h` again shows them.
    pub hidden: BTreeSet<i64>,
    /// The comment a hide or show is on its way for.
    hiding: Option<(i64, bool)>,
    /// The preview's scroll (it follows the selected item).
    pane: detail::Scroll,
}

impl ModerationScreen {
    fn kinds(&self) -> Vec<QueueKind> {
        self.counts.iter().map(|(k, _)| *k).collect()
    }

    fn kind(&self) -> Option<QueueKind> {
        self.tab.checked_sub(1).and_then(|i| self.kinds().get(i).copied())
    }

    fn load(&self) -> Vec<Cmd> {
        vec![Cmd::Send(
            Lane::Load,
            Request::Moderation(ModerationRequest::ModerationQueue { kind: self.kind(), after: None, limit: PAGE }),
        )]
    }

    fn selected(&self) -> Option<&QueueItem> {
        self.items.get(self.cursor)
    }

    fn load_preview(&self) -> Vec<Cmd> {
        match self.selected() {
            Some(i) if self.preview.as_ref().is_none_or(|p| (p.kind, p.id) != (i.kind, i.id)) => {
                vec![Cmd::Send(
                    PREVIEW,
                    Request::Moderation(ModerationRequest::ModerationPreview { kind: i.kind, id: i.id }),
                )]
            }
            _ => Vec::new(),
        }
    }

    /// What a decision applies to: the marked items, else the selected one.
    fn targets(&self) -> Vec<(QueueKind, i64, i64)> {
        if self.marked.is_empty() {
            return self.selected().map(|i| vec![(i.kind, i.id, i.version)]).unwrap_or_default();
        }
        self.items.iter().filter(|i| self.marked.contains(&(i.kind, i.id))).map(|i| (i.kind, i.id, i.version)).collect()
    }

    /// Sends `decision` for `items`, asking first when there are several.
    fn decide(&self, items: Vec<(QueueKind, i64, i64)>, decision: Decision) -> Vec<Cmd> {
        if items.is_empty() {
            return vec![Cmd::Toast("nothing is waiting here".into())];
        }
        let verb = match &decision {
            Decision::Approve => "approve".to_string(),
            Decision::Reject(r) => format!("reject (\"{}\")", text::inert(r)),
            Decision::Waitlist => "put on the waitlist".to_string(),
            Decision::Hide => "hide".to_string(),
            Decision::Unhide => "show again".to_string(),
            Decision::Promote => "promote to testimonials".to_string(),
        };
        let n = items.len();
        let send = Cmd::Send(Lane::Dialog, Request::Moderation(ModerationRequest::Decide { items, decision }));
        if n == 1 {
            return vec![Cmd::CloseDialogs, send];
        }
        let question = format!("{verb} {n} marked items? Each is decided on its own. (y/n)");
        vec![Cmd::CloseDialogs, Cmd::Popup(Box::new(Popup::Confirm { question, on_yes: vec![send] }))]
    }

    /// `h` on a comment: hide it, or show it again when it was hidden from here.
    fn hide(&mut self) -> Vec<Cmd> {
        let Some(i) = self.selected().filter(|i| i.kind == QueueKind::Comment).cloned() else {
            return vec![Cmd::Toast("h hides a comment; this is not one".into())];
        };
        if self.hiding.is_some() {
            return vec![Cmd::Toast("still hiding the last one; a moment".into())];
        }
        let hide = !self.hidden.contains(&i.id);
        let decision = if hide { Decision::Hide } else { Decision::Unhide };
        self.hiding = Some((i.id, hide));
        vec![Cmd::Send(
            HIDE,
            Request::Moderation(ModerationRequest::Decide { items: vec![(i.kind, i.id, i.version)], decision }),
        )]
    }

    fn reject(&mut self, cx: &Cx) -> Vec<Cmd> {
        self.rejecting = self.targets();
        if self.rejecting.is_empty() {
            return vec![Cmd::Toast("nothing is waiting here".into())];
        }
        let pick = |index| vec![Cmd::Call(super::ScreenId::Moderation, Call::Picked { tag: "reason", index })];
        let mut items: Vec<(String, Vec<Cmd>)> =
            cx.settings.reject_reasons.iter().enumerate().map(|(i, r)| (text::inert(r), pick(i))).collect();
        let typed = crate::ui::widgets::form::Form::new(
            "Why is it rejected?",
            "reason",
            vec![
                crate::ui::widgets::form::Field::line("reason", "reason", 500, true)
                    .hint("stored with the item and shown with it"),
            ],
        );
        items.push(("type a reason…".into(), vec![Cmd::Popup(Box::new(Popup::Form(Box::new(typed))))]));
        let n = self.rejecting.len();
        let title = if n == 1 { "Reject: why?".to_string() } else { format!("Reject {n} items: why?") };
        vec![Cmd::Popup(Box::new(Popup::Choose(crate::ui::chooser::Chooser::new(title, items))))]
    }

    fn draw(&self, f: &mut Frame, area: Rect, vx: &Vx) {
        let theme = vx.theme;
        let [top, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        let total: i64 = self.counts.iter().map(|(_, n)| n).sum();
        let mut items = vec![("all".to_string(), total)];
        items.extend(self.counts.iter().map(|(k, n)| (k.label().to_string(), *n)));
        f.render_widget(tabs::tabs(&items, self.tab, top.width, theme), top);
        if !self.loaded {
            f.render_widget(Paragraph::new("Loading…").style(theme.dim), body);
            return;
        }
        let [left, right] = Layout::horizontal([Constraint::Percentage(50), Constraint::Fill(1)]).areas(body);
        let w = usize::from(left.width);
        let height = usize::from(left.height);
        let start = list::window_start(self.cursor, height);
        let mut lines = Vec::new();
        for (i, item) in self.items.iter().enumerate().skip(start).take(height) {
            let mark = if self.marked.contains(&(item.kind, item.id)) { "●" } else { " " };
            let kind = match item.kind {
                QueueKind::Post => "post",
                QueueKind::Testimonial => "testim.",
                QueueKind::InstructorApplication => "teacher",
                QueueKind::Application => "applic.",
                QueueKind::Review => "review",
                QueueKind::Comment => "comment",
            };
            let hidden =
                if self.hidden.contains(&item.id) && item.kind == QueueKind::Comment { "(hidden) " } else { "" };
            let day = item.at.with_timezone(&vx.tz).format("%m-%d");
            let line = format!("{mark}{day} {:<7} {} · {hidden}{}", kind, item.author, item.title.replace('\n', " "));
            let style = if i == self.cursor { theme.selected } else { theme.base };
            lines.push(Line::styled(text::pad(&line, w), style));
        }
        if self.items.is_empty() {
            lines.push(Line::styled("nothing awaits a decision", theme.dim));
        }
        f.render_widget(Paragraph::new(lines), left);
        let Some(p) =
            self.preview.as_ref().filter(|p| self.selected().is_some_and(|i| (i.kind, i.id) == (p.kind, p.id)))
        else {
            return;
        };
        let title = self.selected().map_or(String::new(), |i| i.title.clone());
        let mut d = detail::Detail::new().title(&title, theme).blank();
        for (label, value) in &p.fields {
            d = if value.contains('\n') || value.chars().count() > 40 {
                d.text(label, value, theme)
            } else {
                d.row(label, value, theme)
            };
        }
        if !p.text.is_empty() {
            d = d.blank().text("text", &p.text, theme);
        }
        self.pane.follow((p.kind, p.id));
        d.render(f, right, &self.pane, false, theme);
    }
}

/// What the user is told after decisions (here or on a record screen), and the
/// reload that shows the list as it now is.
pub fn decided(done: &[String], refused: &[String]) -> Vec<Cmd> {
    let mut said = match done {
        [one] => one.clone(),
        many => format!("{} decided", many.len()),
    };
    if !refused.is_empty() {
        said = format!("{said}; {} refused: {}", refused.len(), refused.join("; "));
    }
    let toast = if refused.is_empty() { Cmd::Toast(text::inert(&said)) } else { Cmd::Error(text::inert(&said)) };
    vec![Cmd::CloseDialogs, toast, Cmd::Reload]
}

const DECIDE: Option<Permission> = Some(Permission::ModerateContent);

impl Component for ModerationScreen {
    fn title(&self) -> String {
        "Moderation".into()
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Moderation, Context::Detail, Context::List]
    }

    fn offers(&self) -> &'static [Offer] {
        const C: &[Offer] = &[
            Offer::hint(Action::Approve, DECIDE),
            Offer::hint(Action::Reject, DECIDE),
            Offer::hint(Action::Waitlist, Some(Permission::ReviewApplications)),
            Offer::hint(Action::ToggleMark, DECIDE),
            Offer::key(Action::HideComment, DECIDE),
            Offer::key(Action::Promote, DECIDE),
        ];
        C
    }

    fn reload(&mut self, _cx: &Cx) -> Vec<Cmd> {
        self.load()
    }

    fn on_action(&mut self, action: Action, cx: &Cx) -> Vec<Cmd> {
        match action {
            Action::DetailDown => self.pane.down(),
            Action::DetailUp => self.pane.up(),
            Action::NextPane | Action::PrevPane => {
                let n = self.counts.len() + 1;
                self.tab = if action == Action::NextPane { (self.tab + 1) % n } else { (self.tab + n - 1) % n };
                self.cursor = 0;
                self.loaded = false;
                self.marked.clear();
                return self.load();
            }
            Action::Approve => return self.decide(self.targets(), Decision::Approve),
            Action::Reject => return self.reject(cx),
            Action::Waitlist => {
                let items: Vec<_> = self.targets();
                if items.iter().any(|(k, _, _)| *k != QueueKind::Application) {
                    return vec![Cmd::Toast("only applications to a cohort go to a waitlist".into())];
                }
                return self.decide(items, Decision::Waitlist);
            }
            Action::HideComment => return self.hide(),
            Action::Promote => {
                let items: Vec<_> = self.targets();
                if items.iter().any(|(k, _, _)| *k != QueueKind::Review) {
                    return vec![Cmd::Toast("only a course review is promoted to a testimonial".into())];
                }
                return self.decide(items, Decision::Promote);
            }
            Action::ToggleMark => {
                if let Some(i) = self.selected() {
                    let key = (i.kind, i.id);
                    if !self.marked.remove(&key) {
                        self.marked.insert(key);
                    }
                    self.cursor = (self.cursor + 1).min(self.items.len().saturating_sub(1));
                }
                return self.load_preview();
            }
            _ => {}
        }
        if let Some(c) = move_cursor(self.cursor, self.items.len(), action, 10) {
            self.cursor = c;
        }
        let mut cmds = self.load_preview();
        if let Some(after) = list::wants_more(self.cursor, self.items.len(), self.next.as_ref(), self.loading_more, 10)
        {
            self.loading_more = true;
            cmds.push(Cmd::Send(
                Lane::More(0),
                Request::Moderation(ModerationRequest::ModerationQueue {
                    kind: self.kind(),
                    after: Some(after),
                    limit: PAGE,
                }),
            ));
        }
        cmds
    }

    fn on_reply(&mut self, lane: Lane, reply: Reply, _cx: &Cx) -> Vec<Cmd> {
        match reply {
            Reply::Moderation(ModerationReply::Decided { done, refused }) if lane == HIDE => {
                if let Some((id, hide)) = self.hiding.take()
                    && refused.is_empty()
                {
                    if hide {
                        self.hidden.insert(id);
                    } else {
                        self.hidden.remove(&id);
                    }
                    if let Some(item) = self.items.iter_mut().find(|i| i.kind == QueueKind::Comment && i.id == id) {
                        item.version += 1;
                    }
                }
                let said = done.into_iter().chain(refused).collect::<Vec<_>>().join("; ");
                vec![Cmd::Toast(text::inert(&said))]
            }
            Reply::Moderation(ModerationReply::ModerationQueue { counts, items, next, more }) => {
                if let Some(c) = counts {
                    self.counts = c;
                }
                if more {
                    let known: BTreeSet<(QueueKind, i64)> = self.items.iter().map(|i| (i.kind, i.id)).collect();
                    self.items.extend(items.into_iter().filter(|i| !known.contains(&(i.kind, i.id))));
                } else {
                    let keep = self.selected().map(|i| (i.kind, i.id));
                    self.items = items;
                    self.cursor = keep
                        .and_then(|k| self.items.iter().position(|i| (i.kind, i.id) == k))
                        .unwrap_or(self.cursor)
                        .min(self.items.len().saturating_sub(1));
                    // Marks of items decided meanwhile (here or elsewhere) go.
                    let present: BTreeSet<(QueueKind, i64)> = self.items.iter().map(|i| (i.kind, i.id)).collect();
                    self.marked.retain(|m| present.contains(m));
                }
                self.next = next;
                self.loaded = true;
                self.loading_more = false;
                self.load_preview()
            }
            Reply::Moderation(ModerationReply::ModerationPreview(p)) => {
                self.preview = Some(*p);
                Vec::new()
            }
            Reply::Moderation(ModerationReply::Decided { done, refused }) => {
                self.marked.clear();
                self.rejecting.clear();
                decided(&done, &refused)
            }
            _ => Vec::new(),
        }
    }

    fn on_error(&mut self, lane: Lane, e: &StoreError, _cx: &Cx) -> Vec<Cmd> {
        self.loaded = true;
        self.loading_more = false;
        if lane == HIDE {
            self.hiding = None;
            return vec![Cmd::Reload];
        }
        // Decided meanwhile by someone else, or refused: show the queue as it is.
        if lane == Lane::Dialog && !matches!(e, StoreError::Invalid { .. }) {
            return vec![Cmd::CloseDialogs, Cmd::Reload];
        }
        Vec::new()
    }

    fn on_call(&mut self, call: Call, cx: &Cx) -> Vec<Cmd> {
        let reason = match call {
            Call::Picked { tag: "reason", index } => cx.settings.reject_reasons.get(index).cloned(),
            Call::Submit { tag: "reason", values } => Some(values.text("reason")),
            _ => None,
        };
        match reason.filter(|r| !r.trim().is_empty()) {
            Some(r) => {
                let items = std::mem::take(&mut self.rejecting);
                self.decide(items, Decision::Reject(r))
            }
            None => Vec::new(),
        }
    }

    fn view(&self, f: &mut Frame, area: Rect, vx: &Vx) {
        self.draw(f, area, vx)
    }

    fn subtitle(&self) -> Option<String> {
        (!self.marked.is_empty()).then(|| format!("{} marked", self.marked.len()))
    }
}
