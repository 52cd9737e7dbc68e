//! Leads: the board and its pages, moves, the lead view and its edits, duplicates,
//! merge and the board's CSV export.

use super::{Backend, OnDuplicate, Reply, Request};
use crate::store::lead_filter::{LeadFilter, Scope};
use crate::store::leads::{self, NewLead};
use crate::store::{Actor, StoreError, board, lead_io, prefs};

pub(super) async fn handle(b: &Backend, actor: &Actor, request: Request) -> Result<Reply, StoreError> {
    let db = &b.db;
    match request {
        Request::Board { per_column, filter, save } => {
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
            Ok(Reply::Board(board::load(db, &scope, per_column).await?, filter, dropped))
        }
        Request::BoardMore { status, after, limit, filter } => {
            let scope = Scope::new(filter, actor.user_id);
            Ok(Reply::BoardMore(status, board::more(db, &scope, status, after, limit).await?))
        }
        Request::MoveLead { id, version, to, input } if input.undo => {
            Ok(Reply::LeadMoved(Box::new(crate::store::lead_undo::undo_move(db, actor, id, version, to).await?)))
        }
        Request::MoveLead { id, version, to, input } => {
            Ok(Reply::LeadMoved(Box::new(leads::move_to(db, actor, id, version, to, &input).await?)))
        }
        Request::LeadDetail { id } => Ok(Reply::LeadDetail(Box::new(leads::detail(db, id).await?))),
        Request::AddNote { lead_id, note_type, text } => {
            leads::add_note(db, actor, lead_id, note_type, &text).await?;
            Ok(Reply::LeadChanged)
        }
        Request::AssignLead { id, version, user_id } => {
            leads::assign(db, actor, id, version, user_id).await?;
            Ok(Reply::LeadChanged)
        }
        Request::SetFollowUp { id, version, at } => {
            leads::set_follow_up(db, actor, id, version, at).await?;
            Ok(Reply::LeadChanged)
        }
        Request::CreateLead { fields, on_duplicate } => {
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
            Ok(Reply::LeadSaved(Box::new(leads::update_fields(db, actor, id, version, &fields).await?)))
        }
        Request::Assignees => Ok(Reply::Assignees(leads::assignees(db).await?)),
        Request::LeadDuplicates { id } => {
            let lead = leads::get(db, id).await?;
            let mut found =
                leads::duplicates_of(db, lead.email.as_deref(), lead.phone.as_deref(), lead.whatsapp.as_deref())
                    .await?;
            found.retain(|l| l.id != id);
            Ok(Reply::Duplicates(found))
        }
        Request::ExportLeads { filter, dir } => {
            let name = format!("staffroom-leads-{}.csv", crate::store::now().format("%Y%m%d-%H%M%S"));
            // Absolute, so the toast says where the file is wherever staffroom runs.
            let path = std::path::absolute(dir.join(&name)).unwrap_or_else(|_| dir.join(name));
            let scope = Scope::new(filter, actor.user_id);
            let n = lead_io::export_to_file(db, &scope, lead_io::Format::Csv, &path).await?;
            lead_io::record_export(db, actor, &scope.filter, n, &path.display().to_string()).await?;
            Ok(Reply::Exported(n, path))
        }
        Request::MergeLeads { a, b: other } => Ok(Reply::LeadSaved(Box::new(leads::merge(db, actor, a, other).await?))),
        other => Err(StoreError::Other(format!("{} is not a leads request", other.kind()))),
    }
}
