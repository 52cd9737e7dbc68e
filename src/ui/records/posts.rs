//! Posts (`:posts`): blog posts by status, newest change first, with search as you
//! type; the search also takes filters — `type:tutorial`, `tag:rust`,
//! `category:frontend`, `author:sami` — with any words. `e` or Enter opens the editor on one, `N` a new post; `s` submits a draft
//! for review, `p` publishes (an approved post, or a draft directly for staff and
//! admins — audited as such), `x` archives a published one, `d` takes a rejected or
//! archived one back to draft. Approving and rejecting are in `:moderation`. `R`
//! lists the bodies a published post kept (who wrote each, when): picking one
//! shows it against the post as it is now, and `y` there restores it.

use super::{Act, Decl, Refusal};
use crate::backend::records::{Cursor, Record};
use crate::backend::{PostReply, PostRequest};
use crate::backend::{Reply, Request};
use crate::domain::permissions::Action as Permission;
use crate::domain::post::PostStatus;
use crate::text;
use crate::ui::app::Popup;
use crate::ui::cmd::Cmd;
use crate::ui::cmd::Lane;
use crate::ui::keymap::{Action, Context};
use crate::ui::screens::{Offer, Screen};
use crate::ui::widgets::form::Values;
use staffroom_core::protocol::posts::{PostBody, Revision};

const EDIT: Option<Permission> = Some(Permission::EditContent);

pub static DECL: Decl = Decl {
    name: "posts",
    describe: "blog posts by status; e edits, s submits, p publishes",
    requires: Some(crate::domain::permissions::Action::ViewContent),
    title: "Posts",
    contexts: &[Context::Area("posts"), Context::Records, Context::Detail, Context::List],
    offers: &[
        Offer::hint(Action::Edit, EDIT),
        Offer::hint(Action::New, EDIT),
        Offer::hint(Action::SubmitPost, EDIT),
        Offer::hint(Action::Publish, EDIT),
        Offer::key(Action::Archive, EDIT),
        Offer::key(Action::ToDraft, EDIT),
        Offer::key(Action::Open, EDIT),
        Offer::key(Action::Revisions, None),
        Offer::key(Action::Filter, None),
        Offer::key(Action::History, Some(Permission::ViewAudit)),
    ],
    columns: staffroom_core::protocol::posts::LIST_COLUMNS,
    tabs: &["draft", "pending", "approved", "rejected", "scheduled", "published", "archived"],
    load,
    act,
    submit,
    entity: "post",
    reply,
};

fn load(tab: Option<&'static str>, search: Option<String>, after: Option<Cursor>) -> Request {
    Request::Posts(PostRequest::Posts { status: tab, search, after, limit: 100 })
}

fn act(action: Action, r: Option<&Record>) -> Option<Act> {
    if action == Action::New {
        return Some(Act::Cmds(vec![Cmd::Open(crate::ui::screens::ScreenId::Editor)]));
    }
    let r = r?;
    let to = |to: PostStatus| {
        Act::Send(Request::Posts(PostRequest::MovePost { id: r.id, version: r.version, to, reason: None }))
    };
    Some(match action {
        Action::Edit | Action::Open => {
            let editor = crate::ui::screens::editor::EditorScreen::on_post(r.id);
            Act::Cmds(vec![Cmd::Push(Box::new(Screen::Editor(Box::new(editor))))])
        }
        Action::SubmitPost => to(PostStatus::Pending),
        Action::Publish => to(PostStatus::Published),
        Action::Archive => to(PostStatus::Archived),
        Action::ToDraft => to(PostStatus::Draft),
        Action::Revisions => Act::Send(Request::Posts(PostRequest::PostRevisions { id: r.id })),
        _ => return None,
    })
}

fn submit(_tag: &'static str, _r: Option<&Record>, _v: &Values) -> Result<Request, Refusal> {
    Err((None, "posts are written in the editor (e)".into()))
}

fn reply(reply: Reply, _r: Option<&Record>, cx: &crate::ui::screens::Cx) -> Vec<Cmd> {
    match reply {
        Reply::Posts(PostReply::PostRevisions { current, revisions }) => revisions_list(&current, revisions, cx.tz),
        Reply::Posts(PostReply::PostSaved(b)) => vec![
            Cmd::Toast(format!("\"{}\" is back as it was (version {})", text::inert(&b.row.title), b.row.version)),
            Cmd::Reload,
        ],
        _ => Vec::new(),
    }
}

/// The kept bodies, newest first; each line opens its diff against now, from
/// which `y` restores it.
fn revisions_list(current: &PostBody, revisions: Vec<Revision>, tz: chrono_tz::Tz) -> Vec<Cmd> {
    let title = text::inert(&current.row.title);
    if revisions.is_empty() {
        return vec![Cmd::Toast(format!("\"{title}\" has no revisions: a published post keeps one at each save"))];
    }
    let items = revisions
        .into_iter()
        .map(|rev| {
            let (added, removed) = crate::ui::diff::counts(&rev.content, &current.content);
            let when = rev.written_at.with_timezone(&tz).format("%Y-%m-%d %H:%M");
            let by = if rev.written_by.is_empty() { "someone" } else { &rev.written_by };
            let line = format!("v{} · {when} · by {} · +{added} −{removed} to now", rev.post_version, text::inert(by));
            let mut lines = Vec::new();
            if rev.title != current.row.title {
                lines.push(format!("- title: {}", rev.title));
                lines.push(format!("+ title: {}", current.row.title));
                lines.push(String::new());
            }
            lines.extend(crate::ui::diff::lines(&rev.content, &current.content));
            if lines.is_empty() {
                lines.push("The same as the post now.".into());
            }
            let restore = Request::Posts(PostRequest::RestoreRevision {
                id: current.row.id,
                version: current.row.version,
                revision: rev.id,
            });
            let popup = Popup::Text {
                title: format!("v{} (-) against now (+) · replaced by {}", rev.post_version, rev.replaced_by),
                lines,
                scroll: 0,
                on_yes: Some(("restores this version", vec![Cmd::Send(Lane::Write(0), restore)])),
                diff: true,
            };
            (line, vec![Cmd::Popup(Box::new(popup))])
        })
        .collect();
    let chooser = crate::ui::chooser::Chooser::new(format!("Revisions of \"{title}\""), items)
        .with_note("Enter shows one against the post now; y there restores it");
    vec![Cmd::Popup(Box::new(Popup::Choose(chooser)))]
}
