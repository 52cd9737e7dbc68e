//! Shared test scaffolding: a fresh database on either backend, the `on_both!` macro
//! that runs one test body on SQLite and on PostgreSQL, and small fixtures.

use staffroom::domain::permissions::Roles;
use staffroom_core::store::users::{self, NewUser};
use staffroom_core::store::{Actor, Db};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

static NEXT_FILE: AtomicU32 = AtomicU32::new(1);

/// A test database; a SQLite file is removed when dropped.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    file: Option<PathBuf>,
}

impl TestDb {
    /// A fresh SQLite file (not `:memory:`, so several connections share it as in
    /// production).
    pub async fn sqlite() -> TestDb {
        let path = temp_path("db");
        let url = format!("sqlite://{}", path.display());
        let db = Db::open(&url).await.expect("open sqlite test database");
        TestDb { db, url, file: Some(path) }
    }

    /// A fresh database in the run's PostgreSQL cluster; `None` when skipped.
    pub async fn postgres() -> Option<TestDb> {
        let url = crate::pg::fresh_database_url().await?;
        let db = Db::open(&url).await.expect("open postgres test database");
        Some(TestDb { db, url, file: None })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(f) = &self.file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", f.display()));
            }
        }
    }
}

/// A unique path in the temp dir for this test process.
pub fn temp_path(ext: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "staffroom-test-{}-{}.{ext}",
        std::process::id(),
        NEXT_FILE.fetch_add(1, Ordering::SeqCst)
    ))
}

/// Runs `$body` (an `async` closure taking `TestDb`) once on SQLite and once on
/// PostgreSQL, as two tests: `<name>::sqlite` and `<name>::postgres`.
#[macro_export]
macro_rules! on_both {
    ($(#[$meta:meta])* $name:ident, $body:expr) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let t = $crate::common::TestDb::sqlite().await;
                ($body)(t).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(t) = $crate::common::TestDb::postgres().await {
                    ($body)(t).await;
                }
            }
        }
    };
}

/// Creates a user without a password (fast: no argon2) and returns them as an actor.
pub async fn actor(db: &Db, name: &str, roles: Roles) -> Actor {
    let email = format!("{}@test.example", name.to_lowercase().replace(' ', "."));
    let u = users::create(
        db,
        &Actor::cli(),
        NewUser { email: Some(email), full_name: name.into(), roles, ..NewUser::default() },
    )
    .await
    .expect("create test user");
    u.actor()
}

/// Staff, admin and viewer actors.
pub struct Team {
    pub admin: Actor,
    pub staff: Actor,
    pub viewer: Actor,
    pub instructor: Actor,
}

pub async fn team(db: &Db) -> Team {
    Team {
        admin: actor(db, "Amira Admin", Roles::ADMIN).await,
        staff: actor(db, "Sami Staff", Roles::STAFF).await,
        viewer: actor(db, "Vera Viewer", Roles::VIEWER).await,
        instructor: actor(db, "Ines Instructor", Roles::INSTRUCTOR).await,
    }
}

/// The password of `login_user` accounts.
pub const PASSWORD: &str = "board-password";

/// A user who can log in through the UI (with `PASSWORD`; argon2 runs once here).
pub async fn login_user(db: &Db, email: &str, name: &str, roles: Roles) -> Actor {
    let new = NewUser {
        email: Some(email.into()),
        full_name: name.into(),
        password: Some(PASSWORD.into()),
        roles,
        ..NewUser::default()
    };
    users::create(db, &Actor::cli(), new).await.expect("create login user").actor()
}

/// Raw SQL on either backend, with `$1` bound to `at`: fixtures the store refuses to
/// write, such as rows left by an older version. Returns the rows affected.
pub async fn exec_at(db: &Db, sql: &str, at: chrono::DateTime<chrono::Utc>) -> u64 {
    staffroom_core::with_db!(db, p => {
        sqlx::query(sql).bind(at).execute(p).await.unwrap_or_else(|e| panic!("{sql}: {e}")).rows_affected()
    })
}
