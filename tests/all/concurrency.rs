//! Concurrent writers on PostgreSQL (and SQLite): optimistic concurrency names the
//! winner; the audit chain stays linear under load.

use crate::common::{TestDb, team};
use staffroom::domain::lead::{LeadStatus, MoveInput, NoteType};
use staffroom_core::store::audit::{self, Verdict};
use staffroom_core::store::leads::{self, NewLead};
use staffroom_core::store::{Db, StoreError};

async fn two_sessions_one_lead(t: TestDb) {
    let team = team(&t.db).await;
    let lead = leads::create(
        &t.db,
        &team.staff,
        NewLead { full_name: "Shared".into(), email: Some("s@x.org".into()), ..NewLead::default() },
    )
    .await
    .unwrap();
    // Two separate pools: two users' sessions.
    let other = Db::open(&t.url).await.unwrap();
    let (plain, spam) = (MoveInput::default(), MoveInput { lost_reason: Some("spam".into()), ..MoveInput::default() });
    let (a, b) = tokio::join!(
        leads::move_to(&t.db, &team.staff, lead.id, lead.version, LeadStatus::Contacted, &plain),
        leads::move_to(&other, &team.admin, lead.id, lead.version, LeadStatus::ClosedLost, &spam),
    );
    let (winner, loser_err) = match (a, b) {
        (Ok(_), Err(e)) => ("Sami Staff", e),
        (Err(e), Ok(_)) => ("Amira Admin", e),
        (a, b) => panic!("exactly one must win: {a:?} / {b:?}"),
    };
    match &loser_err {
        StoreError::Conflict { by, .. } => assert_eq!(by.as_deref(), Some(winner)),
        other => panic!("expected Conflict, got {other:?}"),
    }
    assert_eq!(leads::get(&t.db, lead.id).await.unwrap().version, lead.version + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_sessions_one_lead_postgres() {
    if let Some(t) = TestDb::postgres().await {
        two_sessions_one_lead(t).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_sessions_one_lead_sqlite() {
    two_sessions_one_lead(TestDb::sqlite().await).await;
}

async fn many_writers(t: TestDb, writers: usize, writes: usize) {
    let team = team(&t.db).await;
    let start = audit::count(&t.db).await.unwrap();
    let mut tasks = Vec::new();
    for w in 0..writers {
        // Each writer is its own connection pool, as separate staffroom processes are.
        let db = Db::open(&t.url).await.unwrap();
        let staff = team.staff.clone();
        tasks.push(tokio::spawn(async move {
            let lead = leads::create(
                &db,
                &staff,
                NewLead { full_name: format!("W{w}"), phone: Some(format!("+2011{w:08}")), ..NewLead::default() },
            )
            .await
            .unwrap();
            for i in 1..writes {
                leads::add_note(&db, &staff, lead.id, NoteType::Call, &format!("call {i}")).await.unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let total = audit::count(&t.db).await.unwrap();
    assert_eq!(total - start, (writers * writes) as i64, "one audit row per write");
    assert_eq!(audit::verify(&t.db, &mut |_| {}).await.unwrap(), Verdict::Intact { rows: total as u64 });
    // No fork: ids are contiguous and every prev_hash is used exactly once.
    let check = "SELECT COUNT(DISTINCT prev_hash) FROM audit_log";
    let distinct: i64 = match &t.db {
        Db::Sqlite(p) => sqlx::query_scalar(check).fetch_one(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar(check).fetch_one(p).await.unwrap(),
    };
    assert_eq!(distinct, total);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_writers_keep_one_chain_postgres() {
    if let Some(t) = TestDb::postgres().await {
        many_writers(t, 8, 100).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_writers_keep_one_chain_sqlite() {
    many_writers(TestDb::sqlite().await, 8, 25).await;
}

/// A superseded load's ticket stops its statement inside SQLite: the query ends with
/// an interrupt instead of running on, holding a connection and a core.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_ticket_interrupts_a_running_sqlite_statement() {
    use staffroom_core::store::interrupt::{Ticket, interruptible};
    use std::sync::atomic::Ordering;
    let t = crate::common::TestDb::sqlite().await;
    let staffroom_core::store::Db::Sqlite(pool) = t.db.clone() else { panic!("sqlite") };
    // Counting to a billion takes SQLite many seconds.
    let slow = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000) \
                SELECT COUNT(*) FROM n";
    let ticket = Ticket::default();
    let run = tokio::spawn(interruptible(ticket.clone(), async move {
        sqlx::query_scalar::<_, i64>(slow).fetch_one(&pool).await
    }));
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let started = std::time::Instant::now();
    ticket.store(true, Ordering::Relaxed);
    let result = tokio::time::timeout(std::time::Duration::from_secs(5), run).await.expect("stops").unwrap();
    let err = result.expect_err("interrupted, not finished");
    assert!(err.to_string().contains("interrupt"), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(1), "stopped at once: {:?}", started.elapsed());
    // The connection goes back to the pool clean: the next load runs normally.
    assert_eq!(staffroom_core::store::board::count_by_status(&t.db).await.unwrap().len(), 7);
}
