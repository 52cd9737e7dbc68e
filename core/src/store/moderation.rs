//! The moderation queue (docs/domain.md §5 and §7): everything awaiting a decision,
//! oldest first — posts submitted for review, pending testimonials, instructor
//! applications (seed 001) and applications to cohorts (seed 002) — in one keyset-
//! paged list, and the decisions on them, each in its own transaction with its
//! audit row.
//!
//! Who decides: posts and testimonials need `ModerateContent`; cohort applications
//! `ReviewApplications`; an instructor application grants a role, so it needs
//! `ManageUsers` (admins). A rejection needs a reason, which is stored with the item.
//!
//! Approving a cohort application creates the student's account when the applicant
//! has none (matched by email) and the enrolment, within the cohort's capacity,
//! in one transaction (the cohort row is locked first, as `cohorts::enroll` does);
//! a full cohort is refused by name, and the application may go to the waitlist.

use super::audit::{self, Change};
use super::{Actor, Db, Result, StoreError, Tx, now};
use crate::domain::capacity;
use crate::domain::permissions::Action;
use crate::domain::post::PostStatus;
use crate::{with_db, with_tx};
use chrono::{DateTime, Utc};
use serde_json::json;

crate::string_enum! {
    /// What a queue item is.
    QueueKind {
        Post => "post",
        Testimonial => "testimonial",
        InstructorApplication => "instructor_application",
        Application => "application",
        Review => "review",
        Comment => "comment",
    }
}

impl QueueKind {
    /// The words of the header's tabs.
    pub fn label(self) -> &'static str {
        match self {
            QueueKind::Post => "posts",
            QueueKind::Testimonial => "testimonials",
            QueueKind::InstructorApplication => "instructor applications",
            QueueKind::Application => "cohort applications",
            QueueKind::Review => "course reviews",
            QueueKind::Comment => "comments",
        }
    }

    fn needs(self) -> Action {
        match self {
            QueueKind::Post | QueueKind::Testimonial | QueueKind::Review | QueueKind::Comment => {
                Action::ModerateContent
            }
            QueueKind::Application => Action::ReviewApplications,
            QueueKind::InstructorApplication => Action::ManageUsers,
        }
    }
}

/// Where a page continues: (waiting since, kind, id), oldest first.
pub type QueueKey = (DateTime<Utc>, QueueKind, i64);

/// One thing awaiting a decision.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct QueueItem {
    #[sqlx(try_from = "String")]
    pub kind: QueueKind,
    pub id: i64,
    pub version: i64,
    /// Waiting since.
    pub at: DateTime<Utc>,
    /// The post's title, the testimonial's opening words, "Web 7" for an application.
    pub title: String,
    pub author: String,
    pub rating: Option<i64>,
}

/// The full text and fields the preview pane shows for one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub kind: QueueKind,
    pub id: i64,
    pub text: String,
    /// Labelled fields: author, rating, case study, cohort, each form answer.
    pub fields: Vec<(String, String)>,
}

/// At most this many items a page.
pub const MAX_PAGE: i64 = 200;

const QUEUE: &str = "\
    SELECT 'post' AS kind, p.id, p.version, p.updated_at AS at, p.title, COALESCE(u.full_name, '') AS author, \
           CAST(NULL AS BIGINT) AS rating \
    FROM posts p LEFT JOIN users u ON u.id = p.author_id WHERE p.status = 'pending' \
    UNION ALL \
    SELECT 'testimonial', t.id, t.version, t.created_at, substr(t.content, 1, 160), t.author_name, t.rating \
    FROM testimonials t WHERE t.status = 'pending' \
    UNION ALL \
    SELECT 'instructor_application', a.id, a.version, a.created_at, 'wants to teach', u.full_name, NULL \
    FROM instructor_applications a JOIN users u ON u.id = a.user_id WHERE a.status = 'pending' \
    UNION ALL \
    SELECT 'application', a.id, a.version, a.submitted_at, 'applies to ' || c.name, ap.full_name, NULL \
    FROM applications a JOIN applicants ap ON ap.id = a.applicant_id JOIN cohorts c ON c.id = a.cohort_id \
    WHERE a.status = 'pending' \
    UNION ALL \
    SELECT 'review', r.id, r.version, r.created_at, substr(COALESCE(r.comment, ''), 1, 160), u.full_name, r.rating \
    FROM reviews r JOIN users u ON u.id = r.user_id WHERE r.status = 'new' \
    UNION ALL \
    SELECT 'comment', c.id, c.version, c.created_at, substr(c.content, 1, 160), u.full_name, NULL \
    FROM comments c JOIN users u ON u.id = c.author_id WHERE c.status = 'visible' AND c.reviewed_at IS NULL";

