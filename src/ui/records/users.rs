//! User administration (`:users`, admins): accounts by state with their roles and
//! last login. `N` adds one (a one-time password shown once, or one typed twice),
//! `e` edits name, contact and roles, `P` resets the password (and lifts a
//! lockout), `x` deactivates or reactivates, `u` unlocks, `l` lists the latest
//! logins. The store refuses an admin removing their own admin role and the last
//! active admin going, inside the transaction.

use super::{Act, Decl, Refusal};
use crate::backend::records::{Cursor, Record};
use crate::backend::{Reply, Request, Secret};
use crate::backend::{UserReply, UserRequest};
use crate::domain::permissions::{Action as Permission, Roles};
use crate::text;
use crate::ui::app::Popup;
use crate::ui::cmd::Cmd;
use crate::ui::keymap::{Action, Context};
use crate::ui::screens::{Cx, Offer};
use crate::ui::widgets::form::{Field, Form, Values};
use staffroom_core::protocol::users::{LoginAttempt, MAX_NAME_CHARS, MIN_PASSWORD_LEN, UserFields};

const ADMIN: Option<Permission> = Some(Permission::ManageUsers);

pub static DECL: Decl = Decl {
    name: "users",
    describe: "user accounts",
    requires: Some(crate::domain::permissions::Action::ManageUsers),
    title: "Users",
    contexts: &[Context::Area("users"), Context::Records, Context::Detail, Context::List],
    offers: &[
        Offer::hint(Action::New, ADMIN),
        Offer::hint(Action::Edit, ADMIN),
        Offer::hint(Action::ResetPassword, ADMIN),
        Offer::hint(Action::SetActive, ADMIN),
        Offer::key(Action::UnlockAccount, ADMIN),
        Offer::key(Action::LoginHistory, ADMIN),
        Offer::key(Action::Filter, None),
        Offer::key(Action::History, Some(Permission::ViewAudit)),
        Offer::key(Action::NextPane, None),
    ],
    columns: staffroom_core::protocol::users::LIST_COLUMNS,
    tabs: &staffroom_core::protocol::users::STATES,
    load,
    act,
    submit,
    entity: "user",
    reply,
};

fn load(tab: Option<&'static str>, search: Option<String>, after: Option<Cursor>) -> Request {
    Request::Users(UserRequest::Users { state: tab, search, after, limit: 100 })
}

const PASSWORD_CHOICES: [&str; 2] = ["one-time, shown once", "typed here"];

fn password_fields() -> Vec<Field> {
    vec![
        Field::choice("how", "password", PASSWORD_CHOICES.to_vec())
            .hint("one-time: made for them and shown once; they choose their own at the first login"),
        Field::secret("password", "type it").hint(format!("at least {MIN_PASSWORD_LEN} characters")),
        Field::secret("again", "again").hint("the same password, to be sure"),
    ]
}

fn account_fields(r: Option<&Record>) -> Vec<Field> {
    let v = |key: &str| r.map_or("", |r| r.value(key));
    let flag = |key: &'static str, label: &'static str| {
        Field::choice(key, label, vec!["no", "yes"]).with(if r.is_some() { v(key) } else { "no" })
    };
    vec![
        Field::line("full_name", "name", MAX_NAME_CHARS, true).with(v("full_name")),
        Field::line("email", "email", 254, false).hint("an email or a phone is needed").with(v("email")),
        Field::line("phone", "phone", 40, false).hint("+20 10 1234 5678").with(v("phone")),
        flag("admin", "admin"),
        flag("staff", "staff"),
        flag("instructor", "instructor"),
        flag("student", "student"),
    ]
}

fn act(action: Action, r: Option<&Record>) -> Option<Act> {
    if action == Action::New {
        let mut fields = account_fields(None);
        fields.extend(password_fields());
        return Some(Act::Form(Form::new("Add a user", "new", fields)));
    }
    let r = r?;
    let name = r.value("full_name");
    Some(match action {
        Action::Edit | Action::Open => Act::Form(Form::new(format!("Edit {name}"), "edit", account_fields(Some(r)))),
        Action::ResetPassword => {
            Act::Form(Form::new(format!("New password for {name}"), "password", password_fields()))
        }
        Action::SetActive => {
            let active = r.value("active") == "yes";
            let question = if active {
                format!("Deactivate {name}? They can no longer log in; their history stays.")
            } else {
                format!("Reactivate {name}? They can log in again.")
            };
            Act::Confirm(
                question,
                Request::Users(UserRequest::SetUserActive { id: r.id, version: r.version, active: !active }),
            )
        }
        Action::UnlockAccount => Act::Send(Request::Users(UserRequest::UnlockUser { id: r.id, version: r.version })),
        Action::LoginHistory => Act::Send(Request::Users(UserRequest::LoginHistory { id: r.id })),
        _ => return None,
    })
}

