//! The screens: a closed enum, matched exhaustively. Each screen owns its state, turns
//! actions into requests, takes replies, and draws itself.

pub mod attendance;
pub mod audit;
pub mod calendar;
pub mod dashboard;
pub mod editor;
pub mod lead;
pub mod login;
pub mod messages;
pub mod moderation;
pub mod pipeline;
pub mod session_form;

use super::cmd::{Call, Cmd, Lane};
use super::keymap::{Action, Context};
use super::theme::Theme;
use crate::backend::Reply;
use crate::domain::permissions::{Action as Permission, Roles};
use chrono::{DateTime, NaiveDate, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use staffroom_core::protocol::StoreError;

/// Every screen by its plain name (the `:` palette opens them by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScreenId {
    Dashboard,
    Pipeline,
    Audit,
    Messages,
    Attendance,
    Calendar,
    Moderation,
    /// A new post (`:editor`); an existing one opens from the posts list.
    Editor,
    /// One lead (opened from the board; not in the palette: it needs a lead).
    Lead,
    /// A record screen, by its declaration's name (`ui/records/`).
    Record(&'static str),
}

impl ScreenId {
    /// The bespoke screens the palette opens by name (the record screens follow).
    const BESPOKE: &'static [ScreenId] = &[
        ScreenId::Dashboard,
        ScreenId::Pipeline,
        ScreenId::Messages,
        ScreenId::Calendar,
        ScreenId::Attendance,
        ScreenId::Moderation,
        ScreenId::Editor,
        ScreenId::Audit,
    ];

    /// Every screen the palette opens by name: the bespoke ones, then each record
    /// screen declared in `ui/records/`.
    pub fn all() -> impl Iterator<Item = ScreenId> {
        let records = crate::ui::records::DECLS.iter().map(|d| ScreenId::Record(d.name));
        Self::BESPOKE.iter().copied().chain(records)
    }

    fn decl(self) -> Option<&'static crate::ui::records::Decl> {
        match self {
            ScreenId::Record(name) => crate::ui::records::decl(name),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ScreenId::Dashboard => "dashboard",
            ScreenId::Pipeline => "pipeline",
            ScreenId::Audit => "audit",
            ScreenId::Messages => "messages",
            ScreenId::Attendance => "attendance",
            ScreenId::Calendar => "calendar",
            ScreenId::Moderation => "moderation",
            ScreenId::Editor => "editor",
            ScreenId::Lead => "lead",
            ScreenId::Record(name) => name,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            ScreenId::Dashboard => "what needs you today",
            ScreenId::Pipeline => "leads by stage (kanban)",
            ScreenId::Audit => "the audit trail, newest first",
            ScreenId::Messages => "incoming contact messages; c converts one into a lead",
            ScreenId::Attendance => "a cohort's attendance grid; take roll with p a l e",
            ScreenId::Calendar => "sessions and events by month, week or agenda; clashes marked",
            ScreenId::Moderation => "posts, testimonials and applications awaiting a decision; a approves, r rejects",
            ScreenId::Editor => "write a new post",
            ScreenId::Lead => "one lead and its timeline",
            ScreenId::Record(_) => self.decl().map_or("", |d| d.describe),
        }
    }

    /// The permission needed to open it (the backend checks it again).
    pub fn requires(self) -> Option<Permission> {
        match self {
            ScreenId::Dashboard => None,
            ScreenId::Pipeline => Some(Permission::ViewLeads),
            ScreenId::Audit => Some(Permission::ViewAudit),
            ScreenId::Messages => Some(Permission::ViewLeads),
            ScreenId::Attendance => Some(Permission::ViewCalendar),
            ScreenId::Calendar => Some(Permission::ViewCalendar),
            ScreenId::Moderation => Some(Permission::ModerateContent),
            ScreenId::Editor => Some(Permission::EditContent),
            ScreenId::Lead => Some(Permission::ViewLeads),
            // An unknown name opens nothing: it needs what nobody has.
            ScreenId::Record(_) => self.decl().map_or(Some(Permission::ManageSettings), |d| d.requires),
        }
    }
}

/// What an input popup collects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Note { lead_id: i64 },
    FollowUp { lead_id: i64, version: i64 },
}

/// What screens may read while handling a key or a reply: the instant of the last
/// tick, the office's day and zone, who is logged in. Screens read no clock.
#[derive(Debug, Clone, Copy)]
pub struct Cx<'a> {
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub tz: chrono_tz::Tz,
    pub roles: Roles,
    /// The logged-in user's id.
    pub me: Option<i64>,
    pub width: u16,
    pub settings: &'a crate::ui::app::Settings,
}

