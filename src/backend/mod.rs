//! The backend worker: owns the database, answers `Command`s with `Event`s, checks
//! permissions before every request, and turns other sessions' writes into change
//! notices. The UI never touches the database; it only sends commands.

pub mod changes;

use crate::domain::lead::{LeadStatus, MoveInput, NoteType};
use crate::domain::message::MessageStatus;
use crate::domain::permissions::Action;
use crate::store::audit::{self, AuditRow};
use crate::store::board::BoardKey;
use crate::store::board::{self, Card, Column};
use crate::store::contact_messages::{self, ContactMessage, Converted, MessageKey};
use crate::store::dashboard::{self, Section};
use crate::store::lead_filter::{LeadFilter, Scope};
use crate::store::lead_io;
use crate::store::leads::{self, Lead, LeadFields, NewLead};
use crate::store::page::Page;
use crate::store::prefs;
use crate::store::users::{self, LoggedIn, LoginPolicy, LoginRefused, User};
use crate::store::{Actor, Db, StoreError};
use chrono::NaiveDate;
use tokio::sync::mpsc;

/// A request id: replies carry it back so stale ones can be dropped (latest wins).
pub type ReqId = u64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Login {
        email: String,
        password: String,
        terminal: String,
    },
    /// `staffroom demo --as ROLE`: log a demo account in without its password.
    /// Honoured only by a backend started by the demo command (`Settings::demo`).
    DemoLogin {
        email: String,
        terminal: String,
    },
    Dashboard {
        today: NaiveDate,
    },
    AuditPage {
        before: Option<i64>,
        limit: i64,
    },
    /// The board. `filter: None` loads the user's saved filter; `save` keeps the
    /// given one as the user's filter for next time.
    Board {
        per_column: i64,
        filter: Option<LeadFilter>,
        save: bool,
    },
    BoardMore {
        status: LeadStatus,
        after: BoardKey,
        limit: i64,
        filter: LeadFilter,
    },
    MoveLead {
        id: i64,
        version: i64,
        to: LeadStatus,
        input: MoveInput,
    },
    UsersPage {
        after: Option<i64>,
        limit: i64,
    },
    LeadDetail {
        id: i64,
    },
    AddNote {
        lead_id: i64,
        note_type: NoteType,
        text: String,
    },
    AssignLead {
        id: i64,
        version: i64,
        user_id: Option<i64>,
    },
    SetFollowUp {
        id: i64,
        version: i64,
        at: Option<chrono::DateTime<chrono::Utc>>,
    },
    /// A new lead from the form; what to do when it matches an open lead.
    CreateLead {
        fields: Box<LeadFields>,
        on_duplicate: OnDuplicate,
    },
    UpdateLead {
        id: i64,
        version: i64,
        fields: Box<LeadFields>,
    },
    /// Staff and admins a lead can be assigned to.
    Assignees,
    /// Open leads sharing this lead's email or phone (merge candidates).
    LeadDuplicates {
        id: i64,
    },
    /// A page of contact messages (counts come with the first page).
    Messages {
        status: Option<MessageStatus>,
        after: Option<MessageKey>,
        limit: i64,
    },
    SetMessageStatus {
        id: i64,
        version: i64,
        to: MessageStatus,
    },
    /// Convert a message into a lead; without `force`, open duplicates are answered
    /// and nothing is written.
    ConvertMessage {
        id: i64,
        version: i64,
        force: bool,
    },
    /// "This message is that lead."
    LinkMessage {
        id: i64,
        version: i64,
        lead_id: i64,
    },
    /// Write the leads of this filter to a CSV file in `dir`.
    ExportLeads {
        filter: LeadFilter,
        dir: std::path::PathBuf,
    },
    /// Merge two leads (id, version each); the older is kept.
    MergeLeads {
        a: (i64, i64),
        b: (i64, i64),
    },
}

/// Creating a lead that matches an open one (same normalised email or phone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnDuplicate {
    /// Create nothing; answer with the matches so the user can choose.
    Warn,
    Create,
    /// Create, then merge into this (id, version).
    MergeInto(i64, i64),
}

#[derive(Debug)]
pub enum Reply {
    Login(Result<LoggedIn, LoginRefused>),
    Dashboard(Vec<Section>),
    AuditPage(Page<AuditRow, i64>),
    /// The columns and the filter they were loaded with.
    Board(Vec<Column>, LeadFilter),
    BoardMore(LeadStatus, Page<Card, BoardKey>),
    LeadMoved(Lead),
    LeadDetail(Box<leads::Detail>),
    /// A note, assignment or follow-up was saved.
    LeadChanged,
    UsersPage(Page<User, i64>),
    /// A lead was created, edited or merged: the stored lead.
    LeadSaved(Box<Lead>),
    /// Open leads that look like the same person.
    Duplicates(Vec<Lead>),
    Assignees(Vec<(i64, String)>),
    Messages {
        counts: Option<Vec<(MessageStatus, i64)>>,
        page: Page<ContactMessage, MessageKey>,
        /// A next page (appended) rather than the first.
        more: bool,
    },
    /// A message's status or link was saved.
    MessageSaved,
    /// Leads written to a file: (rows, path).
    Exported(u64, std::path::PathBuf),
    /// The lead a message became.
    MessageConverted(Box<Lead>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub req_id: ReqId,
    /// The logged-in user making the request (`None` only for login).
    pub actor: Option<Actor>,
    pub request: Request,
}

#[derive(Debug)]
pub struct Event {
    pub req_id: ReqId,
    pub result: Result<Reply, StoreError>,
}

/// Settings the worker needs from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub login: LoginPolicy,
    /// Started by `staffroom demo`: demo accounts may log in without a password.
    pub demo: bool,
    pub attendance_threshold_percent: u8,
}

