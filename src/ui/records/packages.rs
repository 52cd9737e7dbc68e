//! Service packages (`:packages`): what the academy sells, in display order. Admins
//! edit (`e`, `N` new), reorder (`K` up, `J` down) and withdraw or offer again (`t`);
//! staff and viewers read. Prices are money in minor units, typed as `1,250.50`.

use super::{Act, Decl, Refusal};
use crate::backend::Request;
use crate::backend::records::{Cursor, Record};
use crate::domain::money::{Currency, Money};
use crate::domain::package::{PackageStatus, TargetAudience};
use crate::domain::permissions::Action as Permission;
use crate::ui::keymap::{Action, Context};
use crate::ui::screens::Offer;
use crate::ui::widgets::form::{Field, Form, Values};
use staffroom_core::protocol::packages::{PackageFields, field};

const ADMIN: Option<Permission> = Some(Permission::ManageSettings);

pub static DECL: Decl = Decl {
    name: "packages",
    describe: "service packages and their prices",
    requires: Some(crate::domain::permissions::Action::ViewLeads),
    title: "Service packages",
    contexts: &[Context::Area("packages"), Context::Records, Context::List],
    offers: &[
        Offer::hint(Action::Edit, ADMIN),
        Offer::hint(Action::New, ADMIN),
        Offer::hint(Action::MoveUp, ADMIN),
        Offer::hint(Action::MoveDown, ADMIN),
        Offer::key(Action::ToggleActive, ADMIN),
        Offer::key(Action::Filter, None),
        Offer::key(Action::History, Some(Permission::ViewAudit)),
    ],
    columns: &[("#", 3), ("name", 0), ("EGP", 14), ("USD", 12), ("status", 8)],
    tabs: &["active", "inactive"],
    load,
    act,
    submit,
    entity: "service_package",
    reply: super::no_reply,
};

fn load(tab: Option<&'static str>, search: Option<String>, after: Option<Cursor>) -> Request {
    Request::Packages { status: tab.and_then(PackageStatus::parse), search, after, limit: 100 }
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
            Field::money("egp", "price EGP").with(&v("egp")),
            Field::money("usd", "price USD").with(&v("usd")),
            Field::choice("active", "on offer", vec!["yes", "no"]).with(&v("active")),
        ],
    )
}

fn act(action: Action, r: Option<&Record>) -> Option<Act> {
    match (action, r) {
        (Action::New, _) => Some(Act::Form(form("New package".into(), "new", None))),
        (Action::Edit, Some(r)) => Some(Act::Form(form(format!("Edit {}", r.value(field::NAME)), "edit", Some(r)))),
        (Action::MoveUp | Action::MoveDown, Some(r)) => {
            Some(Act::Send(Request::ReorderPackage { id: r.id, version: r.version, up: action == Action::MoveUp }))
        }
        (Action::ToggleActive, Some(r)) => {
            let active = r.value("active") != "yes";
            let what = if active { "offer again" } else { "withdraw" };
            let question = format!("{what} {}? (y/n)", r.value(field::NAME));
            Some(Act::Confirm(question, Request::SetPackageActive { id: r.id, version: r.version, active }))
        }
        _ => None,
    }
}

/// One item per line (blank lines dropped).
fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

fn submit(tag: &'static str, r: Option<&Record>, v: &Values) -> Result<Request, Refusal> {
    let mut prices = Vec::new();
    for (key, currency) in [("egp", Currency::Egp), ("usd", Currency::Usd)] {
        if let Some(minor) = v.number(key) {
            prices.push(Money::new(currency, minor));
        }
    }
    let fields = PackageFields {
        name: v.text(field::NAME),
        slug: v.text(field::SLUG),
        description: Some(v.text(field::DESCRIPTION)).filter(|d| !d.is_empty()),
        features: lines(&v.text(field::FEATURES)),
        deliverables: lines(&v.text(field::DELIVERABLES)),
        target_audience: TargetAudience::parse(&v.text(field::AUDIENCE)).unwrap_or(TargetAudience::Both),
        duration_weeks: v.number(field::WEEKS),
        is_active: v.text("active") != "no",
        prices,
    };
    // The store's own checks, before sending: the field at fault gets the cursor.
    let fields = fields.validated().map_err(|e| match e {
        staffroom_core::protocol::StoreError::Invalid { field, why } => {
            let key =
                [field::NAME, field::SLUG, field::DESCRIPTION, field::FEATURES, field::DELIVERABLES, field::WEEKS]
                    .into_iter()
                    .find(|k| *k == field);
            (key, why)
        }
        other => (None, other.to_string()),
    })?;
    let id = match tag {
        "edit" => Some(r.map(|r| (r.id, r.version)).ok_or((None, "the package is no longer in the list".to_string()))?),
        _ => None,
    };
    Ok(Request::SavePackage { id, fields: Box::new(fields) })
}
