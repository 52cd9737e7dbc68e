//! Announcements (every audience and status; the automatic one is written with the
//! coming_soon cohort) with read receipts, and the site CMS: pages, home sections,
//! the single site_settings row, theme tokens.

use super::academy::Catalog;
use super::people::People;
use super::{Ctx, audit_diff, audit_new, insert, insert_row};
use crate::store::Result;
use crate::store::Tx;
use serde_json::json;

pub(super) async fn site(tx: &mut Tx, ctx: &Ctx, cat: &Catalog, people: &People) -> Result<()> {
    announcements(tx, ctx, cat, people).await?;
    cms(tx, ctx).await
}

async fn announcements(tx: &mut Tx, ctx: &Ctx, cat: &Catalog, people: &People) -> Result<()> {
    let (admin, lina) = (&ctx.admin, &ctx.instructor);
    let low_attendance = [people.s(2).id, people.s(4).id];
    let running_active: Vec<i64> = [0, 1, 3, 5, 6, 7].iter().map(|i| people.s(*i).id).collect();
    // (title, body, audience, cohort, targets, urgent, status, publish_at / published_at days, author, readers)
    #[rustfmt::skip]
    let rows = [
        ("Room change: next onsite session in Lab 4", "Lab 2 is being rewired; we meet in Lab 4 until further notice.",
            "student", Some(cat.running.id), json!([]), true, "published", Some(-1), lina, running_active.clone()),
        ("Let's talk about attendance",
            "You have missed several sessions. Please book a 10-minute call with me this week.",
            "specific_users", Some(cat.running.id), json!(low_attendance), false, "published", Some(-2), lina,
            vec![people.s(2).id]),
        ("Holiday schedule", "The academy is closed for the national holiday; sessions move as shown in the calendar.",
            "all", None, json!([]), false, "scheduled", Some(5), admin, vec![]),
        ("Grading deadline reminder", "Please grade the component library submissions by Sunday.",
            "instructor", None, json!([]), false, "draft", None, admin, vec![]),
        ("Open day registration", "Register for the winter open day!", "website", None, json!([]), false, "expired",
            Some(-90), admin, vec![]),
        ("Quarterly audit check", "Run `staffroom audit verify` and file the result.", "admin", None, json!([]),
            false, "published",
            Some(-10), admin, vec![admin.id]),
        ("تهنئة بمناسبة العيد 🎉", "كل عام وأنتم بخير! نتمنى لكم عطلة سعيدة.", "all", None, json!([]), false,
            "published", Some(-20),
            admin, vec![people.s(7).id, people.s(11).id, ctx.staff.id]),
    ];
    for (title, body, audience, cohort, targets, urgent, status, days, author, readers) in rows {
        let when = days.map(|d| ctx.days_ago(-d));
        let created = ctx.days_ago(25).min(when.unwrap_or(ctx.at) - chrono::Duration::days(1));
        let published = matches!(status, "published" | "expired").then_some(when).flatten();
        let id = insert(
            tx,
            "announcements",
            cols![
                "title" => title, "body" => body, "audience" => audience, "cohort_id" => cohort,
                "target_user_ids" => targets,
                "is_urgent" => urgent, "status" => status, "publish_at" => when, "published_at" => published,
                "view_count" => readers.len() as i64 * 3, "created_by" => author.id,
                "version" => if status == "draft" { 1 } else { 2 }, "created_at" => created,
                "updated_at" => published.unwrap_or(created),
            ],
        )
        .await?;
        audit_new(
            tx,
            &author.actor,
            "create",
            "announcement",
            id,
            format!("wrote announcement {title} for {audience}"),
            json!({"id": id, "title": title, "audience": audience, "status": "draft"}),
        )
        .await?;
        if status != "draft" {
            let action = if status == "published" { "publish" } else { "status_change" };
            audit_diff(
                tx,
                &author.actor,
                action,
                "announcement",
                id,
                format!("moved announcement {title} from draft to {status}"),
                json!({"id": id, "status": "draft"}),
                json!({"id": id, "status": status}),
            )
            .await?;
        }
        for (n, user) in readers.iter().enumerate() {
            let read = published.unwrap_or(ctx.at) + chrono::Duration::hours(n as i64 + 1);
            insert_row(
                tx,
                "announcement_reads",
                cols!["user_id" => *user, "announcement_id" => id, "read_at" => read.min(ctx.at)],
            )
            .await?;
        }
    }
    Ok(())
}

