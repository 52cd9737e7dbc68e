//! Content and moderation: categories, tags (BR-15 counts), posts in every
//! moderation status, threaded comments, and testimonials (at most 6 featured, only
//! approved ones). Case studies are in `portfolio`.

use super::people::People;
use super::{Ctx, Staffer, audit_diff, audit_new, exec, insert, insert_row};
use crate::demo::assets::Assets;
use crate::demo::text::hostile_post_body;
use crate::domain::metrics::read_time_minutes;
use crate::domain::post::PostStatus::{self, *};
use crate::domain::slug::slugify;
use crate::store::{Actor, Result, Tx};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use std::collections::HashMap;

pub(super) async fn content(tx: &mut Tx, ctx: &Ctx, people: &People) -> Result<()> {
    let categories = categories(tx, ctx).await?;
    let tags = tags(tx, ctx).await?;
    let posts = posts(tx, ctx, people, &categories, &tags).await?;
    comments(tx, ctx, people, &posts).await?;
    if let Some(first) = posts.first() {
        revision(tx, ctx, first.0).await?;
    }
    let case_studies = super::portfolio::case_studies(tx, ctx, &tags).await?;
    testimonials(tx, ctx, case_studies.first().copied()).await?;
    // BR-15: use_count equals the junction rows, recounted in this same transaction.
    exec(
        tx,
        "UPDATE tags SET use_count = (SELECT COUNT(*) FROM post_tags WHERE tag_id = tags.id) \
         + (SELECT COUNT(*) FROM case_study_tags WHERE tag_id = tags.id)",
        &[],
    )
    .await?;
    Ok(())
}

/// Ids by name (categories, tags, tech stack).
pub(super) type Ids = HashMap<&'static str, i64>;

async fn categories(tx: &mut Tx, ctx: &Ctx) -> Result<Ids> {
    let mut ids = HashMap::new();
    let a: &'static Assets = ctx.a;
    for c in &a.content.categories {
        let (name, description) = (c.name.as_str(), &c.description);
        let id = insert(
            tx,
            "categories",
            cols![
                "name" => name, "slug" => slugify(name), "description" => description,
                "created_at" => ctx.days_ago(365), "updated_at" => ctx.days_ago(365),
            ],
        )
        .await?;
        ids.insert(name, id);
    }
    Ok(ids)
}

async fn tags(tx: &mut Tx, ctx: &Ctx) -> Result<Ids> {
    let mut ids = HashMap::new();
    let a: &'static Assets = ctx.a;
    for t in &a.content.tags {
        let (name, kind) = (t.name.as_str(), &t.kind);
        let id = insert(
            tx,
            "tags",
            cols![
                "name" => name, "slug" => slugify(name), "tag_type" => kind, "use_count" => 0,
                "created_at" => ctx.days_ago(365), "updated_at" => ctx.days_ago(365),
            ],
        )
        .await?;
        ids.insert(name, id);
    }
    Ok(ids)
}

/// One post and the moderation story that led to its status.
struct Post {
    title: &'static str,
    body: String,
    kind: &'static str,
    category: Option<&'static str>,
    author: i64,
    /// Who wrote it in the audit log (a staff member, or the student via the website).
    writer: Actor,
    /// The moves after `draft`, each by its actor (author submits, staff moderate).
    moves: Vec<(PostStatus, Actor)>,
    tags: &'static [String],
    age_days: i64,
    rejection: Option<&'static str>,
    publish_at: Option<DateTime<Utc>>,
    video_url: Option<&'static str>,
    featured: bool,
}

