//! Crash safety on SQLite: a writer process killed with SIGKILL in the middle of a
//! burst of writes, twenty times over the same file. After each kill the database
//! opens, the audit chain verifies against its head, and every write the writer saw
//! committed is there (a lead and its move, each with its audit row).
//!
//! The writer is this test binary itself, run again with `crash_writer` as the only
//! test and the database in `STAFFROOM_CRASH_DB`; it prints `committed ID` after
//! each commit, so the parent knows what must survive.

use staffroom::domain::lead::{LeadStatus, MoveInput};
use staffroom_core::store::audit::{self, Verdict};
use staffroom_core::store::leads::{self, NewLead};
use staffroom_core::store::{Actor, Db};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const ENV: &str = "STAFFROOM_CRASH_DB";

/// The writer: does nothing unless run by `kill_9_during_writes_loses_nothing_committed`.
#[tokio::test]
async fn crash_writer() {
    let Ok(url) = std::env::var(ENV) else { return };
    let db = Db::open(&url).await.expect("open");
    let actor = Actor::cli();
    for i in 0u64.. {
        let new = NewLead {
            full_name: format!("Crash Lead {i}"),
            phone: Some(format!("+2010{:08}", (std::process::id() as u64 * 1000 + i) % 100_000_000)),
            ..NewLead::default()
        };
        let lead = leads::create(&db, &actor, new).await.expect("create");
        let moved = leads::move_to(&db, &actor, lead.id, lead.version, LeadStatus::Contacted, &MoveInput::default())
            .await
            .expect("move");
        println!("committed {}", moved.id);
    }
}

#[tokio::test]
async fn kill_9_during_writes_loses_nothing_committed() {
    if std::env::var(ENV).is_ok() {
        return; // (inside a writer)
    }
    let path = crate::common::temp_path("db");
    let url = format!("sqlite://{}", path.display());
    Db::open(&url).await.expect("create and migrate").close().await;
    let mut committed: Vec<i64> = Vec::new();
    for round in 0..20u32 {
        let mut child = Command::new(std::env::current_exe().expect("test binary"))
            .args(["--exact", "crash::crash_writer", "--nocapture", "--test-threads=1"])
            .env(ENV, &url)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the writer");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        // Kill after a different number of commits each round, mid-transaction.
        let want = 5 + (round as usize * 7) % 23;
        let mut seen = 0;
        while seen < want {
            let Some(Ok(line)) = lines.next() else { break };
            if let Some(id) = line.strip_prefix("committed ") {
                committed.push(id.trim().parse().expect("an id"));
                seen += 1;
            }
        }
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        assert!(seen == want, "round {round}: the writer stopped early after {seen} commits");

        let db = Db::open(&url).await.unwrap_or_else(|e| panic!("round {round}: the database does not open: {e}"));
        match audit::verify(&db, &mut |_| {}).await.expect("verify") {
            Verdict::Intact { .. } => {}
            broken => panic!("round {round}: the chain is broken after kill -9: {broken:?}"),
        }
        for id in &committed {
            let lead = leads::get(&db, *id).await.unwrap_or_else(|e| panic!("round {round}: lead #{id} is gone: {e}"));
            assert_eq!(lead.stage(), LeadStatus::Contacted, "round {round}: lead #{id} lost its move");
        }
        let audited: i64 = staffroom_core::with_db!(&db, p => {
            sqlx::query_scalar("SELECT COUNT(DISTINCT entity_id) FROM audit_log WHERE entity_type = 'lead' AND action = 'status_change'")
                .fetch_one(p)
                .await
                .expect("count")
        });
        assert!(audited >= committed.len() as i64, "round {round}: every committed move has its audit row");
        db.close().await;
    }
    let _ = std::fs::remove_file(&path);
}
