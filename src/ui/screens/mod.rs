//! The screens: a closed enum, matched exhaustively. Each screen owns its state, turns
//! actions into requests, takes replies, and draws itself.

pub mod audit;
pub mod dashboard;
pub mod lead;
pub mod login;
pub mod messages;
pub mod pipeline;
pub mod users;

use super::keymap::{Action, Context};
use super::theme::Theme;
use crate::backend::{Reply, Request};
use crate::domain::permissions::Action as Permission;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;

/// Every screen by its plain name (the `:` palette opens them by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScreenId {
    Dashboard,
    Pipeline,
    Audit,
    Users,
    Messages,
    /// One lead (opened from the board; not in the palette: it needs a lead).
    Lead,
}

impl ScreenId {
    /// The screens the palette opens by name.
    pub const ALL: &'static [ScreenId] =
        &[ScreenId::Dashboard, ScreenId::Pipeline, ScreenId::Messages, ScreenId::Audit, ScreenId::Users];

    pub fn name(self) -> &'static str {
        match self {
            ScreenId::Dashboard => "dashboard",
            ScreenId::Pipeline => "pipeline",
            ScreenId::Audit => "audit",
            ScreenId::Users => "users",
            ScreenId::Messages => "messages",
            ScreenId::Lead => "lead",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            ScreenId::Dashboard => "what needs you today",
            ScreenId::Pipeline => "leads by stage (kanban)",
            ScreenId::Audit => "the audit trail, newest first",
            ScreenId::Users => "user accounts",
            ScreenId::Messages => "incoming contact messages; c converts one into a lead",
            ScreenId::Lead => "one lead and its timeline",
        }
    }

    /// The permission needed to open it (the backend checks it again).
    pub fn requires(self) -> Option<Permission> {
        match self {
            ScreenId::Dashboard => None,
            ScreenId::Pipeline => Some(Permission::ViewLeads),
            ScreenId::Audit => Some(Permission::ViewAudit),
            ScreenId::Users => Some(Permission::ManageUsers),
            ScreenId::Messages => Some(Permission::ViewLeads),
            ScreenId::Lead => Some(Permission::ViewLeads),
        }
    }
}

/// What a screen asks the app to do after an action.
#[derive(Debug, Default)]
pub struct Outcome {
    pub request: Option<Request>,
    /// The screen's request slot: a new request supersedes a pending one of the
    /// same lane only (0 = the screen's main load).
    pub lane: u64,
    pub toast: Option<String>,
    pub open: Option<ScreenId>,
    /// A question to ask before a pipeline move.
    pub prompt: Option<pipeline::PendingMove>,
    /// Pick a target stage for this lead among these.
    pub pick: Option<(i64, Vec<crate::domain::lead::LeadStatus>)>,
    /// Ask for a line of input (a note, a date).
    pub input: Option<Input>,
    /// Open this lead's detail.
    pub open_lead: Option<i64>,
    /// Open the lead form (edit or new).
    pub form: Option<Box<crate::ui::form::LeadForm>>,
    /// Offer a short list to pick from.
    pub choose: Option<crate::ui::chooser::Chooser>,
    /// Export the leads of this filter to a file.
    pub export: Option<crate::store::lead_filter::LeadFilter>,
}

/// The request lane of dialogs (forms, pick lists): their replies go to the popup
/// that asked, not to the screen.
pub const LANE_DIALOG: u64 = 50;

/// What an input popup collects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Note { lead_id: i64 },
    FollowUp { lead_id: i64, version: i64 },
}

/// What screens may need to know to handle an action.
#[derive(Debug, Clone, Copy)]
pub struct ActionCtx {
    pub today: NaiveDate,
    pub can_reopen: bool,
    pub width: u16,
    /// The logged-in user's id.
    pub me: Option<i64>,
}

#[derive(Debug, Clone)]
pub enum Screen {
    Dashboard(dashboard::Dashboard),
    Pipeline(Box<pipeline::PipelineScreen>),
    Audit(audit::AuditScreen),
    Users(users::UsersScreen),
    Messages(messages::MessagesScreen),
    Lead(Box<lead::LeadScreen>),
}

impl Screen {
    pub fn new(id: ScreenId, rot_days: &std::collections::BTreeMap<String, i64>) -> Screen {
        match id {
            ScreenId::Dashboard => Screen::Dashboard(dashboard::Dashboard::default()),
            ScreenId::Pipeline => Screen::Pipeline(Box::new(pipeline::PipelineScreen::new(rot_days.clone()))),
            ScreenId::Audit => Screen::Audit(audit::AuditScreen::default()),
            ScreenId::Users => Screen::Users(users::UsersScreen::default()),
            ScreenId::Messages => Screen::Messages(messages::MessagesScreen::default()),
            ScreenId::Lead => Screen::Lead(Box::new(lead::LeadScreen::new(0))),
        }
    }

    pub fn id(&self) -> ScreenId {
        match self {
            Screen::Dashboard(_) => ScreenId::Dashboard,
            Screen::Pipeline(_) => ScreenId::Pipeline,
            Screen::Audit(_) => ScreenId::Audit,
            Screen::Users(_) => ScreenId::Users,
            Screen::Messages(_) => ScreenId::Messages,
            Screen::Lead(_) => ScreenId::Lead,
        }
    }