async fn posts(tx: &mut Tx, ctx: &Ctx, people: &People, cats: &Ids, tags: &Ids) -> Result<Vec<(i64, &'static str)>> {
    let (omar, amira, lina) = (&ctx.staff, &ctx.admin, &ctx.instructor);
    let (om, am) = (omar.actor.clone(), amira.actor.clone());
    let a: &'static Assets = ctx.a;
    let student = |i: usize| (people.s(i).id, people.s(i).actor.clone());
    let reviewed = |writer: &Actor| vec![(Pending, writer.clone()), (Approved, am.clone()), (Published, am.clone())];
    // A post of assets/demo/posts/<name>.md, entered by `author` (staff write it down).
    let post = |name: &str, author: &Staffer| -> Result<Post> {
        let p = a.post(name)?;
        Ok(Post {
            title: &p.title,
            body: p.body.clone(),
            kind: &p.kind,
            category: p.category.as_deref(),
            author: author.id,
            writer: om.clone(),
            moves: vec![],
            tags: &p.tags,
            age_days: 10,
            rejection: None,
            publish_at: None,
            video_url: p.video_url.as_deref(),
            featured: false,
        })
    };
    let mut v = Vec::new();

    // Written by the instructor; staff enter it (instructors do not edit content).
    let mut p = post("git-habits", lina)?;
    p.moves = reviewed(&om);
    p.age_days = 24;
    p.featured = true;
    v.push(p);

    let mut p = post("react-state-summary", lina)?;
    p.moves = vec![(Pending, om.clone()), (Approved, om.clone()), (Published, om.clone())];
    p.age_days = 7;
    v.push(p);

    // Staff may publish directly (draft -> published); the audit log says so.
    let mut p = post("start-a-career-ar", omar)?;
    p.moves = vec![(Published, om.clone())];
    p.age_days = 12;
    p.featured = true;
    v.push(p);

    let mut p = post("css-grid", omar)?;
    p.moves = vec![(Published, om.clone())];
    p.age_days = 30;
    v.push(p);

    let mut p = post("curriculum-next-year", amira)?;
    p.writer = am.clone();
    p.age_days = 2;
    v.push(p);

    let (sara, sara_actor) = student(0);
    let mut p = post("first-month", omar)?;
    (p.author, p.writer) = (sara, sara_actor.clone());
    p.moves = vec![(Pending, sara_actor)];
    p.age_days = 2;
    v.push(p);

    // Hostile body, waiting in the moderation queue: the TUI must show it inertly.
    // It stays in Rust, with the other hostile strings.
    let (ahmed, ahmed_actor) = student(4);
    v.push(Post {
        title: "Course notes (please read)",
        body: hostile_post_body(),
        kind: "student_blog",
        category: None,
        author: ahmed,
        writer: ahmed_actor.clone(),
        moves: vec![(Pending, ahmed_actor)],
        tags: &[],
        age_days: 1,
        rejection: None,
        publish_at: None,
        video_url: None,
        featured: false,
    });

    let mut p = post("uiux-applications-open", omar)?;
    p.moves = vec![(Pending, om.clone()), (Approved, am.clone())];
    p.age_days = 3;
    // Approved and scheduled: it publishes itself at publish_at.
    p.publish_at = Some(ctx.in_days(3));
    v.push(p);

    let (mohamed, mohamed_actor) = student(1);
    let mut p = post("crypto-courses", omar)?;
    (p.author, p.writer) = (mohamed, mohamed_actor.clone());
    p.moves = vec![(Pending, mohamed_actor), (Rejected, om.clone())];
    p.rejection = Some("Promotional content with affiliate links is not allowed on the academy blog.");
    p.age_days = 9;
    v.push(p);

    let mut p = post("winter-open-day", omar)?;
    p.moves = vec![(Published, om.clone()), (Archived, om.clone())];
    p.age_days = 200;
    v.push(p);

    let (mariam, mariam_actor) = student(7);
    let mut p = post("journey-ar", omar)?;
    (p.author, p.writer) = (mariam, mariam_actor.clone());
    p.moves = vec![(Pending, mariam_actor), (Approved, om.clone()), (Published, om.clone())];
    p.age_days = 4;
    v.push(p);

    let mut out = Vec::new();
    for p in &v {
        let id = write_post(tx, ctx, p, cats).await?;
        for tag in p.tags {
            if let Some(tag_id) = tags.get(tag.as_str()) {
                insert_row(
                    tx,
                    "post_tags",
                    cols!["post_id" => id, "tag_id" => *tag_id, "created_at" => ctx.days_ago(p.age_days)],
                )
                .await?;
            }
        }
        out.push((id, p.title));
    }
    Ok(out)
}

