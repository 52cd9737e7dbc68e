//! `staffroom import leads` and `staffroom export leads`: flags and printing around
//! the core's lead import and export (`operator::leads`), which does the work (and which the TUI's `E` shares). Report
//! lines go through `Printer::line` (inert); an export to standard output through
//! `Printer::data` (byte-exact into a pipe or file, inert on a terminal).

use super::out::{Printer, note};
use super::{ExportLeadsArgs, ImportLeadsArgs};
use crate::domain::lead::{Interest, LeadSource, LeadStatus};
use anyhow::{Context, Result, bail};
use chrono::{TimeZone, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use staffroom_core::operator::leads as lead_io;
use staffroom_core::operator::users;
use staffroom_core::protocol::leads::{Assigned, Format, LeadFilter, Scope};
use staffroom_core::protocol::{Actor, Db};
use std::io::{BufWriter, IsTerminal, Write};

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub async fn import(db: &Db, args: &ImportLeadsArgs, out: &mut Printer<impl Write + Send>) -> Result<()> {
    let file = std::fs::File::open(&args.file).with_context(|| format!("cannot open {}", args.file.display()))?;
    let plan =
        lead_io::plan(db, std::io::BufReader::new(file)).await.with_context(|| format!("{}", args.file.display()))?;
    // Every line holds text from the file or the database: `line` keeps it inert,
    // so a cell cannot drive the terminal.
    let mapping: Vec<String> = plan.mapping.iter().map(|(h, f)| format!("{h} -> {}", f.as_str())).collect();
    out.line(format!("columns: {}", mapping.join(", ")))?;
    if !plan.ignored.is_empty() {
        out.line(format!("ignored columns: {}", plan.ignored.join(", ")))?;
    }
    for bad in &plan.bad {
        out.line(bad.to_string())?;
    }
    for dup in &plan.duplicates {
        out.line(format!("warning: {dup}"))?;
    }
    let (good, bad, dups) = (plan.rows.len() as u64, plan.bad.len() as u64, plan.duplicate_lines());
    if args.dry_run {
        out.line(format!(
            "dry run: {} would be imported, {}, {}; nothing was written",
            plural(good, "lead", "leads"),
            plural(bad, "bad row", "bad rows"),
            plural(dups, "possible duplicate", "possible duplicates"),
        ))?;
        if bad > 0 {
            let said = format!("{} in {}", plural(bad, "bad row", "bad rows"), args.file.display());
            return Err(super::Failure::with_code(super::exit::BAD_ROWS, said));
        }
        return Ok(());
    }
    if bad > 0 && !args.skip_bad {
        let said = format!(
            "{} in {} (first: {}); nothing imported: fix the file or skip them with --skip-bad",
            plural(bad, "bad row", "bad rows"),
            args.file.display(),
            plan.bad[0]
        );
        return Err(super::Failure::with_code(super::exit::BAD_ROWS, said));
    }
    let bar = if std::io::stderr().is_terminal() { ProgressBar::new(good) } else { ProgressBar::hidden() };
    bar.set_style(
        ProgressStyle::with_template("importing leads {bar:40} {pos}/{len} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let report = lead_io::import(db, &Actor::cli(), &plan, args.skip_bad, |n| bar.set_position(n)).await;
    bar.finish_and_clear();
    let report = report?;
    out.line(format!(
        "imported {} ({} skipped, {})",
        plural(report.imported, "lead", "leads"),
        report.skipped,
        plural(report.duplicates, "possible duplicate", "possible duplicates"),
    ))?;
    Ok(())
}

/// The board's filter from the export flags.
pub async fn filter_from_args(db: &Db, args: &ExportLeadsArgs) -> Result<LeadFilter> {
    let mut filter = LeadFilter { text: args.search.clone().unwrap_or_default(), ..LeadFilter::default() };
    for s in args.status.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        filter.statuses.push(s.parse::<LeadStatus>().context("--status")?);
    }
    filter.assigned = match args.assigned.as_deref().map(str::trim) {
        None | Some("") => Assigned::Anyone,
        Some(n) if n.eq_ignore_ascii_case("none") => Assigned::Unassigned,
        Some(email) => match users::find_by_email(db, email).await? {
            Some(u) => Assigned::User(u.id),
            None => bail!("--assigned: no user has the email {email}"),
        },
    };
    if let Some(day) = args.since.as_deref() {
        let d = crate::domain::dates::parse(day).map_err(|why| anyhow::anyhow!("--since: {why}"))?;
        filter.since = d.and_hms_opt(0, 0, 0).map(|t| Utc.from_utc_datetime(&t));
    }
    if let Some(s) = args.source.as_deref() {
        filter.source = Some(s.trim().parse::<LeadSource>().context("--source")?);
    }
    if let Some(s) = args.interest.as_deref() {
        filter.interest = Some(s.trim().parse::<Interest>().context("--interest")?);
    }
    Ok(filter)
}

/// `audited` is false only for a read-only database, where the export cannot be recorded.
pub async fn export(
    db: &Db,
    args: &ExportLeadsArgs,
    audited: bool,
    out: &mut Printer<impl Write + Send>,
) -> Result<()> {
    let filter = filter_from_args(db, args).await?;
    let format = Format::parse(&args.format).unwrap_or(Format::Csv);
    let scope = Scope::new(filter, None);
    match &args.output {
        None => {
            let mut data = BufWriter::new(out.data());
            let n = lead_io::export(db, &scope, format, &mut data).await?;
            data.flush()?;
            drop(data);
            if audited {
                lead_io::record_export(db, &Actor::cli(), &scope.filter, n, "standard output").await?;
            }
        }
        Some(path) => {
            let n = lead_io::export_to_file(db, &scope, format, path).await?;
            if audited {
                lead_io::record_export(db, &Actor::cli(), &scope.filter, n, &path.display().to_string()).await?;
            }
            note(format!("exported {} to {}", plural(n, "lead", "leads"), path.display()));
        }
    }
    Ok(())
}
