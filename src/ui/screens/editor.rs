//! The post editor (`:editor` for a new post; `e` or Enter on a post): the title on
//! one line and the markdown body in a ratatui-textarea (undo `ctrl-z`… as the
//! textarea binds them: `ctrl-u` undo, `ctrl-r` redo), words and read time live in
//! the status line. A new post starts on the title; Enter or Tab goes to the body,
//! shift-Tab back. `ctrl-s` saves (a new post becomes a draft; an edit is guarded by
//! its version: someone else's save meanwhile is named and nothing typed is lost).
//! `Esc` leaves, asking first when something is unsaved.
//!
//! Every key goes to the editor (it captures text), so only `ctrl-s`, `Esc`, Tab
//! and shift-Tab are its own; everything else is typing.

use super::{Component, Cx, Vx};
use crate::backend::{Reply, Request};
use crate::domain::metrics::read_time_minutes;
use crate::domain::post::PostType;
use crate::store::StoreError;
use crate::store::posts::{PostBody, PostDraft};
use crate::ui::app::Popup;
use crate::ui::cmd::{Cmd, Lane};
use crate::ui::keymap::Context;
use crate::ui::text;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use tui_textarea::TextArea;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Title,
    Body,
}

#[derive(Debug, Clone, Default)]
pub struct EditorScreen {
    /// The post being edited and the version it was read at (`None`: a new post).
    pub post: Option<(i64, i64)>,
    pub title: String,
    pub body: TextArea<'static>,
    pub focus: Focus,
    excerpt: Option<String>,
    post_type: Option<PostType>,
    publish_at: Option<chrono::DateTime<chrono::Utc>>,
    status: String,
    /// What was last saved or loaded (title, body): unsaved = different from it.
    saved: (String, String),
    /// Loading an existing post.
    pub loading: bool,
    saving: bool,
    /// Why the last save failed.
    pub error: Option<String>,
    /// The preview (`ctrl-t`): `None` follows the width (beside the body when
    /// there is room for both), else on or off as toggled.
    pub preview: Option<bool>,
    /// When the autosave file was last written.
    autosaved_at: Option<chrono::DateTime<chrono::Utc>>,
    /// An autosave found on opening, until restored or declined.
    found: Option<crate::ui::autosave::Autosave>,
    /// The autosave offer is made once.
    offered: bool,
}

/// From this width the preview sits beside the body.
const SIDE_BY_SIDE: u16 = 120;

impl EditorScreen {
    /// An editor already holding this text, on the body (benches, tests).
    pub fn with_text(title: &str, body: &str) -> EditorScreen {
        let body_lines: Vec<String> = body.split('\n').map(str::to_string).collect();
        EditorScreen {
            title: title.to_string(),
            body: TextArea::new(body_lines),
            focus: Focus::Body,
            saved: (title.to_string(), body.to_string()),
            ..EditorScreen::default()
        }
    }

    /// An editor on post `id` (its text loads first).
    pub fn on_post(id: i64) -> EditorScreen {
        EditorScreen { post: Some((id, 0)), loading: true, focus: Focus::Body, ..EditorScreen::default() }
    }

    pub fn text(&self) -> String {
        self.body.lines().join("\n")
    }

    fn unsaved(&self) -> bool {
        !self.loading && (self.title.as_str(), self.text().as_str()) != (self.saved.0.as_str(), self.saved.1.as_str())
    }

    fn loaded(&mut self, b: PostBody) {
        self.post = Some((b.row.id, b.row.version));
        self.title = b.row.title.clone();
        self.body = TextArea::new(b.content.split('\n').map(str::to_string).collect());
        self.excerpt = b.row.excerpt.clone();
        self.post_type = PostType::parse(&b.row.post_type);
        self.publish_at = b.row.publish_at;
        self.status = b.row.status.clone();
        self.saved = (b.row.title, b.content);
        self.loading = false;
        self.saving = false;
        self.error = None;
    }

