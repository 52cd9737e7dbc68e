//! Webinars and public events (docs/domain.md §4, seeds 000 and 002): the list by
//! status, newest start first, with seats taken; create and edit (slug BR-02, the
//! start typed in the office's zone, a limit never under the registrations already
//! taken, BR-08); status moves (`EventStatus::check_move`); publish and unpublish
//! (a cancelled event is never on the website). Everyone who sees the calendar
//! reads them; admins and staff (`ManageEvents`) change them. Every write is
//! guarded by the version the user saw and audited as `event` in its transaction.

use super::{AreaDecl, Args, Call, FieldValue, Outcome};
use crate::domain::capacity;
use crate::domain::lifecycle::EventStatus;
use crate::domain::money::{self, Currency, format_minor};
use crate::domain::permissions::Action;
use crate::domain::slug;
use crate::store::audit::{self, Change};
use crate::store::content::free_slug;
use crate::store::page::{self, Page};
use crate::store::records::{Record, RecordPage};
use crate::store::{Actor, Db, Result, StoreError, Tx, fields, now};
use crate::with_tx;
use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use serde_json::json;

pub static AREA: AreaDecl = AreaDecl {
    columns: LIST_COLUMNS,
    name: "events",
    gate: &[
        ("list", Action::ViewCalendar),
        ("save", Action::ManageEvents),
        ("move", Action::ManageEvents),
        ("publish", Action::ManageEvents),
    ],
    handle: |call| Box::pin(handle(call)),
    samples: |db, n| Box::pin(samples(db, n)),
};

/// The kinds of event (the schema's CHECK), in the form's order.
pub const TYPES: [&str; 6] = ["workshop", "weekly_live", "masterclass", "qa", "code_review", "public_event"];

/// The form's field keys, shared with the screen's declaration.
pub mod field {
    pub const TITLE: &str = "title";
    pub const SLUG: &str = "slug";
    pub const TYPE: &str = "event_type";
    pub const DAY: &str = "day";
    pub const TIME: &str = "time";
    pub const MINUTES: &str = "minutes";
    pub const LOCATION: &str = "location";
    pub const MEETING: &str = "meeting_url";
    pub const RECORDING: &str = "recording_url";
    pub const MAX: &str = "max_attendees";
    pub const PRICE: &str = "price";
    pub const CURRENCY: &str = "currency";
    pub const DESCRIPTION: &str = "description";
    /// A status move's target.
    pub const TO: &str = "to";
    /// `publish`: "yes" or "no".
    pub const PUBLISHED: &str = "published";
}

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 5_000;
pub const MAX_LOCATION_CHARS: usize = 200;
/// A day at most (the schema only asks for more than zero).
pub const MAX_MINUTES: i64 = 24 * 60;
/// More seats than any room or webinar holds is a typo.
pub const MAX_SEATS: i64 = 100_000;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Event {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    pub event_type: String,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i64,
    pub location: Option<String>,
    pub meeting_url: Option<String>,
    pub recording_url: Option<String>,
    pub max_attendees: Option<i64>,
    pub is_paid: bool,
    pub price_minor: i64,
    pub currency: String,
    #[sqlx(try_from = "String")]
    pub status: EventStatus,
    pub is_published: bool,
    pub version: i64,
    /// Registrations taken (BR-08 counts these against `max_attendees`).
    pub registered: i64,
    /// Registrations marked attended.
    pub attended: i64,
}

const SELECT: &str = "SELECT e.id, e.slug, e.title, e.description, e.event_type, e.starts_at, e.duration_minutes, \
     e.location, e.meeting_url, e.recording_url, e.max_attendees, e.is_paid, e.price_minor, e.currency, e.status, \
     e.is_published, e.version, \
     (SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id) AS registered, \
     (SELECT COUNT(*) FROM event_attendance a JOIN event_registrations r ON r.id = a.registration_id \
      WHERE r.event_id = e.id AND a.attended = TRUE) AS attended \
     FROM events e";

