//! The dashboard: a few short lists per role, each item pointing at a screen.

use super::lead_filter::LIVE;
use super::{Actor, Db, Result, now};
use crate::domain::metrics::{AttendanceCounts, attendance_rate, below_threshold};
use crate::domain::permissions::Action;
use crate::with_db;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

/// Items shown per section.
const SHOWN: i64 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SectionKind {
    NewLeads,
    FollowUps,
    UnreadMessages,
    TodaySessions,
    LowAttendance,
    ModerationQueue,
    Lockouts,
    LatestAudit,
}

impl SectionKind {
    pub fn title(self) -> &'static str {
        match self {
            SectionKind::NewLeads => "New leads",
            SectionKind::FollowUps => "My follow-ups due today and overdue",
            SectionKind::UnreadMessages => "Unread contact messages",
            SectionKind::TodaySessions => "Today's sessions of my cohorts",
            SectionKind::LowAttendance => "Students under the attendance threshold",
            SectionKind::ModerationQueue => "Moderation queue",
            SectionKind::Lockouts => "Locked accounts",
            SectionKind::LatestAudit => "Latest audit entries",
        }
    }

    /// The sections a user with these roles sees, in display order. Viewers see the
    /// office's overview read-only.
    pub fn for_actor(actor: &Actor) -> Vec<SectionKind> {
        let r = actor.roles;
        let viewer = r.roles() == vec![crate::domain::permissions::Role::Viewer];
        let mut out = Vec::new();
        if r.staff || viewer {
            out.push(SectionKind::NewLeads);
        }
        if r.staff {
            out.push(SectionKind::FollowUps);
        }
        if r.staff || viewer {
            out.push(SectionKind::UnreadMessages);
        }
        if r.instructor {
            out.push(SectionKind::TodaySessions);
            out.push(SectionKind::LowAttendance);
        }
        if r.admin || viewer {
            out.push(SectionKind::ModerationQueue);
        }
        if r.admin {
            out.push(SectionKind::Lockouts);
        }
        // The latest audit entries are every row: admins only (a viewer reads the
        // trail in `:audit` when `audit.viewers_read` grants it).
        if r.admin && actor.roles.can(Action::ViewAudit) {
            out.push(SectionKind::LatestAudit);
        }
        out
    }
}

/// One line of a section; `id` identifies the row the item opens.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: i64,
    pub title: String,
    pub detail: String,
    /// Drawn in the warning style (overdue, missing attendance, locked).
    pub alert: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub kind: SectionKind,
    pub total: i64,
    pub items: Vec<Item>,
}

/// Everything the dashboard shows for `actor`, as of `today` (office calendar day).
/// `tz` is the office's zone, in which session times are shown (as the calendar does).
pub async fn load(
    db: &Db,
    actor: &Actor,
    today: NaiveDate,
    tz: chrono_tz::Tz,
    threshold_percent: u8,
) -> Result<Vec<Section>> {
    let mut out = Vec::new();
    let me = actor.user_id.unwrap_or(0);
    let day_end: DateTime<Utc> = today.and_time(NaiveTime::MIN).and_utc() + Duration::days(1);
    for kind in SectionKind::for_actor(actor) {
        let section = match kind {
            SectionKind::NewLeads => new_leads(db).await?,
            SectionKind::FollowUps => follow_ups(db, me, day_end).await?,
            SectionKind::UnreadMessages => unread_messages(db).await?,
            SectionKind::TodaySessions => today_sessions(db, me, today, tz).await?,
            SectionKind::LowAttendance => low_attendance(db, me, today, threshold_percent).await?,
            SectionKind::ModerationQueue => moderation(db).await?,
            SectionKind::Lockouts => lockouts(db).await?,
            SectionKind::LatestAudit => latest_audit(db).await?,
        };
        out.push(section);
    }
    Ok(out)
}

async fn count(db: &Db, sql: &str) -> Result<i64> {
    Ok(with_db!(db, p => sqlx::query_scalar::<_, i64>(sql).fetch_one(p).await?))
}

async fn new_leads(db: &Db) -> Result<Section> {
    let total = count(db, &format!("SELECT COUNT(*) FROM leads WHERE status = 'new'{LIVE}")).await?;
    let rows: Vec<(i64, String, String, String)> = with_db!(db, p => {
        sqlx::query_as(&format!(
            "SELECT id, full_name, source, interested_in FROM leads WHERE status = 'new'{LIVE} \
             ORDER BY updated_at DESC, id DESC LIMIT $1",
        ))
        .bind(SHOWN)
        .fetch_all(p)
        .await?
    });
    let items = rows
        .into_iter()
        .map(|(id, name, source, interest)| Item {
            id,
            title: name,
            detail: format!("{} · {}", source.replace('_', " "), interest.replace('_', " ")),
            alert: false,
        })
        .collect();
    Ok(Section { kind: SectionKind::NewLeads, total, items })
}

