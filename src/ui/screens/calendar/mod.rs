//! The cohort calendar (`:calendar`): sessions and events by month (a grid of six
//! weeks, a few lines per day, today marked), week (one column per day, the day's
//! sessions as blocks with time, cohort and room), or agenda (a list from the
//! selected day that loads on as you scroll). `m` `w` `a` switch, `t` today, `[`
//! `]` the previous/next month or week, `g` a typed date. A session in a clash
//! (same cohort, or a shared instructor, at an overlapping time) is marked `!` and
//! the footer names the other one. Enter on a session opens its roll call.
//! Everything is in `display.time_zone`; an instructor sees their own cohorts.
//!
//! Planning (instructors of the cohort, admins): `n` a session or a weekly series
//! (`session_form`), `e` edit, `H`/`L` a day earlier/later (shown at once; presses
//! made while one is saving are added up and sent after it), `x` cancel, `i` the
//! cohort's `.ics` file. A clash asks before saving, naming the other session.

mod draw;

use super::{Component, Cx, Offer, Screen, Vx};
use crate::backend::{CalendarReply, CalendarRequest};
use crate::backend::{Reply, Request};
use crate::domain::permissions::Action as Permission;
use crate::text;
use crate::ui::cmd::{Cmd, Lane};
use crate::ui::keymap::{Action, Context};
use chrono::{Datelike, Duration, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use staffroom_core::protocol::StoreError;
use staffroom_core::protocol::attendance::GridOf;
use staffroom_core::protocol::calendar::Session;
use staffroom_core::protocol::calendar::{CalendarFilter, Entry, Kind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Month,
    Week,
    Agenda,
}

/// Days an agenda load covers; scrolling near the end loads the next as many.
const AGENDA_DAYS: i64 = 31;

#[derive(Debug, Clone, Default)]
pub struct CalendarScreen {
    pub view: View,
    /// The selected day (`None` until the first tick's today is known).
    pub day: Option<NaiveDate>,
    /// The selected entry among the day's (month, week) or the list's (agenda).
    pub pick: usize,
    /// The loaded range and what is in it.
    pub range: Option<(NaiveDate, NaiveDate)>,
    pub entries: Vec<Entry>,
    pub loaded: bool,
    /// `g`: the date being typed, and why the last one was refused.
    typing: Option<String>,
    refused: Option<String>,
    loading_more: bool,
    /// The session the edit form was opened on (its version guards the save).
    editing: Option<Session>,
    /// A move (`H`/`L`) is being saved for this session; `queued` days more wait.
    shifting: Option<i64>,
    queued: i64,
    /// The session last moved: each reload selects it wherever it is (after a
    /// refusal it is back where it was) until the user moves the cursor.
    follow: Option<i64>,
    /// What is shown (`f`), its words, and the choices last offered.
    filter: CalendarFilter,
    filter_label: Option<String>,
    choices: Vec<(CalendarFilter, String)>,
}

fn monday(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

impl CalendarScreen {
    /// A calendar already showing `entries` of `range` (benches, snapshots).
    pub fn showing(view: View, day: NaiveDate, range: (NaiveDate, NaiveDate), entries: Vec<Entry>) -> CalendarScreen {
        CalendarScreen { view, day: Some(day), range: Some(range), entries, loaded: true, ..CalendarScreen::default() }
    }

    /// The range a view of `day` needs.
    fn wanted(&self, day: NaiveDate) -> (NaiveDate, NaiveDate) {
        match self.view {
            View::Month => {
                let first = monday(day.with_day(1).unwrap_or(day));
                (first, first + Duration::days(41))
            }
            View::Week => (monday(day), monday(day) + Duration::days(6)),
            View::Agenda => (day, day + Duration::days(AGENDA_DAYS - 1)),
        }
    }

    fn load(&mut self, day: NaiveDate) -> Vec<Cmd> {
        let (from, to) = self.wanted(day);
        vec![Cmd::Send(Lane::Load, Request::Calendar(CalendarRequest::Calendar { from, to, filter: self.filter }))]
    }

    /// Moves to `day`, loading when the view's range is not the loaded one. The
    /// office's range of days (`domain::dates`) holds the calendar: `]` at its end
    /// stays there.
    fn go(&mut self, day: NaiveDate) -> Vec<Cmd> {
        let day = crate::domain::dates::clamp(day);
        let changed = self.day != Some(day);
        self.day = Some(day);
        if changed && self.view != View::Agenda {
            self.pick = 0;
        }
        let (from, to) = self.wanted(day);
        match self.range {
            Some((f, t)) if f <= from && to <= t && self.view != View::Agenda => Vec::new(),
            _ => self.load(day),
        }
    }

    /// The entries of one day, in time order.
    fn of_day(&self, day: NaiveDate) -> Vec<&Entry> {
        self.entries.iter().filter(|e| e.date == day).collect()
    }

    pub fn selected(&self) -> Option<&Entry> {
        match self.view {
            View::Agenda => self.entries.get(self.pick),
            _ => self.day.and_then(|d| self.of_day(d).get(self.pick).copied()),
        }
    }

    fn switch(&mut self, view: View) -> Vec<Cmd> {
        let day = match (self.view, self.selected()) {
            (View::Agenda, Some(e)) => e.date,
            _ => self.day.unwrap_or_default(),
        };
        self.view = view;
        self.range = None;
        self.pick = 0;
        self.go(day)
    }

    fn act(&mut self, action: Action, cx: &Cx) -> Vec<Cmd> {
        // A refused typed date is shown until the next key.
        self.refused = None;
        if !matches!(action, Action::MoveEarlier | Action::MoveLater | Action::Edit | Action::CancelSession) {
            self.follow = None;
        }
        let day = self.day.unwrap_or(cx.today);
        let step = |d: NaiveDate, n: i64| d + Duration::days(n);
        match (action, self.view) {
            (Action::MonthView, _) => self.switch(View::Month),
            (Action::WeekView, _) => self.switch(View::Week),
            (Action::AgendaView, _) => self.switch(View::Agenda),
            (Action::Today, _) => {
                self.range = if self.view == View::Agenda { None } else { self.range };
                self.go(cx.today)
            }
            (Action::GoTo, _) => {
                self.typing = Some(String::new());
                Vec::new()
            }
            (Action::PrevPeriod | Action::NextPeriod, view) => {
                let back = action == Action::PrevPeriod;
                let to = match view {
                    View::Month => {
                        let first = day.with_day(1).unwrap_or(day);
                        if back { first - chrono::Months::new(1) } else { first + chrono::Months::new(1) }
                    }
                    _ => step(day, if back { -7 } else { 7 }),
                };
                if view == View::Agenda {
                    self.range = None;
                    self.pick = 0;
                }
                self.go(to)
            }
            (Action::Left, View::Month | View::Week) => self.go(step(day, -1)),
            (Action::Right, View::Month | View::Week) => self.go(step(day, 1)),
            (Action::Up, View::Month) => self.go(step(day, -7)),
            (Action::Down, View::Month) => self.go(step(day, 7)),
            (Action::Up, View::Week) => {
                self.pick = self.pick.saturating_sub(1);
                Vec::new()
            }
            (Action::Down, View::Week) => {
                self.pick = (self.pick + 1).min(self.of_day(day).len().saturating_sub(1));
                Vec::new()
            }
            (Action::Up | Action::Left, View::Agenda) => {
                self.pick = self.pick.saturating_sub(1);
                Vec::new()
            }
            (Action::Down | Action::Right, View::Agenda) => {
                self.pick = (self.pick + 1).min(self.entries.len().saturating_sub(1));
                // Near the end of what is loaded: the next days.
                match self.range {
                    Some((_, to)) if self.pick + 5 >= self.entries.len() && !self.loading_more => {
                        self.loading_more = true;
                        let from = to + Duration::days(1);
                        vec![Cmd::Send(
                            Lane::More(0),
                            Request::Calendar(CalendarRequest::Calendar {
                                from,
                                to: from + Duration::days(AGENDA_DAYS - 1),
                                filter: self.filter,
                            }),
                        )]
                    }
                    _ => Vec::new(),
                }
            }
            (Action::New, _) => {
                let cohort = self.selected().filter(|e| e.kind == Kind::Session).map_or("", |e| e.group.as_str());
                let form = super::session_form::new_session(day, cohort);
                vec![Cmd::Popup(Box::new(crate::ui::app::Popup::Form(Box::new(form))))]
            }
            (Action::Edit, _) => match self.session() {
                Ok(e) => vec![Cmd::Send(Lane::Dialog, Request::Calendar(CalendarRequest::SessionToEdit { id: e.id }))],
                Err(why) => vec![Cmd::Toast(why)],
            },
            (Action::CancelSession, _) => match self.session() {
                Ok(e) => {
                    let question = format!(
                        "cancel \"{}\" of {} on {}? It stays on the calendar, struck out, and leaves the attendance rate. (y/n)",
                        e.title, e.group, e.date
                    );
                    let on_yes = vec![Cmd::Send(
                        Lane::Dialog,
                        Request::Calendar(CalendarRequest::CancelSession { id: e.id, version: e.version }),
                    )];
                    vec![Cmd::Popup(Box::new(crate::ui::app::Popup::Confirm { question, on_yes }))]
                }
                Err(why) => vec![Cmd::Toast(why)],
            },
            (Action::FilterCalendar, _) => {
                vec![Cmd::Send(Lane::Dialog, Request::Calendar(CalendarRequest::CalendarChoices))]
            }
            (Action::MoveEarlier, _) => self.shift(-1),
            (Action::MoveLater, _) => self.shift(1),
            (Action::ExportCalendar, _) => match self.selected().and_then(|e| e.cohort_id) {
                Some(cohort_id) => {
                    let dir = cx.settings.export_dir.clone();
                    vec![Cmd::Send(Lane::Dialog, Request::Calendar(CalendarRequest::ExportCalendar { cohort_id, dir }))]
                }
                None => vec![Cmd::Toast("select a session: its cohort's calendar is written".into())],
            },
            (Action::Open, _) => match self.selected() {
                // The roll call holds the sessions held so far: opening it on one
                // still ahead (or cancelled) showed another session's marks, and `p`
                // marked that one. Say why instead.
                Some(e) if e.kind == Kind::Session && e.status == "cancelled" => {
                    vec![Cmd::Toast(format!("\"{}\" was cancelled: it has no roll call", text::inert(&e.title)))]
                }
                Some(e) if e.kind == Kind::Session && e.date > cx.today => vec![Cmd::Toast(format!(
                    "\"{}\" on {} has not been held yet: its roll call opens from that day",
                    text::inert(&e.title),
                    e.date
                ))],
                Some(e) if e.kind == Kind::Session => {
                    let screen = super::attendance::AttendanceScreen::opened_on(GridOf::Session(e.id));
                    vec![Cmd::Push(Box::new(Screen::Attendance(Box::new(screen))))]
                }
                Some(e) => vec![Cmd::Toast(format!(
                    "{} · {} · {} registered",
                    text::inert(&e.title),
                    e.group,
                    e.seats.as_deref().unwrap_or("0")
                ))],
                None => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    /// The selected entry when it is a session that can still change.
    fn session(&self) -> Result<Entry, String> {
        match self.selected() {
            None => Err("no session selected".into()),
            Some(e) if e.kind == Kind::Event => Err("events are planned on the events screen, not here".into()),
            Some(e) if e.status == "cancelled" => {
                Err(format!("\"{}\" was cancelled; plan a new session (n)", text::inert(&e.title)))
            }
            Some(e) => Ok(e.clone()),
        }
    }

    /// Puts entry `id` on `date` here at once (the reload after the save shows the
    /// stored truth) and keeps it selected.
    fn show_moved(&mut self, id: i64, days: i64) -> Vec<Cmd> {
        let Some(e) = self.entries.iter_mut().find(|e| e.kind == Kind::Session && e.id == id) else {
            return Vec::new();
        };
        let to = e.date + Duration::days(days);
        e.date = to;
        self.entries.sort_by_key(|e| (e.date, e.starts, e.id));
        let cmds = if self.view == View::Agenda { Vec::new() } else { self.go(to) };
        let at = |list: Vec<&Entry>| list.iter().position(|e| e.kind == Kind::Session && e.id == id);
        self.pick = match self.view {
            View::Agenda => at(self.entries.iter().collect()),
            _ => at(self.of_day(to)),
        }
        .unwrap_or(0);
        cmds
    }

    fn shift(&mut self, days: i64) -> Vec<Cmd> {
        let e = match self.session() {
            Ok(e) => e,
            Err(why) => return vec![Cmd::Toast(why)],
        };
        if let Some(id) = self.shifting {
            if id != e.id {
                return vec![Cmd::Toast("still saving the last move; a moment".into())];
            }
            self.queued += days;
            return self.show_moved(id, days);
        }
        self.shifting = Some(e.id);
        self.follow = Some(e.id);
        let mut cmds = self.show_moved(e.id, days);
        cmds.push(Cmd::Send(
            Lane::Dialog,
            Request::Calendar(CalendarRequest::ShiftSession { id: e.id, version: e.version, days, allow_clash: false }),
        ));
        cmds
    }

    /// After a move's reload: the presses made meanwhile, as one more move.
    fn send_queued(&mut self) -> Vec<Cmd> {
        let (Some(id), days) = (self.shifting, self.queued) else { return Vec::new() };
        self.queued = 0;
        let Some(version) = self.entries.iter().find(|e| e.kind == Kind::Session && e.id == id).map(|e| e.version)
        else {
            self.shifting = None;
            return Vec::new();
        };
        if days == 0 {
            self.shifting = None;
            return Vec::new();
        }
        let mut cmds = self.show_moved(id, days);
        cmds.push(Cmd::Send(
            Lane::Dialog,
            Request::Calendar(CalendarRequest::ShiftSession { id, version, days, allow_clash: false }),
        ));
        cmds
    }

    fn on_range(&mut self, from: NaiveDate, to: NaiveDate, entries: Vec<Entry>, more: bool) {
        if more {
            self.entries.extend(entries);
            if let Some((f, _)) = self.range {
                self.range = Some((f, to));
            }
            self.loading_more = false;
        } else {
            self.entries = entries;
            self.range = Some((from, to));
        }
        self.loaded = true;
        if let Some(id) = self.follow
            && let Some(date) = self.entries.iter().find(|e| e.kind == Kind::Session && e.id == id).map(|e| e.date)
        {
            let at = |list: Vec<&Entry>| list.iter().position(|e| e.kind == Kind::Session && e.id == id);
            if self.view == View::Agenda {
                self.pick = at(self.entries.iter().collect()).unwrap_or(self.pick);
            } else {
                self.day = Some(date);
                self.pick = at(self.of_day(date)).unwrap_or(0);
            }
        }
        let len = match (self.view, self.day) {
            (View::Agenda, _) => self.entries.len(),
            (_, Some(d)) => self.of_day(d).len(),
            _ => 0,
        };
        self.pick = self.pick.min(len.saturating_sub(1));
    }
}

const PLAN: Option<Permission> = Some(Permission::EditSessions);

impl Component for CalendarScreen {
    fn title(&self) -> String {
        "Calendar".into()
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Calendar, Context::List]
    }

    fn offers(&self) -> &'static [Offer] {
        const C: &[Offer] = &[
            Offer::hint(Action::MonthView, None),
            Offer::hint(Action::WeekView, None),
            Offer::hint(Action::AgendaView, None),
            Offer::hint(Action::Today, None),
            Offer::hint(Action::GoTo, None),
            Offer::key(Action::PrevPeriod, None),
            Offer::key(Action::NextPeriod, None),
            Offer::key(Action::Left, None),
            Offer::key(Action::Right, None),
            Offer::key(Action::Open, None),
            Offer::hint(Action::New, PLAN),
            Offer::hint(Action::Edit, PLAN),
            Offer::key(Action::MoveEarlier, PLAN),
            Offer::key(Action::MoveLater, PLAN),
            Offer::key(Action::CancelSession, PLAN),
            Offer::key(Action::ExportCalendar, PLAN),
            Offer::hint(Action::FilterCalendar, None),
        ];
        C
    }

    fn reload(&mut self, cx: &Cx) -> Vec<Cmd> {
        let day = *self.day.get_or_insert(cx.today);
        self.load(day)
    }

    fn on_action(&mut self, action: Action, cx: &Cx) -> Vec<Cmd> {
        self.act(action, cx)
    }

    fn on_reply(&mut self, lane: Lane, reply: Reply, _cx: &Cx) -> Vec<Cmd> {
        match reply {
            Reply::Calendar(CalendarReply::Calendar(from, to, entries)) => {
                self.on_range(from, to, entries, lane == Lane::More(0));
                if lane == Lane::Load && self.shifting.is_some() && self.queued != 0 {
                    return self.send_queued();
                }
                if self.queued == 0 && lane == Lane::Load {
                    self.shifting = None;
                }
                Vec::new()
            }
            // After a conflict: the stored version, for the next save of the open form.
            Reply::Calendar(CalendarReply::SessionToEdit(s)) if lane == Lane::More(1) => {
                self.editing = Some(*s);
                Vec::new()
            }
            Reply::Calendar(CalendarReply::SessionToEdit(s)) => {
                let form = super::session_form::edit_session(&s);
                self.editing = Some(*s);
                vec![Cmd::Popup(Box::new(crate::ui::app::Popup::Form(Box::new(form))))]
            }
            Reply::Calendar(CalendarReply::SessionSaved(said)) => {
                if self.queued == 0 {
                    self.shifting = None;
                }
                vec![Cmd::CloseDialogs, Cmd::Toast(text::inert(&said)), Cmd::Reload]
            }
            Reply::Calendar(CalendarReply::SessionClashes(found, retry)) => {
                self.shifting = None;
                self.queued = 0;
                let mut question = String::from("This clashes:\n");
                for c in found.iter().take(3) {
                    question.push_str(&format!("• {c}\n"));
                }
                if found.len() > 3 {
                    question.push_str(&format!("… and {} more\n", found.len() - 3));
                }
                question.push_str("Save anyway? (y/n)");
                // "n" leaves the calendar as stored (a move shown early goes back).
                vec![
                    Cmd::Reload,
                    Cmd::Popup(Box::new(crate::ui::app::Popup::Confirm {
                        question,
                        on_yes: vec![Cmd::Send(Lane::Dialog, *retry)],
                    })),
                ]
            }
            Reply::Calendar(CalendarReply::CalendarChoices(choices)) => {
                let items = choices
                    .iter()
                    .enumerate()
                    .map(|(index, (f, label))| {
                        let on = if *f == self.filter { " ✓" } else { "" };
                        let call = crate::ui::cmd::Call::Picked { tag: "filter", index };
                        (format!("{}{on}", text::inert(label)), vec![Cmd::Call(super::ScreenId::Calendar, call)])
                    })
                    .collect();
                self.choices = choices;
                let chooser = crate::ui::chooser::Chooser::new("Show", items);
                vec![Cmd::Popup(Box::new(crate::ui::app::Popup::Choose(chooser)))]
            }
            Reply::Exported(n, path) => {
                vec![Cmd::Toast(format!("{n} sessions written to {}", text::inert(&path.display().to_string())))]
            }
            _ => Vec::new(),
        }
    }

    fn on_error(&mut self, lane: Lane, e: &StoreError, _cx: &Cx) -> Vec<Cmd> {
        self.loaded = true;
        self.loading_more = false;
        if lane == Lane::Dialog {
            // A refused move or edit: show the calendar as stored.
            let moving = self.shifting.take().is_some();
            self.queued = 0;
            if moving || matches!(e, StoreError::Conflict { .. }) {
                let mut cmds = vec![Cmd::Reload];
                // The edit form stays open with what was typed (the app names who
                // changed the session); its next save goes over their version.
                if !moving && let Some(s) = &self.editing {
                    cmds.push(Cmd::Send(Lane::More(1), Request::Calendar(CalendarRequest::SessionToEdit { id: s.id })));
                }
                return cmds;
            }
        }
        Vec::new()
    }

    fn on_call(&mut self, call: crate::ui::cmd::Call, cx: &Cx) -> Vec<Cmd> {
        if let crate::ui::cmd::Call::Picked { tag: "filter", index } = call {
            let Some((filter, label)) = self.choices.get(index).cloned() else { return Vec::new() };
            self.filter = filter;
            self.filter_label = (!filter.is_empty()).then_some(label);
            self.range = None;
            self.pick = 0;
            let day = self.day.unwrap_or(cx.today);
            return self.load(day);
        }
        let crate::ui::cmd::Call::Submit { tag, values } = call else { return Vec::new() };
        let editing = if tag == "edit" { self.editing.as_ref() } else { None };
        match super::session_form::request(editing, &values, cx.today) {
            Ok(req) => vec![Cmd::Send(Lane::Dialog, req)],
            Err((field, why)) => vec![Cmd::FieldError { field, why }],
        }
    }

    fn captures_text(&self) -> bool {
        self.typing.is_some()
    }

    fn on_text_key(&mut self, key: KeyEvent, cx: &Cx) -> Vec<Cmd> {
        let Some(typed) = self.typing.as_mut() else { return Vec::new() };
        match key.code {
            KeyCode::Esc => self.typing = None,
            KeyCode::Backspace => {
                typed.pop();
            }
            KeyCode::Enter => {
                let text = std::mem::take(typed);
                return match crate::domain::time::parse_go_to(&text, cx.today) {
                    Ok(day) => {
                        self.typing = None;
                        self.refused = None;
                        if self.view == View::Agenda {
                            self.range = None;
                            self.pick = 0;
                        }
                        self.go(day)
                    }
                    Err(why) => {
                        // Keep what was typed, say why.
                        *typed = text;
                        self.refused = Some(why);
                        Vec::new()
                    }
                };
            }
            KeyCode::Char(c) if typed.chars().count() < 40 && !c.is_control() => typed.push(c),
            _ => {}
        }
        Vec::new()
    }

    fn subtitle(&self) -> Option<String> {
        if let Some(t) = &self.typing {
            return Some(format!("go to: {t}▏"));
        }
        let view = match self.view {
            View::Month => "month",
            View::Week => "week",
            View::Agenda => "agenda",
        };
        Some(match &self.filter_label {
            Some(f) => format!("{view} · {}", text::inert(f)),
            None => view.to_string(),
        })
    }

    fn view(&self, f: &mut Frame, area: Rect, vx: &Vx) {
        let today = vx.now.with_timezone(&vx.tz).date_naive();
        let [body, foot] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
        if !self.loaded {
            f.render_widget(Paragraph::new("Loading…").style(vx.theme.dim), body);
            return;
        }
        match self.view {
            View::Month => self.draw_month(f, body, vx.theme, today),
            View::Week => self.draw_week(f, body, vx.theme, today),
            View::Agenda => self.draw_agenda(f, body, vx.theme, today),
        }
        let w = usize::from(foot.width);
        let (line, style) = match &self.refused {
            Some(why) => (text::fit(why, w), vx.theme.error),
            None => (self.footer(w), self.selected().map_or(vx.theme.dim, |e| Self::entry_style(e, vx.theme))),
        };
        f.render_widget(Paragraph::new(Line::styled(line, style)), foot);
    }
}
