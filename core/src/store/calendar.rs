//! The cohort calendar (docs/domain.md §3 and §4): sessions and events between two
//! days, each session with the clash it is in, if any — the same cohort, or a
//! cohort sharing an instructor, meeting at an overlapping time on the same date.
//!
//! An instructor who is not also staff or admin sees their own cohorts' sessions;
//! everyone sees the events. A range is at most `MAX_DAYS` long and `MAX_ENTRIES`
//! rows, so no view loads a whole table.

use super::{Actor, Db, Result};
use crate::with_db;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use std::collections::HashMap;

/// The longest range one load covers (a month view shows six weeks).
pub const MAX_DAYS: i64 = 62;
/// At most this many sessions and as many events per load.
pub const MAX_ENTRIES: i64 = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Session,
    Event,
}

/// One thing on the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: Kind,
    pub id: i64,
    /// The day in the office's zone.
    pub date: NaiveDate,
    pub starts: Option<NaiveTime>,
    pub ends: Option<NaiveTime>,
    pub title: String,
    /// A session's cohort, or an event's type.
    pub group: String,
    pub cohort_id: Option<i64>,
    /// Room or meeting link.
    pub place: String,
    pub status: String,
    /// Events: registrations and the cap ("12/40").
    pub seats: Option<String>,
    /// The other session this one clashes with, in words.
    pub clash: Option<String>,
    /// A session's version (a move or an edit sends it back); 0 for events.
    pub version: i64,
    /// A session of a cohort with its own zone, when it differs from the office's:
    /// its times there (`18:00–20:00 Europe/London`). `date`, `starts` and `ends`
    /// are always the office's.
    pub own_time: Option<String>,
}

/// What the calendar shows: everything one may see, or one cohort, one program or
/// one instructor's cohorts (events only when nothing is picked).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CalendarFilter {
    pub cohort: Option<i64>,
    pub program: Option<i64>,
    pub instructor: Option<i64>,
}

impl CalendarFilter {
    pub fn is_empty(&self) -> bool {
        *self == CalendarFilter::default()
    }
}

type SessionRow = (
    i64,
    i64,
    NaiveDate,
    Option<NaiveTime>,
    Option<NaiveTime>,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    i64,
    Option<String>,
);

/// A session as the office sees it: its day, start and end in the office's zone,
/// and its own times in words when its cohort keeps another zone
/// (`18:00–21:00 Africa/Cairo`). The one rule for every place that shows a
/// session's time (the calendar, the dashboard).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub date: NaiveDate,
    pub starts: Option<NaiveTime>,
    pub ends: Option<NaiveTime>,
    pub own_time: Option<String>,
}

/// `Shown` for a session stored on `date` from `starts` to `ends` in its cohort's
/// `zone` (none, or unknown: the office's), seen from the office's `tz`.
pub fn shown(
    date: NaiveDate,
    starts: Option<NaiveTime>,
    ends: Option<NaiveTime>,
    zone: Option<&str>,
    tz: chrono_tz::Tz,
) -> Shown {
    let own = zone.and_then(|z| z.trim().parse::<chrono_tz::Tz>().ok()).filter(|z| *z != tz);
    match own.and_then(|own| in_office(date, starts, ends, own, tz)) {
        Some((date, starts, ends, words)) => Shown { date, starts, ends, own_time: Some(words) },
        None => Shown { date, starts, ends, own_time: None },
    }
}

/// A session's local times in `own` shown in the office's `tz`: the office's date,
/// start and end, and the session's own times in words. `None` when the zones agree.
fn in_office(
    date: NaiveDate,
    starts: Option<NaiveTime>,
    ends: Option<NaiveTime>,
    own: chrono_tz::Tz,
    tz: chrono_tz::Tz,
) -> Option<(NaiveDate, Option<NaiveTime>, Option<NaiveTime>, String)> {
    use chrono::TimeZone;
    let start = starts?;
    let at = |t: NaiveTime| own.from_local_datetime(&date.and_time(t)).earliest().map(|x| x.with_timezone(&tz));
    let s = at(start)?;
    if s.naive_local() == date.and_time(start) {
        return None;
    }
    let e = ends.and_then(at);
    let hm = |t: NaiveTime| t.format("%H:%M").to_string();
    let words = match ends {
        Some(end) => format!("{}–{} {}", hm(start), hm(end), own.name()),
        None => format!("{} {}", hm(start), own.name()),
    };
    // An end that falls on the next office day is dropped (the block ends at midnight).
    let e = e.filter(|e| e.date_naive() == s.date_naive()).map(|e| e.time());
    Some((s.date_naive(), Some(s.time()), e, words))
}