async fn handle(call: Call<'_>) -> Result<Outcome> {
    let Call { db, actor, tz, op, args, .. } = call;
    match op {
        "list" => list(db, &args, tz).await.map(Outcome::Page),
        "save" => {
            let input = Input::read(&args, tz)?;
            let saved = match args.record {
                Some((id, version)) => update(db, actor, id, version, input).await?,
                None => create(db, actor, input).await?,
            };
            Ok(Outcome::Saved(format!("event {} saved", saved.title)))
        }
        "move" => {
            let (id, version) = args.record()?;
            let to: EventStatus = args.parsed(field::TO, "an event status")?;
            let saved = set_status(db, actor, id, version, to).await?;
            Ok(Outcome::Saved(format!("{} is {}", saved.title, saved.status)))
        }
        "publish" => {
            let (id, version) = args.record()?;
            let on = args.flag(field::PUBLISHED);
            let saved = publish(db, actor, id, version, on).await?;
            let now_is = if on { "on the website" } else { "off the website" };
            Ok(Outcome::Saved(format!("{} is {now_is}", saved.title)))
        }
        other => Err(super::unknown(AREA.name, other)),
    }
}

/// One page of events in a status (`None`: all) matching `search` (title, location,
/// slug; case-insensitive substring), the latest start first.
pub async fn page(
    db: &Db,
    status: Option<EventStatus>,
    search: Option<&str>,
    after: Option<(DateTime<Utc>, i64)>,
    limit: i64,
) -> Result<Page<Event, (DateTime<Utc>, i64)>> {
    page::list_page(db, &list_of(), status.map(|s| s.as_str()), search, &[], after, limit).await
}

/// The events list: the latest start first, or sorted by title, start or seats.
fn list_of() -> page::List<'static, Event, DateTime<Utc>> {
    use page::{SortColumn, SortKind};
    page::List {
        select: SELECT,
        key: "e.starts_at",
        descending: true,
        status: "e.status",
        searched: &["e.title", "COALESCE(e.location, '')", "e.slug"],
        id: "e.id",
        key_of: |e: &Event| (e.starts_at, e.id),
        sorts: &[
            SortColumn { heading: "title", expr: "lower(e.title)", kind: SortKind::Text },
            SortColumn { heading: "starts", expr: "e.starts_at", kind: SortKind::Time },
            SortColumn { heading: "seats", expr: "COALESCE(e.max_attendees, 0)", kind: SortKind::Int },
        ],
    }
}

async fn list(db: &Db, args: &Args, tz: chrono_tz::Tz) -> Result<RecordPage> {
    let tab = args.tab::<EventStatus>()?;
    let statuses = EventStatus::ALL.iter().map(|s| s.as_str());
    let list = list_of();
    if let Some(page) =
        super::sorted_record_page(db, "events", statuses.clone(), &list, args, |e| record(e, tz)).await?
    {
        return Ok(page);
    }
    let after = args.after_time();
    let page = page(db, tab, args.search.as_deref(), after, args.limit).await?;
    let mut page = super::record_page(db, "events", statuses, after.is_none(), page, |e| record(e, tz)).await?;
    page.sortable = list_of().sorts.iter().map(|c| c.heading).collect();
    Ok(page)
}

#[cfg(any(test, feature = "testing"))] // only the tests call it
pub async fn get(db: &Db, id: i64) -> Result<Event> {
    let sql = format!("{SELECT} WHERE e.id = $1");
    crate::with_db!(db, p => sqlx::query_as::<_, Event>(&sql).bind(id).fetch_optional(p).await?)
        .ok_or_else(|| StoreError::not_found("event", id))
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<Event> {
    let sql = format!("{SELECT} WHERE e.id = $1");
    with_tx!(tx, c => sqlx::query_as::<_, Event>(&sql).bind(id).fetch_optional(&mut *c).await?)
        .ok_or_else(|| StoreError::not_found("event", id))
}

/// Reads the event for a write: it must exist and still be at `version`.
async fn fetch_for_write(tx: &mut Tx, id: i64, version: i64) -> Result<Event> {
    let before = get_in(tx, id).await?;
    if before.version != version {
        return Err(audit::conflict(tx, "this event", "event", id).await);
    }
    Ok(before)
}

/// A form's values, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub title: String,
    /// Empty: derived from the title.
    pub slug: String,
    pub event_type: &'static str,
    pub starts_at: DateTime<Utc>,
    pub minutes: i64,
    pub location: Option<String>,
    pub meeting_url: Option<String>,
    pub recording_url: Option<String>,
    pub max_attendees: Option<i64>,
    /// 0: free.
    pub price_minor: i64,
    pub currency: Currency,
    pub description: Option<String>,
}