impl Cx<'_> {
    pub fn can(&self, p: Permission) -> bool {
        self.roles.can(p)
    }
}

/// What a screen offers: an action, for its hint bar and `?`, shown enabled only when
/// the user's roles allow it (the backend's gate checks again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offer {
    pub action: Action,
    /// The permission it needs (`None`: anyone who may open the screen).
    pub needs: Option<Permission>,
    /// Shown in the hint bar (the rest only in `?`).
    pub hint: bool,
    /// What `?` says it does here, when the action's own words fit another screen.
    pub about: Option<&'static str>,
}

impl Offer {
    pub const fn hint(action: Action, needs: Option<Permission>) -> Offer {
        Offer { action, needs, hint: true, about: None }
    }
    pub const fn key(action: Action, needs: Option<Permission>) -> Offer {
        Offer { action, needs, hint: false, about: None }
    }
    pub const fn about(self, about: &'static str) -> Offer {
        Offer { about: Some(about), ..self }
    }
}

/// What every screen does. `Screen` (the closed enum) delegates to it once, in
/// `delegate!` below.
pub trait Component {
    fn title(&self) -> String;
    /// Keymap contexts, most specific first (global comes last by itself).
    fn contexts(&self) -> &'static [Context];
    /// What the screen offers, with what each needs (hint bar, help, the action gate).
    fn offers(&self) -> &'static [Offer];
    /// Ask the screen's data again, keeping the cursor and anything typed.
    fn reload(&mut self, cx: &Cx) -> Vec<Cmd>;
    fn on_action(&mut self, action: Action, cx: &Cx) -> Vec<Cmd>;
    /// A reply for one of this screen's lanes.
    fn on_reply(&mut self, lane: Lane, reply: Reply, cx: &Cx) -> Vec<Cmd>;
    /// A request of this screen's lane failed (the app shows why); undo what was
    /// shown ahead of the answer.
    fn on_error(&mut self, lane: Lane, error: &StoreError, cx: &Cx) -> Vec<Cmd>;
    /// A message from one of the screen's popups.
    fn on_call(&mut self, _call: Call, _cx: &Cx) -> Vec<Cmd> {
        Vec::new()
    }
    fn view(&self, f: &mut Frame, area: Rect, vx: &Vx);
    /// Text typed in place (the board's `/` filter): keys go here, not the keymap.
    fn captures_text(&self) -> bool {
        false
    }
    fn on_text_key(&mut self, _key: crossterm::event::KeyEvent, _cx: &Cx) -> Vec<Cmd> {
        Vec::new()
    }
    /// Shown after the title in the header.
    fn subtitle(&self) -> Option<String> {
        None
    }
    fn has_unsaved(&self) -> bool {
        false
    }
    /// Text pasted while the screen captures text (bracketed paste).
    fn on_paste(&mut self, _pasted: &str) {}
    /// The mouse over the screen: it selects what was clicked (from where it drew
    /// it) and answers with the actions to run, which pass the same gate as keys.
    /// By default the wheel moves the list, three rows a turn.
    fn on_pointer(&mut self, pointer: crate::ui::mouse::Pointer) -> Vec<Action> {
        match pointer {
            crate::ui::mouse::Pointer::Wheel { up, .. } => vec![if up { Action::Up } else { Action::Down }; 3],
            _ => Vec::new(),
        }
    }
    /// The frame tick, to the screen on top (the editor writes its autosave after
    /// the last key, not only on the next one).
    fn on_tick(&mut self, _cx: &Cx) {}
    /// The app is ending (a key, a signal, a lost terminal): keep what must
    /// outlive it (the editor's autosave).
    fn on_exit(&mut self, _cx: &Cx) {}
    /// `Esc`: true when the screen closed something of its own (a detail pane);
    /// false lets the app go back a screen.
    fn on_back(&mut self) -> bool {
        false
    }
}

/// What drawing may read: the theme and the instant of the last tick.
#[derive(Debug, Clone, Copy)]
pub struct Vx<'a> {
    pub theme: &'a Theme,
    pub now: DateTime<Utc>,
    pub tz: chrono_tz::Tz,
    /// `rules.attendance_threshold_percent`.
    pub threshold: u8,
}

