//! The attendance grid (`:attendance`): first the cohorts one may open (an
//! instructor's own), then a cohort's students × held sessions, newest session at the
//! right and selected. `p` `a` `l` `e` mark the selected student and move down; each
//! mark shows at once and is saved at once (a refusal puts the stored grid back and
//! says why). `A` marks every unmarked student present after a confirm with the
//! counts. The last column is the rate, (present + late) / (held − excused), flagged
//! under `rules.attendance_threshold_percent`. Another instructor's marks arrive
//! with the change notices (the grid reloads, keeping the cursor).
//!
//! `n` keeps a note on a mark, `c` checks a student in (then out), `s` shows the
//! session's summary and Enter the student's history (read-only text popups); the
//! last line names the selected cell.

mod reports;

use super::{Component, Cx, Offer, Permission, Vx, move_cursor};
use crate::backend::{AttendanceReply, AttendanceRequest, CalendarReply, CalendarRequest};
use crate::backend::{Reply, Request};
use crate::domain::attendance::AttendanceStatus;
use crate::domain::metrics::{attendance_rate, below_threshold};
use crate::text;
use crate::ui::app::Popup;
use crate::ui::cmd::{Cmd, Lane};
use crate::ui::keymap::{Action, Context};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use reports::{history_lines, mark_detail, session_summary};
use staffroom_core::protocol::StoreError;
use staffroom_core::protocol::attendance::{CohortChoice, Grid, GridOf, Mark};

/// Cells per session column: a space, the letter, a space.
const CELL: usize = 3;
/// The rate column: " 100%!" at most.
const RATE: usize = 6;

#[derive(Debug, Clone, Default)]
pub struct AttendanceScreen {
    pub cohorts: Vec<CohortChoice>,
    /// The cohorts' list cursor.
    pub pick: usize,
    /// The cohort whose grid is open.
    pub cohort: Option<GridOf>,
    pub grid: Option<Grid>,
    /// Selected student (row) and session (column, an index into `grid.sessions`).
    pub row: usize,
    pub col: usize,
    pub loaded: bool,
    /// Marks shown ahead of the backend's answer, oldest first.
    pending: usize,
    /// Opened on a student (the dashboard's "under the threshold"): show their
    /// history once the grid is in.
    history_first: bool,
    /// The cell whose note form is open.
    noting: Option<(i64, i64)>,
}

impl AttendanceScreen {
    /// A screen opened on a grid, selecting the session or student it was opened
    /// on (the dashboard's "Today's sessions", "Students under the threshold").
    pub fn opened_on(of: GridOf) -> AttendanceScreen {
        let history_first = matches!(of, GridOf::Enrollment(_));
        AttendanceScreen { cohort: Some(of), history_first, ..AttendanceScreen::default() }
    }

    fn load(&self) -> Request {
        match self.cohort {
            Some(of) => Request::Attendance(AttendanceRequest::AttendanceGrid { of }),
            None => Request::Attendance(AttendanceRequest::AttendanceCohorts),
        }
    }

    fn selected_mark(&self) -> Option<&Mark> {
        let (s, e) = self.selected()?;
        self.grid.as_ref()?.mark(s, e)
    }

    fn selected(&self) -> Option<(i64, i64)> {
        let g = self.grid.as_ref()?;
        Some((g.sessions.get(self.col)?.id, g.students.get(self.row)?.enrollment_id))
    }

