//! Enrollments (active + pending never exceed a cohort's capacity) and payments,
//! including the one refund.

use super::academy::{Catalog, Cohort};
use super::applications::Applications;
use super::people::{People, Person};
use super::{Ctx, audit_diff, audit_new, exec, insert};
use crate::domain::capacity;
use crate::store::{Result, StoreError, Tx};
use chrono::Duration;
use serde_json::json;

/// One enrollment as later areas need it.
#[derive(Debug, Clone)]
pub(super) struct Enr {
    pub id: i64,
    pub who: Person,
    pub status: &'static str,
}

pub(super) struct Enrollments {
    pub running: Vec<Enr>,
    pub completed: Vec<Enr>,
    pub open: Vec<Enr>,
    pub running_cohort: Cohort,
    pub completed_cohort: Cohort,
    pub open_cohort: Cohort,
}

/// Planned enrollment: who, status, progress, tags, notes, approved application.
type Plan<'a> = (&'a Person, &'static str, i64, serde_json::Value, Option<&'a str>, Option<i64>);

pub(super) async fn enrollments(
    tx: &mut Tx,
    ctx: &Ctx,
    cat: &Catalog,
    people: &People,
    apps: &Applications,
) -> Result<Enrollments> {
    let s = |i| people.s(i);
    // Enrollments made by approving an application point back to it.
    let app = |i| apps.approved.iter().find(|(s, _)| *s == i).map(|(_, id)| *id);
    #[rustfmt::skip]
    let running: Vec<Plan> = vec![
        (s(0), "active", 68, json!(["top_performer"]), None, None),
        (s(1), "active", 61, json!([]), None, None),
        (s(2), "active", 34, json!(["needs_help"]), Some("Missed several sessions; instructor to check in."), None),
        (s(3), "active", 64, json!([]), None, None),
        (s(4), "active", 38, json!(["needs_help", "slow_learner"]), Some("Works night shifts twice a week."), None),
        (s(5), "active", 66, json!([]), Some("Pays in USD from abroad."), None),
        (s(6), "active", 59, json!([]), None, None),
        (s(7), "active", 63, json!(["active_communicator"]), None, None),
        (s(8), "paused", 25, json!([]), Some("Paused: family emergency; resumes with the next cohort."), None),
        (s(9), "dropped", 10, json!([]), Some("Dropped in week 2; refunded 75 %."), None),
        (s(10), "pending", 0, json!([]), Some("Waiting for the first payment."), None),
    ];
    #[rustfmt::skip]
    let completed: Vec<Plan> = vec![
        (s(11), "completed", 100, json!(["top_performer"]), None, None),
        (s(12), "completed", 100, json!([]), None, None),
        (s(13), "completed", 100, json!([]),
            Some("Certificate revoked: name misspelt; a corrected one is being issued."), None),
        (&people.assistant, "completed", 100, json!(["top_performer", "active_communicator"]),
            Some("Now assistant instructor."), None),
        (s(14), "dropped", 30, json!([]), Some("Dropped after a plagiarised project; ban expired."), None),
    ];
    #[rustfmt::skip]
    let open: Vec<Plan> = vec![
        (s(12), "active", 0, json!([]), None, app(12)),
        (s(13), "active", 0, json!([]), None, app(13)),
        (s(14), "pending", 0, json!([]), Some("Second chance after an expired ban."), app(14)),
    ];
    let running_e = enroll_all(tx, ctx, &cat.running, running, -52).await?;
    let completed_e = enroll_all(tx, ctx, &cat.completed, completed, -125).await?;
    let open_e = enroll_all(tx, ctx, &cat.open, open, -10).await?;
    Ok(Enrollments {
        running: running_e,
        completed: completed_e,
        open: open_e,
        running_cohort: cat.running.clone(),
        completed_cohort: cat.completed.clone(),
        open_cohort: cat.open.clone(),
    })
}

