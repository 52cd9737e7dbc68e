//! The audit chain: every mutation writes a row in its own transaction; tampering
//! with any row is detected and named.

use crate::common::{TestDb, team};
use staffroom::domain::lead::{LeadStatus, MoveInput};
use staffroom_core::store::Db;
use staffroom_core::store::audit::{self, Verdict};
use staffroom_core::store::leads::{self, NewLead};

async fn exec(db: &Db, sql: &str) {
    match db {
        Db::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        Db::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
    }
    .expect(sql);
}

async fn some_history(t: &TestDb) {
    let team = team(&t.db).await;
    for i in 0..5 {
        let l = leads::create(
            &t.db,
            &team.staff,
            NewLead { full_name: format!("L{i}"), phone: Some(format!("+2010000000{i:02}")), ..NewLead::default() },
        )
        .await
        .unwrap();
        leads::move_to(&t.db, &team.staff, l.id, l.version, LeadStatus::Contacted, &MoveInput::default())
            .await
            .unwrap();
    }
}

crate::on_both!(every_mutation_is_audited_with_changed_fields_only, |t: TestDb| async move {
    let team = team(&t.db).await;
    let before = audit::count(&t.db).await.unwrap();
    let l = leads::create(
        &t.db,
        &team.staff,
        NewLead { full_name: "Audited".into(), email: Some("a@b.co".into()), ..NewLead::default() },
    )
    .await
    .unwrap();
    leads::move_to(&t.db, &team.staff, l.id, l.version, LeadStatus::Contacted, &MoveInput::default()).await.unwrap();
    assert_eq!(audit::count(&t.db).await.unwrap(), before + 2);
    let rows = audit::for_entity(&t.db, "lead", l.id).await.unwrap();
    let moved = rows.last().unwrap();
    assert_eq!(moved.action, "status_change");
    assert_eq!(moved.actor_id, team.staff.user_id);
    // Only what changed: the stage, and when the lead entered it (kept so that an
    // undo can restore it).
    let json = |v: &Option<String>| serde_json::from_str::<serde_json::Value>(v.as_deref().unwrap()).unwrap();
    let (old, new) = (json(&moved.old_values), json(&moved.new_values));
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&old), vec!["id", "stage_since", "status"]);
    assert_eq!(keys(&new), keys(&old));
    assert_eq!((old["id"].as_i64(), old["status"].as_str()), (Some(l.id), Some("new")));
    assert_eq!((new["id"].as_i64(), new["status"].as_str()), (Some(l.id), Some("contacted")));
    assert_ne!(old["stage_since"], new["stage_since"]);
    assert_eq!(moved.remote, "local");
    // A refused write leaves no audit row behind.
    let n = audit::count(&t.db).await.unwrap();
    let _ = leads::move_to(&t.db, &team.staff, l.id, l.version + 1, LeadStatus::ClosedWon, &MoveInput::default()).await;
    assert_eq!(audit::count(&t.db).await.unwrap(), n);
});

crate::on_both!(an_intact_chain_verifies, |t: TestDb| async move {
    some_history(&t).await;
    let n = audit::count(&t.db).await.unwrap();
    let mut seen = 0;
    let verdict = audit::verify(&t.db, &mut |k| seen = k).await.unwrap();
    assert_eq!(verdict, Verdict::Intact { rows: n as u64 });
    assert_eq!(seen, n as u64, "progress reaches the end");
});

crate::on_both!(a_changed_row_is_named, |t: TestDb| async move {
    some_history(&t).await;
    exec(&t.db, "UPDATE audit_log SET summary = 'nothing happened' WHERE id = 7").await;
    match audit::verify(&t.db, &mut |_| {}).await.unwrap() {
        Verdict::Broken { id, why } => {
            assert_eq!(id, 7);
            assert!(why.contains("changed"), "{why}");
        }
        v => panic!("tampering not detected: {v:?}"),
    }
});

crate::on_both!(a_removed_row_is_named, |t: TestDb| async move {
    some_history(&t).await;
    exec(&t.db, "DELETE FROM audit_log WHERE id = 5").await;
    assert!(matches!(audit::verify(&t.db, &mut |_| {}).await.unwrap(), Verdict::Broken { id: 6, .. }));
});

crate::on_both!(a_rehashed_row_still_breaks_the_next_link, |t: TestDb| async move {
    some_history(&t).await;
    // A forger who recomputes row 4's own hash still breaks row 5's prev_hash.
    let mut row = audit::page(&t.db, Some(5), 1).await.unwrap().rows.remove(0);
    assert_eq!(row.id, 4);
    row.summary = "forged".into();
    let prev = row.prev_hash.clone();
    row.seal(&prev);
    let sql = format!("UPDATE audit_log SET summary = 'forged', hash = '{}' WHERE id = 4", row.hash);
    exec(&t.db, &sql).await;
    assert!(matches!(audit::verify(&t.db, &mut |_| {}).await.unwrap(), Verdict::Broken { id: 5, .. }));
});

