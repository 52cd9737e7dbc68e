//! The permission gate, walked from the areas' declarations: every request (by
//! `Request::names`, plus every simple area's operation) × every role,
//! on both backends. A role the gate's row allows is never refused for permission; a
//! role it does not allow is refused with "may not" before anything is written; and
//! without a session every request but the logins is refused ("log in first").
//!
//! The sample builder matches every request's name: a new request without a sample
//! here fails this test, so it cannot slip past it.

use crate::common::TestDb;
use chrono::Duration;
use staffroom::backend::gate::Need;
use staffroom::backend::{
    AttendanceRequest, AuditRequest, CalendarRequest, LeadRequest, MessageRequest, ModerationRequest, OfficeReply,
    OfficeRequest, PostRequest, UserRequest,
};
use staffroom::backend::{Backend, OnDuplicate, Reply, Request, Settings};
use staffroom::domain::lead::{Interest, LeadSource, LeadStatus, LeadType, MoveInput, NoteType};
use staffroom::domain::message::MessageStatus;
use staffroom::domain::permissions::{Role, Roles};
use staffroom_core::store::attendance::GridOf;
use staffroom_core::store::lead_fields::LeadFields;
use staffroom_core::store::lead_filter::LeadFilter;
use staffroom_core::store::leads::{self, Lead, NewLead};
use staffroom_core::store::users::{self, DEMO_DOMAIN, NewUser};
use staffroom_core::store::{Actor, Db, StoreError};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

const TERMINAL: &str = "gate-matrix";

fn roles_of(role: Role) -> Roles {
    match role {
        Role::Admin => Roles::ADMIN,
        Role::Staff => Roles::STAFF,
        Role::Instructor => Roles::INSTRUCTOR,
        Role::Viewer => Roles::VIEWER,
    }
}

fn email_of(role: Role) -> String {
    format!("gate-{role}@{DEMO_DOMAIN}")
}

/// Does the gate's row for a request (`gate::need_of`) let `roles` through?
fn allows(need: Option<Need>, roles: Roles) -> bool {
    match need {
        Some(Need::Nothing | Need::Session) => true,
        Some(Need::Permission(a)) => roles.can(a),
        // The test backend leaves `audit.viewers_read` off: viewers are refused.
        Some(Need::AuditReader) => {
            roles.can(staffroom::domain::permissions::Action::ViewAudit)
                && (roles.admin || roles.staff || roles.instructor)
        }
        // Unresolved: a simple area's operation without a row of its own.
        None => false,
    }
}

fn demo_settings() -> Settings {
    Settings { demo: true, ..crate::driver::backend_settings() }
}

/// What the samples point at: one demo-domain user per role, a lead, and a counter
/// for fresh rows (a write gets rows of its own, so no sample depends on another).
struct Fixture {
    db: Db,
    staff_id: i64,
    lead: Lead,
    n: AtomicU32,
}

impl Fixture {
    async fn new(db: &Db) -> Fixture {
        let mut staff_id = 0;
        for &role in Role::ALL {
            let new = NewUser {
                email: Some(email_of(role)),
                full_name: format!("Gate {role}"),
                roles: roles_of(role),
                ..NewUser::default()
            };
            let u = users::create(db, &Actor::cli(), new).await.expect("create role user");
            if role == Role::Staff {
                staff_id = u.id;
            }
        }
        let lead = create_lead(db, 0).await;
        Fixture { db: db.clone(), staff_id, lead, n: AtomicU32::new(1) }
    }

    fn next(&self) -> u32 {
        self.n.fetch_add(1, Ordering::SeqCst)
    }

    async fn fresh_lead(&self) -> Lead {
        create_lead(&self.db, self.next()).await
    }

