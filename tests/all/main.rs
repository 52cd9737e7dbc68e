//! Integration tests: one binary, so one PostgreSQL cluster serves the whole run.
//! A new test file is a `mod` line here.

// The shared helpers and the `on_both!` macro.
mod common;

mod attendance;
mod audit_chain;
mod audit_query;
mod calendar;
mod calendar_snapshots;
mod cancel;
mod case_studies;
mod cli;
mod cli_safety;
mod concurrency;
mod contact_messages;
mod content;
mod crash;
mod date_range;
mod driver;
mod e2e;
mod enrollments;
mod events;
mod fuzz_keys;
mod fuzz_late;
mod gate_matrix;
mod help_requests;
mod injection;
mod lead_edit;
mod lead_io;
mod leads;
mod live;
mod login;
mod logs_and_files;
mod lost_updates;
mod messages_screen;
mod moderation;
mod outage;
mod packages;
mod pg;
mod pg_roles;
mod pipeline;
mod pipeline_filter;
mod post_details;
mod posts;
mod projects;
mod records_screens;
mod schema;
mod session_rights;
mod sessions;
mod small_defects;
mod testimonials;
mod tls;
mod ui;
mod unsaved;
mod user_admin;
mod visible_controls;
