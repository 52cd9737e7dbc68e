//! Budgets of the pipeline issue, measured on the `--large` demo database (100k leads):
//!
//! | what                                                   | budget   |
//! |--------------------------------------------------------|----------|
//! | open the board: request → reply → full frame drawn     | ≤ 100 ms |
//! | move a card → confirmed (SQLite)                       | ≤ 30 ms  |
//! | move a card → confirmed (PostgreSQL)                   | ≤ 50 ms  |
//! | filter keystroke → updated board                       | ≤ 50 ms  |
//! | bytes written to the terminal for one cursor move      | ≤ 2 kB   |
//!
//! Run: `cargo bench --bench pipeline` (`-- --sqlite-only` skips PostgreSQL).
//! Times are judged on the median; the p95 is shown. The process exits non-zero
//! when a figure is more than twice its budget (a regression), not when it is
//! merely over (machine noise on a loaded 2-core box).
//!
//! Databases, all in the target directory of this bench binary (so a worktree
//! with its own `CARGO_TARGET_DIR` uses its own; `STAFFROOM_BENCH_DB` overrides):
//! - `bench-large.db`: the `--large` demo, generated on first use (~40 s) and only
//!   read here (the same file `benches/foundation.rs` uses when `CARGO_TARGET_DIR`
//!   is not set).
//! - `bench-pipeline-moves.db`: a copy of it (`VACUUM INTO`, made once) that the
//!   move benchmark writes to. Each measured move is a real transaction with its
//!   audit row; leads go new → contacted and back (a legal move), so statuses
//!   return, but every run adds 2×N audit rows and bumps `updated_at`/`version`
//!   of the N leads moved. Delete the file to start again from the pristine copy.
//! - PostgreSQL: a throwaway cluster (as in `foundation.rs`) with the `--large`
//!   demo loaded into it; skipped when no server binaries exist.

#[path = "../tests/all/pg.rs"]
#[allow(dead_code)]
mod pg;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use staffroom::backend;
use staffroom::demo;
use staffroom::domain::lead::{LeadStatus, MoveInput};
use staffroom::ui::driver::{self, Driver};
use staffroom::ui::msg::Msg;
use staffroom::ui::screens::ScreenId;
use staffroom::ui::theme::Theme;
use staffroom::ui::view::view;
use staffroom_core::store::Db;
use staffroom_core::store::board;
use staffroom_core::store::lead_filter::{Assigned, LeadFilter, Scope};
use staffroom_core::store::leads;
use staffroom_core::store::users::{self, User};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Cards per column, as the board screen asks for them.
const PER_COLUMN: i64 = 50;
const OPEN_RUNS: usize = 20;
const FILTER_RUNS: usize = 20;
/// Leads moved (each is moved twice: there and back).
const MOVES: i64 = 20;

// ---------------------------------------------------------------- the report

enum Figure {
    Time { median: Duration, p95: Duration, budget: Duration },
    Bytes { bytes: usize, budget: usize },
    Info(String),
}

struct Report {
    rows: Vec<(String, Figure)>,
}

impl Report {
    fn time(&mut self, what: impl Into<String>, times: &[Duration], budget: Duration) {
        let mut v = times.to_vec();
        v.sort();
        let median = v[v.len() / 2];
        let p95 = v[(v.len() * 95 / 100).min(v.len() - 1)];
        self.push(what.into(), Figure::Time { median, p95, budget });
    }

    fn bytes(&mut self, what: impl Into<String>, bytes: usize, budget: usize) {
        self.push(what.into(), Figure::Bytes { bytes, budget });
    }

    fn info(&mut self, what: impl Into<String>, text: impl Into<String>) {
        self.push(what.into(), Figure::Info(text.into()));
    }

    /// Prints the row at once too, so a long run shows progress.
    fn push(&mut self, what: String, figure: Figure) {
        println!("{}", line(&what, &figure));
        self.rows.push((what, figure));
    }

