//! The generic record screen: a declaration (columns, status tabs, what each key
//! does, how a form becomes a request) drives a keyset-paged list with tab counts,
//! `/` search as you type, a detail pane, forms and actions. A simple area is one
//! declaration here plus its store module and backend handler.

// The record screens: a module each, registered by its line in `DECLS`.
pub mod case_studies;
pub mod events;
pub mod help_requests;
pub mod packages;
pub mod posts;
pub mod programs;
pub mod projects;
pub mod testimonials;
pub mod users;

/// Every record screen's declaration: a new simple area adds its line here.
pub static DECLS: &[&Decl] = &[
    &case_studies::DECL,
    &events::DECL,
    &help_requests::DECL,
    &packages::DECL,
    &posts::DECL,
    &programs::DECL,
    &projects::DECL,
    &testimonials::DECL,
    &users::DECL,
];

/// The declaration opened by this palette name.
pub fn decl(name: &str) -> Option<&'static Decl> {
    DECLS.iter().copied().find(|d| d.name == name)
}

use super::cmd::{Call, Cmd, Lane};
use super::keymap::{Action, Context};
use super::screens::{Component, Cx, Offer, Vx, move_cursor};
use super::widgets::form::{Form, Values};
mod pointer;

use super::widgets::{detail, list, tabs};
use crate::backend::ModerationReply;
use crate::backend::records::{Cursor, Record};
use crate::backend::{Reply, Request};
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use staffroom_core::protocol::StoreError;

/// What a key does on a record.
pub enum Act {
    /// Send this request (a status move, a reorder).
    Send(Request),
    /// Open this form; its values come back to `Decl::submit` with its tag.
    Form(Form),
    /// Ask first ("withdraw Code Review?"), then send.
    Confirm(String, Request),
    Toast(String),
    /// Anything else the app does (open the editor on a post).
    Cmds(Vec<Cmd>),
}

