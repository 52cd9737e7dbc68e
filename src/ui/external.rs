//! Editing a text in the user's own editor (`$VISUAL`, else `$EDITOR`, else `vi`),
//! as git does: the text goes to a private temporary file, the editor runs on it
//! through `sh` (so `EDITOR="code --wait"` works), and the file is read back and
//! removed. The event loop hands the terminal over around it (`terminal::handed`);
//! the test driver runs it with an editor command of its own.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

/// The editor command from the environment.
pub fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// Runs `editor` on `text`; the edited text, or why not (the text is then
/// unchanged where it came from: nothing is lost).
pub fn edit(editor: &str, text: &str) -> Result<String, String> {
    let path = temp_file(text).map_err(|e| format!("cannot write a file for the editor: {e}"))?;
    let status =
        Command::new("sh").arg("-c").arg(format!("{editor} \"$1\"")).arg("staffroom-editor").arg(&path).status();
    let result = match status {
        Ok(s) if s.success() => std::fs::read_to_string(&path).map_err(|e| format!("cannot read the edited file: {e}")),
        Ok(s) => Err(format!("the editor ({editor}) stopped with {s}; the text is as it was")),
        Err(e) => Err(format!("cannot start the editor ({editor}): {e}")),
    };
    let _ = std::fs::remove_file(&path);
    // Editors add a final newline; the text had none of its own.
    result.map(|t| if text.ends_with('\n') { t } else { t.strip_suffix('\n').map(str::to_string).unwrap_or(t) })
}

/// A new file only this user may read, holding `text` (markdown, for the editor's
/// highlighting).
fn temp_file(text: &str) -> std::io::Result<PathBuf> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = std::env::temp_dir();
    for n in 0..100 {
        let path = dir.join(format!("staffroom-{}-{n}.md", std::process::id()));
        match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&path) {
            Ok(mut f) => {
                f.write_all(text.as_bytes())?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no free temporary file name"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_edited_text_comes_back_and_the_file_goes() {
        let out = edit("sed -i 's/world/there/'", "hello world").unwrap();
        assert_eq!(out, "hello there");
        let e = edit("false", "kept").unwrap_err();
        assert!(e.contains("the text is as it was"), "{e}");
        let e = edit("/nonexistent/editor", "kept").unwrap_err();
        assert!(e.contains("stopped"), "{e}");
        let left = std::fs::read_dir(std::env::temp_dir())
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| e.file_name().to_string_lossy().starts_with(&format!("staffroom-{}-", std::process::id())));
        assert!(!left, "temporary files are removed");
    }
}
