//! The backend's session: who is logged in on this terminal, kept here and nowhere
//! else. The `Actor` of each request is built from the user row as stored at that
//! moment and the remote address read once at start.

use super::gate::Need;
use super::{OfficeReply, Reply, Request, Settings};
use crate::domain::permissions::Roles;
use crate::store::users::{self, User};
use crate::store::{Actor, Db, StoreError};
use std::sync::Mutex;

/// The session's user as the gate last saw them (for the UI's hints and palette).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Who {
    pub user_id: i64,
    pub name: String,
    pub roles: Roles,
    /// False once the account is deactivated, banned or gone: the session is over.
    pub active: bool,
}

/// The worker's state: the database, its settings and the session.
#[derive(Debug)]
pub struct Backend {
    pub(super) db: Db,
    pub(super) settings: Settings,
    /// Where this terminal connects from (`SSH_CLIENT`), read once at start.
    remote: String,
    /// The logged-in user's id.
    session: Mutex<Option<i64>>,
}

impl Backend {
    pub fn new(db: Db, settings: Settings, remote: impl Into<String>) -> Backend {
        Backend { db, settings, remote: remote.into(), session: Mutex::new(None) }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub(super) fn remote(&self) -> &str {
        &self.remote
    }

    fn session_user_id(&self) -> Option<i64> {
        *self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn start_session(&self, user_id: i64) {
        *self.session.lock().unwrap_or_else(|e| e.into_inner()) = Some(user_id);
    }

    fn end_session(&self) {
        *self.session.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Runs one request: the gate, then its area's handler. Returns the result and
    /// the session's user as the gate saw them.
    pub async fn handle(&self, request: Request) -> (Result<Reply, StoreError>, Option<Who>) {
        let Some(need) = request.need() else {
            return (Err(StoreError::refused(format!("{}: no permission rule; refused", request.name()))), None);
        };
        if need == Need::Nothing {
            let Request::Office(request) = request else {
                return (Err(StoreError::refused(format!("{}: not a login; refused", request.name()))), None);
            };
            let result = super::office::login(self, request).await;
            let who = self.session_user_id().and(match &result {
                // Login refuses inactive, banned and student-only accounts.
                Ok(Reply::Office(OfficeReply::Login(Ok(ok)))) => Some(Who {
                    user_id: ok.user.id,
                    name: ok.user.full_name.clone(),
                    roles: ok.user.roles,
                    active: true,
                }),
                _ => None,
            });
            return (result, who);
        }
        let (actor, who) = match self.authorize(need, &request).await {
            Ok(pair) => pair,
            Err((e, who)) => return (Err(e), who),
        };
        let result = self.route(&actor, request).await;
        (result.map_err(|e| e.seen_by(actor.user_id)), Some(who))
    }

    /// Runs a request as the system (the scheduler's jobs): through the same gate,
    /// with the system actor's roles, never a session's. Only requests that name a
    /// permission may run so; each is audited with the client `scheduler`.
    pub async fn handle_as_system(&self, request: Request) -> Result<Reply, StoreError> {
        let actor = Actor::scheduler();
        match request.need() {
            Some(Need::Permission(action)) if actor.roles.can(action) => {}
            _ => return Err(StoreError::refused(format!("{}: not a job the system runs; refused", request.name()))),
        }
        self.route(&actor, request).await
    }

    /// The area's handler runs `request` for `actor` (who passed the gate).
    async fn route(&self, actor: &Actor, request: Request) -> Result<Reply, StoreError> {
        match request {
            Request::Area { area, op, args } => super::areas::handle(self, actor, area, op, *args).await,
            Request::Office(r) => super::office::handle(self, actor, r).await,
            Request::Audit(r) => super::audit::handle(self, actor, r).await,
            Request::Users(r) => super::users::handle(self, actor, r).await,
            Request::Leads(r) => super::leads::handle(self, actor, r).await,
            Request::Messages(r) => super::messages::handle(self, actor, r).await,
            Request::Posts(r) => super::posts::handle(self, actor, r).await,
            Request::Attendance(r) => super::attendance::handle(self, actor, r).await,
            Request::Calendar(r) => super::calendar::handle(self, actor, r).await,
            Request::Moderation(r) => super::moderation::handle(self, actor, r).await,
        }
    }

    /// The gate: reads the session's user as stored now and checks `need`.
    async fn authorize(&self, need: Need, request: &Request) -> Result<(Actor, Who), (StoreError, Option<Who>)> {
        let Some(id) = self.session_user_id() else {
            return Err((StoreError::refused("log in first"), None));
        };
        let user = match users::get(&self.db, id).await {
            Ok(u) => u,
            Err(StoreError::NotFound { .. }) => {
                self.end_session();
                return Err((StoreError::refused("your account no longer exists; the session has ended"), None));
            }
            Err(e) => return Err((e, None)),
        };
        let who = who_of(&user);
        if !who.active {
            self.end_session();
            let why = if user.is_active { "banned" } else { "deactivated" };
            return Err((StoreError::refused(format!("your account was {why}; the session has ended")), Some(who)));
        }
        // A one-time password opens nothing but the form that replaces it.
        if user.must_change_password && !request.open_to_one_time_password() {
            let why = "your password is a one-time one: choose a new password first";
            return Err((StoreError::refused(why), Some(who)));
        }
        let actor = Actor {
            user_id: Some(user.id),
            name: user.full_name.clone(),
            roles: user.roles(),
            remote: self.remote.clone(),
            client: crate::store::actor::client_name(),
        };
        if let Need::Permission(action) = need
            && let Err(e) = actor.require(action)
        {
            return Err((e, Some(who)));
        }
        if need == Need::AuditReader {
            if let Err(e) = actor.require(crate::domain::permissions::Action::ViewAudit) {
                return Err((e, Some(who)));
            }
            let scope = crate::store::audit_query::Scope::of(&actor, self.settings.audit_viewers_read);
            if let Some(why) = scope.refusal() {
                return Err((StoreError::refused(why), Some(who)));
            }
        }
        Ok((actor, who))
    }
}

fn who_of(user: &User) -> Who {
    let now = crate::store::now();
    let banned = user.banned && user.ban_until.is_none_or(|u| u > now);
    Who {
        user_id: user.id,
        name: user.full_name.clone(),
        roles: user.roles(),
        active: user.is_active && !banned && !user.roles().is_student_only(),
    }
}