async fn follow_ups(db: &Db, me: i64, day_end: DateTime<Utc>) -> Result<Section> {
    // Open stages listed (not "NOT IN closed") so the index serves each as a range.
    const OPEN_MINE_DUE: &str = "FROM leads WHERE assigned_to = $1 AND next_follow_up_at < $2 \
         AND status IN ('new', 'contacted', 'qualified', 'proposal_sent', 'nurturing') AND merged_into_id IS NULL";
    let total: i64 = with_db!(db, p => {
        sqlx::query_scalar(&format!("SELECT COUNT(*) {OPEN_MINE_DUE}")).bind(me).bind(day_end).fetch_one(p).await?
    });
    let rows: Vec<(i64, String, DateTime<Utc>)> = with_db!(db, p => {
        sqlx::query_as(&format!("SELECT id, full_name, next_follow_up_at {OPEN_MINE_DUE} ORDER BY next_follow_up_at, id LIMIT $3"))
            .bind(me)
            .bind(day_end)
            .bind(SHOWN)
            .fetch_all(p)
            .await?
    });
    let start_of_today = day_end - Duration::days(1);
    let items = rows
        .into_iter()
        .map(|(id, name, due)| {
            let overdue = due < start_of_today;
            Item {
                id,
                title: name,
                detail: if overdue {
                    let days = (start_of_today - due).num_days() + 1;
                    format!("overdue {days} day{}", if days == 1 { "" } else { "s" })
                } else {
                    format!("due today {}", due.format("%H:%M"))
                },
                alert: overdue,
            }
        })
        .collect();
    Ok(Section { kind: SectionKind::FollowUps, total, items })
}

async fn unread_messages(db: &Db) -> Result<Section> {
    let total = count(db, "SELECT COUNT(*) FROM contact_messages WHERE status = 'new'").await?;
    let rows: Vec<(i64, String, Option<String>)> = with_db!(db, p => {
        sqlx::query_as(
            "SELECT id, name, subject FROM contact_messages WHERE status = 'new' ORDER BY created_at DESC, id DESC LIMIT $1",
        )
        .bind(SHOWN)
        .fetch_all(p)
        .await?
    });
    let items = rows
        .into_iter()
        .map(|(id, name, subject)| Item { id, title: name, detail: subject.unwrap_or_default(), alert: false })
        .collect();
    Ok(Section { kind: SectionKind::UnreadMessages, total, items })
}

type TodayRow = (i64, String, String, NaiveDate, Option<NaiveTime>, Option<NaiveTime>, Option<String>, bool);

/// The instructor's sessions on the office's `today`, each at its time as the
/// calendar shows it (`calendar::shown`): a cohort in another zone may have a
/// session stored on the day before or after.
async fn today_sessions(db: &Db, me: i64, today: NaiveDate, tz: chrono_tz::Tz) -> Result<Section> {
    let rows: Vec<TodayRow> = with_db!(db, p => {
        sqlx::query_as(
            "SELECT s.id, s.title, c.name, s.date, s.starts_at, s.ends_at, c.time_zone, \
             EXISTS (SELECT 1 FROM attendance_records a WHERE a.session_id = s.id) \
             FROM sessions s JOIN cohorts c ON c.id = s.cohort_id \
             WHERE s.date >= $2 AND s.date <= $3 AND s.status <> 'cancelled' \
             AND s.cohort_id IN (SELECT cohort_id FROM cohort_instructors WHERE user_id = $1) \
             ORDER BY s.date, s.starts_at, s.id",
        )
        .bind(me)
        .bind(today - Duration::days(1))
        .bind(today + Duration::days(1))
        .fetch_all(p)
        .await?
    });
    let mut items: Vec<(Option<NaiveTime>, Item)> = rows
        .into_iter()
        .filter_map(|(id, title, cohort, date, starts, ends, zone, marked)| {
            let seen = super::calendar::shown(date, starts, ends, zone.as_deref(), tz);
            (seen.date == today).then(|| {
                let hm = |t: Option<NaiveTime>| t.map_or_else(|| "--:--".into(), |t| t.format("%H:%M").to_string());
                let own = seen.own_time.map(|o| format!(" ({o})")).unwrap_or_default();
                let taken = if marked { "attendance taken" } else { "attendance missing" };
                let item = Item {
                    id,
                    title: format!("{} {title}", hm(seen.starts)),
                    detail: format!("{cohort}{own} · {taken}"),
                    alert: !marked,
                };
                (seen.starts, item)
            })
        })
        .collect();
    items.sort_by_key(|(starts, item)| (*starts, item.id));
    let total = items.len() as i64;
    let items = items.into_iter().map(|(_, item)| item).collect();
    Ok(Section { kind: SectionKind::TodaySessions, total, items })
}