    /// A staff account of its own, locked out (so unlocking it has work to do).
    async fn fresh_user(&self) -> users::User {
        let n = self.next();
        let new = NewUser {
            email: Some(format!("gate-user-{n}@mail.example")),
            full_name: format!("Gate User {n}"),
            password: Some("long enough password".into()),
            roles: Roles::STAFF,
            ..NewUser::default()
        };
        let u = users::create(&self.db, &Actor::cli(), new).await.expect("create user");
        let until = staffroom_core::store::now() + Duration::hours(1);
        staffroom_core::with_db!(&self.db, p => {
            sqlx::query("UPDATE users SET locked_until = $1, failed_logins = 5 WHERE id = $2")
                .bind(until)
                .bind(u.id)
                .execute(p)
                .await
                .expect("lock user");
        });
        users::get(&self.db, u.id).await.expect("reread user")
    }

    async fn fresh_message(&self) -> staffroom_core::store::contact_messages::ContactMessage {
        let n = self.next();
        let email = format!("gate-msg-{n}@mail.example");
        crate::contact_messages::receive(
            &self.db,
            &format!("Gate Sender {n}"),
            Some(&email),
            None,
            staffroom_core::store::now(),
        )
        .await
    }

    /// A class taught by this role's gate user (so an instructor passes the store's
    /// own "teaches this cohort" check, and the gate alone decides).
    async fn class(&self, role: Role) -> crate::attendance::Class {
        let me = users::find_by_email(&self.db, &email_of(role)).await.expect("find").expect("gate user");
        crate::attendance::class(&self.db, Some(me.id), &["Gate Student"], 0).await
    }

    /// A draft by the gate's staff member.
    async fn fresh_post(&self) -> (i64, i64) {
        let author = Actor::user(self.staff_id, "Gate Staff", staffroom::domain::permissions::Roles::STAFF);
        let title = format!("Gate draft {}", self.next());
        let p = staffroom_core::store::content::create_post(
            &self.db,
            &author,
            &title,
            "body",
            staffroom::domain::post::PostType::Article,
        )
        .await
        .expect("post");
        (p.id, p.version)
    }

    /// A published post edited once: it holds one revision.
    async fn published_post_with_revision(&self) -> (i64, i64, i64) {
        let author = Actor::user(self.staff_id, "Gate Staff", staffroom::domain::permissions::Roles::STAFF);
        let (id, version) = self.fresh_post().await;
        let p = staffroom_core::store::content::move_post(
            &self.db,
            &author,
            id,
            version,
            staffroom::domain::post::PostStatus::Published,
            None,
        )
        .await
        .expect("publish");
        let body = staffroom_core::store::posts::get(&self.db, id).await.expect("post");
        let draft = staffroom_core::store::posts::PostDraft { content: "edited body".into(), ..body.draft() };
        let saved =
            staffroom_core::store::posts::save(&self.db, &author, Some((id, p.version)), draft).await.expect("edit");
        let revisions = staffroom_core::store::posts::revisions(&self.db, id).await.expect("revisions");
        (id, saved.row.version, revisions[0].id)
    }

    fn fields(&self, name: String, email: String) -> Box<LeadFields> {
        Box::new(LeadFields {
            full_name: name,
            email: Some(email),
            phone: None,
            whatsapp: None,
            lead_type: LeadType::Other,
            source: LeadSource::Other,
            interested_in: Interest::Mentorship,
            budget_range: None,
            urgency: None,
            message: None,
        })
    }

