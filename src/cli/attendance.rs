//! `staffroom export attendance`: a cohort's grid as CSV, the same numbers as the
//! screen, as of today in `display.time_zone`. The export is audited.

use super::ExportAttendanceArgs;
use super::out::Printer;
use crate::config::Config;
use anyhow::Result;
use staffroom_core::operator::attendance;
use staffroom_core::protocol::{Actor, Db, StoreError};
use std::io::Write;

pub async fn export(
    db: &Db,
    config: &Config,
    args: &ExportAttendanceArgs,
    audited: bool,
    out: &mut Printer<impl Write + Send>,
) -> Result<()> {
    let tz = config.display.time_zone;
    let today = staffroom_core::protocol::clock::now().with_timezone(&tz).date_naive();
    let cohort = attendance::find_cohort(db, &args.cohort).await?;
    let grid = attendance::grid(db, cohort, today).await?;
    let threshold = config.rules.attendance_threshold_percent;
    let to = match &args.output {
        None => {
            attendance::write_csv(&grid, threshold, out.data())?;
            "standard output".to_string()
        }
        Some(path) => {
            // Written beside the target and renamed: a failed export leaves no half file.
            let io = |e: std::io::Error| StoreError::Io(format!("cannot write {}: {e}", path.display()));
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "export".into());
            let tmp = path.with_file_name(format!(".{name}.partial"));
            let file = std::fs::File::create(&tmp).map_err(io)?;
            let written = attendance::write_csv(&grid, threshold, std::io::BufWriter::new(file));
            if let Err(e) = written.and_then(|_| std::fs::rename(&tmp, path).map_err(io)) {
                let _ = std::fs::remove_file(&tmp);
                return Err(e.into());
            }
            path.display().to_string()
        }
    };
    if audited {
        attendance::record_export(db, &Actor::cli(), &grid, &to).await?;
    }
    Ok(())
}

/// `staffroom export calendar`: a cohort's sessions as an .ics file.
pub async fn export_calendar(
    db: &Db,
    config: &Config,
    args: &super::ExportCalendarArgs,
    out: &mut Printer<impl Write + Send>,
) -> Result<()> {
    let tz = config.display.time_zone;
    let today = staffroom_core::protocol::clock::now().with_timezone(&tz).date_naive();
    let day = |text: &Option<String>, default: chrono::NaiveDate, flag: &str| -> Result<chrono::NaiveDate> {
        match text {
            None => Ok(default),
            Some(t) => crate::domain::dates::parse(t).map_err(|why| anyhow::anyhow!("--{flag}: {why}")),
        }
    };
    let from = day(&args.from, today - chrono::Duration::days(365), "from")?;
    let to = day(&args.to, today + chrono::Duration::days(365), "to")?;
    if to < from {
        anyhow::bail!("--to {to} is before --from {from}");
    }
    let cohort = attendance::find_cohort(db, &args.cohort).await?;
    let (ics, n) = attendance::cohort_calendar(db, cohort, from, to, tz).await?;
    match &args.output {
        None => {
            let mut data = out.data();
            data.write_all(ics.as_bytes())?;
            data.flush()?;
        }
        Some(path) => {
            attendance::write_whole(path, ics.as_bytes())?;
            eprintln!("exported {n} sessions to {}", path.display());
        }
    }
    Ok(())
}
