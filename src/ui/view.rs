//! Drawing the whole app. Reads state, never changes it.

use super::app::{App, Popup};
use super::keymap::{Action, Context};
use super::screens::Vx;
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

/// The smallest terminal the full layout needs.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

const SPINNER: [char; 4] = ['⠋', '⠙', '⠸', '⠴'];

pub fn view(app: &App, f: &mut Frame) {
    let area = f.area();
    let theme = &app.settings.theme;
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg =
            format!("terminal too small: {}x{}, staffroom needs {MIN_WIDTH}x{MIN_HEIGHT}", area.width, area.height);
        f.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }).style(theme.alert), area);
        return;
    }
    let spin = app.busy().then(|| SPINNER[app.spinner % SPINNER.len()]);
    let [header, body, hints] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    let Some(session) = &app.session else {
        f.render_widget(Line::styled(" staffroom", theme.title), header);
        app.login.view(f, body, theme, spin);
        return;
    };
    let title = app.screen().map_or(String::new(), |s| s.component().title());
    let title = title.as_str();
    let who = format!("{} · {} ", text::inert(&session.user.full_name), session.roles.label());
    let sub = app
        .screen()
        .and_then(|s| s.component().subtitle())
        .map(|s| format!("· {} ", text::inert(&s)))
        .unwrap_or_default();
    let room = usize::from(header.width).saturating_sub(text::width(&who) + title.len() + 16);
    let left = format!(" staffroom › {title} {}{}", text::fit(&sub, room), spin.map(String::from).unwrap_or_default());
    let gap = usize::from(header.width).saturating_sub(text::width(&left) + text::width(&who));
    match &app.outage {
        // The banner takes the header's place: it must not be missed.
        Some(o) => f.render_widget(Line::styled(outage_banner(app, o, usize::from(header.width)), theme.error), header),
        None => f.render_widget(
            Line::from(vec![Span::styled(left, theme.title), Span::raw(" ".repeat(gap)), Span::styled(who, theme.dim)]),
            header,
        ),
    }
    if let Some(screen) = app.screen() {
        let vx = Vx { theme, now: app.now, tz: app.settings.tz, threshold: app.settings.attendance_threshold_percent };
        screen.component().view(f, body, &vx);
    }
    f.render_widget(hint_bar(app, hints.width), hints);
    for popup in &app.popups {
        match popup {
            Popup::Help { scroll } => help(app, *scroll, f, body),
            Popup::Palette(p) => palette(app, p, f, body),
            Popup::Prompt(p) => {
                let mut lines = vec![Line::styled(p.title(), theme.title), Line::from("")];
                for (i, preset) in p.presets.iter().enumerate() {
                    lines.push(Line::from(vec![
                        Span::styled(format!(" {} ", i + 1), theme.key),
                        Span::raw(text::inert(preset)),
                    ]));
                }
                lines.push(Line::from(vec![
                    Span::styled("› ", theme.key),
                    Span::raw(text::inert(&p.input)),
                    Span::styled("▏", theme.key),
                ]));
                match &p.error {
                    Some(e) => lines.push(Line::styled(text::inert(e), theme.error)),
                    None => lines.push(Line::styled(p.hint(), theme.dim)),
                }
                let rect = centered(body, 64, lines.len() as u16 + 2);
                f.render_widget(Clear, rect);
                f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(Block::bordered()), rect);
            }
            Popup::Input(form) => {
                let mut lines = vec![Line::styled(form.title(), theme.title), Line::from("")];
                lines.push(Line::from(vec![
                    Span::styled("› ", theme.key),
                    Span::raw(text::inert(&form.text)),
                    Span::styled("▏", theme.key),
                ]));
                match &form.error {
                    Some(e) => lines.push(Line::styled(text::inert(e), theme.error)),
                    None => lines.push(Line::styled("Enter saves · Esc cancels", theme.dim)),
                }
                let rect = centered(body, 70, lines.len() as u16 + 2);
                f.render_widget(Clear, rect);
                f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(Block::bordered()), rect);
            }
            Popup::Choose(c) => {
                let w = 76.min(body.width.saturating_sub(2));
                let shown = c.shown();
                let filtering = !c.filter.is_empty();
                // The note and, once something is typed, the filter line.
                let above = usize::from(c.note.is_some()) + usize::from(filtering);
                // The list keeps its size while filtering, so it does not jump.
                let h = (c.items.len() + above + 3).min(usize::from(body.height)) as u16;
                // Item lines that fit; the window follows the cursor.
                let room = usize::from(h).saturating_sub(3 + above).max(1);
                let start = c.cursor.saturating_sub(room - 1);
                let inner = usize::from(w.saturating_sub(2));
                let mut lines = Vec::new();
                if let Some(n) = &c.note {
                    lines.push(Line::styled(text::fit(n, inner), theme.dim));
                }
                if filtering {
                    lines.push(Line::from(vec![
                        Span::styled("filter: ", theme.key),
                        Span::raw(text::fit_end(&c.filter, inner.saturating_sub(9))),
                        Span::styled("▏", theme.key),
                    ]));
                }
                if shown.is_empty() {
                    lines.push(Line::styled("no line matches (Backspace or Esc)", theme.dim));
                }
                for (row, &i) in shown.iter().enumerate().skip(start).take(room) {
                    let Some((label, _)) = c.items.get(i) else { continue };
                    let style = if row == c.cursor { theme.selected } else { theme.base };
                    // Numbers only while nothing is typed: then 1-9 pick, else they type.
                    let n = if !filtering && row < 9 { format!(" {} ", row + 1) } else { "   ".into() };
                    lines.push(Line::from(vec![
                        Span::styled(n, theme.key),
                        Span::styled(text::fit(label, usize::from(w.saturating_sub(6))), style),
                    ]));
                }
                let hint = if filtering {
                    "Enter picks · Backspace edits · Esc clears the filter"
                } else {
                    "type to filter · Enter or 1-9 picks · Esc closes"
                };
                lines.push(Line::styled(hint, theme.dim));
                let rect = centered(body, w, h);
                f.render_widget(Clear, rect);
                let block = Block::bordered().title(Span::styled(format!(" {} ", c.title), theme.title));
                f.render_widget(Paragraph::new(lines).block(block), rect);
            }
            Popup::Form(form) => form.view(f, body, theme),
            Popup::Text { title, lines, scroll, on_yes, diff } => {
                let w = body.width.clamp(20, 90);
                let h = u16::try_from(lines.len() + 3).unwrap_or(u16::MAX).min(body.height);
                let rect = centered(body, w, h);
                let room = usize::from(h.saturating_sub(3));
                let start = (*scroll).min(lines.len().saturating_sub(room));
                let inner = usize::from(w.saturating_sub(2));
                let style = |l: &str| match (diff, l.as_bytes().first()) {
                    (true, Some(b'+')) => theme.ok,
                    (true, Some(b'-')) => theme.alert,
                    _ => theme.base,
                };
                let mut shown: Vec<Line> = lines
                    .iter()
                    .skip(start)
                    .take(room)
                    .map(|l| Line::styled(text::fit(&text::inert(l), inner), style(l)))
                    .collect();
                let more = if start + room < lines.len() { " · j/k scroll" } else { "" };
                let yes = on_yes.as_ref().map_or(String::new(), |(what, _)| format!("y {what} · "));
                shown.push(Line::styled(format!("{yes}Esc closes{more}"), theme.dim));
                f.render_widget(Clear, rect);
                let block = Block::bordered().title(Span::styled(format!(" {} ", text::inert(title)), theme.title));
                f.render_widget(Paragraph::new(shown).block(block), rect);
            }
            Popup::Confirm { question, .. } => {
                // Questions name records (a clash names another session): inert, and
                // as tall as the words need (one line of slack for word wrapping).
                let clean = text::inert_multiline(question);
                let w = body.width.clamp(20, 72);
                let inner = usize::from(w - 2);
                let lines: usize = clean.lines().map(|l| text::width(l).div_ceil(inner).max(1)).sum();
                let h = u16::try_from(lines + 3).unwrap_or(u16::MAX).clamp(5, body.height.max(5));
                let rect = centered(body, w, h);
                f.render_widget(Clear, rect);
                let block = Block::bordered().title(Span::styled(" confirm ", theme.title));
                f.render_widget(Paragraph::new(clean).wrap(Wrap { trim: true }).block(block), rect);
            }
        }
    }
    toasts(app, f, body);
    if app.locked {
        f.render_widget(Clear, body);
        app.login.view(f, body, theme, spin);
    }
}