/// Starts the worker on the current tokio runtime. Each command runs in its own task,
/// so a slow query never holds up a fast one.
pub fn spawn(db: Db, settings: Settings) -> (mpsc::UnboundedSender<Command>, mpsc::UnboundedReceiver<Event>) {
    let (cmd_tx, mut cmd_rx) = mpsc::unbounded_channel::<Command>();
    let (ev_tx, ev_rx) = mpsc::unbounded_channel::<Event>();
    tokio::spawn(async move {
        while let Some(cmd) = cmd_rx.recv().await {
            let db = db.clone();
            let ev_tx = ev_tx.clone();
            tokio::spawn(async move {
                let req_id = cmd.req_id;
                let result = handle(&db, settings, cmd).await;
                if let Err(e) = &result {
                    tracing::warn!("request {req_id} failed: {e}");
                }
                // The UI may be gone (quitting): nothing to do then.
                let _ = ev_tx.send(Event { req_id, result });
            });
        }
    });
    (cmd_tx, ev_rx)
}

fn require(actor: &Option<Actor>, action: Action) -> Result<&Actor, StoreError> {
    let actor = actor.as_ref().ok_or_else(|| StoreError::refused("log in first"))?;
    actor.require(action)?;
    Ok(actor)
}

/// Runs one command. Public so tests can drive the backend without channels.
pub async fn handle(db: &Db, settings: Settings, cmd: Command) -> Result<Reply, StoreError> {
    match cmd.request {
        Request::Login { email, password, terminal } => {
            let remote = crate::store::actor::remote_from_env();
            let outcome =
                users::login(db, &email, &password, &remote, &terminal, crate::store::now(), settings.login).await?;
            Ok(Reply::Login(outcome))
        }
        Request::DemoLogin { email, terminal } => {
            if !settings.demo {
                return Err(StoreError::refused("logging in without a password is only for the demo"));
            }
            let remote = crate::store::actor::remote_from_env();
            Ok(Reply::Login(Ok(users::login_demo(db, &email, &remote, &terminal, crate::store::now()).await?)))
        }
        Request::Dashboard { today } => {
            let actor = cmd.actor.as_ref().ok_or_else(|| StoreError::refused("log in first"))?;
            Ok(Reply::Dashboard(dashboard::load(db, actor, today, settings.attendance_threshold_percent).await?))
        }
        Request::AuditPage { before, limit } => {
            require(&cmd.actor, Action::ViewAudit)?;
            Ok(Reply::AuditPage(audit::page(db, before, limit).await?))
        }
        Request::Board { per_column, filter, save } => {
            let actor = require(&cmd.actor, Action::ViewLeads)?;
            let filter = match (filter, actor.user_id) {
                (Some(f), _) => {
                    if save {
                        let value = serde_json::to_value(&f).map_err(|e| StoreError::Other(e.to_string()))?;
                        prefs::set(db, actor, prefs::PIPELINE_FILTER, &value).await?;
                    }
                    f
                }
                // A saved filter this version cannot read, or out of range, counts as none.
                (None, Some(uid)) => prefs::load_pipeline_filter(db, uid).await?.0,
                (None, None) => LeadFilter::default(),
            };
            let scope = Scope::new(filter.clone(), actor.user_id);
            Ok(Reply::Board(board::load(db, &scope, per_column).await?, filter))
        }
        Request::BoardMore { status, after, limit, filter } => {
            let actor = require(&cmd.actor, Action::ViewLeads)?;
            let scope = Scope::new(filter, actor.user_id);
            Ok(Reply::BoardMore(status, board::more(db, &scope, status, after, limit).await?))
        }
        Request::MoveLead { id, version, to, input } => {
            let actor = cmd.actor.as_ref().ok_or_else(|| StoreError::refused("log in first"))?;
            Ok(Reply::LeadMoved(leads::move_to(db, actor, id, version, to, &input).await?))
        }
        Request::LeadDetail { id } => {
            require(&cmd.actor, Action::ViewLeads)?;
            Ok(Reply::LeadDetail(Box::new(leads::detail(db, id).await?)))
        }
        Request::AddNote { lead_id, note_type, text } => {
            let actor = cmd.actor.as_ref().ok_or_else(|| StoreError::refused("log in first"))?;
            leads::add_note(db, actor, lead_id, note_type, &text).await?;
            Ok(Reply::LeadChanged)
        }
        Request::AssignLead { id, version, user_id } => {
            let actor = cmd.actor.as_ref().ok_or_else(|| StoreError::refused("log in first"))?;
            leads::assign(db, actor, id, version, user_id).await?;
            Ok(Reply::LeadChanged)
        }
        Request::SetFollowUp { id, version, at } => {
            let actor = cmd.actor.as_ref().ok_or_else(|| StoreError::refused("log in first"))?;
            leads::set_follow_up(db, actor, id, version, at).await?;
            Ok(Reply::LeadChanged)
        }
        Request::CreateLead { fields, on_duplicate } => {
            let actor = require(&cmd.actor, Action::EditLeads)?;
            let fields = fields.validated()?;
            if on_duplicate == OnDuplicate::Warn {
                let all = leads::duplicates_of(
                    db,
                    fields.email.as_deref(),
                    fields.phone.as_deref(),
                    fields.whatsapp.as_deref(),
                )
                .await?;
                if !all.is_empty() {
                    return Ok(Reply::Duplicates(all));
                }
            }
            let new = NewLead {
                full_name: fields.full_name,
                email: fields.email,
                phone: fields.phone,
                whatsapp: fields.whatsapp,
                source: Some(fields.source),
                message: fields.message,
                interested_in: Some(fields.interested_in.as_str().to_string()),
                assigned_to: None,
                lead_type: Some(fields.lead_type),
                budget_range: fields.budget_range,
                urgency: fields.urgency,
            };
            let created = leads::create(db, actor, new).await?;
            let saved = match on_duplicate {
                OnDuplicate::MergeInto(id, version) => {
                    leads::merge(db, actor, (id, version), (created.id, created.version)).await?
                }
                _ => created,
            };
            Ok(Reply::LeadSaved(Box::new(saved)))
        }
        Request::UpdateLead { id, version, fields } => {
            let actor = require(&cmd.actor, Action::EditLeads)?;
            Ok(Reply::LeadSaved(Box::new(leads::update_fields(db, actor, id, version, &fields).await?)))
        }
        Request::Assignees => {
            require(&cmd.actor, Action::EditLeads)?;
            Ok(Reply::Assignees(leads::assignees(db).await?))
        }
        Request::LeadDuplicates { id } => {
            require(&cmd.actor, Action::EditLeads)?;
            let lead = leads::get(db, id).await?;
            let mut found =
                leads::duplicates_of(db, lead.email.as_deref(), lead.phone.as_deref(), lead.whatsapp.as_deref())
                    .await?;
            found.retain(|l| l.id != id);
            Ok(Reply::Duplicates(found))
        }
        Request::Messages { status, after, limit } => {
            require(&cmd.actor, Action::ViewLeads)?;
            let counts = match after {
                None => Some(contact_messages::counts(db).await?),
                Some(_) => None,
            };
            let page = contact_messages::page(db, status, after, limit).await?;
            Ok(Reply::Messages { counts, page, more: after.is_some() })
        }
        Request::SetMessageStatus { id, version, to } => {
            let actor = require(&cmd.actor, Action::EditLeads)?;
            contact_messages::set_status(db, actor, id, version, to).await?;
            Ok(Reply::MessageSaved)
        }
        Request::ConvertMessage { id, version, force } => {
            let actor = require(&cmd.actor, Action::EditLeads)?;
            Ok(match contact_messages::convert(db, actor, id, version, force).await? {
                Converted::Lead(lead) => Reply::MessageConverted(Box::new(lead)),
                Converted::Duplicates(found) => Reply::Duplicates(found),
            })
        }
        Request::LinkMessage { id, version, lead_id } => {
            let actor = require(&cmd.actor, Action::EditLeads)?;
            contact_messages::link_to_lead(db, actor, id, version, lead_id).await?;
            Ok(Reply::MessageSaved)
        }
        Request::ExportLeads { filter, dir } => {
            let actor = require(&cmd.actor, Action::ViewLeads)?;
            let name = format!("staffroom-leads-{}.csv", crate::store::now().format("%Y%m%d-%H%M%S"));
            // Absolute, so the toast says where the file is wherever staffroom runs.
            let path = std::path::absolute(dir.join(&name)).unwrap_or_else(|_| dir.join(name));
            let scope = Scope::new(filter, actor.user_id);
            let n = lead_io::export_to_file(db, &scope, lead_io::Format::Csv, &path).await?;
            lead_io::record_export(db, actor, &scope.filter, n, &path.display().to_string()).await?;
            Ok(Reply::Exported(n, path))
        }
        Request::MergeLeads { a, b } => {
            let actor = require(&cmd.actor, Action::EditLeads)?;
            Ok(Reply::LeadSaved(Box::new(leads::merge(db, actor, a, b).await?)))
        }
        Request::UsersPage { after, limit } => {
            require(&cmd.actor, Action::ManageUsers)?;
            Ok(Reply::UsersPage(users::list(db, after, limit).await?))
        }
    }
}
