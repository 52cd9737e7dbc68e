//! Where a database is, as people see it: its URL with any password hidden, what a
//! failure to reach it means (TLS reasons spelled out), and whether its SQLite file
//! may be written.

use super::{StoreError, error};

pub(super) fn unavailable(what: &str, e: sqlx::Error) -> StoreError {
    let said = error::one_line(&e.to_string());
    let why = tls_hint(what, &said);
    StoreError::Unavailable(format!("cannot open {}: {said}{why}", redact(what)))
}

/// What a TLS failure means for the person who wrote the URL (rustls names its
/// reasons tersely: `UnknownIssuer`, `NotValidForName`).
fn tls_hint(url: &str, said: &str) -> String {
    let root_cert = url.split(['?', '&']).find_map(|p| p.strip_prefix("sslrootcert="));
    if said.contains("UnknownIssuer") {
        return match root_cert {
            Some(ca) => format!(" (the server's certificate is not signed by the CA in sslrootcert={ca})"),
            None => " (the server's certificate is not signed by a known CA: name yours with sslrootcert=FILE)".into(),
        };
    }
    if said.contains("NotValidForName") {
        return " (the server's certificate is for another host name than the URL's)".into();
    }
    match root_cert {
        Some(ca) if said.contains("No such file") || said.contains("os error") => {
            format!(" (cannot read sslrootcert={ca})")
        }
        _ => String::new(),
    }
}

/// A WAL database is read through its `-shm` index, which a reader creates when
/// missing; in a folder nobody may write (a backup on read-only media) it cannot,
/// and nobody can be writing either, so the file is read as immutable.
pub(super) fn wal_cannot_be_opened(file: &std::path::Path) -> bool {
    let shm = format!("{}-shm", file.display());
    let dir = file.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    !std::path::Path::new(&shm).exists() && cannot_write(dir)
}

/// `access(2)` for writing: false for root on a writable file system, whatever the mode.
fn cannot_write(p: &std::path::Path) -> bool {
    let Ok(c) = std::ffi::CString::new(p.as_os_str().as_encoded_bytes()) else { return false };
    // SAFETY: `c` is a valid NUL-terminated path that lives across the call.
    unsafe { libc::access(c.as_ptr(), libc::W_OK) != 0 }
}

/// True when `url` names a SQLite file this process cannot write: its mode says
/// read-only (root included), or the file or its folder refuses writing (a
/// read-only mount, another owner's file). PostgreSQL URLs are never read-only here.
pub fn sqlite_file_read_only(url: &str) -> bool {
    let Some(rest) = url.trim().strip_prefix("sqlite:") else { return false };
    let path = rest.strip_prefix("//").unwrap_or(rest);
    let path = path.split('?').next().unwrap_or(path);
    let file = std::path::Path::new(path);
    let Ok(meta) = std::fs::metadata(file) else { return false };
    let dir = file.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    meta.permissions().readonly() || cannot_write(file) || cannot_write(dir)
}

/// Hides a password in a URL before it reaches a message or a log.
pub fn redact(url: &str) -> String {
    // libpq also takes the password as a parameter: `?password=…`.
    let url = match url.split_once('?') {
        Some((base, query)) => {
            let params: Vec<String> = query
                .split('&')
                .map(|p| match p.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                    _ => p.to_string(),
                })
                .collect();
            format!("{base}?{}", params.join("&"))
        }
        None => url.to_string(),
    };
    let url = url.as_str();
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redact("postgres://bob:s3cret@db/x"), "postgres://bob:***@db/x");
        assert_eq!(redact("postgres://bob@db/x"), "postgres://bob@db/x");
        assert_eq!(
            redact("postgres://bob@db/x?sslmode=require&password=s3cret&application_name=a"),
            "postgres://bob@db/x?sslmode=require&password=***&application_name=a"
        );
        assert_eq!(redact("sqlite://a.db"), "sqlite://a.db");
    }
}
