//! `demo --large`: 100,000 leads and 1,000,000 chained audit rows, written in small
//! multi-row INSERTs inside one big transaction (budget: under 60 s on SQLite).
//!
//! The audit rows tell the leads' story, in time order over the last ~120 days:
//! each lead's creation, one `status_change` per stage it went through (the board's
//! "days in stage" comes from the last one), and follow-up updates in between.

use super::assets::{self, Assets};
use super::text::Rng;
use super::timeline::{Timeline, stage_days};
use super::{LARGE_AUDIT_ROWS, LARGE_LEADS};
use crate::config::Config;
use crate::domain::lead::{Interest, LeadSource, LeadStatus, Urgency, budget_estimate};
use crate::store::audit::{self, AuditRow};
use crate::store::{Db, Result, StoreError, Tx, now, values_sql};
use crate::{with_db, with_tx};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use std::collections::BTreeMap;

const LEAD_COLS: usize = 21;
/// Rows per INSERT. Small on purpose: sqlx's cost per parameter grows with the
/// statement's parameter count (see `audit::insert_rows`).
const LEAD_BATCH: usize = 10;
/// Audit rows generated in memory at a time.
const AUDIT_CHUNK: i64 = 50_000;

pub async fn ensure(db: &Db) -> Result<()> {
    let leads: i64 = with_db!(db, p => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM leads").fetch_one(p).await?);
    let rows = audit::written(db).await?;
    if leads >= LARGE_LEADS && rows >= LARGE_AUDIT_ROWS {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let staff = staff_ids(db).await?;
    let rot_days = Config::defaults().map_err(|e| StoreError::Other(e.to_string()))?.pipeline.rot_days;
    // One transaction: leads never exist without the history that dates them.
    let mut tx = db.begin().await?;
    bulk_begin(&mut tx).await?;
    let mut story = Story::default();
    if leads < LARGE_LEADS {
        insert_leads(&mut tx, LARGE_LEADS - leads, &staff, &rot_days, &mut story).await?;
        tracing::info!("large demo: leads in {:?}", started.elapsed());
    } else {
        story.load_spans(&mut tx, staff.first().copied()).await?;
    }
    let history = i64::try_from(story.events.len()).unwrap_or(i64::MAX);
    story.follow_ups(&mut Rng::new(0xa0d17), LARGE_AUDIT_ROWS - rows - history);
    insert_audit(&mut tx, story).await?;
    tracing::info!("large demo: audit rows in {:?}", started.elapsed());
    bulk_end(&mut tx).await?;
    tx.commit().await?;
    // Fresh statistics, as a maintained database has them (the planner needs them
    // for index-only counts on PostgreSQL).
    match db {
        Db::Sqlite(p) => {
            sqlx::query("ANALYZE").execute(p).await?;
            // The row counts (sqlite_stat1) only: the bundled SQLite also samples
            // each index (sqlite_stat4, 1,600 rows here), which every new connection
            // then loads with the schema, 3.5 ms each, four of them before the first
            // frame; the queries plan alike without them (`cargo bench`).
            sqlx::query("DELETE FROM sqlite_stat4").execute(p).await?;
        }
        Db::Postgres(p) => {
            sqlx::query("VACUUM ANALYZE leads").execute(p).await?;
            sqlx::query("VACUUM ANALYZE audit_log").execute(p).await?;
        }
    }
    Ok(())
}

/// Bulk mode for one transaction: on SQLite a 256 MB page cache (the default 2 MB
/// thrashes on a million random index inserts).
async fn bulk_begin(tx: &mut Tx) -> Result<()> {
    if let Tx::Sqlite(t) = tx {
        sqlx::query("PRAGMA cache_size = -262144").execute(&mut **t).await?;
    }
    Ok(())
}

async fn bulk_end(tx: &mut Tx) -> Result<()> {
    if let Tx::Sqlite(t) = tx {
        sqlx::query("PRAGMA cache_size = -2000").execute(&mut **t).await?;
    }
    Ok(())
}

/// Drops the secondary indexes of `table` inside `tx` (and on SQLite its triggers:
/// the one feeding the audit search table) and returns their DDL, read from the
/// catalogue (so nothing here repeats the migrations). Building an index once over
/// a million rows is far cheaper than a million random index inserts.
async fn take_indexes(tx: &mut Tx, table: &str) -> Result<Vec<String>> {
    let found: Vec<(String, String, String)> = match tx {
        Tx::Sqlite(t) => {
            sqlx::query_as(
                "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = $1 \
                 AND sql IS NOT NULL",
            )
            .bind(table)
            .fetch_all(&mut **t)
            .await?
        }
        Tx::Postgres(t) => {
            sqlx::query_as(
                "SELECT 'index', indexname::text, indexdef FROM pg_indexes WHERE tablename = $1 \
             AND indexname NOT LIKE '%_pkey'",
            )
            .bind(table)
            .fetch_all(&mut **t)
            .await?
        }
    };
    for (kind, name, _) in &found {
        let sql = format!("DROP {} {name}", if kind == "trigger" { "TRIGGER" } else { "INDEX" });
        with_tx!(tx, c => sqlx::query(&sql).execute(&mut *c).await?.rows_affected());
    }
    Ok(found.into_iter().map(|(_, _, ddl)| ddl).collect())
}

async fn restore_indexes(tx: &mut Tx, table: &str, ddls: &[String]) -> Result<()> {
    for ddl in ddls {
        with_tx!(tx, c => sqlx::query(ddl).execute(&mut *c).await?.rows_affected());
    }
    // The search tables fed by the triggers just restored (lead_search,
    // audit_search: external-content FTS5 over `table`) missed the bulk rows: one
    // rebuild each (~20 s for a million audit rows, a third of what the trigger
    // costs row by row).
    if let Tx::Sqlite(t) = tx {
        let fts: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%' \
             AND sql LIKE '%content = ''' || $1 || '''%'",
        )
        .bind(table)
        .fetch_all(&mut **t)
        .await?;
        for name in fts {
            sqlx::query(&format!("INSERT INTO {name} ({name}) VALUES ('rebuild')")).execute(&mut **t).await?;
        }
    }
    Ok(())
}

fn bar(len: i64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(u64::try_from(len).unwrap_or(0));
    let template = format!("{what:<12} {{bar:40}} {{pos}}/{{len}} ({{eta}})");
    bar.set_style(ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()));
    bar
}

