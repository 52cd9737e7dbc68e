//! The attendance screen's read-only reports: a session's summary (`s`), a
//! student's history (Enter), and one mark's times and note in words.

use super::Mark;
use crate::domain::attendance::AttendanceStatus;
use crate::domain::metrics::{attendance_rate, below_threshold};
use crate::text;
use staffroom_core::protocol::attendance::Grid;

fn hm(t: Option<chrono::DateTime<chrono::Utc>>, tz: chrono_tz::Tz) -> Option<String> {
    t.map(|t| t.with_timezone(&tz).format("%H:%M").to_string())
}

/// "in 18:07 · out 20:01 · “came from work”" for one mark.
pub(super) fn mark_detail(m: &Mark, tz: chrono_tz::Tz) -> String {
    let mut parts = Vec::new();
    if let Some(t) = hm(m.checked_in_at, tz) {
        parts.push(format!("in {t}"));
    }
    if let Some(t) = hm(m.checked_out_at, tz) {
        parts.push(format!("out {t}"));
    }
    if let Some(n) = &m.note {
        parts.push(format!("“{n}”"));
    }
    parts.join(" · ")
}

/// The `s` report: a session's counts, then each student's mark, times and note.
pub(super) fn session_summary(grid: &Grid, session_id: i64, tz: chrono_tz::Tz) -> (String, Vec<String>) {
    let s = grid.sessions.iter().find(|s| s.id == session_id);
    let title = s.map_or("Session".to_string(), |s| format!("{} · {}", s.date.format("%a %Y-%m-%d"), s.title));
    let mut n = [0usize; 5];
    let mut rows = Vec::new();
    for st in &grid.students {
        let m = grid.mark(session_id, st.enrollment_id);
        let (letter, i) = match m.map(|m| m.status) {
            Some(AttendanceStatus::Present) => ('P', 0),
            Some(AttendanceStatus::Late) => ('L', 1),
            Some(AttendanceStatus::Absent) => ('A', 2),
            Some(AttendanceStatus::Excused) => ('E', 3),
            None => ('·', 4),
        };
        n[i] += 1;
        let detail = m.map_or(String::new(), |m| mark_detail(m, tz));
        rows.push(format!("{letter}  {}  {detail}", text::pad(&st.name, 24)));
    }
    let mut lines = vec![
        format!(
            "{} students: {} present · {} late · {} absent · {} excused · {} unmarked",
            grid.students.len(),
            n[0],
            n[1],
            n[2],
            n[3],
            n[4]
        ),
        String::new(),
    ];
    lines.extend(rows);
    (title, lines)
}

/// The history report (Enter on a student): the rate and counts, then every session.
pub(super) fn history_lines(
    h: &staffroom_core::protocol::attendance::StudentHistory,
    threshold: u8,
    tz: chrono_tz::Tz,
) -> Vec<String> {
    let c = h.counts;
    let rate = attendance_rate(c).map_or("no held sessions yet".to_string(), |r| format!("{:.0}%", r * 100.0));
    let flag = if below_threshold(c, threshold) { format!(" — under {threshold}%") } else { String::new() };
    let mut lines = vec![
        format!("{} · enrolment {}", h.cohort, h.enrollment_status),
        format!("rate {rate}{flag}: (present + late) / (held − excused)"),
        format!(
            "held {} · present {} · late {} · excused {} · absent or unmarked {}",
            c.held,
            c.present,
            c.late,
            c.excused,
            (c.held - c.present - c.late - c.excused).max(0)
        ),
        String::new(),
    ];
    for (date, title, status, mark) in &h.rows {
        let letter = match (status, mark) {
            (crate::domain::attendance::SessionStatus::Cancelled, _) => "x".to_string(),
            (_, Some(m)) => m.status.letter().to_string(),
            (_, None) => "·".to_string(),
        };
        let detail = mark.as_ref().map_or(String::new(), |m| mark_detail(m, tz));
        let cancelled =
            if *status == crate::domain::attendance::SessionStatus::Cancelled { " (cancelled)" } else { "" };
        lines.push(format!("{}  {letter}  {title}{cancelled}  {detail}", date.format("%a %Y-%m-%d")));
    }
    if h.rows.is_empty() {
        lines.push("no sessions up to today".into());
    }
    lines
}
