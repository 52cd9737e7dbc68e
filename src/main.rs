//! The `staffroom` binary: parses the command line, installs logging and the panic
//! hook, runs the command, and turns any error into one line on stderr.

use clap::Parser;
use staffroom::cli::{self, Cli};
use std::io::Write;
use std::process::ExitCode;

/// mimalloc: rows decoded on sqlx's SQLite worker thread are freed on the runtime's
/// threads; the system allocator spends more time in the kernel on that pattern
/// than in the query (measured on `audit verify` of a million rows).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    install_panic_hook();
    let cli = Cli::parse();
    init_logging(&cli.log_level);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("cannot start the async runtime: {e}")),
    };
    match runtime.block_on(cli::commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            fail(&format!("{e:#}"))
        }
    }
}

/// Prints `staffroom: error: …` as exactly one line.
fn fail(message: &str) -> ExitCode {
    let line = message.split_whitespace().collect::<Vec<_>>().join(" ");
    // stderr may be gone (a closed terminal): never panic over telling.
    let _ = writeln!(std::io::stderr(), "staffroom: error: {}", staffroom::ui::text::inert(&line));
    ExitCode::FAILURE
}

/// A panic is a bug, but the user still gets one line (and the log the details), not
/// a backtrace across their terminal.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        tracing::error!("panic: {info}\n{}", std::backtrace::Backtrace::force_capture());
        let line = info.to_string().split_whitespace().collect::<Vec<_>>().join(" ");
        // A panic message may quote input (a name, a pasted value): never raw.
        let _ = writeln!(
            std::io::stderr(),
            "staffroom: internal error (please report): {}",
            staffroom::ui::text::inert(&line)
        );
    }));
}

/// Logs go to staffroom.log in the data directory, never to the terminal.
fn init_logging(level: &str) {
    let Ok(dir) = staffroom::config::data_dir() else { return };
    let Ok(file) = std::fs::OpenOptions::new().create(true).append(true).open(dir.join("staffroom.log")) else {
        return;
    };
    let filter =
        tracing_subscriber::EnvFilter::try_new(level).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
}
