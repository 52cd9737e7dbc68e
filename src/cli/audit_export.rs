//! `staffroom export audit`: the audit rows matching the filters, oldest first, as
//! CSV or JSON lines, read and written a page at a time (memory stays flat at any
//! size). The export itself is audited, with its filter and row count.

use super::ExportAuditArgs;
use super::out::Printer;
use crate::config::Config;
use anyhow::{Result, bail};
use chrono::{DateTime, Utc};
use staffroom_core::operator::audit;
use staffroom_core::protocol::audit::{AuditFilter, Scope};
use staffroom_core::protocol::{Actor, Db, StoreError};
use std::io::Write;

/// A day (its start, or with `end` the start of the next) or an instant.
fn instant(text: &str, flag: &str, end: bool, tz: chrono_tz::Tz) -> Result<DateTime<Utc>> {
    let t = text.trim();
    let today = staffroom_core::protocol::clock::now().with_timezone(&tz).date_naive();
    crate::domain::time::parse_bound(t, end, today, tz).map_err(|why| {
        anyhow::anyhow!("--{flag}: '{}' is not a day or a time ({why}); use YYYY-MM-DD", crate::text::inert(t))
    })
}

pub fn filter(args: &ExportAuditArgs, tz: chrono_tz::Tz) -> Result<AuditFilter> {
    let (entity_type, entity_id) = match args.entity.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        None => (None, None),
        Some(e) => match e.split_once(':') {
            Some((t, id)) => {
                let id: i64 = id.trim().parse().map_err(|_| {
                    anyhow::anyhow!("--entity: '{}' is not TYPE:ID with a number", crate::text::inert(e))
                })?;
                (Some(t.trim().to_string()), Some(id))
            }
            None => (Some(e.to_string()), None),
        },
    };
    let f = AuditFilter {
        actor: args.actor.clone(),
        action: args.action.clone(),
        entity_type,
        entity_id,
        since: args.since.as_deref().map(|s| instant(s, "since", false, tz)).transpose()?,
        until: args.until.as_deref().map(|s| instant(s, "until", true, tz)).transpose()?,
        text: None,
    };
    if let (Some(s), Some(u)) = (f.since, f.until)
        && u <= s
    {
        bail!("--until is not after --since");
    }
    Ok(f)
}

pub async fn export(
    db: &Db,
    config: &Config,
    args: &ExportAuditArgs,
    audited: bool,
    out: &mut Printer<impl Write + Send>,
) -> Result<()> {
    let tz = config.display.time_zone;
    let f = filter(args, tz)?;
    let json = args.format == "json";
    // The command line is the database's own operator: every row.
    let scope = Scope::All;
    let (n, to) = match &args.output {
        None => {
            let mut data = out.data();
            let n = audit::write(db, scope, &f, json, &mut data).await?;
            data.flush()?;
            (n, "standard output".to_string())
        }
        Some(path) => {
            let io = |e: std::io::Error| StoreError::Io(format!("cannot write {}: {e}", path.display()));
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "export".into());
            let tmp = path.with_file_name(format!(".{name}.partial"));
            let file = std::fs::File::create(&tmp).map_err(io)?;
            let mut w = std::io::BufWriter::new(file);
            let written = audit::write(db, scope, &f, json, &mut w).await;
            let done = written.and_then(|n| {
                w.flush().map_err(io)?;
                std::fs::rename(&tmp, path).map_err(io)?;
                Ok(n)
            });
            match done {
                Ok(n) => {
                    eprintln!("exported {n} audit rows to {}", path.display());
                    (n, path.display().to_string())
                }
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(e.into());
                }
            }
        }
    };
    if !audited {
        return Ok(());
    }
    audit::record_export(db, &Actor::cli(), &f, n, &to, tz).await?;
    Ok(())
}