    fn save(&mut self) -> Vec<Cmd> {
        if self.saving || self.loading {
            return vec![Cmd::Toast("still saving; a moment".into())];
        }
        self.saving = true;
        self.error = None;
        let draft = PostDraft {
            title: self.title.clone(),
            excerpt: self.excerpt.clone(),
            content: self.text(),
            post_type: self.post_type.unwrap_or(PostType::Article),
            publish_at: self.publish_at,
        };
        vec![Cmd::Send(Lane::Write(0), Request::SavePost { id: self.post, draft: Box::new(draft) })]
    }

    /// `ctrl-f`: the post's other fields; saving the form saves the post.
    fn details(&self, cx: &Cx) -> Vec<Cmd> {
        use crate::ui::widgets::form::{Field, Form};
        let types: Vec<&'static str> = PostType::ALL.iter().map(|t| t.as_str()).collect();
        let at =
            self.publish_at.map_or(String::new(), |t| t.with_timezone(&cx.tz).format("%Y-%m-%d %H:%M").to_string());
        let form = Form::new(
            "Post details (saving them saves the post)",
            "details",
            vec![
                Field::line("excerpt", "excerpt", crate::store::posts::MAX_EXCERPT_CHARS, false)
                    .hint("a sentence or two for lists and search")
                    .with(self.excerpt.as_deref().unwrap_or("")),
                Field::choice("type", "type", types).with(self.post_type.unwrap_or(PostType::Article).as_str()),
                Field::line("publish_at", "publish at", 40, false)
                    .hint("2026-12-24 09:00 in the office's zone: an approved post publishes then; empty: by hand")
                    .with(&at),
            ],
        );
        vec![Cmd::Popup(Box::new(Popup::Form(Box::new(form))))]
    }

    /// The autosave file's key: the post, or "new".
    fn key(&self) -> String {
        match self.post {
            Some((id, _)) => format!("post-{id}"),
            None => "new".into(),
        }
    }

    /// Writes what is typed to the autosave file, at most every half second.
    fn autosave(&mut self, cx: &Cx) {
        let Some(dir) = &cx.settings.autosave_dir else { return };
        if !self.unsaved() || self.autosaved_at.is_some_and(|t| cx.now - t < chrono::Duration::milliseconds(500)) {
            return;
        }
        match crate::ui::autosave::write(dir, &self.key(), &self.title, &self.text(), cx.now) {
            Ok(()) => self.autosaved_at = Some(cx.now),
            Err(e) => tracing::warn!("autosave failed: {e}"),
        }
    }

    /// On opening: an autosave that differs from the stored text is offered back.
    fn offer(&mut self, cx: &Cx) -> Vec<Cmd> {
        if std::mem::replace(&mut self.offered, true) {
            return Vec::new();
        }
        let Some(dir) = &cx.settings.autosave_dir else { return Vec::new() };
        let Some(found) = crate::ui::autosave::read(dir, &self.key()) else { return Vec::new() };
        if (found.title.as_str(), found.body.as_str()) == (self.title.as_str(), self.text().as_str()) {
            crate::ui::autosave::remove(dir, &self.key());
            return Vec::new();
        }
        let words = found.body.split_whitespace().count();
        let when = found.at.with_timezone(&cx.tz).format("%Y-%m-%d %H:%M");
        let question = format!(
            "Unsaved text of \"{}\" from {when} was kept ({words} words). Restore it? (y/n; n keeps the stored text, and the kept one until the next save)",
            text::inert(&found.title)
        );
        self.found = Some(found);
        let call = crate::ui::cmd::Call::Picked { tag: "restore", index: 0 };
        vec![Cmd::Popup(Box::new(Popup::Confirm { question, on_yes: vec![Cmd::Call(super::ScreenId::Editor, call)] }))]
    }

    fn leave(&self) -> Vec<Cmd> {
        if self.unsaved() {
            let question = "Leave the editor and lose what is unsaved? (y/n; n goes back to it)".to_string();
            return vec![Cmd::Popup(Box::new(Popup::Confirm { question, on_yes: vec![Cmd::Leave] }))];
        }
        vec![Cmd::Leave]
    }
}

impl Component for EditorScreen {
    fn title(&self) -> String {
        "Editor".into()
    }

