//! People: student users, the assistant instructor (student + instructor at once),
//! profiles, saved TUI preferences, login history, instructor applications and the
//! staff's notification inbox.

use super::{Ctx, audit_diff, audit_new, insert, insert_row};
use crate::demo::DEMO_DOMAIN;
use crate::domain::permissions::Roles;
use crate::store::{Actor, Result, Tx};
use serde_json::json;

/// A student (or the assistant) with the actor they are when they act on the
/// website (submitting a blog post, replying to a help request).
#[derive(Debug, Clone)]
pub(super) struct Person {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub actor: Actor,
}

pub(super) struct People {
    /// In the order of `assets/demo/students.csv`; the seed refers to them by index.
    pub students: Vec<Person>,
    /// Karim: graduated from the completed cohort, now assists in the running one.
    pub assistant: Person,
}

impl People {
    /// The student at `i` in `students.csv` (indices are fixed by this module).
    pub fn s(&self, i: usize) -> &Person {
        self.students.get(i).unwrap_or(&self.assistant)
    }
}

/// Students of the completed cohort joined months earlier than the others.
const EARLY_STUDENTS: std::ops::RangeInclusive<usize> = 11..=14;

pub(super) async fn students(tx: &mut Tx, ctx: &Ctx) -> Result<People> {
    let admin = &ctx.admin.actor;
    let mut students = Vec::new();
    for (i, student) in ctx.a.students.iter().enumerate() {
        let name = student.name.as_str();
        let email = format!("{}@{DEMO_DOMAIN}", student.login);
        let joined = if EARLY_STUDENTS.contains(&i) { ctx.days_ago(140) } else { ctx.days_ago(62 - i as i64) };
        // Some students also gave a phone number (E.164, as the store normalises it).
        let phone = (i % 3 == 0).then(|| format!("+2010{:08}", 55_000_100 + i));
        // Students never log in to staffroom: no password hash (docs/domain.md §1).
        let id = insert(
            tx,
            "users",
            cols![
                "email" => &email, "phone" => phone.clone(), "full_name" => name, "is_student" => true,
                "email_verified" => true, "points" => (i as i64 * 37) % 400,
                "created_at" => joined, "updated_at" => joined,
            ],
        )
        .await?;
        audit_new(
            tx,
            admin,
            "create",
            "user",
            id,
            format!("created user {name} (student)"),
            json!({"id": id, "email": email, "phone": phone, "full_name": name, "roles": "student",
                "password_set": false}),
        )
        .await?;
        students.push(person(id, name, email));
    }
    let name = ctx.a.people.assistant.name.as_str();
    let email = format!("{}@{DEMO_DOMAIN}", ctx.a.people.assistant.login);
    let joined = ctx.days_ago(150);
    let id = insert(
        tx,
        "users",
        cols![
            "email" => &email, "full_name" => name, "is_student" => true, "is_instructor" => true,
            "email_verified" => true, "points" => 820, "created_at" => joined, "updated_at" => ctx.days_ago(40),
            "version" => 2,
        ],
    )
    .await?;
    audit_new(
        tx,
        admin,
        "create",
        "user",
        id,
        format!("created user {name} (student)"),
        json!({"id": id, "email": email, "full_name": name, "roles": "student", "password_set": false}),
    )
    .await?;
    let assistant = person(id, name, email);
    Ok(People { students, assistant })
}

fn person(id: i64, name: &str, email: String) -> Person {
    let roles = Roles { student: true, ..Roles::VIEWER };
    Person { id, name: name.to_string(), email, actor: Actor::user(id, name, roles) }
}

/// Profiles, preferences, login history, instructor applications, notifications.
pub(super) async fn accounts(tx: &mut Tx, ctx: &Ctx, people: &People) -> Result<()> {
    profiles(tx, ctx, people).await?;
    preferences(tx, ctx).await?;
    login_history(tx, ctx).await?;
    instructor_applications(tx, ctx, people).await?;
    notifications(tx, ctx).await
}