/// The screen's main keys that this user may use, then the global ones. A viewer is
/// not offered `L`.
/// The keys line. A hint shows whole or not at all: when they do not all fit, help,
/// back and quit stay, then the screen's own in their order, the palette last.
fn hint_bar(app: &App, width: u16) -> Line<'static> {
    let theme = &app.settings.theme;
    let contexts = app.contexts();
    let roles = app.roles();
    let mut actions: Vec<Action> = app
        .screen()
        .map(|s| {
            s.component()
                .offers()
                .iter()
                .filter(|c| c.hint && c.needs.is_none_or(|p| roles.can(p)))
                .map(|c| c.action)
                .collect()
        })
        .unwrap_or_default();
    let own = actions.len();
    actions.extend([Action::Palette, Action::Back, Action::Help, Action::Quit]);
    // An action without a key in force shows nothing (and costs nothing).
    let hints: Vec<Option<(String, String)>> = actions
        .iter()
        .map(|a| app.settings.keymap.first_key(&contexts, *a).map(|k| (format!(" {k}"), format!(" {} ", a.hint()))))
        .collect();
    let cells = |i: usize| hints[i].as_ref().map_or(0, |(k, h)| text::width(k) + text::width(h));
    // Which to keep, by priority: help, back, quit, the screen's own, the palette.
    let mut order: Vec<usize> = vec![own + 2, own + 1, own + 3];
    order.extend(0..own);
    order.push(own);
    let mut keep = vec![false; hints.len()];
    let mut used = 0;
    for i in order {
        if used + cells(i) <= usize::from(width) {
            used += cells(i);
            keep[i] = true;
        }
    }
    let mut spans = Vec::new();
    for (k, h) in hints.into_iter().zip(keep).filter_map(|(hint, kept)| hint.filter(|_| kept)) {
        spans.push(Span::styled(k, theme.key));
        spans.push(Span::styled(h, theme.dim));
    }
    Line::from(spans)
}

