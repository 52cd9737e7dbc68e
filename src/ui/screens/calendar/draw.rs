//! Drawing the calendar's views: the month grid, the week's columns, the agenda
//! list, and the footer that names the selected entry.

use super::{AGENDA_DAYS, CalendarScreen, monday};
use crate::text;
use crate::ui::theme::Theme;
use chrono::{Datelike, Duration, NaiveDate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use staffroom_core::protocol::calendar::{Entry, Kind};

impl CalendarScreen {
    pub(super) fn entry_style(e: &Entry, theme: &Theme) -> Style {
        if e.clash.is_some() {
            theme.alert
        } else if e.kind == Kind::Event {
            theme.title
        } else if e.status == "cancelled" {
            theme.dim
        } else {
            theme.base
        }
    }

    /// "18:00 Cohort 7 Title" in at most `w` cells, `!` first in a clash.
    fn short(e: &Entry, w: usize) -> String {
        let at = e.starts.map_or("--:--".to_string(), |t| t.format("%H:%M").to_string());
        let mark = if e.clash.is_some() {
            "!"
        } else if e.kind == Kind::Event {
            "◆"
        } else if e.status == "cancelled" {
            "x"
        } else {
            " "
        };
        // A session is known by its cohort, an event by its title.
        let name = if e.kind == Kind::Event { &e.title } else { &e.group };
        text::pad(&format!("{mark}{at} {name}"), w)
    }

    pub(super) fn footer(&self, w: usize) -> String {
        match self.selected() {
            None => "no sessions or events on this day".into(),
            Some(e) => {
                let at = match (e.starts, e.ends) {
                    (Some(s), Some(t)) => format!("{}–{}", s.format("%H:%M"), t.format("%H:%M")),
                    (Some(s), None) => s.format("%H:%M").to_string(),
                    _ => "all day".into(),
                };
                let mut parts = vec![format!("{} {at}", e.date), e.title.clone(), e.group.clone()];
                if let Some(own) = &e.own_time {
                    parts.push(format!("{own} in the cohort's zone"));
                }
                if !e.place.is_empty() {
                    parts.push(e.place.clone());
                }
                if let Some(seats) = &e.seats {
                    parts.push(format!("{seats} registered"));
                }
                if e.status != "scheduled" {
                    parts.push(e.status.clone());
                }
                if let Some(c) = &e.clash {
                    parts.push(format!("! {c}"));
                }
                text::fit(&parts.join(" · "), w)
            }
        }
    }

    pub(super) fn draw_month(&self, f: &mut Frame, area: Rect, theme: &Theme, today: NaiveDate) {
        let Some(day) = self.day else { return };
        let (first, _) = self.wanted(day);
        let w = usize::from(area.width);
        let cell_w = (w / 7).max(4);
        let [head, names, grid] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        f.render_widget(Paragraph::new(Line::styled(day.format("%B %Y").to_string(), theme.title)), head);
        let wd: Vec<Span> = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
            .iter()
            .map(|n| Span::styled(text::pad(n, cell_w), theme.dim))
            .collect();
        f.render_widget(Paragraph::new(Line::from(wd)), names);
        let rows = usize::from(grid.height) / 6;
        let mut lines: Vec<Line> = Vec::new();
        for week in 0..6 {
            for r in 0..rows.max(1) {
                let mut spans = Vec::new();
                for d in 0..7 {
                    let date = first + Duration::days((week * 7 + d) as i64);
                    let entries = self.of_day(date);
                    let in_month = date.month() == day.month();
                    let cell = if r == 0 {
                        let clash = if entries.iter().any(|e| e.clash.is_some()) { "!" } else { "" };
                        let count =
                            if entries.is_empty() { String::new() } else { format!(" ·{}{clash}", entries.len()) };
                        let mark = if date == today { "•" } else { " " };
                        text::pad(&format!("{mark}{:>2}{count}", date.day()), cell_w)
                    } else {
                        match entries.get(r - 1) {
                            // The last line says how many more there are.
                            Some(_) if r == rows - 1 && entries.len() > r => {
                                text::pad(&format!(" +{} more", entries.len() - r + 1), cell_w)
                            }
                            Some(e) => Self::short(e, cell_w),
                            None => " ".repeat(cell_w),
                        }
                    };
                    let picked = r > 0 && entries.get(r - 1).is_some() && r - 1 == self.pick;
                    let style = if date == day && (r == 0 || picked) {
                        theme.selected
                    } else if r > 0 {
                        entries.get(r - 1).map_or(theme.base, |e| Self::entry_style(e, theme))
                    } else if date == today {
                        theme.title
                    } else if in_month {
                        theme.base
                    } else {
                        theme.dim
                    };
                    spans.push(Span::styled(cell, style));
                }
                lines.push(Line::from(spans));
            }
        }
        f.render_widget(Paragraph::new(lines), grid);
    }

    pub(super) fn draw_week(&self, f: &mut Frame, area: Rect, theme: &Theme, today: NaiveDate) {
        let Some(day) = self.day else { return };
        let first = monday(day);
        let w = usize::from(area.width);
        // One cell of each column separates it from the next.
        let col_w = (w / 7).max(4) - 1;
        let height = usize::from(area.height);
        let mut columns: Vec<Vec<(String, Style)>> = Vec::new();
        for d in 0..7 {
            let date = first + Duration::days(d);
            let head_style = if date == day {
                theme.selected
            } else if date == today {
                theme.title
            } else {
                theme.dim
            };
            let mut col = vec![(text::pad(&date.format("%a %d").to_string(), col_w), head_style)];
            for (i, e) in self.of_day(date).into_iter().enumerate() {
                let style = if date == day && i == self.pick { theme.selected } else { Self::entry_style(e, theme) };
                let mark = if e.clash.is_some() { "!" } else { "" };
                let at = match (e.starts, e.ends) {
                    (Some(s), Some(t)) => {
                        vec![format!("{mark}{}", s.format("%H:%M")), format!("-{}", t.format("%H:%M"))]
                    }
                    (Some(s), None) => vec![format!("{mark}{}", s.format("%H:%M"))],
                    _ => vec![format!("{mark}all day")],
                };
                // Start and end on one line when the column holds both (from 84
                // columns), else the end on a line of its own: never "15:54-16:…".
                let joined = at.concat();
                if text::width(&joined) <= col_w {
                    col.push((text::pad(&joined, col_w), style));
                } else {
                    col.extend(at.iter().map(|t| (text::pad(t, col_w), style)));
                }
                col.push((text::pad(&e.group, col_w), style));
                col.push((text::pad(if e.place.is_empty() { &e.title } else { &e.place }, col_w), style));
                col.push((" ".repeat(col_w), theme.base));
            }
            columns.push(col);
        }
        let lines: Vec<Line> = (0..height)
            .map(|r| {
                Line::from(
                    columns
                        .iter()
                        .flat_map(|c| {
                            let cell = match c.get(r) {
                                Some((t, s)) => Span::styled(t.clone(), *s),
                                None => Span::raw(" ".repeat(col_w)),
                            };
                            [cell, Span::raw(" ")]
                        })
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        f.render_widget(Paragraph::new(lines), area);
    }

    pub(super) fn draw_agenda(&self, f: &mut Frame, area: Rect, theme: &Theme, today: NaiveDate) {
        let w = usize::from(area.width);
        let height = usize::from(area.height);
        // Lines: a date heading before each new day, then its entries.
        let mut lines: Vec<(Option<usize>, Line)> = Vec::new();
        let mut last: Option<NaiveDate> = None;
        for (i, e) in self.entries.iter().enumerate() {
            if last != Some(e.date) {
                let style = if e.date == today { theme.title } else { theme.dim };
                lines.push((None, Line::styled(e.date.format("%a %Y-%m-%d").to_string(), style)));
                last = Some(e.date);
            }
            let style = if i == self.pick { theme.selected } else { Self::entry_style(e, theme) };
            let place = if e.place.is_empty() { String::new() } else { format!(" · {}", e.place) };
            let seats = e.seats.as_ref().map_or(String::new(), |s| format!(" · {s} registered"));
            let at = e.starts.map_or("--:--".to_string(), |t| t.format("%H:%M").to_string());
            let mark = if e.clash.is_some() { "!" } else { " " };
            let own = e.own_time.as_ref().map_or(String::new(), |o| format!(" ({o})"));
            let text = format!("{mark} {at}{own}  {} · {}{place}{seats}", e.title, e.group);
            lines.push((Some(i), Line::styled(text::pad(&text, w), style)));
        }
        if self.entries.is_empty() {
            lines.push((None, Line::styled(format!("nothing in the {AGENDA_DAYS} days from this day"), theme.dim)));
        }
        let at = lines.iter().position(|(i, _)| *i == Some(self.pick)).unwrap_or(0);
        let start = at.saturating_sub(height.saturating_sub(2));
        let shown: Vec<Line> = lines.into_iter().skip(start).take(height).map(|(_, l)| l).collect();
        f.render_widget(Paragraph::new(shown), area);
    }
}
