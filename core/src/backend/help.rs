//! Help requests: the list with its tabs, responding, status moves.

use super::records::{Cursor, Record, RecordPage};
use super::{Backend, Reply, Request};
use crate::store::help_requests::{self, HelpRequest, Query};
use crate::store::{Actor, StoreError};

pub(super) async fn handle(b: &Backend, actor: &Actor, request: Request) -> Result<Reply, StoreError> {
    let db = &b.db;
    match request {
        Request::HelpRequests { status, search, after, limit } => {
            let counts = match after {
                None => Some(help_requests::counts(db).await?.into_iter().map(|(s, n)| (s.to_string(), n)).collect()),
                Some(_) => None,
            };
            let after = match after {
                Some(Cursor::Time(t, id)) => Some((t, id)),
                _ => None,
            };
            let page = help_requests::page(db, &Query { status, search }, after, limit).await?;
            let next = page.next.map(|(t, id)| Cursor::Time(t, id));
            let rows = page.rows.iter().map(|r| record(r, b)).collect();
            Ok(Reply::Records(Box::new(RecordPage { counts, rows, next, more: after.is_some() })))
        }
        Request::RespondHelp { id, version, text, status } => {
            let saved = help_requests::respond(db, actor, id, version, &text, status).await?;
            Ok(Reply::RecordSaved(format!(
                "response saved; the request is {}",
                saved.status.as_str().replace('_', " ")
            )))
        }
        Request::SetHelpStatus { id, version, to } => {
            help_requests::set_status(db, actor, id, version, to).await?;
            Ok(Reply::RecordSaved(format!("marked {}", to.as_str().replace('_', " "))))
        }
        other => Err(StoreError::Other(format!("{} is not a help request", other.kind()))),
    }
}

fn record(r: &HelpRequest, b: &Backend) -> Record {
    let tz = b.settings.tz;
    let when = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string();
    let mut detail = vec![
        ("from".to_string(), format!("{} ({})", r.requester_name, r.requester_type.as_str())),
        ("email".to_string(), r.requester_email.clone().unwrap_or_else(|| "—".into())),
        ("status".to_string(), r.status.as_str().replace('_', " ")),
        ("asked".to_string(), when(r.created_at)),
        ("subject".to_string(), r.subject.clone()),
        ("message".to_string(), r.message.clone()),
    ];
    if let Some(resp) = &r.response {
        let by = r.responder_name.clone().unwrap_or_else(|| "someone".into());
        let at = r.responded_at.map(when).unwrap_or_default();
        detail.push((format!("response by {by} {at}"), resp.clone()));
    }
    if let Some(reply) = &r.user_reply {
        let at = r.user_replied_at.map(when).unwrap_or_default();
        detail.push((format!("their reply {at}"), reply.clone()));
    }
    Record {
        id: r.id,
        version: r.version,
        status: r.status.to_string(),
        cells: vec![
            r.created_at.with_timezone(&tz).format("%m-%d").to_string(),
            r.requester_name.clone(),
            r.subject.clone(),
            r.status.as_str().replace('_', " "),
        ],
        detail,
        values: vec![("response", r.response.clone().unwrap_or_default())],
    }
}