async fn profiles(tx: &mut Tx, ctx: &Ctx, people: &People) -> Result<()> {
    let lina = &ctx.instructor;
    #[rustfmt::skip]
    let rows = [
        (lina.id, "Senior full-stack engineer; teaches the evening track. Ten years of shipping web products.",
            "Lead instructor", "React, Node.js, PostgreSQL", Some("lina-mansour"), true, Some(1), "active",
            json!({"linkedin": "https://www.linkedin.com/in/lina-mansour-demo",
                "github": "https://github.com/lina-demo", "website": "https://lina.example.dev"})),
        (people.assistant.id, "Graduated from cohort 6, now the assistant instructor of cohort 7.",
            "Assistant instructor", "JavaScript, testing", Some("karim-saleh"), true, Some(2), "active",
            json!({"github": "https://github.com/karim-demo", "portfolio": "https://karim.example.dev"})),
        (ctx.staff.id, "Admissions and student success.", "Admissions lead", "Sales, onboarding", None, false, None,
            "active",
            json!({"linkedin": "https://www.linkedin.com/in/omar-farouk-demo"})),
        (people.s(0).id, "Career changer from marketing. Loves CSS art 🎨", "Student", "HTML, CSS",
            Some("sara-hassan"), false, None,
            "active", json!({"github": "https://github.com/sara-demo"})),
        (people.s(7).id, "محاسبة سابقة تتعلم تطوير الويب ❤️", "طالبة", "JavaScript", Some("mariam-mansour"), true,
            None, "active",
            json!({"linkedin": "https://www.linkedin.com/in/mariam-demo"})),
        (people.s(11).id, "خريج الدفعة السادسة، مطوّر واجهات أمامية.", "Frontend developer", "React",
            Some("khaled-elnaggar"), true,
            Some(3), "graduated",
            json!({"github": "https://github.com/khaled-demo", "twitter": "https://twitter.com/khaled_demo"})),
        (people.s(12).id, "Backend developer at a Cairo fintech.", "Graduate", "Node.js", Some("lucas-rossi"), true,
            None, "graduated",
            json!({"github": "https://github.com/lucas-demo", "facebook": "https://facebook.com/lucas.demo"})),
    ];
    for (sort, (user_id, bio, job, expertise, slug, public, rank, status, links)) in rows.into_iter().enumerate() {
        insert_row(
            tx,
            "user_profiles",
            cols![
                "user_id" => user_id, "bio" => bio, "job_title" => job, "expertise" => expertise, "links" => links,
                "public_slug" => slug, "is_public" => public, "featured" => rank.is_some(), "featured_rank" => rank,
                "sort_order" => sort as i64, "status" => status,
                "avatar_url" => slug.map(|s| format!("https://cdn.example.org/avatars/{s}.jpg")),
                "created_at" => ctx.days_ago(120), "updated_at" => ctx.days_ago(10),
            ],
        )
        .await?;
    }
    Ok(())
}

/// Saved TUI filters and settings (any JSON: objects, strings, numbers).
async fn preferences(tx: &mut Tx, ctx: &Ctx) -> Result<()> {
    #[rustfmt::skip]
    let rows = [
        (ctx.staff.id, "leads.board.filter", json!({"assigned_to": "me", "stages": ["new", "contacted", "qualified"]})),
        (ctx.staff.id, "leads.board.sort", json!("next_follow_up_at")),
        (ctx.admin.id, "audit.page_size", json!(100)),
        (ctx.admin.id, "payments.filter", json!({"status": ["failed", "refunded"]})),
        (ctx.instructor.id, "calendar.view", json!({"mode": "week", "cohort": "running"})),
        (ctx.viewer.id, "theme", json!("high-contrast")),
    ];
    for (user_id, key, value) in rows {
        insert_row(
            tx,
            "user_preferences",
            cols!["user_id" => user_id, "key" => key, "value" => value, "updated_at" => ctx.days_ago(2)],
        )
        .await?;
    }
    Ok(())
}

async fn login_history(tx: &mut Tx, ctx: &Ctx) -> Result<()> {
    #[rustfmt::skip]
    let rows = [
        (Some(ctx.admin.id), true, None, "local", Some("xterm-256color"), ctx.days_ago(3)),
        (Some(ctx.staff.id), false, Some("wrong password"), "197.45.12.8", Some("tmux-256color"), ctx.days_ago(2)),
        (Some(ctx.staff.id), true, None, "197.45.12.8", Some("tmux-256color"), ctx.days_ago(2)),
        (Some(ctx.instructor.id), true, None, "10.0.3.14", Some("xterm-kitty"), ctx.hours_ago(30)),
        (None, false, Some("unknown login"), "203.0.113.77", None, ctx.hours_ago(20)),
        (Some(ctx.viewer.id), true, None, "local", Some("alacritty"), ctx.hours_ago(6)),
        (Some(ctx.admin.id), true, None, "local", Some("xterm-256color"), ctx.hours_ago(1)),
    ];
    for (user_id, success, why, remote, terminal, at) in rows {
        insert(
            tx,
            "login_history",
            cols![
                "user_id" => user_id, "success" => success, "failure_reason" => why, "remote" => remote,
                "terminal" => terminal, "created_at" => at,
            ],
        )
        .await?;
    }
    Ok(())
}