    fn on_grid(&mut self, grid: Grid) {
        let first = self.grid.as_ref().is_none_or(|g| g.cohort_id != grid.cohort_id);
        // Keep the cursor on the same session and student across reloads.
        let (session, student) = match (&self.grid, self.selected()) {
            (Some(_), Some(sel)) if !first => (Some(sel.0), Some(sel.1)),
            _ => (None, None),
        };
        // Opened on a session or a student: select it the first time.
        let (session, student) = match self.cohort {
            Some(GridOf::Session(id)) if first => (Some(id), student),
            Some(GridOf::Enrollment(id)) if first => (session, Some(id)),
            _ => (session, student),
        };
        self.cohort = Some(GridOf::Cohort(grid.cohort_id));
        self.col = session
            .and_then(|id| grid.sessions.iter().position(|s| s.id == id))
            .unwrap_or(grid.sessions.len().saturating_sub(1));
        self.row = student
            .and_then(|id| grid.students.iter().position(|s| s.enrollment_id == id))
            .unwrap_or(if first { 0 } else { self.row })
            .min(grid.students.len().saturating_sub(1));
        self.grid = Some(grid);
        self.loaded = true;
    }

    /// Shows a mark at once (the reply confirms it; an error reloads).
    fn show_mark(&mut self, status: AttendanceStatus, cx: &Cx) -> Vec<Cmd> {
        let Some((session_id, enrollment_id)) = self.selected() else { return Vec::new() };
        let Some(grid) = self.grid.as_mut() else { return Vec::new() };
        let mark = Mark {
            session_id,
            enrollment_id,
            status,
            note: None,
            checked_in_at: None,
            checked_out_at: None,
            marked_by: cx.me,
            marked_at: cx.now,
        };
        match grid.marks.iter_mut().find(|m| m.session_id == session_id && m.enrollment_id == enrollment_id) {
            Some(m) => m.status = status,
            None => grid.marks.push(mark),
        }
        self.row = (self.row + 1).min(grid.students.len().saturating_sub(1));
        self.pending += 1;
        vec![Cmd::Send(
            Lane::Write(0),
            Request::Attendance(AttendanceRequest::MarkAttendance { session_id, enrollment_id, status }),
        )]
    }

    fn mark_all(&self) -> Vec<Cmd> {
        let Some(grid) = &self.grid else { return Vec::new() };
        let Some(session) = grid.sessions.get(self.col) else { return Vec::new() };
        let marked = grid.students.iter().filter(|s| grid.mark(session.id, s.enrollment_id).is_some()).count();
        let unmarked = grid.students.len() - marked;
        if unmarked == 0 {
            return vec![Cmd::Toast(format!("everyone is marked at {} already", session.date))];
        }
        let question = format!(
            "mark {unmarked} unmarked as present at {} ({})? {marked} already marked",
            session.date,
            text::inert(&session.title)
        );
        let on_yes = vec![Cmd::Send(
            Lane::Write(0),
            Request::Attendance(AttendanceRequest::MarkAllPresent { session_id: session.id }),
        )];
        vec![Cmd::Popup(Box::new(Popup::Confirm { question, on_yes }))]
    }

