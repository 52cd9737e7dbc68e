//! Programs, cohorts (one in each interesting status) and their instructors, with
//! the automatic announcement of the coming_soon cohort.

use super::people::People;
use super::{Ctx, audit_diff, audit_new, insert, insert_row};
use crate::demo::assets::{Assets, Program};
use crate::store::{Result, StoreError, Tx};
use serde_json::json;

#[derive(Debug, Clone)]
pub(super) struct Cohort {
    pub id: i64,
    pub name: String,
    pub capacity: i64,
}

/// The three programs and their four cohorts, one in each interesting status.
pub(super) struct Catalog {
    /// Program ids by slug (the slugs of assets/demo/academy.toml).
    pub programs: Vec<(&'static str, i64)>,
    pub fullstack: i64,
    pub uiux: i64,
    pub data: i64,
    pub running: Cohort,
    pub completed: Cohort,
    pub open: Cohort,
    pub soon: Cohort,
}

pub(super) async fn catalog(tx: &mut Tx, ctx: &Ctx, people: &People) -> Result<Catalog> {
    // The programs of assets/demo/academy.toml; the story below knows three by slug.
    let a: &'static Assets = ctx.a;
    let mut programs = Vec::new();
    for p in &a.academy.programs {
        programs.push((p.slug.as_str(), program(tx, ctx, p).await?));
    }
    let by_slug = |slug: &str| program_id(&programs, slug);
    let (fullstack, uiux, data) = (
        by_slug("full-stack-web-development")?,
        by_slug("ui-ux-design-foundations")?,
        by_slug("data-analytics-with-python")?,
    );

    // (program, name, status, applications open, capacity, start and end day offsets,
    // enrollment window opened/closed days ago, days since the last status move)
    #[rustfmt::skip]
    let completed = cohort(tx, ctx, CohortSpec { program: fullstack, name: "Full-Stack · Cohort 6", status: "completed",
        applications: false, capacity: 10, days: (-119, -56), window: (200, 125), moved: 56 }).await?;
    #[rustfmt::skip]
    let running = cohort(tx, ctx, CohortSpec { program: fullstack, name: "Full-Stack · Cohort 7", status: "running",
        applications: false, capacity: 12, days: (-49, 63), window: (100, 50), moved: 49 }).await?;
    #[rustfmt::skip]
    let open = cohort(tx, ctx, CohortSpec { program: uiux, name: "UI/UX · Cohort 3", status: "open",
        applications: true, capacity: 8, days: (21, 105), window: (20, -14), moved: 20 }).await?;
    #[rustfmt::skip]
    let soon = cohort(tx, ctx, CohortSpec { program: data, name: "Data Analytics · Cohort 1", status: "coming_soon",
        applications: false, capacity: 15, days: (90, 160), window: (-30, -80), moved: 3 }).await?;
    let catalog = Catalog { programs, fullstack, uiux, data, completed, running, open, soon };
    cohort_moves(tx, ctx, &catalog).await?;

    // The instructor demo user leads the running cohort; Karim assists it.
    let lina = ctx.instructor.id;
    let karim = people.assistant.id;
    #[rustfmt::skip]
    let staff = [
        (catalog.running.id, lina, "lead"),
        (catalog.running.id, karim, "assistant"),
        (catalog.completed.id, lina, "lead"),
        (catalog.open.id, karim, "lead"),
        (catalog.open.id, lina, "mentor"),
        (catalog.soon.id, lina, "mentor"),
    ];
    for (cohort_id, user_id, role) in staff {
        insert_row(tx, "cohort_instructors", cols![
            "cohort_id" => cohort_id, "user_id" => user_id, "cohort_role" => role, "created_at" => ctx.days_ago(100),
        ])
        .await?;
    }
    audit_new(
        tx,
        &ctx.admin.actor,
        "update",
        "cohort",
        catalog.running.id,
        format!(
            "assigned {} (lead) and {} (assistant) to {}",
            ctx.instructor.name, people.assistant.name, catalog.running.name
        ),
        json!({"id": catalog.running.id, "instructors": [lina, karim]}),
    )
    .await?;
    Ok(catalog)
}

async fn program(tx: &mut Tx, ctx: &Ctx, p: &Program) -> Result<i64> {
    let (slug, title, price_minor, currency) = (&p.slug, &p.title, p.price_minor, &p.currency);
    let id = insert(
        tx,
        "programs",
        cols![
            "slug" => slug, "title" => title, "summary" => &p.summary, "category" => &p.category, "level" => &p.level,
            "description" => &p.description, "requirements" => &p.requirements,
            "duration_hours" => p.hours, "default_capacity" => p.capacity, "price_minor" => price_minor,
            "price_currency" => currency,
            "status" => "published", "created_by" => ctx.admin.id, "version" => 2,
            "created_at" => ctx.days_ago(400), "updated_at" => ctx.days_ago(120),
        ],
    )
    .await?;
    audit_new(
        tx,
        &ctx.admin.actor,
        "create",
        "program",
        id,
        format!("created program {title}"),
        json!({"id": id, "slug": slug, "title": title, "price_minor": price_minor, "price_currency": currency,
            "status": "draft"}),
    )
    .await?;
    audit_diff(
        tx,
        &ctx.admin.actor,
        "publish",
        "program",
        id,
        format!("published program {title}"),
        json!({"id": id, "status": "draft"}),
        json!({"id": id, "status": "published"}),
    )
    .await?;
    Ok(id)
}

impl Catalog {
    pub fn program(&self, slug: &str) -> Result<i64> {
        program_id(&self.programs, slug)
    }
}

fn program_id(programs: &[(&str, i64)], slug: &str) -> Result<i64> {
    programs
        .iter()
        .find(|(s, _)| *s == slug)
        .map(|(_, id)| *id)
        .ok_or_else(|| StoreError::Other(format!("demo: no program {slug} in assets/demo/academy.toml")))
}

struct CohortSpec {
    program: i64,
    name: &'static str,
    status: &'static str,
    applications: bool,
    capacity: i64,
    /// Start and end, in days from today.
    days: (i64, i64),
    /// Enrollment opened and closed, in days ago (negative: in the future).
    window: (i64, i64),
    /// Days since the cohort reached its status.
    moved: i64,
}

async fn cohort(tx: &mut Tx, ctx: &Ctx, c: CohortSpec) -> Result<Cohort> {
    let created = ctx.days_ago(c.window.0.max(0) + 10);
    let id = insert(
        tx,
        "cohorts",
        cols![
            "program_id" => c.program, "name" => c.name, "status" => c.status, "allow_applications" => c.applications,
            "capacity" => c.capacity, "enrollment_open_at" => ctx.days_ago(c.window.0),
            "enrollment_close_at" => ctx.days_ago(c.window.1), "start_date" => ctx.day(c.days.0),
            "end_date" => ctx.day(c.days.1),
            "location" => "Cairo campus, Lab 2", "time_zone" => "Africa/Cairo", "version" => 2,
            "created_at" => created, "updated_at" => ctx.days_ago(c.moved),
        ],
    )
    .await?;
    audit_new(
        tx,
        &ctx.admin.actor,
        "create",
        "cohort",
        id,
        format!("created cohort {}", c.name),
        json!({"id": id, "program_id": c.program, "name": c.name, "capacity": c.capacity, "status": "planned"}),
    )
    .await?;
    Ok(Cohort { id, name: c.name.to_string(), capacity: c.capacity })
}

/// The status moves behind each cohort, and the automatic announcement that moving a
/// cohort to coming_soon creates (seed 002's rule).
async fn cohort_moves(tx: &mut Tx, ctx: &Ctx, cat: &Catalog) -> Result<()> {
    let admin = &ctx.admin.actor;
    #[rustfmt::skip]
    let items = [
        (&cat.completed, "running", "completed"),
        (&cat.running, "open", "running"),
        (&cat.open, "planned", "open"),
        (&cat.soon, "planned", "coming_soon"),
    ];
    for (cohort, from, to) in items {
        audit_diff(
            tx,
            admin,
            "status_change",
            "cohort",
            cohort.id,
            format!("moved cohort {} from {from} to {to}", cohort.name),
            json!({"id": cohort.id, "status": from}),
            json!({"id": cohort.id, "status": to}),
        )
        .await?;
    }
    let published = ctx.days_ago(3);
    let title = "Coming soon: Data Analytics with Python";
    let id = insert(
        tx,
        "announcements",
        cols![
            "title" => title,
            "body" => "Our first Data Analytics cohort starts in about three months. Join the waiting list! 📊",
            "audience" => "website", "cohort_id" => cat.soon.id, "is_auto" => true, "status" => "published",
            "published_at" => published, "view_count" => 214, "created_by" => ctx.admin.id,
            "created_at" => published, "updated_at" => published,
        ],
    )
    .await?;
    audit_new(
        tx,
        admin,
        "create",
        "announcement",
        id,
        format!("announced {} on the website (automatic, cohort is coming soon)", cat.soon.name),
        json!({"id": id, "title": title, "audience": "website", "is_auto": true, "cohort_id": cat.soon.id}),
    )
    .await
}