crate::on_both!(audit_pages_walk_backwards_without_gaps, |t: TestDb| async move {
    some_history(&t).await;
    let total = audit::count(&t.db).await.unwrap();
    let mut ids = Vec::new();
    let mut before = None;
    loop {
        let page = audit::page(&t.db, before, 3).await.unwrap();
        ids.extend(page.rows.iter().map(|r| r.id));
        match page.next {
            Some(k) => before = Some(k),
            None => break,
        }
    }
    let expected: Vec<i64> = (1..=total).rev().collect();
    assert_eq!(ids, expected);
});

crate::on_both!(hostile_text_in_the_trail_still_verifies, |t: TestDb| async move {
    let team = team(&t.db).await;
    let names =
        ["Esc\u{1b}[2J\"quoted\"\\back\u{7}", "سارة 🎓 \u{202e}rlo", "tab\there\nnewline\u{0}nul", "\u{9b}c1 ✓"];
    for (i, n) in names.iter().enumerate() {
        leads::create(
            &t.db,
            &team.staff,
            NewLead { full_name: n.to_string(), phone: Some(format!("+2012000000{i:02}")), ..NewLead::default() },
        )
        .await
        .unwrap();
    }
    let n = audit::count(&t.db).await.unwrap();
    assert_eq!(audit::verify(&t.db, &mut |_| {}).await.unwrap(), Verdict::Intact { rows: n as u64 });
});

/// More audited writes by a new staff member called `who`.
async fn more_history(t: &TestDb, who: &str) {
    let a = crate::common::actor(&t.db, who, staffroom::domain::permissions::Roles::STAFF).await;
    for i in 0..3 {
        let full_name = format!("{who} lead {i}");
        let email = Some(format!("lead{i}.{}@test.example", who.len()));
        leads::create(&t.db, &a, NewLead { full_name, email, ..NewLead::default() }).await.unwrap();
    }
}

crate::on_both!(deleting_the_newest_rows_or_all_of_them_is_named, |t: TestDb| async move {
    some_history(&t).await;
    let last = audit::count(&t.db).await.unwrap();
    assert!(matches!(audit::verify(&t.db, &mut |_| {}).await.unwrap(), Verdict::Intact { .. }));
    assert_eq!(audit::head(&t.db).await.unwrap().map(|h| h.0), Some(last), "every write moves the head");
    // The newest two rows go: the chain still links, but it no longer ends at its head.
    exec(&t.db, &format!("DELETE FROM audit_log WHERE id > {}", last - 2)).await;
    match audit::verify(&t.db, &mut |_| {}).await.unwrap() {
        Verdict::Broken { id, why } => {
            assert_eq!(id, last);
            assert!(
                why.contains(&format!("ends at row #{}", last - 2)) && why.contains("newest rows were deleted"),
                "{why}"
            );
        }
        other => panic!("truncation not detected: {other:?}"),
    }
    // All of them.
    exec(&t.db, "DELETE FROM audit_log").await;
    match audit::verify(&t.db, &mut |_| {}).await.unwrap() {
        Verdict::Broken { why, .. } => assert!(why.contains("every row was deleted"), "{why}"),
        other => panic!("an emptied log verified: {other:?}"),
    }
    // And the head with them: the head is missing while rows remain is named too.
    more_history(&t, "Second Writer").await;
    exec(&t.db, "DELETE FROM audit_head").await;
    match audit::verify(&t.db, &mut |_| {}).await.unwrap() {
        Verdict::Broken { why, .. } => assert!(why.contains("head is missing"), "{why}"),
        other => panic!("a missing head verified: {other:?}"),
    }
});

crate::on_both!(checkpoints_catch_a_truncation_that_also_rewrote_the_head, |t: TestDb| async move {
    some_history(&t).await;
    let cp = audit::checkpoint(&t.db).await.unwrap().expect("a head");
    more_history(&t, "Third Writer").await;
    assert!(matches!(
        audit::check_checkpoints(&t.db, std::slice::from_ref(&cp)).await.unwrap(),
        Verdict::Intact { rows: 1 }
    ));
    // Someone with write access deletes back past the checkpoint and fixes the head
    // to match: the chain and its head agree again…
    exec(&t.db, &format!("DELETE FROM audit_log WHERE id >= {}", cp.id)).await;
    exec(
        &t.db,
        &format!(
            "UPDATE audit_head SET last_id = {0}, last_hash = (SELECT hash FROM audit_log WHERE id = {0})",
            cp.id - 1
        ),
    )
    .await;
    assert!(matches!(audit::verify(&t.db, &mut |_| {}).await.unwrap(), Verdict::Intact { .. }));
    // …but the checkpoint kept outside names what is missing.
    match audit::check_checkpoints(&t.db, std::slice::from_ref(&cp)).await.unwrap() {
        Verdict::Broken { id, why } => {
            assert_eq!(id, cp.id);
            assert!(why.contains("is gone (the log was truncated)"), "{why}");
        }
        other => panic!("{other:?}"),
    }
    // A rewritten row at the checkpoint (a whole chain rehashed) is named as well.
    let forged = audit::Checkpoint { hash: "f".repeat(64), ..audit::checkpoint(&t.db).await.unwrap().unwrap() };
    match audit::check_checkpoints(&t.db, &[forged]).await.unwrap() {
        Verdict::Broken { why, .. } => assert!(why.contains("another hash"), "{why}"),
        other => panic!("{other:?}"),
    }
});
