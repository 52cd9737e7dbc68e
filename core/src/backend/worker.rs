//! The worker loop: each command runs in its own task, and a newer load of the same
//! key stops the older one (latest wins).

use super::{Backend, Envelope, Event, progress};
use crate::store::interrupt::{self, Ticket};
use tokio::sync::mpsc;
use tracing::Instrument;

/// Starts the worker on the current tokio runtime. Each command runs in its own task,
/// so a slow query never holds up a fast one; a load superseded by a newer one of
/// the same key is aborted (if still queued it never runs).
pub fn spawn(backend: std::sync::Arc<Backend>) -> (mpsc::UnboundedSender<Envelope>, mpsc::UnboundedReceiver<Event>) {
    let (cmd_tx, mut cmd_rx) = mpsc::unbounded_channel::<Envelope>();
    let (ev_tx, ev_rx) = mpsc::unbounded_channel::<Event>();
    tokio::spawn(async move {
        // Loads in flight by their supersede key: the newer one cancels the older's
        // ticket (its SQLite statements stop) and aborts its task.
        let mut loads: std::collections::HashMap<u64, (Ticket, tokio::task::AbortHandle)> =
            std::collections::HashMap::new();
        while let Some(cmd) = cmd_rx.recv().await {
            let backend = backend.clone();
            let ev_tx = ev_tx.clone();
            let key = cmd.supersedes;
            if let Some((ticket, task)) = key.and_then(|k| loads.remove(&k)) {
                ticket.store(true, std::sync::atomic::Ordering::Relaxed);
                // SQLite stops at the ticket; PostgreSQL is told to cancel.
                let db = backend.db.clone();
                tokio::spawn(async move { interrupt::cancel_postgres(&db, &ticket).await });
                task.abort();
            }
            let ticket = Ticket::default();
            let mine = ticket.clone();
            let task = tokio::spawn(async move {
                let req_id = cmd.req_id;
                let progress_tx = ev_tx.clone();
                let reporter: progress::Reporter = std::sync::Arc::new(move |reply| {
                    let _ = progress_tx.send(Event { req_id, result: Ok(reply), who: None, partial: true });
                });
                // One span per request, named by its area and kind, with its time:
                // `STAFFROOM_LOG=debug` shows every request; a slow one is a warning.
                let name = cmd.request.name();
                let slow_ms = crate::store::slow_statement_ms();
                let span = tracing::info_span!("request", id = req_id, kind = %name);
                let started = std::time::Instant::now();
                let work = progress::reporting(reporter, backend.handle(cmd.request));
                let (result, who) = interrupt::interruptible(mine, work).instrument(span.clone()).await;
                let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
                let _in = span.enter();
                match &result {
                    Err(e) => tracing::warn!(elapsed_ms, "failed: {e}"),
                    Ok(_) if elapsed_ms >= slow_ms as f64 => tracing::warn!(elapsed_ms, "slow request"),
                    Ok(_) => tracing::debug!(elapsed_ms, "answered"),
                }
                // The UI may be gone (quitting): nothing to do then.
                let _ = ev_tx.send(Event { req_id, result, who, partial: false });
            });
            if let Some(k) = key {
                loads.insert(k, (ticket, task.abort_handle()));
            }
            loads.retain(|_, (_, h)| !h.is_finished());
        }
    });
    (cmd_tx, ev_rx)
}
