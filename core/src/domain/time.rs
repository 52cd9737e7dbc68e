//! Instants and days as the office sees them: everything shown or typed is in
//! `display.time_zone`. The instant itself arrives with each tick; nothing here
//! reads the clock.

use crate::domain::dates;
use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// `2026-12-01 14:05` in the office's zone.
pub fn stamp(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

/// The office's calendar day at `now`.
pub fn today(now: DateTime<Utc>, tz: Tz) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}

/// `day` at `hour`:00 in the office's zone, as an instant. A time skipped by a DST
/// change moves to the next hour that exists; an ambiguous one takes the earlier.
pub fn at_hour(day: NaiveDate, hour: u32, tz: Tz) -> DateTime<Utc> {
    for h in hour..24 {
        let t = day.and_time(NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN));
        match tz.from_local_datetime(&t) {
            LocalResult::Single(x) | LocalResult::Ambiguous(x, _) => return x.with_timezone(&Utc),
            LocalResult::None => continue,
        }
    }
    day.and_time(NaiveTime::MIN).and_utc()
}

/// An instant typed as a day and an optional time in the office's zone:
/// `2026-12-24 18:30`, `+3 9:00`, `tomorrow` (09:00). A time a DST change skips is
/// taken an hour later.
pub fn parse_instant(text: &str, today: NaiveDate, tz: Tz) -> Result<DateTime<Utc>, String> {
    let mut words = text.split_whitespace();
    let day = parse_day(words.next().unwrap_or(""), today)?;
    let Some(at) = words.next() else { return Ok(at_hour(day, 9, tz)) };
    if words.next().is_some() {
        return Err("type a day and a time, e.g. 2026-12-24 18:30".into());
    }
    let time = crate::domain::session::parse_time(at)?.unwrap_or(NaiveTime::MIN);
    let local = day.and_time(time);
    tz.from_local_datetime(&local)
        .earliest()
        .or_else(|| tz.from_local_datetime(&(local + Duration::hours(1))).earliest())
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| format!("{local} does not exist in {tz}"))
}

/// A filter's bound: a day alone means its start (or, with `end`, the start of the
/// next day) in the office's zone; otherwise an instant as `parse_instant` takes it.
pub fn parse_bound(text: &str, end: bool, today: NaiveDate, tz: Tz) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Some(day) = dates::parse_plain(text) {
        let day = day?;
        let day = if end { day.succ_opt().unwrap_or(day) } else { day };
        return Ok(at_hour(day, 0, tz));
    }
    parse_instant(text, today, tz)
}

/// A day typed by a person: `YYYY-MM-DD`, `+N` or `N` (days from today), `-N` (days
/// back), `today`, `tomorrow` — within the office's range of days
/// (`domain::dates`). Every refusal says what is accepted.
pub fn parse_day(text: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("today") {
        return Ok(today);
    }
    if text.eq_ignore_ascii_case("tomorrow") {
        return dates::add_days(today, 1);
    }
    if let Ok(n) = text.strip_prefix('+').unwrap_or(text).parse::<i64>() {
        return dates::add_days(today, n);
    }
    dates::parse_plain(text)
        .unwrap_or_else(|| Err(format!("'{}' is not a date: use YYYY-MM-DD, +N or tomorrow", crate::text::inert(text))))
}

/// A day to go to on the calendar: what `parse_day` takes, and a weekday (`monday`
/// or `mon`: the next one from tomorrow; `next monday` the same; `last monday` the
/// one before today).
pub fn parse_go_to(text: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    use chrono::Datelike;
    let t = text.trim().to_lowercase();
    let (back, name) = match t.split_once(' ') {
        Some(("next", rest)) => (false, rest.trim()),
        Some(("last", rest)) => (true, rest.trim()),
        _ => (false, t.as_str()),
    };
    let days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    if let Some(target) = days.iter().position(|d| name.len() >= 3 && d.starts_with(name)) {
        let from = i64::from(today.weekday().num_days_from_monday());
        let target = target as i64;
        let delta = if back { -((from - target + 6).rem_euclid(7) + 1) } else { (target - from - 1).rem_euclid(7) + 1 };
        return dates::add_days(today, delta);
    }
    parse_day(text, today).map_err(|why| {
        if why.contains(dates::RANGE) {
            return why;
        }
        format!(
            "'{}' is not a date: use YYYY-MM-DD, +N, -N, today, tomorrow or a weekday",
            crate::text::inert(text.trim())
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_to_takes_dates_offsets_and_weekdays() {
        let tue = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let day = |s: &str| parse_go_to(s, tue).map(|d| d.to_string());
        assert_eq!(day("2026-12-24").as_deref(), Ok("2026-12-24"));
        assert_eq!(day("+7").as_deref(), Ok("2026-12-08"));
        assert_eq!(day("-3").as_deref(), Ok("2026-11-28"));
        assert_eq!(day("next monday").as_deref(), Ok("2026-12-07"));
        assert_eq!(day("mon").as_deref(), Ok("2026-12-07"));
        assert_eq!(day("tuesday").as_deref(), Ok("2026-12-08"), "a weekday is the next one, not today");
        assert_eq!(day("wed").as_deref(), Ok("2026-12-02"));
        assert_eq!(day("last tuesday").as_deref(), Ok("2026-11-24"));
        assert_eq!(day("last monday").as_deref(), Ok("2026-11-30"));
        assert!(day("someday").unwrap_err().contains("is not a date"));
        assert!(day("-99999").unwrap_err().contains(crate::domain::dates::RANGE));
        assert!(day("9999-12-31").unwrap_err().contains(crate::domain::dates::RANGE));
    }

    #[test]
    fn today_follows_the_zone_across_midnight() {
        let cairo: Tz = "Africa/Cairo".parse().unwrap();
        // 23:30 UTC on 30 Nov is already 1 Dec in Cairo (UTC+2).
        let t = "2026-11-30T23:30:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(today(t, cairo).to_string(), "2026-12-01");
        assert_eq!(today(t, Tz::UTC).to_string(), "2026-11-30");
        assert_eq!(stamp(t, cairo), "2026-12-01 01:30");
    }

    #[test]
    fn hours_in_the_zone_survive_dst() {
        let ny: Tz = "America/New_York".parse().unwrap();
        // 2026-03-08: clocks jump from 02:00 to 03:00.
        let day = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        assert_eq!(at_hour(day, 2, ny).to_rfc3339(), "2026-03-08T07:00:00+00:00");
        assert_eq!(at_hour(day, 9, ny).to_rfc3339(), "2026-03-08T13:00:00+00:00");
        let winter = NaiveDate::from_ymd_opt(2026, 1, 8).unwrap();
        assert_eq!(at_hour(winter, 9, ny).to_rfc3339(), "2026-01-08T14:00:00+00:00");
    }

    #[test]
    fn typed_days() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(parse_day("+3", today).unwrap().to_string(), "2026-11-26");
        assert_eq!(parse_day("tomorrow", today).unwrap().to_string(), "2026-11-24");
        assert_eq!(parse_day("2026-12-01", today).unwrap().to_string(), "2026-12-01");
        assert!(parse_day("soon", today).unwrap_err().contains("not a date"));
        assert!(parse_day("99999999999", today).unwrap_err().contains(crate::domain::dates::RANGE));
        assert!(parse_day("9999-12-31", today).unwrap_err().contains(crate::domain::dates::RANGE));
        assert_eq!(parse_day("-5", today).unwrap().to_string(), "2026-11-18");
    }
}
