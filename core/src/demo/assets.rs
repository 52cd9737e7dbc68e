//! The demo's content, from the files under `assets/demo/`: names, lead messages and
//! notes, the catalogue (programs, chapters, lessons), posts, categories, tags, the
//! tech stack, testimonials and the website's CMS. The files are embedded with
//! `include_str!` and parsed once; the generators (`seed/`, `large`) keep the story
//! (who did what, when) and the hostile strings.
//!
//! Lists keep their order: the generators pick from them by position with a fixed
//! seed, so the demo is the same every time.

use crate::store::{Result, StoreError};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::LazyLock;

/// `embed!["dir/file", …]`: each file of `assets/demo/` as (path, text).
macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/demo/", $path)))),*]
    };
}

const PEOPLE: &str = include_str!("../../../assets/demo/people.toml");
const STUDENTS: &str = include_str!("../../../assets/demo/students.csv");
const LEADS: &str = include_str!("../../../assets/demo/leads.toml");
const ACADEMY: &str = include_str!("../../../assets/demo/academy.toml");
const CONTENT: &str = include_str!("../../../assets/demo/content.toml");
const TESTIMONIALS: &str = include_str!("../../../assets/demo/testimonials.csv");
const SITE: &str = include_str!("../../../assets/demo/site.toml");

/// One markdown file per lesson; `academy.toml` names them in its chapters.
const LESSON_FILES: &[(&str, &str)] = embed![
    "lessons/how-the-web-works.md",
    "lessons/semantic-html.md",
    "lessons/css-layout.md",
    "lessons/javascript-essentials.md",
    "lessons/react-components.md",
    "lessons/state-and-effects.md",
    "lessons/express-apis.md",
    "lessons/sql-basics.md",
    "lessons/capstone-brief.md",
    "lessons/research-and-personas.md",
    "lessons/wireframes-in-figma.md",
    "lessons/pandas-basics.md",
];

/// One markdown file per post; `seed/content` tells each one's story by name.
const POST_FILES: &[(&str, &str)] = embed![
    "posts/git-habits.md",
    "posts/react-state-summary.md",
    "posts/start-a-career-ar.md",
    "posts/css-grid.md",
    "posts/curriculum-next-year.md",
    "posts/first-month.md",
    "posts/uiux-applications-open.md",
    "posts/crypto-courses.md",
    "posts/winter-open-day.md",
    "posts/journey-ar.md",
];

/// Everything under `assets/demo/`, parsed.
#[derive(Debug)]
pub struct Assets {
    pub people: People,
    /// `students.csv`, in order: the seed refers to students by position.
    pub students: Vec<Student>,
    pub leads: LeadText,
    pub academy: Academy,
    pub lessons: Vec<Lesson>,
    pub posts: Vec<Post>,
    pub content: Content,
    pub testimonials: Vec<Testimonial>,
    pub site: Site,
}

/// `people.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct People {
    pub first_names: Vec<String>,
    pub last_names: Vec<String>,
    pub event_guests: Vec<String>,
    pub assistant: Student,
}

/// A student: display name and the local part of their demo email (ASCII, so
/// Arabic names get a transliteration).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Student {
    pub name: String,
    pub login: String,
}

/// `leads.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadText {
    pub budgets: Vec<String>,
    pub lost_reasons: Vec<String>,
    pub messages_en: Vec<String>,
    pub messages_ar: Vec<String>,
    pub notes: Notes,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notes {
    pub general: Vec<String>,
    pub call: Vec<String>,
    pub email: Vec<String>,
    pub meeting: Vec<String>,
    pub whatsapp: Vec<String>,
    pub moved_back: String,
    pub nurturing: String,
    pub won: String,
}

