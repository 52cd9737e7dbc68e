//! The app's scheduled jobs, run in the backend as the system actor through the
//! one gate (`Backend::handle_as_system`): publishing the approved posts whose time
//! has come, once a minute while the app runs (cron runs `staffroom publish-due`,
//! the same request, when it does not).

use super::{Backend, Request};
use std::sync::Arc;
use std::time::Duration;

/// Starts the jobs; they stop with the returned task (or the runtime).
pub fn spawn(backend: Arc<Backend>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(60));
        loop {
            every.tick().await;
            if let Err(e) = backend.handle_as_system(Request::PublishDue).await {
                tracing::warn!("publishing due posts failed: {e}");
            }
        }
    })
}
