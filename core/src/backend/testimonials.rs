//! Testimonials: the list by status (featured first, in display order), edit,
//! feature within `rules.featured_testimonials_limit`, reorder the featured.

use super::records::{Cursor, Record, RecordPage};
use super::{Backend, Reply, Request};
use crate::store::testimonials::{self, Testimonial};
use crate::store::{Actor, StoreError, content};

pub(super) async fn handle(b: &Backend, actor: &Actor, request: Request) -> Result<Reply, StoreError> {
    let db = &b.db;
    match request {
        Request::Testimonials { status, search, after, limit } => {
            let counts = match after {
                None => Some(testimonials::counts(db).await?),
                Some(_) => None,
            };
            let key = match after {
                Some(Cursor::Order(k, id)) => Some((k, id)),
                _ => None,
            };
            let page = testimonials::page(db, status, search.as_deref(), key, limit).await?;
            let next = page.next.map(|(k, id)| Cursor::Order(k, id));
            let rows = page.rows.iter().map(record).collect();
            Ok(Reply::Records(Box::new(RecordPage { counts, rows, next, more: key.is_some() })))
        }
        Request::SaveTestimonial { id, version, fields } => {
            let t = testimonials::update(db, actor, id, version, *fields).await?;
            Ok(Reply::RecordSaved(format!("the testimonial by {} is saved", t.author_name)))
        }
        Request::FeatureTestimonial { id, version, featured } => {
            let t = content::set_featured(db, actor, id, version, featured, b.settings.featured_limit).await?;
            let what = if featured { "featured" } else { "no longer featured" };
            Ok(Reply::RecordSaved(format!("the testimonial by {} is {what}", t.author_name)))
        }
        Request::ReorderTestimonial { id, version, up } => {
            let t = testimonials::reorder(db, actor, id, version, up).await?;
            Ok(Reply::RecordSaved(format!(
                "the testimonial by {} moved {}",
                t.author_name,
                if up { "up" } else { "down" }
            )))
        }
        other => Err(StoreError::Other(format!("{} is not a testimonials request", other.kind()))),
    }
}

fn stars(r: Option<i64>) -> String {
    r.map_or("—".into(), |r| {
        format!("{}{}", "★".repeat(r.clamp(0, 5) as usize), "☆".repeat((5 - r).clamp(0, 5) as usize))
    })
}

fn record(t: &Testimonial) -> Record {
    let opening: String = t.content.chars().take(80).collect::<String>().replace('\n', " ");
    let mut detail = vec![
        ("author".into(), t.author_name.clone()),
        ("role".into(), t.author_role.clone().unwrap_or_else(|| "—".into())),
        ("rating".into(), stars(t.rating)),
        ("type".into(), t.testimonial_type.clone()),
        ("case study".into(), t.case_study.clone().unwrap_or_else(|| "none linked".into())),
        ("status".into(), t.status.clone()),
    ];
    if let Some(r) = &t.rejection_reason {
        detail.push(("rejected because".into(), r.clone()));
    }
    detail.push(("text".into(), t.content.clone()));
    Record {
        id: t.id,
        version: t.version,
        status: t.status.clone(),
        cells: vec![
            if t.is_featured { "★".into() } else { String::new() },
            t.author_name.clone(),
            stars(t.rating),
            opening,
            t.status.clone(),
        ],
        detail,
        values: vec![
            ("author", t.author_name.clone()),
            ("role", t.author_role.clone().unwrap_or_default()),
            ("text", t.content.clone()),
            ("rating", t.rating.map_or(String::new(), |r| r.to_string())),
            ("type", t.testimonial_type.clone()),
            ("case study", t.case_study.clone().unwrap_or_default()),
            ("featured", if t.is_featured { "yes".into() } else { "no".into() }),
        ],
    }
}