    fn contexts(&self) -> &'static [Context] {
        &[]
    }

    fn commands(&self) -> &'static [super::Command] {
        &[]
    }

    fn reload(&mut self, cx: &Cx) -> Vec<Cmd> {
        // Only the first load: a reload must not throw away what is being typed.
        match self.post {
            Some((id, _)) if self.loading => vec![Cmd::Send(Lane::Load, Request::PostBody { id })],
            Some(_) => Vec::new(),
            None => self.offer(cx),
        }
    }

    fn on_call(&mut self, call: crate::ui::cmd::Call, cx: &Cx) -> Vec<Cmd> {
        if let crate::ui::cmd::Call::Submit { tag: "details", values } = &call {
            let typed = values.text("publish_at");
            let at = if typed.trim().is_empty() {
                None
            } else {
                match crate::ui::time::parse_instant(&typed, cx.today, cx.tz) {
                    Ok(t) => Some(t),
                    Err(why) => return vec![Cmd::FieldError { field: Some("publish_at"), why }],
                }
            };
            self.excerpt = Some(values.text("excerpt")).filter(|e| !e.is_empty());
            self.post_type = PostType::parse(&values.text("type"));
            self.publish_at = at;
            let mut cmds = vec![Cmd::CloseDialogs];
            cmds.extend(self.save());
            return cmds;
        }
        if let (crate::ui::cmd::Call::Picked { tag: "restore", .. }, Some(found)) = (call, self.found.take()) {
            self.title = found.title;
            self.body = TextArea::new(found.body.split('\n').map(str::to_string).collect());
            return vec![Cmd::Toast("the kept text is back; ctrl-s saves it".into())];
        }
        Vec::new()
    }

    fn on_action(&mut self, _action: crate::ui::keymap::Action, _cx: &Cx) -> Vec<Cmd> {
        Vec::new()
    }

    fn on_reply(&mut self, _lane: Lane, reply: Reply, cx: &Cx) -> Vec<Cmd> {
        match reply {
            Reply::PostBody(b) => {
                self.loaded(*b);
                self.offer(cx)
            }
            Reply::PostSaved(b) => {
                // Keep what was typed since the save was sent; take the new version.
                // Typing that went on while saving stays, and stays unsaved.
                let said = format!("saved \"{}\" (version {})", text::inert(&b.row.title), b.row.version);
                // Saved: the kept text (under the old key, "new" for a new post) goes.
                if let Some(dir) = &cx.settings.autosave_dir {
                    crate::ui::autosave::remove(dir, &self.key());
                    self.autosaved_at = None;
                }
                self.post = Some((b.row.id, b.row.version));
                self.status = b.row.status.clone();
                self.saved = (b.row.title.clone(), b.content.clone());
                self.saving = false;
                vec![Cmd::Toast(said)]
            }
            _ => Vec::new(),
        }
    }

    fn on_error(&mut self, _lane: Lane, e: &StoreError, _cx: &Cx) -> Vec<Cmd> {
        self.saving = false;
        self.loading = false;
        self.error = Some(e.to_string());
        Vec::new()
    }

    fn captures_text(&self) -> bool {
        true
    }

    fn on_text_key(&mut self, key: KeyEvent, cx: &Cx) -> Vec<Cmd> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match (key.code, self.focus) {
            (KeyCode::Char('s'), _) if ctrl => return self.save(),
            (KeyCode::Char('f'), _) if ctrl => return self.details(cx),
            (KeyCode::Char('t'), _) if ctrl => {
                let wide = cx.width >= SIDE_BY_SIDE;
                self.preview = Some(!self.preview.unwrap_or(wide));
            }
            (KeyCode::Esc, _) => return self.leave(),
            // The start and end of the text, as in most editors (the textarea's own
            // keys for them are alt-< and alt->).
            (KeyCode::Home, Focus::Body) if ctrl => self.body.move_cursor(tui_textarea::CursorMove::Top),
            (KeyCode::End, Focus::Body) if ctrl => {
                self.body.move_cursor(tui_textarea::CursorMove::Bottom);
                self.body.move_cursor(tui_textarea::CursorMove::End);
            }
            (KeyCode::Enter | KeyCode::Tab, Focus::Title) => self.focus = Focus::Body,
            (KeyCode::BackTab, Focus::Body) => self.focus = Focus::Title,
            (KeyCode::Backspace, Focus::Title) => {
                self.title.pop();
            }
            (KeyCode::Char(c), Focus::Title)
                if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                    && self.title.chars().count() < crate::store::posts::MAX_TITLE_CHARS =>
            {
                self.title.push(c)
            }
            (_, Focus::Body) if !self.loading => {
                self.body.input(key);
            }
            _ => {}
        }
        self.autosave(cx);
        Vec::new()
    }

    fn on_paste(&mut self, pasted: &str) {
        match self.focus {
            Focus::Title => self.title.push_str(&pasted.replace(['\n', '\r'], " ")),
            Focus::Body => {
                self.body.insert_str(pasted.replace("\r\n", "\n").replace('\r', "\n"));
            }
        }
    }

    fn view(&self, f: &mut Frame, area: Rect, vx: &Vx) {
        let theme = vx.theme;
        if self.loading {
            f.render_widget(Paragraph::new("Loading…").style(theme.dim), area);
            return;
        }
        let [title, body, status] =
            Layout::vertical([Constraint::Length(1), Constraint::Fill(1), Constraint::Length(1)]).areas(area);
        let w = usize::from(title.width);
        let focused = self.focus == Focus::Title;
        let shown = if focused {
            text::fit_end(&self.title, w.saturating_sub(9))
        } else {
            text::fit(&self.title, w.saturating_sub(7))
        };
        let mut spans = vec![
            Span::styled("Title: ", if focused { theme.key } else { theme.dim }),
            Span::styled(shown, theme.title),
        ];
        if focused {
            spans.push(Span::styled("▏", theme.key));
        }
        if self.title.is_empty() && !focused {
            spans.push(Span::styled("(no title yet)", theme.dim));
        }
        f.render_widget(Paragraph::new(Line::from(spans)), title);
        let text = self.text();
        let wide = area.width >= SIDE_BY_SIDE;
        let (editing, preview) = match (self.preview.unwrap_or(wide), wide) {
            (false, _) => (Some(body), None),
            (true, true) => {
                let [l, r] = Layout::horizontal([Constraint::Percentage(50), Constraint::Fill(1)]).areas(body);
                (Some(l), Some(r))
            }
            (true, false) => (None, Some(body)),
        };
        if let Some(rect) = editing {
            let mut ta = self.body.clone();
            let border = if self.focus == Focus::Body { theme.key } else { theme.border };
            ta.set_block(Block::bordered().border_style(border).title(" body (markdown) "));
            ta.set_cursor_line_style(theme.base);
            f.render_widget(&ta, rect);
        }
        if let Some(rect) = preview {
            let lines = crate::ui::markdown::render(&text, theme);
            // The preview follows the cursor: the same share of the way down.
            let row = self.body.cursor().0;
            let total = self.body.lines().len().max(1);
            let start = (lines.len() * row / total).saturating_sub(usize::from(rect.height) / 3);
            let shown: Vec<Line> = lines.into_iter().skip(start).collect();
            let block = Block::bordered().border_style(theme.border).title(" preview (ctrl-t) ");
            f.render_widget(Paragraph::new(shown).wrap(ratatui::widgets::Wrap { trim: false }).block(block), rect);
        }
        let words = text.split_whitespace().count();
        let state = if self.saving {
            "saving…"
        } else if self.unsaved() {
            "unsaved"
        } else {
            "saved"
        };
        let which = match self.post {
            Some((id, v)) => format!("post #{id} v{v} · {}", self.status),
            None => "new post".into(),
        };
        let line = match &self.error {
            Some(e) => Line::styled(text::fit(e, usize::from(status.width)), theme.error),
            None => Line::styled(
                text::fit(
                    &format!(
                        "{words} words · {} min read · {state} · {which} · ctrl-s save · ctrl-f details · ctrl-t preview · Esc leave",
                        if words == 0 { 0 } else { read_time_minutes(&text) }
                    ),
                    usize::from(status.width),
                ),
                theme.dim,
            ),
        };
        f.render_widget(Paragraph::new(line), status);
    }

    fn subtitle(&self) -> Option<String> {
        Some(if self.title.is_empty() { "new post".into() } else { text::inert(&self.title) })
    }

    fn has_unsaved(&self) -> bool {
        self.unsaved()
    }
}
