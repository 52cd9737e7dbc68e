//! The audit trail (`:audit`), newest first, paged with keyset queries as the
//! cursor moves — the rows the user may read, decided by the backend's query.
//! `f` filters (actor, action, entity, time range, text; the header names the
//! filter), `F` clears it; `g`/`G` (Home/End) jump to the newest and the oldest row
//! of the log or of the filter, by keyset, never OFFSET; `Enter` opens the detail:
//! each changed field old → new, long texts as a line diff, where from and with
//! what; `H` shows the selected row's entity's whole history. `V` verifies the
//! chain in the backend (the screen stays usable) and shows the verdict; `E`
//! writes exactly the filtered rows as CSV to `pipeline.export_dir`.

use super::{Component, Cx, Offer, Vx, move_cursor};
use crate::backend::{AuditReply, AuditRequest};
use crate::backend::{Reply, Request};
use crate::text;
use crate::ui::app::Popup;
use crate::ui::cmd::{Call, Cmd, Lane};
use crate::ui::keymap::{Action, Context};
use crate::ui::theme::Theme;
use crate::ui::widgets::form::{Field, Form, Value, Values};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use staffroom_core::protocol::StoreError;
use staffroom_core::protocol::audit::AuditRow;
use staffroom_core::protocol::audit::{AuditFilter, From};

const PAGE: i64 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Load {
    /// The newest page again, keeping the cursor on the same row.
    Reload,
    /// `g`: the newest page, the cursor on top.
    Newest,
    /// `G`: the oldest page, the cursor on the last row.
    Oldest,
    /// The page below the last loaded row.
    Older,
    /// The page above the first loaded row (after `G`).
    Newer,
}

#[derive(Debug, Clone, Default)]
pub struct AuditScreen {
    /// Newest first.
    pub rows: Vec<AuditRow>,
    /// Where the list goes on downwards (`None`: the oldest row is loaded).
    pub next: Option<i64>,
    /// Where it goes on upwards (`None`: the newest row is loaded).
    pub newer: Option<i64>,
    pub cursor: usize,
    pub loading: Option<Load>,
    pub loaded: bool,
    /// Detail pane open (Enter).
    pub detail: bool,
    pub filter: AuditFilter,
    /// Actor names by id, for the rows loaded.
    pub names: Vec<(i64, String)>,
    /// Why nothing can be shown (a viewer without `audit.viewers_read`).
    pub refused: Option<String>,
    /// `V` sent, its verdict not back yet (the app stays usable meanwhile).
    pub verifying: bool,
    /// Rows verified so far, of about how many (while `verifying`).
    pub progress: Option<(u64, u64)>,
    /// The open detail's scroll (it follows the selected row).
    pub pane: crate::ui::widgets::detail::Scroll,
}

impl AuditScreen {
    /// The viewer on one record's history (`H` on a record screen).
    pub fn of_entity(entity_type: &str, id: i64) -> AuditScreen {
        let filter =
            AuditFilter { entity_type: Some(entity_type.to_string()), entity_id: Some(id), ..AuditFilter::default() };
        AuditScreen { filter, ..AuditScreen::default() }
    }

    fn request(&mut self, load: Load, from: From) -> Cmd {
        self.loading = Some(load);
        let lane = match load {
            Load::Older | Load::Newer => Lane::More(0),
            _ => Lane::Load,
        };
        Cmd::Send(
            lane,
            Request::Audit(AuditRequest::AuditPage { filter: Box::new(self.filter.clone()), from, limit: PAGE }),
        )
    }

    pub fn on_page(&mut self, page: staffroom_core::protocol::page::Page<AuditRow, i64>, names: Vec<(i64, String)>) {
        let kind = self.loading.take().unwrap_or(Load::Reload);
        self.loaded = true;
        self.refused = None;
        for n in names {
            if !self.names.iter().any(|(id, _)| *id == n.0) {
                self.names.push(n);
            }
        }
        match kind {
            Load::Reload | Load::Newest => {
                let keep = self.rows.get(self.cursor).map(|r| r.id).filter(|_| kind == Load::Reload);
                self.rows = page.rows;
                self.next = page.next;
                self.newer = None;
                self.cursor = keep.and_then(|id| self.rows.iter().position(|r| r.id == id)).unwrap_or(0);
            }
            Load::Oldest => {
                self.rows = page.rows;
                self.newer = page.next;
                self.next = None;
                self.cursor = self.rows.len().saturating_sub(1);
            }
            Load::Older => {
                self.rows.extend(page.rows);
                self.next = page.next;
            }
            Load::Newer => {
                let n = page.rows.len();
                let mut rows = page.rows;
                rows.append(&mut self.rows);
                self.rows = rows;
                self.newer = page.next;
                self.cursor += n;
            }
        }
    }

