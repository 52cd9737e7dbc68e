//! Versioned writes shared by the areas (the "versions" rule of docs/domain.md):
//! an UPDATE names the version the user read and bumps it with `updated_at`; a
//! stale version changes nothing and is the conflict naming the last writer.

use super::{Result, Tx, audit, now};
use crate::with_tx;

/// Moves row `id` of `table` to `status` at `version`. `what` names the row for
/// people ("this project"), `entity` its audit type ("project").
pub(super) async fn set_status(
    tx: &mut Tx,
    table: &'static str,
    (what, entity): (&'static str, &'static str),
    id: i64,
    version: i64,
    status: &str,
) -> Result<()> {
    let sql = format!(
        "UPDATE {table} SET status = $3, version = version + 1, updated_at = $4 WHERE id = $1 AND version = $2 \
         RETURNING id"
    );
    let updated: Option<i64> = with_tx!(tx, c => {
        sqlx::query_scalar(&sql).bind(id).bind(version).bind(status).bind(now()).fetch_optional(&mut *c).await?
    });
    match updated {
        Some(_) => Ok(()),
        None => Err(audit::conflict(tx, what, entity, id).await),
    }
}
