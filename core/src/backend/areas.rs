//! The simple areas' requests: the gate has already checked the area's own row for
//! the operation; this hands the call to the area's handler and its answer to the
//! record screen as the generic replies.

use super::{Backend, Reply};
use crate::store::areas::{self, Call, Outcome, Rules};
use crate::store::{Actor, StoreError};

pub(super) async fn handle(
    b: &Backend,
    actor: &Actor,
    area: &'static str,
    op: &'static str,
    args: areas::Args,
) -> Result<Reply, StoreError> {
    let decl = areas::find(area).ok_or_else(|| areas::unknown(area, op))?;
    let rules = Rules {
        featured_testimonials_limit: b.settings.featured_limit,
        featured_case_studies_limit: b.settings.featured_case_studies_limit,
    };
    let call = Call { db: &b.db, actor, tz: b.settings.tz, rules, op, args };
    Ok(match (decl.handle)(call).await? {
        Outcome::Page(page) => Reply::Records(Box::new(page)),
        Outcome::Saved(what) => Reply::RecordSaved(what),
    })
}
