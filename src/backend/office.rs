//! Logging in and out of the session, the dashboard, the audit trail and the users
//! list.

use super::{Backend, Reply, Request};
use crate::store::users;
use crate::store::{Actor, StoreError, dashboard};

/// Login and demo login: the only requests that run without a session. A success
/// starts the session on this backend.
pub(super) async fn login(b: &Backend, request: Request) -> Result<Reply, StoreError> {
    let now = crate::store::now();
    let outcome = match request {
        Request::Login { email, password, terminal } => {
            users::login(&b.db, &email, &password, b.remote(), &terminal, now, b.settings.login).await?
        }
        Request::DemoLogin { email, terminal } => {
            if !b.settings.demo {
                return Err(StoreError::refused("logging in without a password is only for the demo"));
            }
            Ok(users::login_demo(&b.db, &email, b.remote(), &terminal, now).await?)
        }
        other => return Err(StoreError::refused(format!("{} needs a session", other.kind()))),
    };
    if let Ok(ok) = &outcome {
        b.start_session(ok.user.id);
    }
    Ok(Reply::Login(outcome))
}

pub(super) async fn handle(b: &Backend, actor: &Actor, request: Request) -> Result<Reply, StoreError> {
    let db = &b.db;
    match request {
        Request::Unlock { password, terminal } => {
            // The session's own account: a lock cannot be opened as somebody else.
            let user = users::get(db, actor.user_id.unwrap_or_default()).await?;
            let email = user.email.unwrap_or_default();
            let now = crate::store::now();
            Ok(Reply::Login(users::login(db, &email, &password, b.remote(), &terminal, now, b.settings.login).await?))
        }
        Request::Dashboard { today } => {
            Ok(Reply::Dashboard(dashboard::load(db, actor, today, b.settings.attendance_threshold_percent).await?))
        }
        Request::AuditPage { filter, from, limit } => {
            // The gate let this reader in (`Need::AuditReader`); the scope decides
            // the rows.
            let scope = crate::store::audit_query::Scope::of(actor, b.settings.audit_viewers_read);
            let page = crate::store::audit_query::page(db, scope, &filter, from, limit).await?;
            let names = crate::store::audit_query::actor_names(db, &page.rows).await?;
            Ok(Reply::AuditPage { page, names })
        }
        Request::UsersPage { after, limit } => Ok(Reply::UsersPage(users::list(db, after, limit).await?)),
        other => Err(StoreError::Other(format!("{} is not an office request", other.kind()))),
    }
}
