//! The post editor (`:editor` for a new post; `e` or Enter on a post): the title on
//! one line and the markdown body in a ratatui-textarea (undo `ctrl-z`… as the
//! textarea binds them: `ctrl-u` undo, `ctrl-r` redo), words and read time live in
//! the status line. A new post starts on the title; Enter or Tab goes to the body,
//! shift-Tab back. `ctrl-s` saves (a new post becomes a draft; an edit is guarded by
//! its version: someone else's save meanwhile is named and nothing typed is lost).
//! `Esc` leaves, asking first when something is unsaved. `ctrl-e` opens the body
//! in the user's own editor (`$VISUAL`/`$EDITOR`), the TUI suspended meanwhile;
//! what comes back is unsaved until `ctrl-s`. `ctrl-g` finds a text in the body
//! (`Enter` the next match, highlighted).
//!
//! Every key goes to the editor (it captures text), so only `ctrl-s`, `Esc`, Tab
//! and shift-Tab are its own; everything else is typing.

mod details;

use super::{Component, Cx, Vx};
use crate::backend::{PostReply, PostRequest};
use crate::backend::{Reply, Request};
use crate::domain::metrics::read_time_minutes;
use crate::text;
use crate::ui::app::Popup;
use crate::ui::cmd::{Cmd, Lane};
use crate::ui::keymap::Context;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use staffroom_core::protocol::StoreError;
use staffroom_core::protocol::posts::{PostBody, PostDraft};
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
    /// The other fields (slug, category, tags, links, SEO, schedule), as loaded or
    /// as set in the details form; its title and body are not used.
    pub fields: PostDraft,
    /// The categories and most used tags there are, for the details form.
    categories: Vec<String>,
    known_tags: Vec<String>,
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
    /// Typed since the autosave file was last written (the tick writes it).
    autosave_due: bool,
    /// `ctrl-g`: the text being looked for while it is typed, and the last one.
    finding: Option<String>,
    found_last: String,
    /// An autosave found on opening, until restored or declined.
    found: Option<crate::ui::autosave::Autosave>,
    /// The autosave offer is made once.
    offered: bool,
}

/// A regular expression matching `text` as written (the find line looks for
/// words, not patterns).
fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The category choice that means none.
const NO_CATEGORY: &str = "(none)";