/// A form's values refused before sending: the field at fault and why.
pub type Refusal = (Option<&'static str>, String);

/// One simple area, declared.
pub struct Decl {
    /// The palette name (`:help-requests`); its screen is `ScreenId::Record(name)`.
    pub name: &'static str,
    pub title: &'static str,
    /// One line for the palette.
    pub describe: &'static str,
    /// The permission needed to open it (the backend checks it again).
    pub requires: Option<crate::domain::permissions::Action>,
    pub contexts: &'static [Context],
    pub offers: &'static [Offer],
    /// Column headers and widths (0: takes the room left).
    pub columns: &'static [(&'static str, u16)],
    /// The status tabs after "all", by stored text.
    pub tabs: &'static [&'static str],
    /// The request for a page: tab (a status text), search, where to continue.
    pub load: fn(Option<&'static str>, Option<String>, Option<Cursor>) -> Request,
    /// What an action does on the selected record (`None` when the list is empty).
    pub act: fn(Action, Option<&Record>) -> Option<Act>,
    /// A form's checked values → the request that saves them.
    pub submit: fn(&'static str, Option<&Record>, &Values) -> Result<Request, Refusal>,
    /// The audit trail's entity type of its records (`H` opens a record's history).
    pub entity: &'static str,
    /// A reply of the area's own (a post's revisions); `no_reply` when none.
    pub reply: fn(Reply, Option<&Record>, &Cx) -> Vec<Cmd>,
}

/// A simple area's operation (`store/areas/`) on the selected record with a form's
/// values as text: numbers and money as digits (minor units), days `YYYY-MM-DD`.
pub fn area_call(area: &'static str, op: &'static str, r: Option<&Record>, v: &Values) -> Request {
    use super::widgets::form::Value;
    use staffroom_core::protocol::areas::FieldValue;
    // Typed as the form checked them: a number stays a number, a day a day.
    let fields =
        v.0.iter()
            .map(|(k, value)| {
                let typed = match value {
                    Value::Text(t) | Value::Choice(t) => FieldValue::Text(t.clone()),
                    Value::Number(n) | Value::Money(n) => FieldValue::Number(*n),
                    Value::Date(d) => FieldValue::Date(*d),
                };
                (*k, typed)
            })
            .collect();
    let args =
        staffroom_core::protocol::areas::Args { record: r.map(|r| (r.id, r.version)), fields, ..Default::default() };
    Request::Area { area, op, args: Box::new(args) }
}

/// A simple area's forms: "new" saves without a record, "edit" saves the selected
/// one, "move" moves it (`move_form`); `what` names the record when it has left the
/// list meanwhile.
pub fn area_submit(
    area: &'static str,
    what: &str,
    tag: &'static str,
    r: Option<&Record>,
    v: &Values,
) -> Result<Request, Refusal> {
    match (tag, r) {
        ("new", _) => Ok(area_call(area, "save", None, v)),
        (_, None) => Err((None, format!("{what} is no longer in the list"))),
        ("edit", r) => Ok(area_call(area, "save", r, v)),
        ("move", r) => Ok(area_call(area, "move", r, v)),
        (other, _) => Err((None, format!("no form {other}"))),
    }
}

/// The form of a status move to one of `allowed` (the domain's moves from `now`),
/// or why there is none.
pub fn move_form(title: &str, now: &str, allowed: Vec<&'static str>) -> Act {
    if allowed.is_empty() {
        return Act::Toast(format!("{title} is {now}: it moves no further"));
    }
    let to = super::widgets::form::Field::choice("to", "to", allowed);
    Act::Form(Form::new(format!("Move {title} ({now}) to"), "move", vec![to]))
}

/// A simple area's page: its `list` operation.
pub fn area_list(
    area: &'static str,
    tab: Option<&'static str>,
    search: Option<String>,
    after: Option<Cursor>,
) -> Request {
    let args = staffroom_core::protocol::areas::Args { tab, search, after, limit: 100, ..Default::default() };
    Request::Area { area, op: "list", args: Box::new(args) }
}

/// For a declaration whose replies are all the generic ones.
pub fn no_reply(_: Reply, _: Option<&Record>, _: &Cx) -> Vec<Cmd> {
    Vec::new()
}

#[derive(Clone)]
pub struct RecordScreen {
    pub decl: &'static Decl,
    /// 0: all; then `decl.tabs`.
    pub tab: usize,
    pub counts: Vec<(String, i64)>,
    pub rows: Vec<Record>,
    pub next: Option<Cursor>,
    pub cursor: usize,
    pub loaded: bool,
    loading_more: bool,
    pub search: String,
    /// While `/` is typed: the search before typing began.
    typing: Option<String>,
    /// The record a form was opened on and the version it saves over: the one
    /// it was opened at (a reload meanwhile never moves it, so someone else's
    /// save is a conflict, not silently overwritten), then, after a conflict,
    /// theirs once reloaded and shown (the next save goes over it knowingly).
    editing: Option<(i64, i64)>,
    /// A conflict was named: the next page read gives `editing` their version.
    adopt: bool,
    /// The detail pane's scroll (it follows the selected record).
    pane: detail::Scroll,
    /// The sort in force (`None`: the list's own order), as the last page said.
    sort: Option<staffroom_core::protocol::page::Sort>,
    /// The columns the list may be sorted by (`o` cycles them).
    sortable: Vec<&'static str>,
    /// `o`/`O` was pressed: the next load saves the sort as the user's.
    sort_chosen: bool,
    /// Where the last frame drew the tabs, the rows and the detail (for the mouse).
    drawn: std::cell::Cell<pointer::Drawn>,
}

impl std::fmt::Debug for RecordScreen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordScreen").field("area", &self.decl.title).field("rows", &self.rows.len()).finish()
    }
}

impl RecordScreen {
    pub fn new(decl: &'static Decl) -> RecordScreen {
        RecordScreen {
            decl,
            tab: 0,
            counts: Vec::new(),
            rows: Vec::new(),
            next: None,
            cursor: 0,
            loaded: false,
            loading_more: false,
            search: String::new(),
            typing: None,
            editing: None,
            adopt: false,
            pane: detail::Scroll::default(),
            sort: None,
            sortable: Vec::new(),
            sort_chosen: false,
            drawn: std::cell::Cell::default(),
        }
    }

    pub fn selected(&self) -> Option<&Record> {
        self.rows.get(self.cursor)
    }

