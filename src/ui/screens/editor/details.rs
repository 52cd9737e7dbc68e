//! The editor's `ctrl-f` details: the post's other fields (slug, excerpt,
//! category, tags, type, links, SEO, publish time) in a form. Saving it saves the
//! post; the form stays open until the post is saved, every refusal at its field:
//! those the form can tell at once (a tag too long, a link that is not one, a
//! malformed slug), all together, and the store's own (a slug taken) on its answer.

use super::{EditorScreen, NO_CATEGORY};
use crate::domain::post::PostType;
use crate::ui::app::Popup;
use crate::ui::cmd::Cmd;
use crate::ui::screens::Cx;
use staffroom_core::protocol::posts::PostDraft;

impl EditorScreen {
    /// `ctrl-f`: the post's other fields; saving the form saves the post.
    pub(super) fn details(&self, cx: &Cx) -> Vec<Cmd> {
        use crate::ui::widgets::form::{Field, Form};
        use staffroom_core::protocol::posts as limits;
        let d = &self.fields;
        let types: Vec<&'static str> = PostType::ALL.iter().map(|t| t.as_str()).collect();
        let mut categories = vec![NO_CATEGORY.to_string()];
        categories.extend(self.categories.iter().cloned());
        let at = d.publish_at.map_or(String::new(), |t| t.with_timezone(&cx.tz).format("%Y-%m-%d %H:%M").to_string());
        let tags_hint = if self.known_tags.is_empty() {
            "comma-separated; new ones are created".to_string()
        } else {
            format!("comma-separated; new ones are created; used most: {}", self.known_tags.join(", "))
        };
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let form = Form::new(
            "Post details (saving them saves the post)",
            "details",
            vec![
                Field::line("slug", "slug", limits::MAX_TITLE_CHARS, false)
                    .hint("the address: lower-case words and hyphens; empty: made from the title")
                    .with(&opt(&d.slug)),
                Field::line("excerpt", "excerpt", limits::MAX_EXCERPT_CHARS, false)
                    .hint("a sentence or two for lists and search")
                    .with(&opt(&d.excerpt)),
                Field::pick("category", "category", categories).with(d.category.as_deref().unwrap_or(NO_CATEGORY)),
                Field::line("tags", "tags", limits::MAX_TAGS * (limits::MAX_TAG_CHARS + 2), false)
                    .hint(tags_hint)
                    .with(&d.tags.join(", ")),
                Field::choice("type", "type", types).with(d.post_type.as_str()),
                Field::line("cover_image_url", "cover image", limits::MAX_URL_CHARS, false)
                    .hint("https://… of the picture shown above the post")
                    .with(&opt(&d.cover_image_url)),
                Field::line("video_url", "video", limits::MAX_URL_CHARS, false)
                    .hint("https://… of a video shown with the post")
                    .with(&opt(&d.video_url)),
                Field::line("seo_title", "SEO title", limits::MAX_SEO_TITLE_CHARS, false)
                    .hint("search engines show about 60 characters; empty: the title")
                    .soft_max(limits::SEO_TITLE_SHOWN)
                    .with(&opt(&d.seo_title)),
                Field::line("seo_description", "SEO text", limits::MAX_SEO_DESCRIPTION_CHARS, false)
                    .hint("search engines show about 160 characters; empty: the excerpt")
                    .soft_max(limits::SEO_DESCRIPTION_SHOWN)
                    .with(&opt(&d.seo_description)),
                Field::line("publish_at", "publish at", 40, false)
                    .hint("2026-12-24 09:00 in the office's zone: an approved post publishes then; empty: by hand")
                    .with(&at),
            ],
        );
        vec![Cmd::Popup(Box::new(Popup::Form(Box::new(form))))]
    }

    /// The details form's values into `fields`, or every refusal the form can
    /// tell without the database, by field: the publish time, and the store's own
    /// rules for the slug, each tag and the links (it checks them again).
    pub(super) fn take_details(
        &mut self,
        values: &crate::ui::widgets::form::Values,
        cx: &Cx,
    ) -> Vec<(&'static str, String)> {
        use staffroom_core::protocol::posts as limits;
        let mut refused = Vec::new();
        let some = |key: &str| Some(values.text(key)).filter(|v| !v.trim().is_empty());
        let slug = some("slug");
        if let Some(s) = slug.as_deref().map(crate::domain::contact::clean)
            && let Err(why) = crate::domain::slug::validate(&s)
        {
            refused.push(("slug", why.to_string()));
        }
        let tags: Vec<String> =
            values.text("tags").split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
        if let Some(long) = tags.iter().find(|t| t.chars().count() > limits::MAX_TAG_CHARS) {
            let shown = crate::text::fit(long, 24);
            refused.push(("tags", format!("a tag is at most {} characters: \"{shown}\"", limits::MAX_TAG_CHARS)));
        } else if tags.len() > limits::MAX_TAGS {
            refused.push(("tags", format!("a post has at most {} tags", limits::MAX_TAGS)));
        }
        for key in ["cover_image_url", "video_url"] {
            if let Err(staffroom_core::protocol::StoreError::Invalid { why, .. }) =
                staffroom_core::protocol::fields::link(key, some(key).as_deref())
            {
                refused.push((key, why));
            }
        }
        let typed = values.text("publish_at");
        let at = if typed.trim().is_empty() {
            None
        } else {
            match crate::domain::time::parse_instant(&typed, cx.today, cx.tz) {
                Ok(t) => Some(t),
                Err(why) => {
                    refused.push(("publish_at", why));
                    None
                }
            }
        };
        if !refused.is_empty() {
            return refused;
        }
        let category = values.text("category");
        self.fields = PostDraft {
            slug,
            excerpt: some("excerpt"),
            category: Some(category).filter(|c| c != NO_CATEGORY),
            tags,
            post_type: PostType::parse(&values.text("type")).unwrap_or(PostType::Article),
            cover_image_url: some("cover_image_url"),
            video_url: some("video_url"),
            seo_title: some("seo_title"),
            seo_description: some("seo_description"),
            publish_at: at,
            ..PostDraft::default()
        };
        Vec::new()
    }
}