    fn act(&mut self, action: Action, tz: chrono_tz::Tz, export_dir: &std::path::Path) -> Vec<Cmd> {
        match action {
            Action::DetailDown => self.pane.down(),
            Action::DetailUp => self.pane.up(),
            Action::Open => {
                self.detail = !self.detail;
                return Vec::new();
            }
            Action::Top => return vec![self.request(Load::Newest, From::Newest)],
            Action::Bottom => return vec![self.request(Load::Oldest, From::Oldest)],
            Action::AuditFilter => return vec![self.filter_form(tz)],
            Action::ClearFilter => {
                self.filter = AuditFilter::default();
                return vec![self.request(Load::Newest, From::Newest)];
            }
            Action::VerifyChain => {
                if self.verifying {
                    return vec![Cmd::Toast("still verifying; a moment".into())];
                }
                self.verifying = true;
                return vec![Cmd::Send(Lane::Write(0), Request::Audit(AuditRequest::VerifyAudit))];
            }
            Action::ExportAudit => {
                return vec![Cmd::Send(
                    Lane::Write(1),
                    Request::Audit(AuditRequest::ExportAudit {
                        filter: Box::new(self.filter.clone()),
                        dir: export_dir.to_path_buf(),
                    }),
                )];
            }
            Action::History => {
                let Some(r) = self.rows.get(self.cursor) else { return Vec::new() };
                let Some(id) = r.entity_id else {
                    return vec![Cmd::Toast("this row is about no single record".into())];
                };
                self.filter = AuditFilter {
                    entity_type: Some(r.entity_type.clone()),
                    entity_id: Some(id),
                    ..AuditFilter::default()
                };
                return vec![self.request(Load::Newest, From::Newest)];
            }
            _ => {}
        }
        if action == Action::Up
            && self.cursor == 0
            && self.loading.is_none()
            && let (Some(after), Some(_)) = (self.newer, self.rows.first())
        {
            return vec![self.request(Load::Newer, From::After(after))];
        }
        if let Some(c) = move_cursor(self.cursor, self.rows.len(), action, 20) {
            self.cursor = c;
        }
        // Fetch the next page before the cursor reaches the end.
        if let Some(before) = self.next.filter(|_| self.cursor + 20 >= self.rows.len() && self.loading.is_none()) {
            return vec![self.request(Load::Older, From::Before(before))];
        }
        Vec::new()
    }

    fn filter_form(&self, tz: chrono_tz::Tz) -> Cmd {
        let f = &self.filter;
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
            t.map_or(String::new(), |t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
        };
        let form = Form::new(
            "Filter the audit trail (empty fields filter nothing)",
            "filter",
            vec![
                Field::line("actor", "who", 200, false).hint("an email, or part of a name").with(&opt(&f.actor)),
                Field::line("action", "action", 60, false)
                    .hint("create, update, publish, mark_attendance, login…")
                    .with(&opt(&f.action)),
                Field::line("entity_type", "entity", 60, false)
                    .hint("lead, post, session, user…")
                    .with(&opt(&f.entity_type)),
                Field::number("entity_id", "entity id", 1, i64::MAX)
                    .with(&f.entity_id.map_or(String::new(), |i| i.to_string())),
                Field::line("since", "since", 40, false)
                    .hint("2026-11-01 or 2026-11-01 09:00, in the office's zone")
                    .with(&when(f.since)),
                Field::line("until", "until", 40, false).hint("before this day or time").with(&when(f.until)),
                Field::line("text", "text", 200, false).hint("part of the summary").with(&opt(&f.text)),
            ],
        );
        Cmd::Popup(Box::new(Popup::Form(Box::new(form))))
    }

