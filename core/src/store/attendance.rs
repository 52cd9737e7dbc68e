//! Attendance (docs/domain.md §3): a cohort's grid of students × held sessions,
//! and the marks instructors give, each saved at once with who and when, audited in
//! the same transaction.
//!
//! Rules, checked here for every write: the actor may take attendance (admin or
//! instructor) and, unless an admin, is assigned to the session's cohort; the session
//! is neither cancelled nor in the future (`domain::attendance::check_markable`); the
//! enrolment belongs to the session's cohort and is active or paused.

use super::audit::{self, Change};
use super::{Actor, Db, Result, StoreError, Tx, now};
use crate::domain::attendance::{self, AttendanceStatus, MARKABLE_ENROLLMENTS, SessionStatus};
use crate::domain::metrics::AttendanceCounts;
use crate::domain::permissions::Action;
use crate::{with_db, with_tx};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

/// At most this many of a cohort's held sessions are on the grid (the newest); a
/// cohort meets two or three times a week, so this is more than a year.
pub const MAX_SESSIONS: i64 = 200;
/// At most this many students are on the grid (a cohort's capacity is far smaller).
pub const MAX_STUDENTS: i64 = 500;
/// At most this many cohorts are offered to open (newest start first).
pub const MAX_COHORTS: i64 = 500;

/// A cohort someone may open the grid of.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CohortChoice {
    pub id: i64,
    pub name: String,
    pub program: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Student {
    pub enrollment_id: i64,
    pub name: String,
    pub enrollment_status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionColumn {
    pub id: i64,
    pub date: NaiveDate,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub status: SessionStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Mark {
    pub session_id: i64,
    pub enrollment_id: i64,
    #[sqlx(try_from = "String")]
    pub status: AttendanceStatus,
    pub note: Option<String>,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub checked_out_at: Option<DateTime<Utc>>,
    pub marked_by: Option<i64>,
    pub marked_at: DateTime<Utc>,
}

/// One cohort's attendance: students by name, held sessions oldest to newest (the
/// newest `MAX_SESSIONS`), and every mark among them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    pub cohort_id: i64,
    pub cohort_name: String,
    /// Capacity, seats, instructors, status (the screen's header line).
    pub cohort: super::cohorts::CohortHeader,
    pub students: Vec<Student>,
    pub sessions: Vec<SessionColumn>,
    pub marks: Vec<Mark>,
    /// Sessions held in all (the rate's denominator counts every one, not only those
    /// on the grid).
    pub held: i64,
}

impl Grid {
    pub fn mark(&self, session_id: i64, enrollment_id: i64) -> Option<&Mark> {
        self.marks.iter().find(|m| m.session_id == session_id && m.enrollment_id == enrollment_id)
    }

    /// A student's counts over the grid's sessions (docs/domain.md: held = dated today or
    /// earlier and not cancelled, which is what the grid holds).
    pub fn counts(&self, enrollment_id: i64) -> AttendanceCounts {
        let mut c = AttendanceCounts { held: self.sessions.len() as i64, ..AttendanceCounts::default() };
        for m in self.marks.iter().filter(|m| m.enrollment_id == enrollment_id) {
            match m.status {
                AttendanceStatus::Present => c.present += 1,
                AttendanceStatus::Late => c.late += 1,
                AttendanceStatus::Excused => c.excused += 1,
                AttendanceStatus::Absent => {}
            }
        }
        c
    }
}

fn markable_list() -> String {
    MARKABLE_ENROLLMENTS.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ")
}

/// The cohorts whose grid `actor` may open: an instructor's own (assigned) cohorts,
/// everyone else's all, newest start first.
pub async fn cohorts_for(db: &Db, actor: &Actor) -> Result<Vec<CohortChoice>> {
    let own_only = !actor.roles.admin && !actor.roles.staff && actor.roles.instructor;
    let sql = format!(
        "SELECT c.id, c.name, p.title AS program, c.status FROM cohorts c JOIN programs p ON p.id = c.program_id \
         WHERE ($1 = 0 OR c.id IN (SELECT cohort_id FROM cohort_instructors WHERE user_id = $2)) \
         ORDER BY c.start_date DESC, c.id DESC LIMIT {MAX_COHORTS}"
    );
    Ok(with_db!(db, p => {
        sqlx::query_as(&sql).bind(i64::from(own_only)).bind(actor.user_id.unwrap_or(-1)).fetch_all(p).await?
    }))
}

/// What a grid is opened on: a cohort, or the cohort of a session or an enrolment
/// (the dashboard's items), which the grid then selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridOf {
    Cohort(i64),
    Session(i64),
    Enrollment(i64),
}

