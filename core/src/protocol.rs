//! What crosses the wall: the types the backend's requests and replies carry, the
//! limits a form shows before it sends, and the checks forms share with the store.
//!
//! The store is private to the core. Its rows and queries stay behind this list; a
//! type is named here when a screen or the command line needs to hold it, grouped by
//! the area it belongs to (the module names follow the store's, so a reader finds
//! the query that fills each type next to it). Nothing here carries a password
//! hash: the signed-in user crosses as [`users::Me`].

pub use crate::store::actor::{Actor, remote_from_env};
pub use crate::store::{Access, Db, StoreError, log_statements_slower_than, redact, sqlite_file_read_only};

/// The store's clock: the real one, or the instant a test or benchmark fixed.
pub mod clock {
    pub use crate::store::now;
}

pub mod page {
    pub use crate::store::page::{Page, Sort};
}

pub mod fields {
    pub use crate::store::fields::{MAX_URL_CHARS, link};
}

pub mod leads {
    pub use crate::store::board::{BoardKey, Card, Column};
    pub use crate::store::lead_filter::{Assigned, LeadFilter, Scope};
    pub use crate::store::lead_io::Format;
    pub use crate::store::leads::{Detail, Lead, LeadFields};
}

pub mod users {
    pub use crate::backend::users::LIST_COLUMNS;
    pub use crate::store::user_list::STATES;
    pub use crate::store::users::{
        LoggedIn, LoginAttempt, LoginPolicy, LoginRefused, MAX_NAME_CHARS, MIN_PASSWORD_LEN, Me, NewUser, UserFields,
    };
}

pub mod attendance {
    pub use crate::store::attendance::{CohortChoice, Grid, GridOf, Mark, StudentHistory};
    pub use crate::store::cohorts::CohortHeader;
}

pub mod calendar {
    pub use crate::store::calendar::{CalendarFilter, Entry, Kind};
    pub use crate::store::sessions::{Session, SessionFields};
}

pub mod audit {
    pub use crate::store::audit::{AuditRow, Checkpoint, Verdict};
    pub use crate::store::audit_query::{AuditFilter, From, Scope};
}

pub mod dashboard {
    pub use crate::store::dashboard::{Item, Section, SectionKind};
}

pub mod messages {
    pub use crate::store::contact_messages::{ContactMessage, MessageKey};
}

pub mod moderation {
    pub use crate::store::moderation::{Decision, Preview, QueueItem, QueueKey, QueueKind};
}

pub mod posts {
    pub use crate::backend::posts::LIST_COLUMNS;
    pub use crate::store::posts::{
        MAX_EXCERPT_CHARS, MAX_SEO_DESCRIPTION_CHARS, MAX_SEO_TITLE_CHARS, MAX_TAG_CHARS, MAX_TAGS, MAX_TITLE_CHARS,
        MAX_URL_CHARS, PostBody, PostDraft, Revision, SEO_DESCRIPTION_SHOWN, SEO_TITLE_SHOWN,
    };
}

/// The simple areas (one table, one list, one form each): their arguments and limits.
pub mod areas {
    pub use crate::store::areas::{Args, FieldValue};
    pub use crate::store::records::Columns;
    pub mod case_studies {
        pub use crate::store::areas::case_studies::{
            LIST_COLUMNS, MAX_TEXT_CHARS, MAX_TITLE_CHARS, MAX_URL_CHARS, field,
        };
    }
    pub mod events {
        pub use crate::store::areas::events::{
            LIST_COLUMNS, MAX_DESCRIPTION_CHARS, MAX_LOCATION_CHARS, MAX_MINUTES, MAX_SEATS, MAX_TITLE_CHARS, TYPES,
            field,
        };
    }
    pub mod help_requests {
        pub use crate::store::areas::help_requests::{LIST_COLUMNS, field};
    }
    pub mod packages {
        pub use crate::store::areas::packages::{LIST_COLUMNS, arg, field};
    }
    pub mod testimonials {
        pub use crate::store::areas::testimonials::{LIST_COLUMNS, MAX_NAME_CHARS, MAX_TEXT_CHARS, field};
    }
    pub mod programs {
        pub use crate::store::areas::programs::{LIST_COLUMNS, field};
    }
    pub mod projects {
        pub use crate::store::areas::projects::{
            LIST_COLUMNS, MAX_DESCRIPTION_CHARS, MAX_LOCATION_CHARS, MAX_TITLE_CHARS, PRIORITIES, field,
        };
    }
}