    fn take_filter(&mut self, v: &Values, cx: &Cx) -> Result<(), (&'static str, String)> {
        let some = |k: &str| Some(v.text(k).trim().to_string()).filter(|t| !t.is_empty());
        let instant =
            |k: &'static str, end: bool| -> Result<Option<chrono::DateTime<chrono::Utc>>, (&'static str, String)> {
                let Some(t) = some(k) else { return Ok(None) };
                crate::domain::time::parse_bound(&t, end, cx.today, cx.tz).map(Some).map_err(|why| (k, why))
            };
        let filter = AuditFilter {
            actor: some("actor"),
            action: some("action"),
            entity_type: some("entity_type"),
            entity_id: match v.get("entity_id") {
                Some(Value::Number(n)) => *n,
                _ => None,
            },
            since: instant("since", false)?,
            until: instant("until", true)?,
            text: some("text"),
        };
        if let (Some(s), Some(u)) = (filter.since, filter.until)
            && u <= s
        {
            return Err(("until", "is not after since".into()));
        }
        self.filter = filter;
        Ok(())
    }

    fn name(&self, id: Option<i64>) -> String {
        match id {
            None => "system".into(),
            Some(id) => self.names.iter().find(|(i, _)| *i == id).map_or(format!("user #{id}"), |(_, n)| n.clone()),
        }
    }

    /// The changed fields of `row`: short values as old → new, long or multi-line
    /// ones as a line diff.
    fn changes(row: &AuditRow, theme: &Theme) -> Vec<Line<'static>> {
        let parse = |v: &Option<String>| -> serde_json::Map<String, serde_json::Value> {
            v.as_deref()
                .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
                .and_then(|v| v.as_object().cloned())
                .unwrap_or_default()
        };
        let (old, new) = (parse(&row.old_values), parse(&row.new_values));
        let mut keys: Vec<&String> = old.keys().chain(new.keys()).filter(|k| k.as_str() != "id").collect();
        keys.sort();
        keys.dedup();
        let show = |v: Option<&serde_json::Value>| match v {
            None | Some(serde_json::Value::Null) => "—".to_string(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
        let mut lines = Vec::new();
        for k in keys {
            let (o, n) = (show(old.get(k)), show(new.get(k)));
            if o.contains('\n') || n.contains('\n') || o.chars().count() + n.chars().count() > 60 {
                lines.push(Line::styled(format!("{}:", text::inert(k)), theme.key));
                for l in crate::ui::diff::lines(&o, &n) {
                    let style = match l.as_bytes().first() {
                        Some(b'+') => theme.ok,
                        Some(b'-') => theme.alert,
                        _ => theme.dim,
                    };
                    lines.push(Line::styled(format!("  {}", text::inert(&l)), style));
                }
            } else {
                lines.push(Line::from(vec![
                    Span::styled(format!("{}: ", text::inert(k)), theme.key),
                    Span::styled(text::inert(&o), theme.alert),
                    Span::styled(" → ", theme.dim),
                    Span::styled(text::inert(&n), theme.ok),
                ]));
            }
        }
        lines
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, theme: &Theme, tz: chrono_tz::Tz) {
        // The header names the whole filter, wrapped over up to three lines rather
        // than cut; the key reminders follow when they fit on its last line.
        let filter = if self.filter.is_empty() { "everything".to_string() } else { self.filter.describe(tz) };
        let mut said = format!("showing {filter}");
        if self.verifying {
            said.push_str(&format!("  · verifying the chain {}", progress_bar(self.progress)));
        }
        let width = usize::from(area.width);
        let mut head_lines: Vec<Line> =
            text::wrap(&said, width, 3).into_iter().map(|l| Line::styled(l, theme.title)).collect();
        let keys = "  · f filter · F clear · H history · g/G newest/oldest";
        if let Some(last) = head_lines.last_mut()
            && !self.verifying
            && last.width() + text::width(keys) <= width
        {
            last.spans.push(Span::styled(keys, theme.dim));
        }
        let [head, area] =
            Layout::vertical([Constraint::Length(head_lines.len() as u16), Constraint::Fill(1)]).areas(area);
        f.render_widget(Paragraph::new(head_lines), head);
        if let Some(why) = &self.refused {
            f.render_widget(Paragraph::new(text::inert(why)).style(theme.dim), area);
            return;
        }
        if !self.loaded {
            f.render_widget(Paragraph::new("Loading…").style(theme.dim), area);
            return;
        }
        let (list_area, detail_area) = if self.detail && area.height > 12 {
            let [a, b] = Layout::vertical([Constraint::Percentage(45), Constraint::Fill(1)]).areas(area);
            (a, Some(b))
        } else {
            (area, None)
        };
        let height = usize::from(list_area.height);
        let start = self.cursor.saturating_sub(height.saturating_sub(1));
        let width = usize::from(list_area.width);
        let mut lines: Vec<Line> = self
            .rows
            .iter()
            .enumerate()
            .skip(start)
            .take(height)
            .map(|(i, r)| {
                let head = format!(
                    "{:>8} {} {} {:<14} ",
                    r.id,
                    crate::domain::time::stamp(r.created_at, tz),
                    text::pad(&self.name(r.actor_id), 14),
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
        if self.rows.is_empty() {
            lines.push(Line::styled("no audit row matches", theme.dim));
        }
        f.render_widget(Paragraph::new(lines), list_area);
        if let (Some(rect), Some(row)) = (detail_area, self.rows.get(self.cursor)) {
            let title = format!(
                " #{} {} {} ",
                row.id,
                text::inert(&row.entity_type),
                row.entity_id.map_or(String::new(), |i| format!("#{i}"))
            );
            let block = Block::bordered().title(Span::styled(title, theme.title));
            let mut body = vec![
                Line::from(format!(
                    "{} · {} · from {} with {}",
                    crate::domain::time::stamp(row.created_at, tz),
                    text::inert(&self.name(row.actor_id)),
                    text::inert(&row.remote),
                    text::inert(&row.client)
                )),
                Line::from(text::inert(&row.summary)),
            ];
            body.extend(Self::changes(row, theme));
            body.push(Line::styled(format!("hash {}…", &row.hash.get(..16).unwrap_or("")), theme.dim));
            self.pane.follow(row.id);
            crate::ui::widgets::detail::render_scrolled(f, rect, body, block, &self.pane, theme);
        }
    }
}

impl Component for AuditScreen {
    fn title(&self) -> String {
        "Audit trail".into()
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Audit, Context::Detail, Context::List]
    }

    fn offers(&self) -> &'static [Offer] {
        const C: &[Offer] = &[
            Offer::hint(Action::Open, None),
            Offer::hint(Action::AuditFilter, None),
            Offer::hint(Action::History, None),
            Offer::key(Action::ClearFilter, None),
            Offer::key(Action::VerifyChain, Some(super::Permission::ManageSettings)),
            Offer::key(Action::ExportAudit, Some(super::Permission::ExportData)),
            Offer::key(Action::Top, None),
            Offer::hint(Action::Bottom, None),
        ];
        C
    }

    fn reload(&mut self, _cx: &Cx) -> Vec<Cmd> {
        // Browsing older rows after `G`: a change elsewhere does not pull the list
        // back to the newest.
        if self.newer.is_some() {
            return Vec::new();
        }
        vec![self.request(Load::Reload, From::Newest)]
    }

    fn on_back(&mut self) -> bool {
        // Esc closes the open detail first; the next one leaves the screen.
        std::mem::take(&mut self.detail)
    }

    fn on_action(&mut self, action: Action, cx: &Cx) -> Vec<Cmd> {
        self.act(action, cx.tz, &cx.settings.export_dir)
    }

    fn on_call(&mut self, call: Call, cx: &Cx) -> Vec<Cmd> {
        let Call::Submit { tag: "filter", values } = call else { return Vec::new() };
        match self.take_filter(&values, cx) {
            Ok(()) => vec![Cmd::CloseDialogs, self.request(Load::Newest, From::Newest)],
            Err((field, why)) => vec![Cmd::FieldError { field: Some(field), why }],
        }
    }

    fn on_reply(&mut self, _lane: Lane, reply: Reply, _cx: &Cx) -> Vec<Cmd> {
        match reply {
            Reply::Audit(AuditReply::AuditPage { page, names }) => self.on_page(page, names),
            Reply::Progress { done, total } => self.progress = Some((done, total)),
            Reply::Audit(AuditReply::AuditVerified(v)) => {
                self.verifying = false;
                self.progress = None;
                let (title, lines) = match v {
                    staffroom_core::protocol::audit::Verdict::Intact { rows } => (
                        "The audit chain is intact".to_string(),
                        vec![format!("{rows} rows verified; the chain ends at its head.")],
                    ),
                    staffroom_core::protocol::audit::Verdict::Broken { id, why } => {
                        ("The audit chain is BROKEN".to_string(), vec![format!("at row #{id}: {why}")])
                    }
                };
                return vec![Cmd::Popup(Box::new(Popup::Text { title, lines, scroll: 0, on_yes: None, diff: false }))];
            }
            Reply::RecordSaved(said) => return vec![Cmd::Toast(text::inert(&said))],
            _ => {}
        }
        Vec::new()
    }

    fn on_error(&mut self, lane: Lane, e: &StoreError, _cx: &Cx) -> Vec<Cmd> {
        if lane == Lane::Write(0) {
            self.verifying = false;
        }
        self.loading = None;
        self.loaded = true;
        if let StoreError::Refused { reason } = e {
            self.refused = Some(reason.clone());
        }
        Vec::new()
    }

    fn view(&self, f: &mut Frame, area: Rect, vx: &Vx) {
        self.draw(f, area, vx.theme, vx.tz)
    }
}

/// `▕██████░░░░▏ 61% (612000 of 1000000)` — or just `…` before the first report.
fn progress_bar(progress: Option<(u64, u64)>) -> String {
    let Some((done, total)) = progress.filter(|(_, t)| *t > 0) else { return "…".to_string() };
    let done = done.min(total);
    let filled = (done * 10 / total) as usize;
    format!("▕{}{}▏ {}% ({} of {})", "█".repeat(filled), "░".repeat(10 - filled), done * 100 / total, done, total)
}
