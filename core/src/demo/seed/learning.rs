//! Learning content: chapters (published, scheduled, draft) with markdown lessons,
//! lesson progress, assignments and submissions (pending, graded, returned), quizzes
//! with a few submissions, and program reviews.

use super::academy::Catalog;
use super::people::People;
use super::{Ctx, audit_diff, audit_new, insert};
use crate::store::{Result, Tx};
use chrono::Duration;
use serde_json::json;

/// Lesson ids of the full-stack program that other tables refer to.
struct Lessons {
    /// The six published lessons of chapters 1 and 2, in order.
    published: Vec<i64>,
    css_layout: i64,
    react_components: i64,
    js_essentials: i64,
}

pub(super) async fn learning(tx: &mut Tx, ctx: &Ctx, cat: &Catalog, people: &People) -> Result<()> {
    let lessons = chapters(tx, ctx, cat).await?;
    progress(tx, ctx, people, &lessons).await?;
    assignments(tx, ctx, cat, people, &lessons).await?;
    quizzes(tx, ctx, cat, people, &lessons).await?;
    reviews(tx, ctx, cat, people).await
}

/// The chapters of assets/demo/academy.toml with their lessons (lessons/*.md).
async fn chapters(tx: &mut Tx, ctx: &Ctx, cat: &Catalog) -> Result<Lessons> {
    let admin = &ctx.admin;
    let mut ids: Vec<(&str, i64)> = Vec::new();
    for (position, c) in ctx.a.academy.chapters.iter().enumerate() {
        let (program, title, status) = (cat.program(&c.program)?, &c.title, c.status.as_str());
        // Scheduled: both the chapter and its lessons go live at release_at.
        let release_at = c.release_in_days.map(|d| ctx.in_days(d));
        let created = ctx.days_ago(150);
        let chapter = insert(
            tx,
            "chapters",
            cols![
                "program_id" => program, "title" => title, "position" => position as i64 + 1, "status" => status,
                "release_at" => release_at, "created_at" => created, "updated_at" => ctx.days_ago(20),
            ],
        )
        .await?;
        for (n, name) in c.lessons.iter().enumerate() {
            let lesson = ctx.a.lesson(name)?;
            let id = insert(
                tx,
                "lessons",
                cols![
                    "chapter_id" => chapter, "title" => &lesson.title,
                    "description" => format!("{}, step by step.", lesson.title),
                    "content" => &lesson.body,
                    "video_url" => lesson.video.then(|| format!("https://video.example.org/lessons/{}",
                        crate::domain::slug::slugify(&lesson.title))),
                    "duration_seconds" => 900 + 300 * n as i64, "position" => n as i64 + 1, "status" => status,
                    "release_at" => release_at.map(|r| r + Duration::days(3 * n as i64)),
                    "created_at" => created, "updated_at" => ctx.days_ago(20),
                ],
            )
            .await?;
            ids.push((name, id));
        }
        audit_new(
            tx,
            &admin.actor,
            "create",
            "chapter",
            chapter,
            format!("created chapter {title} with {} lessons", c.lessons.len()),
            json!({"id": chapter, "program_id": program, "title": title, "status": "draft"}),
        )
        .await?;
        if status != "draft" {
            let action = if status == "published" { "publish" } else { "status_change" };
            audit_diff(
                tx,
                &admin.actor,
                action,
                "chapter",
                chapter,
                format!("moved chapter {title} from draft to {status}"),
                json!({"id": chapter, "status": "draft", "release_at": null}),
                json!({"id": chapter, "status": status, "release_at": release_at}),
            )
            .await?;
        }
    }
    // Lessons by file name (assets/demo/lessons/<name>.md).
    let find = |name: &str| ids.iter().find(|(n, _)| *n == name).map_or(0, |(_, id)| *id);
    Ok(Lessons {
        published: ids.iter().take(6).map(|(_, id)| *id).collect(),
        css_layout: find("css-layout"),
        react_components: find("react-components"),
        js_essentials: find("javascript-essentials"),
    })
}

async fn progress(tx: &mut Tx, ctx: &Ctx, people: &People, lessons: &Lessons) -> Result<()> {
    // Lessons finished by each active student of the running cohort (low attenders
    // are behind), plus one lesson in progress.
    let done = [6, 5, 2, 5, 3, 5, 4, 5];
    for (i, finished) in done.into_iter().enumerate() {
        let who = people.s(i);
        for (n, lesson) in lessons.published.iter().enumerate().take(finished + 1) {
            let completed = n < finished;
            let at = ctx.days_ago(45 - 6 * n as i64 + i as i64 % 3);
            insert(
                tx,
                "lesson_progress",
                cols![
                    "user_id" => who.id, "lesson_id" => *lesson, "completed" => completed,
                    "completed_at" => completed.then_some(at),
                    "time_spent_seconds" => if completed { 1_200 + 60 * ((i + n) as i64 % 20) } else { 300 },
                    "created_at" => at - Duration::hours(2), "updated_at" => at,
                ],
            )
            .await?;
        }
    }
    Ok(())
}