async fn instructor_applications(tx: &mut Tx, ctx: &Ctx, people: &People) -> Result<()> {
    let admin = &ctx.admin;
    // Approved: approving set Karim's is_instructor flag (he is student + instructor).
    let karim = &people.assistant;
    let id = insert(
        tx,
        "instructor_applications",
        cols![
            "user_id" => karim.id, "status" => "approved", "reviewed_by" => admin.id, "reviewed_at" => ctx.days_ago(40),
            "application_data" => json!({"motivation": "I want to help the next cohort the way my mentors helped me.",
                "experience_years": 1, "topics": ["JavaScript", "Testing"], "availability": "evenings"}),
            "version" => 2, "created_at" => ctx.days_ago(50), "updated_at" => ctx.days_ago(40),
        ],
    )
    .await?;
    audit_diff(
        tx,
        &admin.actor,
        "approve",
        "instructor_application",
        id,
        format!("approved the instructor application of {}; they are now an instructor", karim.name),
        json!({"id": id, "status": "pending"}),
        json!({"id": id, "status": "approved"}),
    )
    .await?;
    let sara = people.s(0);
    insert(
        tx,
        "instructor_applications",
        cols![
            "user_id" => sara.id, "status" => "pending",
            "application_data" => json!({"motivation": "I would love to run the CSS workshops.", "experience_years": 0,
                "topics": ["CSS", "Accessibility"], "availability": "weekends"}),
            "created_at" => ctx.days_ago(4), "updated_at" => ctx.days_ago(4),
        ],
    )
    .await?;
    let khaled = people.s(11);
    let reason = "Needs a year of industry experience first; welcome to re-apply after the capstone season.";
    let id = insert(
        tx,
        "instructor_applications",
        cols![
            "user_id" => khaled.id, "status" => "rejected", "rejection_reason" => reason, "reviewed_by" => admin.id,
            "reviewed_at" => ctx.days_ago(20),
            "application_data" => json!({"motivation": "أحب التدريس", "experience_years": 0,
                "topics": ["React"], "availability": "evenings"}),
            "version" => 2, "created_at" => ctx.days_ago(25), "updated_at" => ctx.days_ago(20),
        ],
    )
    .await?;
    audit_diff(
        tx,
        &admin.actor,
        "reject",
        "instructor_application",
        id,
        format!("rejected the instructor application of {}", khaled.name),
        json!({"id": id, "status": "pending", "rejection_reason": null}),
        json!({"id": id, "status": "rejected", "rejection_reason": reason}),
    )
    .await
}

/// The staff's own inbox: assignments, items awaiting review, alerts.
async fn notifications(tx: &mut Tx, ctx: &Ctx) -> Result<()> {
    let (admin, staff, lina) = (ctx.admin.id, ctx.staff.id, ctx.instructor.id);
    #[rustfmt::skip]
    let rows = [
        (staff, "lead_assigned", "New lead assigned to you",
            "Aly Mahmoud (website form) is yours to follow up today.", Some("leads?assigned=me"), false, 3),
        (staff, "follow_up_overdue", "Follow-ups overdue", "3 of your leads have overdue follow-ups.",
            Some("leads?follow_up=overdue"), false, 1),
        (staff, "review_requested", "Posts awaiting review", "2 student posts are pending review.",
            Some("posts?status=pending"), false, 5),
        (staff, "application_submitted", "New application", "آية فتحي applied to UI/UX · Cohort 3.",
            Some("applications?status=pending"), true, 8),
        (staff, "help_request", "Help request", "Nour El-Sayed cannot open a session recording.",
            Some("help?status=pending"), false, 2),
        (admin, "payment_failed", "Payment failed", "A card payment by Ahmed Kamal was declined.",
            Some("payments?status=failed"), true, 30),
        (admin, "refund_done", "Refund recorded", "Tarek Mostafa was refunded 75 % after dropping out.",
            Some("payments?status=refunded"), true, 35),
        (admin, "testimonial_pending", "Testimonials to moderate", "2 testimonials are waiting for approval.",
            Some("testimonials?status=pending"), false, 6),
        (admin, "instructor_application", "Instructor application", "Sara Hassan applied to become an instructor.",
            Some("instructor-applications"), false, 4),
        (lina, "attendance_low", "Attendance below 75 %",
            "Nour El-Sayed and Ahmed Kamal are under the attendance threshold.", Some("cohorts/running/attendance"),
            false, 1),
        (lina, "session_clash", "Calendar clash", "Two sessions of Full-Stack · Cohort 7 overlap next week.",
            Some("calendar?clashes=1"), false, 1),
        (lina, "grading", "Submissions to grade", "New assignment submissions are waiting for a grade.",
            Some("grading?status=pending"), true, 5),
    ];
    for (user_id, kind, title, message, link, read, days) in rows {
        insert(
            tx,
            "notifications",
            cols![
                "user_id" => user_id, "kind" => kind, "title" => title, "message" => message, "link" => link,
                "read" => read, "created_at" => ctx.days_ago(days),
            ],
        )
        .await?;
    }
    Ok(())
}