struct LeadRow {
    full_name: String,
    email: Option<String>,
    phone: Option<String>,
    whatsapp: Option<String>,
    lead_type: &'static str,
    source: &'static str,
    message: String,
    interested_in: &'static str,
    status: LeadStatus,
    lost_reason: Option<&'static str>,
    budget_range: Option<&'static str>,
    urgency: &'static str,
    assigned_to: Option<i64>,
    next_follow_up_at: Option<DateTime<Utc>>,
    converted_at: Option<DateTime<Utc>>,
    last_contact_at: Option<DateTime<Utc>>,
    version: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// The stages a lead went through after `new` to reach `status` (BR-06 moves).
fn path_to(rng: &mut Rng, status: LeadStatus) -> Vec<LeadStatus> {
    use LeadStatus::*;
    const FUNNEL: [LeadStatus; 3] = [Contacted, Qualified, ProposalSent];
    match status {
        New => vec![],
        Contacted => vec![Contacted],
        Qualified => vec![Contacted, Qualified],
        ProposalSent => FUNNEL.to_vec(),
        Nurturing if rng.chance(50) => vec![Contacted, Nurturing],
        Nurturing => vec![Contacted, Qualified, Nurturing],
        ClosedWon => vec![Contacted, Qualified, ProposalSent, ClosedWon],
        // Lost anywhere from the inbox to the proposal.
        ClosedLost => {
            let mut path = FUNNEL[..rng.below(4) as usize].to_vec();
            path.push(ClosedLost);
            path
        }
    }
}

/// One lead; names, budgets and lost reasons come from `assets/demo/`.
fn make_lead(
    a: &'static Assets,
    rng: &mut Rng,
    n: i64,
    staff: &[i64],
    at: DateTime<Utc>,
    rot_days: &BTreeMap<String, i64>,
) -> (LeadRow, Vec<LeadStatus>, Timeline) {
    // Most leads are new or early in the pipeline, as in a real inbox.
    let status = match rng.below(100) {
        0..=29 => LeadStatus::New,
        30..=49 => LeadStatus::Contacted,
        50..=61 => LeadStatus::Qualified,
        62..=69 => LeadStatus::ProposalSent,
        70..=77 => LeadStatus::Nurturing,
        78..=87 => LeadStatus::ClosedWon,
        _ => LeadStatus::ClosedLost,
    };
    let first = rng.pick(&a.people.first_names);
    let last = rng.pick(&a.people.last_names);
    let path = path_to(rng, status);
    // One open lead in five has sat in its stage past the rot limit.
    let rotting = rng.chance(20);
    let days = stage_days(rng, status, rot_days.get(status.as_str()).copied(), rotting);
    let timeline = Timeline::plan(at, rng, days, path.len());
    let updated_at = timeline.last();
    let with_email = rng.chance(80);
    let email = (with_email || rng.chance(50)).then(|| format!("lead{n}@example.org"));
    let phone = (!with_email || rng.chance(60)).then(|| format!("+2010{:08}", n));
    let interest = *rng.pick(Interest::ALL);
    let row = LeadRow {
        full_name: format!("{first} {last}"),
        whatsapp: (phone.is_some() && rng.chance(50)).then(|| phone.clone().unwrap_or_default()),
        email,
        phone,
        lead_type: if rng.chance(70) { "student" } else { "client" },
        source: rng.pick(LeadSource::ALL).as_str(),
        message: format!("Interested in {} — please get back to me (#{n})", interest.as_str().replace('_', " ")),
        interested_in: interest.as_str(),
        status,
        lost_reason: (status == LeadStatus::ClosedLost).then(|| rng.pick(&a.leads.lost_reasons).as_str()),
        budget_range: rng.chance(50).then(|| rng.pick(&a.leads.budgets).as_str()),
        urgency: rng.pick(Urgency::ALL).as_str(),
        assigned_to: (rng.chance(75) && !staff.is_empty()).then(|| *rng.pick(staff)),
        // From a week overdue to two weeks ahead.
        next_follow_up_at: (status.is_open() && rng.chance(60))
            .then(|| at + Duration::hours(rng.below(24 * 21) as i64 - 24 * 7)),
        converted_at: (status == LeadStatus::ClosedWon).then_some(updated_at),
        last_contact_at: (status != LeadStatus::New).then_some(updated_at),
        version: 1 + path.len() as i64,
        created_at: timeline.created,
        updated_at,
    };
    (row, path, timeline)
}

async fn staff_ids(db: &Db) -> Result<Vec<i64>> {
    Ok(with_db!(db, p => {
        sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE is_staff = $1 OR is_admin = $1 ORDER BY id")
            .bind(true)
            .fetch_all(p)
            .await?
    }))
}

/// A lead the audit rows are about.
struct Subject {
    id: i64,
    name: String,
    actor: Option<i64>,
    lost_reason: Option<&'static str>,
    /// `new_values` of its creation, when this run created it.
    created: Option<String>,
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Create,
    Move(LeadStatus, LeadStatus),
    FollowUp,
}

/// One audit row to be: compact, so a million of them sort in memory.
struct Event {
    at: DateTime<Utc>,
    subject: u32,
    kind: Kind,
}

/// What the audit rows will tell: the subjects, their events, and for each subject
/// with a history the span (creation to last change) that follow-ups fall into.
#[derive(Default)]
struct Story {
    subjects: Vec<Subject>,
    events: Vec<Event>,
    spans: Vec<(u32, DateTime<Utc>, DateTime<Utc>)>,
}

impl Story {
    fn add(&mut self, subject: Subject) -> u32 {
        self.subjects.push(subject);
        u32::try_from(self.subjects.len() - 1).unwrap_or(u32::MAX)
    }

