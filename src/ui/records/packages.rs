//! Service packages (`:packages`): what the academy sells, in display order. Admins
//! edit (`e`, `N` new), reorder (`K` up, `J` down) and withdraw or offer again (`t`);
//! staff and viewers read. Prices are money in minor units, typed as `1,250.50`.

use super::{Act, Decl, Refusal, area_call, area_list};
use crate::backend::Request;
use crate::backend::records::{Cursor, Record};
use crate::domain::package::TargetAudience;
use crate::domain::permissions::Action as Permission;
use crate::ui::keymap::{Action, Context};
use crate::ui::screens::Offer;
use crate::ui::widgets::form::{Field, Form, Values};
use staffroom_core::protocol::areas::packages::{arg, field};
use staffroom_core::protocol::areas::{Args, FieldValue};

const AREA: &str = "packages";

const ADMIN: Option<Permission> = Some(Permission::ManageSettings);

pub static DECL: Decl = Decl {
    name: "packages",
    describe: "service packages and their prices",
    requires: Some(crate::domain::permissions::Action::ViewLeads),
    title: "Service packages",
    contexts: &[Context::Area("packages"), Context::Records, Context::Detail, Context::List],
    offers: &[
        Offer::hint(Action::Edit, ADMIN),
        Offer::hint(Action::New, ADMIN),
        Offer::hint(Action::MoveUp, ADMIN),
        Offer::hint(Action::MoveDown, ADMIN),
        Offer::key(Action::ToggleActive, ADMIN),
        Offer::key(Action::Filter, None),
        Offer::key(Action::History, Some(Permission::ViewAudit)),
    ],
    columns: staffroom_core::protocol::areas::packages::LIST_COLUMNS,
    tabs: &["active", "inactive"],
    load,
    act,
    submit,
    entity: "service_package",
    reply: super::no_reply,
};

fn load(tab: Option<&'static str>, search: Option<String>, after: Option<Cursor>) -> Request {
    area_list(AREA, tab, search, after)
}

fn form(title: String, tag: &'static str, r: Option<&Record>) -> Form {
    let v = |k: &str| r.map_or("", |r| r.value(k)).to_string();
    let audiences = TargetAudience::ALL.iter().map(|a| a.as_str()).collect();
    Form::new(
        title,
        tag,
        vec![
            Field::line(field::NAME, "name", 120, true).with(&v(field::NAME)),
            Field::line(field::SLUG, "slug", 120, false).with(&v(field::SLUG)),
            Field::multi(field::DESCRIPTION, "description", 5000, false).with(&v(field::DESCRIPTION)),
            Field::multi(field::FEATURES, "features", 6200, false).with(&v(field::FEATURES)),
            Field::multi(field::DELIVERABLES, "deliverables", 6200, false).with(&v(field::DELIVERABLES)),
            Field::choice(field::AUDIENCE, "for", audiences).with(&v(field::AUDIENCE)),
            Field::number(field::WEEKS, "weeks", 1, 260).with(&v(field::WEEKS)),
            Field::money(arg::EGP, "price EGP").with(&v(arg::EGP)),
            Field::money(arg::USD, "price USD").with(&v(arg::USD)),
            Field::choice(arg::ACTIVE, "on offer", vec!["yes", "no"]).with(&v(arg::ACTIVE)),
        ],
    )
}

/// An operation on the selected package with one flag.
fn flagged(r: &Record, op: &'static str, key: &'static str, on: bool) -> Request {
    let args = Args { record: Some((r.id, r.version)), fields: vec![(key, FieldValue::Flag(on))], ..Args::default() };
    Request::Area { area: AREA, op, args: Box::new(args) }
}

fn act(action: Action, r: Option<&Record>) -> Option<Act> {
    match (action, r) {
        (Action::New, _) => Some(Act::Form(form("New package".into(), "new", None))),
        (Action::Edit, Some(r)) => Some(Act::Form(form(format!("Edit {}", r.value(field::NAME)), "edit", Some(r)))),
        (Action::MoveUp | Action::MoveDown, Some(r)) => {
            Some(Act::Send(flagged(r, "reorder", arg::UP, action == Action::MoveUp)))
        }
        (Action::ToggleActive, Some(r)) => {
            let active = r.value(arg::ACTIVE) != "yes";
            let what = if active { "offer again" } else { "withdraw" };
            let question = format!("{what} {}? (y/n)", r.value(field::NAME));
            Some(Act::Confirm(question, flagged(r, "active", arg::ACTIVE, active)))
        }
        _ => None,
    }
}

/// The form goes to the area as typed; the store checks every field and names
/// the one at fault, where the form puts its message.
fn submit(tag: &'static str, r: Option<&Record>, v: &Values) -> Result<Request, Refusal> {
    match tag {
        "new" => Ok(area_call(AREA, "save", None, v)),
        "edit" => {
            let r = r.ok_or((None, "the package is no longer in the list".to_string()))?;
            Ok(area_call(AREA, "save", Some(r), v))
        }
        other => Err((None, format!("no form {other}"))),
    }
}
