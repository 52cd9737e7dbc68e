//! The command line never loses a database: `demo --reset` refuses real data and
//! asks before deleting demo data, a mistyped path is never created, and commands
//! that only read open the database read-only (an auditor verifies a read-only
//! backup, and a read never changes the file).

use crate::cli::{assert_one_clear_line, ok, staffroom};
use crate::common::{TestDb, temp_path};
use std::path::Path;
use std::process::{Command, Output};

fn init(url: &str) {
    ok(&staffroom(
        &["init", "--email", "boss@academy.test", "--name", "The Boss", "--database-url", url],
        &[("STAFFROOM_ADMIN_PASSWORD", "s3cret-pass")],
    ));
}

fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

#[test]
fn demo_reset_refuses_a_real_database_on_sqlite() {
    let path = temp_path("db");
    let url = format!("sqlite://{}", path.display());
    init(&url);
    let reset = staffroom(&["demo", "--reset", "--no-open", "--yes", "--database-url", &url], &[]);
    assert_one_clear_line(&reset, "real data");
    let list = ok(&staffroom(&["user", "list", "--database-url", &url], &[]));
    assert!(list.contains("boss@academy.test"), "the real admin is still there: {list}");
    remove_db(&path);
}

#[tokio::test]
async fn demo_reset_refuses_a_real_database_on_postgres() {
    let Some(t) = TestDb::postgres().await else { return };
    init(&t.url);
    let reset = staffroom(&["demo", "--reset", "--no-open", "--yes", "--database-url", &t.url], &[]);
    assert_one_clear_line(&reset, "real data");
    let list = ok(&staffroom(&["user", "list", "--database-url", &t.url], &[]));
    assert!(list.contains("boss@academy.test"), "the real admin is still there: {list}");
}

#[test]
fn demo_reset_says_what_it_deletes_and_needs_yes_without_a_terminal() {
    let path = temp_path("db");
    let url = format!("sqlite://{}", path.display());
    ok(&staffroom(&["demo", "--no-open", "--database-url", &url], &[]));
    // Someone tried the demo and added a colleague in it.
    ok(&staffroom(
        &["user", "add", "--email", "sam@academy.org", "--name", "Sam", "--no-password", "--database-url", &url],
        &[],
    ));
    // No terminal to ask on (the test's stdin is closed): refused, naming what it
    // would delete and how to agree; nothing deleted.
    let asked = staffroom(&["demo", "--reset", "--no-open", "--database-url", &url], &[]);
    assert_one_clear_line(&asked, "--yes");
    let said = String::from_utf8_lossy(&asked.stderr);
    assert!(said.contains("sam@academy.org") && said.contains("leads") && said.contains("users"), "{said}");
    let list = ok(&staffroom(&["user", "list", "--database-url", &url], &[]));
    assert!(list.contains("sam@academy.org"), "nothing deleted: {list}");

    let reset = staffroom(&["demo", "--reset", "--yes", "--no-open", "--database-url", &url], &[]);
    assert!(ok(&reset).contains("created demo data"), "{}", ok(&reset));
    let list = ok(&staffroom(&["user", "list", "--database-url", &url], &[]));
    assert!(!list.contains("sam@academy.org") && list.contains("admin@demo.staffroom.test"), "{list}");
    remove_db(&path);
}

#[test]
fn only_init_migrate_and_demo_create_a_database() {
    let path = temp_path("db");
    let url = format!("sqlite://{}", path.display());
    let csv = temp_path("csv");
    std::fs::write(&csv, "full_name,email\nA,a@x.org\n").unwrap();
    let csv = csv.display().to_string();
    let commands: Vec<Vec<&str>> = vec![
        vec!["user", "list"],
        vec!["user", "add", "--email", "a@b.org", "--name", "A", "--no-password"],
        vec!["user", "roles", "a@b.org", "staff"],
        vec!["audit", "verify"],
        vec!["audit", "checkpoint"],
        vec!["export", "leads"],
        vec!["export", "audit"],
        vec!["export", "attendance", "--cohort", "1"],
        vec!["export", "calendar", "--cohort", "1"],
        vec!["import", "leads", &csv],
        vec!["publish-due"],
    ];
    for args in commands {
        let mut all = args.clone();
        all.extend(["--database-url", &url]);
        let out = staffroom(&all, &[]);
        assert_one_clear_line(&out, &format!("no database at {}", path.display()));
        assert!(!path.exists(), "`{}` created {}", args.join(" "), path.display());
    }
    // The commands that do create one, still do.
    ok(&staffroom(&["migrate", "--database-url", &url], &[]));
    assert!(path.exists());
    remove_db(&path);
}

