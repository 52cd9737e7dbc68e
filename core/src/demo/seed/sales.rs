//! Contact messages (one converted into a lead), service packages with EGP and USD
//! prices, mentorships and code-review requests.

use super::leads::Leads;
use super::people::People;
use super::{Ctx, audit_diff, audit_new, insert, insert_row};
use crate::demo::assets::nth;
use crate::domain::lead::LeadStatus::ClosedWon;
use crate::store::{Result, Tx};
use chrono::Duration;
use serde_json::json;

pub(super) async fn contact_messages(tx: &mut Tx, ctx: &Ctx, leads: &Leads) -> Result<()> {
    let (staff, admin) = (Some(ctx.staff.id), Some(ctx.admin.id));
    // (name, email, phone, subject, message, status, assigned to, days ago)
    type Row = (
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        &'static str,
        &'static str,
        &'static str,
        Option<i64>,
        i64,
    );
    #[rustfmt::skip]
    let rows: [Row; 12] = [
        ("Rania Fawzy", Some("rania.fawzy@example.com"), None, "Evening classes?", nth(&ctx.a.leads.messages_en, 1),
            "resolved", staff, 12),
        ("Bassem Youssef", Some("bassem@hackclub.example.org"), None, "Hackathon partnership",
            "We'd like your students as mentors at our spring hackathon.", "in_progress", admin, 9),
        ("ياسمين علي", Some("yasmin.ali@example.com"), Some("+201009998877"), "استفسار عن الأسعار",
            "ما هي أسعار برنامج تحليل البيانات؟ وهل يوجد خصم للطلاب؟", "new", None, 1),
        ("John Miller", Some("john.miller@example.com"), None, "Refund policy",
            "What is your refund policy if I have to stop halfway?", "in_progress", staff, 4),
        ("Hoda Nabil", None, Some("+201223344556"), "Call me back",
            "Please call me after 6 pm, I have questions about the UI/UX program.", "new", None, 0),
        ("Samir Gad", Some("samir.gad@example.com"), None, "Siblings discount",
            "Is there a payment plan for two siblings joining together?", "resolved", admin, 30),
        ("Prize Team", Some("win@prizes.example"), None, "You won!!!", "Claim your prize 🎁 click here now",
            "resolved", staff, 20),
        ("Aya Fathy", Some("aya.fathy@example.com"), None, "Application status",
            "I applied to the UI/UX cohort last week, any news?", "in_progress", staff, 3),
        ("Mark Lee", Some("mark.lee@corp.example.com"), None, "Corporate training",
            "We need a 3-day React workshop for 15 engineers.", "new", None, 2),
        ("سلمى حسن", Some("salma.hassan@example.com"), None, "شهادة التخرج", "متى أستلم شهادة التخرج؟ شكراً ❤️",
            "resolved", staff, 45),
        ("Ola Sherif", Some("ola.sherif@example.com"), None, "Campus location",
            "Where exactly is the campus? Is there parking?", "in_progress", staff, 5),
        ("Nader Fathi", Some("nader.fathi@example.com"), None, "Website bug",
            "The apply button does nothing on Safari 🐛", "new", None, 0),
    ];
    for (name, email, phone, subject, message, status, assigned, days) in rows {
        let created = ctx.days_ago(days) - Duration::hours(3);
        let resolved = (status == "resolved").then(|| created + Duration::days(1));
        // The first message was turned into a lead: it points to it.
        let lead = if name == "Rania Fawzy" { leads.by_name(name) } else { None };
        let id = insert(
            tx,
            "contact_messages",
            cols![
                "name" => name, "email" => email, "phone" => phone, "subject" => subject, "message" => message,
                "status" => status,
                "assigned_to" => assigned, "resolved_at" => resolved, "lead_id" => lead,
                "version" => if status == "new" { 1 } else { 2 }, "created_at" => created,
                "updated_at" => resolved.unwrap_or(created),
            ],
        )
        .await?;
        let actor = if assigned == admin { &ctx.admin.actor } else { &ctx.staff.actor };
        if let Some(lead_id) = lead {
            audit_diff(
                tx,
                actor,
                "update",
                "contact_message",
                id,
                format!("converted the message from {name} into lead #{lead_id}"),
                json!({"id": id, "status": "new", "lead_id": null}),
                json!({"id": id, "status": status, "lead_id": lead_id}),
            )
            .await?;
        } else if status != "new" {
            audit_diff(
                tx,
                actor,
                "status_change",
                "contact_message",
                id,
                format!("moved the message from {name} from new to {status}"),
                json!({"id": id, "status": "new"}),
                json!({"id": id, "status": status}),
            )
            .await?;
        }
    }
    Ok(())
}