/// The items still awaiting a decision that `actor` may decide, of `kind` (or all),
/// after `after`, oldest first.
pub async fn page(
    db: &Db,
    actor: &Actor,
    kind: Option<QueueKind>,
    after: Option<QueueKey>,
    limit: i64,
) -> Result<(Vec<QueueItem>, Option<QueueKey>)> {
    let kinds = visible(actor, kind);
    let list = kinds.iter().map(|k| format!("'{}'", k.as_str())).collect::<Vec<_>>().join(", ");
    if list.is_empty() {
        return Ok((Vec::new(), None));
    }
    let limit = limit.clamp(1, MAX_PAGE);
    let from =
        if after.is_some() { "AND (at > $1 OR (at = $1 AND (kind > $2 OR (kind = $2 AND id > $3))))" } else { "" };
    let sql = format!(
        "SELECT kind, id, version, at, title, author, rating FROM ({QUEUE}) q WHERE kind IN ({list}) {from} \
         ORDER BY at, kind, id LIMIT {}",
        limit + 1
    );
    let mut rows: Vec<QueueItem> = with_db!(db, p => {
        let mut q = sqlx::query_as(&sql);
        if let Some((at, k, id)) = &after {
            q = q.bind(*at).bind(k.as_str()).bind(*id);
        }
        q.fetch_all(p).await?
    });
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = if more { rows.last().map(|r| (r.at, r.kind, r.id)) } else { None };
    Ok((rows, next))
}

/// The kinds `actor` may decide (a staff member does not see instructor
/// applications: approving one grants a role).
fn visible(actor: &Actor, only: Option<QueueKind>) -> Vec<QueueKind> {
    QueueKind::ALL.iter().copied().filter(|k| only.is_none_or(|o| o == *k) && actor.roles.can(k.needs())).collect()
}

/// Items waiting, per kind `actor` may decide, for the header's tabs.
pub async fn counts(db: &Db, actor: &Actor) -> Result<Vec<(QueueKind, i64)>> {
    let mut out = Vec::new();
    for k in visible(actor, None) {
        let sql = match k {
            QueueKind::Post => "SELECT COUNT(*) FROM posts WHERE status = 'pending'",
            QueueKind::Testimonial => "SELECT COUNT(*) FROM testimonials WHERE status = 'pending'",
            QueueKind::InstructorApplication => "SELECT COUNT(*) FROM instructor_applications WHERE status = 'pending'",
            QueueKind::Application => "SELECT COUNT(*) FROM applications WHERE status = 'pending'",
            QueueKind::Review => "SELECT COUNT(*) FROM reviews WHERE status = 'new'",
            QueueKind::Comment => "SELECT COUNT(*) FROM comments WHERE status = 'visible' AND reviewed_at IS NULL",
        };
        let n: i64 = with_db!(db, p => sqlx::query_scalar(sql).fetch_one(p).await?);
        out.push((k, n));
    }
    Ok(out)
}

