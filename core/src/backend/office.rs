//! Logging in and out of the session, the dashboard, the audit trail and the users
//! list.

use super::{Backend, Reply, Request};
use crate::store::users;
use crate::store::{Actor, StoreError, dashboard};

/// Login and demo login: the only requests that run without a session. A success
/// starts the session on this backend.
pub(super) async fn login(b: &Backend, request: Request) -> Result<Reply, StoreError> {
    let now = crate::store::now();
    let outcome = match request {
        Request::Login { email, password, terminal } => {
            users::login(&b.db, &email, &password, b.remote(), &terminal, now, b.settings.login).await?
        }
        Request::DemoLogin { email, terminal } => {
            if !b.settings.demo {
                return Err(StoreError::refused("logging in without a password is only for the demo"));
            }
            Ok(users::login_demo(&b.db, &email, b.remote(), &terminal, now).await?)
        }
        other => return Err(StoreError::refused(format!("{} needs a session", other.kind()))),
    };
    if let Ok(ok) = &outcome {
        b.start_session(ok.user.id);
    }
    Ok(Reply::Login(outcome))
}

pub(super) async fn handle(b: &Backend, actor: &Actor, request: Request) -> Result<Reply, StoreError> {
    let db = &b.db;
    match request {
        Request::Unlock { password, terminal } => {
            // The session's own account: a lock cannot be opened as somebody else.
            let user = users::get(db, actor.user_id.unwrap_or_default()).await?;
            let email = user.email.unwrap_or_default();
            let now = crate::store::now();
            Ok(Reply::Login(users::login(db, &email, &password, b.remote(), &terminal, now, b.settings.login).await?))
        }
        Request::Dashboard { today } => {
            let threshold = b.settings.attendance_threshold_percent;
            Ok(Reply::Dashboard(dashboard::load(db, actor, today, b.settings.tz, threshold).await?))
        }
        Request::Ping => Ok(Reply::Pong),
        Request::VerifyAudit => {
            // The head's id is the number of rows, near enough for a progress bar.
            let total = crate::store::audit::head(db).await?.map_or(0, |(id, _)| id.max(0) as u64);
            let mut report = |done: u64| super::progress::report(Reply::Progress { done, total });
            Ok(Reply::AuditVerified(crate::store::audit::verify(db, &mut report).await?))
        }
        Request::ExportAudit { filter, dir } => {
            let scope = crate::store::audit_query::Scope::of(actor, b.settings.audit_viewers_read);
            let at = crate::store::now();
            // A name of its own (two exports in one second do not overwrite each
            // other): reserved by creating it, then replaced whole by the rename.
            let stem = format!("audit-{}", at.with_timezone(&b.settings.tz).format("%Y%m%d-%H%M%S"));
            let mut path = dir.join(format!("{stem}.csv"));
            for n in 2.. {
                match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                    Ok(_) => break,
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => {
                        path = dir.join(format!("{stem}-{n}.csv"));
                    }
                    Err(e) => return Err(StoreError::Io(format!("cannot write {}: {e}", path.display()))),
                }
            }
            let io = |e: std::io::Error| StoreError::Io(format!("cannot write {}: {e}", path.display()));
            let tmp = path.with_extension("csv.partial");
            let file = std::fs::File::create(&tmp).map_err(io)?;
            let mut w = std::io::BufWriter::new(file);
            let written = crate::store::audit_io::write(db, scope, &filter, false, &mut w).await;
            let n = match written.and_then(|n| {
                std::io::Write::flush(&mut w).map_err(io)?;
                std::fs::rename(&tmp, &path).map_err(io)?;
                Ok(n)
            }) {
                Ok(n) => n,
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    let _ = std::fs::remove_file(&path);
                    return Err(e);
                }
            };
            let what = filter.describe(b.settings.tz);
            let mut tx = db.begin().await?;
            let change = crate::store::audit::Change::new(
                "export",
                "audit_log",
                None,
                format!("exported {n} audit rows ({what}) to {}", path.display()),
            )
            .with_new(serde_json::json!({"rows": n, "to": path.display().to_string(), "filter": what}));
            crate::store::audit::record(&mut tx, actor, change).await?;
            tx.commit().await?;
            Ok(Reply::RecordSaved(format!("exported {n} audit rows to {}", path.display())))
        }
        Request::AuditPage { filter, from, limit } => {
            // The gate let this reader in (`Need::AuditReader`); the scope decides
            // the rows.
            let scope = crate::store::audit_query::Scope::of(actor, b.settings.audit_viewers_read);
            let page = crate::store::audit_query::page(db, scope, &filter, from, limit).await?;
            let names = crate::store::audit_query::actor_names(db, &page.rows).await?;
            Ok(Reply::AuditPage { page, names })
        }
        other => Err(StoreError::Other(format!("{} is not an office request", other.kind()))),
    }
}
