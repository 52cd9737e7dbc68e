//! Integration tests: one binary, so one PostgreSQL cluster serves the whole run.

mod common;
mod driver;
mod pg;

mod attendance;
mod audit_chain;
mod calendar;
mod calendar_snapshots;
mod case_studies;
mod cli;
mod concurrency;
mod contact_messages;
mod content;
mod e2e;
mod enrollments;
mod fuzz_keys;
mod fuzz_late;
mod gate_matrix;
mod help_requests;
mod lead_edit;
mod lead_io;
mod leads;
mod live;
mod login;
mod messages_screen;
mod moderation;
mod packages;
mod pipeline;
mod pipeline_filter;
mod posts;
mod records_screens;
mod schema;
mod session_rights;
mod sessions;
mod testimonials;
mod ui;
