//! Case studies as a simple area: the operations the record screen sends
//! (`Request::Area`: "list", "save" with the form's fields, "move" with `to`,
//! "feature" with `featured`, "reorder" with `up`, "media" with the media form's
//! fields), how a row is shown, and the gate test's samples. The queries and the
//! writes they call are in `mod.rs`.

use super::{CaseStudy, CaseStudyFields, NewMedia, add_media, counts, move_to, page, reorder, save, set_featured};
use crate::domain::case_study::CaseStudyStatus;
use crate::domain::permissions::Action;
use crate::store::areas::{AreaDecl, Args, Call, FieldValue, Outcome, ordered_page, unknown};
use crate::store::records::Record;
use crate::store::{Actor, Db, Result};
use chrono::NaiveDate;

pub static AREA: AreaDecl = AreaDecl {
    columns: LIST_COLUMNS,
    name: "case_studies",
    // Everyone who sees content reads them; admins and staff change them.
    gate: &[
        ("list", Action::ViewContent),
        ("save", Action::EditContent),
        ("move", Action::EditContent),
        ("feature", Action::EditContent),
        ("reorder", Action::EditContent),
        ("media", Action::EditContent),
    ],
    handle: |call| Box::pin(handle(call)),
    samples: |db, n| Box::pin(samples(db, n)),
};

/// The form keys, shared with the screen's declaration (the case study's own
/// columns where there is one), and the arguments of the other operations.
pub mod field {
    pub const TITLE: &str = "title";
    pub const SLUG: &str = "slug";
    pub const SUBTITLE: &str = "subtitle";
    pub const PROBLEM: &str = "problem";
    pub const SOLUTION: &str = "solution";
    pub const ROLE: &str = "role";
    pub const RESULTS: &str = "results";
    pub const LESSONS: &str = "lessons_learned";
    pub const PROJECT_TYPE: &str = "project_type";
    pub const CLIENT_TYPE: &str = "client_type";
    pub const LIVE_URL: &str = "live_url";
    pub const REPO_URL: &str = "repo_url";
    pub const STARTED: &str = "started_at";
    pub const COMPLETED: &str = "completed_at";
    /// Comma-separated.
    pub const TAGS: &str = "tags";
    /// Comma-separated names from the tech stack.
    pub const TECH: &str = "tech";
    /// Shown as `yes`/`no`; `feature`'s flag.
    pub const FEATURED: &str = "featured";
    /// `move`: the status to move to.
    pub const TO: &str = "to";
    /// `reorder`: a step up (else down).
    pub const UP: &str = "up";
    /// The media form.
    pub const FILE_URL: &str = "file_url";
    pub const MEDIA_TYPE: &str = "media_type";
    pub const CAPTION: &str = "caption";
    pub const ALT_TEXT: &str = "alt_text";
    /// `yes`: the new media becomes the one thumbnail.
    pub const THUMBNAIL: &str = "thumbnail";
}

async fn handle(call: Call<'_>) -> Result<Outcome> {
    let Call { db, actor, op, args, rules, .. } = call;
    let saved = |c: CaseStudy, what: &str| Ok(Outcome::Saved(format!("\"{}\" {what}", c.row.title)));
    match op {
        "list" => {
            let after = args.after_order();
            let counts = if after.is_none() { Some(counts(db).await?) } else { None };
            let page = page(db, args.tab, args.search.as_deref(), after, args.limit).await?;
            Ok(Outcome::Page(ordered_page(counts, page, record)))
        }
        "save" => saved(save(db, actor, args.record, fields_of(&args)?).await?, "is saved"),
        "move" => {
            let (id, version) = args.record()?;
            let to: CaseStudyStatus = args.parsed(field::TO, "a case study status")?;
            let c = move_to(db, actor, id, version, to).await?;
            let what = format!("is {}", c.row.status);
            saved(c, &what)
        }
        "feature" => {
            let (id, version) = args.record()?;
            let featured = args.flag(field::FEATURED);
            let c = set_featured(db, actor, id, version, featured, rules.featured_case_studies_limit).await?;
            saved(c, if featured { "is featured" } else { "is no longer featured" })
        }
        "reorder" => {
            let (id, version) = args.record()?;
            let up = args.flag(field::UP);
            saved(reorder(db, actor, id, version, up).await?, if up { "moved up" } else { "moved down" })
        }
        "media" => {
            let (id, version) = args.record()?;
            let some = |key: &str| Some(args.field(key).to_string()).filter(|t| !t.is_empty());
            let media = NewMedia {
                media_type: args.field(field::MEDIA_TYPE).to_string(),
                file_url: args.field(field::FILE_URL).to_string(),
                caption: some(field::CAPTION),
                alt_text: some(field::ALT_TEXT),
                thumbnail: args.flag(field::THUMBNAIL),
            };
            let thumb = media.thumbnail;
            let c = add_media(db, actor, id, version, media).await?;
            saved(c, if thumb { "has a new thumbnail" } else { "has new media" })
        }
        other => Err(unknown(AREA.name, other)),
    }
}

