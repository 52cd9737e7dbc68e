//! Contact messages: the list with its counts, status moves, converting and linking.

use super::{Backend, Reply, Request};
use crate::store::contact_messages::{self, Converted};
use crate::store::{Actor, StoreError};

pub(super) async fn handle(b: &Backend, actor: &Actor, request: Request) -> Result<Reply, StoreError> {
    let db = &b.db;
    match request {
        Request::Messages { status, after, limit } => {
            let counts = match after {
                None => Some(contact_messages::counts(db).await?),
                Some(_) => None,
            };
            let page = contact_messages::page(db, status, after, limit).await?;
            Ok(Reply::Messages { counts, page, more: after.is_some() })
        }
        Request::SetMessageStatus { id, version, to } => {
            contact_messages::set_status(db, actor, id, version, to).await?;
            Ok(Reply::MessageSaved)
        }
        Request::ConvertMessage { id, version, force } => {
            Ok(match contact_messages::convert(db, actor, id, version, force).await? {
                Converted::Lead(lead) => Reply::MessageConverted(Box::new(lead)),
                Converted::Duplicates(found) => Reply::Duplicates(found),
            })
        }
        Request::LinkMessage { id, version, lead_id } => {
            contact_messages::link_to_lead(db, actor, id, version, lead_id).await?;
            Ok(Reply::MessageSaved)
        }
        other => Err(StoreError::Other(format!("{} is not a messages request", other.kind()))),
    }
}