async fn cms(tx: &mut Tx, ctx: &Ctx) -> Result<()> {
    let admin = &ctx.admin;
    let block = |kind: &str, text: &str| json!({"type": kind, "text": text});
    #[rustfmt::skip]
    let pages = [
        ("about", "About us", true, json!({"blocks": [block("heading", "A small academy with big ambitions"),
            block("paragraph", "Since 2019 we have trained 600+ developers and designers in Cairo and online. 🎓")]})),
        ("faq", "FAQ", true, json!({"items": [
            {"q": "Can I pay in installments?", "a": "Yes, in two or three payments."},
            {"q": "هل يوجد تدريب عملي؟", "a": "نعم، كل برنامج ينتهي بمشروع حقيقي."}]})),
        ("privacy", "Privacy policy", true,
            json!({"blocks": [block("paragraph", "We keep only what we need to run your training.")]})),
        // Nothing goes live unasked: a page being written stays unpublished.
        ("careers", "Work with us", false, json!({"blocks": [block("heading", "We are hiring teaching assistants")]})),
    ];
    for (key, title, published, content) in pages {
        let id = insert(tx, "pages", cols![
            "key" => key, "title" => title, "content" => content, "is_published" => published, "updated_by" => admin.id,
            "created_at" => ctx.days_ago(200), "updated_at" => ctx.days_ago(15),
        ])
        .await?;
        audit_new(
            tx,
            &admin.actor,
            if published { "publish" } else { "create" },
            "page",
            id,
            format!("saved page {key}"),
            json!({"id": id, "key": key, "is_published": published}),
        )
        .await?;
    }
    #[rustfmt::skip]
    let sections = [
        ("hero", "Become a developer in 16 weeks", true,
            json!({"headline": "Learn by building 🚀", "cta": {"label": "Apply now", "href": "/apply"}})),
        ("programs", "Our programs", true,
            json!({"show": ["full-stack-web-development", "ui-ux-design-foundations", "data-analytics-with-python"]})),
        ("testimonials", "What graduates say", true, json!({"source": "featured", "limit": 6})),
        ("events", "Upcoming events", true, json!({"limit": 3, "only_published": true})),
        ("partners", "Partners", false, json!({"logos": []})),
    ];
    for (order, (key, title, enabled, content)) in sections.into_iter().enumerate() {
        insert(
            tx,
            "home_sections",
            cols![
                "key" => key, "title" => title, "content" => content, "is_enabled" => enabled,
                "sort_order" => order as i64 * 10,
                "updated_by" => admin.id, "created_at" => ctx.days_ago(200), "updated_at" => ctx.days_ago(15),
            ],
        )
        .await?;
    }
    // The single settings row (id = 1).
    insert_row(tx, "site_settings", cols![
        "id" => 1, "site_name" => "Staffroom Academy", "default_event_location" => "Cairo campus, Hall A",
        "contact_info" => json!({"email": "hello@academy.example.org", "phone": "+20225550100",
            "whatsapp": "+201005550100",
            "address": "12 Tahrir Street, Cairo", "hours": "Sun–Thu 10:00–20:00"}),
        "social_links" => json!({"facebook": "https://facebook.com/staffroom.demo",
            "instagram": "https://instagram.com/staffroom.demo",
            "linkedin": "https://www.linkedin.com/company/staffroom-demo",
            "youtube": "https://youtube.com/@staffroom-demo"}),
        "content" => json!({"footer": "© Staffroom Academy",
            "announcement_bar": "UI/UX Cohort 3: applications are open 🎨"}),
        "updated_by" => admin.id, "version" => 3, "created_at" => ctx.days_ago(400), "updated_at" => ctx.days_ago(5),
    ])
    .await?;
    audit_diff(
        tx,
        &admin.actor,
        "update",
        "site_settings",
        1,
        "updated the site settings (announcement bar)".into(),
        json!({"id": 1, "content": {"announcement_bar": null}}),
        json!({"id": 1, "content": {"announcement_bar": "UI/UX Cohort 3: applications are open 🎨"}}),
    )
    .await?;
    #[rustfmt::skip]
    let tokens = [
        ("color.primary", "Brand colour: buttons, links", "#1E6FD9", "global"),
        ("color.accent", "Highlights and badges", "#F4A261", "web"),
        ("color.danger", "Destructive actions", "#D62828", "global"),
        ("font.body", "Body text (Latin and Arabic)", "Inter, 'Noto Sans Arabic', sans-serif", "web"),
        ("radius.card", "Corner radius of cards", "12px", "web"),
        ("tui.highlight", "Selected row in the terminal app", "cyan", "admin"),
    ];
    for (order, (key, purpose, value, scope)) in tokens.into_iter().enumerate() {
        insert(
            tx,
            "theme_tokens",
            cols![
                "key" => key, "purpose" => purpose, "value" => value, "scope" => scope, "sort_order" => order as i64,
                "updated_by" => admin.id, "created_at" => ctx.days_ago(300), "updated_at" => ctx.days_ago(40),
            ],
        )
        .await?;
    }
    Ok(())
}
