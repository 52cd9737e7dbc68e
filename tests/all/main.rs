//! Integration tests: one binary, so one PostgreSQL cluster serves the whole run.

mod common;
mod pg;

mod audit_chain;
mod cli;
mod concurrency;
mod content;
mod enrollments;
mod leads;
mod login;
mod schema;
