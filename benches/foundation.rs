//! Budgets of the foundation issue, measured on the `--large` demo database:
//!
//! | what                                             | budget  |
//! |--------------------------------------------------|---------|
//! | generating `--large` (SQLite)                    | ≤ 60 s  |
//! | one keyset page of 50 audit rows, anywhere (SQLite) | ≤ 1 ms median |
//! | lead counts per stage (SQLite)                   | ≤ 20 ms median |
//! | `audit verify` of 1M rows (SQLite)               | ≤ 10 s  |
//! | the same audit page on PostgreSQL                | ≤ 2 ms median |
//! | audit viewer: open, newest 100 rows              | ≤ 100 ms |
//! | audit viewer: jump to the oldest                 | ≤ 50 ms |
//! | audit viewer: a filter change (each filter)      | ≤ 100 ms |
//! | export of 100k filtered audit rows               | ≤ 3 s   |
//!
//! Run: `cargo bench --bench foundation`. The SQLite database is kept in
//! target/bench-large.db between runs (delete it to time generation again);
//! PostgreSQL gets a throwaway cluster (skipped when no server binaries exist).

#[path = "../tests/all/pg.rs"]
#[allow(dead_code)]
mod pg;

use staffroom::demo;

use staffroom_core::store::{Db, audit};
use std::time::{Duration, Instant};

#[path = "stats.rs"]
mod stats;
use stats::{median, p95};

fn report(what: &str, took: Duration, budget: Duration) {
    let verdict = if took <= budget { "ok" } else { "OVER BUDGET" };
    println!(
        "{what:<52} {:>10.3} ms   budget {:>8.0} ms   {verdict}",
        took.as_secs_f64() * 1e3,
        budget.as_secs_f64() * 1e3
    );
}

/// Pages of 50 audit rows starting at ids spread over the whole table.
async fn audit_pages(db: &Db) -> Vec<Duration> {
    let total = audit::count(db).await.expect("count");
    let mut times = Vec::new();
    let mut x: i64 = 12345;
    for _ in 0..400 {
        x = (x * 1_103_515_245 + 12345) % 2_147_483_648;
        let before = 1 + x % total.max(1);
        let t = Instant::now();
        let page = audit::page(db, Some(before), 50).await.expect("page");
        times.push(t.elapsed());
        assert!(page.rows.len() == 50 || before <= 51);
    }
    times
}

/// The audit viewer's budgets (issue 13) on the `--large` log: what a key costs
/// in the backend (the query; drawing is measured in `render`).
async fn audit_viewer(db: &Db) {
    use staffroom_core::store::audit_query::{self, AuditFilter, From, Scope};
    let time = |label: &'static str, budget_ms: u64, f: AuditFilter, from: From, scope: Scope| {
        let db = db.clone();
        async move {
            let mut times = Vec::new();
            let mut n = 0;
            for _ in 0..15 {
                let t = Instant::now();
                let page = audit_query::page(&db, scope, &f, from, 100).await.expect("page");
                times.push(t.elapsed());
                n = page.rows.len();
            }
            report(&format!("{label} ({n} rows), median"), median(times), Duration::from_millis(budget_ms));
        }
    };
    let busiest: (i64, String) = staffroom_core::with_db!(db, p => sqlx::query_as(
        "SELECT u.id, u.email FROM audit_log a JOIN users u ON u.id = a.actor_id \
         GROUP BY u.id, u.email ORDER BY COUNT(*) DESC LIMIT 1").fetch_one(p).await.expect("busiest"));
    let lead: i64 = staffroom_core::with_db!(db, p => sqlx::query_scalar(
        "SELECT entity_id FROM audit_log WHERE entity_type = 'lead' AND entity_id IS NOT NULL ORDER BY id LIMIT 1").fetch_one(p).await.expect("a lead"));
    let now = staffroom_core::store::now();
    let all = AuditFilter::default();
    time("viewer: open, newest", 100, all.clone(), From::Newest, Scope::All).await;
    time("viewer: G, the oldest", 50, all.clone(), From::Oldest, Scope::All).await;
    let by = AuditFilter { actor: Some(busiest.1.clone()), ..AuditFilter::default() };
    time("filter: by the busiest actor", 100, by, From::Newest, Scope::All).await;
    let action = AuditFilter { action: Some("status_change".into()), ..AuditFilter::default() };
    time("filter: one action", 100, action.clone(), From::Newest, Scope::All).await;
    time("filter: one action, G", 100, action, From::Oldest, Scope::All).await;
    let entity = AuditFilter { entity_type: Some("lead".into()), entity_id: Some(lead), ..AuditFilter::default() };
    time("filter: one lead's history", 100, entity, From::Newest, Scope::All).await;
    let week = AuditFilter {
        since: Some(now - chrono::Duration::days(37)),
        until: Some(now - chrono::Duration::days(30)),
        ..AuditFilter::default()
    };
    time("filter: a week a month ago", 100, week, From::Newest, Scope::All).await;
    let text = AuditFilter { text: Some("won".into()), ..AuditFilter::default() };
    time("filter: text in the summary (common)", 100, text, From::Newest, Scope::All).await;
    // A text no row has: without the trigram index, a read of the whole log.
    let rare = AuditFilter { text: Some("no row says this".into()), ..AuditFilter::default() };
    time("filter: text in the summary (no match)", 100, rare, From::Newest, Scope::All).await;
    let name = AuditFilter { text: Some("Farouk".into()), ..AuditFilter::default() };
    time("filter: text in the summary (a name)", 100, name, From::Newest, Scope::All).await;
    time("staff's own share, newest", 100, all.clone(), From::Newest, Scope::Staff(busiest.0)).await;
    // An export of 100k rows: the newest 100k by time, to nowhere (the writing is
    // what is timed, as the CLI does it).
    let since: chrono::DateTime<chrono::Utc> = staffroom_core::with_db!(db, p => sqlx::query_scalar(
        "SELECT created_at FROM audit_log ORDER BY id DESC LIMIT 1 OFFSET 99999").fetch_one(p).await.expect("cut"));
    let f = AuditFilter { since: Some(since), ..AuditFilter::default() };
    let t = Instant::now();
    let n = staffroom_core::store::audit_io::write(db, Scope::All, &f, false, std::io::sink()).await.expect("export");
    report(&format!("export {n} filtered rows as CSV"), t.elapsed(), Duration::from_secs(3));
}

