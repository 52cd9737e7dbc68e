//! Case studies (`:case-studies`): the portfolio by status, in display order. `e`
//! edits the fields (title, slug, subtitle, kinds, dates, links, tags, tech stack,
//! and the story: role, problem, solution, results, lessons), `N` a new one; `f`
//! features or unfeatures, `K`/`J` move one up or down; `m` adds a picture or video
//! (as the thumbnail it replaces the one before); `p` publishes (with exactly one
//! thumbnail, BR-04), `x` archives, `d` takes it back to draft.

use super::{Act, Decl, Refusal, area_call, area_list};
use crate::backend::Request;
use crate::backend::records::{Cursor, Record};
use crate::domain::case_study::{CaseStudyStatus, ClientType, MediaType, ProjectType};
use crate::domain::permissions::Action as Permission;
use crate::ui::keymap::{Action, Context};
use crate::ui::screens::Offer;
use crate::ui::widgets::form::{Field, Form, Values};
use staffroom_core::protocol::areas::case_studies::{MAX_TEXT_CHARS, MAX_TITLE_CHARS, MAX_URL_CHARS, field};
use staffroom_core::protocol::areas::{Args, FieldValue};

const AREA: &str = "case_studies";

const EDIT: Option<Permission> = Some(Permission::EditContent);

pub static DECL: Decl = Decl {
    name: "case-studies",
    describe: "portfolio case studies: fields, tags, stack, media; publish with one thumbnail",
    requires: Some(crate::domain::permissions::Action::ViewContent),
    title: "Case studies",
    contexts: &[Context::Area("case_studies"), Context::Records, Context::Detail, Context::List],
    offers: &[
        Offer::hint(Action::Edit, EDIT),
        Offer::hint(Action::New, EDIT),
        Offer::hint(Action::AddMedia, EDIT),
        Offer::hint(Action::Publish, EDIT),
        Offer::key(Action::Feature, EDIT),
        Offer::key(Action::MoveUp, EDIT),
        Offer::key(Action::MoveDown, EDIT),
        Offer::key(Action::Archive, EDIT),
        Offer::key(Action::ToDraft, EDIT),
        Offer::key(Action::Filter, None),
        Offer::key(Action::History, Some(Permission::ViewAudit)),
    ],
    columns: staffroom_core::protocol::areas::case_studies::LIST_COLUMNS,
    tabs: &["draft", "published", "archived"],
    load,
    act,
    submit,
    entity: "case_study",
    reply: super::no_reply,
};

fn load(tab: Option<&'static str>, search: Option<String>, after: Option<Cursor>) -> Request {
    area_list(AREA, tab, search, after)
}

/// An operation on the selected case study with one value.
fn one(r: &Record, op: &'static str, key: &'static str, value: FieldValue) -> Request {
    let args = Args { record: Some((r.id, r.version)), fields: vec![(key, value)], ..Args::default() };
    Request::Area { area: AREA, op, args: Box::new(args) }
}

fn form(title: String, r: Option<&Record>) -> Form {
    let v = |key: &str| r.map_or("", |r| r.value(key));
    let projects: Vec<&'static str> = ProjectType::ALL.iter().map(|t| t.as_str()).collect();
    let clients: Vec<&'static str> = ClientType::ALL.iter().map(|t| t.as_str()).collect();
    Form::new(
        title,
        if r.is_some() { "edit" } else { "new" },
        vec![
            Field::line("title", "title", MAX_TITLE_CHARS, true).with(v("title")),
            Field::line("slug", "slug", MAX_TITLE_CHARS, false)
                .hint("the address: lower-case words and hyphens; empty: made from the title")
                .with(v("slug")),
            Field::line("subtitle", "subtitle", MAX_TITLE_CHARS, false).with(v("subtitle")),
            Field::choice("project_type", "project", projects).with(v("project_type")),
            Field::choice("client_type", "client", clients).with(if r.is_some() {
                v("client_type")
            } else {
                "business"
            }),
            Field::date("started_at", "started").with(v("started_at")),
            Field::date("completed_at", "completed")
                .hint("not before the start; empty: ongoing")
                .with(v("completed_at")),
            Field::line("live_url", "live link", MAX_URL_CHARS, false).hint("https://…").with(v("live_url")),
            Field::line("repo_url", "repository", MAX_URL_CHARS, false).hint("https://…").with(v("repo_url")),
            Field::line("tags", "tags", 1_000, false).hint("comma-separated; new ones are created").with(v("tags")),
            Field::line("tech", "tech stack", 1_000, false)
                .hint("comma-separated names from the tech stack (React, PostgreSQL…)")
                .with(v("tech")),
            Field::line("role", "our role", MAX_TITLE_CHARS, false).with(v("role")),
            Field::multi("problem", "problem", MAX_TEXT_CHARS, false).with(v("problem")),
            Field::multi("solution", "solution", MAX_TEXT_CHARS, false).with(v("solution")),
            Field::multi("results", "results", MAX_TEXT_CHARS, false).with(v("results")),
            Field::multi("lessons_learned", "lessons", MAX_TEXT_CHARS, false).with(v("lessons_learned")),
        ],
    )
}

fn act(action: Action, r: Option<&Record>) -> Option<Act> {
    if action == Action::New {
        return Some(Act::Form(form("New case study".into(), None)));
    }
    let r = r?;
    let to = |to: CaseStudyStatus| Act::Send(one(r, "move", field::TO, FieldValue::from(to.as_str())));
    Some(match action {
        Action::Edit | Action::Open => Act::Form(form(format!("Edit {}", r.value(field::TITLE)), Some(r))),
        Action::Feature => {
            Act::Send(one(r, "feature", field::FEATURED, FieldValue::Flag(r.value(field::FEATURED) != "yes")))
        }
        Action::MoveUp | Action::MoveDown => {
            Act::Send(one(r, "reorder", field::UP, FieldValue::Flag(action == Action::MoveUp)))
        }
        Action::AddMedia => {
            let types: Vec<&'static str> = MediaType::ALL.iter().map(|t| t.as_str()).collect();
            Act::Form(Form::new(
                format!("Add media to {}", r.value("title")),
                "media",
                vec![
                    Field::line("file_url", "link", MAX_URL_CHARS, true).hint("https://… of the picture or video"),
                    Field::choice("media_type", "type", types),
                    Field::line("caption", "caption", MAX_TITLE_CHARS, false),
                    Field::line("alt_text", "alt text", MAX_TITLE_CHARS, false)
                        .hint("what the picture shows, for screen readers"),
                    Field::choice("thumbnail", "thumbnail", vec!["no", "yes"])
                        .hint("yes: it becomes the one thumbnail (the one before is no longer)"),
                ],
            ))
        }
        Action::Publish => to(CaseStudyStatus::Published),
        Action::Archive => to(CaseStudyStatus::Archived),
        Action::ToDraft => to(CaseStudyStatus::Draft),
        _ => return None,
    })
}

/// The forms go to the area as typed; the store checks every field and names the
/// one at fault, where the form puts its message.
fn submit(tag: &'static str, r: Option<&Record>, v: &Values) -> Result<Request, Refusal> {
    let gone = || (None, "the case study is no longer in the list".to_string());
    match (tag, r) {
        ("media", Some(r)) => Ok(area_call(AREA, "media", Some(r), v)),
        ("new", _) => Ok(area_call(AREA, "save", None, v)),
        (_, Some(r)) => Ok(area_call(AREA, "save", Some(r), v)),
        (_, None) => Err(gone()),
    }
}
