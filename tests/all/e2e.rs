//! End to end through a real pseudo-terminal (tmux): the binary starts, draws,
//! quits, and the terminal is back in cooked mode; the same after SIGTERM and SIGHUP.

use crate::common::temp_path;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket]);
        c
    }

    fn capture(&self) -> String {
        let out = self.cmd().args(["capture-pane", "-p", "-t", "e2e"]).output().expect("tmux capture");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn wait_for(&self, what: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.capture();
            if screen.contains(what) {
                return screen;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "'{what}' never appeared:\n{screen}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The staffroom process running in the pane (child of the pane's shell).
    fn app_pid(&self) -> String {
        let out = self.cmd().args(["display", "-p", "-t", "e2e", "#{pane_pid}"]).output().expect("pane pid");
        let shell = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let start = Instant::now();
        loop {
            let out = Command::new("pgrep").args(["-P", &shell]).output().expect("pgrep");
            let pid = String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or("").trim().to_string();
            if !pid.is_empty() {
                return pid;
            }
            assert!(start.elapsed() < Duration::from_secs(5), "no staffroom process under {shell}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").status();
    }
}

fn have(tool: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {tool}")]).output().is_ok_and(|o| o.status.success())
}

/// Starts staffroom in tmux; after it exits the pane records `stty -a` in `out`.
fn start(db: &Path, out: &Path, tag: &str) -> Tmux {
    let bin = env!("CARGO_BIN_EXE_staffroom");
    run_in_tmux(
        tag,
        "110x32",
        &format!(
            "{bin} demo --as admin --database-url sqlite://{}; stty -a > {}; sleep 30",
            db.display(),
            out.display()
        ),
    )
}

/// Runs `script` in a `size` ("COLSxROWS") tmux pane on a server of its own.
fn run_in_tmux(tag: &str, size: &str, script: &str) -> Tmux {
    let tmux = Tmux { socket: format!("staffroom-e2e-{}-{tag}", std::process::id()) };
    let (cols, rows) = size.split_once('x').expect("COLSxROWS");
    let ok = tmux
        .cmd()
        .args(["new-session", "-d", "-s", "e2e", "-x", cols, "-y", rows, "sh", "-c", script])
        .env("TERM", "xterm-256color")
        .status()
        .expect("tmux");
    assert!(ok.success());
    tmux
}

fn assert_cooked(out: &Path) {
    let start = Instant::now();
    while !out.exists() || std::fs::read_to_string(out).unwrap_or_default().is_empty() {
        assert!(start.elapsed() < Duration::from_secs(10), "staffroom did not exit");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(100));
    let stty = std::fs::read_to_string(out).unwrap();
    let words: Vec<&str> = stty.split_whitespace().collect();
    assert!(words.contains(&"icanon") && words.contains(&"echo"), "terminal left in raw mode: {stty}");
}

/// A fresh demo database for a terminal test; `None` (said loudly) without tmux,
/// which CI must have.
fn demo_db_with_tmux() -> Option<std::path::PathBuf> {
    if !have("tmux") {
        assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "tmux is required in CI");
        eprintln!("!!!!!!!! SKIPPING e2e terminal tests: tmux is not installed !!!!!!!!");
        return None;
    }
    let db = temp_path("db");
    let prep = Command::new(env!("CARGO_BIN_EXE_staffroom"))
        .args(["demo", "--no-open", "--database-url", &format!("sqlite://{}", db.display())])
        .output()
        .unwrap();
    assert!(prep.status.success(), "{}", String::from_utf8_lossy(&prep.stderr));
    Some(db)
}

#[test]
fn starts_draws_quits_and_restores_the_terminal() {
    let Some(db) = demo_db_with_tmux() else { return };

    for how in ["q", "TERM", "HUP"] {
        let out = temp_path("stty");
        let tmux = start(&db, &out, how);
        let screen = tmux.wait_for("Latest audit entries");
        assert!(screen.contains("Amira Haddad · admin"), "{screen}");
        match how {
            "q" => {
                tmux.cmd().args(["send-keys", "-t", "e2e", "q"]).status().unwrap();
            }
            signal => {
                let pid = tmux.app_pid();
                Command::new("kill").args([&format!("-{signal}"), &pid]).status().unwrap();
            }
        }
        assert_cooked(&out);
        let after = tmux.capture();
        assert!(!after.contains("Latest audit entries"), "the alternate screen was left ({how}):\n{after}");
        let _ = std::fs::remove_file(&out);
    }
    let _ = std::fs::remove_file(&db);
}

/// Starts staffroom as the demo's staff member with its data directory in `data`.
fn start_staff(db: &Path, data: &Path, tag: &str) -> Tmux {
    let bin = env!("CARGO_BIN_EXE_staffroom");
    let script = format!(
        "XDG_DATA_HOME={} {bin} demo --as staff --database-url sqlite://{}; sleep 30",
        data.display(),
        db.display()
    );
    run_in_tmux(tag, "100x30", &script)
}

#[test]
fn unsaved_text_survives_kill_9_and_is_offered_back() {
    let Some(db) = demo_db_with_tmux() else { return };
    let data = temp_path("data");
    let keys = |t: &Tmux, literal: bool, k: &str| {
        let mut c = t.cmd();
        c.args(["send-keys", "-t", "e2e"]);
        if literal {
            c.arg("-l");
        }
        c.arg(k).status().unwrap();
    };
    {
        let tmux = start_staff(&db, &data, "kill1");
        tmux.wait_for("staff");
        keys(&tmux, true, ":");
        keys(&tmux, true, "editor");
        keys(&tmux, false, "Enter");
        tmux.wait_for("Title:");
        keys(&tmux, true, "Power cut");
        keys(&tmux, false, "Enter");
        keys(&tmux, true, "every word counts");
        tmux.wait_for("every word counts");
        // The autosave is written within a second of the last key.
        std::thread::sleep(Duration::from_millis(1500));
        let pid = tmux.app_pid();
        Command::new("kill").args(["-9", &pid]).status().unwrap();
    }
    let kept = data.join("staffroom").join("autosave").join("new.md");
    let text = std::fs::read_to_string(&kept).unwrap_or_else(|e| panic!("{}: {e}", kept.display()));
    assert!(text.contains("every word counts"), "{text}");
    let tmux = start_staff(&db, &data, "kill2");
    tmux.wait_for("staff");
    keys(&tmux, true, ":");
    keys(&tmux, true, "editor");
    keys(&tmux, false, "Enter");
    tmux.wait_for("Unsaved text of \"Power cut\"");
    keys(&tmux, true, "y");
    let screen = tmux.wait_for("the kept text is back");
    assert!(screen.contains("every word counts") && screen.contains("Title: Power cut"), "{screen}");
    let _ = std::fs::remove_file(&db);
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn ctrl_z_then_fg_redraws_the_whole_screen_at_once() {
    let Some(db) = demo_db_with_tmux() else { return };
    // An interactive shell, for job control (ctrl-z stops the job, `fg` resumes it).
    let tmux = Tmux { socket: format!("staffroom-e2e-{}-fg", std::process::id()) };
    let ok = tmux
        .cmd()
        .args(["new-session", "-d", "-s", "e2e", "-x", "110", "-y", "32", "bash", "--norc", "--noprofile", "-i"])
        .env("TERM", "xterm-256color")
        .status()
        .expect("tmux");
    assert!(ok.success());
    let keys = |k: &str| tmux.cmd().args(["send-keys", "-t", "e2e", k]).status().unwrap();
    let line = format!("{} demo --as admin --database-url sqlite://{}", env!("CARGO_BIN_EXE_staffroom"), db.display());
    tmux.cmd().args(["send-keys", "-t", "e2e", "-l", &line]).status().unwrap();
    keys("Enter");
    tmux.wait_for("Latest audit entries");
    keys("C-z");
    tmux.wait_for("Stopped");
    assert!(!tmux.capture().contains("Latest audit entries"), "the shell's screen while stopped");
    tmux.cmd().args(["send-keys", "-t", "e2e", "-l", "fg"]).status().unwrap();
    keys("Enter");
    // Drawn again without a key: the whole dashboard, well within a second.
    let start = Instant::now();
    let screen = tmux.wait_for("Latest audit entries");
    assert!(start.elapsed() < Duration::from_millis(1500), "redrawn only after {:?}", start.elapsed());
    assert!(screen.contains("Amira Haddad · admin") && screen.contains("Moderation queue"), "{screen}");
    keys("q");
    let _ = std::fs::remove_file(&db);
}

/// The login screen is drawn before the database is opened; a database that then
/// cannot be opened still ends in one clear line on a terminal put back as it was.
#[test]
fn a_database_that_fails_after_the_first_frame_leaves_one_line_and_a_cooked_terminal() {
    if demo_db_with_tmux().is_none() {
        return;
    }
    let missing = temp_path("missing").join("staffroom.db");
    let out = temp_path("stty");
    let bin = env!("CARGO_BIN_EXE_staffroom");
    let script = format!(
        "{bin} --database-url sqlite://{}; echo EXIT=$?; stty -a > {}; sleep 30",
        missing.display(),
        out.display()
    );
    let tmux = run_in_tmux("missing", "110x32", &script);
    let screen = tmux.wait_for("EXIT=");
    assert!(screen.contains("EXIT=1"), "{screen}");
    let errors: Vec<&str> = screen.lines().filter(|l| l.contains("staffroom: error:")).collect();
    assert_eq!(errors.len(), 1, "one line:\n{screen}");
    assert!(errors[0].contains("there is no database at"), "{screen}");
    assert!(!screen.contains("log in"), "the alternate screen was left:\n{screen}");
    assert_cooked(&out);
    let _ = std::fs::remove_file(&out);
}
