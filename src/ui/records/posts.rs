//! Posts (`:posts`): blog posts by status, newest change first, with search as you
//! type. `e` or Enter opens the editor on one, `N` a new post; `s` submits a draft
//! for review, `p` publishes (an approved post, or a draft directly for staff and
//! admins — audited as such), `x` archives a published one, `d` takes a rejected or
//! archived one back to draft. Approving and rejecting are in `:moderation`.

use super::{Act, Decl, Refusal};
use crate::backend::Request;
use crate::backend::records::{Cursor, Record};
use crate::domain::permissions::Action as Permission;
use crate::domain::post::PostStatus;
use crate::ui::cmd::Cmd;
use crate::ui::keymap::{Action, Context};
use crate::ui::screens::{Command, Screen, ScreenId};
use crate::ui::widgets::form::Values;

const EDIT: Option<Permission> = Some(Permission::EditContent);

pub static DECL: Decl = Decl {
    id: ScreenId::Posts,
    title: "Posts",
    contexts: &[Context::Posts, Context::Records, Context::List],
    commands: &[
        Command::hint(Action::Edit, EDIT),
        Command::hint(Action::New, EDIT),
        Command::hint(Action::SubmitPost, EDIT),
        Command::hint(Action::Publish, EDIT),
        Command::key(Action::Archive, EDIT),
        Command::key(Action::ToDraft, EDIT),
        Command::key(Action::Open, EDIT),
        Command::key(Action::Filter, None),
    ],
    // The title takes what is left: at 80 columns that is still 14 cells.
    columns: &[("day", 5), ("title", 0), ("author", 12), ("status", 9)],
    tabs: &["draft", "pending", "approved", "rejected", "published", "archived"],
    load,
    act,
    submit,
};

fn load(tab: Option<&'static str>, search: Option<String>, after: Option<Cursor>) -> Request {
    Request::Posts { status: tab, search, after, limit: 100 }
}

fn act(action: Action, r: Option<&Record>) -> Option<Act> {
    if action == Action::New {
        return Some(Act::Cmds(vec![Cmd::Open(ScreenId::Editor)]));
    }
    let r = r?;
    let to = |to: PostStatus| Act::Send(Request::MovePost { id: r.id, version: r.version, to, reason: None });
    Some(match action {
        Action::Edit | Action::Open => {
            let editor = crate::ui::screens::editor::EditorScreen::on_post(r.id);
            Act::Cmds(vec![Cmd::Push(Box::new(Screen::Editor(Box::new(editor))))])
        }
        Action::SubmitPost => to(PostStatus::Pending),
        Action::Publish => to(PostStatus::Published),
        Action::Archive => to(PostStatus::Archived),
        Action::ToDraft => to(PostStatus::Draft),
        _ => return None,
    })
}

fn submit(_tag: &'static str, _r: Option<&Record>, _v: &Values) -> Result<Request, Refusal> {
    Err((None, "posts are written in the editor (e)".into()))
}