impl Input {
    /// Checks every value, naming the field at fault.
    pub fn read(args: &Args, tz: chrono_tz::Tz) -> Result<Input> {
        let f = |k| args.field(k);
        let title = fields::required(field::TITLE, f(field::TITLE), MAX_TITLE_CHARS)?;
        let slug = f(field::SLUG).to_string();
        if !slug.is_empty() {
            slug::validate(&slug).map_err(|why| StoreError::invalid(field::SLUG, why))?;
        }
        let event_type = TYPES
            .iter()
            .copied()
            .find(|t| *t == f(field::TYPE))
            .ok_or_else(|| StoreError::invalid(field::TYPE, format!("must be one of {}", TYPES.join(", "))))?;
        let starts_at = start(args, tz)?;
        let minutes = whole(args, field::MINUTES, 1, MAX_MINUTES)?.unwrap_or(60);
        let max_attendees = whole(args, field::MAX, 1, MAX_SEATS)?;
        let price_minor = whole(args, field::PRICE, 0, money::MAX_MINOR)?.unwrap_or(0);
        let currency = match f(field::CURRENCY) {
            "" => Currency::Egp,
            c => c.parse().map_err(|_| StoreError::invalid(field::CURRENCY, "must be EGP or USD"))?,
        };
        Ok(Input {
            title,
            slug,
            event_type,
            starts_at,
            minutes,
            location: fields::optional(field::LOCATION, Some(f(field::LOCATION)), MAX_LOCATION_CHARS)?,
            meeting_url: fields::link(field::MEETING, Some(f(field::MEETING)))?,
            recording_url: fields::link(field::RECORDING, Some(f(field::RECORDING)))?,
            max_attendees,
            price_minor,
            currency,
            description: fields::optional(field::DESCRIPTION, Some(f(field::DESCRIPTION)), MAX_DESCRIPTION_CHARS)?,
        })
    }
}

/// A whole number in `min..=max`, or none when empty.
fn whole(args: &Args, key: &'static str, min: i64, max: i64) -> Result<Option<i64>> {
    let Some(n) = args.number(key, "must be a whole number")? else {
        return Ok(None);
    };
    if !(min..=max).contains(&n) {
        return Err(StoreError::invalid(key, format!("must be between {min} and {max}")));
    }
    Ok(Some(n))
}

/// The start: a day (needed) and `HH:MM` in the office's zone.
fn start(args: &Args, tz: chrono_tz::Tz) -> Result<DateTime<Utc>> {
    let day = match args.day(field::DAY)? {
        Some(day) => day,
        // Empty: refused as an empty typed day is.
        None => fields::typed_day(field::DAY, "")?,
    };
    let time = NaiveTime::parse_from_str(args.field(field::TIME), "%H:%M")
        .map_err(|_| StoreError::invalid(field::TIME, "must be a time such as 18:00"))?;
    tz.from_local_datetime(&day.and_time(time))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| StoreError::invalid(field::TIME, format!("does not exist in {tz} that day (the clocks move)")))
}

/// The audited fields of an event.
fn audited(e: &Event) -> serde_json::Value {
    json!({"id": e.id, "slug": e.slug, "title": e.title, "event_type": e.event_type, "starts_at": e.starts_at,
        "duration_minutes": e.duration_minutes, "location": e.location, "meeting_url": e.meeting_url,
        "recording_url": e.recording_url, "max_attendees": e.max_attendees, "price_minor": e.price_minor,
        "currency": e.currency, "status": e.status, "is_published": e.is_published, "description": e.description})
}