async fn enroll_all(tx: &mut Tx, ctx: &Ctx, cohort: &Cohort, plans: Vec<Plan<'_>>, day: i64) -> Result<Vec<Enr>> {
    let admin = &ctx.admin;
    let mut out = Vec::new();
    let mut seats = 0;
    for (n, (who, status, progress, tags, notes, application)) in plans.into_iter().enumerate() {
        // Capacity: active + pending never exceed the cohort's capacity.
        if matches!(status, "active" | "pending") {
            capacity::check(Some(cohort.capacity), seats, 1)
                .map_err(|full| StoreError::Other(format!("demo data: {} is {full}", cohort.name)))?;
            seats += 1;
        }
        let enrolled = ctx.days_ago(-day) + Duration::hours(n as i64 * 5);
        let done = status == "completed";
        let ended = ctx.days_ago(56);
        let certificate = done.then(|| format!("SR-FS6-{:04}", 1001 + n));
        let revoked = (done && notes.is_some_and(|t| t.starts_with("Certificate revoked"))).then(|| ctx.days_ago(20));
        let (banned, ban_reason, ban_until) = if status == "dropped" && day < -100 {
            (true, Some("Submitted a copied capstone project."), Some(ctx.days_ago(10)))
        } else {
            (false, None, None)
        };
        let changed = status != "active" && status != "pending";
        let id = insert(tx, "enrollments", cols![
            "user_id" => who.id, "cohort_id" => cohort.id, "application_id" => application, "status" => status,
            "progress" => progress, "enrolled_at" => enrolled, "completed_at" => done.then_some(ended),
            "certificate_issued_at" => certificate.as_ref().map(|_| ended + Duration::days(2)),
            "certificate_code" => certificate.clone(), "certificate_revoked_at" => revoked,
            "banned" => banned, "ban_reason" => ban_reason, "ban_until" => ban_until,
            "tags" => tags, "notes" => notes, "version" => if changed { 2 } else { 1 },
            "created_at" => enrolled, "updated_at" => if changed { ctx.days_ago(30).max(enrolled) } else { enrolled },
        ])
        .await?;
        let first = if status == "pending" { "pending" } else { "active" };
        audit_new(
            tx,
            &admin.actor,
            "create",
            "enrollment",
            id,
            format!("enrolled {} in {}", who.name, cohort.name),
            json!({"id": id, "user_id": who.id, "cohort_id": cohort.id, "status": first,
                "application_id": application}),
        )
        .await?;
        if changed {
            audit_diff(
                tx,
                &admin.actor,
                "status_change",
                "enrollment",
                id,
                format!("moved the enrollment of {} in {} from active to {status}", who.name, cohort.name),
                json!({"id": id, "status": "active"}),
                json!({"id": id, "status": status, "certificate_code": certificate}),
            )
            .await?;
        }
        out.push(Enr { id, who: who.clone(), status });
    }
    Ok(out)
}

fn money(minor: i64, currency: &str) -> String {
    format!("{}.{:02} {currency}", minor / 100, minor % 100)
}

