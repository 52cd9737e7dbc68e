//! Integration tests: one binary, so one PostgreSQL cluster serves the whole run.

// The shared helpers and the `on_both!` macro.
mod common;

// Every other file of this folder is a module (build.rs lists them): a new test
// file is picked up by being here.
include!(concat!(env!("OUT_DIR"), "/tests_all.rs"));
