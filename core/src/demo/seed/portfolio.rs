//! The portfolio: case studies (published, draft, archived) with media, exactly one
//! thumbnail each (BR-04), their tech stack and their tags.

use super::content::Ids;
use super::{Ctx, audit_diff, audit_new, insert, insert_row};
use crate::demo::assets::Assets;
use crate::domain::slug::slugify;
use crate::store::{Result, Tx};
use serde_json::json;
use std::collections::HashMap;

/// Returns the case study ids, the client one first.
pub(super) async fn case_studies(tx: &mut Tx, ctx: &Ctx, tags: &Ids) -> Result<Vec<i64>> {
    let tech = tech_stack(tx, ctx).await?;
    // (title, type, client, status, featured, started/completed days ago, tech, tags, extra media)
    type List = &'static [&'static str];
    type Row = (&'static str, &'static str, &'static str, &'static str, bool, (i64, Option<i64>), List, List, List);
    #[rustfmt::skip]
    let rows: [Row; 4] = [
        ("Nile Logistics fleet dashboard", "dashboard", "business", "published", true, (120, Some(75)),
            &["React", "Node.js", "PostgreSQL", "Docker"], &["react", "portfolio"], &["image", "image", "video"]),
        ("Recipe finder: a student MVP", "mvp", "student", "published", false, (90, Some(60)),
            &["React", "Tailwind CSS"], &["javascript", "beginner", "portfolio"], &["gif"]),
        ("Cairo Tech Hub landing page", "landing", "business", "draft", false, (10, None), &["Next.js", "Figma"],
            &["css"], &[]),
        ("Legacy CRM refresh", "ui_upgrade", "internal", "archived", false, (400, Some(330)), &["Figma", "Python"],
            &["advanced"], &["image"]),
    ];
    let admin = &ctx.admin;
    let mut ids = Vec::new();
    for (n, (title, kind, client, status, featured, (started, completed), stack, tag_names, media)) in
        rows.into_iter().enumerate()
    {
        let slug = slugify(title);
        let published =
            matches!(status, "published" | "archived").then(|| ctx.days_ago(completed.unwrap_or(started) - 5));
        let id = insert(
            tx,
            "case_studies",
            cols![
                "slug" => &slug, "title" => title, "subtitle" => format!("How we built the {title}"),
                "problem" => "Data lived in spreadsheets and nobody trusted the numbers.",
                "solution" => "A small, fast web app with a clear data model and weekly demos.",
                "role" => "Design, build and handover", "results" => "Reports in minutes instead of days.",
                "lessons_learned" => "Ship a thin slice first; demo every week.", "project_type" => kind,
                "client_type" => client,
                "live_url" => published.map(|_| format!("https://{slug}.example.dev")),
                "repo_url" => (client != "business").then(|| format!("https://github.com/staffroom-demo/{slug}")),
                "featured" => featured, "status" => status, "display_order" => n as i64 + 1,
                "view_count" => 150 * (4 - n as i64),
                "started_at" => ctx.day(-started), "completed_at" => completed.map(|d| ctx.day(-d)),
                "published_at" => published,
                "created_by" => admin.id, "version" => if status == "draft" { 1 } else { 2 },
                "created_at" => ctx.days_ago(started), "updated_at" => published.unwrap_or(ctx.days_ago(started)),
            ],
        )
        .await?;
        // BR-04: exactly one thumbnail per case study, then the other media.
        let thumb = std::iter::once(("image", true)).chain(media.iter().map(|m| (*m, false)));
        for (order, (media_type, is_thumbnail)) in thumb.enumerate() {
            let ext = match media_type {
                "video" => "mp4",
                "gif" => "gif",
                _ => "jpg",
            };
            insert(
                tx,
                "case_study_media",
                cols![
                    "case_study_id" => id, "media_type" => media_type,
                    "file_url" => format!("https://cdn.example.org/case-studies/{slug}/{order}.{ext}"),
                    "file_path" => format!("case-studies/{slug}/{order}.{ext}"),
                    "caption" => if is_thumbnail { format!("{title} — cover") } else { format!("Screen {order}") },
                    "alt_text" => format!("{title}, picture {}", order + 1), "display_order" => order as i64,
                    "is_thumbnail" => is_thumbnail, "created_at" => ctx.days_ago(started),
                ],
            )
            .await?;
        }
        for name in stack {
            if let Some(t) = tech.get(name) {
                insert_row(
                    tx,
                    "case_study_tech",
                    cols!["case_study_id" => id, "tech_stack_id" => *t, "created_at" => ctx.days_ago(started)],
                )
                .await?;
            }
        }
        for name in tag_names {
            if let Some(t) = tags.get(name) {
                insert_row(
                    tx,
                    "case_study_tags",
                    cols!["case_study_id" => id, "tag_id" => *t, "created_at" => ctx.days_ago(started)],
                )
                .await?;
            }
        }
        audit_new(
            tx,
            &admin.actor,
            "create",
            "case_study",
            id,
            format!("created case study {title}"),
            json!({"id": id, "slug": slug, "status": "draft"}),
        )
        .await?;
        if status != "draft" {
            audit_diff(
                tx,
                &admin.actor,
                "publish",
                "case_study",
                id,
                format!("published case study {title}"),
                json!({"id": id, "status": "draft", "published_at": null}),
                json!({"id": id, "status": "published", "published_at": published}),
            )
            .await?;
        }
        if status == "archived" {
            audit_diff(
                tx,
                &admin.actor,
                "status_change",
                "case_study",
                id,
                format!("archived case study {title}"),
                json!({"id": id, "status": "published"}),
                json!({"id": id, "status": "archived"}),
            )
            .await?;
        }
        ids.push(id);
    }
    Ok(ids)
}

async fn tech_stack(tx: &mut Tx, ctx: &Ctx) -> Result<Ids> {
    let mut ids = HashMap::new();
    let a: &'static Assets = ctx.a;
    for t in &a.content.tech_stack {
        let name = t.name.as_str();
        let slug = slugify(name);
        let id = insert(
            tx,
            "tech_stack",
            cols![
                "name" => name, "slug" => &slug, "category" => &t.category, "color_hex" => &t.color,
                "logo_url" => format!("https://cdn.example.org/logos/{slug}.svg"),
                "official_url" => format!("https://{slug}.example.org"),
                "is_active" => t.active, "created_at" => ctx.days_ago(300), "updated_at" => ctx.days_ago(300),
            ],
        )
        .await?;
        ids.insert(name, id);
    }
    Ok(ids)
}