/// The slug to store (BR-02): a typed one must be free; an empty one is derived
/// from the title (the event's own slug kept when the title gives it).
async fn resolve_slug(tx: &mut Tx, input: &Input, own: Option<&Event>) -> Result<String> {
    if input.slug.is_empty() {
        let base = slug::slugify(&input.title);
        if let Some(e) = own.filter(|e| e.slug == base) {
            return Ok(e.slug.clone());
        }
        return free_slug(tx, "events", &base).await;
    }
    let other: Option<(i64, String)> = with_tx!(tx, c => {
        sqlx::query_as("SELECT id, title FROM events WHERE slug = $1 AND id <> $2")
            .bind(&input.slug)
            .bind(own.map_or(0, |e| e.id))
            .fetch_optional(&mut *c)
            .await?
    });
    match other {
        Some((id, title)) => Err(StoreError::invalid(
            field::SLUG,
            format!("'{}' is already used by the event {title} (#{id}); choose another", input.slug),
        )),
        None => Ok(input.slug.clone()),
    }
}

/// A unique-index violation on the slug (a concurrent writer took it between the
/// check and the write), said as the check says it.
fn slug_race(e: sqlx::Error) -> StoreError {
    match StoreError::from(e) {
        StoreError::Invalid { field, .. } if field.contains("slug") => {
            StoreError::invalid(field::SLUG, "is already used by another event; choose another")
        }
        other => other,
    }
}

pub async fn create(db: &Db, actor: &Actor, input: Input) -> Result<Event> {
    actor.require(Action::ManageEvents)?;
    let mut tx = db.begin().await?;
    let slug = resolve_slug(&mut tx, &input, None).await?;
    let at = now();
    let id: i64 = with_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "INSERT INTO events (slug, title, description, event_type, starts_at, duration_minutes, location, \
             meeting_url, recording_url, max_attendees, is_paid, price_minor, currency, created_by, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id",
        )
        .bind(&slug)
        .bind(&input.title)
        .bind(&input.description)
        .bind(input.event_type)
        .bind(input.starts_at)
        .bind(input.minutes)
        .bind(&input.location)
        .bind(&input.meeting_url)
        .bind(&input.recording_url)
        .bind(input.max_attendees)
        .bind(input.price_minor > 0)
        .bind(input.price_minor)
        .bind(input.currency.as_str())
        .bind(actor.user_id)
        .bind(at)
        .fetch_one(&mut *c)
        .await
        .map_err(slug_race)?
    });
    let after = get_in(&mut tx, id).await?;
    let summary = format!("created the event {}", after.title);
    audit::record(&mut tx, actor, Change::new("create", "event", Some(id), summary).with_new(audited(&after))).await?;
    tx.commit().await?;
    Ok(after)
}

/// Saves the form over the event at `version`. The limit may not fall under the
/// registrations already taken (BR-08): nobody registered loses their seat.
pub async fn update(db: &Db, actor: &Actor, id: i64, version: i64, input: Input) -> Result<Event> {
    actor.require(Action::ManageEvents)?;
    let mut tx = db.begin().await?;
    let before = fetch_for_write(&mut tx, id, version).await?;
    if let Some(max) = input.max_attendees
        && capacity::check(Some(max), before.registered, 0).is_err()
    {
        let why = format!(
            "{} people are registered already; the limit cannot be under {}",
            before.registered, before.registered
        );
        return Err(StoreError::invalid(field::MAX, why));
    }
    let slug = resolve_slug(&mut tx, &input, Some(&before)).await?;
    let updated: Option<i64> = with_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "UPDATE events SET slug = $3, title = $4, description = $5, event_type = $6, starts_at = $7, \
             duration_minutes = $8, location = $9, meeting_url = $10, recording_url = $11, max_attendees = $12, \
             is_paid = $13, price_minor = $14, currency = $15, version = version + 1, updated_at = $16 \
             WHERE id = $1 AND version = $2 RETURNING id",
        )
        .bind(id)
        .bind(version)
        .bind(&slug)
        .bind(&input.title)
        .bind(&input.description)
        .bind(input.event_type)
        .bind(input.starts_at)
        .bind(input.minutes)
        .bind(&input.location)
        .bind(&input.meeting_url)
        .bind(&input.recording_url)
        .bind(input.max_attendees)
        .bind(input.price_minor > 0)
        .bind(input.price_minor)
        .bind(input.currency.as_str())
        .bind(now())
        .fetch_optional(&mut *c)
        .await
        .map_err(slug_race)?
    });
    if updated.is_none() {
        return Err(audit::conflict(&mut tx, "this event", "event", id).await);
    }
    let after = get_in(&mut tx, id).await?;
    let summary = format!("edited the event {}", after.title);
    let change = Change::new("update", "event", Some(id), summary).diff(&audited(&before), &audited(&after));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// Moves the event (`EventStatus::check_move`; the refusal names the allowed
