//! The editor's safety net: what is typed and not yet saved is written to a file
//! in the data directory (`autosave/post-ID.md`, `autosave/new.md`) at most every
//! half second while typing, and removed once the post is saved. After a crash or a
//! dropped SSH connection, the next editor on that post offers it back.
//!
//! A file is written whole or not at all (a hidden `.partial` then a rename), so a
//! crash while writing leaves the previous autosave.

use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};

const HEADER: &str = "staffroom autosave 1";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Autosave {
    pub title: String,
    pub body: String,
    pub at: DateTime<Utc>,
}

/// The file of `key` ("post-12", "new") in `dir`.
pub fn path(dir: &Path, key: &str) -> PathBuf {
    dir.join(format!("{key}.md"))
}

pub fn write(dir: &Path, key: &str, title: &str, body: &str, at: DateTime<Utc>) -> std::io::Result<()> {
    staffroom_core::files::private_dir(dir)?;
    let file = path(dir, key);
    let tmp = dir.join(format!(".{key}.md.partial"));
    let title = title.replace(['\n', '\r'], " ");
    std::fs::write(&tmp, format!("{HEADER}\n{}\n{title}\n{body}", at.to_rfc3339()))?;
    std::fs::rename(&tmp, &file)
}

/// The autosave of `key`, if there is a readable one.
pub fn read(dir: &Path, key: &str) -> Option<Autosave> {
    let text = std::fs::read_to_string(path(dir, key)).ok()?;
    let mut parts = text.splitn(4, '\n');
    if parts.next()? != HEADER {
        return None;
    }
    let at = DateTime::parse_from_rfc3339(parts.next()?).ok()?.with_timezone(&Utc);
    let title = parts.next()?.to_string();
    let body = parts.next().unwrap_or_default().to_string();
    Some(Autosave { title, body, at })
}

pub fn remove(dir: &Path, key: &str) {
    let _ = std::fs::remove_file(path(dir, key));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_read_back_and_removed() {
        let dir = std::env::temp_dir().join(format!("staffroom-autosave-test-{}", std::process::id()));
        let at = chrono::Utc::now();
        write(&dir, "post-7", "A title\nwith a break", "line one\n\nline three\n", at).unwrap();
        let a = read(&dir, "post-7").unwrap();
        assert_eq!((a.title.as_str(), a.body.as_str()), ("A title with a break", "line one\n\nline three\n"));
        assert_eq!(a.at.timestamp(), at.timestamp());
        remove(&dir, "post-7");
        assert_eq!(read(&dir, "post-7"), None);
        std::fs::write(path(&dir, "bad"), "not an autosave").unwrap();
        assert_eq!(read(&dir, "bad"), None, "a foreign file is not offered");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