    fn act(&mut self, action: Action, cx: &Cx) -> Vec<Cmd> {
        let Some(grid) = &self.grid else {
            // The cohorts' list.
            if action == Action::Open
                && let Some(c) = self.cohorts.get(self.pick)
            {
                self.cohort = Some(GridOf::Cohort(c.id));
                self.loaded = false;
                return vec![Cmd::Send(Lane::Load, self.load())];
            }
            if let Some(p) = move_cursor(self.pick, self.cohorts.len(), action, 10) {
                self.pick = p;
            }
            return Vec::new();
        };
        let sessions = grid.sessions.len();
        match action {
            Action::MarkPresent => self.show_mark(AttendanceStatus::Present, cx),
            Action::MarkAbsent => self.show_mark(AttendanceStatus::Absent, cx),
            Action::MarkLate => self.show_mark(AttendanceStatus::Late, cx),
            Action::MarkExcused => self.show_mark(AttendanceStatus::Excused, cx),
            Action::MarkAllPresent => self.mark_all(),
            Action::CohortStatus => {
                let c = &grid.cohort;
                let moves = c.status.allowed_moves();
                if moves.is_empty() {
                    return vec![Cmd::Toast(format!("{} is {}: a final status", text::inert(&c.name), c.status))];
                }
                let items = moves
                    .iter()
                    .map(|to| {
                        let label = if to.announces() {
                            format!("{} (publishes the website announcement)", to.as_str().replace('_', " "))
                        } else {
                            to.as_str().replace('_', " ")
                        };
                        let req =
                            Request::Calendar(CalendarRequest::MoveCohort { id: c.id, version: c.version, to: *to });
                        (label, vec![Cmd::Send(Lane::Dialog, req)])
                    })
                    .collect();
                let title = format!("Move {} from {}", text::inert(&c.name), c.status.as_str().replace('_', " "));
                vec![Cmd::Popup(Box::new(Popup::Choose(crate::ui::chooser::Chooser::new(title, items))))]
            }
            Action::CellNote => match (self.selected(), self.selected_mark()) {
                (Some((session_id, enrollment_id)), Some(m)) => {
                    let who = grid.students.get(self.row).map_or("", |s| s.name.as_str());
                    let date = grid.sessions.get(self.col).map(|s| s.date.to_string()).unwrap_or_default();
                    let field = crate::ui::widgets::form::Field::line(
                        "note",
                        "note",
                        crate::domain::attendance::MAX_NOTE_CHARS,
                        false,
                    )
                    .hint("empty removes the note")
                    .with(m.note.as_deref().unwrap_or(""));
                    let title = format!("Note on {} at {date}", text::inert(who));
                    self.noting = Some((session_id, enrollment_id));
                    let form = crate::ui::widgets::form::Form::new(title, "note", vec![field]);
                    vec![Cmd::Popup(Box::new(Popup::Form(Box::new(form))))]
                }
                (Some(_), None) => vec![Cmd::Toast("mark the student first (p a l e), then add a note".into())],
                _ => Vec::new(),
            },
            Action::CheckInOut => match self.selected() {
                Some((session_id, enrollment_id)) => {
                    self.pending += 1;
                    vec![Cmd::Send(
                        Lane::Write(0),
                        Request::Attendance(AttendanceRequest::CheckAttendance { session_id, enrollment_id }),
                    )]
                }
                None => Vec::new(),
            },
            Action::Open => match grid.students.get(self.row) {
                Some(s) => vec![Cmd::Send(
                    Lane::Dialog,
                    Request::Attendance(AttendanceRequest::StudentAttendance { enrollment_id: s.enrollment_id }),
                )],
                None => Vec::new(),
            },
            Action::SessionSummary => match grid.sessions.get(self.col) {
                Some(s) => {
                    let (title, lines) = session_summary(grid, s.id, cx.tz);
                    vec![Cmd::Popup(Box::new(Popup::Text { title, lines, scroll: 0, on_yes: None, diff: false }))]
                }
                None => vec![Cmd::Toast("no session held yet".into())],
            },
            Action::ChooseCohort => {
                *self = AttendanceScreen { cohorts: std::mem::take(&mut self.cohorts), ..AttendanceScreen::default() };
                vec![Cmd::Send(Lane::Load, self.load())]
            }
            Action::Left => {
                self.col = self.col.saturating_sub(1);
                Vec::new()
            }
            Action::Right => {
                self.col = (self.col + 1).min(sessions.saturating_sub(1));
                Vec::new()
            }
            _ => {
                if let Some(r) = move_cursor(self.row, grid.students.len(), action, 10) {
                    self.row = r;
                }
                Vec::new()
            }
        }
    }

    fn draw_cohorts(&self, f: &mut Frame, area: Rect, theme: &Theme) {
        let w = usize::from(area.width);
        let mut lines = vec![Line::styled("Choose a cohort (Enter opens its grid)", theme.title)];
        if self.loaded && self.cohorts.is_empty() {
            lines.push(Line::styled("no cohorts you teach or may see", theme.dim));
        }
        let height = usize::from(area.height).saturating_sub(1);
        let start = self.pick.saturating_sub(height.saturating_sub(1));
        for (i, c) in self.cohorts.iter().enumerate().skip(start).take(height) {
            let line = format!("{} · {} · {}", c.name, c.program, c.status.replace('_', " "));
            let style = if i == self.pick { theme.selected } else { theme.base };
            lines.push(Line::styled(text::pad(&line, w), style));
        }
        f.render_widget(Paragraph::new(lines), area);
    }

