//! The calendar's session form: plan a session or a weekly series (`n`), or edit one
//! (`e`). Field keys are the store's names, so a refusal lands on its field.
//!
//! A series is asked for in plain words: `repeat on` takes weekdays (`mon wed`),
//! then `until` a date or `sessions` a count, and `skip` lists days off
//! (`2026-12-24 2026-12-31`). An empty `repeat on` plans one session.

use crate::backend::CalendarRequest;
use crate::backend::Request;
use crate::domain::recurrence::{self, Ends, Repeat};
use crate::domain::session::{self, DeliveryMode, SessionType};
use crate::ui::widgets::form::{Field, Form, Value, Values};
use chrono::NaiveDate;
use staffroom_core::protocol::calendar::{Session, SessionFields};

/// A refusal before sending: the field at fault (if any) and why.
pub type Refusal = (Option<&'static str>, String);

fn modes() -> Vec<&'static str> {
    DeliveryMode::ALL.iter().map(|m| m.as_str()).collect()
}

fn types() -> Vec<&'static str> {
    SessionType::ALL.iter().map(|t| t.as_str()).collect()
}

fn time(t: Option<chrono::NaiveTime>) -> String {
    t.map_or(String::new(), |t| t.format("%H:%M").to_string())
}

fn common(f: Option<&SessionFields>, day: NaiveDate) -> Vec<Field> {
    let text = |o: Option<&Option<String>>| o.and_then(|v| v.clone()).unwrap_or_default();
    vec![
        Field::date("date", "date").with(&f.map_or(day, |f| f.date).to_string()),
        Field::line("starts", "starts", 5, false)
            .hint("18:30 in the cohort's own zone if it has one; empty: all day")
            .with(&time(f.and_then(|f| f.starts))),
        Field::line("ends", "ends", 5, false).hint("after the start, 20:00").with(&time(f.and_then(|f| f.ends))),
        Field::choice("mode", "delivery", modes()).with(f.map_or("onsite", |f| f.mode.as_str())),
        Field::line("location", "location", session::MAX_PLACE_CHARS, false)
            .hint("a room or an address: needed onsite and hybrid")
            .with(&text(f.map(|f| &f.location))),
        Field::line("meeting_url", "meeting link", session::MAX_PLACE_CHARS, false)
            .hint("https://…: needed remote and hybrid")
            .with(&text(f.map(|f| &f.meeting_url))),
        Field::line("title", "title", session::MAX_TITLE_CHARS, true).with(f.map_or("", |f| f.title.as_str())),
        Field::choice("session_type", "type", types()).with(f.map_or("normal", |f| f.session_type.as_str())),
        Field::multi("day_plan", "day plan", session::MAX_PLAN_CHARS, false).with(&text(f.map(|f| &f.day_plan))),
    ]
}

/// A new session on `day`, in `cohort` (a name, or empty to type one).
pub fn new_session(day: NaiveDate, cohort: &str) -> Form {
    let mut fields =
        vec![Field::line("cohort", "cohort", 200, true).hint("the cohort's exact name, or its number").with(cohort)];
    fields.extend(common(None, day));
    fields.extend([
        Field::line("repeat", "repeat on", 60, false).hint("weekdays for a weekly series: mon wed; empty: one session"),
        Field::date("until", "until").hint("the series' last day: 2027-03-31 or +90"),
        Field::number("count", "or sessions", 1, recurrence::MAX_SESSIONS as i64)
            .hint("how many sessions (holidays skipped move the series on)"),
        Field::line("skip", "skip days", 2000, false).hint("days off, e.g. 2026-12-24 2026-12-31"),
    ]);
    Form::new("New session", "new", fields)
}

pub fn edit_session(s: &Session) -> Form {
    let zone = s.zone.as_deref().map_or(String::new(), |z| format!(", times in {z}"));
    let title = format!("Edit \"{}\" ({}{zone})", crate::text::inert(&s.fields.title), s.cohort);
    Form::new(title, "edit", common(Some(&s.fields), s.fields.date))
}

fn date(v: &Values, key: &str) -> Option<NaiveDate> {
    match v.get(key) {
        Some(Value::Date(d)) => *d,
        _ => None,
    }
}

/// The series the form asks for, or `None` for one session.
fn repeat(v: &Values, today: NaiveDate) -> Result<Option<Repeat>, Refusal> {
    let weekdays = recurrence::parse_weekdays(&v.text("repeat")).map_err(|e| (Some("repeat"), e))?;
    let (until, count) = (date(v, "until"), v.number("count"));
    if weekdays.is_empty() && until.is_none() && count.is_none() {
        return Ok(None);
    }
    let ends = match (until, count) {
        (Some(_), Some(_)) => return Err((Some("count"), "give an end date or a number of sessions, not both".into())),
        (Some(u), None) => Ends::Until(u),
        (None, Some(n)) => Ends::Count(u32::try_from(n).unwrap_or(0)),
        (None, None) => {
            return Err((Some("until"), "a series needs an end: a date here, or a number of sessions".into()));
        }
    };
    let mut skip = Vec::new();
    for word in v.text("skip").split(|c: char| c == ',' || c.is_whitespace()).filter(|w| !w.is_empty()) {
        skip.push(crate::domain::time::parse_day(word, today).map_err(|e| (Some("skip"), e))?);
    }
    Ok(Some(Repeat { weekdays, ends, skip }))
}

/// The form's values → the request that saves them (`editing`: the session the
/// edit form was opened on).
pub fn request(editing: Option<&Session>, v: &Values, today: NaiveDate) -> Result<Request, Refusal> {
    let starts = session::parse_time(&v.text("starts")).map_err(|e| (Some("starts"), e))?;
    let ends = session::parse_time(&v.text("ends")).map_err(|e| (Some("ends"), e))?;
    let some = |k: &str| Some(v.text(k)).filter(|t| !t.is_empty());
    let fields = SessionFields {
        cohort_id: editing.map_or(0, |s| s.fields.cohort_id),
        date: date(v, "date").ok_or((Some("date"), "is needed".to_string()))?,
        starts,
        ends,
        mode: DeliveryMode::parse(&v.text("mode")).unwrap_or(DeliveryMode::Onsite),
        location: some("location"),
        meeting_url: some("meeting_url"),
        title: v.text("title"),
        day_plan: some("day_plan"),
        session_type: SessionType::parse(&v.text("session_type")).unwrap_or(SessionType::Normal),
    };
    // The store's own checks first: the field at fault gets the cursor.
    let fields = fields.validated().map_err(|e| match e {
        staffroom_core::protocol::StoreError::Invalid { field, why } => {
            let key =
                ["title", "location", "meeting_url", "day_plan", "starts", "ends"].into_iter().find(|k| *k == field);
            (key, why)
        }
        other => (None, other.to_string()),
    })?;
    Ok(match editing {
        Some(s) => Request::Calendar(CalendarRequest::SaveSession {
            id: Some((s.id, s.version)),
            cohort: None,
            fields: Box::new(fields),
            repeat: None,
            allow_clash: false,
        }),
        None => Request::Calendar(CalendarRequest::SaveSession {
            id: None,
            cohort: Some(v.text("cohort")),
            fields: Box::new(fields),
            repeat: repeat(v, today)?,
            allow_clash: false,
        }),
    })
}