async fn bench_sqlite() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-large.db");
    let url = format!("sqlite://{}", path.display());
    let db = Db::open(&url).await.expect("open");
    let t = Instant::now();
    let summary = demo::ensure(&db, true).await.expect("demo --large");
    let generated = t.elapsed();
    println!("SQLite, {}", path.display());
    if summary.created {
        report("generate --large (100k leads, 1M audit rows)", generated, Duration::from_secs(60));
    } else {
        println!("(reused an existing --large database; delete it to time generation)");
    }
    // Warm the page cache as a running app would have it.
    let _ = audit_pages(&db).await;
    let times = audit_pages(&db).await;
    report("audit page of 50 rows, median", median(times.clone()), Duration::from_millis(1));
    report("audit page of 50 rows, p95", p95(times), Duration::from_millis(1));
    let mut counts = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        staffroom_core::store::board::count_by_status(&db).await.expect("counts");
        counts.push(t.elapsed());
    }
    report("lead counts per stage, median", median(counts), Duration::from_millis(20));
    let mut board = Vec::new();
    for status in staffroom::domain::lead::LeadStatus::ALL {
        for _ in 0..20 {
            let t = Instant::now();
            staffroom_core::store::board::page_by_status(&db, *status, None, 50).await.expect("board page");
            board.push(t.elapsed());
        }
    }
    report("first board page (50 leads) of a stage, median", median(board), Duration::from_millis(5));
    audit_viewer(&db).await;
    let t = Instant::now();
    let verdict = audit::verify(&db, &mut |_| {}).await.expect("verify");
    report("audit verify (all rows)", t.elapsed(), Duration::from_secs(10));
    assert!(matches!(verdict, audit::Verdict::Intact { .. }), "{verdict:?}");
}

async fn bench_postgres() {
    let Some(url) = pg::fresh_database_url().await else {
        println!("PostgreSQL: skipped (no server binaries)");
        return;
    };
    let db = Db::open(&url).await.expect("open pg");
    let t = Instant::now();
    demo::ensure(&db, true).await.expect("demo --large on pg");
    println!("PostgreSQL (throwaway cluster)");
    println!("{:<52} {:>10.3} s", "generate --large", t.elapsed().as_secs_f64());
    let _ = audit_pages(&db).await;
    let times = audit_pages(&db).await;
    report("audit page of 50 rows, median", median(times.clone()), Duration::from_millis(2));
    report("audit page of 50 rows, p95", p95(times), Duration::from_millis(2));
    let mut counts = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        staffroom_core::store::board::count_by_status(&db).await.expect("counts");
        counts.push(t.elapsed());
    }
    report("lead counts per stage, median", median(counts), Duration::from_millis(20));
    audit_viewer(&db).await;
    let t = Instant::now();
    audit::verify(&db, &mut |_| {}).await.expect("verify");
    report("audit verify (all rows)", t.elapsed(), Duration::from_secs(10));
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing useful.
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        bench_sqlite().await;
        if std::env::args().all(|a| a != "--sqlite-only") {
            bench_postgres().await;
        }
    });
}
