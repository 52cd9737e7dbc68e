//! Who is making a change: the user, their roles, and where they connect from.
//! Every store write takes an `&Actor`, checks its permission, and audits it.

use super::{Result, StoreError};
use crate::domain::permissions::{Action, Roles};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// `None` for the system itself (CLI administration, demo generation).
    pub user_id: Option<i64>,
    pub name: String,
    pub roles: Roles,
    /// The SSH client address, or `local`.
    pub remote: String,
    /// The program and version that wrote the change.
    pub client: String,
}

impl Actor {
    /// A logged-in user.
    pub fn user(user_id: i64, name: impl Into<String>, roles: Roles) -> Actor {
        Actor { user_id: Some(user_id), name: name.into(), roles, remote: remote_from_env(), client: client_name() }
    }

    /// The command line run by whoever holds the database: an administrator with no
    /// user row (`actor_id` is NULL in the audit log, summary says `cli`).
    /// The app's own scheduled jobs (publishing posts that are due), audited as such
    /// (no user; the client says `scheduler`).
    pub fn scheduler() -> Actor {
        Actor { name: "scheduler".into(), client: format!("{} scheduler", client_name()), ..Actor::cli() }
    }

    /// A data fix run when a staffroom first opens a database after a migration.
    pub fn migration() -> Actor {
        Actor { name: "migration".into(), client: format!("{} migration", client_name()), ..Actor::cli() }
    }

    pub fn cli() -> Actor {
        Actor {
            user_id: None,
            name: "cli".into(),
            roles: Roles::ADMIN,
            remote: remote_from_env(),
            client: client_name(),
        }
    }

    /// Refuses with a plain sentence when the actor's roles do not allow `action`.
    pub fn require(&self, action: Action) -> Result<()> {
        if self.roles.can(action) {
            Ok(())
        } else {
            Err(StoreError::refused(format!(
                "{} ({}) may not {}",
                self.name,
                self.roles.label(),
                action.as_str().replace('_', " ")
            )))
        }
    }
}

/// `SSH_CLIENT` is "address port port"; its first field is who is connected.
pub fn remote_from_env() -> String {
    std::env::var("SSH_CLIENT")
        .ok()
        .and_then(|v| v.split_whitespace().next().map(str::to_string))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "local".to_string())
}

pub fn client_name() -> String {
    format!("staffroom/{}", env!("CARGO_PKG_VERSION"))
}
