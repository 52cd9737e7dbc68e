//! The `staffroom` binary: parses the command line, installs logging and the panic
//! hook, runs the command, and turns any error into one line on stderr.

// Never unwrap, expect or panic: every failure ends as one line on stderr.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use clap::Parser;
use staffroom::cli::{self, Cli};
use std::io::Write;
use std::process::ExitCode;

// The system allocator, not mimalloc: mimalloc made `audit verify` of a million rows
// 17% faster (4.8 -> 5.8 s without it, budget 10 s) but kept 30 MB of freed pages
// resident in the TUI, whose Rust heap is under 2 MB (heaptrack): 46-64 MB peak RSS
// against a 40 MB budget, 32-34 MB without it.

fn main() -> ExitCode {
    // Before any file is made: what staffroom writes is its user's alone (`files`).
    // SAFETY: umask only swaps the process's file mode mask; no memory is involved.
    unsafe { libc::umask(staffroom::files::UMASK as libc::mode_t) };
    install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // Help and the version are what was asked for: print them as clap does.
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        // A usage error is one line too (its first), and exits 2.
        Err(e) => {
            let said = e.to_string();
            let first = said.lines().next().unwrap_or("invalid arguments").trim_start_matches("error: ");
            return fail(&format!("{first} (see staffroom --help)"), cli::exit::USAGE);
        }
    };
    // Kept to the end: dropping it writes what the log still holds.
    let _log = init_logging(&cli.log_level);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("cannot start the async runtime: {e}"), cli::exit::ERROR),
    };
    match runtime.block_on(cli::commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`staffroom user list | head -1`): what they wanted
        // was printed, so exit quietly as other filters do.
        Err(e) if broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            let code = e.downcast_ref::<cli::Failure>().map_or(cli::exit::ERROR, |f| f.code);
            fail(&format!("{e:#}"), code)
        }
    }
}

fn broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

/// Prints `staffroom: error: …` as exactly one line and exits with `code`.
fn fail(message: &str, code: u8) -> ExitCode {
    let line = message.split_whitespace().collect::<Vec<_>>().join(" ");
    // stderr may be gone (a closed terminal): never panic over telling.
    let _ = writeln!(std::io::stderr(), "staffroom: error: {}", staffroom::text::inert(&line));
    ExitCode::from(code)
}

/// A panic is a bug, but the user still gets one line (and the log the details), not
/// a backtrace across their terminal.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        tracing::error!("panic: {info}\n{}", std::backtrace::Backtrace::force_capture());
        let line = info.to_string().split_whitespace().collect::<Vec<_>>().join(" ");
        // A panic message may quote input (a name, a pasted value): never raw.
        let _ =
            writeln!(std::io::stderr(), "staffroom: internal error (please report): {}", staffroom::text::inert(&line));
    }));
}

/// How many days of logs are kept (one file a day).
const LOG_DAYS_KEPT: usize = 14;

/// Logs go to `staffroom.YYYY-MM-DD.log` in the state directory (`config::log_dir`),
/// a file a day, the last `LOG_DAYS_KEPT` kept; never to the terminal. Written by a
/// background thread, so a slow disk never holds up a frame.
fn init_logging(level: &str) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = staffroom::config::log_dir().ok()?;
    let files = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("staffroom")
        .filename_suffix("log")
        .max_log_files(LOG_DAYS_KEPT)
        .build(&dir)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(files);
    let filter =
        tracing_subscriber::EnvFilter::try_new(level).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(false).with_writer(writer).try_init();
    Some(guard)
}
