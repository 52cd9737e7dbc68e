//! Change notices: another session (or process) wrote to the database, so open
//! screens should reload what they show. PostgreSQL: LISTEN on the channel every
//! audited write NOTIFYs in its transaction. SQLite: `PRAGMA data_version` on a
//! dedicated connection changes whenever another connection commits.

use crate::store::Db;
use crate::store::audit::CHANGES_CHANNEL;
use std::time::Duration;
use tokio::sync::mpsc;

/// How often SQLite's data_version is polled (cheap: no disk I/O).
const POLL: Duration = Duration::from_millis(250);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The entity type written, when the backend says (PostgreSQL).
    pub entity: Option<String>,
}

/// Starts watching; notices arrive on the returned channel until it is dropped.
pub fn watch(db: &Db) -> mpsc::UnboundedReceiver<Notice> {
    let (tx, rx) = mpsc::unbounded_channel();
    match db.clone() {
        Db::Sqlite(pool) => {
            tokio::spawn(async move {
                use sqlx::Connection;
                let opts = pool.connect_options();
                let Ok(mut conn) = sqlx::SqliteConnection::connect_with(&opts).await else {
                    tracing::warn!("change notices off: cannot open a watch connection");
                    return;
                };
                let mut last: Option<i64> = None;
                loop {
                    let version = sqlx::query_scalar::<_, i64>("PRAGMA data_version").fetch_one(&mut conn).await;
                    match version {
                        Ok(v) => {
                            if last.is_some_and(|l| l != v) && tx.send(Notice { entity: None }).is_err() {
                                return;
                            }
                            last = Some(v);
                        }
                        Err(e) => tracing::warn!("data_version poll failed: {e}"),
                    }
                    if tx.is_closed() {
                        return;
                    }
                    tokio::time::sleep(POLL).await;
                }
            });
        }
        Db::Postgres(pool) => {
            tokio::spawn(async move {
                let mut listener = match sqlx::postgres::PgListener::connect_with(&pool).await {
                    Ok(l) => l,
                    Err(e) => {
                        tracing::warn!("change notices off: {e}");
                        return;
                    }
                };
                if let Err(e) = listener.listen(CHANGES_CHANNEL).await {
                    tracing::warn!("change notices off: {e}");
                    return;
                }
                loop {
                    match listener.recv().await {
                        Ok(n) => {
                            if tx.send(Notice { entity: Some(n.payload().to_string()) }).is_err() {
                                return;
                            }
                        }
                        Err(e) => {
                            tracing::warn!("change listener: {e}");
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                    }
                }
            });
        }
    }
    rx
}