    /// A valid request of `kind` for `role`. Exhaustive on purpose: a new kind must
    /// get a sample here before the crate's tests compile again.
    async fn sample(&self, kind: &str, role: Role, export_dir: &std::path::Path) -> Request {
        let terminal = TERMINAL.to_string();
        let request = match kind {
            // Each simple area's operations get samples of their own (`area_requests`);
            // this one stands for the kind.
            "Area" => {
                let area = staffroom_core::store::areas::AREAS[0].name;
                let args = staffroom_core::store::areas::Args { limit: 10, ..Default::default() };
                Request::Area { area, op: "list", args: Box::new(args) }
            }
            "Login" => Request::Office(OfficeRequest::Login {
                email: email_of(role),
                password: "not-the-password".into(),
                terminal,
            }),
            "DemoLogin" => Request::Office(OfficeRequest::DemoLogin { email: email_of(role), terminal }),
            "Unlock" => Request::Office(OfficeRequest::Unlock { password: "not-the-password".into(), terminal }),
            "Dashboard" => {
                Request::Office(OfficeRequest::Dashboard { today: staffroom_core::store::now().date_naive() })
            }
            "VerifyAudit" => Request::Audit(AuditRequest::VerifyAudit),
            "ExportAudit" => {
                Request::Audit(AuditRequest::ExportAudit { filter: Box::default(), dir: std::env::temp_dir() })
            }
            "AuditPage" => Request::Audit(AuditRequest::AuditPage {
                filter: Box::default(),
                from: staffroom_core::store::audit_query::From::Newest,
                limit: 10,
            }),
            "Board" => {
                Request::Leads(LeadRequest::Board { per_column: 5, filter: Some(LeadFilter::default()), save: false })
            }
            "BoardMore" => Request::Leads(LeadRequest::BoardMore {
                status: LeadStatus::New,
                after: (staffroom_core::store::now() + Duration::days(1), i64::MAX),
                limit: 5,
                filter: LeadFilter::default(),
            }),
            "MoveLead" => {
                let l = self.fresh_lead().await;
                Request::Leads(LeadRequest::MoveLead {
                    id: l.id,
                    version: l.version,
                    to: LeadStatus::Contacted,
                    input: MoveInput::default(),
                })
            }
            "Ping" => Request::Office(OfficeRequest::Ping),
            "Users" => Request::Users(UserRequest::Users { state: None, search: None, after: None, limit: 10 }),
            "AddUser" => {
                let n = self.next();
                let fields = users::UserFields {
                    full_name: format!("Gate Added {n}"),
                    email: Some(format!("gate-added-{n}@mail.example")),
                    phone: None,
                    roles: Roles::STAFF,
                };
                Request::Users(UserRequest::AddUser { fields: Box::new(fields), password: None })
            }
            "EditUser" => {
                let u = self.fresh_user().await;
                let fields = users::UserFields {
                    full_name: format!("{} (edited)", u.full_name),
                    email: u.email.clone(),
                    phone: None,
                    roles: Roles::INSTRUCTOR,
                };
                Request::Users(UserRequest::EditUser { id: u.id, version: u.version, fields: Box::new(fields) })
            }
            "ResetPassword" => {
                let u = self.fresh_user().await;
                Request::Users(UserRequest::ResetPassword { id: u.id, version: u.version, password: None })
            }
            "SetUserActive" => {
                let u = self.fresh_user().await;
                Request::Users(UserRequest::SetUserActive { id: u.id, version: u.version, active: false })
            }
            "UnlockUser" => {
                let u = self.fresh_user().await;
                Request::Users(UserRequest::UnlockUser { id: u.id, version: u.version })
            }
            "LoginHistory" => Request::Users(UserRequest::LoginHistory { id: self.staff_id }),
            "ChangeOwnPassword" => Request::Users(UserRequest::ChangeOwnPassword {
                password: staffroom::backend::Secret(format!("a new password {}", self.next())),
            }),
            "LeadDetail" => Request::Leads(LeadRequest::LeadDetail { id: self.lead.id }),
            "AddNote" => Request::Leads(LeadRequest::AddNote {
                lead_id: self.lead.id,
                note_type: NoteType::General,
                text: "gate note".into(),
            }),
            "AssignLead" => {
                let l = self.fresh_lead().await;
                Request::Leads(LeadRequest::AssignLead { id: l.id, version: l.version, user_id: Some(self.staff_id) })
            }
            "SetFollowUp" => {
                let l = self.fresh_lead().await;
                let at = Some(staffroom_core::store::now() + Duration::days(2));
                Request::Leads(LeadRequest::SetFollowUp { id: l.id, version: l.version, at })
            }
            "CreateLead" => {
                let n = self.next();
                let fields = self.fields(format!("Gate New {n}"), format!("gate-new-{n}@leads.example"));
                Request::Leads(LeadRequest::CreateLead { fields, on_duplicate: OnDuplicate::Warn })
            }
            "UpdateLead" => {
                let l = self.fresh_lead().await;
                let fields =
                    Box::new(LeadFields { full_name: format!("{} (edited)", l.full_name), ..LeadFields::of(&l) });
                Request::Leads(LeadRequest::UpdateLead { id: l.id, version: l.version, fields })
            }
            "Assignees" => Request::Leads(LeadRequest::Assignees),
            "LeadDuplicates" => Request::Leads(LeadRequest::LeadDuplicates { id: self.lead.id }),
            "Messages" => Request::Messages(MessageRequest::Messages { status: None, after: None, limit: 10 }),
            "SetMessageStatus" => {
                let m = self.fresh_message().await;
                Request::Messages(MessageRequest::SetMessageStatus {
                    id: m.id,
                    version: m.version,
                    to: MessageStatus::InProgress,
                })
            }
            "ConvertMessage" => {
                let m = self.fresh_message().await;
                Request::Messages(MessageRequest::ConvertMessage { id: m.id, version: m.version, force: true })
            }
            "LinkMessage" => {
                let m = self.fresh_message().await;
                Request::Messages(MessageRequest::LinkMessage { id: m.id, version: m.version, lead_id: self.lead.id })
            }
            "ExportLeads" => Request::Leads(LeadRequest::ExportLeads {
                filter: LeadFilter::default(),
                dir: export_dir.to_path_buf(),
            }),
            "MoveLeads" => {
                let (a, b) = (self.fresh_lead().await, self.fresh_lead().await);
                Request::Leads(LeadRequest::MoveLeads {
                    items: vec![(a.id, a.version), (b.id, b.version)],
                    to: LeadStatus::Contacted,
                })
            }
            "AssignLeads" => {
                let a = self.fresh_lead().await;
                Request::Leads(LeadRequest::AssignLeads {
                    items: vec![(a.id, a.version)],
                    user_id: Some(self.staff_id),
                })
            }
            "MergeLeads" => {
                let (a, b) = (self.fresh_lead().await, self.fresh_lead().await);
                Request::Leads(LeadRequest::MergeLeads { a: (a.id, a.version), b: (b.id, b.version) })
            }
            "Posts" => Request::Posts(PostRequest::Posts { status: None, search: None, after: None, limit: 10 }),
            "PostBody" => Request::Posts(PostRequest::PostBody { id: self.fresh_post().await.0 }),
            "SavePost" => {
                let draft = staffroom_core::store::posts::PostDraft {
                    title: format!("Gate post {}", self.next()),
                    content: "Gate body".into(),
                    ..Default::default()
                };
                Request::Posts(PostRequest::SavePost { id: None, draft: Box::new(draft) })
            }
            "MovePost" => {
                let (id, version) = self.fresh_post().await;
                Request::Posts(PostRequest::MovePost {
                    id,
                    version,
                    to: staffroom::domain::post::PostStatus::Pending,
                    reason: None,
                })
            }
            "PublishDue" => Request::Posts(PostRequest::PublishDue),
            "PostRevisions" => Request::Posts(PostRequest::PostRevisions { id: self.fresh_post().await.0 }),
            "RestoreRevision" => {
                let (id, version, revision) = self.published_post_with_revision().await;
                Request::Posts(PostRequest::RestoreRevision { id, version, revision })
            }
            "AttendanceCohorts" => Request::Attendance(AttendanceRequest::AttendanceCohorts),
            "AttendanceGrid" => {
                let c = self.class(role).await;
                Request::Attendance(AttendanceRequest::AttendanceGrid { of: GridOf::Cohort(c.cohort_id) })
            }
            "MarkAttendance" => {
                let c = self.class(role).await;
                Request::Attendance(AttendanceRequest::MarkAttendance {
                    session_id: c.today,
                    enrollment_id: c.students[0],
                    status: staffroom::domain::attendance::AttendanceStatus::Present,
                })
            }
            "Calendar" => {
                let day = chrono::Utc::now().date_naive();
                let filter = staffroom_core::store::calendar::CalendarFilter::default();
                Request::Calendar(CalendarRequest::Calendar {
                    from: day - Duration::days(7),
                    to: day + Duration::days(7),
                    filter,
                })
            }
            "CalendarChoices" => Request::Calendar(CalendarRequest::CalendarChoices),
            "ModerationQueue" => {
                Request::Moderation(ModerationRequest::ModerationQueue { kind: None, after: None, limit: 10 })
            }
            "ModerationPreview" => {
                let t =
                    staffroom_core::store::content::create_testimonial(&self.db, &Actor::cli(), "Gate", "Gate text", 5)
                        .await
                        .expect("testimonial");
                Request::Moderation(ModerationRequest::ModerationPreview {
                    kind: staffroom_core::store::moderation::QueueKind::Testimonial,
                    id: t.id,
                })
            }
            "Decide" => {
                let t =
                    staffroom_core::store::content::create_testimonial(&self.db, &Actor::cli(), "Gate", "Gate text", 5)
                        .await
                        .expect("testimonial");
                Request::Moderation(ModerationRequest::Decide {
                    items: vec![(staffroom_core::store::moderation::QueueKind::Testimonial, t.id, t.version)],
                    decision: staffroom_core::store::moderation::Decision::Approve,
                })
            }
            "MarkAllPresent" => {
                let c = self.class(role).await;
                Request::Attendance(AttendanceRequest::MarkAllPresent { session_id: c.today })
            }
            "NoteAttendance" => {
                let c = self.class(role).await;
                let enrollment_id = c.students[0];
                // A note needs a mark: one is given first, as the system.
                staffroom_core::with_db!(&self.db, p => sqlx::query("INSERT INTO attendance_records (session_id, enrollment_id, status, marked_at) VALUES ($1, $2, 'present', $3)")
                    .bind(c.today).bind(enrollment_id).bind(staffroom_core::store::now()).execute(p).await.expect("mark").rows_affected());
                Request::Attendance(AttendanceRequest::NoteAttendance {
                    session_id: c.today,
                    enrollment_id,
                    note: Some("gate note".into()),
                })
            }
            "CheckAttendance" => {
                let c = self.class(role).await;
                Request::Attendance(AttendanceRequest::CheckAttendance {
                    session_id: c.today,
                    enrollment_id: c.students[0],
                })
            }
            "StudentAttendance" => Request::Attendance(AttendanceRequest::StudentAttendance {
                enrollment_id: self.class(role).await.students[0],
            }),
            "SessionToEdit" => Request::Calendar(CalendarRequest::SessionToEdit { id: self.class(role).await.today }),
            "SaveSession" => {
                let c = self.class(role).await;
                let fields = staffroom_core::store::sessions::SessionFields {
                    cohort_id: c.cohort_id,
                    date: chrono::Utc::now().date_naive() + Duration::days(3),
                    starts: None,
                    ends: None,
                    mode: staffroom::domain::session::DeliveryMode::Onsite,
                    location: Some("Gate room".into()),
                    meeting_url: None,
                    title: "Gate session".into(),
                    day_plan: None,
                    session_type: staffroom::domain::session::SessionType::Normal,
                };
                Request::Calendar(CalendarRequest::SaveSession {
                    id: None,
                    cohort: None,
                    fields: Box::new(fields),
                    repeat: None,
                    allow_clash: true,
                })
            }
            "ShiftSession" => {
                let c = self.class(role).await;
                Request::Calendar(CalendarRequest::ShiftSession {
                    id: c.tomorrow,
                    version: 1,
                    days: 1,
                    allow_clash: true,
                })
            }
            "CancelSession" => {
                let c = self.class(role).await;
                Request::Calendar(CalendarRequest::CancelSession { id: c.tomorrow, version: 1 })
            }
            "CohortHeader" => {
                Request::Calendar(CalendarRequest::CohortHeader { cohort_id: self.class(role).await.cohort_id })
            }
            "MoveCohort" => {
                let c = self.class(role).await;
                Request::Calendar(CalendarRequest::MoveCohort {
                    id: c.cohort_id,
                    version: 1,
                    to: staffroom::domain::lifecycle::CohortStatus::Completed,
                })
            }
            "ExportCalendar" => {
                let c = self.class(role).await;
                Request::Calendar(CalendarRequest::ExportCalendar {
                    cohort_id: c.cohort_id,
                    dir: export_dir.to_path_buf(),
                })
            }
            other => panic!("no sample for the request {other}: add one to `Fixture::sample`"),
        };
        assert_eq!(request.name(), kind, "the sample of {kind} is a request of another kind");
        request
    }
}