async fn low_attendance(db: &Db, me: i64, today: NaiveDate, threshold: u8) -> Result<Section> {
    let rows: Vec<(i64, String, String, i64, i64, i64, i64)> = with_db!(db, p => {
        sqlx::query_as(
            "SELECT e.id, u.full_name, c.name, \
             (SELECT COUNT(*) FROM sessions s WHERE s.cohort_id = e.cohort_id AND s.date <= $2 AND s.status <> 'cancelled'), \
             (SELECT COUNT(*) FROM attendance_records a JOIN sessions s ON s.id = a.session_id \
                WHERE a.enrollment_id = e.id AND s.date <= $2 AND s.status <> 'cancelled' AND a.status = 'present'), \
             (SELECT COUNT(*) FROM attendance_records a JOIN sessions s ON s.id = a.session_id \
                WHERE a.enrollment_id = e.id AND s.date <= $2 AND s.status <> 'cancelled' AND a.status = 'late'), \
             (SELECT COUNT(*) FROM attendance_records a JOIN sessions s ON s.id = a.session_id \
                WHERE a.enrollment_id = e.id AND s.date <= $2 AND s.status <> 'cancelled' AND a.status = 'excused') \
             FROM enrollments e JOIN users u ON u.id = e.user_id JOIN cohorts c ON c.id = e.cohort_id \
             WHERE e.status = 'active' AND e.cohort_id IN (SELECT cohort_id FROM cohort_instructors WHERE user_id = $1) \
             ORDER BY u.full_name, e.id",
        )
        .bind(me)
        .bind(today)
        .fetch_all(p)
        .await?
    });
    let mut flagged: Vec<Item> = rows
        .into_iter()
        .filter_map(|(id, name, cohort, held, present, late, excused)| {
            let c = AttendanceCounts { held, present, late, excused };
            below_threshold(c, threshold).then(|| Item {
                id,
                title: name,
                detail: format!("{cohort} · {:.0} % attended", attendance_rate(c).unwrap_or(0.0) * 100.0),
                alert: true,
            })
        })
        .collect();
    let total = flagged.len() as i64;
    flagged.truncate(SHOWN as usize);
    Ok(Section { kind: SectionKind::LowAttendance, total, items: flagged })
}

async fn moderation(db: &Db) -> Result<Section> {
    let posts = count(db, "SELECT COUNT(*) FROM posts WHERE status = 'pending'").await?;
    let testimonials = count(db, "SELECT COUNT(*) FROM testimonials WHERE status = 'pending'").await?;
    let applications = count(db, "SELECT COUNT(*) FROM applications WHERE status = 'pending'").await?;
    let reviews = count(db, "SELECT COUNT(*) FROM reviews WHERE status = 'new'").await?;
    let comments = count(db, "SELECT COUNT(*) FROM comments WHERE status = 'visible' AND reviewed_at IS NULL").await?;
    let items = vec![
        Item { id: 0, title: format!("{posts} posts awaiting review"), detail: String::new(), alert: posts > 0 },
        Item {
            id: 1,
            title: format!("{testimonials} testimonials awaiting review"),
            detail: String::new(),
            alert: testimonials > 0,
        },
        Item { id: 2, title: format!("{applications} applications pending"), detail: String::new(), alert: false },
        Item {
            id: 3,
            title: format!("{reviews} reviews, {comments} comments new"),
            detail: String::new(),
            alert: false,
        },
    ];
    Ok(Section { kind: SectionKind::ModerationQueue, total: posts + testimonials + reviews + comments, items })
}

async fn lockouts(db: &Db) -> Result<Section> {
    let rows: Vec<(i64, String, DateTime<Utc>)> = with_db!(db, p => {
        sqlx::query_as("SELECT id, full_name, locked_until FROM users WHERE locked_until > $1 ORDER BY locked_until DESC LIMIT 50")
            .bind(now())
            .fetch_all(p)
            .await?
    });
    let total = rows.len() as i64;
    let items = rows
        .into_iter()
        .take(SHOWN as usize)
        .map(|(id, name, until)| Item {
            id,
            title: name,
            detail: format!("locked until {}", until.format("%H:%M UTC")),
            alert: true,
        })
        .collect();
    Ok(Section { kind: SectionKind::Lockouts, total, items })
}

async fn latest_audit(db: &Db) -> Result<Section> {
    let rows: Vec<(i64, String, DateTime<Utc>)> = with_db!(db, p => {
        sqlx::query_as("SELECT id, summary, created_at FROM audit_log ORDER BY id DESC LIMIT $1").bind(SHOWN).fetch_all(p).await?
    });
    let total = rows.first().map_or(0, |r| r.0);
    let items = rows
        .into_iter()
        .map(|(id, summary, at)| Item {
            id,
            title: summary,
            detail: at.format("%Y-%m-%d %H:%M").to_string(),
            alert: false,
        })
        .collect();
    Ok(Section { kind: SectionKind::LatestAudit, total, items })
}
