//! What the command line does as the operator at the machine (`Actor::cli()`): the
//! core functions behind `staffroom user …`, `audit verify`, `import leads` and the
//! exports. The store stays private; this list is the whole of what the command
//! line may call. Every function that changes something writes its audit row in the
//! same transaction, as a screen's request does.

pub mod users {
    pub use crate::store::users::{count, create, deactivate, find_by_email, list, set_password, set_roles};
}

pub mod audit {
    pub use crate::store::audit::{check_checkpoints, checkpoint, count, verify};
    pub use crate::store::audit_io::{record_export, write};
}

pub mod leads {
    pub use crate::store::lead_io::{export, export_to_file, import, plan, record_export};
}

pub mod attendance {
    pub use crate::store::attendance::{find_cohort, grid, record_export, write_csv};
    pub use crate::store::calendar_ics::{cohort_calendar, write_whole};
}

pub mod data_fixes {
    /// What rewriting the stored phone numbers as E.164 said, once it has run.
    pub use crate::store::phones::last_report as phones_report;
}