/// The help overlay: every binding of the current screen and the global ones,
/// generated from the keymap in force.
/// Keys the user's roles do not allow are listed as such.
pub fn help_lines(app: &App) -> Vec<(String, String)> {
    // Help opened over a dialog lists the dialog's keys (`?` itself is a popup).
    let under = app.popups.iter().rev().nth(1);
    let mut contexts = match under {
        Some(Popup::Form(_) | Popup::Prompt(_) | Popup::Input(_)) => vec![Context::Form],
        Some(Popup::Choose(_) | Popup::Confirm { .. } | Popup::Text { .. }) => vec![Context::Popup],
        _ => app.screen().map(|s| s.component().contexts().to_vec()).unwrap_or_default(),
    };
    contexts.push(Context::Global);
    let roles = app.roles();
    let commands = app.screen().map(|s| s.component().offers()).unwrap_or(&[]);
    let mut out = Vec::new();
    for ctx in contexts {
        for (action, keys) in app.settings.keymap.bindings(ctx) {
            let keys = keys.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(", ");
            let command = commands.iter().find(|c| c.action == action);
            let denied = command.and_then(|c| c.needs).filter(|p| !roles.can(*p));
            // The screen's own words for a shared verb ("publish" a post or an event).
            let describe = command.and_then(|c| c.about).unwrap_or(action.describe());
            let what = match denied {
                // Marked first: a narrow help column cuts the end of the line.
                Some(_) => format!("✗ {describe} (not for your role)"),
                None => describe.to_string(),
            };
            out.push((keys, what));
        }
    }
    out
}