/// The preview of one item.
pub async fn preview(db: &Db, kind: QueueKind, id: i64) -> Result<Preview> {
    let mut fields = Vec::new();
    let text = match kind {
        QueueKind::Post => {
            type Row = (String, Option<String>, String, String, Option<String>);
            let row: Option<Row> = with_db!(db, p => {
                sqlx::query_as(
                    "SELECT p.title, p.excerpt, p.content, p.post_type, u.full_name FROM posts p \
                     LEFT JOIN users u ON u.id = p.author_id WHERE p.id = $1",
                )
                .bind(id)
                .fetch_optional(p)
                .await?
            });
            let (title, excerpt, content, post_type, author) = row.ok_or_else(|| StoreError::not_found("post", id))?;
            fields.push(("title".into(), title));
            fields.push(("type".into(), post_type.replace('_', " ")));
            fields.push(("author".into(), author.unwrap_or_default()));
            if let Some(e) = excerpt {
                fields.push(("excerpt".into(), e));
            }
            content
        }
        QueueKind::Testimonial => {
            type Row = (String, Option<String>, String, Option<i64>, String, Option<String>);
            let row: Option<Row> = with_db!(db, p => {
                sqlx::query_as(
                    "SELECT t.author_name, t.author_role, t.content, t.rating, t.testimonial_type, cs.title \
                     FROM testimonials t LEFT JOIN case_studies cs ON cs.id = t.case_study_id WHERE t.id = $1",
                )
                .bind(id)
                .fetch_optional(p)
                .await?
            });
            let (author, role, content, rating, kind, case) =
                row.ok_or_else(|| StoreError::not_found("testimonial", id))?;
            fields.push(("author".into(), author));
            if let Some(r) = role {
                fields.push(("role".into(), r));
            }
            fields.push(("type".into(), kind));
            if let Some(r) = rating {
                fields.push(("rating".into(), stars(r)));
            }
            fields.push(("case study".into(), case.unwrap_or_else(|| "none linked".into())));
            content
        }
        QueueKind::InstructorApplication => {
            let row: Option<(String, Option<String>, sqlx::types::Json<serde_json::Value>)> = with_db!(db, p => {
                sqlx::query_as(
                    "SELECT u.full_name, u.email, a.application_data FROM instructor_applications a \
                     JOIN users u ON u.id = a.user_id WHERE a.id = $1",
                )
                .bind(id)
                .fetch_optional(p)
                .await?
            });
            let (name, email, data) = row.ok_or_else(|| StoreError::not_found("instructor application", id))?;
            fields.push(("applicant".into(), name));
            fields.push(("email".into(), email.unwrap_or_default()));
            answers(&data.0, &mut fields);
            String::new()
        }
        QueueKind::Application => {
            type Row = (String, Option<String>, Option<String>, String, Option<i64>);
            let row: Option<Row> = with_db!(db, p => {
                sqlx::query_as(
                    "SELECT ap.full_name, ap.email, ap.phone, c.name, c.capacity FROM applications a \
                     JOIN applicants ap ON ap.id = a.applicant_id JOIN cohorts c ON c.id = a.cohort_id WHERE a.id = $1",
                )
                .bind(id)
                .fetch_optional(p)
                .await?
            });
            let (name, email, phone, cohort, cap) = row.ok_or_else(|| StoreError::not_found("application", id))?;
            let subs: Vec<sqlx::types::Json<serde_json::Value>> = with_db!(db, p => {
                sqlx::query_scalar("SELECT answers FROM application_submissions WHERE application_id = $1 ORDER BY id")
                    .bind(id)
                    .fetch_all(p)
                    .await?
            });
            fields.push(("applicant".into(), name));
            fields.push(("email".into(), email.unwrap_or_default()));
            fields.push(("phone".into(), phone.unwrap_or_default()));
            fields.push(("cohort".into(), cohort));
            fields.push(("capacity".into(), cap.map_or("no cap".into(), |c| c.to_string())));
            for s in subs {
                answers(&s.0, &mut fields);
            }
            String::new()
        }
        QueueKind::Review => {
            let row: Option<(String, String, i64, Option<String>)> = with_db!(db, p => {
                sqlx::query_as(
                    "SELECT u.full_name, pr.title, r.rating, r.comment FROM reviews r JOIN users u ON u.id = r.user_id \
                     JOIN programs pr ON pr.id = r.program_id WHERE r.id = $1",
                )
                .bind(id)
                .fetch_optional(p)
                .await?
            });
            let (name, program, rating, comment) = row.ok_or_else(|| StoreError::not_found("review", id))?;
            fields.push(("student".into(), name));
            fields.push(("program".into(), program));
            fields.push(("rating".into(), stars(rating)));
            fields.push(("p".into(), "promotes it to a pending testimonial".into()));
            comment.unwrap_or_default()
        }
        QueueKind::Comment => {
            type Row = (String, String, i64, i64, Option<String>);
            let row: Option<Row> = with_db!(db, p => {
                sqlx::query_as(
                    "SELECT u.full_name, p.title, c.reports, c.upvotes, parent.content FROM comments c \
                     JOIN users u ON u.id = c.author_id JOIN posts p ON p.id = c.post_id \
                     LEFT JOIN comments parent ON parent.id = c.parent_id WHERE c.id = $1",
                )
                .bind(id)
                .fetch_optional(p)
                .await?
            });
            let (name, post, reports, upvotes, parent) = row.ok_or_else(|| StoreError::not_found("comment", id))?;
            let content: String = with_db!(db, p => {
                sqlx::query_scalar("SELECT content FROM comments WHERE id = $1").bind(id).fetch_one(p).await?
            });
            fields.push(("author".into(), name));
            fields.push(("on the post".into(), post));
            fields.push(("reported".into(), if reports == 0 { "no".into() } else { format!("{reports} times") }));
            fields.push(("upvotes".into(), upvotes.to_string()));
            if let Some(p) = parent {
                fields.push(("in reply to".into(), p.chars().take(200).collect()));
            }
            fields.push(("a / h".into(), "a keeps it (seen); h hides it".into()));
            content
        }
    };
    Ok(Preview { kind, id, text, fields })
}

