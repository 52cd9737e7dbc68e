//! Programs (`:programs`): the course templates by status, the latest changed first,
//! with the size of their content. `m` moves one to another status (the allowed
//! ones); publishing is refused by the store, naming what is missing, until the
//! program has a chapter and every chapter a lesson.

use super::{Act, Decl, Refusal, area_list};
use crate::backend::Request;
use crate::backend::records::{Cursor, Record};
use crate::domain::lifecycle::ProgramStatus;
use crate::domain::permissions::Action as Permission;
use crate::ui::keymap::{Action, Context};
use crate::ui::screens::Offer;
use crate::ui::widgets::form::Values;
use staffroom_core::protocol::areas::programs::field;

const AREA: &str = "programs";
const EDIT: Option<Permission> = Some(Permission::EditContent);

pub static DECL: Decl = Decl {
    name: "programs",
    title: "Programs",
    describe: "programs by status, with their chapters and lessons; m moves (publishing needs content)",
    requires: Some(Permission::ViewContent),
    contexts: &[Context::Area("programs"), Context::Records, Context::Detail, Context::List],
    offers: &[
        Offer::hint(Action::MoveTo, EDIT).about("move to another status (publishing needs content)"),
        Offer::key(Action::Filter, None).about("search title, slug, category"),
        Offer::key(Action::History, Some(Permission::ViewAudit)),
        Offer::key(Action::NextPane, None),
    ],
    columns: staffroom_core::protocol::areas::programs::LIST_COLUMNS,
    tabs: &["draft", "published", "archived"],
    load,
    act,
    submit,
    entity: "program",
    reply: super::no_reply,
};

fn load(tab: Option<&'static str>, search: Option<String>, after: Option<Cursor>) -> Request {
    area_list(AREA, tab, search, after)
}

fn act(action: Action, r: Option<&Record>) -> Option<Act> {
    let r = r?;
    match action {
        Action::MoveTo => {
            let now: ProgramStatus = r.status.parse().ok()?;
            let allowed = now.allowed_moves().iter().map(|s| s.as_str()).collect();
            Some(super::move_form(r.value(field::TITLE), now.as_str(), allowed))
        }
        _ => None,
    }
}

fn submit(tag: &'static str, r: Option<&Record>, v: &Values) -> Result<Request, Refusal> {
    super::area_submit(AREA, "the program", tag, r, v)
}
