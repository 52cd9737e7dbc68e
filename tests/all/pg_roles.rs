//! PostgreSQL's two roles: the owner migrates; a login role in `staffroom_app`
//! (granted by `staffroom db grant`) reads and writes the app's tables and may only
//! insert and read audit rows — its UPDATE, DELETE or TRUNCATE of them fails.

use crate::common::{TestDb, team};
use staffroom_core::store::Db;
use staffroom_core::store::audit::{self, Verdict};
use staffroom_core::store::leads::{self, NewLead};

#[tokio::test]
async fn the_app_role_writes_but_cannot_rewrite_the_audit_trail() {
    let Some(t) = TestDb::postgres().await else { return };
    let role = format!("clerk_{}", std::process::id());
    let Db::Postgres(owner) = &t.db else { unreachable!() };
    sqlx::query(&format!("CREATE ROLE {role} LOGIN")).execute(owner).await.unwrap();
    // Refused by name: an unknown role, and SQLite.
    let out = crate::cli::staffroom(&["db", "grant", "nobody_here", "--database-url", &t.url], &[]);
    crate::cli::assert_one_clear_line(&out, "no role is called \"nobody_here\"");
    let said = crate::cli::ok(&crate::cli::staffroom(&["db", "grant", &role, "--database-url", &t.url], &[]));
    assert!(said.contains("is in staffroom_app"), "{said}");
    // Connecting as that role: the schema is current, so opening runs no DDL.
    let as_clerk = t.url.replacen("postgres://postgres@", &format!("postgres://{role}@"), 1);
    let db = Db::open(&as_clerk).await.expect("the app role opens the database");
    let team = team(&db).await;
    let lead = leads::create(
        &db,
        &team.staff,
        NewLead { full_name: "Role Test".into(), email: Some("role@test.example".into()), ..NewLead::default() },
    )
    .await
    .expect("the app role writes, with its audit row");
    assert!(lead.id > 0);
    let Db::Postgres(clerk) = &db else { unreachable!() };
    for sql in [
        "UPDATE audit_log SET summary = 'nothing happened' WHERE id = 1",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ] {
        let e = sqlx::query(sql).execute(clerk).await.expect_err(sql);
        assert!(e.to_string().contains("permission denied"), "{sql}: {e}");
    }
    assert!(matches!(audit::verify(&db, &mut |_| {}).await.unwrap(), Verdict::Intact { .. }));
    sqlx::query(&format!("REASSIGN OWNED BY {role} TO postgres")).execute(owner).await.ok();
}

#[test]
fn db_grant_on_sqlite_says_roles_are_postgresql_only() {
    let path = crate::common::temp_path("db");
    let url = format!("sqlite://{}", path.display());
    let out = crate::cli::staffroom(&["db", "grant", "clerk", "--database-url", &url], &[]);
    crate::cli::assert_one_clear_line(&out, "only PostgreSQL has roles");
    let _ = std::fs::remove_file(&path);
}