    /// The whole table; true when some figure is more than twice its budget.
    fn print(&self) -> bool {
        println!();
        println!("{:<58} {:>10} {:>10} {:>10}  verdict", "what", "median", "p95", "budget");
        println!("{}", "-".repeat(100));
        let mut failed = false;
        for (what, figure) in &self.rows {
            println!("{}", line(what, figure));
            failed |= match figure {
                Figure::Time { median, budget, .. } => *median > *budget * 2,
                Figure::Bytes { bytes, budget } => *bytes > budget * 2,
                Figure::Info(_) => false,
            };
        }
        failed
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn verdict(ok: bool, far: bool) -> &'static str {
    match (ok, far) {
        (true, _) => "PASS",
        (false, false) => "OVER",
        (false, true) => "OVER (>2x)",
    }
}

fn line(what: &str, figure: &Figure) -> String {
    match figure {
        Figure::Time { median, p95, budget } => format!(
            "{what:<58} {:>10} {:>10} {:>10}  {}",
            ms(*median),
            ms(*p95),
            ms(*budget),
            verdict(median <= budget, *median > *budget * 2)
        ),
        Figure::Bytes { bytes, budget } => format!(
            "{what:<58} {:>10} {:>10} {:>10}  {}",
            format!("{bytes} B"),
            "",
            format!("{budget} B"),
            verdict(bytes <= budget, *bytes > budget * 2)
        ),
        Figure::Info(text) => format!("{what:<58} {text}"),
    }
}

// ---------------------------------------------------------------- the app

/// The crate's headless driver, logged in as `user` through the demo login (no
/// argon2: that is not what is timed), with the bench's settings.
async fn logged_in(db: &Db, user: &User, width: u16, height: u16) -> Driver {
    let backend_settings = backend::Settings { demo: true, ..driver::backend_settings() };
    let backend = backend::Backend::new(db.clone(), backend_settings, "bench");
    let mut settings = driver::settings();
    settings.theme = Theme::default();
    settings.rot_days = Default::default();
    settings.lost_reasons = vec!["price".into()];
    let mut d = Driver::with_backend(db.clone(), backend, width, height, settings);
    let effects = d.app.demo_login(user.email.as_deref().unwrap_or(""));
    d.run(effects).await;
    assert!(d.app.session.is_some(), "the bench user logs in");
    d
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// The staff account of the demo: it owns a share of the leads ("mine").
async fn staff_user(db: &Db) -> User {
    let email = demo::demo_user("staff").email;
    users::find_by_email(db, &email).await.expect("find staff").expect("the demo staff account")
}

/// Open the board: the Pipeline open, its request (saved filter), the reply, one
/// full frame at 200x50.
async fn bench_open(report: &mut Report, label: &str, db: &Db, user: &User) {
    let mut times = Vec::new();
    for i in 0..OPEN_RUNS + 2 {
        let mut d = logged_in(db, user, 200, 50).await;
        let t = Instant::now();
        let effects = d.app.open(ScreenId::Pipeline);
        d.run(effects).await;
        d.draw();
        let took = t.elapsed();
        // The first two warm the page cache, as a running app would have it.
        if i >= 2 {
            times.push(took);
        }
    }
    report.time(format!("{label}: open board → full frame (200x50)"), &times, Duration::from_millis(100));
}

/// A filter as typed on the board: the board reloaded in that scope.
async fn bench_filters(report: &mut Report, label: &str, db: &Db, user: &User) {
    let filters = [
        ("\"sar\"", LeadFilter { text: "sar".into(), ..LeadFilter::default() }),
        ("\"sara\"", LeadFilter { text: "sara".into(), ..LeadFilter::default() }),
        ("phone digits \"0100123\"", LeadFilter { text: "0100123".into(), ..LeadFilter::default() }),
        ("mine", LeadFilter { assigned: Assigned::Me, ..LeadFilter::default() }),
        ("none (all leads)", LeadFilter::default()),
    ];
    for (name, filter) in filters {
        let scope = Scope::new(filter, Some(user.id));
        let mut times = Vec::new();
        let mut shown = 0;
        for i in 0..FILTER_RUNS + 1 {
            let t = Instant::now();
            let columns = board::load(db, &scope, PER_COLUMN).await.expect("board");
            let took = t.elapsed();
            shown = columns.iter().map(|c| c.count).sum::<i64>();
            if i > 0 {
                times.push(took);
            }
        }
        report.time(format!("{label}: filter {name} → board ({shown} leads)"), &times, Duration::from_millis(50));
        breakdown(report, label, db, &scope).await;
    }
}

/// Where a board load spends its time: the stage totals, the first page of every
/// column, and the cards' extras (assignees' initials), each as `board::load` runs
/// it (medians of 5; the totals run beside the other two, except for a search on
/// SQLite, whose pages run the search and the totals themselves on one connection).
async fn breakdown(report: &mut Report, label: &str, db: &Db, scope: &Scope) {
    let (mut totals, mut pages, mut cards) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..5 {
        let t = Instant::now();
        board::totals_by_status(db, scope).await.expect("totals");
        totals.push(t.elapsed());
        let t = Instant::now();
        let first = board::first_pages(db, scope, PER_COLUMN).await.expect("pages");
        pages.push(t.elapsed());
        let t = Instant::now();
        board::cards(db, first.into_iter().flat_map(|p| p.rows).collect()).await.expect("cards");
        cards.push(t.elapsed());
    }
    let med = |mut v: Vec<Duration>| {
        v.sort();
        ms(v[v.len() / 2])
    };
    report.info(
        format!("{label}:   of which"),
        format!("totals {} · column pages {} · card extras {}", med(totals), med(pages), med(cards)),
    );
}

/// Moves N leads new → contacted, then each back: every move one transaction
/// with its audit row, as the board's move request does it.
async fn bench_moves(report: &mut Report, label: &str, db: &Db, user: &User, budget: Duration) {
    let actor = user.actor();
    let page = board::page_by_status(db, LeadStatus::New, None, MOVES).await.expect("new leads");
    let mut there = Vec::new();
    let mut back = Vec::new();
    let mut moved = Vec::new();
    for lead in page.rows {
        let t = Instant::now();
        let after = leads::move_to(db, &actor, lead.id, lead.version, LeadStatus::Contacted, &MoveInput::default())
            .await
            .expect("new → contacted");
        there.push(t.elapsed());
        moved.push(after);
    }
    for lead in moved {
        let t = Instant::now();
        leads::move_to(db, &actor, lead.id, lead.version, LeadStatus::New, &MoveInput::default())
            .await
            .expect("contacted → new");
        back.push(t.elapsed());
    }
    let all: Vec<Duration> = there.iter().chain(&back).copied().collect();
    report.time(format!("{label}: move new → contacted, confirmed"), &there, budget);
    report.time(format!("{label}: move contacted → new, confirmed"), &back, budget);
    report.time(format!("{label}: move (both directions, {} moves)", all.len()), &all, budget);
}

// ---------------------------------------------------------------- bytes

/// A terminal writer that only counts what it is given.
#[derive(Clone, Default)]
struct Counting(Arc<AtomicUsize>);

impl Write for Counting {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.fetch_add(buf.len(), Ordering::Relaxed);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Bytes written to a real (crossterm) terminal for `j` and `l` on a loaded board.
async fn bench_bytes(report: &mut Report, db: &Db, user: &User, width: u16, height: u16) {
    let mut d = logged_in(db, user, width, height).await;
    let effects = d.app.open(ScreenId::Pipeline);
    d.run(effects).await;
    let counter = Counting::default();
    let viewport = Viewport::Fixed(Rect::new(0, 0, width, height));
    let mut term =
        Terminal::with_options(CrosstermBackend::new(counter.clone()), TerminalOptions { viewport }).expect("terminal");
    term.draw(|f| view(&d.app, f)).expect("draw");
    let full = counter.0.swap(0, Ordering::Relaxed);
    report.info(format!("first frame at {width}x{height} (everything drawn)"), format!("{full} B"));
    for (name, code) in [("j (next card)", KeyCode::Char('j')), ("l (next column)", KeyCode::Char('l'))] {
        let effects = d.app.update(key(code));
        d.run(effects).await;
        counter.0.store(0, Ordering::Relaxed);
        term.draw(|f| view(&d.app, f)).expect("draw");
        let bytes = counter.0.swap(0, Ordering::Relaxed);
        report.bytes(format!("cursor {name} at {width}x{height}: bytes to the terminal"), bytes, 2048);
    }
}

// ---------------------------------------------------------------- databases

/// The directory holding this bench binary's target (`<target>/release/deps/pipeline-…`).
fn target_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.to_path_buf()))
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

async fn bench_sqlite(report: &mut Report) {
    let large =
        std::env::var_os("STAFFROOM_BENCH_DB").map_or_else(|| target_dir().join("bench-large.db"), PathBuf::from);
    let db = Db::open(&sqlite_url(&large)).await.expect("open the large database");
    let t = Instant::now();
    let summary = demo::ensure(&db, true).await.expect("demo --large");
    if summary.created {
        report.info("SQLite: generated --large", format!("{:.1} s", t.elapsed().as_secs_f64()));
    }
    report.info("SQLite database", large.display().to_string());
    let user = staff_user(&db).await;
    bench_open(report, "SQLite", &db, &user).await;
    bench_filters(report, "SQLite", &db, &user).await;
    bench_bytes(report, &db, &user, 200, 50).await;
    bench_bytes(report, &db, &user, 80, 24).await;

    let moves = large.with_file_name("bench-pipeline-moves.db");
    if !moves.exists() {
        let t = Instant::now();
        let Db::Sqlite(pool) = &db else { unreachable!("a sqlite url") };
        sqlx::query("VACUUM INTO $1").bind(moves.display().to_string()).execute(pool).await.expect("copy");
        report.info("SQLite: copied for the moves", format!("{:.1} s", t.elapsed().as_secs_f64()));
    }
    db.close().await;
    let db = Db::open(&sqlite_url(&moves)).await.expect("open the copy");
    bench_moves(report, "SQLite", &db, &user, Duration::from_millis(30)).await;
    db.close().await;
}

async fn bench_postgres(report: &mut Report) {
    let Some(url) = pg::fresh_database_url().await else {
        report.info("PostgreSQL", "skipped (no server binaries)");
        return;
    };
    let db = Db::open(&url).await.expect("open pg");
    let t = Instant::now();
    demo::ensure(&db, true).await.expect("demo --large on pg");
    report.info("PostgreSQL: generated --large (throwaway cluster)", format!("{:.1} s", t.elapsed().as_secs_f64()));
    let user = staff_user(&db).await;
    bench_moves(report, "PostgreSQL", &db, &user, Duration::from_millis(50)).await;
    bench_open(report, "PostgreSQL", &db, &user).await;
    bench_filters(report, "PostgreSQL", &db, &user).await;
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let mut report = Report { rows: Vec::new() };
    rt.block_on(async {
        bench_sqlite(&mut report).await;
        if std::env::args().all(|a| a != "--sqlite-only") {
            bench_postgres(&mut report).await;
        }
    });
    if report.print() {
        eprintln!("\nsome figure is more than twice its budget");
        std::process::exit(1);
    }
}
