//! The app's scheduled jobs, run in the backend as the system actor through the
//! one gate (`Backend::handle_as_system`): publishing the approved posts whose time
//! has come, once a minute while the app runs (cron runs `staffroom publish-due`,
//! the same request, when it does not).

use super::PostRequest;
use super::{Backend, Request};
use std::sync::Arc;
use std::time::Duration;

/// How long after the app starts the jobs first run.
pub const FIRST_RUN_AFTER: Duration = Duration::from_secs(3);

/// Starts the jobs; they stop with the returned task (or the runtime).
pub fn spawn(backend: Arc<Backend>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        // The first run waits a few seconds: at start the database's connections
        // serve the first screen, and a write here would open one more beside them
        // (each new SQLite connection reads the schema: milliseconds before the
        // first frame). A post due at start is published moments later.
        let first = tokio::time::Instant::now() + FIRST_RUN_AFTER;
        let mut every = tokio::time::interval_at(first, Duration::from_secs(60));
        loop {
            every.tick().await;
            if let Err(e) = backend.handle_as_system(Request::Posts(PostRequest::PublishDue)).await {
                tracing::warn!("publishing due posts failed: {e}");
            }
        }
    })
}
