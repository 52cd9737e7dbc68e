//! The calendar: sessions of the running cohort (past, TODAY, future, one cancelled,
//! one deliberate clash), of the completed and the open cohort, and attendance of
//! the past ones, marked by the instructor.

use super::academy::Cohort;
use super::enrollments::{Enr, Enrollments};
use super::{Ctx, audit_new, insert, insert_row, instant, time};
use crate::store::{Result, Tx};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::json;

/// Attendance of one enrollment over the held (dated up to today, not cancelled)
/// past sessions: P present, L late, A absent, E excused, anything else no record.
/// Rate = (P + L) / (held - E); today's session counts as held and has no record.
const RUNNING_ATTENDANCE: &[&str] = &[
    "PPPPPPPPPPPPP", // Sara: 13/14 with today
    "PPPLPPPPPPPPP",
    "PPAPAPLAAPEAP", // Nour: 7 / (14 - 1) = 54 %, under the 75 % threshold
    "PPPPPEPPPPPLP",
    "PLPAPAALPAPPE", // Ahmed: 8 / (14 - 1) = 62 %, under the threshold
    "PPPPPPAPPPPPP",
    "PPLPPPPPPPPLP",
    "PPPPPPPPPEPPP",
    "PPPLPPEEEEEEE", // Priya: excused since her enrollment was paused
    "PAP",           // Tarek: dropped after the third session
    "",              // Hana: pending, not yet attending
];

const COMPLETED_ATTENDANCE: &[&str] = &["PPPPPPPPPP", "PPLPPPPPPP", "PPPPEPPPPP", "PPPPPPPPPP", "PAP"];

const DAY_PLAN: &str = "18:00 recap · 18:20 lecture · 19:30 break · 19:45 lab · 20:45 wrap-up";

/// One calendar session to insert.
struct Slot {
    date: NaiveDate,
    start: (u32, u32),
    end: (u32, u32),
    title: String,
    mode: &'static str,
    kind: &'static str,
    status: &'static str,
    notes: Option<&'static str>,
}

pub(super) async fn calendar(tx: &mut Tx, ctx: &Ctx, enr: &Enrollments) -> Result<()> {
    // Running cohort: twice a week (today's weekday and three days later), from seven
    // weeks ago to nine weeks ahead, so there are past sessions, one TODAY, and future ones.
    let offsets: Vec<i64> = (-49..=63).filter(|d: &i64| matches!(d.rem_euclid(7), 0 | 3)).collect();
    let last = offsets.len().saturating_sub(1);
    let titles = &ctx.a.academy.session_titles;
    let mut slots = Vec::new();
    for (k, off) in offsets.iter().copied().enumerate() {
        let mut s = Slot {
            date: ctx.day(off),
            start: (18, 0),
            end: (21, 0),
            title: titles.get(k).map_or_else(|| format!("Capstone studio {}", k + 1 - titles.len()), String::clone),
            mode: if off.rem_euclid(7) == 3 {
                "remote"
            } else if off.rem_euclid(21) == 0 {
                "hybrid"
            } else {
                "onsite"
            },
            kind: "normal",
            status: if off < 0 { "completed" } else { "scheduled" },
            notes: None,
        };
        match k {
            7 => s.kind = "workshop",
            9 => {
                s.status = "cancelled";
                s.notes = Some("Cancelled: power cut on campus; merged into the next session.");
            }
            10 => s.kind = "visitor",
            12 => {
                s.kind = "unusual";
                s.start = (10, 0);
                s.end = (13, 0);
                s.notes = Some("Held in the morning because of the public holiday.");
            }
            _ if k + 2 == last => {
                s.kind = "exam";
                s.title = "Written exam".into();
            }
            _ if k == last => {
                s.kind = "workshop";
                s.title = "Demo day 🎓".into();
            }
            _ => {}
        }
        if off == 0 {
            s.notes = Some("Today: attendance not taken yet.");
        }
        slots.push(s);
    }
    // A DELIBERATE clash: a guest talk overlapping the regular session a week from
    // today, in the same cohort (and for the same instructor). The calendar flags it.
    slots.push(Slot {
        date: ctx.day(7),
        start: (19, 30),
        end: (20, 30),
        title: "Guest talk: hiring managers Q&A".into(),
        mode: "hybrid",
        kind: "visitor",
        status: "scheduled",
        notes: Some("Overlaps the regular 18:00 session: decide which one moves."),
    });
    let lina = &ctx.instructor;
    let held = add_sessions(tx, ctx, &enr.running_cohort, &slots, lina.id).await?;
    attendance(tx, ctx, &held, &enr.running, RUNNING_ATTENDANCE).await?;

    // Completed cohort: ten Saturday-morning sessions that ended eight weeks ago.
    let past: Vec<Slot> = (0..10)
        .map(|k| Slot {
            date: ctx.day(-119 + 7 * k),
            start: (10, 0),
            end: (13, 0),
            title: ctx
                .a
                .academy
                .session_titles
                .get(k as usize * 2)
                .map_or("Capstone studio", String::as_str)
                .to_string(),
            mode: "onsite",
            kind: if k == 9 { "exam" } else { "normal" },
            status: "completed",
            notes: None,
        })
        .collect();
    let held = add_sessions(tx, ctx, &enr.completed_cohort, &past, lina.id).await?;
    attendance(tx, ctx, &held, &enr.completed, COMPLETED_ATTENDANCE).await?;

    // Open cohort: orientation and the first class, three weeks ahead, in the morning
    // (no clash with the instructor's evening classes).
    #[rustfmt::skip]
    let first = [
        Slot { date: ctx.day(21), start: (10, 0), end: (12, 0), title: "Orientation and design thinking".into(),
            mode: "hybrid", kind: "normal", status: "scheduled", notes: None },
        Slot { date: ctx.day(23), start: (10, 0), end: (13, 0), title: "User research basics".into(),
            mode: "remote", kind: "normal", status: "scheduled", notes: None },
    ];
    add_sessions(tx, ctx, &enr.open_cohort, &first, ctx.admin.id).await?;
    Ok(())
}