    fn status(&self) -> Option<&'static str> {
        self.tab.checked_sub(1).and_then(|i| self.decl.tabs.get(i).copied())
    }

    fn query(&self, after: Option<Cursor>) -> Request {
        let search = Some(self.search.trim().to_string()).filter(|s| !s.is_empty());
        let mut request = (self.decl.load)(self.status(), search, after);
        // A simple area's list carries the sort (posts and users keep their order).
        if let Request::Area { args, .. } = &mut request {
            args.sort = self.sort.clone();
            args.sort_chosen = self.sort_chosen;
        }
        request
    }

    fn load(&mut self) -> Vec<Cmd> {
        let cmds = vec![Cmd::Send(Lane::Load, self.query(None))];
        self.sort_chosen = false;
        cmds
    }

    /// `o`: the next column to sort by, then the list's own order again; `O`: the
    /// other way. The list reloads from its top, and the sort is kept as the user's.
    fn sort_by(&mut self, action: Action) -> Vec<Cmd> {
        use staffroom_core::protocol::page::Sort;
        if self.sortable.is_empty() {
            return vec![Cmd::Toast("this list keeps its own order".into())];
        }
        self.sort = match (action, self.sort.take()) {
            (Action::SortDirection, Some(s)) => Some(Sort { descending: !s.descending, ..s }),
            (Action::SortDirection, None) => return vec![Cmd::Toast("o picks a column to sort by first".into())],
            (_, None) => Some(Sort { column: self.sortable[0].to_string(), descending: false }),
            (_, Some(s)) => {
                let at = self.sortable.iter().position(|c| *c == s.column);
                at.and_then(|i| self.sortable.get(i + 1)).map(|c| Sort { column: c.to_string(), descending: false })
            }
        };
        self.sort_chosen = true;
        self.cursor = 0;
        self.loaded = false;
        self.load()
    }

    fn on_page(&mut self, page: crate::backend::records::RecordPage) {
        if let Some(c) = page.counts {
            self.counts = c;
        }
        self.sortable = page.sortable;
        if !page.more {
            self.sort = page.sorted;
        }
        if page.more {
            let known: Vec<i64> = self.rows.iter().map(|r| r.id).collect();
            self.rows.extend(page.rows.into_iter().filter(|r| !known.contains(&r.id)));
        } else {
            let keep = self.selected().map(|r| r.id);
            self.rows = page.rows;
            self.cursor = keep.and_then(|id| self.rows.iter().position(|r| r.id == id)).unwrap_or(self.cursor);
            self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
        }
        self.next = page.next;
        self.loaded = true;
        self.loading_more = false;
        if let Some((id, version)) = &mut self.editing
            && self.adopt
            && let Some(theirs) = self.rows.iter().find(|r| r.id == *id)
        {
            *version = theirs.version;
            self.adopt = false;
        }
    }

    /// The record a form saves: the one it was opened on, at the version it
    /// saves over (`None`: it has left the list).
    fn edited(&self) -> Option<Record> {
        let Some((id, version)) = self.editing else { return self.selected().cloned() };
        let mut r = self.rows.iter().find(|r| r.id == id)?.clone();
        r.version = version;
        Some(r)
    }

    fn run(&mut self, act: Act) -> Vec<Cmd> {
        use crate::ui::app::Popup;
        match act {
            Act::Send(req) => vec![Cmd::Send(Lane::Dialog, req)],
            Act::Form(form) => {
                self.editing = self.selected().map(|r| (r.id, r.version));
                self.adopt = false;
                vec![Cmd::Popup(Box::new(Popup::Form(Box::new(form))))]
            }
            Act::Confirm(question, req) => {
                vec![Cmd::Popup(Box::new(Popup::Confirm { question, on_yes: vec![Cmd::Send(Lane::Dialog, req)] }))]
            }
            Act::Toast(t) => vec![Cmd::Toast(t)],
            Act::Cmds(cmds) => cmds,
        }
    }

    fn text_key(&mut self, key: crossterm::event::KeyEvent) -> Vec<Cmd> {
        use crossterm::event::{KeyCode, KeyModifiers};
        let Some(before) = &self.typing else { return Vec::new() };
        match key.code {
            KeyCode::Esc => {
                self.search = before.clone();
                self.typing = None;
            }
            KeyCode::Enter => self.typing = None,
            KeyCode::Backspace => {
                self.search.pop();
            }
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => self.search.clear(),
            KeyCode::Char(c)
                if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                    && self.search.chars().count() < 100 =>
            {
                self.search.push(c)
            }
            _ => return Vec::new(),
        }
        self.cursor = 0;
        self.load()
    }

    fn draw(&self, f: &mut Frame, area: Rect, vx: &Vx) {
        let theme = vx.theme;
        let [top, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        let items = self.tab_items();
        f.render_widget(tabs::tabs(&items, self.tab, top.width, theme), top);
        if !self.loaded {
            f.render_widget(Paragraph::new("Loading…").style(theme.dim), body);
            return;
        }
        let [left, right] = Layout::horizontal([Constraint::Percentage(55), Constraint::Fill(1)]).areas(body);
        let [head, rows_area] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(left);
        let widths = self.widths(usize::from(left.width));
        let header: String =
            self.decl.columns.iter().zip(&widths).map(|((h, _), w)| text::pad(h, *w)).collect::<Vec<_>>().join(" ");
        f.render_widget(Line::styled(text::fit(&header, usize::from(left.width)), theme.dim), head);
        let height = usize::from(rows_area.height);
        let start = list::window_start(self.cursor, height);
        self.drawn.set(pointer::Drawn { tabs: top, rows: rows_area, start, detail: right });
        let mut lines = Vec::new();
        for (i, r) in self.rows.iter().enumerate().skip(start).take(height) {
            let line: String = r.cells.iter().zip(&widths).map(|(c, w)| text::pad(c, *w)).collect::<Vec<_>>().join(" ");
            let style = if i == self.cursor { theme.selected } else { theme.base };
            lines.push(Line::styled(text::fit(&line, usize::from(left.width)), style));
        }
        if self.rows.is_empty() {
            let empty = if self.search.is_empty() { "nothing here" } else { "nothing matches the search" };
            lines.push(Line::styled(empty, theme.dim));
        }
        f.render_widget(Paragraph::new(lines), rows_area);
        let Some(r) = self.selected() else { return };
        let mut d = detail::Detail::new().title(r.cells.get(1).map_or("", |s| s.as_str()), theme).blank();
        for (label, value) in &r.detail {
            d = if value.contains('\n') || value.chars().count() > 40 {
                d.text(label, value, theme).blank()
            } else {
                d.row(label, value, theme)
            };
        }
        self.pane.follow(r.id);
        d.render(f, right, &self.pane, false, theme);
    }

    /// The tabs with their counts, as drawn. A store whose tabs overlap (posts'
    /// "scheduled" are approved ones) says the total itself, as "all".
    fn tab_items(&self) -> Vec<(String, i64)> {
        let total: i64 = match self.counts.iter().find(|(s, _)| s == "all") {
            Some((_, n)) => *n,
            None => self.counts.iter().map(|(_, n)| n).sum(),
        };
        let mut items = vec![("all".to_string(), total)];
        for t in self.decl.tabs {
            let n = self.counts.iter().find(|(s, _)| s == t).map_or(0, |(_, n)| *n);
            items.push((t.replace('_', " "), n));
        }
        items
    }

    /// Column widths for a list `width` cells wide.
    fn widths(&self, width: usize) -> Vec<usize> {
        column_widths(self.decl.columns, width)
    }
}

