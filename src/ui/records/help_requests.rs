//! Help requests (`:help-requests`): students' and teachers' questions, answered by
//! staff. `e` responds (the request moves to resolved unless another status is
//! picked), `i` in progress, `r` resolved, `x` closed.

use super::{Act, Decl, Refusal, area_call, area_list};
use crate::backend::Request;
use crate::backend::records::{Cursor, Record};
use crate::domain::help_request::{HelpStatus, MAX_RESPONSE_CHARS};
use crate::domain::permissions::Action as Permission;
use crate::ui::keymap::{Action, Context};
use crate::ui::screens::Offer;
use crate::ui::widgets::form::{Field, Form, Values};
use staffroom_core::protocol::areas::Args;
use staffroom_core::protocol::areas::help_requests::field;

const AREA: &str = "help_requests";

const EDIT: Option<Permission> = Some(Permission::EditContent);

pub static DECL: Decl = Decl {
    name: "help-requests",
    describe: "students' and teachers' questions; e responds",
    requires: Some(crate::domain::permissions::Action::ViewContent),
    title: "Help requests",
    contexts: &[Context::Area("help_requests"), Context::Records, Context::Detail, Context::List],
    offers: &[
        Offer::hint(Action::Respond, EDIT),
        Offer::hint(Action::InProgress, EDIT),
        Offer::hint(Action::Resolve, EDIT),
        Offer::hint(Action::CloseRecord, EDIT),
        Offer::key(Action::Filter, None),
        Offer::key(Action::History, Some(Permission::ViewAudit)),
        Offer::key(Action::NextPane, None),
    ],
    columns: staffroom_core::protocol::areas::help_requests::LIST_COLUMNS,
    tabs: &["pending", "in_progress", "resolved", "closed"],
    load,
    act,
    submit,
    entity: "help_request",
    reply: super::no_reply,
};

fn load(tab: Option<&'static str>, search: Option<String>, after: Option<Cursor>) -> Request {
    area_list(AREA, tab, search, after)
}

fn act(action: Action, r: Option<&Record>) -> Option<Act> {
    let r = r?;
    let move_to = |to: HelpStatus| {
        let args =
            Args { record: Some((r.id, r.version)), fields: vec![(field::TO, to.as_str().into())], ..Args::default() };
        Act::Send(Request::Area { area: AREA, op: "move", args: Box::new(args) })
    };
    Some(match action {
        Action::Respond => Act::Form(Form::new(
            format!("Respond to #{}", r.id),
            "respond",
            vec![
                Field::multi(field::RESPONSE, "response", MAX_RESPONSE_CHARS, true).with(r.value(field::RESPONSE)),
                Field::choice(field::THEN, "then", vec!["resolved", "in_progress", "closed"]),
            ],
        )),
        Action::InProgress => move_to(HelpStatus::InProgress),
        Action::Resolve => move_to(HelpStatus::Resolved),
        Action::CloseRecord => move_to(HelpStatus::Closed),
        _ => return None,
    })
}

fn submit(tag: &'static str, r: Option<&Record>, v: &Values) -> Result<Request, Refusal> {
    let r = r.ok_or((None, "the request is no longer in the list".to_string()))?;
    match tag {
        "respond" => Ok(area_call(AREA, "respond", Some(r), v)),
        other => Err((None, format!("no form {other}"))),
    }
}
