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
    let args = if op == "list" { remembered_sort(b, actor, area, args).await? } else { args };
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

/// A list's sort is the user's, kept like the board's filter: one chosen now is
/// saved; a first page asked for without one gets the saved one (a saved sort this
/// version cannot read counts as none).
async fn remembered_sort(
    b: &Backend,
    actor: &Actor,
    area: &str,
    mut args: areas::Args,
) -> Result<areas::Args, StoreError> {
    let Some(user_id) = actor.user_id else { return Ok(args) };
    let key = format!("sort.{area}");
    if args.sort_chosen {
        let value = serde_json::to_value(&args.sort).map_err(|e| StoreError::Other(e.to_string()))?;
        crate::store::prefs::set(&b.db, actor, &key, &value).await?;
    } else if args.sort.is_none() && args.after.is_none() {
        let saved = crate::store::prefs::get(&b.db, user_id, &key).await?;
        args.sort = saved.and_then(|v| serde_json::from_value(v).ok()).flatten();
    }
    Ok(args)
}
