//! Weekly series of sessions: "Mondays and Wednesdays at 18:00 until 20 December,
//! skipping the holidays", or "for 12 sessions". The dates come from the `rrule`
//! crate (RFC 5545 recurrence rules) evaluated in the cohort's zone, so a series
//! that crosses a DST change keeps its local hour (its UTC instant moves).
//!
//! "For N sessions" counts the sessions created: a skipped holiday moves the end of
//! the series one meeting later, as a teacher planning "12 classes" expects (RFC
//! 5545's COUNT would count the holiday and leave 11).

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Weekday};
use rrule::{Frequency, NWeekday, RRule};

/// The most sessions one series creates (two years of twice a week).
pub const MAX_SESSIONS: usize = 200;

/// How a series ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ends {
    /// The last day a session may fall on (included).
    Until(NaiveDate),
    /// This many sessions.
    Count(u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeat {
    /// The weekdays it meets; empty means the first date's weekday.
    pub weekdays: Vec<Weekday>,
    pub ends: Ends,
    /// Days with no session (holidays).
    pub skip: Vec<NaiveDate>,
}

/// The meetings of a series starting on `first` at `at` (midnight for a whole-day
/// session) in `tz`: the first meeting is the first chosen weekday on or after
/// `first`. `Err` says what is wrong with the series.
pub fn meetings(
    first: NaiveDate,
    at: Option<NaiveTime>,
    tz: chrono_tz::Tz,
    repeat: &Repeat,
) -> Result<Vec<DateTime<chrono_tz::Tz>>, String> {
    let wanted = match repeat.ends {
        Ends::Count(0) => return Err("a series needs at least one session".into()),
        Ends::Count(n) if n as usize > MAX_SESSIONS => {
            return Err(format!("{n} sessions is more than one series may create ({MAX_SESSIONS})"));
        }
        Ends::Count(n) => n as usize,
        Ends::Until(last) if last < first => {
            return Err(format!("the series ends ({last}) before it starts ({first})"));
        }
        Ends::Until(_) => MAX_SESSIONS + 1,
    };
    let local = |d: NaiveDate| {
        let naive = d.and_time(at.unwrap_or(NaiveTime::MIN));
        // A time that a DST change skips is taken an hour later; a repeated one, the first.
        tz.from_local_datetime(&naive)
            .earliest()
            .or_else(|| tz.from_local_datetime(&(naive + chrono::Duration::hours(1))).earliest())
            .ok_or_else(|| format!("{naive} does not exist in {tz}"))
    };
    let rtz = rrule::Tz::Tz(tz);
    let start = local(first)?.with_timezone(&rtz);
    let mut days: Vec<NWeekday> = repeat.weekdays.iter().map(|w| NWeekday::Every(*w)).collect();
    if days.is_empty() {
        days.push(NWeekday::Every(chrono::Datelike::weekday(&first)));
    }
    let mut rule = RRule::new(Frequency::Weekly).by_weekday(days);
    if let Ends::Until(last) = repeat.ends {
        // RFC 5545 (and the rrule crate) want UNTIL in UTC when DTSTART has a zone:
        // the last instant of the until day in the cohort's zone, as UTC.
        rule = rule.until(end_of_day_utc(last, tz)?);
    }
    let set = rule.build(start).map_err(|e| format!("the series cannot be built: {e}"))?;
    let mut out = Vec::new();
    for at in set.into_iter() {
        let local_at = at.with_timezone(&tz);
        if repeat.skip.contains(&local_at.date_naive()) {
            continue;
        }
        out.push(local_at);
        if out.len() >= wanted {
            break;
        }
    }
    if out.len() > MAX_SESSIONS {
        return Err(format!("the series would create more than {MAX_SESSIONS} sessions; end it sooner"));
    }
    if out.is_empty() {
        return Err("the series has no session: every meeting day is skipped".into());
    }
    Ok(out)
}

/// The last second of `day` in `tz`, in UTC: the next local midnight (or the first
/// instant after it, when a DST change skips midnight) less one second.
fn end_of_day_utc(day: NaiveDate, tz: chrono_tz::Tz) -> Result<DateTime<rrule::Tz>, String> {
    let next = day.succ_opt().ok_or_else(|| format!("{day} is too far in the future"))?;
    let midnight = next.and_time(NaiveTime::MIN);
    let start_of_next = tz
        .from_local_datetime(&midnight)
        .earliest()
        .or_else(|| tz.from_local_datetime(&(midnight + chrono::Duration::hours(1))).earliest())
        .ok_or_else(|| format!("{midnight} does not exist in {tz}"))?;
    Ok((start_of_next - chrono::Duration::seconds(1)).with_timezone(&rrule::Tz::UTC))
}

/// Weekdays as typed: `mon wed`, `Mon,Thu`, `tuesday`. `Err` names the word that
/// is not a weekday.
pub fn parse_weekdays(text: &str) -> Result<Vec<Weekday>, String> {
    let mut out = Vec::new();
    for word in text.split(|c: char| c == ',' || c.is_whitespace()).filter(|w| !w.is_empty()) {
        let day: Weekday = word
            .parse()
            .map_err(|_| format!("{} is not a weekday: use mon tue wed …", crate::domain::session::echo(word)))?;
        if !out.contains(&day) {
            out.push(day);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Timelike, Utc};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn six_pm() -> Option<NaiveTime> {
        NaiveTime::from_hms_opt(18, 0, 0)
    }

    #[test]
    fn a_series_keeps_its_local_hour_across_a_dst_change() {
        // Europe/Berlin leaves summer time on Sunday 2026-10-25.
        let tz = chrono_tz::Europe::Berlin;
        let r = Repeat { weekdays: vec![Weekday::Tue], ends: Ends::Count(3), skip: vec![] };
        let m = meetings(d("2026-10-20"), six_pm(), tz, &r).unwrap();
        let days: Vec<NaiveDate> = m.iter().map(|t| t.date_naive()).collect();
        assert_eq!(days, [d("2026-10-20"), d("2026-10-27"), d("2026-11-03")]);
        assert!(m.iter().all(|t| t.hour() == 18), "18:00 local every week: {m:?}");
        let utc: Vec<u32> = m.iter().map(|t| t.with_timezone(&Utc).hour()).collect();
        assert_eq!(utc, [16, 17, 17], "the UTC instant moves by the hour the clocks went back");
    }

    #[test]
    fn an_until_series_in_a_zone_crosses_the_egyptian_dst_change_keeping_its_hour() {
        // Africa/Cairo moves to summer time on the last Friday of April (2026-04-24)
        // and back on the last Thursday of October (2026-10-29).
        let tz = chrono_tz::Africa::Cairo;
        let spring = Repeat { weekdays: vec![Weekday::Tue], ends: Ends::Until(d("2026-05-05")), skip: vec![] };
        let m = meetings(d("2026-04-14"), six_pm(), tz, &spring).unwrap();
        let days: Vec<NaiveDate> = m.iter().map(|t| t.date_naive()).collect();
        assert_eq!(days, [d("2026-04-14"), d("2026-04-21"), d("2026-04-28"), d("2026-05-05")]);
        assert!(m.iter().all(|t| t.hour() == 18), "18:00 in Cairo every week: {m:?}");
        let utc: Vec<u32> = m.iter().map(|t| t.with_timezone(&Utc).hour()).collect();
        assert_eq!(utc, [16, 16, 15, 15], "summer time starts between the 21st and the 28th");

        // Until a day that is not a meeting day: the last session is before it.
        let autumn = Repeat { weekdays: vec![Weekday::Thu], ends: Ends::Until(d("2026-11-11")), skip: vec![] };
        let m = meetings(d("2026-10-20"), six_pm(), tz, &autumn).unwrap();
        let days: Vec<NaiveDate> = m.iter().map(|t| t.date_naive()).collect();
        assert_eq!(days, [d("2026-10-22"), d("2026-10-29"), d("2026-11-05")]);
        assert!(m.iter().all(|t| t.hour() == 18), "{m:?}");
        let utc: Vec<u32> = m.iter().map(|t| t.with_timezone(&Utc).hour()).collect();
        assert_eq!(utc, [15, 15, 16], "summer time ends at the end of the 29th");

        // A session at 23:30 on the until day is still in; whole-day sessions too.
        let late = NaiveTime::from_hms_opt(23, 30, 0);
        let one_week = Repeat { weekdays: vec![Weekday::Tue], ends: Ends::Until(d("2026-04-21")), skip: vec![] };
        assert_eq!(meetings(d("2026-04-14"), late, tz, &one_week).unwrap().len(), 2);
        assert_eq!(meetings(d("2026-04-14"), None, tz, &one_week).unwrap().len(), 2);
    }

    #[test]
    fn a_skipped_day_moves_a_counted_series_on() {
        let r =
            Repeat { weekdays: vec![Weekday::Mon, Weekday::Wed], ends: Ends::Count(4), skip: vec![d("2026-12-02")] };
        let m = meetings(d("2026-11-30"), six_pm(), chrono_tz::UTC, &r).unwrap();
        let days: Vec<NaiveDate> = m.iter().map(|t| t.date_naive()).collect();
        assert_eq!(days, [d("2026-11-30"), d("2026-12-07"), d("2026-12-09"), d("2026-12-14")]);
    }

    #[test]
    fn until_includes_its_last_day_and_starts_on_the_first_chosen_weekday() {
        let r =
            Repeat { weekdays: vec![Weekday::Thu], ends: Ends::Until(d("2026-12-24")), skip: vec![d("2026-12-17")] };
        // 2026-12-01 is a Tuesday: the first meeting is Thursday the 3rd.
        let m = meetings(d("2026-12-01"), None, chrono_tz::UTC, &r).unwrap();
        let days: Vec<NaiveDate> = m.iter().map(|t| t.date_naive()).collect();
        assert_eq!(days, [d("2026-12-03"), d("2026-12-10"), d("2026-12-24")]);
    }

    #[test]
    fn no_weekdays_means_the_first_dates_weekday() {
        let r = Repeat { weekdays: vec![], ends: Ends::Count(2), skip: vec![] };
        let m = meetings(d("2026-12-01"), six_pm(), chrono_tz::UTC, &r).unwrap();
        assert_eq!(m[1].date_naive(), d("2026-12-08"));
    }

    #[test]
    fn absurd_series_are_refused() {
        let tz = chrono_tz::UTC;
        let r = |ends| Repeat { weekdays: vec![Weekday::Mon], ends, skip: vec![] };
        assert!(meetings(d("2026-12-01"), None, tz, &r(Ends::Count(0))).is_err());
        assert!(meetings(d("2026-12-01"), None, tz, &r(Ends::Count(10_000))).unwrap_err().contains("200"));
        assert!(meetings(d("2026-12-01"), None, tz, &r(Ends::Until(d("2026-11-01")))).unwrap_err().contains("before"));
        let decade = meetings(d("2026-12-01"), None, tz, &r(Ends::Until(d("2036-12-01")))).unwrap_err();
        assert!(decade.contains("more than 200"), "{decade}");
        let all_skipped =
            Repeat { weekdays: vec![Weekday::Mon], ends: Ends::Until(d("2026-12-07")), skip: vec![d("2026-12-07")] };
        assert!(meetings(d("2026-12-01"), None, tz, &all_skipped).unwrap_err().contains("no session"));
    }

    #[test]
    fn weekdays_are_typed_as_words() {
        assert_eq!(parse_weekdays("mon, Wed  friday"), Ok(vec![Weekday::Mon, Weekday::Wed, Weekday::Fri]));
        assert_eq!(parse_weekdays(""), Ok(vec![]));
        assert!(parse_weekdays("mon funday").unwrap_err().contains("'funday'"));
    }
}