/// A held session: its id, title and when it ended (for attendance stamps).
struct Held {
    id: i64,
    title: String,
    date: NaiveDate,
    start: (u32, u32),
    end: (u32, u32),
}

/// Inserts the sessions; returns those held in the past (completed, before today).
async fn add_sessions(tx: &mut Tx, ctx: &Ctx, cohort: &Cohort, slots: &[Slot], created_by: i64) -> Result<Vec<Held>> {
    let actor = if created_by == ctx.instructor.id { &ctx.instructor.actor } else { &ctx.admin.actor };
    let mut held = Vec::new();
    for s in slots {
        let remote = s.mode != "onsite";
        let created = ctx.days_ago(60).min(local(s.date, 9, 0) - Duration::days(14));
        let updated = if s.status == "scheduled" { created } else { local(s.date, s.end.0, s.end.1).min(ctx.at) };
        let id = insert(tx, "sessions", cols![
            "cohort_id" => cohort.id, "date" => s.date, "starts_at" => time(s.start.0, s.start.1),
            "ends_at" => time(s.end.0, s.end.1),
            "delivery_mode" => s.mode, "location" => (s.mode != "remote").then_some("Cairo campus, Lab 2"),
            "meeting_url" => remote.then(|| format!("https://meet.example.org/cohort-{}", cohort.id)),
            "title" => &s.title, "day_plan" => (s.start == (18, 0)).then_some(DAY_PLAN),
            "description" => format!("{} — {}", cohort.name, s.title), "session_type" => s.kind, "status" => s.status,
            "notes" => s.notes, "created_by" => created_by, "version" => if s.status == "scheduled" { 1 } else { 2 },
            "created_at" => created, "updated_at" => updated,
        ])
        .await?;
        audit_new(
            tx,
            actor,
            "create",
            "session",
            id,
            format!("scheduled {} on {} for {}", s.title, s.date, cohort.name),
            json!({"id": id, "cohort_id": cohort.id, "date": s.date, "title": s.title, "session_type": s.kind}),
        )
        .await?;
        if s.status == "completed" && s.date < ctx.today {
            held.push(Held { id, title: s.title.clone(), date: s.date, start: s.start, end: s.end });
        }
    }
    Ok(held)
}

/// Session times are Cairo wall-clock times; instants are UTC. Cairo is UTC+2 (UTC+3
/// in summer): a fixed offset is close enough for demo check-in stamps.
fn local(day: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    instant(day, h, m) - Duration::hours(2)
}

async fn attendance(tx: &mut Tx, ctx: &Ctx, held: &[Held], enrollments: &[Enr], patterns: &[&str]) -> Result<()> {
    let lina = &ctx.instructor;
    for (h, session) in held.iter().enumerate() {
        let mut counts = [0; 4];
        for (e, pattern) in enrollments.iter().zip(patterns) {
            let Some(mark) = pattern.chars().nth(h) else { continue };
            let (status, note, late_by) = match mark {
                'P' => ("present", None, 0),
                'L' => ("late", Some("Traffic on the ring road"), 25),
                'A' => ("absent", None, 0),
                'E' if e.status == "paused" => ("excused", Some("Enrollment paused"), 0),
                'E' => ("excused", Some("Medical note sent in advance"), 0),
                _ => continue,
            };
            let slot = match status {
                "present" => 0,
                "late" => 1,
                "absent" => 2,
                _ => 3,
            };
            counts[slot] += 1;
            let here = matches!(status, "present" | "late");
            let start = local(session.date, session.start.0, session.start.1);
            let end = local(session.date, session.end.0, session.end.1);
            insert_row(
                tx,
                "attendance_records",
                cols![
                    "session_id" => session.id, "enrollment_id" => e.id, "status" => status, "note" => note,
                    "checked_in_at" => here.then(|| start + Duration::minutes(late_by + (e.id % 7))),
                    "checked_out_at" => here.then_some(end),
                    "marked_by" => lina.id, "marked_at" => end + Duration::minutes(5),
                ],
            )
            .await?;
        }
        audit_new(
            tx,
            &lina.actor,
            "update",
            "session",
            session.id,
            format!(
                "took attendance for {} on {}: {} present, {} late, {} absent, {} excused",
                session.title, session.date, counts[0], counts[1], counts[2], counts[3]
            ),
            json!({"id": session.id, "present": counts[0], "late": counts[1], "absent": counts[2],
                "excused": counts[3]}),
        )
        .await?;
    }
    Ok(())
}
