//! A cohort's sessions as an RFC 5545 calendar (`staffroom export calendar`), built
//! with the `icalendar` crate. Each session is one VEVENT whose UID never changes
//! when the session is edited (`session-ID@staffroom`), with SEQUENCE bumped on each
//! edit (the row's version − 1), a cancelled session as STATUS:CANCELLED, and times
//! in UTC computed in the cohort's own zone (or the office's), so calendar programs
//! place them at the right local hour across a DST change. A session without times
//! is an all-day event.

use super::{Db, Result, StoreError};
use crate::with_db;
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};

type Row = (
    i64,
    NaiveDate,
    Option<NaiveTime>,
    Option<NaiveTime>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    i64,
);

/// The calendar of `cohort_id`'s sessions between `from` and `to` (both included;
/// at most 5,000 sessions). `office` is used when the cohort has no zone of its own.
pub async fn cohort_calendar(
    db: &Db,
    cohort_id: i64,
    from: NaiveDate,
    to: NaiveDate,
    office: chrono_tz::Tz,
) -> Result<(String, usize)> {
    let cohort: Option<(String, Option<String>)> = with_db!(db, p => {
        sqlx::query_as("SELECT name, time_zone FROM cohorts WHERE id = $1").bind(cohort_id).fetch_optional(p).await?
    });
    let (name, zone) = cohort.ok_or_else(|| StoreError::NotFound { entity: "cohort", id: cohort_id.to_string() })?;
    let tz = match zone.as_deref().map(str::trim).filter(|z| !z.is_empty()) {
        Some(z) => z
            .parse::<chrono_tz::Tz>()
            .map_err(|_| StoreError::invalid("time_zone", format!("the cohort's zone '{z}' is not a time zone")))?,
        None => office,
    };
    let rows: Vec<Row> = with_db!(db, p => {
        sqlx::query_as(
            "SELECT id, date, starts_at, ends_at, title, description, location, meeting_url, status, version \
             FROM sessions WHERE cohort_id = $1 AND date >= $2 AND date <= $3 ORDER BY date, starts_at, id LIMIT 5000",
        )
        .bind(cohort_id)
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await?
    });
    let mut cal = Calendar::new();
    cal.name(&name);
    let at = |date: NaiveDate, time: NaiveTime| {
        // The first instant of that wall-clock time (a time skipped by DST moves on
        // an hour).
        tz.from_local_datetime(&date.and_time(time))
            .earliest()
            .or_else(|| tz.from_local_datetime(&(date.and_time(time) + chrono::Duration::hours(1))).earliest())
            .map(|t| t.with_timezone(&Utc))
    };
    for (id, date, starts, ends, title, description, location, url, status, version) in &rows {
        let mut e = Event::new();
        e.uid(&format!("session-{id}@staffroom")).summary(title).sequence(u32::try_from(version - 1).unwrap_or(0));
        match starts.and_then(|s| at(*date, s)) {
            Some(start) => {
                let end = ends
                    .and_then(|t| at(*date, t))
                    .filter(|e| *e > start)
                    .unwrap_or(start + chrono::Duration::hours(1));
                e.starts(start).ends(end);
            }
            None => {
                e.all_day(*date);
            }
        }
        if let Some(place) = location.as_deref().or(url.as_deref()) {
            e.location(place);
        }
        if let Some(d) = description {
            e.description(d);
        }
        if let Some(u) = url {
            e.url(u);
        }
        e.status(if status == "cancelled" { EventStatus::Cancelled } else { EventStatus::Confirmed });
        cal.push(e.done());
    }
    Ok((cal.done().to_string(), rows.len()))
}

/// Writes `bytes` to `path` whole or not at all: into a hidden `.NAME.partial`
/// beside it, then renamed over it (a reader never sees half a calendar).
pub fn write_whole(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "calendar.ics".into());
    let tmp = path.with_file_name(format!(".{name}.partial"));
    let io = |e: std::io::Error| StoreError::Io(format!("cannot write {}: {e}", path.display()));
    std::fs::write(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e)
    })
}