    fn draw_grid(&self, f: &mut Frame, area: Rect, grid: &Grid, vx: &Vx) {
        let (theme, threshold, tz) = (vx.theme, vx.threshold, vx.tz);
        let w = usize::from(area.width);
        let [cohort, head, months, days, body, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(area);
        // The selected cell in words: who, the mark, when in/out, the note.
        let cell = match (grid.students.get(self.row), self.selected_mark()) {
            (Some(st), Some(m)) => {
                let detail = mark_detail(m, tz);
                let sep = if detail.is_empty() { "" } else { " · " };
                format!("{} · {}{sep}{detail}", st.name, m.status)
            }
            (Some(st), None) => format!("{} · not marked", st.name),
            _ => String::new(),
        };
        f.render_widget(Paragraph::new(Line::styled(text::fit(&cell, w), theme.dim)), foot);
        let name_w = 22.min(w / 3).max(8);
        let fit_cols = w.saturating_sub(name_w + RATE) / CELL;
        // The window of session columns: the selected one always in it.
        let first = (self.col + 1).saturating_sub(fit_cols);
        let shown: Vec<_> = grid.sessions.iter().enumerate().skip(first).take(fit_cols.max(1)).collect();

        // The selected session, in words.
        let summary = match grid.sessions.get(self.col) {
            Some(s) => {
                let marked = grid.students.iter().filter(|st| grid.mark(s.id, st.enrollment_id).is_some()).count();
                format!("{} · {marked}/{} marked · {}", s.date.format("%a %Y-%m-%d"), grid.students.len(), s.title)
            }
            None => "no session held yet".into(),
        };
        f.render_widget(Paragraph::new(Line::styled(text::fit(&cohort_line(&grid.cohort), w), theme.dim)), cohort);
        // The cohort's name is in the title bar already.
        f.render_widget(Paragraph::new(Line::styled(text::fit(&summary, w), theme.title)), head);

        let header = |fmt: &str, label: &str| {
            let mut spans = vec![Span::styled(text::pad(label, name_w), theme.dim)];
            for (i, s) in &shown {
                let style = if *i == self.col { theme.selected } else { theme.dim };
                spans.push(Span::styled(format!(" {}", s.date.format(fmt)), style));
            }
            spans
        };
        let mut month_line = header("%m", "");
        month_line.push(Span::styled(format!("{:>RATE$}", "rate"), theme.dim));
        f.render_widget(Paragraph::new(Line::from(month_line)), months);
        let older = if first > 0 { format!("← {first} older") } else { String::new() };
        f.render_widget(Paragraph::new(Line::from(header("%d", &older))), days);

        let height = usize::from(body.height);
        let start = self.row.saturating_sub(height.saturating_sub(1));
        let mut lines = Vec::new();
        for (r, st) in grid.students.iter().enumerate().skip(start).take(height) {
            let on_row = r == self.row;
            let name_style = if on_row { theme.selected } else { theme.base };
            let mut spans = vec![Span::styled(text::pad(&st.name, name_w), name_style)];
            for (i, s) in &shown {
                let letter = grid.mark(s.id, st.enrollment_id).map_or('·', |m| m.status.letter());
                let style = match grid.mark(s.id, st.enrollment_id).map(|m| m.status) {
                    Some(AttendanceStatus::Absent) => theme.alert,
                    Some(_) => theme.base,
                    None => theme.dim,
                };
                let style = if on_row && *i == self.col { theme.selected.add_modifier(Modifier::BOLD) } else { style };
                let noted = grid.mark(s.id, st.enrollment_id).is_some_and(|m| m.note.is_some());
                spans.push(Span::styled(format!(" {letter}{}", if noted { '•' } else { ' ' }), style));
            }
            let pad = (fit_cols.max(1) - shown.len().min(fit_cols.max(1))) * CELL;
            spans.push(Span::raw(" ".repeat(pad)));
            let counts = grid.counts(st.enrollment_id);
            let rate = attendance_rate(counts).map_or("—".to_string(), |r| format!("{:.0}%", r * 100.0));
            let low = below_threshold(counts, threshold);
            let cell = format!("{rate:>5}{}", if low { "!" } else { " " });
            spans.push(Span::styled(cell, if low { theme.alert } else { theme.base }));
            lines.push(Line::from(spans));
        }
        if grid.students.is_empty() {
            lines.push(Line::styled("no active or paused enrolments in this cohort", theme.dim));
        }
        f.render_widget(Paragraph::new(lines), body);
    }
}

/// `running · 18/20 seats · Omar Hassan, Sara Ali · 2026-10-01 → 2026-12-20`.
fn cohort_line(c: &staffroom_core::protocol::attendance::CohortHeader) -> String {
    let seats = match c.capacity {
        Some(cap) => format!("{}/{cap} seats", c.seats_taken),
        None => format!("{} enrolled, no cap", c.seats_taken),
    };
    let teachers = if c.instructors.is_empty() { "no instructor".to_string() } else { c.instructors.join(", ") };
    let dates = match (c.start, c.end) {
        (None, None) => String::new(),
        (s, e) => format!(
            " · {} → {}",
            s.map_or("open".to_string(), |d| d.to_string()),
            e.map_or("open".to_string(), |d| d.to_string())
        ),
    };
    let zone = c.time_zone.as_deref().map_or(String::new(), |z| format!(" · {z}"));
    format!("{} · {} · {seats} · {teachers}{dates}{zone}", c.program, c.status.as_str().replace('_', " "))
}

const MARK: Option<Permission> = Some(Permission::TakeAttendance);

impl Component for AttendanceScreen {
    fn title(&self) -> String {
        "Attendance".into()
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Attendance, Context::List]
    }