/// The edit form's values as the case study's fields (checked by `save`).
fn fields_of(args: &Args) -> Result<CaseStudyFields> {
    let some = |key: &str| Some(args.field(key).to_string()).filter(|t| !t.is_empty());
    let list = |key: &str| args.field(key).split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
    Ok(CaseStudyFields {
        title: args.field(field::TITLE).to_string(),
        slug: some(field::SLUG),
        subtitle: some(field::SUBTITLE),
        problem: some(field::PROBLEM),
        solution: some(field::SOLUTION),
        role: some(field::ROLE),
        results: some(field::RESULTS),
        lessons_learned: some(field::LESSONS),
        project_type: args.field(field::PROJECT_TYPE).to_string(),
        client_type: args.field(field::CLIENT_TYPE).to_string(),
        live_url: some(field::LIVE_URL),
        repo_url: some(field::REPO_URL),
        started_at: args.day(field::STARTED)?,
        completed_at: args.day(field::COMPLETED)?,
        tags: list(field::TAGS),
        tech: list(field::TECH),
    })
}

/// The list's columns: heading and width (0: takes the room left), one per cell
/// `record` makes, in its order.
pub const LIST_COLUMNS: crate::store::records::Columns = &[("★", 1), ("title", 0), ("type", 10), ("status", 9)];

/// A case study as the record screen shows it.
fn record(c: &CaseStudy) -> Record {
    let r = &c.row;
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let day = |d: Option<NaiveDate>| d.map_or(String::new(), |d| d.to_string());
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
            (field::TITLE, r.title.clone()),
            (field::SLUG, r.slug.clone()),
            (field::SUBTITLE, opt(&r.subtitle)),
            (field::PROBLEM, opt(&r.problem)),
            (field::SOLUTION, opt(&r.solution)),
            (field::ROLE, opt(&r.role)),
            (field::RESULTS, opt(&r.results)),
            (field::LESSONS, opt(&r.lessons_learned)),
            (field::PROJECT_TYPE, r.project_type.clone()),
            (field::CLIENT_TYPE, r.client_type.clone()),
            (field::LIVE_URL, opt(&r.live_url)),
            (field::REPO_URL, opt(&r.repo_url)),
            (field::STARTED, day(r.started_at)),
            (field::COMPLETED, day(r.completed_at)),
            (field::TAGS, c.tags.join(", ")),
            (field::TECH, c.tech.join(", ")),
            (field::FEATURED, if r.featured { "yes".into() } else { "no".into() }),
        ],
    }
}

/// For the gate test: case studies of its own, each with its thumbnail; the one
/// to unfeature is featured directly (featuring could meet the limit after many
/// samples).
async fn samples(db: &Db, n: u32) -> Result<Vec<(&'static str, Args)>> {
    let mut made = Vec::new();
    for what in ["edit", "move", "feature", "neighbour", "reorder", "media"] {
        let fields = CaseStudyFields {
            title: format!("Gate case {what} {n}"),
            project_type: "mvp".into(),
            client_type: "student".into(),
            ..Default::default()
        };
        let c = save(db, &Actor::cli(), None, fields).await?;
        let thumbnail = NewMedia {
            media_type: "image".into(),
            file_url: "https://img.example/x.png".into(),
            caption: None,
            alt_text: None,
            thumbnail: true,
        };
        let c = add_media(db, &Actor::cli(), c.row.id, c.row.version, thumbnail).await?;
        if what == "feature" {
            crate::with_db!(db, p => sqlx::query("UPDATE case_studies SET featured = $2 WHERE id = $1")
                .bind(c.row.id)
                .bind(true)
                .execute(p)
                .await?
                .rows_affected());
        }
        made.push((c.row.id, c.row.version));
    }
    let text = |pairs: &[(&'static str, &str)]| pairs.iter().map(|(k, v)| (*k, FieldValue::from(*v))).collect();
    let flag = |key, on| vec![(key, FieldValue::Flag(on))];
    Ok(vec![
        ("list", Args { limit: 10, ..Args::default() }),
        (
            "save",
            Args {
                record: Some(made[0]),
                fields: text(&[
                    (field::TITLE, &format!("Gate case edited {n}")),
                    (field::PROJECT_TYPE, "dashboard"),
                    (field::CLIENT_TYPE, "business"),
                ]),
                ..Args::default()
            },
        ),
        ("move", Args { record: Some(made[1]), fields: text(&[(field::TO, "published")]), ..Args::default() }),
        ("feature", Args { record: Some(made[2]), fields: flag(field::FEATURED, false), ..Args::default() }),
        ("reorder", Args { record: Some(made[4]), fields: flag(field::UP, true), ..Args::default() }),
        (
            "media",
            Args {
                record: Some(made[5]),
                fields: text(&[(field::MEDIA_TYPE, "video"), (field::FILE_URL, "https://video.example/x")]),
                ..Args::default()
            },
        ),
    ])
}