async fn create_lead(db: &Db, n: u32) -> Lead {
    let new = NewLead {
        full_name: format!("Gate Lead {n}"),
        email: Some(format!("gate-lead-{n}@leads.example")),
        ..NewLead::default()
    };
    leads::create(db, &Actor::cli(), new).await.expect("create lead")
}

async fn audit_rows(db: &Db) -> i64 {
    staffroom_core::with_db!(db, p => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log").fetch_one(p).await.expect("count audit rows")
    })
}

fn files_in(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

fn fresh_dir() -> PathBuf {
    let dir = crate::common::temp_path("exports");
    std::fs::create_dir_all(&dir).expect("export dir");
    dir
}

/// The columns a list's rows must fill: the simple area's, the posts' or the users'.
fn list_columns(request: &Request) -> Option<staffroom_core::protocol::areas::Columns> {
    match request {
        Request::Area { area, .. } => staffroom_core::store::areas::find(area).map(|a| a.columns),
        Request::Posts(_) => Some(staffroom_core::protocol::posts::LIST_COLUMNS),
        Request::Users(_) => Some(staffroom_core::protocol::users::LIST_COLUMNS),
        _ => None,
    }
}

fn is_may_not(r: &Result<Reply, StoreError>) -> bool {
    matches!(r, Err(StoreError::Refused { reason }) if reason.contains("may not"))
}

/// One valid request per operation of every simple area (`store/areas/`), each
/// on rows of its own. Fails when an area has an operation without a sample or a
/// sample without a gate row.
async fn area_requests(fx: &Fixture) -> Vec<Request> {
    let mut out = Vec::new();
    for area in staffroom_core::store::areas::AREAS {
        let samples = (area.samples)(&fx.db, fx.next()).await.expect("area samples");
        let mut sampled: Vec<&str> = samples.iter().map(|(op, _)| *op).collect();
        let mut rows: Vec<&str> = area.gate.iter().map(|(op, _)| *op).collect();
        sampled.sort();
        rows.sort();
        assert_eq!(sampled, rows, "{}: one sample per gate row, and a row per sample", area.name);
        out.extend(samples.into_iter().map(|(op, args)| Request::Area { area: area.name, op, args: Box::new(args) }));
    }
    out
}

crate::on_both!(every_kind_for_every_role_follows_the_gate, |t: TestDb| async move {
    let fx = Fixture::new(&t.db).await;
    let mut failures = Vec::new();
    let mut ran = 0;
    let mut expected = 0;
    let mut rows_checked = 0;
    for &role in Role::ALL {
        let roles = roles_of(role);
        // Each kind's sample is made just before it runs (on rows of its own); the
        // simple areas' come made.
        let kinds = Request::names().filter(|k| *k != "Area");
        let mut cases: Vec<Result<Request, &str>> = kinds.map(Err).collect();
        cases.extend(area_requests(&fx).await.into_iter().map(Ok));
        expected += cases.len();
        for case in cases {
            let backend = Backend::new(t.db.clone(), demo_settings(), "gate");
            let login = Request::Office(OfficeRequest::DemoLogin { email: email_of(role), terminal: TERMINAL.into() });
            let (r, who) = backend.handle(login).await;
            assert!(matches!(r, Ok(Reply::Office(OfficeReply::Login(Ok(_))))), "{role}: demo login: {r:?}");
            assert_eq!(who.map(|w| w.roles), Some(roles), "{role}: the session's user");
            let dir = fresh_dir();
            let request = match case {
                Ok(request) => request,
                Err(kind) => fx.sample(kind, role, &dir).await,
            };
            let is_area = matches!(request, Request::Area { .. });
            let exports = matches!(
                request,
                Request::Leads(LeadRequest::ExportLeads { .. })
                    | Request::Calendar(CalendarRequest::ExportCalendar { .. })
            );
            let need = request.need();
            let case = format!("{} as {role} (gate: {need:?})", request.name());
            let audit_before = audit_rows(&t.db).await;
            let columns = list_columns(&request);
            let (result, who) = backend.handle(request).await;
            ran += 1;
            if let Ok(Reply::Records(page)) = &result {
                match columns {
                    Some(columns) => {
                        rows_checked += page.rows.len();
                        for r in page.rows.iter().filter(|r| r.cells.len() != columns.len()) {
                            failures.push(format!(
                                "{case}: record {} has {} cells for {} columns",
                                r.id,
                                r.cells.len(),
                                columns.len()
                            ));
                        }
                    }
                    None => failures.push(format!("{case}: a page of records without declared columns")),
                }
            }
            if allows(need, roles) {
                // The samples are valid requests on fresh rows, so an allowed one is not
                // refused at all (a business error such as a conflict would still pass).
                if is_may_not(&result) {
                    failures.push(format!("{case}: allowed, but refused for permission: {result:?}"));
                } else if matches!(&result, Err(StoreError::Refused { .. })) {
                    failures.push(format!("{case}: allowed, but refused: {result:?}"));
                } else if let Err(e) = &result
                    && is_area
                {
                    // A simple area's sample is valid: any error is the area's bug.
                    failures.push(format!("{case}: allowed, but failed: {e}"));
                }
                if need != Some(Need::Nothing) {
                    match &who {
                        Some(w) if w.active && w.roles == roles => {}
                        other => failures.push(format!("{case}: the gate reported {other:?}")),
                    }
                }
                if exports && result.is_ok() && files_in(&dir) != 1 {
                    failures.push(format!("{case}: an allowed export wrote {} files", files_in(&dir)));
                }
            } else {
                if !is_may_not(&result) {
                    failures.push(format!("{case}: not allowed, but not refused with \"may not\": {result:?}"));
                }
                let written = audit_rows(&t.db).await - audit_before;
                if written != 0 {
                    failures.push(format!("{case}: refused, yet {written} audit rows were written"));
                }
                if files_in(&dir) != 0 {
                    failures.push(format!("{case}: refused, yet a file was written in {}", dir.display()));
                }
                match &who {
                    Some(w) if w.active && w.roles == roles => {}
                    other => failures.push(format!("{case}: a refusal must keep the session; gate said {other:?}")),
                }
            }
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    assert_eq!(ran, expected);
    assert!(rows_checked > 0, "no page of records came back to check against its columns");
    assert!(expected > Role::ALL.len() * Request::names().count(), "the simple areas' operations were walked too");
    assert!(failures.is_empty(), "{} of {ran} cases broke the gate's table:\n{}", failures.len(), failures.join("\n"));
});

crate::on_both!(without_a_session_only_logins_run, |t: TestDb| async move {
    let fx = Fixture::new(&t.db).await;
    let mut failures = Vec::new();
    let mut open = Vec::new();
    for kind in Request::names().filter(|k| *k != "Area") {
        let backend = Backend::new(t.db.clone(), demo_settings(), "gate");
        let dir = fresh_dir();
        let request = fx.sample(kind, Role::Admin, &dir).await;
        if request.need() == Some(Need::Nothing) {
            open.push(kind);
            continue;
        }
        let audit_before = audit_rows(&t.db).await;
        let (result, who) = backend.handle(request).await;
        match &result {
            Err(StoreError::Refused { reason }) if reason == "log in first" => {}
            other => failures.push(format!("{kind} without a session: {other:?}")),
        }
        if who.is_some() {
            failures.push(format!("{kind} without a session reported a user: {who:?}"));
        }
        if audit_rows(&t.db).await != audit_before || files_in(&dir) != 0 {
            failures.push(format!("{kind} without a session wrote something"));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    // Only the logins run without a session, and they need no session (and start one).
    assert_eq!(open, ["Login", "DemoLogin"]);
    let backend = Backend::new(t.db.clone(), demo_settings(), "gate");
    let (r, who) = backend
        .handle(Request::Office(OfficeRequest::DemoLogin { email: email_of(Role::Viewer), terminal: TERMINAL.into() }))
        .await;
    assert!(matches!(r, Ok(Reply::Office(OfficeReply::Login(Ok(_))))), "{r:?}");
    assert!(who.is_some_and(|w| w.active && w.roles == Roles::VIEWER));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
});