    fn offers(&self) -> &'static [Offer] {
        const C: &[Offer] = &[
            Offer::hint(Action::MarkPresent, MARK),
            Offer::hint(Action::MarkAbsent, MARK),
            Offer::hint(Action::MarkLate, MARK),
            Offer::hint(Action::MarkExcused, MARK),
            Offer::hint(Action::MarkAllPresent, MARK),
            Offer::hint(Action::ChooseCohort, None),
            Offer::key(Action::CohortStatus, Some(Permission::ManageCohorts)),
            Offer::key(Action::CellNote, MARK),
            Offer::key(Action::CheckInOut, MARK),
            Offer::key(Action::SessionSummary, None),
            Offer::key(Action::Left, None),
            Offer::key(Action::Right, None),
            Offer::key(Action::Open, None),
        ];
        C
    }

    fn reload(&mut self, _cx: &Cx) -> Vec<Cmd> {
        // A change notice while marks are on their way would put back the grid
        // without them for a moment; their replies reload it anyway.
        if self.pending > 0 {
            return Vec::new();
        }
        vec![Cmd::Send(Lane::Load, self.load())]
    }

    fn on_action(&mut self, action: Action, cx: &Cx) -> Vec<Cmd> {
        self.act(action, cx)
    }

    fn on_reply(&mut self, lane: Lane, reply: Reply, cx: &Cx) -> Vec<Cmd> {
        match reply {
            Reply::Attendance(AttendanceReply::AttendanceCohorts(list)) => {
                self.loaded = true;
                self.pick = self.pick.min(list.len().saturating_sub(1));
                self.cohorts = list;
                // One cohort to choose from: open it.
                if self.cohorts.len() == 1 {
                    self.cohort = Some(GridOf::Cohort(self.cohorts[0].id));
                    return vec![Cmd::Send(Lane::Load, self.load())];
                }
                Vec::new()
            }
            Reply::Attendance(AttendanceReply::AttendanceGrid(grid)) => {
                self.on_grid(*grid);
                // Opened on a student: their history first.
                if std::mem::take(&mut self.history_first)
                    && let Some(st) = self.grid.as_ref().and_then(|g| g.students.get(self.row))
                {
                    return vec![Cmd::Send(
                        Lane::Dialog,
                        Request::Attendance(AttendanceRequest::StudentAttendance { enrollment_id: st.enrollment_id }),
                    )];
                }
                Vec::new()
            }
            Reply::Attendance(AttendanceReply::Marked(mark)) => {
                if let Some(g) = self.grid.as_mut() {
                    match g
                        .marks
                        .iter_mut()
                        .find(|m| m.session_id == mark.session_id && m.enrollment_id == mark.enrollment_id)
                    {
                        Some(m) => *m = mark,
                        None => g.marks.push(mark),
                    }
                }
                if lane == Lane::Dialog {
                    // The note form's answer.
                    self.noting = None;
                    return vec![Cmd::CloseDialogs, Cmd::Toast("note saved".into())];
                }
                self.pending = self.pending.saturating_sub(1);
                Vec::new()
            }
            Reply::Attendance(AttendanceReply::StudentHistory(h)) => {
                let lines = history_lines(&h, cx.settings.attendance_threshold_percent, cx.tz);
                let title = text::inert(&h.name);
                vec![Cmd::Popup(Box::new(Popup::Text { title, lines, scroll: 0, on_yes: None, diff: false }))]
            }
            Reply::Attendance(AttendanceReply::MarkedAll(n)) => {
                vec![Cmd::Toast(format!("{n} marked present")), Cmd::Reload]
            }
            Reply::Calendar(CalendarReply::CohortHeader(c)) => {
                let said = format!("{} is {}", text::inert(&c.name), c.status.as_str().replace('_', " "));
                if let Some(g) = self.grid.as_mut() {
                    g.cohort = *c;
                }
                vec![Cmd::CloseDialogs, Cmd::Toast(said)]
            }
            _ => Vec::new(),
        }
    }

    fn on_error(&mut self, lane: Lane, e: &StoreError, _cx: &Cx) -> Vec<Cmd> {
        self.loaded = true;
        if lane == Lane::Dialog && matches!(e, StoreError::Conflict { .. }) {
            // The cohort moved meanwhile: show it as stored (the app says who).
            return vec![Cmd::Send(Lane::Load, self.load())];
        }
        if let Lane::Write(_) = lane {
            // A refused mark: show what is stored (the app shows why).
            self.pending = self.pending.saturating_sub(1);
            return vec![Cmd::Send(Lane::Load, self.load())];
        }
        Vec::new()
    }

    fn on_call(&mut self, call: crate::ui::cmd::Call, _cx: &Cx) -> Vec<Cmd> {
        let crate::ui::cmd::Call::Submit { tag: "note", values } = call else { return Vec::new() };
        let Some((session_id, enrollment_id)) = self.noting else { return Vec::new() };
        let note = Some(values.text("note")).filter(|n| !n.is_empty());
        vec![Cmd::Send(
            Lane::Dialog,
            Request::Attendance(AttendanceRequest::NoteAttendance { session_id, enrollment_id, note }),
        )]
    }

    fn view(&self, f: &mut Frame, area: Rect, vx: &Vx) {
        match &self.grid {
            Some(g) => self.draw_grid(f, area, g, vx),
            None if !self.loaded => f.render_widget(Paragraph::new("Loading…").style(vx.theme.dim), area),
            None => self.draw_cohorts(f, area, vx.theme),
        }
    }

    fn subtitle(&self) -> Option<String> {
        self.grid.as_ref().map(|g| text::inert(&g.cohort_name))
    }
}
