//! staffroom: the terminal back office of a training academy.
//!
//! `domain` holds the rules (pure), `store` the data layer on SQLite or PostgreSQL,
//! `config` the layered settings, `demo` the demo data, `cli` the commands.
// Outside tests, a failure is a value the caller handles, never a crash: no
// unwrap, expect or panic (the few places that cannot fail say why with an allow).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod backend;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod store;
pub mod terminal;
pub mod text;
pub mod ui;
