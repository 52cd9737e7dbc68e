//! Private files. On a shared host (staff reaching the office over SSH) what
//! staffroom writes is for its own user only: the data directory is made 0700, and
//! the binary sets its umask to 077 before anything else, so the SQLite database and
//! its WAL, the log, autosaves, exports and audit checkpoints are made 0600. Files
//! made before that (or by hand) are named in a warning, with the command that fixes
//! them.

use std::path::{Path, PathBuf};

/// The binary's umask: new files 0600, new directories 0700.
pub const UMASK: u32 = 0o077;

/// Makes `dir` (and its missing parents) as a private directory: 0700 for what is
/// made here; an existing directory is left as it is (and warned about).
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

/// The SQLite file of a `sqlite:` URL (`None` for PostgreSQL and `:memory:`).
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.trim().strip_prefix("sqlite:")?;
    let path = rest.strip_prefix("//").unwrap_or(rest);
    let path = path.split('?').next().unwrap_or(path);
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| PathBuf::from(path))
}

/// One warning per path that other users can read (group or others have any
/// permission bit), naming it and the `chmod` that makes it private. Paths that do
/// not exist are skipped.
pub fn warnings(paths: &[&Path]) -> Vec<String> {
    use std::os::unix::fs::PermissionsExt;
    let mut said = Vec::new();
    for path in paths {
        let Ok(meta) = std::fs::metadata(path) else { continue };
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 == 0 {
            continue;
        }
        let (what, fix) = if meta.is_dir() { ("directory", "700") } else { ("file", "600") };
        said.push(format!(
            "warning: other users can read the {what} {} (mode {mode:o}); make it private with: chmod {fix} {}",
            path.display(),
            path.display()
        ));
    }
    said
}

/// A SQLite database and the files SQLite keeps beside it.
pub fn with_sqlite_companions(db: &Path) -> Vec<PathBuf> {
    let mut all = vec![db.to_path_buf()];
    for suffix in ["-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        all.push(PathBuf::from(name));
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn what_others_can_read_is_named_with_its_fix() {
        let dir = std::env::temp_dir().join(format!("staffroom-files-{}", std::process::id()));
        private_dir(&dir.join("data")).unwrap();
        let mode = std::fs::metadata(dir.join("data")).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "a new data directory is private");
        let open = dir.join("open.toml");
        let closed = dir.join("closed.toml");
        std::fs::write(&open, "").unwrap();
        std::fs::write(&closed, "").unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o600)).unwrap();
        let said = warnings(&[&open, &closed, &dir.join("data"), &dir.join("missing")]);
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(said[0].contains(&format!("chmod 600 {}", open.display())), "{}", said[0]);
        assert!(said[0].contains("mode 644"), "{}", said[0]);
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let said = warnings(&[&dir]);
        assert!(said[0].contains(&format!("chmod 700 {}", dir.display())), "{said:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_sqlite_url_names_its_file() {
        assert_eq!(sqlite_path("sqlite:///srv/a.db?mode=rwc"), Some(PathBuf::from("/srv/a.db")));
        assert_eq!(sqlite_path("sqlite://data/a.db"), Some(PathBuf::from("data/a.db")));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x@y/z"), None);
    }
}
