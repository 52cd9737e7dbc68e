//! The event loop: one `select!` over terminal input, backend replies, change
//! notices, a frame tick and signals. Draws only when the state changed.

use super::app::{App, Settings, TICKS_PER_SECOND};
use super::keymap::Keymap;
use super::msg::{Effect, Msg, coalesce};
use super::theme::{Theme, no_color_env};
use super::view::view;
use crate::backend::{self, changes};
use crate::config::Config;
use crate::terminal;
use anyhow::{Context as _, Result, bail};
use crossterm::event::{Event as TermEvent, EventStream};
use futures::StreamExt;
use staffroom_core::protocol::Db;
use std::io::IsTerminal;
use std::time::Duration;
use tokio::signal::unix::{SignalKind, signal};

/// UI settings from the configuration.
pub fn settings(config: &Config) -> Result<Settings> {
    let keymap = Keymap::from_config(&config.keys).map_err(|e| anyhow::anyhow!("{}", config.origin.place(&e)))?;
    let theme =
        Theme::from_config(config, no_color_env()).map_err(|e| anyhow::anyhow!("{}", config.origin.place(&e)))?;
    let idle = u32::try_from(config.security.idle_lock_minutes.max(0)).unwrap_or(u32::MAX);
    Ok(Settings {
        keymap,
        theme,
        idle_lock_ticks: idle.saturating_mul(60 * TICKS_PER_SECOND),
        tz: config.display.time_zone,
        terminal: std::env::var("TERM").unwrap_or_else(|_| "unknown".into()),
        lost_reasons: config.pipeline.lost_reasons.clone(),
        reject_reasons: config.moderation.reject_reasons.clone(),
        autosave_dir: crate::config::data_dir().ok().map(|d| d.join("autosave")),
        rot_days: config.pipeline.rot_days.clone(),
        export_dir: std::path::PathBuf::from(&config.pipeline.export_dir),
        attendance_threshold_percent: config.rules.attendance_threshold_percent,
    })
}

/// How the app starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// The login screen.
    Login,
    /// `staffroom demo`: the login screen, or straight in as this demo account.
    Demo { as_email: Option<String> },
}

