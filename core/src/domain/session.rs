//! A class meeting on the calendar (docs/domain.md §3, seeds 002 and 003): how it is
//! delivered, what kind it is, and the rules a session's fields obey wherever they
//! are typed (the calendar's form, a future import).

use chrono::{NaiveDate, NaiveTime};

string_enum! {
    /// Where a session happens; the mode decides which place fields are needed.
    DeliveryMode { Onsite => "onsite", Remote => "remote", Hybrid => "hybrid" }
}

string_enum! {
    SessionType { Normal => "normal", Visitor => "visitor", Unusual => "unusual", Exam => "exam", Workshop => "workshop" }
}

/// The longest title, location and meeting link, and day plan, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_PLACE_CHARS: usize = 500;
pub const MAX_PLAN_CHARS: usize = 20_000;

/// The place a mode needs: onsite a location, remote a meeting link, hybrid both.
/// `Err` names the field that is missing, and why.
pub fn check_place(
    mode: DeliveryMode,
    location: Option<&str>,
    meeting_url: Option<&str>,
) -> Result<(), (&'static str, String)> {
    let has = |v: Option<&str>| v.is_some_and(|s| !s.trim().is_empty());
    if matches!(mode, DeliveryMode::Onsite | DeliveryMode::Hybrid) && !has(location) {
        return Err(("location", format!("is needed for an {mode} session (a room or an address)")));
    }
    if matches!(mode, DeliveryMode::Remote | DeliveryMode::Hybrid) && !has(meeting_url) {
        return Err(("meeting_url", format!("is needed for a {mode} session (the link students join)")));
    }
    if let Some(url) = meeting_url.map(str::trim).filter(|u| !u.is_empty()) {
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) || url.contains(char::is_whitespace) {
            return Err(("meeting_url", "must be a web link starting with https:// and without spaces".into()));
        }
    }
    Ok(())
}

/// A session's times: both optional (a whole-day session has none), an end needs a
/// start, and ends after it on the same day.
pub fn check_times(starts: Option<NaiveTime>, ends: Option<NaiveTime>) -> Result<(), (&'static str, String)> {
    match (starts, ends) {
        (None, Some(_)) => Err(("starts", "is needed when an end time is given".into())),
        (Some(s), Some(e)) if e <= s => {
            Err(("ends", format!("{} is not after the start ({})", e.format("%H:%M"), s.format("%H:%M"))))
        }
        _ => Ok(()),
    }
}

/// A session must fall within its cohort's dates when the cohort has them. `Err` says
/// which dates, so the user can pick another day or change the cohort.
pub fn check_within(
    date: NaiveDate,
    cohort: &str,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
) -> Result<(), String> {
    let before = start.is_some_and(|s| date < s);
    let after = end.is_some_and(|e| date > e);
    if !(before || after) {
        return Ok(());
    }
    let show = |d: Option<NaiveDate>| d.map_or("open".to_string(), |d| d.to_string());
    Err(format!("{date} is outside {cohort}, which runs {} to {}", show(start), show(end)))
}

/// A time as typed: `18:00`, `9:30`, `18` or `1830`. `Err` says what is accepted.
pub fn parse_time(text: &str) -> Result<Option<NaiveTime>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let (h, m) = match t.split_once(':') {
        Some((h, m)) => (h, m),
        None if t.len() > 2 => t.split_at(t.len() - 2),
        None => (t, "0"),
    };
    let parsed = h.parse::<u32>().ok().zip(m.parse::<u32>().ok()).and_then(|(h, m)| NaiveTime::from_hms_opt(h, m, 0));
    match parsed {
        Some(time) if t.chars().all(|c| c.is_ascii_digit() || c == ':') => Ok(Some(time)),
        _ => Err(format!("{} is not a time of day: use HH:MM, e.g. 18:30", echo(t))),
    }
}

/// Typed text repeated in a message: quoted when it is short plain ASCII, else
/// "that" (a message never carries escape sequences or a 10 MB paste back).
pub fn echo(typed: &str) -> String {
    if typed.len() <= 24 && typed.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
        format!("'{typed}'")
    } else {
        "that".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> Option<NaiveTime> {
        NaiveTime::from_hms_opt(h, m, 0)
    }

    #[test]
    fn the_mode_decides_the_place_fields() {
        assert_eq!(check_place(DeliveryMode::Onsite, Some("Room 2"), None), Ok(()));
        assert_eq!(check_place(DeliveryMode::Onsite, Some("  "), None).unwrap_err().0, "location");
        assert_eq!(check_place(DeliveryMode::Remote, Some("Room 2"), None).unwrap_err().0, "meeting_url");
        assert_eq!(check_place(DeliveryMode::Remote, None, Some("https://meet.example/x")), Ok(()));
        assert_eq!(check_place(DeliveryMode::Hybrid, None, Some("https://meet.example/x")).unwrap_err().0, "location");
        assert_eq!(check_place(DeliveryMode::Hybrid, Some("Lab"), None).unwrap_err().0, "meeting_url");
        let bad = check_place(DeliveryMode::Remote, None, Some("javascript:alert(1)")).unwrap_err();
        assert!(bad.1.contains("https://"), "{bad:?}");
    }

    #[test]
    fn times_end_after_they_start() {
        assert_eq!(check_times(t(18, 0), t(20, 0)), Ok(()));
        assert_eq!(check_times(None, None), Ok(()));
        assert_eq!(check_times(t(18, 0), None), Ok(()));
        assert_eq!(check_times(None, t(20, 0)).unwrap_err().0, "starts");
        let e = check_times(t(18, 0), t(18, 0)).unwrap_err();
        assert_eq!(e, ("ends", "18:00 is not after the start (18:00)".to_string()));
    }

    #[test]
    fn a_session_stays_within_its_cohort_dates() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let (s, e) = (Some(d("2026-10-01")), Some(d("2026-12-20")));
        assert_eq!(check_within(d("2026-10-01"), "C7", s, e), Ok(()));
        assert_eq!(check_within(d("2026-12-20"), "C7", s, e), Ok(()));
        let why = check_within(d("2026-12-21"), "C7", s, e).unwrap_err();
        assert_eq!(why, "2026-12-21 is outside C7, which runs 2026-10-01 to 2026-12-20");
        assert!(check_within(d("2026-09-30"), "C7", s, None).unwrap_err().contains("to open"));
        assert_eq!(check_within(d("2030-01-01"), "C7", None, None), Ok(()));
    }

    #[test]
    fn times_are_typed_several_ways() {
        assert_eq!(parse_time("18:30"), Ok(t(18, 30)));
        assert_eq!(parse_time("9:05"), Ok(t(9, 5)));
        assert_eq!(parse_time("18"), Ok(t(18, 0)));
        assert_eq!(parse_time("1830"), Ok(t(18, 30)));
        assert_eq!(parse_time(""), Ok(None));
        for bad in ["24:00", "18:60", "six", "-1", "99999999999999999999", "18:3a"] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }
}
