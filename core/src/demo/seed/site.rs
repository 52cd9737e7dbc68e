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
    let site = &ctx.a.site;
    for page in &site.pages {
        let (key, published) = (&page.key, page.published);
        let id = insert(
            tx,
            "pages",
            cols![
                "key" => key, "title" => &page.title, "content" => page.content.clone(), "is_published" => published,
                "updated_by" => admin.id, "created_at" => ctx.days_ago(200), "updated_at" => ctx.days_ago(15),
            ],
        )
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
    for (order, section) in site.home_sections.iter().enumerate() {
        insert(
            tx,
            "home_sections",
            cols![
                "key" => &section.key, "title" => &section.title, "content" => section.content.clone(),
                "is_enabled" => section.enabled, "sort_order" => order as i64 * 10,
                "updated_by" => admin.id, "created_at" => ctx.days_ago(200), "updated_at" => ctx.days_ago(15),
            ],
        )
        .await?;
    }
    // The single settings row (id = 1), whose last change set the announcement bar.
    let settings = &site.settings;
    insert_row(tx, "site_settings", cols![
        "id" => 1, "site_name" => &settings.site_name, "default_event_location" => &settings.default_event_location,
        "contact_info" => settings.contact_info.clone(), "social_links" => settings.social_links.clone(),
        "content" => settings.content.clone(),
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
        json!({"id": 1, "content": {"announcement_bar": settings.content.get("announcement_bar")}}),
    )
    .await?;
    for (order, token) in site.theme_tokens.iter().enumerate() {
        insert(
            tx,
            "theme_tokens",
            cols![
                "key" => &token.key, "purpose" => &token.purpose, "value" => &token.value, "scope" => &token.scope,
                "sort_order" => order as i64,
                "updated_by" => admin.id, "created_at" => ctx.days_ago(300), "updated_at" => ctx.days_ago(40),
            ],
        )
        .await?;
    }
    Ok(())
}