/// The cohort a grid opened on `of` shows.
pub async fn cohort_of(db: &Db, of: GridOf) -> Result<i64> {
    let (sql, id, entity) = match of {
        GridOf::Cohort(id) => return Ok(id),
        GridOf::Session(id) => ("SELECT cohort_id FROM sessions WHERE id = $1", id, "session"),
        GridOf::Enrollment(id) => ("SELECT cohort_id FROM enrollments WHERE id = $1", id, "enrolment"),
    };
    let found: Option<i64> = with_db!(db, p => sqlx::query_scalar(sql).bind(id).fetch_optional(p).await?);
    found.ok_or_else(|| StoreError::NotFound { entity, id: id.to_string() })
}

/// The grid of `cohort_id` as of `today`.
pub async fn grid(db: &Db, cohort_id: i64, today: NaiveDate) -> Result<Grid> {
    let cohort = super::cohorts::header(db, cohort_id).await?;
    let cohort_name = cohort.name.clone();
    let students_sql = format!(
        "SELECT e.id AS enrollment_id, u.full_name AS name, e.status AS enrollment_status \
         FROM enrollments e JOIN users u ON u.id = e.user_id \
         WHERE e.cohort_id = $1 AND e.status IN ({}) ORDER BY u.full_name, e.id LIMIT {MAX_STUDENTS}",
        markable_list()
    );
    let held_where = "cohort_id = $1 AND date <= $2 AND status <> 'cancelled'";
    let sessions_sql = format!(
        "SELECT id, date, title, status FROM (SELECT id, date, starts_at, title, status FROM sessions \
         WHERE {held_where} ORDER BY date DESC, starts_at DESC, id DESC LIMIT {MAX_SESSIONS}) s \
         ORDER BY date, starts_at, id"
    );
    let (students, sessions, held): (Vec<Student>, Vec<SessionColumn>, i64) = with_db!(db, p => {
        let students = sqlx::query_as(&students_sql).bind(cohort_id).fetch_all(p).await?;
        let sessions = sqlx::query_as(&sessions_sql).bind(cohort_id).bind(today).fetch_all(p).await?;
        let held = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM sessions WHERE {held_where}"))
            .bind(cohort_id)
            .bind(today)
            .fetch_one(p)
            .await?;
        (students, sessions, held)
    });
    let marks = match (sessions.first(), sessions.last()) {
        (Some(first), Some(_)) => with_db!(db, p => {
            sqlx::query_as(
                "SELECT a.session_id, a.enrollment_id, a.status, a.note, a.checked_in_at, a.checked_out_at, a.marked_by, a.marked_at \
                 FROM attendance_records a JOIN sessions s ON s.id = a.session_id \
                 WHERE s.cohort_id = $1 AND s.date >= $2 AND s.date <= $3 AND s.status <> 'cancelled'",
            )
            .bind(cohort_id)
            .bind(first.date)
            .bind(today)
            .fetch_all(p)
            .await?
        }),
        _ => Vec::new(),
    };
    Ok(Grid { cohort_id, cohort_name, cohort, students, sessions, marks, held })
}

/// What a write needs to know about the session and the student.
struct Target {
    cohort_id: i64,
    date: NaiveDate,
    title: String,
}

