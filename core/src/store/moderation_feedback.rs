//! The moderation queue's decisions on readers' feedback (docs/domain.md §7):
//! course reviews (kept, rejected with a reason, or promoted into a pending
//! testimonial) and comments (kept as seen, hidden, shown again). Each decision is
//! one transaction with its audit row; the queue itself is `moderation`.

use super::audit::{self, Change};
use super::{Actor, Db, Result, StoreError, now};
use crate::domain::moderation::Decision;
use crate::with_tx;
use serde_json::json;

/// A course review: approved (it stays on the course page), rejected with a
/// reason, or promoted — a pending testimonial with its words and rating, linked
/// from the review, in the same transaction.
pub(super) async fn review(db: &Db, actor: &Actor, id: i64, version: i64, d: &Decision) -> Result<String> {
    let mut tx = db.begin().await?;
    type Row = (String, i64, Option<String>, String, i64, String);
    let row: Option<Row> = with_tx!(&mut tx, c => {
        sqlx::query_as(
            "SELECT r.status, r.rating, r.comment, u.full_name, r.version, pr.title FROM reviews r \
             JOIN users u ON u.id = r.user_id JOIN programs pr ON pr.id = r.program_id WHERE r.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
    });
    let (status, rating, comment, name, current, program) = row.ok_or_else(|| StoreError::not_found("review", id))?;
    if current != version || status != "new" {
        return Err(audit::conflict(&mut tx, "this review", "review", id).await);
    }
    let at = now();
    let (to, reason, testimonial) = match d {
        Decision::Approve => ("approved", None, None),
        Decision::Reject(r) => ("rejected", Some(crate::domain::contact::clean(r)), None),
        _ => {
            let words = comment.as_deref().map(crate::domain::contact::clean).unwrap_or_default();
            if words.is_empty() {
                return Err(StoreError::refused(format!(
                    "the review by {name} has no words: only its rating, so it cannot become a testimonial"
                )));
            }
            let t: i64 = with_tx!(&mut tx, c => {
                sqlx::query_scalar(
                    "INSERT INTO testimonials (author_name, author_role, content, rating, testimonial_type, status, \
                     created_at, updated_at) VALUES ($1, $2, $3, $4, 'student', 'pending', $5, $5) RETURNING id",
                )
                .bind(&name)
                .bind(format!("{program} student"))
                .bind(&words)
                .bind(rating)
                .bind(at)
                .fetch_one(&mut *c)
                .await?
            });
            let change = Change::new(
                "create",
                "testimonial",
                Some(t),
                format!("promoted the review by {name} to a testimonial"),
            )
            .with_new(json!({"id": t, "author_name": name, "rating": rating, "status": "pending", "review_id": id}));
            audit::record(&mut tx, actor, change).await?;
            ("promoted", None, Some(t))
        }
    };
    with_tx!(&mut tx, c => {
        sqlx::query(
            "UPDATE reviews SET status = $2, rejection_reason = $3, reviewed_by = $4, reviewed_at = $5, \
             testimonial_id = $6, version = version + 1, updated_at = $5 WHERE id = $1",
        )
        .bind(id)
        .bind(to)
        .bind(&reason)
        .bind(actor.user_id)
        .bind(at)
        .bind(testimonial)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    let change = Change::new("moderate", "review", Some(id), format!("{to} the review by {name}")).diff(
        &json!({"id": id, "status": "new"}),
        &json!({"id": id, "status": to, "rejection_reason": reason, "testimonial_id": testimonial}),
    );
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(match testimonial {
        Some(_) => format!("the review by {name} is a pending testimonial now"),
        None => format!("review by {name} {to}"),
    })
}

/// A comment: kept (seen, it leaves the queue), hidden, or shown again.
pub(super) async fn comment(db: &Db, actor: &Actor, id: i64, version: i64, d: &Decision) -> Result<String> {
    let mut tx = db.begin().await?;
    let row: Option<(String, i64, String)> = with_tx!(&mut tx, c => {
        sqlx::query_as("SELECT c.status, c.version, u.full_name FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = $1")
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
    });
    let (status, current, name) = row.ok_or_else(|| StoreError::not_found("comment", id))?;
    if current != version {
        return Err(audit::conflict(&mut tx, "this comment", "comment", id).await);
    }
    let (to, said) = match d {
        Decision::Hide => ("hidden", format!("comment by {name} hidden · h again shows it")),
        Decision::Unhide => ("visible", format!("comment by {name} shown again")),
        _ => ("visible", format!("comment by {name} kept")),
    };
    let at = now();
    with_tx!(&mut tx, c => {
        sqlx::query(
            "UPDATE comments SET status = $2, reviewed_by = $3, reviewed_at = $4, version = version + 1, updated_at = $4 \
             WHERE id = $1",
        )
        .bind(id)
        .bind(to)
        .bind(actor.user_id)
        .bind(at)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    let action = match d {
        Decision::Hide => "hide",
        Decision::Unhide => "unhide",
        _ => "moderate",
    };
    let change = Change::new(action, "comment", Some(id), said.clone()).diff(
        &json!({"id": id, "status": status, "reviewed": false}),
        &json!({"id": id, "status": to, "reviewed": true}),
    );
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(said)
}