/// The widest text a filling column (a subject, a title) keeps however narrow the
/// list: the other columns give up cells first, widest first, down to 5 each.
const FILL_MIN: usize = 14;

/// Widths of `columns` (0: fills what is left) in a list `width` cells wide.
fn column_widths(columns: &[(&str, u16)], width: usize) -> Vec<usize> {
    let mut ws: Vec<usize> = columns.iter().map(|(_, w)| usize::from(*w)).collect();
    let fixed = |ws: &[usize]| ws.iter().sum::<usize>() + ws.len();
    let has_fill = columns.iter().any(|(_, w)| *w == 0);
    while has_fill && fixed(&ws) + FILL_MIN > width {
        let Some((i, _)) = ws.iter().enumerate().filter(|(_, w)| **w > 5).max_by_key(|(_, w)| **w) else { break };
        ws[i] -= 1;
    }
    let fill = width.saturating_sub(fixed(&ws)).max(4);
    ws.iter().map(|w| if *w == 0 { fill } else { *w }).collect()
}

#[cfg(test)]
mod width_tests {
    #[test]
    fn the_filling_column_keeps_room_at_80_columns() {
        // The help requests' list at 80x24 is 44 cells wide: the subject had 6.
        let cols = [("day", 5), ("from", 18), ("subject", 0), ("status", 11)];
        let ws = super::column_widths(&cols, 44);
        assert!(ws[2] >= super::FILL_MIN, "{ws:?}");
        assert!(ws.iter().sum::<usize>() + ws.len() - 1 <= 44, "{ws:?}");
        assert_eq!(ws[0], 5, "narrow columns stay");
        // Wide enough: as declared.
        assert_eq!(super::column_widths(&cols, 120), vec![5, 18, 82, 11]);
    }
}

impl Component for RecordScreen {
    fn title(&self) -> String {
        match &self.sort {
            Some(s) => format!("{} · by {} {}", self.decl.title, s.column, if s.descending { "↓" } else { "↑" }),
            None => self.decl.title.to_string(),
        }
    }