/// A rating as five stars.
fn stars(r: i64) -> String {
    format!("{}{}", "★".repeat(r.clamp(0, 5) as usize), "☆".repeat((5 - r).clamp(0, 5) as usize))
}

/// A form's answers as labelled fields (nested values as their JSON text).
fn answers(data: &serde_json::Value, fields: &mut Vec<(String, String)>) {
    if let Some(map) = data.as_object() {
        for (k, v) in map {
            let v = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => "—".into(),
                serde_json::Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
                other => other.to_string(),
            };
            fields.push((k.replace('_', " "), v));
        }
    }
}

/// A decision on one item (a domain type: the feedback module decides with it too,
/// without importing this one back).
pub use crate::domain::moderation::Decision;

/// Decides one item; the line says what was done.
pub async fn decide(
    db: &Db,
    actor: &Actor,
    kind: QueueKind,
    id: i64,
    version: i64,
    decision: &Decision,
) -> Result<String> {
    actor.require(kind.needs())?;
    if let Decision::Reject(r) = decision
        && r.trim().is_empty()
    {
        return Err(StoreError::invalid("reason", "a rejection needs a reason; nothing was changed"));
    }
    match (kind, decision) {
        (QueueKind::Post, Decision::Approve) => {
            let p = super::content::move_post(db, actor, id, version, PostStatus::Approved, None).await?;
            Ok(format!("post \"{}\" approved", p.title))
        }
        (QueueKind::Post, Decision::Reject(r)) => {
            let p = super::content::move_post(db, actor, id, version, PostStatus::Rejected, Some(r)).await?;
            Ok(format!("post \"{}\" rejected", p.title))
        }
        (QueueKind::Testimonial, Decision::Approve | Decision::Reject(_)) => {
            let reason = match decision {
                Decision::Reject(r) => Some(r.as_str()),
                _ => None,
            };
            let approve = *decision == Decision::Approve;
            let t = super::content::moderate_testimonial(db, actor, id, version, approve, reason).await?;
            Ok(format!("testimonial by {} {}", t.author_name, if approve { "approved" } else { "rejected" }))
        }
        (QueueKind::InstructorApplication, Decision::Approve | Decision::Reject(_)) => {
            instructor_application(db, actor, id, version, decision).await
        }
        (QueueKind::Application, Decision::Approve | Decision::Reject(_) | Decision::Waitlist) => {
            application(db, actor, id, version, decision).await
        }
        (QueueKind::Review, Decision::Approve | Decision::Reject(_) | Decision::Promote) => {
            super::moderation_feedback::review(db, actor, id, version, decision).await
        }
        (QueueKind::Comment, Decision::Approve | Decision::Hide | Decision::Unhide) => {
            super::moderation_feedback::comment(db, actor, id, version, decision).await
        }
        (QueueKind::Comment, Decision::Reject(_)) => {
            Err(StoreError::refused("a comment is not rejected: h hides it (it stays for the record)"))
        }
        (_, Decision::Waitlist) => Err(StoreError::refused("only an application to a cohort goes to a waitlist")),
        (_, Decision::Hide | Decision::Unhide) => Err(StoreError::refused("only a comment is hidden or shown")),
        (_, Decision::Promote) => Err(StoreError::refused("only a course review is promoted to a testimonial")),
    }
}

