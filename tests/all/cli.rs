//! The binary as a user or script meets it: exit codes, one clear line on stderr for
//! bad input, nothing half-written.

use crate::common::{TestDb, temp_path};
use std::process::{Command, Output};

pub(crate) fn staffroom(args: &[&str], env: &[(&str, &str)]) -> Output {
    let home = std::env::temp_dir().join(format!("staffroom-cli-home-{}", std::process::id()));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_staffroom"));
    cmd.args(args)
        .env_remove("STAFFROOM_DATABASE_URL")
        .env_remove("STAFFROOM_PASSWORD")
        .env_remove("STAFFROOM_ADMIN_PASSWORD")
        // Keep config and data dirs away from the developer's own.
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run staffroom")
}

/// Exactly one line on stderr, starting with `staffroom: error:`, no panic or backtrace.
pub(crate) fn assert_one_clear_line(out: &Output, needle: &str) {
    assert!(!out.status.success(), "expected failure; stdout: {}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr, got: {err}");
    assert!(lines[0].starts_with("staffroom: error: "), "{err}");
    assert!(!err.contains("panicked") && !err.contains("backtrace"), "{err}");
    assert!(err.to_lowercase().contains(&needle.to_lowercase()), "expected '{needle}' in: {err}");
}

pub(crate) fn ok(out: &Output) -> String {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn init_then_manage_users() {
    let path = temp_path("db");
    let url = format!("sqlite://{}", path.display());
    let out = staffroom(
        &["init", "--email", "Head@Academy.org", "--name", "Hala Head", "--database-url", &url],
        &[("STAFFROOM_ADMIN_PASSWORD", "s3cret-pass")],
    );
    assert!(ok(&out).contains("admin Hala Head <head@academy.org>"));
    // A second init is refused: the database already has an admin.
    let again = staffroom(
        &["--database-url", &url, "init", "--email", "x@y.org", "--name", "X"],
        &[("STAFFROOM_ADMIN_PASSWORD", "s3cret-pass")],
    );
    assert_one_clear_line(&again, "already has users");

    // Global flags work before or after the subcommand, and from the environment.
    let add = staffroom(
        &["user", "add", "--email", "sam@academy.org", "--name", "Sam", "--roles", "staff,instructor"],
        &[("STAFFROOM_DATABASE_URL", &url), ("STAFFROOM_PASSWORD", "another-pass")],
    );
    assert!(ok(&add).contains("(staff,instructor)"));
    let dup = staffroom(
        &["--database-url", &url, "user", "add", "--email", "SAM@academy.org", "--name", "Sam 2", "--no-password"],
        &[],
    );
    assert_one_clear_line(&dup, "already used");
    let bad_role = staffroom(
        &[
            "--database-url",
            &url,
            "user",
            "add",
            "--email",
            "r@academy.org",
            "--name",
            "R",
            "--roles",
            "boss",
            "--no-password",
        ],
        &[],
    );
    assert_one_clear_line(&bad_role, "'boss' is not a valid Role");

    let list = ok(&staffroom(&["user", "list", "--database-url", &url], &[]));
    assert!(list.contains("head@academy.org") && list.contains("sam@academy.org"), "{list}");
    assert!(!list.contains("r@academy.org"), "nothing half-written: {list}");

    ok(&staffroom(&["user", "roles", "sam@academy.org", "viewer", "--database-url", &url], &[]));
    ok(&staffroom(&["user", "deactivate", "sam@academy.org", "--database-url", &url], &[]));
    let list = ok(&staffroom(&["user", "list", "--database-url", &url], &[]));
    let sam = list.lines().find(|l| l.contains("sam@academy.org")).unwrap();
    assert!(sam.contains("viewer") && sam.contains(" no "), "{sam}");
    let pw =
        staffroom(&["user", "passwd", "head@academy.org", "--database-url", &url], &[("STAFFROOM_PASSWORD", "short")]);
    assert_one_clear_line(&pw, "at least 8");
    let missing = staffroom(
        &["user", "passwd", "nobody@academy.org", "--database-url", &url],
        &[("STAFFROOM_PASSWORD", "long-enough-pw")],
    );
    assert_one_clear_line(&missing, "not found");

    let verify = ok(&staffroom(&["audit", "verify", "--database-url", &url], &[]));
    assert!(verify.contains("audit chain intact"), "{verify}");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn bad_database_urls_fail_cleanly() {
    assert_one_clear_line(&staffroom(&["migrate", "--database-url", "mysql://x"], &[]), "not a database URL");
    assert_one_clear_line(&staffroom(&["migrate", "--database-url", "postgres://u@[bad"], &[]), "database url");
    assert_one_clear_line(
        &staffroom(&["migrate", "--database-url", "sqlite:///no/such/dir/x.db"], &[]),
        "does not exist",
    );
    // A PostgreSQL that is down: nothing listens on this socket directory.
    let down =
        format!("postgres://postgres@localhost:1/x?host={}", std::env::temp_dir().join("staffroom-no-pg").display());
    assert_one_clear_line(&staffroom(&["migrate", "--database-url", &down], &[]), "unavailable");
}

#[test]
fn an_unwritable_path_fails_cleanly() {
    let dir = temp_path("ro");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("x.db");
    std::fs::write(&file, b"this is not a database").unwrap();
    let out = staffroom(&["migrate", "--database-url", &format!("sqlite://{}", file.display())], &[]);
    assert!(!out.status.success());
    assert_one_clear_line(&out, "staffroom");
    assert_eq!(std::fs::read(&file).unwrap(), b"this is not a database", "nothing written");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn tampering_makes_verify_fail_naming_the_row() {
    let path = temp_path("db");
    let url = format!("sqlite://{}", path.display());
    ok(&staffroom(
        &["init", "--email", "a@academy.org", "--name", "A", "--database-url", &url],
        &[("STAFFROOM_ADMIN_PASSWORD", "s3cret-pass")],
    ));
    for i in 0..3 {
        ok(&staffroom(
            &[
                "user",
                "add",
                "--email",
                &format!("u{i}@academy.org"),
                "--name",
                "U",
                "--no-password",
                "--database-url",
                &url,
            ],
            &[],
        ));
    }
    let status =
        Command::new("sqlite3").arg(&path).arg("UPDATE audit_log SET summary = 'hidden' WHERE id = 3").status();
    if status.map(|s| s.success()).unwrap_or(false) {
        let out = staffroom(&["audit", "verify", "--database-url", &url], &[]);
        assert_one_clear_line(&out, "broken at row #3");
        assert_eq!(out.status.code(), Some(3), "a broken chain exits 3");
        let checkpoint = staffroom(&["audit", "checkpoint", "--database-url", &url, "--output", "/dev/null"], &[]);
        assert_one_clear_line(&checkpoint, "no checkpoint written");
        assert_eq!(checkpoint.status.code(), Some(3), "a broken chain exits 3");
    } else {
        eprintln!("sqlite3 CLI not installed: tampering via the CLI is covered by audit_chain tests instead");
    }
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn verify_works_on_postgres_through_the_cli() {
    let Some(t) = TestDb::postgres().await else { return };
    ok(&staffroom(
        &["init", "--email", "a@academy.org", "--name", "A", "--database-url", &t.url],
        &[("STAFFROOM_ADMIN_PASSWORD", "s3cret-pass")],
    ));
    let p = match &t.db {
        staffroom_core::store::Db::Postgres(p) => p,
        _ => unreachable!(),
    };
    sqlx::query("UPDATE audit_log SET remote = '203.0.113.1' WHERE id = 1").execute(p).await.unwrap();
    let out = staffroom(&["audit", "verify", "--database-url", &t.url], &[]);
    assert_one_clear_line(&out, "broken at row #1");
    assert_eq!(out.status.code(), Some(3), "a broken chain exits 3");
}

#[test]
fn config_path_and_show() {
    let shown = ok(&staffroom(&["config", "show"], &[]));
    assert!(shown.contains("lockout_failures = 5"), "{shown}");
    let file = temp_path("toml");
    std::fs::write(&file, "[security]\nlockout_failures = 9\n").unwrap();
    let shown = ok(&staffroom(&["config", "show", "--config", file.to_str().unwrap()], &[]));
    assert!(shown.contains("lockout_failures = 9") && shown.contains("lockout_window_minutes = 15"), "{shown}");
    std::fs::write(&file, "[security\n").unwrap();
    assert_one_clear_line(&staffroom(&["config", "show", "--config", file.to_str().unwrap()], &[]), "not valid TOML");
    let path = ok(&staffroom(&["config", "path"], &[]));
    assert!(path.contains("config.toml"), "{path}");
    // A password in the configured URL never reaches the screen, in either form.
    for url in ["postgres://office:hunter2@db.internal/staffroom", "postgres://office@db.internal/x?password=hunter2"] {
        std::fs::write(&file, format!("[database]\nurl = \"{url}\"\n")).unwrap();
        let shown = ok(&staffroom(&["config", "show", "--config", file.to_str().unwrap()], &[]));
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("office") && shown.contains("***"), "{shown}");
    }
    let _ = std::fs::remove_file(&file);
}

#[test]
fn config_errors_name_the_file_the_line_and_the_key() {
    let dir = temp_path("d");
    std::fs::create_dir_all(dir.join("themes")).unwrap();
    let file = dir.join("config.toml");
    let show = |text: &str| {
        std::fs::write(&file, text).unwrap();
        staffroom(&["config", "show", "--config", file.to_str().unwrap()], &[])
    };
    let at = |line: usize| format!("staffroom: error: {}:{line}: ", file.display());
    let first_line =
        |out: &std::process::Output| String::from_utf8_lossy(&out.stderr).lines().next().unwrap_or("").to_string();
    // An unknown key.
    let out = show("[display]\nmouse = false\n\n[security]\nlockout_failure = 3\n");
    assert_one_clear_line(&out, "unknown key");
    assert!(
        first_line(&out).starts_with(&format!("{}security.lockout_failure: unknown key", at(5))),
        "{}",
        first_line(&out)
    );
    // A wrong type.
    let out = show("# office\n[security]\nlockout_failures = \"x\"\n");
    assert_one_clear_line(&out, "expected an integer");
    assert!(first_line(&out).starts_with(&format!("{}security.lockout_failures: invalid type: string \"x\"", at(3))));
    // A key binding that is no key, and one that takes a key already in use.
    let out = show("[keys.global]\nhelp = [\"?\"]\n\n[keys.pipeline]\nmove_forward = [\"ctrl-shift-q\"]\n");
    assert_one_clear_line(&out, "is not a key");
    assert!(
        first_line(&out).starts_with(&format!("{}keys.pipeline.move_forward: 'ctrl-shift-q'", at(5))),
        "{}",
        first_line(&out)
    );
    let out = show("\n[keys.pipeline]\nmove_forward = [\"q\"]\n");
    assert_one_clear_line(&out, "both use");
    assert!(first_line(&out).starts_with(&at(3)), "{}", first_line(&out));
    // A theme of the themes folder beside the file, a colour of it wrong.
    let dark = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/themes/dark.toml")).unwrap();
    let sea = dark.replace("title = { fg = \"cyan\"", "title = { fg = \"blurple\"");
    let line = sea.lines().position(|l| l.contains("blurple")).unwrap() + 1;
    let theme = dir.join("themes/sea.toml");
    std::fs::write(&theme, sea).unwrap();
    let out = show("[display]\ntheme = \"sea\"\n");
    assert_one_clear_line(&out, &format!("{}:{line}: title.fg: 'blurple' is not a colour", theme.display()));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn completions_and_the_manual_come_from_the_argument_definitions() {
    for (shell, marker) in [("bash", "complete -F"), ("zsh", "#compdef staffroom"), ("fish", "complete -c staffroom")] {
        let script = ok(&staffroom(&["completions", shell], &[]));
        assert!(script.contains(marker), "{shell}: {script}");
        // Every subcommand and a nested one are offered.
        for word in ["demo", "audit", "verify", "export", "completions", "database-url"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    let bad = staffroom(&["completions", "tcsh"], &[]);
    assert_eq!(bad.status.code(), Some(2), "an unknown shell is a usage error");
    let page = ok(&staffroom(&["man"], &[]));
    assert!(page.contains(".TH staffroom 1"), "{page}");
    assert!(page.contains("database\\-url") && page.contains("publish\\-due"), "{page}");
    // Neither needs a readable configuration.
    let broken = temp_path("toml");
    std::fs::write(&broken, "[security\n").unwrap();
    ok(&staffroom(&["completions", "bash", "--config", broken.to_str().unwrap()], &[]));
    let _ = std::fs::remove_file(&broken);
}

#[test]
fn usage_errors_exit_2_and_checked_values_are_refused_before_anything_runs() {
    let path = temp_path("db");
    let url = format!("sqlite://{}", path.display());
    let roles = staffroom(
        &["--database-url", &url, "user", "add", "--email", "a@b.org", "--name", "A", "--roles", "boss"],
        &[],
    );
    assert_eq!(roles.status.code(), Some(2), "{}", String::from_utf8_lossy(&roles.stderr));
    assert_one_clear_line(&roles, "'boss' is not a valid Role");
    assert!(!path.exists(), "a refused argument opened no database");
    let format = staffroom(&["--database-url", &url, "export", "leads", "--format", "xlsx"], &[]);
    assert_eq!(format.status.code(), Some(2));
    assert_eq!(staffroom(&["no-such-command"], &[]).status.code(), Some(2));
    // Every flag and argument has help text, and every command an example.
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in cmd.get_arguments() {
            let builtin = matches!(arg.get_id().as_str(), "help" | "version");
            if !builtin && arg.get_help().is_none() {
                missing.push(format!("{path} {}: no help", arg.get_id()));
            }
        }
        let leaf = cmd.get_subcommands().next().is_none();
        if leaf && !cmd.get_after_help().is_some_and(|h| h.to_string().contains("staffroom")) {
            missing.push(format!("{path}: no example"));
        }
        for sub in cmd.get_subcommands() {
            walk(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }
    let mut missing = Vec::new();
    walk(&staffroom::cli::Cli::command(), "staffroom", &mut missing);
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// What anyone can type into a web form or a name: a screen clear, an OSC 52 write to
/// the clipboard and a bidi override that reverses what follows.
pub(crate) const HOSTILE: &str = "Eve\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{202e}gnp.exe";

/// Does `bytes` hold a byte or character that drives a terminal?
pub(crate) fn drives_a_terminal(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    text.chars().any(|c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c))
}

#[test]
fn user_commands_print_names_inert() {
    let path = temp_path("db");
    let url = format!("sqlite://{}", path.display());
    let init = staffroom(
        &["init", "--email", "head@academy.org", "--name", HOSTILE, "--database-url", &url],
        &[("STAFFROOM_ADMIN_PASSWORD", "s3cret-pass")],
    );
    let add = staffroom(
        &["user", "add", "--email", "eve@academy.org", "--name", HOSTILE, "--roles", "staff", "--database-url", &url],
        &[("STAFFROOM_PASSWORD", "another-pass")],
    );
    let roles = staffroom(&["user", "roles", "eve@academy.org", "staff,instructor", "--database-url", &url], &[]);
    let passwd = staffroom(
        &["user", "passwd", "eve@academy.org", "--database-url", &url],
        &[("STAFFROOM_PASSWORD", "third-pass")],
    );
    let deactivate = staffroom(&["user", "deactivate", "eve@academy.org", "--database-url", &url], &[]);
    let list = staffroom(&["user", "list", "--database-url", &url], &[]);
    for (what, out) in [
        ("init", &init),
        ("user add", &add),
        ("user roles", &roles),
        ("user passwd", &passwd),
        ("user deactivate", &deactivate),
        ("user list", &list),
    ] {
        let text = ok(out);
        assert!(!drives_a_terminal(&out.stdout), "{what} printed raw control bytes: {text:?}");
        assert!(text.contains("Eve␛[2J␛]52;c;ZXZpbA==␇<RLO>gnp.exe"), "{what}: {text}");
    }
    // The last admin cannot be deactivated: the refusal names them, inert as well.
    let refused = staffroom(&["user", "deactivate", "head@academy.org", "--database-url", &url], &[]);
    assert_one_clear_line(&refused, "last active admin");
    assert!(!drives_a_terminal(&refused.stderr), "{:?}", String::from_utf8_lossy(&refused.stderr));
    let _ = std::fs::remove_file(&path);
}

#[test]
fn audit_checkpoint_then_verify_with_checkpoints_from_the_cli() {
    let path = crate::common::temp_path("db");
    let url = format!("sqlite://{}", path.display());
    ok(&staffroom(
        &["init", "--email", "a@academy.org", "--name", "A", "--database-url", &url],
        &[("STAFFROOM_ADMIN_PASSWORD", "s3cret-pass")],
    ));
    let file = crate::common::temp_path("checkpoints");
    let file_s = file.display().to_string();
    let said = ok(&staffroom(&["audit", "checkpoint", "--output", &file_s, "--database-url", &url], &[]));
    assert!(said.contains("checkpoint: row #") && said.contains("appended to"), "{said}");
    ok(&staffroom(&["audit", "checkpoint", "--output", &file_s, "--database-url", &url], &[]));
    assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count(), 2, "appended, not overwritten");
    let said = ok(&staffroom(&["audit", "verify", "--checkpoints", &file_s, "--database-url", &url], &[]));
    assert!(said.contains("2 checkpoints hold"), "{said}");
    // Truncated (every row, and the head to match): refused naming the checkpoint.
    let status = Command::new("sqlite3").arg(&path).arg("DELETE FROM audit_log; DELETE FROM audit_head;").status();
    if status.map(|s| s.success()).unwrap_or(false) {
        let out = staffroom(&["audit", "verify", "--checkpoints", &file_s, "--database-url", &url], &[]);
        assert_one_clear_line(&out, "the log was truncated");
        let out = staffroom(&["audit", "checkpoint", "--output", &file_s, "--database-url", &url], &[]);
        assert_one_clear_line(&out, "the audit log is empty");
    }
    // A file that is not a checkpoint file: one clear line.
    std::fs::write(&file, "not json\n").unwrap();
    let out = staffroom(&["audit", "verify", "--checkpoints", &file_s, "--database-url", &url], &[]);
    assert_one_clear_line(&out, "line 1 is not a checkpoint");
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(&file);
}