/// Service packages with EGP and USD prices, mentorships, code-review requests.
pub(super) async fn offers(tx: &mut Tx, ctx: &Ctx, people: &People, leads: &Leads) -> Result<()> {
    packages(tx, ctx).await?;
    let admin = &ctx.admin;
    // A student's monthly mentorship, and a weekly one sold to a converted lead.
    let id = insert(tx, "mentorships", cols![
        "user_id" => people.s(6).id, "plan_type" => "monthly", "price_minor" => 300_000, "currency" => "EGP",
        "sessions_per_month" => 4, "focus_area" => "Interview preparation and React", "start_date" => ctx.day(-50),
        "end_date" => ctx.day(40), "status" => "active", "sessions_completed" => 7, "next_session_at" => ctx.in_days(2),
        "created_at" => ctx.days_ago(52), "updated_at" => ctx.days_ago(5),
    ])
    .await?;
    audit_new(
        tx,
        &admin.actor,
        "create",
        "mentorship",
        id,
        format!("started a monthly mentorship for {}", people.s(6).name),
        json!({"id": id, "user_id": people.s(6).id, "plan_type": "monthly", "status": "active"}),
    )
    .await?;
    if let Some(lead) = leads.by_name("Mai Adel") {
        let id = insert(
            tx,
            "mentorships",
            cols![
                "lead_id" => lead, "plan_type" => "weekly", "price_minor" => 6_000, "currency" => "USD",
                "sessions_per_month" => 4,
                "focus_area" => "Career switch: from marketing to front-end", "start_date" => ctx.day(-20),
                "status" => "paused",
                "sessions_completed" => 2, "version" => 2, "created_at" => ctx.days_ago(21),
                "updated_at" => ctx.days_ago(6),
            ],
        )
        .await?;
        audit_new(
            tx,
            &admin.actor,
            "create",
            "mentorship",
            id,
            "started a weekly mentorship for Mai Adel".into(),
            json!({"id": id, "lead_id": lead, "plan_type": "weekly", "status": "active"}),
        )
        .await?;
        audit_diff(
            tx,
            &admin.actor,
            "status_change",
            "mentorship",
            id,
            "paused the mentorship of Mai Adel (travelling)".into(),
            json!({"id": id, "status": "active"}),
            json!({"id": id, "status": "paused"}),
        )
        .await?;
    }
    code_reviews(tx, ctx, leads).await
}

