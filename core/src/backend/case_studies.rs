//! Case studies: the list by status in display order, save, status moves, feature,
//! reorder, add media (`store::case_studies`).

use super::records::{Cursor, Record, RecordPage};
use super::{Backend, Reply, Request};
use crate::store::case_studies::{self, CaseStudy};
use crate::store::{Actor, StoreError};

pub(super) async fn handle(b: &Backend, actor: &Actor, request: Request) -> Result<Reply, StoreError> {
    let db = &b.db;
    let saved = |c: CaseStudy, what: &str| Ok(Reply::RecordSaved(format!("\"{}\" {what}", c.row.title)));
    match request {
        Request::CaseStudies { status, search, after, limit } => {
            let counts = match after {
                None => Some(case_studies::counts(db).await?),
                Some(_) => None,
            };
            let key = match after {
                Some(Cursor::Order(k, id)) => Some((k, id)),
                _ => None,
            };
            let page = case_studies::page(db, status, search.as_deref(), key, limit).await?;
            let next = page.next.map(|(k, id)| Cursor::Order(k, id));
            let rows = page.rows.iter().map(record).collect();
            Ok(Reply::Records(Box::new(RecordPage { counts, rows, next, more: key.is_some() })))
        }
        Request::SaveCaseStudy { id, fields } => saved(case_studies::save(db, actor, id, *fields).await?, "is saved"),
        Request::MoveCaseStudy { id, version, to } => {
            let c = case_studies::move_to(db, actor, id, version, to).await?;
            let what = format!("is {}", c.row.status);
            saved(c, &what)
        }
        Request::FeatureCaseStudy { id, version, featured } => {
            let limit = b.settings.featured_case_studies_limit;
            let c = case_studies::set_featured(db, actor, id, version, featured, limit).await?;
            saved(c, if featured { "is featured" } else { "is no longer featured" })
        }
        Request::ReorderCaseStudy { id, version, up } => {
            let c = case_studies::reorder(db, actor, id, version, up).await?;
            saved(c, if up { "moved up" } else { "moved down" })
        }
        Request::AddCaseStudyMedia { id, version, media } => {
            let thumb = media.thumbnail;
            let c = case_studies::add_media(db, actor, id, version, *media).await?;
            saved(c, if thumb { "has a new thumbnail" } else { "has new media" })
        }
        other => Err(StoreError::Other(format!("{} is not a case studies request", other.kind()))),
    }
}

fn record(c: &CaseStudy) -> Record {
    let r = &c.row;
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let day = |d: Option<chrono::NaiveDate>| d.map_or(String::new(), |d| d.to_string());
    let thumbs = c.media.iter().filter(|m| m.is_thumbnail).count();
    let mut detail = vec![
        ("slug".into(), r.slug.clone()),
        ("subtitle".into(), opt(&r.subtitle)),
        ("type".into(), r.project_type.replace('_', " ")),
        ("client".into(), r.client_type.clone()),
        ("status".into(), r.status.clone()),
        ("featured".into(), if r.featured { "yes".into() } else { "no".into() }),
        ("order".into(), r.display_order.to_string()),
        ("dates".into(), format!("{} – {}", day(r.started_at), day(r.completed_at))),
        ("tags".into(), c.tags.join(", ")),
        ("tech stack".into(), c.tech.join(", ")),
        ("live".into(), opt(&r.live_url)),
        ("repository".into(), opt(&r.repo_url)),
        (
            "thumbnail".into(),
            if thumbs == 1 { "yes".into() } else { format!("{thumbs} (publishing needs exactly one)") },
        ),
    ];
    for m in &c.media {
        let mark = if m.is_thumbnail { " (thumbnail)" } else { "" };
        detail.push((format!("{}{mark}", m.media_type), format!("{} {}", m.file_url, opt(&m.caption))));
    }
    for (label, v) in [
        ("problem", &r.problem),
        ("solution", &r.solution),
        ("role", &r.role),
        ("results", &r.results),
        ("lessons learned", &r.lessons_learned),
    ] {
        if let Some(v) = v {
            detail.push((label.into(), v.clone()));
        }
    }
    Record {
        id: r.id,
        version: r.version,
        status: r.status.clone(),
        cells: vec![
            if r.featured { "★".into() } else { String::new() },
            r.title.clone(),
            r.project_type.replace('_', " "),
            r.status.clone(),
        ],
        detail,
        values: vec![
            ("title", r.title.clone()),
            ("slug", r.slug.clone()),
            ("subtitle", opt(&r.subtitle)),
            ("problem", opt(&r.problem)),
            ("solution", opt(&r.solution)),
            ("role", opt(&r.role)),
            ("results", opt(&r.results)),
            ("lessons_learned", opt(&r.lessons_learned)),
            ("project_type", r.project_type.clone()),
            ("client_type", r.client_type.clone()),
            ("live_url", opt(&r.live_url)),
            ("repo_url", opt(&r.repo_url)),
            ("started_at", day(r.started_at)),
            ("completed_at", day(r.completed_at)),
            ("tags", c.tags.join(", ")),
            ("tech", c.tech.join(", ")),
            ("featured", if r.featured { "yes".into() } else { "no".into() }),
        ],
    }
}
