//! The session and the office's day: logging in, the idle lock, the dashboard and
//! the database's ping.

use super::gate::Need;
use super::{Backend, Reply};
use crate::store::dashboard::Section;
use crate::store::users;
use crate::store::users::{LoggedIn, LoginRefused};
use crate::store::{Actor, StoreError, dashboard};
use chrono::NaiveDate;

crate::backend::gate::requests! {
    /// The office area's requests, each with what it needs at the gate.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum OfficeRequest {
        Login {
            email: String,
            password: String,
            terminal: String,
        } => Need::Nothing,
        /// `staffroom demo --as ROLE`: log a demo account in without its password.
        /// Honoured only by a backend started by the demo command (`Settings::demo`).
        DemoLogin {
            email: String,
            terminal: String,
        } => Need::Nothing,
        /// The idle lock: the session's own user types their password again.
        Unlock {
            password: String,
            terminal: String,
        } => Need::Session,
        Dashboard {
            today: NaiveDate,
        } => Need::Session,
        // The gate's own read of the session's user is the probe.
        /// Is the database there? Sent while it is unavailable, to notice its return.
        Ping => Need::Session,
    }
}

/// The office area's answers.
#[derive(Debug)]
pub enum OfficeReply {
    Login(Result<LoggedIn, LoginRefused>),
    Dashboard(Vec<Section>),
    /// The database answered a `Ping`.
    Pong,
}

/// Login and demo login: the only requests that run without a session. A success
/// starts the session on this backend.
pub(super) async fn login(b: &Backend, request: OfficeRequest) -> Result<Reply, StoreError> {
    let now = crate::store::now();
    let outcome = match request {
        OfficeRequest::Login { email, password, terminal } => {
            users::login(&b.db, &email, &password, b.remote(), &terminal, now, b.settings.login).await?
        }
        OfficeRequest::DemoLogin { email, terminal } => {
            if !b.settings.demo {
                return Err(StoreError::refused("logging in without a password is only for the demo"));
            }
            Ok(users::login_demo(&b.db, &email, b.remote(), &terminal, now).await?)
        }
        other => return Err(StoreError::refused(format!("{} needs a session", other.name()))),
    };
    if let Ok(ok) = &outcome {
        b.start_session(ok.user.id);
    }
    Ok(OfficeReply::Login(outcome).into())
}

pub(super) async fn handle(b: &Backend, actor: &Actor, request: OfficeRequest) -> Result<Reply, StoreError> {
    let db = &b.db;
    match request {
        OfficeRequest::Unlock { password, terminal } => {
            // The session's own account: a lock cannot be opened as somebody else.
            let user = users::get(db, actor.user_id.unwrap_or_default()).await?;
            let email = user.email.unwrap_or_default();
            let now = crate::store::now();
            Ok(OfficeReply::Login(
                users::login(db, &email, &password, b.remote(), &terminal, now, b.settings.login).await?,
            )
            .into())
        }
        OfficeRequest::Dashboard { today } => {
            let threshold = b.settings.attendance_threshold_percent;
            Ok(OfficeReply::Dashboard(dashboard::load(db, actor, today, b.settings.tz, threshold).await?).into())
        }
        OfficeRequest::Ping => Ok(OfficeReply::Pong.into()),
        // Reached only through `Backend::handle`'s login path, which needs no session.
        login @ (OfficeRequest::Login { .. } | OfficeRequest::DemoLogin { .. }) => self::login(b, login).await,
    }
}
