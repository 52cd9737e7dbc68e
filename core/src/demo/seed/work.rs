//! Internal work and support: projects with tasks in every status, and help
//! requests in every status (with a response and a user reply where the flow got
//! that far).

use super::people::People;
use super::{Ctx, audit_diff, audit_new, insert};
use crate::store::{Result, Tx};
use chrono::Duration;
use serde_json::json;

pub(super) async fn work(tx: &mut Tx, ctx: &Ctx, people: &People) -> Result<()> {
    projects(tx, ctx).await?;
    help_requests(tx, ctx, people).await
}

async fn projects(tx: &mut Tx, ctx: &Ctx) -> Result<()> {
    let (admin, staff, lina) = (ctx.admin.id, ctx.staff.id, ctx.instructor.id);
    // (title, status, priority, start/end day offsets, budget, tasks)
    // Task: (title, assignee, status, priority, due day offset)
    type Task = (&'static str, Option<i64>, &'static str, &'static str, Option<i64>);
    type Row = (&'static str, &'static str, &'static str, (i64, i64), Option<(i64, &'static str)>, Vec<Task>);
    #[rustfmt::skip]
    let rows: [Row; 4] = [
        ("Cohort 7 launch", "active", "high", (-60, 30), Some((15_000_000, "EGP")), vec![
            ("Book lab rooms", Some(admin), "done", "high", Some(-50)),
            ("Finalise the curriculum", Some(lina), "review", "urgent", Some(-1)),
            ("Prepare onboarding emails", Some(staff), "in_progress", "medium", Some(3)),
            ("Order welcome kits 🎓", Some(staff), "todo", "low", Some(-2)),
            ("Recruit a second teaching assistant", None, "todo", "medium", Some(10)),
        ]),
        ("Website redesign", "planning", "medium", (14, 120), Some((800_000, "USD")), vec![
            ("Audit the current site", Some(staff), "in_progress", "medium", Some(7)),
            ("Moodboard and brand refresh", None, "todo", "low", None),
        ]),
        ("Move lesson videos to the new host", "completed", "low", (-120, -70), None, vec![
            ("Export all videos", Some(admin), "done", "medium", Some(-100)),
            ("Update lesson links", Some(lina), "done", "medium", Some(-75)),
        ]),
        ("Corporate training offer", "on_hold", "urgent", (-20, 40), Some((5_000_000, "EGP")), vec![
            ("Draft the offer for Mark Lee's team", Some(admin), "review", "high", Some(5)),
        ]),
    ];
    for (title, status, priority, (start, end), budget, tasks) in rows {
        let created = ctx.days_ago((-start).max(0) + 7);
        let id = insert(
            tx,
            "projects",
            cols![
                "title" => title, "description" => format!("{title}: internal project."), "status" => status,
                "priority" => priority,
                "start_date" => ctx.day(start), "end_date" => ctx.day(end), "budget_minor" => budget.map(|b| b.0),
                "budget_currency" => budget.map(|b| b.1), "location" => "Cairo campus", "created_by" => admin,
                "version" => if status == "planning" { 1 } else { 2 }, "created_at" => created,
                "updated_at" => ctx.days_ago(3).max(created),
            ],
        )
        .await?;
        audit_new(
            tx,
            &ctx.admin.actor,
            "create",
            "project",
            id,
            format!("created project {title}"),
            json!({"id": id, "title": title, "status": "planning", "priority": priority}),
        )
        .await?;
        for (order, (task, assignee, task_status, task_priority, due)) in tasks.into_iter().enumerate() {
            let done = task_status == "done";
            let completed = done.then(|| ctx.days_ago(due.map_or(1, |d| (-d).max(1))));
            let task_id = insert(
                tx,
                "tasks",
                cols![
                    "project_id" => id, "title" => task, "assigned_to" => assignee, "status" => task_status,
                    "priority" => task_priority,
                    "due_date" => due.map(|d| ctx.day(d)), "order_index" => order as i64, "completed_at" => completed,
                    "created_by" => admin, "version" => if task_status == "todo" { 1 } else { 2 },
                    "created_at" => created + Duration::hours(order as i64),
                    "updated_at" => completed.unwrap_or(created).max(created),
                ],
            )
            .await?;
            if task_status != "todo" {
                let actor = if assignee == Some(staff) {
                    &ctx.staff.actor
                } else if assignee == Some(lina) {
                    &ctx.instructor.actor
                } else {
                    &ctx.admin.actor
                };
                audit_diff(
                    tx,
                    actor,
                    "status_change",
                    "task",
                    task_id,
                    format!("moved task {task} from todo to {task_status}"),
                    json!({"id": task_id, "status": "todo"}),
                    json!({"id": task_id, "status": task_status}),
                )
                .await?;
            }
        }
    }
    Ok(())
}

async fn help_requests(tx: &mut Tx, ctx: &Ctx, people: &People) -> Result<()> {
    let (staff, admin) = (&ctx.staff, &ctx.admin);
    // (user, type, subject, message, status, responder, response, user reply, days ago)
    #[rustfmt::skip]
    let rows = [
        (people.s(2).id, "student", "Recording of session 6",
            "I can't open the recording of the DOM and events session.", "pending",
            None, None, None, 1),
        (people.s(4).id, "student", "Payment receipt",
            "My card payment failed but the money left my account. Can you check?", "in_progress",
            None, None, None, 3),
        (people.s(0).id, "student", "Certificate name in Arabic", "Can my certificate show my name in Arabic too?",
            "resolved",
            Some(staff), Some("Yes: we print both names. Please confirm the spelling: سارة حسن."), None, 8),
        (ctx.instructor.id, "teacher", "Projector in Lab 2", "The projector in Lab 2 flickers during sessions.",
            "closed",
            Some(admin), Some("Replaced the HDMI cable and the lamp."), Some("Thanks, works perfectly now 👍"), 15),
        (people.s(7).id, "student", "موعد التسجيل", "متى يبدأ التسجيل في برنامج تحليل البيانات؟", "resolved",
            Some(staff), Some("يبدأ التسجيل بعد شهر تقريباً، وسنرسل لك رسالة فور فتحه."), None, 6),
        (ctx.admin.id, "admin", "Backup schedule",
            "Please confirm the nightly database backup also covers the audit log.", "pending",
            None, None, None, 0),
    ];
    for (user, kind, subject, message, status, responder, response, reply, days) in rows {
        let created = ctx.days_ago(days) - Duration::hours(2);
        let responded = response.map(|_| created + Duration::hours(5));
        let replied = reply.map(|_| created + Duration::days(1));
        let id = insert(tx, "help_requests", cols![
            "user_id" => user, "subject" => subject, "message" => message, "requester_type" => kind, "status" => status,
            "response" => response, "responded_at" => responded, "responded_by" => responder.map(|r| r.id),
            "user_reply" => reply, "user_replied_at" => replied,
            "version" => if status == "pending" { 1 } else { 2 }, "created_at" => created,
            "updated_at" => replied.or(responded).unwrap_or(created),
        ])
        .await?;
        if status != "pending" {
            let actor = responder.map_or(&staff.actor, |r| &r.actor);
            audit_diff(
                tx,
                actor,
                "status_change",
                "help_request",
                id,
                format!("moved help request \"{subject}\" from pending to {status}"),
                json!({"id": id, "status": "pending", "response": null}),
                json!({"id": id, "status": status, "response": response}),
            )
            .await?;
        }
    }
    Ok(())
}
