//! Leads: the board and its pages, moves, the lead view and its edits, duplicates,
//! merge and the board's CSV export.

use super::gate::Need;
use super::{Backend, OnDuplicate, Reply};
use crate::domain::lead::{LeadStatus, MoveInput, NoteType};
use crate::domain::permissions::Action;
use crate::store::board::{BoardKey, Card, Column};
use crate::store::lead_filter::{LeadFilter, Scope};
use crate::store::leads::{self, NewLead};
use crate::store::leads::{Detail, Lead, LeadFields};
use crate::store::page::Page;
use crate::store::{Actor, StoreError, board, lead_io, prefs};

crate::backend::gate::requests! {
    /// The leads area's requests, each with what it needs at the gate.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum LeadRequest {
        /// The board. `filter: None` loads the user's saved filter; `save` keeps the
        /// given one as the user's filter for next time.
        Board {
            per_column: i64,
            filter: Option<LeadFilter>,
            save: bool,
        } => Need::Permission(Action::ViewLeads),
        BoardMore {
            status: LeadStatus,
            after: BoardKey,
            limit: i64,
            filter: LeadFilter,
        } => Need::Permission(Action::ViewLeads),
        MoveLead {
            id: i64,
            version: i64,
            to: LeadStatus,
            input: MoveInput,
        } => Need::Permission(Action::EditLeads),
        LeadDetail {
            id: i64,
        } => Need::Permission(Action::ViewLeads),
        AddNote {
            lead_id: i64,
            note_type: NoteType,
            text: String,
        } => Need::Permission(Action::EditLeads),
        AssignLead {
            id: i64,
            version: i64,
            user_id: Option<i64>,
        } => Need::Permission(Action::EditLeads),
        SetFollowUp {
            id: i64,
            version: i64,
            at: Option<chrono::DateTime<chrono::Utc>>,
        } => Need::Permission(Action::EditLeads),
        /// A new lead from the form; what to do when it matches an open lead.
        CreateLead {
            fields: Box<LeadFields>,
            on_duplicate: OnDuplicate,
        } => Need::Permission(Action::EditLeads),
        UpdateLead {
            id: i64,
            version: i64,
            fields: Box<LeadFields>,
        } => Need::Permission(Action::EditLeads),
        /// Staff and admins a lead can be assigned to.
        Assignees => Need::Permission(Action::EditLeads),
        /// Open leads sharing this lead's email or phone (merge candidates).
        LeadDuplicates {
            id: i64,
        } => Need::Permission(Action::EditLeads),
        // Personal data leaving the building: the matrix gives exporting to admin and
        // staff only (a viewer may read the board, not take it home).
        /// Write the leads of this filter to a CSV file in `dir`.
        ExportLeads {
            filter: LeadFilter,
            dir: std::path::PathBuf,
        } => Need::Permission(Action::ExportData),
        /// Merge two leads (id, version each); the older is kept.
        MergeLeads {
            a: (i64, i64),
            b: (i64, i64),
        } => Need::Permission(Action::EditLeads),
        /// The board's marked cards (id, version each) to one stage, each lead in its
        /// own transaction with its audit row: one refused (changed meanwhile, a move
        /// its stage does not allow) does not undo the others.
        MoveLeads {
            items: Vec<(i64, i64)>,
            to: LeadStatus,
        } => Need::Permission(Action::EditLeads),
        /// The board's marked cards to one assignee (`None`: unassigned), each on its own.
        AssignLeads {
            items: Vec<(i64, i64)>,
            user_id: Option<i64>,
        } => Need::Permission(Action::EditLeads),
    }
}

/// The leads area's answers.
#[derive(Debug)]
pub enum LeadReply {
    /// The columns, the filter they were loaded with, and why a saved filter was
    /// dropped (unreadable or out of range) if it was.
    Board(Vec<Column>, LeadFilter, Option<String>),
    BoardMore(LeadStatus, Page<Card, BoardKey>),
    LeadMoved(Box<Lead>),
    LeadDetail(Box<Detail>),
    /// A note, assignment or follow-up was saved.
    LeadChanged,
    /// A lead was created, edited or merged: the stored lead.
    LeadSaved(Box<Lead>),
    /// Open leads that look like the same person.
    Duplicates(Vec<Lead>),
    Assignees(Vec<(i64, String)>),
    /// A bulk move or assignment: the leads as stored after it, and each refusal
    /// naming its lead and why.
    Bulk {
        done: Vec<Lead>,
        refused: Vec<String>,
    },
}