/// The password chosen in a form: `None` for a one-time one.
fn password(v: &Values) -> Result<Option<Secret>, Refusal> {
    if v.text("how") == PASSWORD_CHOICES[0] {
        return Ok(None);
    }
    let typed = v.text("password");
    if typed.chars().count() < MIN_PASSWORD_LEN {
        return Err((Some("password"), format!("needs at least {MIN_PASSWORD_LEN} characters")));
    }
    if typed != v.text("again") {
        return Err((Some("again"), "is not the same as the first".to_string()));
    }
    Ok(Some(Secret(typed)))
}

fn fields(v: &Values) -> Box<UserFields> {
    let some = |key: &str| Some(v.text(key)).filter(|t| !t.trim().is_empty());
    let yes = |key: &str| v.text(key) == "yes";
    Box::new(UserFields {
        full_name: v.text("full_name"),
        email: some("email"),
        phone: some("phone"),
        roles: Roles {
            admin: yes("admin"),
            staff: yes("staff"),
            instructor: yes("instructor"),
            student: yes("student"),
        },
    })
}

fn submit(tag: &'static str, r: Option<&Record>, v: &Values) -> Result<Request, Refusal> {
    if tag == "new" {
        return Ok(Request::Users(UserRequest::AddUser { fields: fields(v), password: password(v)? }));
    }
    let r = r.ok_or((None, "the user is no longer in the list".to_string()))?;
    match tag {
        "password" => {
            Ok(Request::Users(UserRequest::ResetPassword { id: r.id, version: r.version, password: password(v)? }))
        }
        _ => Ok(Request::Users(UserRequest::EditUser { id: r.id, version: r.version, fields: fields(v) })),
    }
}

fn reply(reply: Reply, _r: Option<&Record>, cx: &Cx) -> Vec<Cmd> {
    match reply {
        Reply::Users(UserReply::OneTimePassword(name, Secret(password))) => {
            let lines = vec![
                format!("    {password}"),
                String::new(),
                "Shown this once: give it to them now, by a channel only they read.".to_string(),
                "At their first login staffroom asks them to choose their own.".to_string(),
            ];
            let title = format!("One-time password for {}", text::inert(&name));
            let popup = Popup::Text { title, lines, scroll: 0, on_yes: None, diff: false };
            vec![Cmd::CloseDialogs, Cmd::Popup(Box::new(popup)), Cmd::Reload]
        }
        Reply::Users(UserReply::LoginHistory(name, attempts)) => {
            let lines = history_lines(&attempts, cx.tz);
            let title = format!("Latest logins of {}", text::inert(&name));
            vec![Cmd::Popup(Box::new(Popup::Text { title, lines, scroll: 0, on_yes: None, diff: false }))]
        }
        _ => Vec::new(),
    }
}

/// One line per attempt: when, the outcome (or why not), where from, which terminal.
fn history_lines(attempts: &[LoginAttempt], tz: chrono_tz::Tz) -> Vec<String> {
    if attempts.is_empty() {
        return vec!["no login attempts yet".to_string()];
    }
    attempts
        .iter()
        .map(|a| {
            let when = a.created_at.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S");
            let outcome = if a.success {
                "logged in".to_string()
            } else {
                match a.failure_reason.as_deref() {
                    Some("bad_password") => "refused: wrong password".to_string(),
                    Some("locked") => "refused: locked out".to_string(),
                    Some(other) => format!("refused: {}", other.replace('_', " ")),
                    None => "refused".to_string(),
                }
            };
            let terminal = a.terminal.as_deref().unwrap_or("—");
            text::inert(&format!("{when}  {outcome:<24} from {} on {terminal}", a.remote))
        })
        .collect()
}
