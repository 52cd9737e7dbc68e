//! Progress of a long request (verifying the audit chain), told to the UI while it
//! runs. The worker runs each request with a reporter in a task-local, so a handler
//! deep down reports without every signature on the way carrying it; outside the
//! worker (the test driver, the CLI) a report goes nowhere.

use super::Reply;
use std::sync::Arc;

pub type Reporter = Arc<dyn Fn(Reply) + Send + Sync>;

tokio::task_local! {
    static REPORT: Reporter;
}

/// Runs `fut` with `reporter` receiving its progress replies.
pub async fn reporting<F: std::future::Future>(reporter: Reporter, fut: F) -> F::Output {
    REPORT.scope(reporter, fut).await
}

/// Tells the UI how far the request has come (no-op where nobody listens).
pub fn report(reply: Reply) {
    let _ = REPORT.try_with(|r| r(reply));
}