/// `academy.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Academy {
    pub session_titles: Vec<String>,
    #[serde(rename = "program")]
    pub programs: Vec<Program>,
    #[serde(rename = "chapter")]
    pub chapters: Vec<Chapter>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Program {
    pub slug: String,
    pub title: String,
    pub category: String,
    pub level: String,
    pub hours: i64,
    pub capacity: i64,
    pub price_minor: i64,
    pub currency: String,
    pub summary: String,
    pub description: String,
    pub requirements: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chapter {
    /// The program's slug.
    pub program: String,
    pub title: String,
    pub status: String,
    pub release_in_days: Option<i64>,
    /// Lesson names (files under `lessons/`, without `.md`).
    pub lessons: Vec<String>,
}

/// A lesson: `lessons/<name>.md`, front matter and markdown body.
#[derive(Debug)]
pub struct Lesson {
    pub name: String,
    pub title: String,
    pub video: bool,
    pub body: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LessonFront {
    title: String,
    #[serde(default)]
    video: bool,
}

/// A post: `posts/<name>.md`, front matter and markdown body.
#[derive(Debug)]
pub struct Post {
    pub name: String,
    pub title: String,
    pub kind: String,
    pub category: Option<String>,
    pub tags: Vec<String>,
    pub video_url: Option<String>,
    pub body: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PostFront {
    title: String,
    #[serde(rename = "type")]
    kind: String,
    category: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    video_url: Option<String>,
}

/// `content.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Content {
    #[serde(rename = "category")]
    pub categories: Vec<Category>,
    #[serde(rename = "tag")]
    pub tags: Vec<Tag>,
    #[serde(rename = "tech")]
    pub tech_stack: Vec<Tech>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub name: String,
    pub description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tag {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tech {
    pub name: String,
    pub category: String,
    pub color: String,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// A row of `testimonials.csv`.
#[derive(Debug, Deserialize)]
pub struct Testimonial {
    pub author: String,
    pub role: String,
    /// student, client or partner.
    #[serde(rename = "type")]
    pub kind: String,
    pub rating: i64,
    pub text: String,
}

/// `site.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    #[serde(rename = "page")]
    pub pages: Vec<Page>,
    #[serde(rename = "home_section")]
    pub home_sections: Vec<HomeSection>,
    pub settings: Settings,
    #[serde(rename = "theme_token")]
    pub theme_tokens: Vec<ThemeToken>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    pub key: String,
    pub title: String,
    pub published: bool,
    pub content: Value,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomeSection {
    pub key: String,
    pub title: String,
    pub enabled: bool,
    pub content: Value,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub site_name: String,
    pub default_event_location: String,
    pub contact_info: Value,
    pub social_links: Value,
    pub content: Value,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeToken {
    pub key: String,
    pub purpose: String,
    pub value: String,
    pub scope: String,
}

static ASSETS: LazyLock<std::result::Result<Assets, String>> = LazyLock::new(load);

/// The parsed assets (parsed on first use; an error names the file).
pub fn get() -> Result<&'static Assets> {
    ASSETS.as_ref().map_err(|e| StoreError::Other(format!("demo assets: {e}")))
}

impl Assets {
    pub fn post(&self, name: &str) -> Result<&Post> {
        self.posts.iter().find(|p| p.name == name).ok_or_else(|| missing("post", name))
    }

    pub fn lesson(&self, name: &str) -> Result<&Lesson> {
        self.lessons.iter().find(|l| l.name == name).ok_or_else(|| missing("lesson", name))
    }

    pub fn program(&self, slug: &str) -> Result<&Program> {
        self.academy.programs.iter().find(|p| p.slug == slug).ok_or_else(|| missing("program", slug))
    }
}

/// The item at `i` of a list, counting round (lists are never empty; the seed
/// names items by position, and a shorter file must not make it panic).
pub fn nth(list: &[String], i: usize) -> &str {
    list.get(i % list.len().max(1)).map_or("", String::as_str)
}

fn missing(what: &str, name: &str) -> StoreError {
    StoreError::Other(format!("demo assets: no {what} named {name}"))
}

fn load() -> std::result::Result<Assets, String> {
    let lessons = LESSON_FILES
        .iter()
        .map(|(path, text)| {
            let (front, body): (LessonFront, String) = front_matter(path, text)?;
            Ok(Lesson { name: stem(path), title: front.title, video: front.video, body })
        })
        .collect::<std::result::Result<Vec<_>, String>>()?;
    let posts = POST_FILES
        .iter()
        .map(|(path, text)| {
            let (f, body): (PostFront, String) = front_matter(path, text)?;
            Ok(Post {
                name: stem(path),
                title: f.title,
                kind: f.kind,
                category: f.category,
                tags: f.tags,
                video_url: f.video_url,
                body,
            })
        })
        .collect::<std::result::Result<Vec<_>, String>>()?;
    let assets = Assets {
        people: toml_file("people.toml", PEOPLE)?,
        students: csv_file("students.csv", STUDENTS)?,
        leads: toml_file("leads.toml", LEADS)?,
        academy: toml_file("academy.toml", ACADEMY)?,
        lessons,
        posts,
        content: toml_file("content.toml", CONTENT)?,
        testimonials: csv_file("testimonials.csv", TESTIMONIALS)?,
        site: toml_file("site.toml", SITE)?,
    };
    assets.check()?;
    Ok(assets)
}

impl Assets {
    /// What serde cannot say: no list is empty, and every name refers to something.
    fn check(&self) -> std::result::Result<(), String> {
        let (p, l, n) = (&self.people, &self.leads, &self.leads.notes);
        let lists: [(&str, usize); 23] = [
            ("people.toml first_names", p.first_names.len()),
            ("people.toml last_names", p.last_names.len()),
            ("people.toml event_guests", p.event_guests.len()),
            ("students.csv", self.students.len()),
            ("leads.toml budgets", l.budgets.len()),
            ("leads.toml lost_reasons", l.lost_reasons.len()),
            ("leads.toml messages_en", l.messages_en.len()),
            ("leads.toml messages_ar", l.messages_ar.len()),
            ("leads.toml notes.general", n.general.len()),
            ("leads.toml notes.call", n.call.len()),
            ("leads.toml notes.email", n.email.len()),
            ("leads.toml notes.meeting", n.meeting.len()),
            ("leads.toml notes.whatsapp", n.whatsapp.len()),
            ("academy.toml session_titles", self.academy.session_titles.len()),
            ("academy.toml program", self.academy.programs.len()),
            ("academy.toml chapter", self.academy.chapters.len()),
            ("content.toml category", self.content.categories.len()),
            ("content.toml tag", self.content.tags.len()),
            ("content.toml tech", self.content.tech_stack.len()),
            ("testimonials.csv", self.testimonials.len()),
            ("site.toml page", self.site.pages.len()),
            ("site.toml home_section", self.site.home_sections.len()),
            ("site.toml theme_token", self.site.theme_tokens.len()),
        ];
        if let Some((name, _)) = lists.iter().find(|(_, len)| *len == 0) {
            return Err(format!("{name} is empty"));
        }
        // Arabic first names take Arabic family names, so both scripts need some.
        for ascii in [true, false] {
            if !p.last_names.iter().any(|x| x.is_ascii() == ascii) {
                return Err("people.toml last_names needs names in both scripts".into());
            }
        }
        for c in &self.academy.chapters {
            if self.program(&c.program).is_err() {
                return Err(format!("academy.toml chapter {}: no program {}", c.title, c.program));
            }
            if c.lessons.is_empty() {
                return Err(format!("academy.toml chapter {} has no lessons", c.title));
            }
            if let Some(name) = c.lessons.iter().find(|name| self.lesson(name).is_err()) {
                return Err(format!("academy.toml chapter {}: no lessons/{name}.md", c.title));
            }
        }
        for post in &self.posts {
            if post.title.trim().is_empty() || post.body.is_empty() {
                return Err(format!("posts/{}.md needs a title and a body", post.name));
            }
            if let Some(c) = post.category.as_deref().filter(|c| !self.content.categories.iter().any(|k| k.name == *c))
            {
                return Err(format!("posts/{}.md: no category {c} in content.toml", post.name));
            }
            if let Some(t) = post.tags.iter().find(|t| !self.content.tags.iter().any(|k| k.name == **t)) {
                return Err(format!("posts/{}.md: no tag {t} in content.toml", post.name));
            }
        }
        for lesson in &self.lessons {
            if lesson.title.trim().is_empty() || lesson.body.is_empty() {
                return Err(format!("lessons/{}.md needs a title and a body", lesson.name));
            }
        }
        if let Some(t) = self.testimonials.iter().find(|t| !(1..=5).contains(&t.rating)) {
            return Err(format!("testimonials.csv: the rating of {} is not 1-5", t.author));
        }
        Ok(())
    }
}

/// `lessons/css-layout.md` -> `css-layout`.
fn stem(path: &str) -> String {
    let file = path.rsplit('/').next().unwrap_or(path);
    file.strip_suffix(".md").unwrap_or(file).to_string()
}

fn toml_file<T: DeserializeOwned>(name: &str, text: &str) -> std::result::Result<T, String> {
    toml::from_str(text).map_err(|e| format!("{name}: {}", e.message()))
}

fn csv_file<T: DeserializeOwned>(name: &str, text: &str) -> std::result::Result<Vec<T>, String> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<std::result::Result<Vec<T>, _>>()
        .map_err(|e| format!("{name}: {e}"))
}

/// A markdown file: TOML front matter between `+++` lines, then the body (trimmed).
fn front_matter<T: DeserializeOwned>(path: &str, text: &str) -> std::result::Result<(T, String), String> {
    let (front, body) = text
        .strip_prefix("+++\n")
        .and_then(|rest| rest.split_once("\n+++\n"))
        .ok_or_else(|| format!("{path}: no front matter (a +++ line, TOML, a +++ line)"))?;
    Ok((toml_file(path, front)?, body.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn the_assets_parse_and_hang_together() {
        let a = get().unwrap_or_else(|e| panic!("{e}"));
        assert!(a.posts.iter().all(|p| !p.title.is_empty()), "every post has a title");
        assert!(
            a.lessons.iter().all(|l| l.body.starts_with(&format!("# {}", l.title))),
            "lessons open with their title"
        );
        assert!(a.people.first_names.iter().any(|n| !n.is_ascii()), "Arabic names too");
        assert!(a.posts.iter().any(|p| p.body.contains('🚀')), "emoji survive the round trip");
        assert_eq!(a.leads.lost_reasons.len(), 5);
    }

    /// Every file in assets/demo/posts and assets/demo/lessons is embedded (a file
    /// added there but not to `POST_FILES` / `LESSON_FILES` would be ignored).
    #[test]
    fn every_markdown_file_is_embedded() {
        for (dir, embedded) in [("posts", POST_FILES), ("lessons", LESSON_FILES)] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/demo").join(dir);
            let on_disk: BTreeSet<String> = std::fs::read_dir(&path)
                .unwrap()
                .map(|e| format!("{dir}/{}", e.unwrap().file_name().to_string_lossy()))
                .collect();
            let listed: BTreeSet<String> = embedded.iter().map(|(p, _)| p.to_string()).collect();
            assert_eq!(on_disk, listed, "{}", path.display());
        }
    }

    #[test]
    fn front_matter_is_required() {
        assert!(front_matter::<PostFront>("x.md", "# no front matter").is_err());
        let (f, body): (LessonFront, String) = front_matter("x.md", "+++\ntitle = \"T\"\n+++\n\nBody\n").unwrap();
        assert_eq!((f.title.as_str(), f.video, body.as_str()), ("T", false, "Body"));
        assert!(front_matter::<LessonFront>("x.md", "+++\ntitel = \"T\"\n+++\nBody").is_err(), "typos are refused");
    }
}
