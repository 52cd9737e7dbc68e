//! The small, hand-shaped demo academy (every area of DOMAIN.md).

use crate::store::{Db, Result};

pub async fn seed(_db: &Db) -> Result<()> {
    Ok(())
}