/// Checks every rule for marking `session_id` (and, given, `enrollment_id`) in `tx`.
async fn check_target(
    tx: &mut Tx,
    actor: &Actor,
    session_id: i64,
    enrollment_id: Option<i64>,
    today: NaiveDate,
) -> Result<(Target, Option<String>)> {
    actor.require(Action::TakeAttendance)?;
    let row: Option<(i64, NaiveDate, String, String)> = with_tx!(tx, c => {
        sqlx::query_as("SELECT cohort_id, date, title, status FROM sessions WHERE id = $1")
            .bind(session_id)
            .fetch_optional(&mut *c)
            .await?
    });
    let (cohort_id, date, title, status) =
        row.ok_or_else(|| StoreError::NotFound { entity: "session", id: session_id.to_string() })?;
    let status = SessionStatus::parse(&status).unwrap_or(SessionStatus::Scheduled);
    attendance::check_markable(status, date, today).map_err(StoreError::refused)?;
    super::cohorts::require_teaches(tx, actor, cohort_id, "take its roll").await?;
    let student = match enrollment_id {
        None => None,
        Some(eid) => {
            let row: Option<(i64, String, String)> = with_tx!(tx, c => {
                sqlx::query_as(
                    "SELECT e.cohort_id, e.status, u.full_name FROM enrollments e JOIN users u ON u.id = e.user_id \
                     WHERE e.id = $1",
                )
                .bind(eid)
                .fetch_optional(&mut *c)
                .await?
            });
            let (of_cohort, status, name) =
                row.ok_or_else(|| StoreError::NotFound { entity: "enrolment", id: eid.to_string() })?;
            if of_cohort != cohort_id {
                return Err(StoreError::refused(format!("{name} is not enrolled in this session's cohort")));
            }
            if !MARKABLE_ENROLLMENTS.contains(&status.as_str()) {
                return Err(StoreError::refused(format!(
                    "{name}'s enrolment is {status}; only active or paused enrolments are marked"
                )));
            }
            Some(name)
        }
    };
    Ok((Target { cohort_id, date, title }, student))
}

/// Marks one student at one session (a new mark or a changed one), with who and
/// when; late also records the check-in time unless one is kept already.
pub async fn mark(
    db: &Db,
    actor: &Actor,
    session_id: i64,
    enrollment_id: i64,
    status: AttendanceStatus,
    today: NaiveDate,
) -> Result<Mark> {
    let mut tx = db.begin().await?;
    let (target, name) = check_target(&mut tx, actor, session_id, Some(enrollment_id), today).await?;
    let before: Option<String> = with_tx!(&mut tx, c => {
        sqlx::query_scalar("SELECT status FROM attendance_records WHERE session_id = $1 AND enrollment_id = $2")
            .bind(session_id)
            .bind(enrollment_id)
            .fetch_optional(&mut *c)
            .await?
    });
    let at = now();
    let checked_in = (status == AttendanceStatus::Late).then_some(at);
    let mark: Mark = with_tx!(&mut tx, c => {
        sqlx::query_as(
            "INSERT INTO attendance_records (session_id, enrollment_id, status, checked_in_at, marked_by, marked_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (session_id, enrollment_id) DO UPDATE SET status = excluded.status, \
             checked_in_at = COALESCE(attendance_records.checked_in_at, excluded.checked_in_at), \
             marked_by = excluded.marked_by, marked_at = excluded.marked_at \
             RETURNING session_id, enrollment_id, status, note, checked_in_at, checked_out_at, marked_by, marked_at",
        )
        .bind(session_id)
        .bind(enrollment_id)
        .bind(status.as_str())
        .bind(checked_in)
        .bind(actor.user_id)
        .bind(at)
        .fetch_one(&mut *c)
        .await?
    });
    let name = name.unwrap_or_default();
    let was = before.as_deref().map_or(String::new(), |b| format!(" (was {b})"));
    let summary = format!("marked {name} {status}{was} at \"{}\" of {}", target.title, target.date);
    let change = Change::new("mark_attendance", "session", Some(session_id), summary).diff(
        &json!({ "enrollment_id": enrollment_id, "status": before }),
        &json!({ "enrollment_id": enrollment_id, "status": status.as_str() }),
    );
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(mark)
}