#[derive(Debug, Clone)]
pub enum Screen {
    Dashboard(dashboard::Dashboard),
    Pipeline(Box<pipeline::PipelineScreen>),
    Audit(audit::AuditScreen),
    Messages(messages::MessagesScreen),
    Lead(Box<lead::LeadScreen>),
    /// A simple area, from its declaration in `ui/records/`.
    Record(Box<crate::ui::records::RecordScreen>),
    Attendance(Box<attendance::AttendanceScreen>),
    Calendar(Box<calendar::CalendarScreen>),
    Moderation(Box<moderation::ModerationScreen>),
    Editor(Box<editor::EditorScreen>),
}

impl Screen {
    /// The screen `id` names; `None` for a record name nothing declares.
    pub fn new(id: ScreenId, settings: &crate::ui::app::Settings) -> Option<Screen> {
        Some(match id {
            ScreenId::Dashboard => Screen::Dashboard(dashboard::Dashboard::default()),
            ScreenId::Pipeline => Screen::Pipeline(Box::new(pipeline::PipelineScreen::new(settings.rot_days.clone()))),
            ScreenId::Audit => Screen::Audit(audit::AuditScreen::default()),
            ScreenId::Messages => Screen::Messages(messages::MessagesScreen::default()),
            ScreenId::Lead => Screen::Lead(Box::new(lead::LeadScreen::new(0))),
            ScreenId::Editor => Screen::Editor(Box::default()),
            ScreenId::Attendance => Screen::Attendance(Box::default()),
            ScreenId::Calendar => Screen::Calendar(Box::default()),
            ScreenId::Moderation => Screen::Moderation(Box::default()),
            ScreenId::Record(_) => Screen::record(id.decl()?),
        })
    }

    fn record(decl: &'static crate::ui::records::Decl) -> Screen {
        Screen::Record(Box::new(crate::ui::records::RecordScreen::new(decl)))
    }

    /// A lead's screen.
    pub fn lead(id: i64) -> Screen {
        Screen::Lead(Box::new(lead::LeadScreen::new(id)))
    }

    pub fn id(&self) -> ScreenId {
        match self {
            Screen::Dashboard(_) => ScreenId::Dashboard,
            Screen::Pipeline(_) => ScreenId::Pipeline,
            Screen::Audit(_) => ScreenId::Audit,
            Screen::Messages(_) => ScreenId::Messages,
            Screen::Lead(_) => ScreenId::Lead,
            Screen::Record(s) => ScreenId::Record(s.decl.name),
            Screen::Attendance(_) => ScreenId::Attendance,
            Screen::Calendar(_) => ScreenId::Calendar,
            Screen::Moderation(_) => ScreenId::Moderation,
            Screen::Editor(_) => ScreenId::Editor,
        }
    }

    pub fn component(&self) -> &dyn Component {
        match self {
            Screen::Dashboard(s) => s,
            Screen::Pipeline(s) => s.as_ref(),
            Screen::Audit(s) => s,
            Screen::Messages(s) => s,
            Screen::Lead(s) => s.as_ref(),
            Screen::Record(s) => s.as_ref(),
            Screen::Attendance(s) => s.as_ref(),
            Screen::Calendar(s) => s.as_ref(),
            Screen::Moderation(s) => s.as_ref(),
            Screen::Editor(s) => s.as_ref(),
        }
    }

    pub fn component_mut(&mut self) -> &mut dyn Component {
        match self {
            Screen::Dashboard(s) => s,
            Screen::Pipeline(s) => s.as_mut(),
            Screen::Audit(s) => s,
            Screen::Messages(s) => s,
            Screen::Lead(s) => s.as_mut(),
            Screen::Record(s) => s.as_mut(),
            Screen::Attendance(s) => s.as_mut(),
            Screen::Calendar(s) => s.as_mut(),
            Screen::Moderation(s) => s.as_mut(),
            Screen::Editor(s) => s.as_mut(),
        }
    }
}

/// Moves a list cursor for a navigation action; `None` when it is not one.
pub fn move_cursor(cursor: usize, len: usize, action: Action, page: usize) -> Option<usize> {
    let last = len.saturating_sub(1);
    Some(match action {
        Action::Up => cursor.saturating_sub(1),
        Action::Down => (cursor + 1).min(last),
        Action::PageUp => cursor.saturating_sub(page),
        Action::PageDown => (cursor + page).min(last),
        Action::Top => 0,
        Action::Bottom => last,
        _ => return None,
    })
}