    /// Spans of leads already in the database (a `--large` run that only tops up
    /// the audit rows).
    async fn load_spans(&mut self, tx: &mut Tx, someone: Option<i64>) -> Result<()> {
        // id, name, assignee, created, last change
        type Row = (i64, String, Option<i64>, DateTime<Utc>, DateTime<Utc>);
        let rows: Vec<Row> = with_tx!(tx, c => {
            sqlx::query_as("SELECT id, full_name, assigned_to, created_at, updated_at FROM leads WHERE updated_at > created_at")
                .fetch_all(&mut *c)
                .await?
        });
        for (id, name, actor, from, to) in rows {
            let s = self.add(Subject { id, name, actor: actor.or(someone), lost_reason: None, created: None });
            self.spans.push((s, from, to));
        }
        Ok(())
    }

    /// `count` follow-up updates on leads with a history, each between the lead's
    /// creation and its last change (so `updated_at` stays the last change).
    fn follow_ups(&mut self, rng: &mut Rng, count: i64) {
        if self.spans.is_empty() {
            return;
        }
        for _ in 0..count.max(0) {
            let (subject, from, to) = self.spans[rng.below(self.spans.len() as u64) as usize];
            let seconds = (to - from).num_seconds().max(1);
            let at = from + Duration::seconds(rng.below(seconds as u64) as i64);
            self.events.push(Event { at, subject, kind: Kind::FollowUp });
        }
    }
}

async fn insert_leads(
    tx: &mut Tx,
    count: i64,
    staff: &[i64],
    rot_days: &BTreeMap<String, i64>,
    story: &mut Story,
) -> Result<()> {
    let at = now();
    let a = assets::get()?;
    let mut rng = Rng::new(0x1ead5);
    let progress = bar(count, "leads");
    let prefix = "INSERT INTO leads (full_name, email, phone, whatsapp, lead_type, source, message, interested_in, status, \
         lost_reason, budget_range, budget_estimate, urgency, assigned_to, next_follow_up_at, converted_at, \
         last_contact_at, version, created_at, updated_at, stage_since) VALUES ";
    let full_sql = values_sql(prefix, LEAD_BATCH, LEAD_COLS);
    let first_id: i64 = with_tx!(tx, c => {
        sqlx::query_scalar::<_, i64>("SELECT COALESCE(MAX(id), 0) + 1 FROM leads").fetch_one(&mut *c).await?
    });
    let indexes = take_indexes(tx, "leads").await?;
    let mut plans = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
    let mut done = 0;
    while done < count {
        let n = LEAD_BATCH.min(usize::try_from(count - done).unwrap_or(0));
        let rows: Vec<(LeadRow, Vec<LeadStatus>, Timeline)> =
            (0..n).map(|i| make_lead(a, &mut rng, done + i as i64 + 1, staff, at, rot_days)).collect();
        let sql = if n == LEAD_BATCH { full_sql.clone() } else { values_sql(prefix, n, LEAD_COLS) };
        with_tx!(tx, c => {
            let mut q = sqlx::query(&sql);
            for (r, _, _) in &rows {
                q = q
                    .bind(&r.full_name)
                    .bind(&r.email)
                    .bind(&r.phone)
                    .bind(&r.whatsapp)
                    .bind(r.lead_type)
                    .bind(r.source)
                    .bind(&r.message)
                    .bind(r.interested_in)
                    .bind(r.status.as_str())
                    .bind(r.lost_reason)
                    .bind(r.budget_range)
                    .bind(r.budget_range.and_then(budget_estimate))
                    .bind(r.urgency)
                    .bind(r.assigned_to)
                    .bind(r.next_follow_up_at)
                    .bind(r.converted_at)
                    .bind(r.last_contact_at)
                    .bind(r.version)
                    .bind(r.created_at)
                    .bind(r.updated_at)
                    // The last move, or the creation: the timeline's last instant.
                    .bind(r.updated_at);
            }
            q.execute(&mut *c).await?;
        });
        plans.extend(rows);
        done += n as i64;
        progress.set_position(done as u64);
    }
    // Rows are numbered in the order of their VALUES, from the first free id on.
    let ids: Vec<i64> = with_tx!(tx, c => {
        sqlx::query_scalar("SELECT id FROM leads WHERE id >= $1 ORDER BY id").bind(first_id).fetch_all(&mut *c).await?
    });
    if ids.len() != plans.len() {
        return Err(StoreError::Other(format!("large demo: wrote {} leads, found {}", plans.len(), ids.len())));
    }
    for (id, (r, path, timeline)) in ids.into_iter().zip(plans) {
        let created = json!({"id": id, "full_name": r.full_name, "email": r.email, "phone": r.phone,
            "whatsapp": r.whatsapp, "source": r.source, "status": "new"});
        let actor = r.assigned_to.or_else(|| staff.first().copied());
        let subject = story.add(Subject {
            id,
            name: r.full_name,
            actor,
            lost_reason: r.lost_reason,
            created: Some(created.to_string()),
        });
        story.events.push(Event { at: timeline.created, subject, kind: Kind::Create });
        let mut from = LeadStatus::New;
        for (&to, &at) in path.iter().zip(&timeline.moves) {
            story.events.push(Event { at, subject, kind: Kind::Move(from, to) });
            from = to;
        }
        if timeline.last() > timeline.created {
            story.spans.push((subject, timeline.created, timeline.last()));
        }
    }
    let t = std::time::Instant::now();
    restore_indexes(tx, "leads", &indexes).await?;
    tracing::info!("large demo: lead indexes in {:?}", t.elapsed());
    progress.finish_and_clear();
    Ok(())
}

/// The audit row of one event, as the store writes it for the same change.
fn audit_row(e: &Event, s: &Subject, id: i64, rng: &mut Rng) -> AuditRow {
    let lead = s.id;
    let (action, summary, old, new) = match e.kind {
        Kind::Create => ("create", format!("created lead {}", s.name), None, s.created.clone()),
        Kind::Move(from, to) => {
            let (old, new) = if to == LeadStatus::ClosedLost {
                (
                    json!({"id": lead, "status": from.as_str(), "lost_reason": null}),
                    json!({"id": lead, "status": to.as_str(), "lost_reason": s.lost_reason}),
                )
            } else {
                (json!({"id": lead, "status": from.as_str()}), json!({"id": lead, "status": to.as_str()}))
            };
            (
                "status_change",
                format!("moved lead {} from {from} to {to}", s.name),
                Some(old.to_string()),
                Some(new.to_string()),
            )
        }
        Kind::FollowUp => {
            let due = (e.at + Duration::days(1 + rng.below(7) as i64)).to_rfc3339_opts(SecondsFormat::AutoSi, true);
            (
                "update",
                format!("set the next follow-up of lead {}", s.name),
                Some(format!(r#"{{"id":{lead},"next_follow_up_at":null}}"#)),
                Some(format!(r#"{{"id":{lead},"next_follow_up_at":"{due}"}}"#)),
            )
        }
    };
    AuditRow {
        id,
        actor_id: s.actor,
        action: action.to_string(),
        entity_type: "lead".to_string(),
        entity_id: Some(lead),
        summary,
        old_values: old,
        new_values: new,
        remote: if rng.chance(60) { "local".into() } else { format!("10.0.{}.{}", rng.below(8), rng.below(250)) },
        client: crate::store::actor::client_name(),
        created_at: e.at,
        prev_hash: String::new(),
        hash: String::new(),
    }
}

/// Appends the story's events as audit rows in time order, chained after the
/// existing head.
async fn insert_audit(tx: &mut Tx, mut story: Story) -> Result<()> {
    story.events.sort_by_key(|e| e.at);
    let count = i64::try_from(story.events.len()).unwrap_or(i64::MAX);
    let mut rng = Rng::new(0xa0d17);
    let progress = bar(count, "audit rows");
    let (mut last_id, mut prev) = audit::lock_head(tx).await?;
    let indexes = take_indexes(tx, "audit_log").await?;
    for (done, chunk) in story.events.chunks(AUDIT_CHUNK as usize).enumerate() {
        let mut rows = Vec::with_capacity(chunk.len());
        for e in chunk {
            last_id += 1;
            let mut row = audit_row(e, &story.subjects[e.subject as usize], last_id, &mut rng);
            row.seal(&prev);
            prev.clone_from(&row.hash);
            rows.push(row);
        }
        audit::insert_rows(tx, &rows).await?;
        progress.set_position(((done + 1) * AUDIT_CHUNK as usize).min(story.events.len()) as u64);
    }
    restore_indexes(tx, "audit_log", &indexes).await?;
    progress.finish_and_clear();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_is_made_of_allowed_moves_and_ends_in_the_status() {
        let at = now();
        let rot = Config::defaults().unwrap().pipeline.rot_days;
        let a = assets::get().unwrap();
        let mut rng = Rng::new(1);
        for n in 0..5_000 {
            let (row, path, timeline) = make_lead(a, &mut rng, n, &[1, 2], at, &rot);
            let mut from = LeadStatus::New;
            for &to in &path {
                assert!(from.allowed_moves(false).contains(&to), "{from} -> {to}");
                from = to;
            }
            assert_eq!(from, row.status);
            assert_eq!(timeline.moves.len(), path.len());
            assert_eq!((row.created_at, row.updated_at), (timeline.created, timeline.last()));
            assert_eq!(row.version, 1 + path.len() as i64);
        }
    }
}