/// Marks every student of the session's cohort who has no mark yet as present;
/// marks already given stay. Returns how many were marked.
pub async fn mark_unmarked_present(db: &Db, actor: &Actor, session_id: i64, today: NaiveDate) -> Result<i64> {
    let mut tx = db.begin().await?;
    let (target, _) = check_target(&mut tx, actor, session_id, None, today).await?;
    let at = now();
    let sql = format!(
        "INSERT INTO attendance_records (session_id, enrollment_id, status, marked_by, marked_at) \
         SELECT $1, e.id, 'present', $3, $4 FROM enrollments e \
         WHERE e.cohort_id = $2 AND e.status IN ({}) \
         AND NOT EXISTS (SELECT 1 FROM attendance_records a WHERE a.session_id = $1 AND a.enrollment_id = e.id)",
        markable_list()
    );
    let n = with_tx!(&mut tx, c => {
        sqlx::query(&sql).bind(session_id).bind(target.cohort_id).bind(actor.user_id).bind(at).execute(&mut *c).await?.rows_affected()
    }) as i64;
    let summary = format!("marked {n} unmarked as present at \"{}\" of {}", target.title, target.date);
    audit::record(&mut tx, actor, Change::new("mark_all_present", "session", Some(session_id), summary)).await?;
    tx.commit().await?;
    Ok(n)
}

/// A cohort named on the command line: its id, or its exact name ("Full-Stack ·
/// Cohort 7"). `Err` lists nothing it should not: it says what was not found.
pub async fn find_cohort(db: &Db, id_or_name: &str) -> Result<i64> {
    let text = id_or_name.trim();
    let found: Vec<i64> = match text.parse::<i64>() {
        Ok(id) => {
            with_db!(db, p => sqlx::query_scalar("SELECT id FROM cohorts WHERE id = $1").bind(id).fetch_all(p).await?)
        }
        Err(_) => with_db!(db, p => {
            sqlx::query_scalar("SELECT id FROM cohorts WHERE name = $1 ORDER BY id LIMIT 2").bind(text).fetch_all(p).await?
        }),
    };
    match found.as_slice() {
        [id] => Ok(*id),
        [] => Err(StoreError::NotFound { entity: "cohort", id: text.to_string() }),
        _ => Err(StoreError::invalid("cohort", format!("several cohorts are named '{text}'; give its id"))),
    }
}

/// The grid as CSV, one row per student: the status at each held session (oldest
/// first, empty when unmarked), then the counts, the rate in percent and whether it
/// is under `threshold` — the numbers the grid shows. Returns the rows written.
pub fn write_csv(grid: &Grid, threshold: u8, out: impl std::io::Write) -> Result<u64> {
    use crate::domain::metrics::{attendance_rate, below_threshold};
    let io = |e: csv::Error| StoreError::Io(format!("cannot write the export: {e}"));
    let mut w = csv::Writer::from_writer(out);
    let mut head: Vec<String> = vec!["student".into(), "enrolment".into()];
    head.extend(grid.sessions.iter().map(|s| s.date.to_string()));
    head.extend(["present", "late", "excused", "absent", "held", "rate_percent", "under_threshold"].map(String::from));
    w.write_record(&head).map_err(io)?;
    for st in &grid.students {
        let mut row: Vec<String> =
            vec![crate::store::lead_io::protect(&st.name).into_owned(), st.enrollment_status.clone()];
        row.extend(
            grid.sessions
                .iter()
                .map(|s| grid.mark(s.id, st.enrollment_id).map_or("", |m| m.status.as_str()).to_string()),
        );
        let c = grid.counts(st.enrollment_id);
        let absent = grid
            .marks
            .iter()
            .filter(|m| m.enrollment_id == st.enrollment_id && m.status == AttendanceStatus::Absent)
            .count();
        let rate = attendance_rate(c).map_or(String::new(), |r| format!("{:.1}", r * 100.0));
        row.extend([
            c.present.to_string(),
            c.late.to_string(),
            c.excused.to_string(),
            absent.to_string(),
            c.held.to_string(),
            rate,
            below_threshold(c, threshold).to_string(),
        ]);
        w.write_record(&row).map_err(io)?;
    }
    w.flush().map_err(|e| StoreError::Io(format!("cannot write the export: {e}")))?;
    Ok(grid.students.len() as u64)
}

/// Records that a cohort's attendance left the system (who, how many, where to).
pub async fn record_export(db: &Db, actor: &Actor, grid: &Grid, to: &str) -> Result<()> {
    let mut tx = db.begin().await?;
    let n = grid.students.len();
    let summary = format!("exported the attendance of {} ({n} students) to {to}", grid.cohort_name);
    let change = Change::new("export", "cohort", Some(grid.cohort_id), summary).with_new(json!({"rows": n, "to": to}));
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await
}

