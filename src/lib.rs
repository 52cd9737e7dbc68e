//! staffroom: the terminal back office of a training academy.
//!
//! `domain` holds the rules (pure), `store` the data layer on SQLite or PostgreSQL,
//! `config` the layered settings, `demo` the demo data, `cli` the commands.

pub mod backend;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod store;
pub mod terminal;
pub mod ui;