/// moves). Completing marks it done; cancelling takes it off the website.
pub async fn set_status(db: &Db, actor: &Actor, id: i64, version: i64, to: EventStatus) -> Result<Event> {
    actor.require(Action::ManageEvents)?;
    let mut tx = db.begin().await?;
    let before = fetch_for_write(&mut tx, id, version).await?;
    before.status.check_move(to).map_err(|e| StoreError::refused(e.to_string()))?;
    let at = now();
    let done = to == EventStatus::Completed;
    let updated: Option<i64> = with_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "UPDATE events SET status = $3, is_done = $4, done_at = CASE WHEN $4 THEN $5 ELSE NULL END, \
             is_published = CASE WHEN $6 THEN is_published ELSE FALSE END, version = version + 1, updated_at = $5 \
             WHERE id = $1 AND version = $2 RETURNING id",
        )
        .bind(id)
        .bind(version)
        .bind(to.as_str())
        .bind(done)
        .bind(at)
        .bind(to.publishable())
        .fetch_optional(&mut *c)
        .await?
    });
    if updated.is_none() {
        return Err(audit::conflict(&mut tx, "this event", "event", id).await);
    }
    let after = get_in(&mut tx, id).await?;
    let summary = format!("moved the event {} from {} to {to}", before.title, before.status);
    let change = Change::new("status_change", "event", Some(id), summary).diff(&audited(&before), &audited(&after));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// Puts the event on the website or takes it off; a cancelled one stays off.
pub async fn publish(db: &Db, actor: &Actor, id: i64, version: i64, on: bool) -> Result<Event> {
    actor.require(Action::ManageEvents)?;
    let mut tx = db.begin().await?;
    let before = fetch_for_write(&mut tx, id, version).await?;
    if on && !before.status.publishable() {
        return Err(StoreError::refused(format!("{} is cancelled: it cannot be on the website", before.title)));
    }
    let updated: Option<i64> = with_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "UPDATE events SET is_published = $3, version = version + 1, updated_at = $4 \
             WHERE id = $1 AND version = $2 RETURNING id",
        )
        .bind(id)
        .bind(version)
        .bind(on)
        .bind(now())
        .fetch_optional(&mut *c)
        .await?
    });
    if updated.is_none() {
        return Err(audit::conflict(&mut tx, "this event", "event", id).await);
    }
    let after = get_in(&mut tx, id).await?;
    let summary = format!("{} the event {}", if on { "published" } else { "unpublished" }, after.title);
    let change = Change::new("update", "event", Some(id), summary).diff(&audited(&before), &audited(&after));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// "3 of 30", "8 of 8 (full)", or "12" without a limit.
pub fn seats(e: &Event) -> String {
    match e.max_attendees {
        Some(max) if capacity::seats_left(Some(max), e.registered) == Some(0) => {
            format!("{} of {max} (full)", e.registered)
        }
        Some(max) => format!("{} of {max}", e.registered),
        None => e.registered.to_string(),
    }
}

/// The list's column: "3/30", "8/8 full", or "12" without a limit.
fn seats_short(e: &Event) -> String {
    match e.max_attendees {
        Some(max) if capacity::seats_left(Some(max), e.registered) == Some(0) => format!("{}/{max} full", e.registered),
        Some(max) => format!("{}/{max}", e.registered),
        None => e.registered.to_string(),
    }
}

fn price(e: &Event) -> String {
    if e.price_minor == 0 { "free".to_string() } else { format!("{} {}", e.currency, format_minor(e.price_minor)) }
}

/// The list's columns: heading and width (0: takes the room left), one per cell
/// `record` makes, in its order.
// The first column: ● on the website, x cancelled.
pub const LIST_COLUMNS: crate::store::records::Columns = &[(" ", 1), ("title", 0), ("starts", 12), ("seats", 10)];