/// Runs the TUI until the user quits. The database is opened by `open`, after the
/// first frame: the login screen needs no data, so it is on screen while the pool
/// connects and the schema is checked (keys typed meanwhile wait in the terminal's
/// input and are read as soon as the loop starts; none is lost).
pub async fn run(open: impl Future<Output = Result<Db>>, config: &Config, start: Start) -> Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!("staffroom needs a terminal (use --no-open to prepare the database only)");
    }
    let mut app = App::new(settings(config)?, staffroom_core::protocol::clock::now());
    let mouse = config.display.mouse;
    // Never dropped: ratatui's Terminal prints to stderr from its Drop when it cannot
    // show the cursor, and after a closed terminal that print panics. RestoreGuard
    // puts the terminal back on every way out instead.
    let mut term = std::mem::ManuallyDrop::new(terminal::enter(mouse).context("cannot set up the terminal")?);
    let _restore = terminal::RestoreGuard;
    let size = term.size()?;
    app.update(Msg::Resize(size.width, size.height));
    // `demo --as` goes straight to a screen that needs data: no login frame to flash.
    if !matches!(&start, Start::Demo { as_email: Some(_) }) {
        term.draw(|f| view(&app, f))?;
        app.dirty = false;
    }
    let db = open.await?;
    let backend_settings = backend::Settings::from_config(config, matches!(start, Start::Demo { .. }));
    // Where this terminal connects from, read once: the backend stamps it on every
    // change this session makes.
    let remote = staffroom_core::protocol::remote_from_env();
    let worker = std::sync::Arc::new(backend::Backend::new(db.clone(), backend_settings, remote));
    // Scheduled posts publish at their time while the app runs, in the backend as
    // the system actor (cron runs `staffroom publish-due` when it does not).
    let _scheduler = backend::scheduler::spawn(worker.clone());
    let (cmd_tx, mut events_rx) = backend::spawn(worker);
    let mut notices = changes::watch(&db);
    let mut effects = match &start {
        Start::Demo { as_email: Some(email) } => app.demo_login(email),
        _ => Vec::new(),
    };
    let mut input = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_millis(1000 / u64::from(TICKS_PER_SECOND)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    // Every way out (a key, a signal, the terminal gone, an error) passes here, so
    // each screen keeps what it must first (the editor's autosave).
    let outcome: Result<()> = async {
        let mut clicks = crate::ui::mouse::Clicks::default();
        loop {
            let mut edited = None;
            for effect in effects.drain(..) {
                match effect {
                    Effect::Send(cmd) => {
                        if cmd_tx.send(*cmd).is_err() {
                            bail!("the backend worker stopped");
                        }
                    }
                    Effect::Quit => return Ok(()),
                    Effect::Suspend => {
                        terminal::suspend(&mut term, mouse)?;
                        app.dirty = true;
                    }
                    Effect::External { screen, tag, text } => {
                        // The input stream reads the terminal from a thread of its own:
                        // it is dropped while the editor runs, or it would take keys
                        // meant for the editor.
                        drop(input);
                        let editor = crate::ui::external::editor_command();
                        let out = terminal::handed(&mut term, mouse, || crate::ui::external::edit(&editor, &text))?;
                        input = EventStream::new();
                        edited = Some(Msg::Edited { screen, tag, text: out });
                        app.dirty = true;
                    }
                    Effect::Copy(text) => {
                        // Best effort: a terminal without OSC 52 ignores it, and the
                        // text is on screen to select by hand.
                        let _ = crossterm::execute!(
                            std::io::stdout(),
                            crossterm::clipboard::CopyToClipboard::to_clipboard_from(text.as_bytes())
                        );
                    }
                }
            }
            if let Some(msg) = edited {
                effects = app.update(msg);
                continue;
            }
            if app.dirty {
                if let Err(e) = term.draw(|f| view(&app, f)) {
                    // The terminal went away (SSH dropped, tmux killed) before its hangup
                    // signal arrived: nothing to draw on and nobody to tell.
                    if e.raw_os_error() == Some(libc::EIO) || e.kind() == std::io::ErrorKind::BrokenPipe {
                        return Ok(());
                    }
                    return Err(e.into());
                }
                app.dirty = false;
                tracing::trace!("frame drawn");
            }
            let msg = tokio::select! {
                ev = input.next() => match ev {
                    Some(Ok(ev)) => match input_msg(ev, &mut clicks) {
                        Some(m) => m,
                        None => continue,
                    },
                    // The terminal went away (an SSH connection dropped): exit cleanly.
                    Some(Err(_)) | None => return Ok(()),
                },
                Some(ev) = events_rx.recv() => {
                    tracing::trace!("reply {}", ev.req_id);
                    Msg::Backend(Box::new(ev))
                }
                Some(n) = notices.recv() => Msg::Changed(n),
                _ = tick.tick() => Msg::Tick(staffroom_core::protocol::clock::now()),
                _ = sigterm.recv() => return Ok(()),
                _ = sighup.recv() => return Ok(()),
            };
            effects = app.update(msg);
            // Keys already waiting (typed fast, pasted, or arriving in one packet over
            // SSH) are taken before drawing or sending: one frame for all of them, and
            // only the last of the loads they ask for in each slot ("/sara" searches
            // "sara", not "sar" first).
            for _ in 0..MAX_BATCH {
                // `poll!` polls with this task's own waker (not a no-op one as
                // `now_or_never` does), so an event arriving later still wakes the loop.
                match futures::poll!(input.next()) {
                    std::task::Poll::Ready(Some(Ok(ev))) => {
                        if let Some(m) = input_msg(ev, &mut clicks) {
                            effects.extend(app.update(m));
                        }
                    }
                    // The terminal went away: send what was asked for, then stop.
                    std::task::Poll::Ready(Some(Err(_)) | None) => {
                        effects.push(Effect::Quit);
                        break;
                    }
                    std::task::Poll::Pending => break,
                }
            }
            effects = coalesce(effects);
        }
    }
    .await;
    app.shutdown();
    outcome
}

/// At most this many waiting input events are taken together before a frame.
const MAX_BATCH: usize = 256;

fn input_msg(ev: TermEvent, clicks: &mut crate::ui::mouse::Clicks) -> Option<Msg> {
    match ev {
        TermEvent::Key(k) => Some(Msg::Key(k)),
        TermEvent::Paste(s) => Some(Msg::Paste(s)),
        TermEvent::Resize(w, h) => Some(Msg::Resize(w, h)),
        TermEvent::Mouse(m) => clicks.pointer(m, std::time::Instant::now()).map(Msg::Pointer),
        _ => None,
    }
}