/// Everything between `from` and `to` (both included), by date and time, that
/// `filter` keeps. `tz` is the office's zone: events (stored as instants) and the
/// sessions of a cohort with its own zone are placed on the office's days and hours.
pub async fn range(
    db: &Db,
    actor: &Actor,
    from: NaiveDate,
    to: NaiveDate,
    tz: chrono_tz::Tz,
    filter: CalendarFilter,
) -> Result<Vec<Entry>> {
    let to = to.min(from + chrono::Duration::days(MAX_DAYS - 1));
    let own_only = actor.roles.instructor && !actor.roles.admin && !actor.roles.staff;
    let sessions_sql = format!(
        "SELECT s.id, s.cohort_id, s.date, s.starts_at, s.ends_at, s.title, c.name, s.location, s.meeting_url, \
         s.status, s.version, c.time_zone \
         FROM sessions s JOIN cohorts c ON c.id = s.cohort_id \
         WHERE s.date >= $1 AND s.date <= $2 \
         AND ($3 = 0 OR s.cohort_id IN (SELECT cohort_id FROM cohort_instructors WHERE user_id = $4)) \
         AND ($5 = 0 OR s.cohort_id = $5) AND ($6 = 0 OR c.program_id = $6) \
         AND ($7 = 0 OR s.cohort_id IN (SELECT cohort_id FROM cohort_instructors WHERE user_id = $7)) \
         ORDER BY s.date, s.starts_at, s.id LIMIT {MAX_ENTRIES}"
    );
    let rows: Vec<SessionRow> = with_db!(db, p => {
        sqlx::query_as(&sessions_sql)
            .bind(from)
            .bind(to)
            .bind(i64::from(own_only))
            .bind(actor.user_id.unwrap_or(-1))
            .bind(filter.cohort.unwrap_or(0))
            .bind(filter.program.unwrap_or(0))
            .bind(filter.instructor.unwrap_or(0))
            .fetch_all(p)
            .await?
    });
    let cohort_ids: Vec<i64> = {
        let mut v: Vec<i64> = rows.iter().map(|r| r.1).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let teachers = instructors(db, &cohort_ids).await?;
    let mut entries: Vec<Entry> = rows
        .into_iter()
        .map(|(id, cohort_id, date, starts, ends, title, cohort, location, url, status, version, zone)| {
            let Shown { date, starts, ends, own_time } = shown(date, starts, ends, zone.as_deref(), tz);
            Entry {
                kind: Kind::Session,
                id,
                date,
                starts,
                ends,
                title,
                group: cohort,
                cohort_id: Some(cohort_id),
                place: location.or(url).unwrap_or_default(),
                status,
                seats: None,
                clash: None,
                version,
                own_time,
            }
        })
        .collect();
    // A zone moved some sessions to another office day or hour: back in order.
    entries.sort_by_key(|e| (e.date, e.starts, e.id));
    mark_clashes(&mut entries, &teachers);

    let start = midnight(from, tz);
    let end = midnight(to + chrono::Duration::days(1), tz);
    let events_sql = format!(
        "SELECT e.id, e.starts_at, e.duration_minutes, e.title, e.event_type, e.location, e.meeting_url, e.status, \
         e.max_attendees, (SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id) \
         FROM events e WHERE e.starts_at >= $1 AND e.starts_at < $2 ORDER BY e.starts_at, e.id LIMIT {MAX_ENTRIES}"
    );
    type EventRow = (i64, DateTime<Utc>, i64, String, String, Option<String>, Option<String>, String, Option<i64>, i64);
    let events: Vec<EventRow> = if filter.is_empty() {
        with_db!(db, p => sqlx::query_as(&events_sql).bind(start).bind(end).fetch_all(p).await?)
    } else {
        Vec::new()
    };
    for (id, at, minutes, title, kind, location, url, status, max, registered) in events {
        let local = at.with_timezone(&tz);
        let ends = local + chrono::Duration::minutes(minutes);
        entries.push(Entry {
            kind: Kind::Event,
            id,
            date: local.date_naive(),
            starts: Some(local.time()),
            ends: (ends.date_naive() == local.date_naive()).then(|| ends.time()),
            title,
            group: kind.replace('_', " "),
            cohort_id: None,
            place: location.or(url).unwrap_or_default(),
            status,
            seats: Some(match max {
                Some(m) => format!("{registered}/{m}"),
                None => registered.to_string(),
            }),
            clash: None,
            version: 0,
            own_time: None,
        });
    }
    entries.sort_by_key(|e| (e.date, e.starts, e.id));
    Ok(entries)
}

/// The instant a day begins in `tz` (the first such instant when a DST change
/// skips or repeats midnight).
fn midnight(day: NaiveDate, tz: chrono_tz::Tz) -> DateTime<Utc> {
    use chrono::TimeZone;
    let local = day.and_time(NaiveTime::MIN);
    tz.from_local_datetime(&local)
        .earliest()
        .or_else(|| tz.from_local_datetime(&(local + chrono::Duration::hours(1))).earliest())
        .map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
}

/// Instructors of each cohort.
async fn instructors(db: &Db, cohorts: &[i64]) -> Result<HashMap<i64, Vec<i64>>> {
    let mut map: HashMap<i64, Vec<i64>> = HashMap::new();
    for chunk in cohorts.chunks(500) {
        let list = (1..=chunk.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(",");
        let sql = format!("SELECT cohort_id, user_id FROM cohort_instructors WHERE cohort_id IN ({list})");
        let rows: Vec<(i64, i64)> = with_db!(db, p => {
            let mut q = sqlx::query_as(&sql);
            for id in chunk {
                q = q.bind(id);
            }
            q.fetch_all(p).await?
        });
        for (c, u) in rows {
            map.entry(c).or_default().push(u);
        }
    }
    Ok(map)
}

/// Do two sessions on one date overlap? A session without times takes the day.
pub fn overlaps(a: (Option<NaiveTime>, Option<NaiveTime>), b: (Option<NaiveTime>, Option<NaiveTime>)) -> bool {
    let end_of_day = NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN);
    let span = |(s, e): (Option<NaiveTime>, Option<NaiveTime>)| match (s, e) {
        (None, _) => (NaiveTime::MIN, end_of_day),
        (Some(s), Some(e)) if e > s => (s, e),
        // No end (or a bad one): an hour, cut at midnight.
        (Some(s), _) => {
            let e = s + chrono::Duration::hours(1);
            (s, if e <= s { end_of_day } else { e })
        }
    };
    let (a, b) = (span(a), span(b));
    a.0 < b.1 && b.0 < a.1
}

/// How a clash with another session is named: `clashes with "Intro" (Cohort 7,
/// 18:00): the same cohort`.
pub fn clash_text(title: &str, cohort: &str, starts: Option<NaiveTime>, same_cohort: bool) -> String {
    let at = starts.map_or("all day".to_string(), |t| t.format("%H:%M").to_string());
    let why = if same_cohort { "the same cohort" } else { "a shared instructor" };
    format!("clashes with \"{title}\" ({cohort}, {at}): {why}")
}

/// Marks each session that overlaps another of the same cohort or of a cohort with
/// a shared instructor (cancelled sessions clash with nothing).
pub fn mark_clashes(entries: &mut [Entry], teachers: &HashMap<i64, Vec<i64>>) {
    let n = entries.len();
    for i in 0..n {
        for j in (i + 1)..n {
            let (a, b) = (&entries[i], &entries[j]);
            if b.date != a.date {
                break; // sorted by date
            }
            if a.kind != Kind::Session || b.kind != Kind::Session || a.status == "cancelled" || b.status == "cancelled"
            {
                continue;
            }
            if !overlaps((a.starts, a.ends), (b.starts, b.ends)) {
                continue;
            }
            let (ca, cb) = (a.cohort_id.unwrap_or(0), b.cohort_id.unwrap_or(0));
            let shared = ca == cb
                || teachers
                    .get(&ca)
                    .is_some_and(|ta| teachers.get(&cb).is_some_and(|tb| ta.iter().any(|t| tb.contains(t))));
            if !shared {
                continue;
            }
            let (da, db) = (
                clash_text(&b.title, &b.group, b.starts, ca == cb),
                clash_text(&a.title, &a.group, a.starts, ca == cb),
            );
            entries[i].clash.get_or_insert(da);
            entries[j].clash.get_or_insert(db);
        }
    }
}

/// The filters the calendar offers `actor`: each cohort they may see, its programs,
/// its instructors (at most `MAX_CHOICES` of each), after "everything".
pub async fn filter_choices(db: &Db, actor: &Actor) -> Result<Vec<(CalendarFilter, String)>> {
    let own_only = actor.roles.instructor && !actor.roles.admin && !actor.roles.staff;
    let visible = "($1 = 0 OR c.id IN (SELECT cohort_id FROM cohort_instructors WHERE user_id = $2)) \
                   AND c.status NOT IN ('completed', 'cancelled')";
    let (flag, me) = (i64::from(own_only), actor.user_id.unwrap_or(-1));
    let cohorts_sql =
        format!("SELECT c.id, c.name FROM cohorts c WHERE {visible} ORDER BY c.name, c.id LIMIT {MAX_CHOICES}");
    let programs_sql = format!(
        "SELECT DISTINCT p.id, p.title FROM cohorts c JOIN programs p ON p.id = c.program_id WHERE {visible} \
         ORDER BY p.title, p.id LIMIT {MAX_CHOICES}"
    );
    let teachers_sql = format!(
        "SELECT DISTINCT u.id, u.full_name FROM cohorts c JOIN cohort_instructors ci ON ci.cohort_id = c.id \
         JOIN users u ON u.id = ci.user_id WHERE {visible} ORDER BY u.full_name, u.id LIMIT {MAX_CHOICES}"
    );
    let mut out = vec![(CalendarFilter::default(), "everything".to_string())];
    for (sql, kind) in [(cohorts_sql, 0), (programs_sql, 1), (teachers_sql, 2)] {
        let rows: Vec<(i64, String)> = with_db!(db, p => sqlx::query_as(&sql).bind(flag).bind(me).fetch_all(p).await?);
        for (id, name) in rows {
            let (f, label) = match kind {
                0 => (CalendarFilter { cohort: Some(id), ..Default::default() }, format!("cohort: {name}")),
                1 => (CalendarFilter { program: Some(id), ..Default::default() }, format!("program: {name}")),
                _ => (CalendarFilter { instructor: Some(id), ..Default::default() }, format!("instructor: {name}")),
            };
            out.push((f, label));
        }
    }
    Ok(out)
}

/// At most this many cohorts, programs and instructors are offered as filters.
pub const MAX_CHOICES: i64 = 200;

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> Option<NaiveTime> {
        NaiveTime::from_hms_opt(h, m, 0)
    }

    #[test]
    fn overlapping_times_and_whole_days() {
        assert!(overlaps((t(9, 0), t(11, 0)), (t(10, 30), t(12, 0))));
        assert!(!overlaps((t(9, 0), t(11, 0)), (t(11, 0), t(12, 0))), "back to back is no clash");
        assert!(overlaps((None, None), (t(18, 0), t(20, 0))), "a session without times takes the day");
        assert!(overlaps((t(9, 0), None), (t(9, 30), t(10, 0))), "no end: an hour");
    }

    fn entry(id: i64, cohort: i64, starts: Option<NaiveTime>, ends: Option<NaiveTime>) -> Entry {
        Entry {
            kind: Kind::Session,
            id,
            date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            starts,
            ends,
            title: format!("S{id}"),
            group: format!("Cohort {cohort}"),
            cohort_id: Some(cohort),
            place: String::new(),
            status: "scheduled".into(),
            seats: None,
            clash: None,
            version: 1,
            own_time: None,
        }
    }

    #[test]
    fn clashes_need_a_shared_cohort_or_instructor() {
        let teachers: HashMap<i64, Vec<i64>> = [(1, vec![10]), (2, vec![10]), (3, vec![30])].into_iter().collect();
        let mut e = vec![
            entry(1, 1, t(9, 0), t(11, 0)),
            entry(2, 2, t(10, 0), t(12, 0)),
            entry(3, 3, t(10, 0), t(12, 0)),
            entry(4, 1, t(13, 0), t(14, 0)),
        ];
        mark_clashes(&mut e, &teachers);
        assert_eq!(e[0].clash.as_deref(), Some("clashes with \"S2\" (Cohort 2, 10:00): a shared instructor"));
        assert!(e[1].clash.as_deref().is_some_and(|c| c.contains("\"S1\"")));
        assert_eq!(e[2].clash, None, "another instructor's cohort at the same time is no clash");
        assert_eq!(e[3].clash, None);
        let mut same = vec![entry(1, 1, t(9, 0), t(11, 0)), entry(2, 1, t(9, 30), t(10, 0))];
        mark_clashes(&mut same, &HashMap::new());
        assert!(same[0].clash.as_deref().is_some_and(|c| c.ends_with("the same cohort")));
    }
}
