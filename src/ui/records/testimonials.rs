//! Testimonials (`:testimonials`): all of them by status, the featured first in
//! their display order. `a` approves and `r` rejects a pending one (with a reason),
//! `f` features or unfeatures an approved one (within
//! `rules.featured_testimonials_limit`, refused naming it when full), `K`/`J` move a
//! featured one up or down, `e` edits the author, text, rating and case study.

use super::{Act, Decl, Refusal, area_call, area_list};
use crate::backend::ModerationRequest;
use crate::backend::Request;
use crate::backend::records::{Cursor, Record};
use crate::domain::permissions::Action as Permission;
use crate::ui::keymap::{Action, Context};
use crate::ui::screens::Offer;
use crate::ui::widgets::form::{Field, Form, Values};
use staffroom_core::protocol::areas::testimonials::{MAX_NAME_CHARS, MAX_TEXT_CHARS, field};
use staffroom_core::protocol::areas::{Args, FieldValue};
use staffroom_core::protocol::moderation::{Decision, QueueKind};

const AREA: &str = "testimonials";

const MODERATE: Option<Permission> = Some(Permission::ModerateContent);

pub static DECL: Decl = Decl {
    name: "testimonials",
    describe: "testimonials by status, the featured first; f features, J/K order",
    requires: Some(crate::domain::permissions::Action::ViewContent),
    title: "Testimonials",
    contexts: &[Context::Area("testimonials"), Context::Records, Context::Detail, Context::List],
    offers: &[
        Offer::hint(Action::Approve, MODERATE),
        Offer::hint(Action::Reject, MODERATE),
        Offer::hint(Action::Feature, MODERATE),
        Offer::hint(Action::Edit, MODERATE),
        Offer::key(Action::MoveUp, MODERATE),
        Offer::key(Action::MoveDown, MODERATE),
        Offer::key(Action::Filter, None),
        Offer::key(Action::History, Some(Permission::ViewAudit)),
    ],
    columns: staffroom_core::protocol::areas::testimonials::LIST_COLUMNS,
    tabs: &["pending", "approved", "rejected"],
    load,
    act,
    submit,
    entity: "testimonial",
    reply: super::no_reply,
};

fn load(tab: Option<&'static str>, search: Option<String>, after: Option<Cursor>) -> Request {
    area_list(AREA, tab, search, after)
}

/// An operation on the selected testimonial with one flag.
fn flagged(r: &Record, op: &'static str, key: &'static str, on: bool) -> Request {
    let args = Args { record: Some((r.id, r.version)), fields: vec![(key, FieldValue::Flag(on))], ..Args::default() };
    Request::Area { area: AREA, op, args: Box::new(args) }
}

fn act(action: Action, r: Option<&Record>) -> Option<Act> {
    let r = r?;
    let one = vec![(QueueKind::Testimonial, r.id, r.version)];
    Some(match action {
        Action::Approve => {
            Act::Send(Request::Moderation(ModerationRequest::Decide { items: one, decision: Decision::Approve }))
        }
        Action::Reject => Act::Form(Form::new(
            format!("Reject the testimonial by {}", r.value(field::AUTHOR)),
            "reject",
            vec![Field::line("reason", "reason", 500, true).hint("stored with the testimonial and shown with it")],
        )),
        Action::Feature => Act::Send(flagged(r, "feature", field::FEATURED, r.value(field::FEATURED) != "yes")),
        Action::MoveUp | Action::MoveDown => Act::Send(flagged(r, "reorder", field::UP, action == Action::MoveUp)),
        Action::Edit => Act::Form(Form::new(
            format!("Edit the testimonial by {}", r.value(field::AUTHOR)),
            "edit",
            vec![
                Field::line(field::AUTHOR, "author", MAX_NAME_CHARS, true).with(r.value(field::AUTHOR)),
                Field::line(field::ROLE, "role", MAX_NAME_CHARS, false).with(r.value(field::ROLE)),
                Field::number(field::RATING, "rating", 1, 5)
                    .hint("1 to 5 stars; empty: none")
                    .with(r.value(field::RATING)),
                Field::choice(field::TYPE, "type", vec!["student", "client", "partner"]).with(r.value(field::TYPE)),
                Field::line(field::CASE_STUDY, "case study", 200, false)
                    .hint("the case study's slug; empty: none")
                    .with(r.value(field::CASE_STUDY)),
                Field::multi(field::TEXT, "text", MAX_TEXT_CHARS, true).with(r.value(field::TEXT)),
            ],
        )),
        _ => return None,
    })
}

fn submit(tag: &'static str, r: Option<&Record>, v: &Values) -> Result<Request, Refusal> {
    let r = r.ok_or((None, "the testimonial is no longer in the list".to_string()))?;
    match tag {
        "reject" => Ok(Request::Moderation(ModerationRequest::Decide {
            items: vec![(QueueKind::Testimonial, r.id, r.version)],
            decision: Decision::Reject(v.text("reason")),
        })),
        _ => Ok(area_call(AREA, "save", Some(r), v)),
    }
}
