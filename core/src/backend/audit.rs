//! The audit trail as the office reads it: a page of rows by filter (what each
//! reader sees is the query's `Scope`), verifying the chain, exporting as CSV.

use super::gate::Need;
use super::{Backend, Reply};
use crate::domain::permissions::Action;
use crate::store::audit::AuditRow;
use crate::store::page::Page;
use crate::store::{Actor, StoreError};

crate::backend::gate::requests! {
    /// The audit area's requests, each with what it needs at the gate.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum AuditRequest {
        /// The audit rows the user may read that match `filter`, from `from`.
        AuditPage {
            filter: Box<crate::store::audit_query::AuditFilter>,
            from: crate::store::audit_query::From,
            limit: i64,
        } => Need::AuditReader,
        // Verifying reads every row: admins (as `staffroom audit verify` is the
        // operator's). Exporting takes data home: those who may export, their share.
        /// Recompute the whole chain (off the render path), with its head.
        VerifyAudit => Need::Permission(Action::ManageSettings),
        /// The audit rows the user may read that match `filter`, as CSV into `dir`.
        ExportAudit {
            filter: Box<crate::store::audit_query::AuditFilter>,
            dir: std::path::PathBuf,
        } => Need::Permission(Action::ExportData),
    }
}

/// The audit area's answers.
#[derive(Debug)]
pub enum AuditReply {
    AuditVerified(crate::store::audit::Verdict),
    /// A page of audit rows and the names of their actors.
    AuditPage {
        page: Page<AuditRow, i64>,
        names: Vec<(i64, String)>,
    },
}

pub(super) async fn handle(b: &Backend, actor: &Actor, request: AuditRequest) -> Result<Reply, StoreError> {
    let db = &b.db;
    match request {
        AuditRequest::VerifyAudit => {
            // The head's id is the number of rows, near enough for a progress bar.
            let total = crate::store::audit::head(db).await?.map_or(0, |(id, _)| id.max(0) as u64);
            let mut report = |done: u64| super::progress::report(Reply::Progress { done, total });
            Ok(AuditReply::AuditVerified(crate::store::audit::verify(db, &mut report).await?).into())
        }
        AuditRequest::ExportAudit { filter, dir } => {
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
        AuditRequest::AuditPage { filter, from, limit } => {
            // The gate let this reader in (`Need::AuditReader`); the scope decides
            // the rows.
            let scope = crate::store::audit_query::Scope::of(actor, b.settings.audit_viewers_read);
            let page = crate::store::audit_query::page(db, scope, &filter, from, limit).await?;
            let names = crate::store::audit_query::actor_names(db, &page.rows).await?;
            Ok(AuditReply::AuditPage { page, names }.into())
        }
    }
}
