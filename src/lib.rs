//! staffroom: the terminal back office of a training academy.
//!
//! The core (`staffroom-core`: rules, store, backend, config, demo data) knows
//! nothing of terminals; this package is what faces people: `ui` the TUI, `cli` the
//! commands, `terminal` the raw-mode guard.
// Outside tests, a failure is a value the caller handles, never a crash: no
// unwrap, expect or panic (the few places that cannot fail say why with an allow).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub use staffroom_core::{backend, config, demo, domain, files, text};

pub mod cli;
pub mod terminal;
pub mod ui;