/// Runs staffroom as an unprivileged user when the tests run as root (root writes
/// any file whatever its mode, so only another user meets a read-only file as an
/// auditor does). `None` when that is not possible here.
fn staffroom_unprivileged(args: &[&str], home: &Path) -> Option<Output> {
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let bin = env!("CARGO_BIN_EXE_staffroom");
    let mut cmd = if root {
        if Command::new("setpriv").arg("--version").output().is_err() {
            eprintln!("setpriv missing: the read-only test runs as root, which writes any file");
            return None;
        }
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--", bin]);
        c
    } else {
        Command::new(bin)
    };
    cmd.args(args)
        .env_remove("STAFFROOM_DATABASE_URL")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"));
    Some(cmd.output().expect("run staffroom"))
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn reading_commands_work_on_a_read_only_copy_and_leave_it_unchanged() {
    let source = temp_path("db");
    let url = format!("sqlite://{}", source.display());
    init(&url);
    // The command folded its log into the file: the file alone is a whole copy.
    let wal = std::fs::metadata(format!("{}-wal", source.display())).map_or(0, |m| m.len());
    assert_eq!(wal, 0, "the write-ahead log still held changes");
    // The backup an auditor was handed: a read-only file in a read-only folder.
    let dir = temp_path("backup");
    std::fs::create_dir_all(&dir).unwrap();
    let home = dir.join("home");
    std::fs::create_dir_all(&home).unwrap();
    chmod(&home, 0o777);
    let copy = dir.join("copy.db");
    std::fs::copy(&source, &copy).unwrap();
    chmod(&copy, 0o444);
    chmod(&dir, 0o555);
    let before = std::fs::read(&copy).unwrap();
    let copy_url = format!("sqlite://{}", copy.display());

    for args in [vec!["user", "list"], vec!["audit", "verify"], vec!["export", "leads"], vec!["export", "audit"]] {
        let mut all = args.clone();
        all.extend(["--database-url", &copy_url]);
        let Some(out) = staffroom_unprivileged(&all, &home) else { break };
        let text = ok(&out);
        match args[0] {
            "user" => assert!(text.contains("boss@academy.test"), "{text}"),
            "audit" => assert!(text.contains("audit chain intact"), "{text}"),
            _ => {
                let note = String::from_utf8_lossy(&out.stderr);
                assert!(note.contains("read-only") && note.contains("not recorded"), "{note}");
            }
        }
    }
    // A write is refused with one clear line, and nothing changed.
    if let Some(out) = staffroom_unprivileged(
        &["user", "add", "--email", "x@y.org", "--name", "X", "--no-password", "--database-url", &copy_url],
        &home,
    ) {
        assert!(!out.status.success());
        assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1, "{out:?}");
    }
    assert_eq!(std::fs::read(&copy).unwrap(), before, "the read-only copy is unchanged");
    for suffix in ["-wal", "-shm"] {
        assert!(!Path::new(&format!("{}{suffix}", copy.display())).exists(), "{suffix} created");
    }
    chmod(&dir, 0o755);
    let _ = std::fs::remove_dir_all(&dir);
    remove_db(&source);
}

#[test]
fn a_reading_command_leaves_a_writable_database_byte_for_byte_unchanged() {
    let path = temp_path("db");
    let url = format!("sqlite://{}", path.display());
    init(&url);
    let before = std::fs::read(&path).unwrap();
    ok(&staffroom(&["user", "list", "--database-url", &url], &[]));
    ok(&staffroom(&["audit", "verify", "--database-url", &url], &[]));
    assert_eq!(std::fs::read(&path).unwrap(), before);
    remove_db(&path);
}