fn record(e: &Event, tz: chrono_tz::Tz) -> Record {
    let local = e.starts_at.with_timezone(&tz);
    let ends = (e.starts_at + chrono::Duration::minutes(e.duration_minutes)).with_timezone(&tz);
    let yes = |b: bool| if b { "yes".to_string() } else { "no".to_string() };
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    let mut detail = vec![
        ("day".into(), local.format("%a %Y-%m-%d").to_string()),
        ("time".into(), format!("{}–{} ({} min)", local.format("%H:%M"), ends.format("%H:%M"), e.duration_minutes)),
        ("type".into(), e.event_type.replace('_', " ")),
        ("status".into(), e.status.to_string()),
        ("website".into(), if e.is_published { "published".into() } else { "not published".into() }),
        ("seats".into(), seats(e)),
        ("price".into(), price(e)),
        ("location".into(), opt(&e.location)),
        ("meeting".into(), opt(&e.meeting_url)),
        ("slug".into(), e.slug.clone()),
    ];
    if e.status == EventStatus::Completed {
        detail.insert(6, ("attended".into(), format!("{} of {} registered", e.attended, e.registered)));
        detail.push(("recording".into(), opt(&e.recording_url)));
    }
    detail.push(("description".into(), e.description.clone().unwrap_or_default()));
    let marker = match (e.status, e.is_published) {
        (EventStatus::Cancelled, _) => "x",
        (_, true) => "●",
        (_, false) => " ",
    };
    Record {
        id: e.id,
        version: e.version,
        status: e.status.to_string(),
        cells: vec![marker.into(), e.title.clone(), local.format("%d %b %H:%M").to_string(), seats_short(e)],
        detail,
        values: vec![
            (field::TITLE, e.title.clone()),
            (field::SLUG, e.slug.clone()),
            (field::TYPE, e.event_type.clone()),
            (field::DAY, local.format("%Y-%m-%d").to_string()),
            (field::TIME, local.format("%H:%M").to_string()),
            (field::MINUTES, e.duration_minutes.to_string()),
            (field::LOCATION, e.location.clone().unwrap_or_default()),
            (field::MEETING, e.meeting_url.clone().unwrap_or_default()),
            (field::RECORDING, e.recording_url.clone().unwrap_or_default()),
            (field::MAX, e.max_attendees.map_or(String::new(), |m| m.to_string())),
            (field::PRICE, if e.price_minor == 0 { String::new() } else { format_minor(e.price_minor) }),
            (field::CURRENCY, e.currency.clone()),
            (field::DESCRIPTION, e.description.clone().unwrap_or_default()),
            (field::PUBLISHED, yes(e.is_published)),
            ("status", e.status.to_string()),
        ],
    }
}

/// A valid form for an event called `title`, a week from now at 18:00 UTC.
pub fn sample_fields(title: &str) -> Vec<(&'static str, FieldValue)> {
    let day = (now() + chrono::Duration::days(7)).date_naive();
    vec![
        (field::TITLE, title.into()),
        (field::TYPE, "workshop".into()),
        (field::DAY, FieldValue::Date(Some(day))),
        (field::TIME, "18:00".into()),
        (field::MINUTES, FieldValue::Number(Some(90))),
        (field::MAX, FieldValue::Number(Some(20))),
    ]
}

/// A new scheduled event (id, version), made as the system.
async fn fresh(db: &Db, title: String) -> Result<(i64, i64)> {
    let args = Args { fields: sample_fields(&title), ..Args::default() };
    let e = create(db, &Actor::cli(), Input::read(&args, chrono_tz::UTC)?).await?;
    Ok((e.id, e.version))
}

async fn samples(db: &Db, n: u32) -> Result<Vec<(&'static str, Args)>> {
    let edit = fresh(db, format!("Gate event edit {n}")).await?;
    let moved = fresh(db, format!("Gate event move {n}")).await?;
    let published = fresh(db, format!("Gate event publish {n}")).await?;
    Ok(vec![
        ("list", Args { limit: 10, ..Args::default() }),
        (
            "save",
            Args { record: Some(edit), fields: sample_fields(&format!("Gate event edited {n}")), ..Args::default() },
        ),
        ("move", Args { record: Some(moved), fields: vec![(field::TO, "live".into())], ..Args::default() }),
        (
            "publish",
            Args {
                record: Some(published),
                fields: vec![(field::PUBLISHED, FieldValue::Flag(true))],
                ..Args::default()
            },
        ),
    ])
}
