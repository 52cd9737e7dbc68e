//! `demo --large`: 100,000 leads and 1,000,000 chained audit rows, written in large
//! multi-row INSERTs inside a few big transactions (budget: under 60 s on SQLite).

use super::text::{BUDGETS, FIRST_NAMES, LAST_NAMES, LOST_REASONS, Rng};
use super::{LARGE_AUDIT_ROWS, LARGE_LEADS};
use crate::domain::lead::{Interest, LeadSource, LeadStatus, Urgency};
use crate::store::audit::{self, AuditRow};
use crate::store::{Db, Result, Tx, now};
use crate::{with_db, with_tx};
use chrono::{DateTime, Duration, Utc};
use indicatif::{ProgressBar, ProgressStyle};

const LEAD_COLS: usize = 18;
/// Rows per INSERT. Small on purpose: sqlx's cost per parameter grows with the
/// statement's parameter count (see `audit::insert_rows`).
const LEAD_BATCH: usize = 10;
/// Audit rows generated in memory at a time.
const AUDIT_CHUNK: i64 = 50_000;

pub async fn ensure(db: &Db) -> Result<()> {
    let leads: i64 = with_db!(db, p => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM leads").fetch_one(p).await?);
    let rows = audit::count(db).await?;
    if leads >= LARGE_LEADS && rows >= LARGE_AUDIT_ROWS {
        return Ok(());
    }
    let started = std::time::Instant::now();
    if leads < LARGE_LEADS {
        insert_leads(db, LARGE_LEADS - leads).await?;
        tracing::info!("large demo: leads in {:?}", started.elapsed());
    }
    if rows < LARGE_AUDIT_ROWS {
        insert_audit(db, LARGE_AUDIT_ROWS - rows).await?;
        tracing::info!("large demo: audit rows in {:?}", started.elapsed());
    }
    // Fresh statistics, as a maintained database has them (the planner needs them
    // for index-only counts on PostgreSQL).
    match db {
        Db::Sqlite(p) => {
            sqlx::query("ANALYZE").execute(p).await?;
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

/// Drops the secondary indexes of `table` inside `tx` and returns their DDL, read
/// from the catalogue (so nothing here repeats the migrations). Building an index
/// once over a million rows is far cheaper than a million random index inserts.
async fn take_indexes(tx: &mut Tx, table: &str) -> Result<Vec<String>> {
    let found: Vec<(String, String)> =
        match tx {
            Tx::Sqlite(t) => {
                sqlx::query_as(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL",
                )
                .bind(table)
                .fetch_all(&mut **t)
                .await?
            }
            Tx::Postgres(t) => sqlx::query_as(
                "SELECT indexname::text, indexdef FROM pg_indexes WHERE tablename = $1 AND indexname NOT LIKE '%_pkey'",
            )
            .bind(table)
            .fetch_all(&mut **t)
            .await?,
        };
    for (name, _) in &found {
        let sql = format!("DROP INDEX {name}");
        with_tx!(tx, c => sqlx::query(&sql).execute(&mut *c).await?.rows_affected());
    }
    Ok(found.into_iter().map(|(_, ddl)| ddl).collect())
}

async fn restore_indexes(tx: &mut Tx, ddls: &[String]) -> Result<()> {
    for ddl in ddls {
        with_tx!(tx, c => sqlx::query(ddl).execute(&mut *c).await?.rows_affected());
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
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

fn make_lead(rng: &mut Rng, n: i64, staff: &[i64], at: DateTime<Utc>) -> LeadRow {
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
    let first = rng.pick(FIRST_NAMES);
    let last = rng.pick(LAST_NAMES);
    let created_at = at - Duration::minutes(rng.below(365 * 24 * 60) as i64);
    let updated_at = created_at + Duration::minutes(rng.below(30 * 24 * 60) as i64);
    let updated_at = updated_at.min(at);
    let with_email = rng.chance(80);
    let email = (with_email || rng.chance(50)).then(|| format!("lead{n}@example.org"));
    let phone = (!with_email || rng.chance(60)).then(|| format!("+2010{:08}", n));
    let interest = *rng.pick(Interest::ALL);
    LeadRow {
        full_name: format!("{first} {last}"),
        whatsapp: (phone.is_some() && rng.chance(50)).then(|| phone.clone().unwrap_or_default()),
        email,
        phone,
        lead_type: if rng.chance(70) { "student" } else { "client" },
        source: rng.pick(LeadSource::ALL).as_str(),
        message: format!("Interested in {} — please get back to me (#{n})", interest.as_str().replace('_', " ")),
        interested_in: interest.as_str(),
        status,
        lost_reason: (status == LeadStatus::ClosedLost).then(|| *rng.pick(LOST_REASONS)),
        budget_range: rng.chance(50).then(|| *rng.pick(BUDGETS)),
        urgency: rng.pick(Urgency::ALL).as_str(),
        assigned_to: (rng.chance(75) && !staff.is_empty()).then(|| *rng.pick(staff)),
        next_follow_up_at: (status.is_open() && rng.chance(60))
            .then(|| at + Duration::hours(rng.below(24 * 21) as i64 - 24 * 7)),
        converted_at: (status == LeadStatus::ClosedWon).then_some(updated_at),
        last_contact_at: (status != LeadStatus::New).then_some(updated_at),
        created_at,
        updated_at,
    }
}

fn values_sql(prefix: &str, rows: usize, cols: usize) -> String {
    let mut sql = String::from(prefix);
    for i in 0..rows {
        sql.push_str(if i == 0 { "(" } else { ",(" });
        for c in 0..cols {
            if c > 0 {
                sql.push(',');
            }
            sql.push('$');
            sql.push_str(&(i * cols + c + 1).to_string());
        }
        sql.push(')');
    }
    sql
}

async fn staff_ids(db: &Db) -> Result<Vec<i64>> {
    Ok(with_db!(db, p => {
        sqlx::query_scalar::<_, i64>("SELECT id FROM users WHERE is_staff = $1 OR is_admin = $1 ORDER BY id")
            .bind(true)
            .fetch_all(p)
            .await?
    }))
}

async fn insert_leads(db: &Db, count: i64) -> Result<()> {
    let staff = staff_ids(db).await?;
    let at = now();
    let mut rng = Rng::new(0x1ead5);
    let progress = bar(count, "leads");
    let prefix = "INSERT INTO leads (full_name, email, phone, whatsapp, lead_type, source, message, interested_in, status, \
         lost_reason, budget_range, urgency, assigned_to, next_follow_up_at, converted_at, last_contact_at, created_at, \
         updated_at) VALUES ";
    let full_sql = values_sql(prefix, LEAD_BATCH, LEAD_COLS);
    let mut tx = db.begin().await?;
    bulk_begin(&mut tx).await?;
    let indexes = take_indexes(&mut tx, "leads").await?;
    let mut done = 0;
    while done < count {
        let n = LEAD_BATCH.min(usize::try_from(count - done).unwrap_or(0));
        let rows: Vec<LeadRow> = (0..n).map(|i| make_lead(&mut rng, done + i as i64 + 1, &staff, at)).collect();
        let sql = if n == LEAD_BATCH { full_sql.clone() } else { values_sql(prefix, n, LEAD_COLS) };
        with_tx!(&mut tx, c => {
            let mut q = sqlx::query(&sql);
            for r in &rows {
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
                    .bind(r.urgency)
                    .bind(r.assigned_to)
                    .bind(r.next_follow_up_at)
                    .bind(r.converted_at)
                    .bind(r.last_contact_at)
                    .bind(r.created_at)
                    .bind(r.updated_at);
            }
            q.execute(&mut *c).await?;
        });
        done += n as i64;
        progress.set_position(done as u64);
    }
    let t = std::time::Instant::now();
    restore_indexes(&mut tx, &indexes).await?;
    bulk_end(&mut tx).await?;
    tx.commit().await?;
    tracing::info!("large demo: lead indexes and commit in {:?}", t.elapsed());
    progress.finish_and_clear();
    Ok(())
}

/// Appends `count` audit rows describing pipeline work, chained after the existing
/// head, with timestamps rising over the last two years.
async fn insert_audit(db: &Db, count: i64) -> Result<()> {
    let staff = staff_ids(db).await?;
    let max_lead: i64 =
        with_db!(db, p => sqlx::query_scalar::<_, i64>("SELECT COALESCE(MAX(id), 1) FROM leads").fetch_one(p).await?);
    let mut rng = Rng::new(0xa0d17);
    let progress = bar(count, "audit rows");
    let end = now();
    let step = Duration::milliseconds((730 * 24 * 3600 * 1000) / count.max(1));
    let mut at = end - step * i32::try_from(count).unwrap_or(i32::MAX);
    let stages = LeadStatus::ALL;
    let mut done = 0;
    let mut tx = db.begin().await?;
    bulk_begin(&mut tx).await?;
    let (mut last_id, mut prev) = audit::lock_head(&mut tx).await?;
    let indexes = take_indexes(&mut tx, "audit_log").await?;
    while done < count {
        let n = AUDIT_CHUNK.min(count - done);
        let mut rows = Vec::with_capacity(usize::try_from(n).unwrap_or(0));
        for _ in 0..n {
            last_id += 1;
            at += step;
            let lead = 1 + rng.below(u64::try_from(max_lead).unwrap_or(1)) as i64;
            let from = rng.pick(stages);
            let to = rng.pick(stages);
            let (action, summary, old, new) = if rng.chance(70) {
                (
                    "status_change",
                    format!("moved lead #{lead} from {from} to {to}"),
                    Some(format!(r#"{{"id":{lead},"status":"{from}"}}"#)),
                    Some(format!(r#"{{"id":{lead},"status":"{to}"}}"#)),
                )
            } else {
                (
                    "update",
                    format!("updated lead #{lead}"),
                    Some(format!(r#"{{"id":{lead},"next_follow_up_at":null}}"#)),
                    Some(format!(r#"{{"id":{lead},"next_follow_up_at":"{}"}}"#, at.format("%Y-%m-%d"))),
                )
            };
            let mut row = AuditRow {
                id: last_id,
                actor_id: staff.get(rng.below(staff.len().max(1) as u64) as usize).copied(),
                action: action.to_string(),
                entity_type: "lead".to_string(),
                entity_id: Some(lead),
                summary,
                old_values: old,
                new_values: new,
                remote: if rng.chance(60) {
                    "local".into()
                } else {
                    format!("10.0.{}.{}", rng.below(8), rng.below(250))
                },
                client: crate::store::actor::client_name(),
                created_at: at.min(end),
                prev_hash: String::new(),
                hash: String::new(),
            };
            row.seal(&prev);
            prev.clone_from(&row.hash);
            rows.push(row);
        }
        audit::insert_rows(&mut tx, &rows).await?;
        done += n;
        tracing::debug!("large demo: {done} audit rows");
        progress.set_position(done as u64);
    }
    restore_indexes(&mut tx, &indexes).await?;
    bulk_end(&mut tx).await?;
    tx.commit().await?;
    progress.finish_and_clear();
    Ok(())
}