/// Every binding in force, one to a line with its description wrapped beneath
/// itself, read whole at 80x24; `j`/`k` and the page keys scroll when they are
/// more than the screen holds.
fn help(app: &App, scroll: usize, f: &mut Frame, area: Rect) {
    let theme = &app.settings.theme;
    let entries = help_lines(app);
    let width = area.width.min(100);
    let inner_w = usize::from(width.saturating_sub(2));
    let key_w = entries.iter().map(|(k, _)| text::width(k)).max().unwrap_or(0).min(inner_w / 3).min(24);
    let room = usize::from(area.height.saturating_sub(3)).max(1);
    let start = scroll.min(entries.len().saturating_sub(1));
    let mut lines: Vec<Line> = Vec::new();
    let mut shown = start;
    for (keys, what) in entries.iter().skip(start) {
        let wrapped = text::wrap(what, inner_w.saturating_sub(key_w + 1), 4);
        if lines.len() + wrapped.len() > room && !lines.is_empty() {
            break;
        }
        for (n, part) in wrapped.into_iter().enumerate() {
            let k = if n == 0 { text::pad(keys, key_w) } else { " ".repeat(key_w) };
            lines.push(Line::from(vec![Span::styled(format!("{k} "), theme.key), Span::raw(part)]));
        }
        shown += 1;
    }
    let more = if start > 0 || shown < entries.len() {
        format!("{}–{} of {} · j/k scroll · ", start + 1, shown, entries.len())
    } else {
        String::new()
    };
    lines.truncate(room);
    lines.push(Line::styled(format!("{more}any other key closes"), theme.dim));
    let rect = centered(area, width, lines.len() as u16 + 2);
    f.render_widget(Clear, rect);
    let block = Block::bordered().title(Span::styled(" keys ", theme.title));
    f.render_widget(Paragraph::new(lines).block(block), rect);
}

fn palette(app: &App, p: &super::palette::Palette, f: &mut Frame, area: Rect) {
    let theme = &app.settings.theme;
    let matches = p.matches();
    let rect = centered(area, 60, matches.len().max(1) as u16 + 4);
    f.render_widget(Clear, rect);
    let block = Block::bordered().title(Span::styled(" go to ", theme.title));
    let mut lines = vec![Line::from(vec![
        Span::styled(": ", theme.key),
        Span::raw(text::inert(&p.query)),
        Span::styled("▏", theme.key),
    ])];
    lines.push(Line::from(""));
    for (i, e) in matches.iter().enumerate() {
        let style = if i == p.cursor { theme.selected } else { theme.base };
        lines.push(Line::from(vec![
            Span::styled(format!(" {:<14}", e.name()), style),
            Span::styled(e.describe(), theme.dim),
        ]));
    }
    if matches.is_empty() {
        lines.push(Line::styled(" no match", theme.dim));
    }
    f.render_widget(Paragraph::new(lines).block(block), rect);
}

/// "⚠ database unavailable since 20:31 — reconnecting · nothing typed is lost · 1 change waits".
fn outage_banner(app: &App, o: &crate::ui::app::Outage, width: usize) -> String {
    let since = o.since.with_timezone(&app.settings.tz).format("%H:%M:%S");
    let waiting = match app.waiting_writes() {
        0 => String::new(),
        1 => " · 1 change waits to be sent".to_string(),
        n => format!(" · {n} changes wait to be sent"),
    };
    let line = format!(" ⚠ database unavailable since {since} — reconnecting · nothing typed is lost{waiting}");
    text::pad(&line, width)
}

fn toasts(app: &App, f: &mut Frame, area: Rect) {
    let theme = &app.settings.theme;
    // Toasts stack up from the bottom; each wraps so that it is read whole (up to
    // four lines at 80 columns holds any message the app says).
    let mut bottom = area.bottom();
    for t in app.toasts.iter().rev().take(3) {
        let lines = text::wrap(&t.text, usize::from(area.width.saturating_sub(6)).min(70), 4);
        let w = (lines.iter().map(|l| text::width(l)).max().unwrap_or(0) as u16 + 4).min(area.width);
        let h = lines.len() as u16 + 2;
        let y = bottom.saturating_sub(h).max(area.y);
        bottom = y;
        let rect = Rect { x: area.right().saturating_sub(w), y, width: w, height: h }.intersection(area);
        f.render_widget(Clear, rect);
        let style = if t.error { theme.error } else { theme.ok };
        let text: Vec<Line> = lines.into_iter().map(|l| Line::styled(l, style)).collect();
        f.render_widget(Paragraph::new(text).block(Block::bordered().border_style(style)), rect);
    }
}

/// A rectangle of at most `w`×`h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}