async fn write_post(tx: &mut Tx, ctx: &Ctx, p: &Post, cats: &Ids) -> Result<i64> {
    let created = ctx.days_ago(p.age_days);
    // Moves follow each other within hours; archiving came much later.
    let step = |i: usize| match p.moves.get(i) {
        Some((Archived, _)) => ctx.days_ago(30),
        _ => created + Duration::hours(6 * (i as i64 + 1)),
    };
    let status = p.moves.last().map_or(Draft, |(s, _)| *s);
    // BR-07: a post that was ever published keeps when (archived ones too).
    let published_at = p.moves.iter().position(|(s, _)| *s == Published).map(step);
    let rejected_at = p.moves.iter().position(|(s, _)| *s == Rejected).map(step);
    let reviewer = p.moves.iter().rev().find(|(s, _)| matches!(s, Approved | Rejected)).and_then(|(_, a)| a.user_id);
    let updated = if p.moves.is_empty() { created } else { step(p.moves.len() - 1) };
    let live = status == Published;
    let id = insert(tx, "posts", cols![
        "slug" => slugify(p.title), "title" => p.title, "excerpt" => p.body.chars().take(120).collect::<String>(),
        "content" => &p.body, "cover_image_url" => format!("https://cdn.example.org/covers/{}.jpg", slugify(p.title)),
        "video_url" => p.video_url, "post_type" => p.kind,
        "category_id" => p.category.and_then(|c| cats.get(c).copied()), "status" => status.as_str(),
        "featured" => p.featured,
        "view_count" => if published_at.is_some() { 40 * p.age_days + 17 } else { 0 },
        "read_time_minutes" => read_time_minutes(&p.body),
        "seo_title" => live.then(|| format!("{} | Staffroom Academy", p.title)),
        "seo_description" => live.then(|| p.body.chars().take(150).collect::<String>()),
        "author_id" => p.author, "reviewed_by" => reviewer, "rejection_reason" => p.rejection,
        "rejected_at" => rejected_at,
        "publish_at" => p.publish_at, "published_at" => published_at, "version" => 1 + p.moves.len() as i64,
        "created_at" => created, "updated_at" => updated,
    ])
    .await?;
    audit_new(
        tx,
        &p.writer,
        "create",
        "post",
        id,
        format!("created post {}", p.title),
        json!({"id": id, "slug": slugify(p.title), "title": p.title, "status": "draft"}),
    )
    .await?;
    let mut from = Draft;
    for (to, actor) in &p.moves {
        let action = match to {
            Approved => "approve",
            Rejected => "reject",
            Published => "publish",
            _ => "status_change",
        };
        let direct = if from == Draft && *to == Published { " directly, skipping review" } else { "" };
        let reason = (*to == Rejected).then_some(p.rejection).flatten();
        audit_diff(
            tx,
            actor,
            action,
            "post",
            id,
            format!("moved post {} from {from} to {to}{direct}", p.title),
            json!({"id": id, "status": from.as_str(), "rejection_reason": null}),
            json!({"id": id, "status": to.as_str(), "rejection_reason": reason}),
        )
        .await?;
        from = *to;
    }
    Ok(id)
}

/// A published post edited after publishing: the body it had is kept as a
/// revision (its last paragraph was added by the edit).
async fn revision(tx: &mut Tx, ctx: &Ctx, id: i64) -> Result<()> {
    let (title, content, version, author, updated): (String, String, i64, i64, DateTime<Utc>) = crate::with_tx!(tx, c => {
        sqlx::query_as("SELECT title, content, version, author_id, updated_at FROM posts WHERE id = $1 AND status = 'published'")
            .bind(id)
            .fetch_one(&mut *c)
            .await?
    });
    let before = match content.trim_end().rfind("\n\n") {
        Some(cut) => content[..cut].to_string(),
        None => format!("{content}\n\n(draft ending)"),
    };
    let edited = (updated + Duration::days(2)).min(ctx.at);
    insert(
        tx,
        "post_revisions",
        cols![
            "post_id" => id, "post_version" => version, "title" => title.as_str(), "content" => before.as_str(),
            "written_by" => author, "written_at" => updated, "replaced_by" => ctx.admin.id, "created_at" => edited,
        ],
    )
    .await?;
    exec(
        tx,
        "UPDATE posts SET version = version + 1, edited_by = $1, updated_at = $2 WHERE id = $3",
        cols!["edited_by" => ctx.admin.id, "updated_at" => edited, "id" => id],
    )
    .await?;
    audit_diff(
        tx,
        &ctx.admin.actor,
        "update",
        "post",
        id,
        format!("edited post {title}"),
        json!({"id": id, "content": before}),
        json!({"id": id, "content": content}),
    )
    .await
}