async fn packages(tx: &mut Tx, ctx: &Ctx) -> Result<()> {
    // (slug, name, audience, weeks, active, EGP, USD, features, deliverables)
    #[rustfmt::skip]
    let rows = [
        ("mentorship-1-1", "1:1 Mentorship", "student", 4, true, 300_000, 6_000,
            json!(["Weekly 60-minute call", "Personal learning roadmap", "Chat support between calls"]),
            json!(["Learning plan", "Mock interview with feedback"])),
        ("code-review", "Code Review", "both", 1, true, 150_000, 3_000,
            json!(["Review of one repository", "Recorded video walkthrough"]),
            json!(["Written report", "Video review"])),
        ("mvp-sprint", "MVP Sprint", "client", 6, true, 25_000_000, 500_000,
            json!(["Discovery workshop", "Design and build", "Weekly demos"]),
            json!(["Deployed MVP", "Source code", "Handover session"])),
        ("landing-page", "Landing Page in a Week", "client", 1, false, 4_000_000, 80_000,
            json!(["Copy review", "Responsive build"]), json!(["Live landing page"])),
    ];
    for (order, (slug, name, audience, weeks, active, egp, usd, features, deliverables)) in rows.into_iter().enumerate()
    {
        let id = insert(
            tx,
            "service_packages",
            cols![
                "slug" => slug, "name" => name, "description" => format!("{name}: see the features and deliverables."),
                "features" => features, "deliverables" => deliverables, "target_audience" => audience,
                "duration_weeks" => weeks,
                "is_active" => active, "display_order" => order as i64 + 1, "created_at" => ctx.days_ago(300),
                "updated_at" => ctx.days_ago(60),
            ],
        )
        .await?;
        // The same package in both currencies (seed 000's EGP + USD pair).
        for (currency, amount) in [("EGP", egp), ("USD", usd)] {
            insert_row(
                tx,
                "service_package_prices",
                cols!["package_id" => id, "currency" => currency, "amount_minor" => amount],
            )
            .await?;
        }
        audit_new(
            tx,
            &ctx.admin.actor,
            "create",
            "service_package",
            id,
            format!("created service package {name}"),
            json!({"id": id, "slug": slug, "prices": {"EGP": egp, "USD": usd}}),
        )
        .await?;
    }
    Ok(())
}

async fn code_reviews(tx: &mut Tx, ctx: &Ctx, leads: &Leads) -> Result<()> {
    let lina = &ctx.instructor;
    // (lead, name, email, type, urls, status, paid, days ago)
    #[rustfmt::skip]
    let rows = [
        (leads.by_name("Dina Samir"), "Dina Samir", "dina.samir@example.com", "project_code",
            json!(["https://github.com/dina-demo/shop-api"]), "pending", false, 1),
        (None, "Mostafa Amin", "mostafa.amin@example.com", "github_profile",
            json!(["https://github.com/mostafa-demo"]), "in_review", true, 4),
        (leads.with_status(ClosedWon).first().copied(), "Mai Adel", "mai.adel@example.com", "ui_review",
            json!(["https://mai-portfolio.example.dev", "https://www.figma.com/file/demo"]), "completed", true, 15),
        (None, "Hazem Ali", "hazem.ali@example.com", "linkedin_profile",
            json!(["https://www.linkedin.com/in/hazem-demo"]), "cancelled", false, 25),
    ];
    for (lead, name, email, kind, urls, status, paid, days) in rows {
        let created = ctx.days_ago(days);
        let done = status == "completed";
        let id = insert(
            tx,
            "code_review_requests",
            cols![
                "lead_id" => lead, "requester_name" => name, "requester_email" => email, "review_type" => kind,
                "urls" => urls,
                "description" => "Please review structure, naming and accessibility.", "status" => status,
                "price_minor" => 150_000, "currency" => "EGP", "paid" => paid,
                "review_notes" => done.then_some("Strong visuals; fix the colour contrast and add alt texts."),
                "video_review_url" => done.then_some("https://video.example.org/reviews/mai-adel"),
                "completed_at" => done.then(|| created + Duration::days(3)),
                "version" => if status == "pending" { 1 } else { 2 }, "created_at" => created,
                "updated_at" => if status == "pending" { created } else { created + Duration::days(3) },
            ],
        )
        .await?;
        if status != "pending" {
            audit_diff(
                tx,
                &lina.actor,
                "status_change",
                "code_review_request",
                id,
                format!("moved the code review for {name} from pending to {status}"),
                json!({"id": id, "status": "pending"}),
                json!({"id": id, "status": status}),
            )
            .await?;
        }
    }
    Ok(())
}
