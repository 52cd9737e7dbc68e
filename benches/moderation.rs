//! Moderation budgets (issue: content editor and moderation), on both backends:
//!
//! | what                                                     | budget   |
//! |----------------------------------------------------------|----------|
//! | `:moderation` with 10,000 pending items → drawn          | ≤ 50 ms  |
//! | approve → confirmed (transaction + audit row)            | ≤ 30 ms  |
//!
//! `cargo bench --bench moderation` (`-- --sqlite-only` skips PostgreSQL). Exits
//! non-zero when a median is over twice its budget.

#[path = "../tests/all/pg.rs"]
#[allow(dead_code)]
mod pg;

#[path = "stats.rs"]
mod stats;
use stats::{median, report};

use crossterm::event::KeyCode;
use staffroom::domain::permissions::Roles;
use staffroom::ui::driver::Driver;
use staffroom::ui::screens::ScreenId;
use staffroom_core::store::moderation::{self, Decision, QueueKind};
use staffroom_core::store::users::{self, NewUser};
use staffroom_core::store::{Actor, Db};
use std::time::{Duration, Instant};

const PENDING: i64 = 10_000;
const RUNS: usize = 15;
const PASSWORD: &str = "bench-password";

async fn fill(db: &Db) {
    let now = staffroom_core::store::now();
    let sql = format!(
        "INSERT INTO testimonials (author_name, content, rating, testimonial_type, status, created_at, updated_at) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {PENDING}) \
         SELECT 'Author ' || i, 'A testimonial about the course, number ' || i || ' 🎓', 1 + i % 5, 'student', \
         'pending', $1, $1 FROM n"
    );
    staffroom_core::with_db!(db, p => sqlx::query(&sql).bind(now).execute(p).await.expect("fill").rows_affected());
}

async fn bench(label: &str, db: &Db) -> bool {
    fill(db).await;
    let admin = users::create(
        db,
        &Actor::cli(),
        NewUser {
            email: Some("admin@bench.example".into()),
            full_name: "Bench Admin".into(),
            password: Some(PASSWORD.into()),
            roles: Roles::ADMIN,
            ..NewUser::default()
        },
    )
    .await
    .expect("admin")
    .actor();
    let mut far = false;
    let mut d = Driver::new(db.clone(), 120, 50);
    d.login("admin@bench.example", PASSWORD).await;
    let mut opens = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        let effects = d.app.open(ScreenId::Moderation);
        d.run(effects).await;
        d.settle().await;
        d.draw();
        opens.push(t.elapsed());
        assert!(d.screen().contains(&format!("testimonials {PENDING}")), "{}", d.screen());
        d.press(KeyCode::Esc).await;
    }
    far |= report(
        &format!("{label}: queue of {PENDING} pending → drawn (120x50)"),
        median(opens),
        Duration::from_millis(50),
    );
    let (items, _) = moderation::page(db, &admin, Some(QueueKind::Testimonial), None, 40).await.expect("page");
    let mut approves = Vec::new();
    for i in items {
        let t = Instant::now();
        moderation::decide(db, &admin, i.kind, i.id, i.version, &Decision::Approve).await.expect("approve");
        approves.push(t.elapsed());
    }
    far |= report(&format!("{label}: approve → confirmed (median of 40)"), median(approves), Duration::from_millis(30));
    far
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let far = rt.block_on(async {
        let path = std::env::temp_dir().join(format!("staffroom-bench-moderation-{}.db", std::process::id()));
        let db = Db::open(&format!("sqlite://{}", path.display())).await.expect("sqlite");
        db.migrate().await.expect("migrate");
        let mut far = bench("SQLite", &db).await;
        db.close().await;
        let _ = std::fs::remove_file(&path);
        if std::env::args().all(|a| a != "--sqlite-only") {
            match pg::fresh_database_url().await {
                Some(url) => {
                    let db = Db::open(&url).await.expect("pg");
                    db.migrate().await.expect("migrate");
                    far |= bench("PostgreSQL", &db).await;
                }
                None => println!("PostgreSQL: skipped (no server binaries)"),
            }
        }
        far
    });
    if far {
        eprintln!("some figure is more than twice its budget");
        std::process::exit(1);
    }
}
