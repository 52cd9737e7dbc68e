//! Per-user preferences (`user_preferences`): small JSON values a screen keeps
//! between runs, such as the pipeline's filter.

use super::audit::{self, Change};
use super::lead_filter::LeadFilter;
use super::{Actor, Db, Result, StoreError, now};
use crate::{with_db, with_tx};
use serde_json::{Value, json};
use sqlx::types::Json;

/// The pipeline board's filter ([`super::lead_filter::LeadFilter`] as JSON).
pub const PIPELINE_FILTER: &str = "pipeline.filter";

/// A user's value for `key`, if saved.
pub async fn get(db: &Db, user_id: i64, key: &str) -> Result<Option<Value>> {
    // JSONB on PostgreSQL, TEXT on SQLite: `Json` encodes and decodes both.
    let value: Option<Json<Value>> = with_db!(db, p => {
        sqlx::query_scalar("SELECT value FROM user_preferences WHERE user_id = $1 AND key = $2")
            .bind(user_id)
            .bind(key)
            .fetch_optional(p)
            .await?
    });
    Ok(value.map(|v| v.0))
}

/// The user's saved board filter, read as untrusted input: the default filter when
/// none is saved; the default filter and why, when the saved one is unreadable (not
/// a filter this version knows) or out of range (`LeadFilter::validate`). Never
/// fails on the saved value itself, so a bad preference cannot keep its user from
/// opening the pipeline.
pub async fn load_pipeline_filter(db: &Db, user_id: i64) -> Result<(LeadFilter, Option<String>)> {
    // As text on both backends (JSONB on PostgreSQL), so any stored value decodes.
    let text: Option<String> = with_db!(db, p => {
        sqlx::query_scalar("SELECT CAST(value AS TEXT) FROM user_preferences WHERE user_id = $1 AND key = $2")
            .bind(user_id)
            .bind(PIPELINE_FILTER)
            .fetch_optional(p)
            .await?
    });
    let Some(text) = text else { return Ok((LeadFilter::default(), None)) };
    let why = match serde_json::from_str::<LeadFilter>(&text) {
        Ok(filter) => match filter.validate() {
            Ok(()) => return Ok((filter, None)),
            Err(why) => format!("the saved pipeline filter was dropped ({why}); showing all leads"),
        },
        Err(e) => format!("the saved pipeline filter could not be read ({}); showing all leads", cut(&e.to_string())),
    };
    tracing::warn!(user_id, "{why}");
    Ok((LeadFilter::default(), Some(why)))
}

/// A message part of at most 120 characters (a serde error quotes the saved text).
fn cut(text: &str) -> String {
    const MAX: usize = 120;
    if text.chars().count() <= MAX { text.to_string() } else { text.chars().take(MAX - 1).chain(['…']).collect() }
}

/// Saves the actor's own value for `key` (audited like any other write).
pub async fn set(db: &Db, actor: &Actor, key: &str, value: &Value) -> Result<()> {
    let user_id = actor.user_id.ok_or_else(|| StoreError::refused("preferences belong to a logged-in user"))?;
    let at = now();
    let mut tx = db.begin().await?;
    let old: Option<Json<Value>> = with_tx!(&mut tx, c => {
        sqlx::query_scalar("SELECT value FROM user_preferences WHERE user_id = $1 AND key = $2")
            .bind(user_id)
            .bind(key)
            .fetch_optional(&mut *c)
            .await?
    });
    let old = old.map(|v| v.0);
    if old.as_ref() == Some(value) {
        return Ok(());
    }
    with_tx!(&mut tx, c => {
        sqlx::query(
            "INSERT INTO user_preferences (user_id, key, value, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(key)
        .bind(Json(value))
        .bind(at)
        .execute(&mut *c)
        .await?.rows_affected()
    });
    let old = old.unwrap_or(Value::Null);
    let change = Change::new("update", "user_preference", Some(user_id), format!("saved preference {key}"))
        .diff(&json!({ "key": key, "value": old }), &json!({ "key": key, "value": value }));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await
}