const MARK_COLUMNS: &str =
    "session_id, enrollment_id, status, note, checked_in_at, checked_out_at, marked_by, marked_at";

/// The mark being changed, read in `tx`: a note or a check-in needs a mark first.
async fn marked(tx: &mut Tx, session_id: i64, enrollment_id: i64, name: &str) -> Result<Mark> {
    let sql = format!("SELECT {MARK_COLUMNS} FROM attendance_records WHERE session_id = $1 AND enrollment_id = $2");
    let row: Option<Mark> = with_tx!(tx, c => {
        sqlx::query_as(&sql).bind(session_id).bind(enrollment_id).fetch_optional(&mut *c).await?
    });
    row.ok_or_else(|| StoreError::refused(format!("{name} is not marked at this session yet; mark first (p a l e)")))
}

/// Keeps a note on a mark (`None` or blank removes it), at most `MAX_NOTE_CHARS`.
pub async fn set_note(
    db: &Db,
    actor: &Actor,
    session_id: i64,
    enrollment_id: i64,
    note: Option<String>,
    today: NaiveDate,
) -> Result<Mark> {
    // NUL dropped first, so a trailing one does not keep the blanks before it.
    let note = note.map(|n| crate::domain::contact::storable(&n).trim().to_string()).filter(|n| !n.is_empty());
    if let Some(n) = note.as_ref().map(|n| n.chars().count()).filter(|n| *n > attendance::MAX_NOTE_CHARS) {
        return Err(StoreError::invalid("note", format!("is {n} characters; at most {}", attendance::MAX_NOTE_CHARS)));
    }
    let mut tx = db.begin().await?;
    let (target, name) = check_target(&mut tx, actor, session_id, Some(enrollment_id), today).await?;
    let name = name.unwrap_or_default();
    let before = marked(&mut tx, session_id, enrollment_id, &name).await?;
    let sql = format!(
        "UPDATE attendance_records SET note = $3, marked_by = $4, marked_at = $5 \
         WHERE session_id = $1 AND enrollment_id = $2 RETURNING {MARK_COLUMNS}"
    );
    let mark: Mark = with_tx!(&mut tx, c => {
        sqlx::query_as(&sql).bind(session_id).bind(enrollment_id).bind(&note).bind(actor.user_id).bind(now()).fetch_one(&mut *c).await?
    });
    let what = if note.is_some() { "noted" } else { "cleared the note of" };
    let summary = format!("{what} {name} at \"{}\" of {}", target.title, target.date);
    let change = Change::new("attendance_note", "session", Some(session_id), summary).diff(
        &json!({ "enrollment_id": enrollment_id, "note": before.note }),
        &json!({ "enrollment_id": enrollment_id, "note": note }),
    );
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(mark)
}