pub(super) async fn payments(tx: &mut Tx, ctx: &Ctx, enr: &Enrollments) -> Result<()> {
    let r = |i: usize| enr.running.get(i);
    let c = |i: usize| enr.completed.get(i);
    let o = |i: usize| enr.open.get(i);
    let full = 4_500_000;
    let half = 2_250_000;
    // (enrollment, amount, currency, provider, provider id, status, days ago, metadata)
    #[rustfmt::skip]
    let rows = [
        (r(0), full, "EGP", "paymob", Some("PMB-70001"), "completed", 50,
            json!({"method": "card", "installment": 1, "of": 1})),
        (r(1), half, "EGP", "paymob", Some("PMB-70002"), "completed", 50,
            json!({"method": "card", "installment": 1, "of": 2})),
        (r(1), half, "EGP", "paymob", Some("PMB-70003"), "completed", 20,
            json!({"method": "card", "installment": 2, "of": 2})),
        (r(2), half, "EGP", "paymob", Some("PMB-70004"), "completed", 49,
            json!({"method": "wallet", "installment": 1, "of": 2})),
        (r(2), half, "EGP", "paymob", Some("PMB-70005"), "pending", 2,
            json!({"method": "wallet", "installment": 2, "of": 2})),
        (r(3), full, "EGP", "manual", None, "completed", 51,
            json!({"method": "bank_transfer", "reference": "TRX-88812"})),
        (r(4), full, "EGP", "paymob", Some("PMB-70011"), "failed", 48,
            json!({"method": "card", "error": "card_declined"})),
        (r(4), full, "EGP", "paymob", Some("PMB-70012"), "completed", 47, json!({"method": "card"})),
        (r(5), 90_000, "USD", "stripe", Some("pi_demo_3Nx81"), "completed", 52,
            json!({"method": "card", "country": "GB"})),
        (r(6), full, "EGP", "manual", None, "completed", 50, json!({"method": "cash", "receipt": "R-1042"})),
        (r(7), full, "EGP", "paymob", Some("PMB-70020"), "completed", 49, json!({"method": "card"})),
        (r(8), full, "EGP", "paymob", Some("PMB-70021"), "completed", 50, json!({"method": "card"})),
        (r(9), full, "EGP", "paymob", Some("PMB-70022"), "completed", 51, json!({"method": "card"})),
        (r(10), full, "EGP", "paymob", Some("PMB-70030"), "pending", 1, json!({"method": "card"})),
        (c(0), full, "EGP", "paymob", Some("PMB-60001"), "completed", 126, json!({"method": "card"})),
        (c(1), full, "EGP", "paymob", Some("PMB-60002"), "completed", 126, json!({"method": "card"})),
        (c(2), full, "EGP", "manual", None, "completed", 125,
            json!({"method": "bank_transfer", "reference": "TRX-70114"})),
        (c(3), full, "EGP", "paymob", Some("PMB-60004"), "completed", 124,
            json!({"method": "card", "scholarship": "50 % paid by sponsor"})),
        (c(4), full, "EGP", "paymob", Some("PMB-60005"), "cancelled", 124,
            json!({"method": "card", "reason": "duplicate checkout"})),
        (o(0), 2_400_000, "EGP", "paymob", Some("PMB-80001"), "completed", 5, json!({"method": "card"})),
        (o(1), 2_400_000, "EGP", "paymob", Some("PMB-80002"), "pending", 2, json!({"method": "card"})),
    ];
    let admin = &ctx.admin;
    for (e, amount, currency, provider, pid, status, days, metadata) in rows {
        let Some(e) = e else { continue };
        let at = ctx.days_ago(days);
        let id = insert(
            tx,
            "payments",
            cols![
                "enrollment_id" => e.id, "amount_minor" => amount, "currency" => currency, "provider" => provider,
                "provider_payment_id" => pid, "status" => status, "metadata" => metadata, "created_at" => at,
                "updated_at" => at,
            ],
        )
        .await?;
        audit_new(
            tx,
            &admin.actor,
            "create",
            "payment",
            id,
            format!("recorded a {status} payment of {} by {}", money(amount, currency), e.who.name),
            json!({"id": id, "enrollment_id": e.id, "amount_minor": amount, "currency": currency, "status": status}),
        )
        .await?;
        if e.status == "dropped" && status == "completed" && days < 100 {
            refund(tx, ctx, id, amount, currency, &e.who.name).await?;
        }
    }
    Ok(())
}

/// The one refund: a pro-rated 75 % back to a student who dropped out in week 2.
async fn refund(tx: &mut Tx, ctx: &Ctx, id: i64, amount: i64, currency: &str, name: &str) -> Result<()> {
    let refunded = amount * 3 / 4;
    let reason = "Dropped out in week 2: 75 % pro-rated refund per the refund policy.";
    let at = ctx.days_ago(35);
    exec(
        tx,
        "UPDATE payments SET status = $2, refund_amount_minor = $3, refund_reason = $4, refunded_at = $5, \
         version = version + 1, updated_at = $5 WHERE id = $1",
        cols!["id" => id, "status" => "refunded", "refund" => refunded, "reason" => reason, "at" => at],
    )
    .await?;
    audit_diff(
        tx,
        &ctx.admin.actor,
        "refund",
        "payment",
        id,
        format!("refunded {} of {} to {name}", money(refunded, currency), money(amount, currency)),
        json!({"id": id, "status": "completed", "refund_amount_minor": null, "refund_reason": null}),
        json!({"id": id, "status": "refunded", "refund_amount_minor": refunded, "refund_reason": reason}),
    )
    .await
}