    pub fn title(&self) -> &'static str {
        match self {
            Screen::Dashboard(_) => "Dashboard",
            Screen::Pipeline(_) => "Pipeline",
            Screen::Audit(_) => "Audit trail",
            Screen::Users(_) => "Users",
            Screen::Messages(_) => "Contact messages",
            Screen::Lead(_) => "Lead",
        }
    }

    pub fn contexts(&self) -> &'static [Context] {
        match self {
            Screen::Dashboard(_) => &[Context::Dashboard, Context::List],
            Screen::Pipeline(_) => &[Context::Pipeline, Context::List],
            Screen::Audit(_) => &[Context::Audit, Context::List],
            Screen::Users(_) => &[Context::List],
            Screen::Messages(_) => &[Context::Messages, Context::List],
            Screen::Lead(_) => &[Context::Lead, Context::List],
        }
    }

    /// The main keys shown in the hint bar.
    pub fn hints(&self) -> &'static [Action] {
        match self {
            Screen::Dashboard(_) => &[Action::Down, Action::Open, Action::NextPane],
            Screen::Pipeline(_) => &[Action::MoveForward, Action::MoveBack, Action::MoveTo, Action::Filter],
            Screen::Audit(_) => &[Action::Down, Action::Open, Action::Bottom],
            Screen::Users(_) => &[Action::Down, Action::PageDown],
            Screen::Messages(_) => &[Action::Convert, Action::InProgress, Action::Resolve, Action::NextPane],
            Screen::Lead(_) => &[Action::Edit, Action::Note, Action::FollowUp, Action::Links],
        }
    }

    pub fn has_unsaved(&self) -> bool {
        false
    }

    /// Does the screen take raw keys for text being typed in place?
    pub fn captures_text(&self) -> bool {
        match self {
            Screen::Pipeline(s) => s.captures_text(),
            _ => false,
        }
    }

    /// A key for the text being typed (only while `captures_text`).
    pub fn on_text_key(&mut self, key: crossterm::event::KeyEvent) -> Outcome {
        match self {
            Screen::Pipeline(s) => s.on_text_key(key),
            _ => Outcome::default(),
        }
    }

    /// Shown after the title in the header (the pipeline's filter).
    pub fn subtitle(&self) -> Option<String> {
        match self {
            Screen::Pipeline(s) => s.filter_label(),
            _ => None,
        }
    }

    pub fn reload_request(&mut self, today: NaiveDate) -> Option<Request> {
        match self {
            Screen::Dashboard(_) => Some(Request::Dashboard { today }),
            Screen::Pipeline(s) => Some(s.reload()),
            Screen::Audit(s) => Some(s.reload()),
            Screen::Users(s) => Some(s.reload()),
            Screen::Messages(s) => Some(s.reload()),
            Screen::Lead(s) => Some(s.reload()),
        }
    }

    pub fn on_action(&mut self, action: Action, ctx: ActionCtx) -> Outcome {
        match self {
            Screen::Dashboard(s) => s.on_action(action),
            Screen::Pipeline(s) => s.on_action(action, ctx.can_reopen, ctx.width),
            Screen::Audit(s) => s.on_action(action),
            Screen::Users(s) => s.on_action(action),
            Screen::Messages(s) => s.on_action(action),
            Screen::Lead(s) => s.on_action(action, ctx.me),
        }
    }

    pub fn on_reply(&mut self, lane: u64, reply: Reply) {
        match (self, reply) {
            (Screen::Dashboard(s), Reply::Dashboard(sections)) => s.set(sections),
            (Screen::Pipeline(s), Reply::Board(columns, filter)) => s.on_board(columns, filter),
            (Screen::Pipeline(s), Reply::BoardMore(status, page)) => s.on_more(status, page),
            (Screen::Pipeline(s), Reply::LeadMoved(lead)) => s.on_moved(lane, lead),
            (Screen::Audit(s), Reply::AuditPage(page)) => s.on_page(page),
            (Screen::Users(s), Reply::UsersPage(page)) => s.on_page(page),
            (Screen::Messages(s), Reply::Messages { counts, page, more }) => s.on_page(counts, page, more),
            (Screen::Lead(s), Reply::LeadDetail(d)) => s.on_detail(*d),
            _ => {}
        }
    }

    pub fn on_error(&mut self, lane: u64) {
        match self {
            Screen::Dashboard(s) => s.loaded = true,
            Screen::Pipeline(s) => s.on_error(lane),
            Screen::Audit(s) => s.loading = None,
            Screen::Users(s) => s.loading = false,
            Screen::Messages(s) => s.on_error(),
            Screen::Lead(s) => s.loaded = true,
        }
    }

    pub fn view(&self, f: &mut Frame, area: Rect, theme: &Theme) {
        match self {
            Screen::Dashboard(s) => s.view(f, area, theme),
            Screen::Pipeline(s) => s.view(f, area, theme, crate::store::now()),
            Screen::Audit(s) => s.view(f, area, theme),
            Screen::Users(s) => s.view(f, area, theme),
            Screen::Messages(s) => s.view(f, area, theme),
            Screen::Lead(s) => s.view(f, area, theme),
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
