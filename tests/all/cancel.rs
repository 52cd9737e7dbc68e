//! Latest wins on PostgreSQL too: a superseded load's statement is cancelled on the
//! server (its connection is named after the load's ticket), not left running to its
//! end. Only that load's statement: another request's is untouched.

use staffroom_core::store::Db;
use staffroom_core::store::interrupt::{self, Ticket};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_superseded_load_is_cancelled_on_postgres() {
    let Some(url) = crate::pg::fresh_database_url().await else { return };
    let db = Db::open(&url).await.expect("open");
    let sleep = |db: Db, ticket: Ticket| {
        tokio::spawn(interrupt::interruptible(ticket, async move {
            let started = Instant::now();
            let pool = match &db {
                Db::Postgres(p) => p.clone(),
                Db::Sqlite(_) => unreachable!(),
            };
            let r = sqlx::query("SELECT pg_sleep(5)").execute(&pool).await;
            (r.map(|_| ()), started.elapsed())
        }))
    };
    let (doomed, other) = (Ticket::default(), Ticket::default());
    let a = sleep(db.clone(), doomed.clone());
    let b = sleep(db.clone(), other.clone());
    tokio::time::sleep(Duration::from_millis(500)).await;
    interrupt::cancel_postgres(&db, &doomed).await;
    let (ra, took) = a.await.expect("task");
    let e = ra.expect_err("the superseded statement was cancelled");
    assert!(e.to_string().contains("cancel"), "{e}");
    assert!(took < Duration::from_secs(3), "stopped at once, not after 5 s: {took:?}");
    // The other load ran to its end.
    let (rb, took) = b.await.expect("task");
    assert!(rb.is_ok(), "{rb:?}");
    assert!(took >= Duration::from_secs(5), "{took:?}");
}