/// Records a review decision on an application row of `table` (one of this
/// module's table names, never user input): status, reason, who and when.
async fn reviewed(
    tx: &mut Tx,
    table: &'static str,
    id: i64,
    to: &str,
    reason: Option<&str>,
    actor: &Actor,
    at: DateTime<Utc>,
) -> Result<()> {
    let sql = format!(
        "UPDATE {table} SET status = $2, rejection_reason = $3, reviewed_by = $4, reviewed_at = $5, \
         version = version + 1, updated_at = $5 WHERE id = $1"
    );
    with_tx!(tx, c => {
        sqlx::query(&sql).bind(id).bind(to).bind(reason).bind(actor.user_id).bind(at).execute(&mut *c).await?;
    });
    Ok(())
}

/// Approving sets the user's instructor flag in the same transaction.
async fn instructor_application(db: &Db, actor: &Actor, id: i64, version: i64, d: &Decision) -> Result<String> {
    let mut tx = db.begin().await?;
    let row: Option<(i64, String, i64, String)> = with_tx!(&mut tx, c => {
        sqlx::query_as(
            "SELECT a.user_id, a.status, a.version, u.full_name FROM instructor_applications a \
             JOIN users u ON u.id = a.user_id WHERE a.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
    });
    let (user_id, status, v, name) = row.ok_or_else(|| StoreError::not_found("instructor application", id))?;
    if v != version {
        return Err(audit::conflict(&mut tx, "this instructor application", "instructor_application", id).await);
    }
    if status != "pending" {
        return Err(StoreError::refused(format!("{name}'s application was {status} already")));
    }
    let (to, reason) = match d {
        Decision::Reject(r) => ("rejected", Some(crate::domain::contact::clean(r))),
        _ => ("approved", None),
    };
    let at = now();
    reviewed(&mut tx, "instructor_applications", id, to, reason.as_deref(), actor, at).await?;
    let action = if to == "approved" { "approve" } else { "reject" };
    let change =
        Change::new(action, "instructor_application", Some(id), format!("{to} {name}'s instructor application"))
            .diff(&json!({"status": "pending"}), &json!({"status": to, "rejection_reason": reason}));
    audit::record(&mut tx, actor, change).await?;
    if to == "approved" {
        with_tx!(&mut tx, c => {
            sqlx::query("UPDATE users SET is_instructor = $2, version = version + 1, updated_at = $3 WHERE id = $1")
                .bind(user_id)
                .bind(true)
                .bind(at)
                .execute(&mut *c)
                .await?;
        });
        let change =
            Change::new("update", "user", Some(user_id), format!("{name} is an instructor (application approved)"))
                .diff(&json!({"is_instructor": false}), &json!({"is_instructor": true}));
        audit::record(&mut tx, actor, change).await?;
    }
    tx.commit().await?;
    Ok(format!("{name}'s instructor application {to}"))
}

/// A cohort application: approve (account if new + enrolment within capacity),
/// reject with a reason, or waitlist.
async fn application(db: &Db, actor: &Actor, id: i64, version: i64, d: &Decision) -> Result<String> {
    let mut tx = db.begin().await?;
    type Row = (i64, i64, String, i64, String, Option<String>, Option<String>);
    let row: Option<Row> = with_tx!(&mut tx, c => {
        sqlx::query_as(
            "SELECT a.cohort_id, a.applicant_id, a.status, a.version, ap.full_name, ap.email, ap.phone \
             FROM applications a JOIN applicants ap ON ap.id = a.applicant_id WHERE a.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
    });
    let (cohort_id, _, status, v, name, email, phone) = row.ok_or_else(|| StoreError::not_found("application", id))?;
    if v != version {
        return Err(audit::conflict(&mut tx, "this application", "application", id).await);
    }
    if !matches!(status.as_str(), "pending" | "waitlisted") {
        return Err(StoreError::refused(format!("{name}'s application was {status} already")));
    }
    let at = now();
    let (to, reason) = match d {
        Decision::Approve => ("approved", None),
        Decision::Reject(r) => ("rejected", Some(crate::domain::contact::clean(r))),
        _ => ("waitlisted", None),
    };
    let mut said = format!("{name}'s application {to}");
    if to == "approved" {
        let enrolled = enroll_applicant(&mut tx, actor, id, cohort_id, &name, email, phone, at).await?;
        said = format!("{name} approved and enrolled in {enrolled}");
    }
    reviewed(&mut tx, "applications", id, to, reason.as_deref(), actor, at).await?;
    let action = match to {
        "approved" => "approve",
        "rejected" => "reject",
        _ => "waitlist",
    };
    let change = Change::new(action, "application", Some(id), said.clone())
        .diff(&json!({"status": status}), &json!({"status": to, "rejection_reason": reason}));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(said)
}

/// The enrolment an approval creates, within capacity: the cohort row is locked
/// first, seats counted, the student's account found by email or created. Returns
/// the cohort's name. A full cohort is refused by name.
#[allow(clippy::too_many_arguments)]
async fn enroll_applicant(
    tx: &mut Tx,
    actor: &Actor,
    application_id: i64,
    cohort_id: i64,
    name: &str,
    email: Option<String>,
    phone: Option<String>,
    at: DateTime<Utc>,
) -> Result<String> {
    let cohort: Option<(String, Option<i64>)> = with_tx!(tx, c => {
        sqlx::query_as("UPDATE cohorts SET capacity = capacity WHERE id = $1 RETURNING name, capacity")
            .bind(cohort_id)
            .fetch_optional(&mut *c)
            .await?
    });
    let (cohort, cap) = cohort.ok_or_else(|| StoreError::not_found("cohort", cohort_id))?;
    let taken: i64 = with_tx!(tx, c => {
        sqlx::query_scalar("SELECT COUNT(*) FROM enrollments WHERE cohort_id = $1 AND status IN ('active', 'pending')")
            .bind(cohort_id)
            .fetch_one(&mut *c)
            .await?
    });
    capacity::check(cap, taken, 1).map_err(|full| {
        StoreError::refused(format!("{cohort} is {full}; put the application on the waitlist (w) instead"))
    })?;
    let email = email.map(|e| e.trim().to_lowercase()).filter(|e| !e.is_empty());
    let existing: Option<i64> = match &email {
        Some(e) => with_tx!(tx, c => {
            sqlx::query_scalar("SELECT id FROM users WHERE lower(email) = $1").bind(e).fetch_optional(&mut *c).await?
        }),
        None => None,
    };
    let user_id = match existing {
        Some(id) => id,
        None => {
            let id: i64 = with_tx!(tx, c => {
                sqlx::query_scalar(
                    "INSERT INTO users (email, phone, full_name, is_student, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
                )
                .bind(&email)
                .bind(&phone)
                .bind(name)
                .bind(true)
                .bind(at)
                .fetch_one(&mut *c)
                .await?
            });
            let change = Change::new(
                "create",
                "user",
                Some(id),
                format!("created the student account of {name} (application approved)"),
            )
            .with_new(json!({"id": id, "email": email, "full_name": name, "is_student": true}));
            audit::record(tx, actor, change).await?;
            id
        }
    };
    let enrollment: i64 = with_tx!(tx, c => {
        sqlx::query_scalar(
            "INSERT INTO enrollments (user_id, cohort_id, application_id, status, enrolled_at, created_at, updated_at) \
             VALUES ($1, $2, $3, 'active', $4, $4, $4) RETURNING id",
        )
        .bind(user_id)
        .bind(cohort_id)
        .bind(application_id)
        .bind(at)
        .fetch_one(&mut *c)
        .await
        .map_err(|e| match StoreError::from(e) {
            StoreError::Invalid { .. } => StoreError::refused(format!("{name} is enrolled in {cohort} already")),
            other => other,
        })?
    });
    let change = Change::new("create", "enrollment", Some(enrollment), format!("enrolled {name} in {cohort} (application approved)"))
        .with_new(json!({"id": enrollment, "user_id": user_id, "cohort_id": cohort_id, "application_id": application_id, "status": "active"}));
    audit::record(tx, actor, change).await?;
    Ok(cohort)
}
