//! Contact messages: the list with its counts, status moves, converting and linking.

use super::LeadReply;
use super::gate::Need;
use super::{Backend, Reply};
use crate::domain::message::MessageStatus;
use crate::domain::permissions::Action;
use crate::store::contact_messages::{self, Converted};
use crate::store::contact_messages::{ContactMessage, MessageKey};
use crate::store::leads::Lead;
use crate::store::page::Page;
use crate::store::{Actor, StoreError};

crate::backend::gate::requests! {
    /// The messages area's requests, each with what it needs at the gate.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum MessageRequest {
        /// A page of contact messages (counts come with the first page).
        Messages {
            status: Option<MessageStatus>,
            after: Option<MessageKey>,
            limit: i64,
        } => Need::Permission(Action::ViewLeads),
        SetMessageStatus {
            id: i64,
            version: i64,
            to: MessageStatus,
        } => Need::Permission(Action::EditLeads),
        /// Convert a message into a lead; without `force`, open duplicates are answered
        /// and nothing is written.
        ConvertMessage {
            id: i64,
            version: i64,
            force: bool,
        } => Need::Permission(Action::EditLeads),
        /// "This message is that lead."
        LinkMessage {
            id: i64,
            version: i64,
            lead_id: i64,
        } => Need::Permission(Action::EditLeads),
    }
}

/// The messages area's answers.
#[derive(Debug)]
pub enum MessageReply {
    Messages {
        counts: Option<Vec<(MessageStatus, i64)>>,
        page: Page<ContactMessage, MessageKey>,
        /// A next page (appended) rather than the first.
        more: bool,
    },
    /// A message's status or link was saved.
    MessageSaved,
    /// The lead a message became.
    MessageConverted(Box<Lead>),
}

pub(super) async fn handle(b: &Backend, actor: &Actor, request: MessageRequest) -> Result<Reply, StoreError> {
    let db = &b.db;
    match request {
        MessageRequest::Messages { status, after, limit } => {
            let counts = match after {
                None => Some(contact_messages::counts(db).await?),
                Some(_) => None,
            };
            let page = contact_messages::page(db, status, after, limit).await?;
            Ok(MessageReply::Messages { counts, page, more: after.is_some() }.into())
        }
        MessageRequest::SetMessageStatus { id, version, to } => {
            contact_messages::set_status(db, actor, id, version, to).await?;
            Ok(MessageReply::MessageSaved.into())
        }
        MessageRequest::ConvertMessage { id, version, force } => {
            Ok(match contact_messages::convert(db, actor, id, version, force).await? {
                Converted::Lead(lead) => MessageReply::MessageConverted(Box::new(lead)).into(),
                Converted::Duplicates(found) => LeadReply::Duplicates(found).into(),
            })
        }
        MessageRequest::LinkMessage { id, version, lead_id } => {
            contact_messages::link_to_lead(db, actor, id, version, lead_id).await?;
            Ok(MessageReply::MessageSaved.into())
        }
    }
}
