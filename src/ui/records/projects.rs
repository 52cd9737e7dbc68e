//! Internal projects (`:projects`): the office's own work by status, the latest
//! changed first, with their tasks done. `N` adds one, `e` edits it, `m` moves it to
//! another status (the allowed ones only). The store (`store/areas/projects.rs`)
//! checks everything again: dates in order, a budget as money.

use super::{Act, Decl, Refusal, area_list};
use crate::backend::Request;
use crate::backend::records::{Cursor, Record};
use crate::domain::lifecycle::ProjectStatus;
use crate::domain::permissions::Action as Permission;
use crate::ui::keymap::{Action, Context};
use crate::ui::screens::Offer;
use crate::ui::widgets::form::{Field, Form, Values};
use staffroom_core::protocol::areas::projects::{
    MAX_DESCRIPTION_CHARS, MAX_LOCATION_CHARS, MAX_TITLE_CHARS, PRIORITIES, field,
};

const AREA: &str = "projects";
const EDIT: Option<Permission> = Some(Permission::EditContent);

pub static DECL: Decl = Decl {
    name: "projects",
    title: "Projects",
    describe: "internal projects by status, with their tasks done; N adds, m moves",
    requires: Some(Permission::ViewContent),
    contexts: &[Context::Area("projects"), Context::Records, Context::Detail, Context::List],
    offers: &[
        Offer::hint(Action::New, EDIT).about("new project"),
        Offer::hint(Action::Edit, EDIT).about("edit the project"),
        Offer::hint(Action::MoveTo, EDIT).about("move to another status (the allowed ones)"),
        Offer::key(Action::Filter, None).about("search title, place, description"),
        Offer::key(Action::History, Some(Permission::ViewAudit)),
        Offer::key(Action::NextPane, None),
    ],
    columns: staffroom_core::protocol::areas::projects::LIST_COLUMNS,
    tabs: &["planning", "active", "on_hold", "completed", "cancelled"],
    load,
    act,
    submit,
    entity: "project",
    reply: super::no_reply,
};

fn load(tab: Option<&'static str>, search: Option<String>, after: Option<Cursor>) -> Request {
    area_list(AREA, tab, search, after)
}

fn fields(r: Option<&Record>) -> Vec<Field> {
    let v = |key: &str| r.map_or("", |r| r.value(key));
    vec![
        Field::line(field::TITLE, "title", MAX_TITLE_CHARS, true).with(v(field::TITLE)),
        Field::choice(field::PRIORITY, "priority", PRIORITIES.to_vec()).with(if r.is_some() {
            v(field::PRIORITY)
        } else {
            "medium"
        }),
        Field::date(field::START, "starts").hint("2026-12-05, +7, tomorrow; empty: not set").with(v(field::START)),
        Field::date(field::END, "ends").hint("not before the start").with(v(field::END)),
        Field::money(field::BUDGET, "budget").hint("empty: none").with(v(field::BUDGET)),
        Field::choice(field::CURRENCY, "currency", vec!["EGP", "USD"]).with(v(field::CURRENCY)),
        Field::line(field::LOCATION, "location", MAX_LOCATION_CHARS, false).with(v(field::LOCATION)),
        Field::multi(field::DESCRIPTION, "description", MAX_DESCRIPTION_CHARS, false).with(v(field::DESCRIPTION)),
    ]
}

fn act(action: Action, r: Option<&Record>) -> Option<Act> {
    if action == Action::New {
        return Some(Act::Form(Form::new("New project", "new", fields(None))));
    }
    let r = r?;
    let title = r.value(field::TITLE);
    Some(match action {
        Action::Edit | Action::Open => Act::Form(Form::new(format!("Edit {title}"), "edit", fields(Some(r)))),
        Action::MoveTo => {
            let now: ProjectStatus = r.status.parse().ok()?;
            super::move_form(title, now.as_str(), now.allowed_moves().iter().map(|s| s.as_str()).collect())
        }
        _ => return None,
    })
}

fn submit(tag: &'static str, r: Option<&Record>, v: &Values) -> Result<Request, Refusal> {
    super::area_submit(AREA, "the project", tag, r, v)
}