pub(super) async fn handle(b: &Backend, actor: &Actor, request: LeadRequest) -> Result<Reply, StoreError> {
    let db = &b.db;
    match request {
        LeadRequest::Board { per_column, filter, save } => {
            let mut dropped = None;
            let filter = match (filter, actor.user_id) {
                (Some(f), _) => {
                    if save {
                        let value = serde_json::to_value(&f).map_err(|e| StoreError::Other(e.to_string()))?;
                        prefs::set(db, actor, prefs::PIPELINE_FILTER, &value).await?;
                    }
                    f
                }
                // Saved preferences are untrusted: one this version cannot read, or
                // out of range, counts as none, and the user is told why.
                (None, Some(uid)) => {
                    let (f, why) = prefs::load_pipeline_filter(db, uid).await?;
                    dropped = why;
                    f
                }
                (None, None) => LeadFilter::default(),
            };
            let scope = Scope::new(filter.clone(), actor.user_id);
            Ok(LeadReply::Board(board::load(db, &scope, per_column).await?, filter, dropped).into())
        }
        LeadRequest::BoardMore { status, after, limit, filter } => {
            let scope = Scope::new(filter, actor.user_id);
            Ok(LeadReply::BoardMore(status, board::more(db, &scope, status, after, limit).await?).into())
        }
        LeadRequest::MoveLead { id, version, to, input } if input.undo => {
            Ok(LeadReply::LeadMoved(Box::new(crate::store::lead_undo::undo_move(db, actor, id, version, to).await?))
                .into())
        }
        LeadRequest::MoveLead { id, version, to, input } => {
            Ok(LeadReply::LeadMoved(Box::new(leads::move_to(db, actor, id, version, to, &input).await?)).into())
        }
        LeadRequest::LeadDetail { id } => Ok(LeadReply::LeadDetail(Box::new(leads::detail(db, id).await?)).into()),
        LeadRequest::AddNote { lead_id, note_type, text } => {
            leads::add_note(db, actor, lead_id, note_type, &text).await?;
            Ok(LeadReply::LeadChanged.into())
        }
        LeadRequest::AssignLead { id, version, user_id } => {
            leads::assign(db, actor, id, version, user_id).await?;
            Ok(LeadReply::LeadChanged.into())
        }
        LeadRequest::SetFollowUp { id, version, at } => {
            leads::set_follow_up(db, actor, id, version, at).await?;
            Ok(LeadReply::LeadChanged.into())
        }
        LeadRequest::CreateLead { fields, on_duplicate } => {
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
                    return Ok(LeadReply::Duplicates(all).into());
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
            Ok(LeadReply::LeadSaved(Box::new(saved)).into())
        }
        LeadRequest::UpdateLead { id, version, fields } => {
            Ok(LeadReply::LeadSaved(Box::new(leads::update_fields(db, actor, id, version, &fields).await?)).into())
        }
        LeadRequest::Assignees => Ok(LeadReply::Assignees(leads::assignees(db).await?).into()),
        LeadRequest::LeadDuplicates { id } => {
            let lead = leads::get(db, id).await?;
            let mut found =
                leads::duplicates_of(db, lead.email.as_deref(), lead.phone.as_deref(), lead.whatsapp.as_deref())
                    .await?;
            found.retain(|l| l.id != id);
            Ok(LeadReply::Duplicates(found).into())
        }
        LeadRequest::ExportLeads { filter, dir } => {
            let name = format!("staffroom-leads-{}.csv", crate::store::now().format("%Y%m%d-%H%M%S"));
            // Absolute, so the toast says where the file is wherever staffroom runs.
            let path = std::path::absolute(dir.join(&name)).unwrap_or_else(|_| dir.join(name));
            let scope = Scope::new(filter, actor.user_id);
            let n = lead_io::export_to_file(db, &scope, lead_io::Format::Csv, &path).await?;
            lead_io::record_export(db, actor, &scope.filter, n, &path.display().to_string()).await?;
            Ok(Reply::Exported(n, path))
        }
        LeadRequest::MergeLeads { a, b: other } => {
            Ok(LeadReply::LeadSaved(Box::new(leads::merge(db, actor, a, other).await?)).into())
        }
        LeadRequest::MoveLeads { items, to } => {
            let mut bulk = Bulk::default();
            for (id, version) in items {
                let moved = leads::move_to(db, actor, id, version, to, &MoveInput::default()).await;
                bulk.settle(db, id, moved).await;
            }
            Ok(bulk.reply())
        }
        LeadRequest::AssignLeads { items, user_id } => {
            let mut bulk = Bulk::default();
            for (id, version) in items {
                bulk.settle(db, id, leads::assign(db, actor, id, version, user_id).await).await;
            }
            Ok(bulk.reply())
        }
    }
}

/// What a bulk change did, lead by lead.
#[derive(Default)]
struct Bulk {
    done: Vec<Lead>,
    refused: Vec<String>,
}

impl Bulk {
    /// One lead's outcome; a refusal is named by the lead's name.
    async fn settle(&mut self, db: &crate::store::Db, id: i64, outcome: Result<Lead, StoreError>) {
        match outcome {
            Ok(lead) => self.done.push(lead),
            Err(e) => {
                let name = leads::get(db, id).await.map_or_else(|_| format!("lead #{id}"), |l| l.full_name);
                self.refused.push(format!("{name}: {e}"));
            }
        }
    }

    fn reply(self) -> Reply {
        LeadReply::Bulk { done: self.done, refused: self.refused }.into()
    }
}
