//! The application form (dynamic fields), applicants, and applications in every
//! status with their submitted answers.

use super::academy::{Catalog, Cohort};
use super::{Ctx, audit_diff, audit_new, insert};
use crate::store::{Result, Tx};
use chrono::Duration;
use serde_json::json;

/// Approved applications, by student index (they become enrollments).
pub(super) struct Applications {
    pub approved: Vec<(usize, i64)>,
}

pub(super) async fn applications(tx: &mut Tx, ctx: &Ctx, cat: &Catalog) -> Result<Applications> {
    let form = application_form(tx, ctx).await?;
    let staff = &ctx.staff;
    // (student index if the applicant is already a student, name, email, phone, cohort, status, days ago)
    type Row<'a> = (Option<usize>, &'a str, Option<&'a str>, Option<&'a str>, &'a Cohort, &'a str, i64);
    #[rustfmt::skip]
    let rows: [Row<'_>; 8] = [
        (Some(12), "Lucas Rossi", Some("lucas.rossi@demo.staffroom.test"), None, &cat.open, "approved", 18),
        (Some(13), "Fatima Okafor", Some("fatima.okafor@demo.staffroom.test"), Some("+2348012345678"), &cat.open,
            "approved", 16),
        (Some(14), "Zeynep Yilmaz", Some("zeynep.yilmaz@demo.staffroom.test"), None, &cat.open, "approved", 12),
        (None, "Omar Khaled", Some("omar.khaled@example.com"), Some("+201001234567"), &cat.open, "rejected", 15),
        (None, "آية فتحي", Some("aya.fathy@example.com"), None, &cat.open, "pending", 8),
        (None, "Daniel Garcia", Some("daniel.garcia@example.org"), None, &cat.open, "pending", 2),
        (None, "Chen Wei", None, Some("+8613800138000"), &cat.soon, "pending", 1),
        (None, "منى إبراهيم", Some("mona.ibrahim@example.com"), Some("+201112223334"), &cat.soon, "waitlisted", 6),
    ];
    let mut approved = Vec::new();
    for (i, (student, name, email, phone, cohort, status, days)) in rows.into_iter().enumerate() {
        let submitted = ctx.days_ago(days) + Duration::hours(i as i64);
        let applicant = insert(
            tx,
            "applicants",
            cols![
                "full_name" => name, "email" => email, "phone" => phone, "created_at" => submitted,
                "updated_at" => submitted,
            ],
        )
        .await?;
        let reviewed = (status != "pending").then(|| submitted + Duration::days(2));
        let id = insert(
            tx,
            "applications",
            cols![
                "cohort_id" => cohort.id, "applicant_id" => applicant, "status" => status,
                "reviewed_by" => reviewed.map(|_| staff.id), "reviewed_at" => reviewed, "submitted_at" => submitted,
                "version" => if reviewed.is_some() { 2 } else { 1 }, "created_at" => submitted,
                "updated_at" => reviewed.unwrap_or(submitted),
            ],
        )
        .await?;
        let background = ["Student", "Employed", "Career changer", "Other"][i % 4];
        let experience = ["None", "Some self-study", "Professional"][i % 3];
        let answers = json!({
            "full_name": name, "email": email, "phone": phone, "background": background, "experience": experience,
            "motivation": if name.is_ascii() {
                "I want to move into product design and build a portfolio that gets me interviews."
            } else {
                "أريد أن أتعلم التصميم بشكل احترافي وأن أبني ملف أعمال قوي 🎨"
            },
            "portfolio_url": format!("https://portfolio.example.org/{}", i + 1),
            "agree_terms": true,
        });
        insert(
            tx,
            "application_submissions",
            cols![
                "application_id" => id, "form_id" => form, "answers" => answers, "created_at" => submitted,
            ],
        )
        .await?;
        if status != "pending" {
            let action = match status {
                "approved" => "approve",
                "rejected" => "reject",
                _ => "status_change",
            };
            audit_diff(
                tx,
                &staff.actor,
                action,
                "application",
                id,
                format!("moved the application of {name} to {} from pending to {status}", cohort.name),
                json!({"id": id, "status": "pending"}),
                json!({"id": id, "status": status}),
            )
            .await?;
        }
        if let (Some(s), "approved") = (student, status) {
            approved.push((s, id));
        }
    }
    Ok(Applications { approved })
}

async fn application_form(tx: &mut Tx, ctx: &Ctx) -> Result<i64> {
    let created = ctx.days_ago(300);
    let form = insert(
        tx,
        "forms",
        cols![
            "key" => "cohort-application", "title" => "Apply to a cohort",
            "description" => "Tell us about yourself; we answer every application within a week.",
            "created_by" => ctx.admin.id, "created_at" => created, "updated_at" => ctx.days_ago(30),
        ],
    )
    .await?;
    // (name, label, type, required, options, placeholder, min, max, enabled)
    type Field = (
        &'static str,
        &'static str,
        &'static str,
        bool,
        serde_json::Value,
        Option<&'static str>,
        Option<i64>,
        Option<i64>,
        bool,
    );
    #[rustfmt::skip]
    let fields: [Field; 11] = [
        ("full_name", "Full name", "text", true, json!([]), None, Some(3), Some(120), true),
        ("email", "Email", "email", true, json!([]), Some("you@example.com"), None, None, true),
        ("phone", "Phone / WhatsApp", "phone", true, json!([]), Some("+20 10 0000 0000"), None, None, true),
        ("background", "Current situation", "select", true, json!(["Student", "Employed", "Career changer", "Other"]),
            None, None, None, true),
        ("experience", "Coding experience", "select", false, json!(["None", "Some self-study", "Professional"]), None,
            None, None, true),
        ("motivation", "Why do you want to join?", "textarea", true, json!([]), None, Some(50), Some(2000), true),
        ("portfolio_url", "Portfolio or GitHub", "text", false, json!([]), Some("https://github.com/…"), None,
            Some(300), true),
        ("preferred_start", "Earliest start date", "date", false, json!([]), None, None, None, true),
        ("cv", "CV (PDF)", "file", false, json!([]), None, None, None, true),
        ("agree_terms", "I accept the terms and the refund policy", "checkbox", true, json!([]), None, None, None,
            true),
        // A retired question stays for old answers but is no longer shown.
        ("referral", "How did you hear about us?", "text", false, json!([]), None, None, None, false),
    ];
    for (i, (name, label, kind, required, options, placeholder, min, max, enabled)) in fields.into_iter().enumerate() {
        insert(
            tx,
            "form_fields",
            cols![
                "form_id" => form, "name" => name, "label" => label, "type" => kind, "required" => required,
                "options" => options,
                "placeholder" => placeholder, "min_length" => min, "max_length" => max, "sort_order" => i as i64 * 10,
                "is_enabled" => enabled,
            ],
        )
        .await?;
    }
    let rsvp = insert(
        tx,
        "forms",
        cols![
            "key" => "open-day-rsvp", "title" => "Open day RSVP", "is_active" => false,
            "created_by" => ctx.staff.id, "created_at" => ctx.days_ago(220), "updated_at" => ctx.days_ago(190),
        ],
    )
    .await?;
    insert(tx, "form_fields", cols!["form_id" => rsvp, "name" => "full_name", "label" => "Name", "required" => true])
        .await?;
    audit_new(
        tx,
        &ctx.admin.actor,
        "create",
        "form",
        form,
        "created form cohort-application (11 fields)".into(),
        json!({"id": form, "key": "cohort-application"}),
    )
    .await?;
    Ok(form)
}
