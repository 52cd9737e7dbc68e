//! staffroom-core: everything staffroom knows without a terminal.
//!
//! `domain` holds the rules (pure), `store` the data layer on SQLite or PostgreSQL
//! (private: reached only through `backend`), `backend` the session, the permission
//! gate, the worker and the scheduler, `config` the layered settings, `demo` the demo
//! data, `text` the sanitiser every printed string passes.
// Outside tests, a failure is a value the caller handles, never a crash: no
// unwrap, expect or panic (the few places that cannot fail say why with an allow).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod backend;
pub mod config;
pub mod demo;
pub mod domain;
pub mod files;
pub mod operator;
pub mod protocol;
// The store is private: screens and the command line reach it through `backend`,
// `protocol` and `operator`. The integration tests that exercise it directly turn
// on `testing` (a dev-dependency feature the binary's build never sees).
#[cfg(feature = "testing")]
pub mod store;
#[cfg(not(feature = "testing"))]
mod store;
pub mod text;
