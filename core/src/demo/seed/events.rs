//! Webinars and public events in every status, with registrations (one event full,
//! BR-08) and attendance with engagement scores 1..5 (BR-11) for the completed one.

use super::leads::Leads;
use super::{Ctx, audit_diff, audit_new, insert, instant};
use crate::domain::capacity;
use crate::store::{Result, StoreError, Tx};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

struct Event {
    slug: &'static str,
    title: &'static str,
    kind: &'static str,
    starts_at: DateTime<Utc>,
    minutes: i64,
    location: Option<&'static str>,
    online: bool,
    max: Option<i64>,
    /// Price in EGP piastres; 0 means free.
    price: i64,
    status: &'static str,
    published: bool,
}

pub(super) async fn events(tx: &mut Tx, ctx: &Ctx, leads: &Leads) -> Result<()> {
    let meet = |d: i64, h: u32| instant(ctx.day(d), h, 0);
    #[rustfmt::skip]
    let rows = [
        Event { slug: "weekly-live-debugging-together", title: "Weekly live: debugging together", kind: "weekly_live",
            starts_at: meet(-10, 17), minutes: 90, location: None, online: true, max: Some(30), price: 0,
            status: "completed", published: true },
        // Full: as many registrations as max_attendees.
        Event { slug: "portfolio-review-masterclass", title: "Portfolio review masterclass", kind: "masterclass",
            starts_at: meet(5, 16), minutes: 120, location: Some("Cairo campus, Hall A"), online: false, max: Some(8),
            price: 50_000, status: "scheduled", published: true },
        Event { slug: "live-qa-breaking-into-tech", title: "Live Q&A: breaking into tech 🚀", kind: "qa",
            starts_at: ctx.at - Duration::minutes(20), minutes: 60, location: None, online: true, max: Some(100),
            price: 0,
            status: "live", published: true },
        Event { slug: "open-day-spring", title: "Open day at the academy", kind: "public_event", starts_at: meet(9, 11),
            minutes: 180, location: Some("Cairo campus"), online: false, max: None, price: 0, status: "cancelled",
            published: false },
        Event { slug: "react-hooks-workshop", title: "React hooks workshop", kind: "workshop", starts_at: meet(21, 15),
            minutes: 150, location: Some("Cairo campus, Lab 2"), online: false, max: Some(20), price: 30_000,
            status: "scheduled", published: false },
        Event { slug: "code-review-clinic", title: "Code review clinic", kind: "code_review", starts_at: meet(12, 17),
            minutes: 90, location: None, online: true, max: Some(12), price: 0, status: "scheduled", published: true },
    ];
    let staff = &ctx.staff;
    for e in rows {
        let done = e.status == "completed";
        let created = ctx.days_ago(30).min(e.starts_at - Duration::days(14));
        let updated = if done { e.starts_at + Duration::minutes(e.minutes) } else { ctx.days_ago(1).max(created) };
        let id = insert(tx, "events", cols![
            "slug" => e.slug, "title" => e.title, "event_type" => e.kind, "starts_at" => e.starts_at,
            "duration_minutes" => e.minutes,
            "description" => format!("{} — open to students, alumni and anyone curious.", e.title),
            "location" => e.location, "meeting_url" => e.online.then(|| format!("https://meet.example.org/{}", e.slug)),
            "recording_url" => done.then(|| format!("https://video.example.org/{}", e.slug)),
            "max_attendees" => e.max, "is_paid" => e.price > 0, "price_minor" => e.price, "currency" => "EGP",
            "status" => e.status, "is_published" => e.published, "is_done" => done,
            "done_at" => done.then_some(updated),
            "created_by" => staff.id, "version" => if e.status == "scheduled" { 1 } else { 2 },
            "created_at" => created, "updated_at" => updated,
        ])
        .await?;
        audit_new(
            tx,
            &staff.actor,
            "create",
            "event",
            id,
            format!("created event {}", e.title),
            json!({"id": id, "slug": e.slug, "starts_at": e.starts_at, "max_attendees": e.max, "status": "scheduled"}),
        )
        .await?;
        if e.status != "scheduled" {
            audit_diff(
                tx,
                &staff.actor,
                "status_change",
                "event",
                id,
                format!("moved event {} from scheduled to {}", e.title, e.status),
                json!({"id": id, "status": "scheduled"}),
                json!({"id": id, "status": e.status}),
            )
            .await?;
        }
        let count = match e.slug {
            "weekly-live-debugging-together" => 12,
            "portfolio-review-masterclass" => e.max.unwrap_or(0),
            "live-qa-breaking-into-tech" => 5,
            "code-review-clinic" => 3,
            _ => 0,
        };
        // BR-08: never more registrations than max_attendees.
        capacity::check(e.max, 0, count)
            .map_err(|full| StoreError::Other(format!("demo event {} is {full}", e.slug)))?;
        register(tx, ctx, leads, id, &e, count).await?;
    }
    Ok(())
}

async fn register(tx: &mut Tx, ctx: &Ctx, leads: &Leads, event_id: i64, e: &Event, count: i64) -> Result<()> {
    // Engagement of those who attended the completed event: every score 1..5 appears.
    const SCORES: [i64; 9] = [5, 4, 3, 5, 2, 4, 1, 5, 3];
    // People who registered without being a lead.
    let guests = &ctx.a.people.event_guests;
    let mut attended = 0;
    for i in 0..count as usize {
        // Every third registration came from a lead of the pipeline.
        let lead = (i % 3 == 0).then(|| leads.all.get(10 + i + event_id as usize % 5)).flatten();
        let name = lead.map_or_else(|| guests[(i + event_id as usize) % guests.len()].clone(), |(_, n, _)| n.clone());
        let registered =
            (e.starts_at - Duration::days(6) + Duration::hours(i as i64 * 7)).min(ctx.at - Duration::hours(1));
        let reg = insert(
            tx,
            "event_registrations",
            cols![
                "event_id" => event_id, "lead_id" => lead.map(|(id, _, _)| *id), "full_name" => name,
                "email" => (i % 4 != 3).then(|| format!("guest{}.{event_id}@example.org", i + 1)),
                "whatsapp" => (i % 4 == 3).then(|| format!("+2012{:08}", 40_000_000 + i * 37 + event_id as usize)),
                "registered_at" => registered,
            ],
        )
        .await?;
        match e.status {
            "completed" => {
                let came = i % 4 != 3;
                let score = came.then(|| SCORES[attended % SCORES.len()]);
                if came {
                    attended += 1;
                }
                insert(
                    tx,
                    "event_attendance",
                    cols![
                        "registration_id" => reg, "attended" => came,
                        "joined_at" => came.then(|| e.starts_at + Duration::minutes((i % 4) as i64 * 3)),
                        "left_at" => came.then(|| e.starts_at + Duration::minutes(e.minutes - (i % 3) as i64 * 10)),
                        "engagement_score" => score,
                    ],
                )
                .await?;
            }
            // Live now: some have joined, nobody has left yet.
            "live" if i < 3 => {
                insert(
                    tx,
                    "event_attendance",
                    cols![
                        "registration_id" => reg, "attended" => true,
                        "joined_at" => e.starts_at + Duration::minutes(i as i64 * 2),
                    ],
                )
                .await?;
            }
            _ => {}
        }
    }
    Ok(())
}
