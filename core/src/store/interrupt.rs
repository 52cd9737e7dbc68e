//! Stopping a superseded load inside SQLite. A load the UI no longer wants (the next
//! keystroke of a search asked for another board) is aborted by the backend; dropping
//! its future alone would leave its statement running on SQLite's worker thread,
//! holding a connection and a core. So every SQLite connection carries a progress
//! handler that checks the ticket of the load using it, and stops the statement
//! (SQLITE_INTERRUPT) once that ticket is cancelled.
//!
//! The ticket travels in a task-local (`interruptible`); the pool hands it to the
//! connection when the load acquires one (`before_acquire`, or `after_connect` for a
//! fresh connection) and takes it back on release.

use sqlx::sqlite::SqliteConnection;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

/// Cancelled by the backend when a newer load supersedes the one holding it.
pub type Ticket = Arc<AtomicBool>;

tokio::task_local! {
    static TICKET: Ticket;
}

/// The ticket of the load a connection works for, if any.
type Slot = Arc<Mutex<Option<Ticket>>>;

/// Connections by their raw handle (the pool gives callbacks only the connection).
static SLOTS: LazyLock<Mutex<HashMap<usize, Slot>>> = LazyLock::new(Default::default);

/// How many SQLite VM instructions run between two looks at the ticket.
const CHECK_EVERY: i32 = 5_000;

/// Runs `f` as the load of `ticket`: its SQLite statements stop when it is cancelled.
pub async fn interruptible<F: Future>(ticket: Ticket, f: F) -> F::Output {
    TICKET.scope(ticket, f).await
}

fn current() -> Option<Ticket> {
    TICKET.try_with(Ticket::clone).ok()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A new connection: give it a slot and a progress handler that reads it.
pub(super) async fn on_connect(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    let slot: Slot = Arc::new(Mutex::new(current()));
    let mut handle = conn.lock_handle().await?;
    let key = handle.as_raw_handle().as_ptr() as usize;
    lock(&SLOTS).insert(key, slot.clone());
    // `true` goes on; `false` interrupts the statement.
    handle.set_progress_handler(CHECK_EVERY, move || !lock(&slot).as_ref().is_some_and(|t| t.load(Ordering::Relaxed)));
    Ok(())
}

/// A connection taken from the pool (or given back: `None`) works for the current load.
pub(super) async fn assign(conn: &mut SqliteConnection, ticket: Option<Ticket>) -> Result<(), sqlx::Error> {
    let key = conn.lock_handle().await?.as_raw_handle().as_ptr() as usize;
    if let Some(slot) = lock(&SLOTS).get(&key) {
        *lock(slot) = ticket;
    }
    Ok(())
}

/// For `before_acquire`: the acquiring task's ticket.
pub(super) async fn on_acquire(conn: &mut SqliteConnection) -> Result<bool, sqlx::Error> {
    assign(conn, current()).await?;
    Ok(true)
}

/// For `after_release`: nobody's load any more.
pub(super) async fn on_release(conn: &mut SqliteConnection) -> Result<bool, sqlx::Error> {
    assign(conn, None).await?;
    Ok(true)
}

/// PostgreSQL (`after_connect` and `before_acquire`, as for SQLite): each connection
/// taken for a load is named after the load's ticket
/// (`application_name`, visible in `pg_stat_activity`), so a superseded load's
/// statement can be cancelled on the server (`cancel_postgres`) rather than left to
/// run to its end while its dropped future waits for the connection to drain.
pub(super) async fn on_acquire_postgres(conn: &mut sqlx::postgres::PgConnection) -> Result<bool, sqlx::Error> {
    use sqlx::Executor;
    if let Some(t) = current() {
        conn.execute(format!("SET application_name = '{}'", load_name(&t)).as_str()).await?;
    }
    Ok(true)
}

/// The name a load's connection carries: its ticket's address (unique while the
/// load lives), never anything typed.
fn load_name(ticket: &Ticket) -> String {
    format!("staffroom load {:x}", Arc::as_ptr(ticket) as usize)
}

/// Cancels the statement a superseded load is running on PostgreSQL, if it still
/// is: only a backend still named after this ticket and active is signalled, so a
/// connection already given to another request is left alone.
pub async fn cancel_postgres(db: &super::Db, ticket: &Ticket) {
    let super::Db::Postgres(pool) = db else { return };
    let name = load_name(ticket);
    let r = sqlx::query(
        "SELECT pg_cancel_backend(pid) FROM pg_stat_activity \
         WHERE application_name = $1 AND state = 'active' AND pid <> pg_backend_pid()",
    )
    .bind(&name)
    .execute(pool)
    .await;
    if let Err(e) = r {
        tracing::warn!("could not cancel a superseded load: {e}");
    }
}