/// The lane of the save, and of reading the other writer's version after a
/// conflict (it must not replace what is typed, as the first load does).
const SAVE: Lane = Lane::Write(0);
const THEIRS: Lane = Lane::Write(1);
/// The save sent from the details form: the app puts its refusals at the form's
/// fields (a dialog's lane) and the form stays open until it is saved.
const DETAILS: Lane = Lane::Dialog;

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
        self.fields = b.draft();
        self.categories = b.categories.clone();
        self.known_tags = b.known_tags.clone();
        self.status = b.row.status.clone();
        self.saved = (b.row.title, b.content);
        self.loading = false;
        self.saving = false;
        self.error = None;
    }

    fn save(&mut self) -> Vec<Cmd> {
        self.save_on(SAVE)
    }

    /// Saves on `lane`: `SAVE` from the editor, `DETAILS` from the details form
    /// (whose refusals go to its fields and which closes once saved).
    fn save_on(&mut self, lane: Lane) -> Vec<Cmd> {
        if self.saving || self.loading {
            return vec![Cmd::Toast("still saving; a moment".into())];
        }
        self.saving = true;
        self.error = None;
        let draft = PostDraft { title: self.title.clone(), content: self.text(), ..self.fields.clone() };
        vec![Cmd::Send(lane, Request::Posts(PostRequest::SavePost { id: self.post, draft: Box::new(draft) }))]
    }

    /// The autosave file's key: the post, or "new".
    fn key(&self) -> String {
        match self.post {
            Some((id, _)) => format!("post-{id}"),
            None => "new".into(),
        }
    }

    /// After an edit: what is typed goes to the autosave file, at most every half
    /// second; what the last half second held is written by the next tick.
    fn autosave(&mut self, cx: &Cx) {
        self.autosave_due = true;
        self.flush_autosave(cx);
    }

    fn flush_autosave(&mut self, cx: &Cx) {
        let Some(dir) = &cx.settings.autosave_dir else { return };
        if !self.autosave_due || self.autosaved_at.is_some_and(|t| cx.now - t < chrono::Duration::milliseconds(500)) {
            return;
        }
        self.autosave_due = false;
        if !self.unsaved() {
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

    /// A key while `ctrl-g`'s find line is open: typing the text, `Enter` the next
    /// match after the cursor (the matches are highlighted), `Esc` closes it.
    fn find_key(&mut self, key: KeyEvent) -> Vec<Cmd> {
        let Some(query) = self.finding.as_mut() else { return Vec::new() };
        match key.code {
            KeyCode::Esc => {
                self.finding = None;
                let _ = self.body.set_search_pattern("");
            }
            KeyCode::Backspace => {
                query.pop();
            }
            KeyCode::Enter => {
                let q = query.clone();
                self.found_last = q.clone();
                self.focus = Focus::Body;
                if q.is_empty() {
                    return Vec::new();
                }
                if self.body.set_search_pattern(literal(&q)).is_err() || !self.body.search_forward(false) {
                    return vec![Cmd::Toast(format!("\"{}\" is not in the body", text::inert(&q)))];
                }
            }
            KeyCode::Char(c)
                if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                    && query.chars().count() < 200 =>
            {
                query.push(c);
            }
            _ => {}
        }
        Vec::new()
    }

    /// After a conflict: their version against what is typed, as a line diff. The
    /// typing stays; the next save goes over their version (it has been seen).
    fn against_theirs(&mut self, theirs: PostBody) -> Vec<Cmd> {
        let mut lines = Vec::new();
        if theirs.row.title != self.title {
            lines.push(format!("- title: {}", theirs.row.title));
            lines.push(format!("+ title: {}", self.title));
            lines.push(String::new());
        }
        lines.extend(crate::ui::diff::lines(&theirs.content, &self.text()));
        if lines.is_empty() {
            lines.push("Their text is the same as yours; only other fields differ.".into());
        }
        self.post = Some((theirs.row.id, theirs.row.version));
        self.status = theirs.row.status.clone();
        // Shorter than the conflict's own words, which end "; nothing was overwritten".
        let why = self.error.take().unwrap_or_default();
        let who = why.split(" since you opened it").next().unwrap_or(&why);
        self.error = Some(format!("{who}: ctrl-s now saves yours over theirs"));
        let title = "Their version (-) against yours (+)".to_string();
        vec![Cmd::Popup(Box::new(Popup::Text { title, lines, scroll: 0, on_yes: None, diff: true }))]
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

    fn offers(&self) -> &'static [super::Offer] {
        &[]
    }

    fn reload(&mut self, cx: &Cx) -> Vec<Cmd> {
        // Only the first load: a reload must not throw away what is being typed.
        match self.post {
            Some((id, _)) if self.loading => vec![Cmd::Send(Lane::Load, Request::Posts(PostRequest::PostBody { id }))],
            Some(_) => Vec::new(),
            None => self.offer(cx),
        }
    }

    fn on_call(&mut self, call: crate::ui::cmd::Call, cx: &Cx) -> Vec<Cmd> {
        if let crate::ui::cmd::Call::Submit { tag: "details", values } = &call {
            // Every refusal the form can tell at once, each at its field (the
            // first one last, so the cursor ends there); nothing is sent.
            let refused = self.take_details(values, cx);
            if !refused.is_empty() {
                return refused
                    .into_iter()
                    .rev()
                    .map(|(field, why)| Cmd::FieldError { field: Some(field), why })
                    .collect();
            }
            return self.save_on(DETAILS);
        }
        if let crate::ui::cmd::Call::Edited { tag: "body", text } = call {
            return match text {
                Ok(t) => {
                    let t = t.replace("\r\n", "\n");
                    if t != self.text() {
                        self.body = TextArea::new(t.split('\n').map(str::to_string).collect());
                        self.focus = Focus::Body;
                        self.autosave(cx);
                        vec![Cmd::Toast("the body is back from your editor; ctrl-s saves it".into())]
                    } else {
                        vec![Cmd::Toast("back from your editor: no change".into())]
                    }
                }
                Err(why) => vec![Cmd::Error(why)],
            };
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

    fn on_reply(&mut self, lane: Lane, reply: Reply, cx: &Cx) -> Vec<Cmd> {
        match reply {
            Reply::Posts(PostReply::PostBody(theirs)) if lane == THEIRS => self.against_theirs(*theirs),
            Reply::Posts(PostReply::PostBody(b)) => {
                self.loaded(*b);
                self.offer(cx)
            }
            Reply::Posts(PostReply::PostSaved(b)) => {
                // Saved from the details form: it closes now, not before.
                let close = if lane == DETAILS { vec![Cmd::CloseDialogs] } else { Vec::new() };
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
                self.fields = b.draft();
                self.saving = false;
                self.error = None;
                let mut cmds = close;
                cmds.push(Cmd::Toast(said));
                cmds
            }
            _ => Vec::new(),
        }
    }

    fn on_error(&mut self, lane: Lane, e: &StoreError, _cx: &Cx) -> Vec<Cmd> {
        self.saving = false;
        self.loading = false;
        self.error = Some(e.to_string());
        // Someone saved meanwhile: read their version to show it against ours.
        match (lane, e, self.post) {
            (SAVE | DETAILS, StoreError::Conflict { .. }, Some((id, _))) => {
                vec![Cmd::Send(THEIRS, Request::Posts(PostRequest::PostBody { id }))]
            }
            _ => Vec::new(),
        }
    }

    fn captures_text(&self) -> bool {
        true
    }

    fn on_text_key(&mut self, key: KeyEvent, cx: &Cx) -> Vec<Cmd> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if self.finding.is_some() {
            return self.find_key(key);
        }
        match (key.code, self.focus) {
            (KeyCode::Char('g'), _) if ctrl && !self.loading => {
                self.finding = Some(self.found_last.clone());
                return Vec::new();
            }
            (KeyCode::Char('s'), _) if ctrl => return self.save(),
            (KeyCode::Char('f'), _) if ctrl => return self.details(cx),
            // The body in the user's own editor; the TUI waits meanwhile.
            (KeyCode::Char('e'), _) if ctrl && !self.loading => {
                return vec![Cmd::External { tag: "body", text: self.text() }];
            }
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
                    && self.title.chars().count() < staffroom_core::protocol::posts::MAX_TITLE_CHARS =>
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

    fn on_tick(&mut self, cx: &Cx) {
        self.flush_autosave(cx);
    }

    fn on_exit(&mut self, cx: &Cx) {
        // Everything typed, not what the half-second pace last let through.
        self.autosave_due = true;
        self.autosaved_at = None;
        self.flush_autosave(cx);
    }

    fn on_paste(&mut self, pasted: &str) {
        self.autosave_due = true;
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
            // Control characters drawn visible (`␛`, `<RLO>`), as the detail panes do.
            let mut ta = crate::ui::widgets::shown::area(&self.body);
            let border = if self.focus == Focus::Body { theme.key } else { theme.border };
            ta.set_block(Block::bordered().border_style(border).title(" body (markdown) "));
            ta.set_cursor_line_style(theme.base);
            f.render_widget(&ta, rect);
        }
        if let Some(rect) = preview {
            let lines = crate::ui::markdown::render(&text, theme, usize::from(rect.width.saturating_sub(2)));
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
        let line = match (&self.error, &self.finding) {
            (_, Some(q)) => Line::from(vec![
                Span::styled("find: ", theme.key),
                Span::styled(text::fit_end(q, usize::from(status.width).saturating_sub(40)), theme.title),
                Span::styled("▏ Enter next match · Esc close", theme.dim),
            ]),
            (Some(e), None) => Line::styled(text::fit(e, usize::from(status.width)), theme.error),
            (None, None) => Line::styled(
                text::fit(
                    &format!(
                        "{words} words · {} min read · {state} · {which} · ^S save ^F details ^T preview ^G find ^E $EDITOR",
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