async fn assignments(tx: &mut Tx, ctx: &Ctx, cat: &Catalog, people: &People, lessons: &Lessons) -> Result<()> {
    let admin = &ctx.admin;
    let lina = &ctx.instructor;
    // Attached to a lesson, or to the whole program (exactly one of the two).
    #[rustfmt::skip]
    let rows = [
        (Some(lessons.css_layout), None, "Responsive landing page", 100, ctx.days_ago(30)),
        (Some(lessons.react_components), None, "Component library", 100, ctx.days_ago(3)),
        (None, Some(cat.fullstack), "Capstone proposal", 20, ctx.in_days(14)),
    ];
    let mut ids = Vec::new();
    for (lesson, program, title, max, due) in rows {
        let id = insert(
            tx,
            "assignments",
            cols![
                "lesson_id" => lesson, "program_id" => program, "title" => title, "max_points" => max, "due_at" => due,
                "description" => format!("{title}: push to GitHub and paste the link."),
                "created_at" => ctx.days_ago(45), "updated_at" => ctx.days_ago(45),
            ],
        )
        .await?;
        audit_new(
            tx,
            &admin.actor,
            "create",
            "assignment",
            id,
            format!("created assignment {title}"),
            json!({"id": id, "title": title, "max_points": max, "due_at": due}),
        )
        .await?;
        ids.push((id, title, due));
    }
    // (assignment, student, status, grade, feedback)
    type Submission = (usize, usize, &'static str, Option<i64>, Option<&'static str>);
    #[rustfmt::skip]
    let subs: [Submission; 14] = [
        (0, 0, "graded", Some(95), Some("Excellent: clean grid and great contrast. 🚀")),
        (0, 1, "graded", Some(88), Some("Good work; watch the spacing on tablets.")),
        (0, 2, "returned", None, Some("The mobile layout is missing: please resubmit.")),
        (0, 3, "graded", Some(91), Some("Very tidy CSS.")),
        (0, 4, "graded", Some(72), Some("Works, but the header overlaps on small screens.")),
        (0, 5, "graded", Some(85), None),
        (0, 6, "graded", Some(90), None),
        (0, 7, "graded", Some(93), Some("ممتاز! تصميم واضح ومنظم.")),
        (1, 0, "pending", None, None),
        (1, 1, "graded", Some(80), Some("Props are well typed; add stories for each component.")),
        (1, 3, "pending", None, None),
        (1, 5, "pending", None, None),
        (1, 7, "pending", None, None),
        (2, 0, "pending", None, None),
    ];
    for (a, s, status, grade, feedback) in subs {
        let Some((assignment, title, due)) = ids.get(a).copied() else { continue };
        let who = people.s(s);
        let submitted = due.min(ctx.at) - Duration::hours(20 + s as i64);
        let graded = (status != "pending").then(|| submitted + Duration::days(2));
        let handle = who.email.split('@').next().unwrap_or("student");
        let id = insert(
            tx,
            "assignment_submissions",
            cols![
                "assignment_id" => assignment, "user_id" => who.id, "content" => "Done! Notes are in the README.",
                "link" => format!("https://github.com/{handle}/{}", crate::domain::slug::slugify(title)),
                "status" => status, "grade" => grade, "feedback" => feedback, "submitted_at" => submitted,
                "graded_at" => graded, "graded_by" => graded.map(|_| lina.id),
                "submission_count" => if status == "returned" { 2 } else { 1 },
                "version" => if graded.is_some() { 2 } else { 1 }, "created_at" => submitted,
                "updated_at" => graded.unwrap_or(submitted),
            ],
        )
        .await?;
        if let Some(g) = grade {
            audit_diff(
                tx,
                &lina.actor,
                "update",
                "assignment_submission",
                id,
                format!("graded {} for {title}: {g}", who.name),
                json!({"id": id, "status": "pending", "grade": null}),
                json!({"id": id, "status": "graded", "grade": g}),
            )
            .await?;
        } else if status == "returned" {
            audit_diff(
                tx,
                &lina.actor,
                "update",
                "assignment_submission",
                id,
                format!("returned {title} to {} for changes", who.name),
                json!({"id": id, "status": "pending"}),
                json!({"id": id, "status": "returned"}),
            )
            .await?;
        }
    }
    Ok(())
}

