//! What an admin finds on a shared server: staffroom's files are private to its
//! user, the log is a file a day in the state directory at the level asked for, and
//! each backend request leaves a span with its kind and time (a slow one a warning).

use crate::cli::{ok, staffroom};
use crate::common::TestDb;
use staffroom::backend::{Backend, Envelope, OfficeRequest, Request};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
}

/// A home of its own, so the directories are made by the command under test.
fn fresh_home() -> std::path::PathBuf {
    let home = crate::common::temp_path("home");
    std::fs::create_dir_all(&home).unwrap();
    home
}

fn in_home<'a>(home: &'a Path, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, String)> {
    let mut env = vec![
        ("HOME", home.display().to_string()),
        ("XDG_CONFIG_HOME", home.join("config").display().to_string()),
        ("XDG_DATA_HOME", home.join("data").display().to_string()),
        ("XDG_STATE_HOME", home.join("state").display().to_string()),
    ];
    env.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    env
}

fn run(args: &[&str], env: &[(&str, String)]) -> std::process::Output {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    staffroom(args, &env)
}

#[test]
fn the_data_directory_database_and_log_are_private() {
    let home = fresh_home();
    let env = in_home(&home, &[]);
    ok(&run(&["demo", "--no-open"], &env));
    let data = home.join("data/staffroom");
    assert_eq!(mode(&data), 0o700, "the data directory");
    assert_eq!(mode(&data.join("demo.db")), 0o600, "the database");
    let state = home.join("state/staffroom");
    assert_eq!(mode(&state), 0o700, "the log directory");
    let logs: Vec<_> = std::fs::read_dir(&state).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(logs.len(), 1, "{logs:?}");
    let name = logs[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("staffroom.") && name.ends_with(".log"), "a file a day: {name}");
    assert_eq!(mode(&logs[0]), 0o600, "the log");
    // An export and a checkpoint the command writes are private too.
    let url = format!("sqlite://{}", data.join("demo.db").display());
    let export = home.join("leads.csv");
    ok(&run(&["--database-url", &url, "export", "leads", "-o", export.to_str().unwrap()], &env));
    assert_eq!(mode(&export), 0o600, "an export");
    let checkpoints = home.join("checkpoints.jsonl");
    ok(&run(&["--database-url", &url, "audit", "checkpoint", "--output", checkpoints.to_str().unwrap()], &env));
    assert_eq!(mode(&checkpoints), 0o600, "a checkpoint file");
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn files_others_can_read_are_named_in_the_log_with_their_fix() {
    let home = fresh_home();
    let config = home.join("office.toml");
    std::fs::write(&config, "[security]\nlockout_failures = 5\n").unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    let env = in_home(&home, &[]);
    let out = run(&["config", "show", "--config", config.to_str().unwrap()], &env);
    ok(&out);
    // A script's stderr stays clean; the log keeps the warning.
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let state = home.join("state/staffroom");
    let log: String =
        std::fs::read_dir(&state).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
    assert!(log.contains(&format!("chmod 600 {}", config.display())), "{log}");
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn the_level_comes_from_staffroom_log_and_statements_are_logged_at_debug() {
    let home = fresh_home();
    let quiet = in_home(&home, &[]);
    ok(&run(&["demo", "--no-open"], &quiet));
    let state = home.join("state/staffroom");
    let read = || -> String {
        std::fs::read_dir(&state).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect()
    };
    let debug_statements = |log: &str| log.lines().filter(|l| l.contains("DEBUG") && l.contains("sqlx::query")).count();
    // (A statement slower than the threshold is a warning at any level.)
    assert_eq!(debug_statements(&read()), 0, "info leaves statements out");
    let loud = in_home(&home, &[("STAFFROOM_LOG", "debug")]);
    ok(&run(&["demo", "--no-open"], &loud));
    assert!(debug_statements(&read()) > 0, "STAFFROOM_LOG=debug logs each statement");
    let _ = std::fs::remove_dir_all(&home);
}

/// The log's text as a test-local subscriber wrote it.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

// One thread: the worker's tasks see the test's own subscriber.
#[tokio::test(flavor = "current_thread")]
async fn each_request_is_a_span_with_its_kind_and_time_and_slow_ones_warn() {
    let captured = Captured::default();
    let sink = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::DEBUG)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let t = TestDb::sqlite().await;
    let backend = std::sync::Arc::new(Backend::new(t.db.clone(), crate::driver::backend_settings(), "test"));
    let (tx, mut rx) = staffroom::backend::spawn(backend);
    let send = |id, request| Envelope { req_id: id, supersedes: None, request };
    tx.send(send(7, Request::Office(OfficeRequest::Ping))).unwrap();
    let ev = rx.recv().await.unwrap();
    assert_eq!(ev.req_id, 7);
    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("request{id=7 kind=Ping}"), "{text}");
    assert!(text.contains("elapsed_ms="), "{text}");
    assert!(!text.contains("slow request"), "{text}");

    // Past the threshold, a request is a warning with its time.
    staffroom_core::protocol::log_statements_slower_than(0);
    let login =
        OfficeRequest::Login { email: "nobody@test.example".into(), password: "x".into(), terminal: "t".into() };
    tx.send(send(8, Request::Office(login))).unwrap();
    assert!(rx.recv().await.unwrap().result.is_ok(), "a refused login is an answer");
    staffroom_core::protocol::log_statements_slower_than(100);
    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.lines()
            .any(|l| l.contains("WARN") && l.contains("request{id=8 kind=Login}") && l.contains("slow request")),
        "{text}"
    );
}

#[test]
fn statements_slower_than_the_configured_threshold_are_warnings() {
    let home = fresh_home();
    let config = home.join("office.toml");
    std::fs::write(&config, "[database]\nslow_query_ms = 0\n").unwrap();
    let env = in_home(&home, &[]);
    ok(&run(&["demo", "--no-open", "--log-level", "warn", "--config", config.to_str().unwrap()], &env));
    let state = home.join("state/staffroom");
    let log: String =
        std::fs::read_dir(&state).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
    let slow =
        log.lines().find(|l| l.contains("WARN") && l.contains("slow statement")).unwrap_or_else(|| panic!("{log}"));
    assert!(slow.contains("elapsed="), "{slow}");
    let _ = std::fs::remove_dir_all(&home);
}
