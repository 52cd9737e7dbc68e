//! Events (`:events`): webinars, workshops and public events by status, the latest
//! start first, with their seats. `N` adds one, `e` edits it, `m` moves it to
//! another status (the allowed ones only), `p` puts it on the website or takes it
//! off. The store (`store/areas/events.rs`) checks everything again: the slug, the
//! start in the office's zone, a limit never under the seats already taken.

use super::{Act, Decl, Refusal, area_list};
use crate::backend::Request;
use crate::backend::records::{Cursor, Record};
use crate::domain::lifecycle::EventStatus;
use crate::domain::permissions::Action as Permission;
use crate::ui::keymap::{Action, Context};
use crate::ui::screens::Offer;
use crate::ui::widgets::form::{Field, Form, Values};
use staffroom_core::protocol::areas::events::{
    MAX_DESCRIPTION_CHARS, MAX_LOCATION_CHARS, MAX_MINUTES, MAX_SEATS, MAX_TITLE_CHARS, TYPES, field,
};
use staffroom_core::protocol::areas::{Args, FieldValue};

const AREA: &str = "events";
const MANAGE: Option<Permission> = Some(Permission::ManageEvents);

pub static DECL: Decl = Decl {
    name: "events",
    title: "Events",
    describe: "webinars and public events: seats, status, the website; N adds, m moves, p publishes",
    requires: Some(Permission::ViewCalendar),
    contexts: &[Context::Area("events"), Context::Records, Context::Detail, Context::List],
    offers: &[
        Offer::hint(Action::New, MANAGE).about("new event"),
        Offer::hint(Action::Edit, MANAGE).about("edit (the limit: never under the seats taken)"),
        Offer::hint(Action::MoveTo, MANAGE).about("move to another status (the allowed ones)"),
        Offer::hint(Action::Publish, MANAGE).about("on / off the website"),
        Offer::key(Action::Filter, None).about("search title, place, slug"),
        Offer::key(Action::History, Some(Permission::ViewAudit)),
        Offer::key(Action::NextPane, None),
    ],
    columns: staffroom_core::protocol::areas::events::LIST_COLUMNS,
    tabs: &["scheduled", "live", "completed", "cancelled"],
    load,
    act,
    submit,
    entity: "event",
    reply: super::no_reply,
};

fn load(tab: Option<&'static str>, search: Option<String>, after: Option<Cursor>) -> Request {
    area_list(AREA, tab, search, after)
}

fn fields(r: Option<&Record>) -> Vec<Field> {
    let v = |key: &str| r.map_or("", |r| r.value(key));
    let mut out = vec![
        Field::line(field::TITLE, "title", MAX_TITLE_CHARS, true).with(v(field::TITLE)),
        Field::line(field::SLUG, "slug", 120, false).hint("empty: made from the title").with(v(field::SLUG)),
        Field::choice(field::TYPE, "type", TYPES.to_vec()).with(v(field::TYPE)),
        Field::date(field::DAY, "day").hint("2026-12-05, +7, tomorrow").with(v(field::DAY)),
        Field::line(field::TIME, "starts at", 5, true).hint("HH:MM in the office's zone").with(v(field::TIME)),
        Field::number(field::MINUTES, "minutes", 1, MAX_MINUTES).hint("empty: 60").with(v(field::MINUTES)),
        Field::number(field::MAX, "seats", 1, MAX_SEATS).hint("empty: no limit").with(v(field::MAX)),
        Field::money(field::PRICE, "price").hint("empty or 0: free").with(v(field::PRICE)),
        Field::choice(field::CURRENCY, "currency", vec!["EGP", "USD"]).with(v(field::CURRENCY)),
        Field::line(field::LOCATION, "location", MAX_LOCATION_CHARS, false).with(v(field::LOCATION)),
        Field::line(field::MEETING, "meeting link", 2_000, false).hint("https://…").with(v(field::MEETING)),
    ];
    if r.is_some() {
        out.push(Field::line(field::RECORDING, "recording", 2_000, false).with(v(field::RECORDING)));
    }
    out.push(Field::multi(field::DESCRIPTION, "description", MAX_DESCRIPTION_CHARS, false).with(v(field::DESCRIPTION)));
    out
}

fn act(action: Action, r: Option<&Record>) -> Option<Act> {
    if action == Action::New {
        return Some(Act::Form(Form::new("New event", "new", fields(None))));
    }
    let r = r?;
    let title = r.value(field::TITLE);
    Some(match action {
        Action::Edit | Action::Open => Act::Form(Form::new(format!("Edit {title}"), "edit", fields(Some(r)))),
        Action::MoveTo => {
            let now: EventStatus = r.status.parse().ok()?;
            super::move_form(title, now.as_str(), now.allowed_moves().iter().map(|s| s.as_str()).collect())
        }
        Action::Publish => {
            let on = r.value(field::PUBLISHED) != "yes";
            let args = Args {
                record: Some((r.id, r.version)),
                fields: vec![(field::PUBLISHED, FieldValue::Flag(on))],
                ..Args::default()
            };
            Act::Send(Request::Area { area: AREA, op: "publish", args: Box::new(args) })
        }
        _ => return None,
    })
}

fn submit(tag: &'static str, r: Option<&Record>, v: &Values) -> Result<Request, Refusal> {
    super::area_submit(AREA, "the event", tag, r, v)
}
