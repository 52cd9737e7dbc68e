//! Service packages: the list in display order with active/inactive tabs, create,
//! edit, reorder, withdraw.

use super::records::{Cursor, Record, RecordPage};
use super::{Backend, Reply, Request};
use crate::domain::money::{Currency, format_minor};
use crate::store::packages::{self, Direction, Package, Query, field};
use crate::store::{Actor, StoreError};

pub(super) async fn handle(b: &Backend, actor: &Actor, request: Request) -> Result<Reply, StoreError> {
    let db = &b.db;
    match request {
        Request::Packages { status, search, after, limit } => {
            let counts = match after {
                None => Some(packages::counts(db).await?.into_iter().map(|(s, n)| (s.to_string(), n)).collect()),
                Some(_) => None,
            };
            let after = match after {
                Some(Cursor::Order(o, id)) => Some((o, id)),
                _ => None,
            };
            let page = packages::page(db, &Query { status, search }, after, limit).await?;
            let next = page.next.map(|(o, id)| Cursor::Order(o, id));
            let rows = page.rows.iter().map(record).collect();
            Ok(Reply::Records(Box::new(RecordPage { counts, rows, next, more: after.is_some() })))
        }
        Request::SavePackage { id, fields } => {
            let saved = match id {
                Some((id, version)) => packages::update(db, actor, id, version, *fields).await?,
                None => packages::create(db, actor, *fields).await?,
            };
            Ok(Reply::RecordSaved(format!("package {} saved", saved.name)))
        }
        Request::ReorderPackage { id, version, up } => {
            let dir = if up { Direction::Up } else { Direction::Down };
            let saved = packages::reorder(db, actor, id, version, dir).await?;
            Ok(Reply::RecordSaved(format!("{} moved {}", saved.name, if up { "up" } else { "down" })))
        }
        Request::SetPackageActive { id, version, active } => {
            let saved = packages::set_active(db, actor, id, version, active).await?;
            Ok(Reply::RecordSaved(format!("{} is {}", saved.name, if active { "on offer" } else { "withdrawn" })))
        }
        other => Err(StoreError::Other(format!("{} is not a packages request", other.kind()))),
    }
}

fn price(p: &Package, c: Currency) -> String {
    p.price(c).map_or(String::new(), |m| format_minor(m.minor))
}

fn record(p: &Package) -> Record {
    let (egp, usd) = (price(p, Currency::Egp), price(p, Currency::Usd));
    let weeks = p.duration_weeks.map_or(String::new(), |w| w.to_string());
    let list = |v: &[String]| v.iter().map(|s| format!("• {s}")).collect::<Vec<_>>().join("\n");
    Record {
        id: p.id,
        version: p.version,
        status: p.status().to_string(),
        cells: vec![
            p.display_order.to_string(),
            p.name.clone(),
            if egp.is_empty() { "—".into() } else { format!("EGP {egp}") },
            if usd.is_empty() { "—".into() } else { format!("USD {usd}") },
            if p.is_active { "active".into() } else { "inactive".into() },
        ],
        detail: vec![
            ("slug".into(), p.slug.clone()),
            ("for".into(), p.target_audience.to_string()),
            ("weeks".into(), if weeks.is_empty() { "—".into() } else { weeks.clone() }),
            ("description".into(), p.description.clone().unwrap_or_default()),
            ("features".into(), list(&p.features)),
            ("deliverables".into(), list(&p.deliverables)),
        ],
        values: vec![
            (field::NAME, p.name.clone()),
            (field::SLUG, p.slug.clone()),
            (field::DESCRIPTION, p.description.clone().unwrap_or_default()),
            (field::FEATURES, p.features.join("\n")),
            (field::DELIVERABLES, p.deliverables.join("\n")),
            (field::AUDIENCE, p.target_audience.to_string()),
            (field::WEEKS, weeks),
            ("egp", egp),
            ("usd", usd),
            ("active", if p.is_active { "yes".into() } else { "no".into() }),
        ],
    }
}
