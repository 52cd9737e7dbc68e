//! The one range of days the office keeps: every date field, typed in a form, a
//! prompt, the calendar or the command line, and checked again by the store, lies
//! in the years 1900 to 2200. A typo such as `9999-12-31` or `0000-01-01` is refused
//! naming the range, rather than stored as a follow-up nobody reaches, a publish time
//! that is always due, or an event no calendar view ever shows. Fields that may not
//! lie in the past (a follow-up) say "in the past" on their own; the rest accept any
//! day of the range.

use super::session::echo;
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// The first and last years a date field accepts.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2200;

/// The range as it is named in refusals and the README.
pub const RANGE: &str = "1900-01-01 to 2200-12-31";

/// The first day of the range.
pub fn first() -> NaiveDate {
    NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// The last day of the range.
pub fn last() -> NaiveDate {
    NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// `day`, or why it is outside the range (named).
pub fn check(day: NaiveDate) -> Result<NaiveDate, String> {
    if (first()..=last()).contains(&day) { Ok(day) } else { Err(format!("{day} is outside the days kept ({RANGE})")) }
}

/// An instant whose day (in UTC) is within the range.
pub fn check_instant(at: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    check(at.date_naive()).map(|_| at)
}

/// `day` held inside the range (calendar navigation stops at its ends).
pub fn clamp(day: NaiveDate) -> NaiveDate {
    day.clamp(first(), last())
}

/// A day typed as `YYYY-MM-DD`, within the range. `Err` says which of the two is wrong.
pub fn parse(text: &str) -> Result<NaiveDate, String> {
    parse_plain(text).unwrap_or_else(|| Err(format!("{} is not a date: use YYYY-MM-DD", echo(text.trim()))))
}

/// `None` when `text` is not a `YYYY-MM-DD` day at all (the caller names the forms
/// it takes), else the day or why it is outside the range.
pub fn parse_plain(text: &str) -> Option<Result<NaiveDate, String>> {
    let text = text.trim();
    // Only the plain form: `%Y` would also take `+10000-01-01` and `-5-01-01`.
    let plain = text.len() == 10 && text.bytes().enumerate().all(|(i, b)| (i == 4 || i == 7) == (b == b'-'));
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().filter(|_| plain)?;
    Some(check(day))
}

/// `today` moved by `days` (negative: back), within the range.
pub fn add_days(today: NaiveDate, days: i64) -> Result<NaiveDate, String> {
    Duration::try_days(days)
        .and_then(|d| today.checked_add_signed(d))
        .ok_or_else(|| format!("{days:+} days is outside the days kept ({RANGE})"))
        .and_then(check)
}

/// `day` when it is `today` or later (and within the range), else why not.
pub fn not_past(day: NaiveDate, today: NaiveDate) -> Result<NaiveDate, String> {
    if day < today { Err(format!("{day} is in the past: pick today or a later day")) } else { check(day) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn one_range_names_itself_in_every_refusal() {
        assert_eq!(parse("2026-12-01"), Ok(d("2026-12-01")));
        assert_eq!(parse("1900-01-01"), Ok(first()));
        assert_eq!(parse("2200-12-31"), Ok(last()));
        for absurd in ["9999-12-31", "0000-01-01", "1899-12-31", "2201-01-01"] {
            assert!(parse(absurd).unwrap_err().contains(RANGE), "{absurd}");
        }
        for junk in ["+10000-01-01", "soon", "2026-13-01", "26-12-01"] {
            assert!(parse(junk).unwrap_err().contains("not a date"), "{junk}");
        }
        assert!(add_days(d("2026-12-01"), 99_999_999_999).unwrap_err().contains(RANGE));
        assert!(add_days(d("2026-12-01"), i64::MAX).unwrap_err().contains(RANGE));
        assert_eq!(add_days(d("2026-12-01"), -5), Ok(d("2026-11-26")));
        assert!(not_past(d("2026-11-26"), d("2026-12-01")).unwrap_err().contains("in the past"));
        assert!(not_past(d("9999-12-31"), d("2026-12-01")).unwrap_err().contains(RANGE));
        assert_eq!(clamp(d("9999-12-31")), last());
    }
}