    fn contexts(&self) -> &'static [Context] {
        self.decl.contexts
    }

    fn offers(&self) -> &'static [Offer] {
        self.decl.offers
    }

    fn reload(&mut self, _cx: &Cx) -> Vec<Cmd> {
        self.load()
    }

    fn on_action(&mut self, action: Action, _cx: &Cx) -> Vec<Cmd> {
        match action {
            Action::Sort | Action::SortDirection => return self.sort_by(action),
            Action::DetailDown => self.pane.down(),
            Action::DetailUp => self.pane.up(),
            Action::NextPane | Action::PrevPane => {
                let n = self.decl.tabs.len() + 1;
                self.tab = if action == Action::NextPane { (self.tab + 1) % n } else { (self.tab + n - 1) % n };
                self.cursor = 0;
                self.loaded = false;
                return self.load();
            }
            Action::Filter => {
                self.typing = Some(self.search.clone());
                return Vec::new();
            }
            // The selected record's whole history, in the audit viewer.
            Action::History => {
                let Some(r) = self.selected() else { return Vec::new() };
                let audit = super::screens::audit::AuditScreen::of_entity(self.decl.entity, r.id);
                return vec![Cmd::Push(Box::new(super::screens::Screen::Audit(audit)))];
            }
            _ => {}
        }
        if let Some(act) = (self.decl.act)(action, self.selected()) {
            return self.run(act);
        }
        if let Some(c) = move_cursor(self.cursor, self.rows.len(), action, 10) {
            self.cursor = c;
        }
        match list::wants_more(self.cursor, self.rows.len(), self.next.as_ref(), self.loading_more, 10) {
            Some(after) => {
                self.loading_more = true;
                vec![Cmd::Send(Lane::More(0), self.query(Some(after)))]
            }
            None => Vec::new(),
        }
    }

    fn on_reply(&mut self, _lane: Lane, reply: Reply, cx: &Cx) -> Vec<Cmd> {
        match reply {
            Reply::Records(page) => {
                self.on_page(*page);
                Vec::new()
            }
            Reply::RecordSaved(what) => vec![Cmd::CloseDialogs, Cmd::Toast(text::inert(&what)), Cmd::Reload],
            // A moderation decision taken from a record screen (a testimonial's a/r).
            Reply::Moderation(ModerationReply::Decided { done, refused }) => {
                super::screens::moderation::decided(&done, &refused)
            }
            other => (self.decl.reply)(other, self.selected(), cx),
        }
    }

    fn on_error(&mut self, lane: Lane, e: &StoreError, _cx: &Cx) -> Vec<Cmd> {
        self.loaded = true;
        self.loading_more = false;
        // Someone else changed the record: show their version (the form keeps
        // what was typed, and its next save goes over theirs).
        if lane != Lane::Load && matches!(e, StoreError::Conflict { .. }) {
            self.adopt = lane == Lane::Dialog;
            vec![Cmd::Reload]
        } else {
            Vec::new()
        }
    }

    fn on_call(&mut self, call: Call, _cx: &Cx) -> Vec<Cmd> {
        let Call::Submit { tag, values } = call else { return Vec::new() };
        match (self.decl.submit)(tag, self.edited().as_ref(), &values) {
            Ok(req) => vec![Cmd::Send(Lane::Dialog, req)],
            Err((field, why)) => vec![Cmd::FieldError { field, why }],
        }
    }

    fn view(&self, f: &mut Frame, area: Rect, vx: &Vx) {
        self.draw(f, area, vx)
    }

    fn on_pointer(&mut self, pointer: crate::ui::mouse::Pointer) -> Vec<Action> {
        self.pointed(pointer)
    }

    fn captures_text(&self) -> bool {
        self.typing.is_some()
    }

    fn on_text_key(&mut self, key: crossterm::event::KeyEvent, _cx: &Cx) -> Vec<Cmd> {
        self.text_key(key)
    }

    fn subtitle(&self) -> Option<String> {
        match &self.typing {
            Some(_) => Some(format!("/{}▏", self.search)),
            None => (!self.search.is_empty()).then(|| format!("search: {}", self.search)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declaration_is_reachable_and_its_keys_are_in_the_default_config() {
        for d in DECLS {
            assert_eq!(decl(d.name).map(|x| x.title), Some(d.title), "{} opens by its name", d.name);
            for c in d.contexts {
                assert!(Context::all().contains(c), "{}: [keys.{}] is not in config/default.toml", d.name, c.name());
            }
        }
        assert!(DECLS.len() >= 7, "every record screen is registered");
    }
}