/// `c` on the grid: checks the student in now; checked in already, out now; both
/// kept already, nothing changes (refused, saying when). An unmarked student is
/// marked present as they check in.
pub async fn check_in_or_out(
    db: &Db,
    actor: &Actor,
    session_id: i64,
    enrollment_id: i64,
    today: NaiveDate,
) -> Result<Mark> {
    let mut tx = db.begin().await?;
    let (target, name) = check_target(&mut tx, actor, session_id, Some(enrollment_id), today).await?;
    let name = name.unwrap_or_default();
    let at = now();
    let before: Option<Mark> = {
        let sql = format!("SELECT {MARK_COLUMNS} FROM attendance_records WHERE session_id = $1 AND enrollment_id = $2");
        with_tx!(&mut tx, c => sqlx::query_as(&sql).bind(session_id).bind(enrollment_id).fetch_optional(&mut *c).await?)
    };
    let (sql, what) = match &before {
        None => (
            format!(
                "INSERT INTO attendance_records (session_id, enrollment_id, status, checked_in_at, marked_by, marked_at) \
                 VALUES ($1, $2, 'present', $3, $4, $3) RETURNING {MARK_COLUMNS}"
            ),
            "checked in (present)",
        ),
        Some(m) if m.checked_in_at.is_none() => (
            format!(
                "UPDATE attendance_records SET checked_in_at = $3, marked_by = $4, marked_at = $3 \
                 WHERE session_id = $1 AND enrollment_id = $2 RETURNING {MARK_COLUMNS}"
            ),
            "checked in",
        ),
        Some(m) if m.checked_out_at.is_none() => (
            format!(
                "UPDATE attendance_records SET checked_out_at = $3, marked_by = $4, marked_at = $3 \
                 WHERE session_id = $1 AND enrollment_id = $2 RETURNING {MARK_COLUMNS}"
            ),
            "checked out",
        ),
        Some(m) => {
            let when = |t: Option<DateTime<Utc>>| t.map_or(String::new(), |t| t.format("%H:%M UTC").to_string());
            return Err(StoreError::refused(format!(
                "{name} checked in at {} and out at {} already",
                when(m.checked_in_at),
                when(m.checked_out_at)
            )));
        }
    };
    let mark: Mark = with_tx!(&mut tx, c => {
        sqlx::query_as(&sql).bind(session_id).bind(enrollment_id).bind(at).bind(actor.user_id).fetch_one(&mut *c).await?
    });
    let summary = format!("{name} {what} at \"{}\" of {}", target.title, target.date);
    let change = Change::new("attendance_check", "session", Some(session_id), summary).diff(
        &json!({ "enrollment_id": enrollment_id, "checked_in_at": before.as_ref().and_then(|m| m.checked_in_at), "checked_out_at": before.as_ref().and_then(|m| m.checked_out_at) }),
        &json!({ "enrollment_id": enrollment_id, "checked_in_at": mark.checked_in_at, "checked_out_at": mark.checked_out_at }),
    );
    audit::record(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(mark)
}

/// One student's attendance over every session of the cohort up to today (the
/// newest `MAX_SESSIONS`), cancelled ones included and shown as such.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudentHistory {
    pub name: String,
    pub cohort: String,
    pub enrollment_status: String,
    pub counts: AttendanceCounts,
    /// Session date, title, status, and the mark if any; oldest first.
    pub rows: Vec<(NaiveDate, String, SessionStatus, Option<Mark>)>,
}

pub async fn student_history(db: &Db, enrollment_id: i64, today: NaiveDate) -> Result<StudentHistory> {
    let who: Option<(String, String, String, i64)> = with_db!(db, p => {
        sqlx::query_as(
            "SELECT u.full_name, c.name, e.status, e.cohort_id FROM enrollments e JOIN users u ON u.id = e.user_id \
             JOIN cohorts c ON c.id = e.cohort_id WHERE e.id = $1",
        )
        .bind(enrollment_id)
        .fetch_optional(p)
        .await?
    });
    let (name, cohort, enrollment_status, cohort_id) =
        who.ok_or_else(|| StoreError::not_found("enrolment", enrollment_id))?;
    let sessions_sql = format!(
        "SELECT id, date, title, status FROM (SELECT id, date, starts_at, title, status FROM sessions \
         WHERE cohort_id = $1 AND date <= $2 ORDER BY date DESC, starts_at DESC, id DESC LIMIT {MAX_SESSIONS}) s \
         ORDER BY date, starts_at, id"
    );
    let marks_sql = format!(
        "SELECT {} FROM attendance_records a JOIN sessions s ON s.id = a.session_id \
         WHERE a.enrollment_id = $1 AND s.date <= $2",
        MARK_COLUMNS.split(", ").map(|c| format!("a.{c}")).collect::<Vec<_>>().join(", ")
    );
    let (sessions, marks): (Vec<SessionColumn>, Vec<Mark>) = with_db!(db, p => {
        let sessions = sqlx::query_as(&sessions_sql).bind(cohort_id).bind(today).fetch_all(p).await?;
        let marks = sqlx::query_as(&marks_sql).bind(enrollment_id).bind(today).fetch_all(p).await?;
        (sessions, marks)
    });
    // The rate's counts, the grid's way (every held session, not only those listed).
    let grid = grid(db, cohort_id, today).await?;
    let counts = grid.counts(enrollment_id);
    let rows = sessions
        .into_iter()
        .map(|s| {
            let m = marks.iter().find(|m| m.session_id == s.id).cloned();
            (s.date, s.title, s.status, m)
        })
        .collect();
    Ok(StudentHistory { name, cohort, enrollment_status, counts, rows })
}