async fn comments(tx: &mut Tx, ctx: &Ctx, people: &People, posts: &[(i64, &'static str)]) -> Result<()> {
    let post = |i: usize| posts.get(i).map_or(0, |(id, _)| *id);
    // (post, author, reply to (index in this list), text, hidden, upvotes, days ago,
    // reports). Comments older than a week were seen by staff; newer or reported
    // visible ones wait in the moderation queue.
    type Row = (i64, i64, Option<usize>, &'static str, bool, i64, i64, i64);
    #[rustfmt::skip]
    let rows: [Row; 10] = [
        (post(0), people.s(0).id, None, "This saved my capstone! Rebasing finally makes sense.", false, 12, 20, 0),
        (post(0), ctx.instructor.id, Some(0), "Glad it helped, Sara! Next: interactive rebase. 🚀", false, 8, 19, 0),
        (post(0), people.s(0).id, Some(1), "Yes please!", false, 3, 19, 0),
        (post(0), people.s(2).id, None, "Can we have a cheat sheet as a PDF?", false, 5, 18, 0),
        // Moderated: hidden by staff, kept for the record.
        (post(0), people.s(9).id, None, "Buy followers cheap!!! http://spam.example", true, 0, 17, 3),
        (post(2), people.s(7).id, None, "مقال رائع، شكراً!", false, 9, 10, 0),
        (post(2), ctx.staff.id, Some(5), "العفو يا مريم ❤️", false, 4, 10, 0),
        (post(1), people.s(5).id, None, "The cleanup function part finally clicked for me.", false, 2, 5, 0),
        (post(10), people.s(11).id, None, "قصة ملهمة، بالتوفيق يا مريم 🎓", false, 6, 2, 0),
        (post(1), people.s(9).id, None, "DM me for cheap exam answers \u{1b}[31mnow\u{1b}[0m", false, 0, 1, 2),
    ];
    let mut ids: Vec<i64> = Vec::new();
    for (post_id, author, parent, text, hidden, upvotes, days, reports) in rows {
        let at = ctx.days_ago(days) + Duration::hours(ids.len() as i64);
        let seen = (hidden || days > 7).then(|| at + Duration::hours(1));
        let id = insert(
            tx,
            "comments",
            cols![
                "post_id" => post_id, "author_id" => author, "parent_id" => parent.and_then(|p| ids.get(p).copied()),
                "content" => text,
                "status" => if hidden { "hidden" } else { "visible" }, "upvotes" => upvotes, "reports" => reports,
                "reviewed_by" => seen.map(|_| ctx.staff.id), "reviewed_at" => seen,
                "version" => if hidden { 2 } else { 1 }, "created_at" => at,
                "updated_at" => if hidden { at + Duration::hours(1) } else { at },
            ],
        )
        .await?;
        if hidden {
            audit_diff(
                tx,
                &ctx.staff.actor,
                "update",
                "comment",
                id,
                "hid a spam comment".into(),
                json!({"id": id, "status": "visible"}),
                json!({"id": id, "status": "hidden"}),
            )
            .await?;
        }
        ids.push(id);
    }
    Ok(())
}

async fn testimonials(tx: &mut Tx, ctx: &Ctx, case_study: Option<i64>) -> Result<()> {
    let (omar, amira) = (&ctx.staff, &ctx.admin);
    for (n, t) in ctx.a.testimonials.iter().enumerate() {
        let (author, kind) = (&t.author, t.kind.as_str());
        // Five of the first seven approved ones are featured: under the limit of 6.
        let (status, featured, reason) = match n {
            0..=4 => ("approved", true, None),
            5 | 6 => ("approved", false, None),
            7 | 9 => ("pending", false, None),
            _ => ("rejected", false, Some("Names a competitor's prices; asked the author for a revised version.")),
        };
        let created = ctx.days_ago(60 - 5 * n as i64);
        let decided = (status != "pending").then(|| created + Duration::days(1));
        let moves = i64::from(status != "pending") + i64::from(featured);
        let id = insert(
            tx,
            "testimonials",
            cols![
                "author_name" => author, "author_role" => &t.role, "content" => &t.text, "rating" => t.rating,
                "testimonial_type" => kind,
                "case_study_id" => if kind == "client" { case_study } else { None },
                "author_avatar_url" => format!("https://cdn.example.org/avatars/t{}.jpg", n + 1),
                "is_featured" => featured, "status" => status, "rejection_reason" => reason,
                "display_order" => n as i64 + 1,
                "approved_at" => if status == "approved" { decided } else { None },
                "approved_by" => if status == "approved" { Some(amira.id) } else { None },
                "version" => 1 + moves, "created_at" => created, "updated_at" => decided.unwrap_or(created),
            ],
        )
        .await?;
        audit_new(
            tx,
            &omar.actor,
            "create",
            "testimonial",
            id,
            format!("recorded a testimonial by {author}"),
            json!({"id": id, "rating": t.rating, "status": "pending"}),
        )
        .await?;
        if status != "pending" {
            let action = if status == "approved" { "approve" } else { "reject" };
            audit_diff(
                tx,
                &amira.actor,
                action,
                "testimonial",
                id,
                format!("{status} the testimonial by {author}"),
                json!({"id": id, "status": "pending"}),
                json!({"id": id, "status": status, "rejection_reason": reason}),
            )
            .await?;
        }
        if featured {
            audit_diff(
                tx,
                &amira.actor,
                "update",
                "testimonial",
                id,
                format!("featured the testimonial by {author}"),
                json!({"id": id, "is_featured": false}),
                json!({"id": id, "is_featured": true}),
            )
            .await?;
        }
    }
    Ok(())
}