async fn quizzes(tx: &mut Tx, ctx: &Ctx, cat: &Catalog, people: &People, lessons: &Lessons) -> Result<()> {
    let created = ctx.days_ago(40);
    let quiz = insert(
        tx,
        "quizzes",
        cols![
            "lesson_id" => lessons.js_essentials, "title" => "JavaScript essentials check", "points" => 10,
            "required" => true,
            "created_at" => created, "updated_at" => created,
        ],
    )
    .await?;
    #[rustfmt::skip]
    let questions = [
        ("Which keyword declares a block-scoped variable that can be reassigned?",
            json!(["var", "let", "const", "static"]), 1),
        ("What does `typeof null` return?", json!(["\"null\"", "\"object\"", "\"undefined\""]), 1),
        ("Which array method returns a new array of transformed items?", json!(["forEach", "push", "map", "find"]), 2),
        ("What does `===` compare?", json!(["Value and type", "Value only", "Length"]), 0),
    ];
    let mut ids = Vec::new();
    for (position, (question, options, correct)) in questions.into_iter().enumerate() {
        let id = insert(
            tx,
            "quiz_questions",
            cols![
                "quiz_id" => quiz, "question" => question, "options" => options, "correct_index" => correct,
                "position" => position as i64 + 1, "created_at" => created, "updated_at" => created,
            ],
        )
        .await?;
        ids.push((id, correct));
    }
    // (student, answers as option indices in question order)
    let answers: [(usize, [i64; 4]); 3] = [(0, [1, 1, 2, 0]), (2, [0, 1, 2, 1]), (4, [1, 0, 2, 0])];
    for (s, picks) in answers {
        let who = people.s(s);
        let correct = ids.iter().zip(picks).filter(|((_, c), p)| c == p).count() as i64;
        let total = ids.len() as i64;
        let map: serde_json::Map<String, serde_json::Value> =
            ids.iter().zip(picks).map(|((id, _), p)| (id.to_string(), json!(p))).collect();
        insert(
            tx,
            "quiz_submissions",
            cols![
                "quiz_id" => quiz, "user_id" => who.id, "answers" => serde_json::Value::Object(map),
                "score" => correct * 100 / total,
                "total_questions" => total, "correct_answers" => correct, "points_earned" => correct * 10 / total,
                "submitted_at" => ctx.days_ago(30 - s as i64),
            ],
        )
        .await?;
    }
    // An optional program-wide practice quiz, not taken yet.
    let practice = insert(
        tx,
        "quizzes",
        cols![
            "program_id" => cat.fullstack, "title" => "Final exam practice", "points" => 0, "required" => false,
            "created_at" => created, "updated_at" => created,
        ],
    )
    .await?;
    #[rustfmt::skip]
    let items = [
        ("Which HTTP status means 'created'?", json!(["200", "201", "204"]), 1),
        ("Which SQL clause filters groups?", json!(["WHERE", "HAVING", "ORDER BY"]), 1),
    ];
    for (position, (question, options, correct)) in items.into_iter().enumerate() {
        insert(
            tx,
            "quiz_questions",
            cols![
                "quiz_id" => practice, "question" => question, "options" => options, "correct_index" => correct,
                "position" => position as i64 + 1, "created_at" => created, "updated_at" => created,
            ],
        )
        .await?;
    }
    Ok(())
}

async fn reviews(tx: &mut Tx, ctx: &Ctx, cat: &Catalog, people: &People) -> Result<()> {
    #[rustfmt::skip]
    let rows = [
        (people.s(11), 5, "أفضل قرار اتخذته في مسيرتي المهنية 🎓"),
        (people.s(12), 4, "Great content; the evening schedule is tough with a full-time job."),
        (people.s(13), 5, "Supportive instructors and real projects."),
        (&people.assistant, 5, "I learned so much that I stayed to teach ❤️"),
        (people.s(14), 2, "Too fast for me, and the capstone teams were uneven."),
    ];
    for (n, (who, rating, comment)) in rows.into_iter().enumerate() {
        let at = ctx.days_ago(50 - n as i64);
        // The assistant's was approved; the others wait in the moderation queue
        // (to be approved, rejected or promoted into a testimonial).
        let approved = n == 3;
        insert(
            tx,
            "reviews",
            cols![
                "program_id" => cat.fullstack, "user_id" => who.id, "rating" => rating, "comment" => comment,
                "status" => if approved { "approved" } else { "new" },
                "reviewed_by" => approved.then_some(ctx.admin.id),
                "reviewed_at" => approved.then(|| at + chrono::Duration::days(1)),
                "created_at" => at, "updated_at" => at,
            ],
        )
        .await?;
    }
    Ok(())
}
