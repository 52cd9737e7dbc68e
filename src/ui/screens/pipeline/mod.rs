//! The lead pipeline kanban: one column per stage, keyset-paged cards, moves that
//! show at once and roll back with the reason if the backend refuses them.

mod bulk;
mod draw;
mod filter;
mod moves;
mod pointer;

pub use draw::{money, stage_label};
use moves::InFlight;

use super::{Component, Cx, Offer, Permission, Screen, Vx, move_cursor};
use crate::backend::{LeadReply, LeadRequest};
use crate::backend::{OnDuplicate, Reply, Request};
use crate::domain::lead::{Interest, LeadSource};
use crate::domain::lead::{LeadStatus, MoveInput, Prompt};
use crate::text;
use crate::ui::app::Popup;
use crate::ui::chooser::Chooser;
use crate::ui::cmd::{Call, Cmd, Lane};
use crate::ui::keymap::{Action, Context};
use ratatui::Frame;
use ratatui::layout::Rect;
use staffroom_core::protocol::StoreError;
use staffroom_core::protocol::leads::BoardKey;
use staffroom_core::protocol::leads::Lead;
use staffroom_core::protocol::leads::{Assigned, LeadFilter};
use staffroom_core::protocol::leads::{Card, Column};
use staffroom_core::protocol::page::Page;
use std::collections::BTreeMap;

/// Cards fetched per column and per page.
const PAGE: i64 = 50;

/// A move asked for, waiting for its prompt to be answered.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingMove {
    pub lead_id: i64,
    pub name: String,
    pub to: LeadStatus,
    pub prompt: Prompt,
}

#[derive(Debug, Clone, Default)]
pub struct PipelineScreen {
    pub columns: Vec<Column>,
    /// Selected column and card.
    pub col: usize,
    pub row: usize,
    pub show_closed: Option<bool>,
    pub loaded: bool,
    loading_more: Vec<LeadStatus>,
    in_flight: Vec<InFlight>,
    /// Confirmed moves of this session, newest last: (lead id, from, to).
    undo: Vec<(i64, LeadStatus, LeadStatus)>,
    next_lane: u64,
    pub rot_days: BTreeMap<String, i64>,
    /// The card to keep selected across a reload.
    keep: Option<i64>,
    /// The filter in force (the user's saved one once the first load answers).
    pub filter: LeadFilter,
    filter_loaded: bool,
    /// While `/` search is typed: the text before typing began (Esc puts it back).
    typing: Option<String>,
    /// The filter (as searched) of the board last asked for.
    shown: Option<LeadFilter>,
    /// The new lead last sent from the form (a duplicate warning offers to create or
    /// merge it).
    creating: Option<staffroom_core::protocol::leads::LeadFields>,
    /// The terminal's width at the last key or reply: whether closed columns show.
    width: u16,
    /// Cards marked with `space` for a bulk move or assignment (lead ids).
    pub marked: std::collections::BTreeSet<i64>,
    /// The cards an assignment is being chosen for (id, version).
    assigning: Vec<(i64, i64)>,
    /// Where the last frame drew each column's cards: (area, column, first card).
    drawn: std::cell::RefCell<Vec<(Rect, usize, usize)>>,
}

impl PipelineScreen {
    pub fn new(rot_days: BTreeMap<String, i64>) -> PipelineScreen {
        PipelineScreen { rot_days, ..PipelineScreen::default() }
    }

    fn load(&mut self) -> Request {
        self.keep = self.selected().map(|c| c.lead.id);
        Request::Leads(LeadRequest::Board {
            per_column: PAGE,
            filter: self.filter_loaded.then(|| self.filter.clone()),
            save: false,
        })
    }

    /// Selects the card of `lead_id`; false when it is not loaded.
    pub fn select(&mut self, lead_id: i64) -> bool {
        for (ci, col) in self.columns.iter().enumerate() {
            if let Some(ri) = col.cards.iter().position(|c| c.lead.id == lead_id) {
                self.col = ci;
                self.row = ri;
                return true;
            }
        }
        false
    }

    pub fn selected(&self) -> Option<&Card> {
        self.columns.get(self.col).and_then(|c| c.cards.get(self.row))
    }

    fn column_of(&self, status: LeadStatus) -> Option<usize> {
        self.columns.iter().position(|c| c.status == status)
    }

    pub fn on_board(&mut self, columns: Vec<Column>, filter: LeadFilter) {
        // While `/` is typed the text on screen is the truth: a board answered for
        // an earlier load never takes it back.
        if self.typing.is_none() {
            self.filter = filter;
        }
        self.shown = Some(self.filter.searched());
        self.filter_loaded = true;
        let keep = self.keep.take().or_else(|| self.selected().map(|c| c.lead.id));
        self.columns = columns;
        self.loaded = true;
        self.loading_more.clear();
        // Moves still in flight stay where the user put them.
        // The reply counted the card where the database had it: in the column it came
        // back in, or (not on a loaded page) the stage it is moving from.
        for f in &self.in_flight {
            let shown = f.then.as_ref().map_or(f.to, |(next, _)| *next);
            let counted = self
                .columns
                .iter()
                .position(|c| c.cards.iter().any(|x| x.lead.id == f.card.lead.id))
                .or_else(|| self.columns.iter().position(|c| c.status == f.from));
            for col in &mut self.columns {
                col.cards.retain(|c| c.lead.id != f.card.lead.id);
            }
            if let Some(i) = self.columns.iter().position(|c| c.status == shown) {
                let mut card = f.card.clone();
                card.lead.status = shown.as_str().to_string();
                self.columns[i].cards.insert(0, card);
                if counted != Some(i) {
                    self.columns[i].count += 1;
                    if let Some(c) = counted {
                        self.columns[c].count = (self.columns[c].count - 1).max(0);
                    }
                }
            }
        }
        if let Some(id) = keep {
            for (ci, col) in self.columns.iter().enumerate() {
                if let Some(ri) = col.cards.iter().position(|c| c.lead.id == id) {
                    self.col = ci;
                    self.row = ri;
                    break;
                }
            }
        }
        self.settle_selection();
    }

    /// Keeps a card selected that can be seen: a filter may empty the selected
    /// column, and a card kept across a reload or moved may sit in a hidden closed
    /// column. Then the first shown open stage with cards (else any shown column
    /// with cards) is selected, so Enter and moves act on something visible.
    fn settle_selection(&mut self) {
        let visible = self.visible(self.width);
        let seen = |ci: usize| visible.contains(&ci) && !self.columns[ci].cards.is_empty();
        if !seen(self.col) {
            let open = visible.iter().copied().find(|ci| self.columns[*ci].status.is_open() && seen(*ci));
            if let Some(ci) = open.or_else(|| visible.iter().copied().find(|ci| seen(*ci))) {
                self.col = ci;
                self.row = 0;
            }
        }
        self.clamp();
    }

    pub fn on_more(&mut self, status: LeadStatus, page: Page<Card, BoardKey>) {
        self.loading_more.retain(|s| *s != status);
        if let Some(i) = self.column_of(status) {
            let col = &mut self.columns[i];
            let known: Vec<i64> = col.cards.iter().map(|c| c.lead.id).collect();
            col.cards.extend(page.rows.into_iter().filter(|c| !known.contains(&c.lead.id)));
            col.next = page.next;
        }
    }

    fn clamp(&mut self) {
        self.col = self.col.min(self.columns.len().saturating_sub(1));
        let len = self.columns.get(self.col).map_or(0, |c| c.cards.len());
        self.row = self.row.min(len.saturating_sub(1));
    }

    fn closed_shown(&self, width: u16) -> bool {
        self.show_closed.unwrap_or(width >= 160)
    }

    /// Columns on screen (closed ones only when shown).
    fn visible(&self, width: u16) -> Vec<usize> {
        let closed = self.closed_shown(width);
        (0..self.columns.len()).filter(|i| closed || !self.columns[*i].status.is_closed()).collect()
    }

    fn act(&mut self, action: Action, cx: &Cx) -> Vec<Cmd> {
        self.width = cx.width;
        let (width, can_reopen) = (cx.width, cx.can(Permission::ReopenLead));
        let visible = self.visible(width);
        match action {
            Action::Left | Action::Right => {
                let pos = visible.iter().position(|c| *c == self.col).unwrap_or(0);
                let pos = if action == Action::Left {
                    pos.saturating_sub(1)
                } else {
                    (pos + 1).min(visible.len().saturating_sub(1))
                };
                self.col = visible.get(pos).copied().unwrap_or(0);
                self.clamp();
            }
            Action::ToggleClosed => {
                self.show_closed = Some(!self.closed_shown(width));
                self.settle_selection();
            }
            Action::MoveForward | Action::MoveBack => {
                let Some(card) = self.selected() else { return Vec::new() };
                let from = card.lead.stage();
                let to = if action == Action::MoveForward { from.forward() } else { from.back() };
                return match to {
                    Some(to) => self.ask_or_move(card.lead.id, to, MoveInput::default(), cx),
                    None => vec![Cmd::Toast(format!(
                        "no stage {} {from}; allowed: {}",
                        if action == Action::MoveForward { "after" } else { "before" },
                        names(&from.allowed_moves(can_reopen))
                    ))],
                };
            }
            Action::ToggleMark => self.toggle_mark(),
            Action::Assign => return self.bulk_assign(),
            Action::MoveTo if !self.marked.is_empty() => return self.bulk_move(can_reopen),
            Action::MoveTo => {
                let Some(card) = self.selected() else { return Vec::new() };
                let lead_id = card.lead.id;
                let targets = card.lead.stage().allowed_moves(can_reopen);
                if targets.is_empty() {
                    return vec![Cmd::Toast("this lead cannot move anywhere (closed; reopening is admin-only)".into())];
                }
                let items = targets
                    .into_iter()
                    .map(|to| {
                        let call = Call::MoveLead { lead_id, to, input: None };
                        (to.as_str().to_string(), vec![Cmd::Call(super::ScreenId::Pipeline, call)])
                    })
                    .collect();
                return vec![Cmd::Popup(Box::new(Popup::Choose(Chooser::new("Move to…", items))))];
            }
            Action::Undo => {
                let Some((id, from, to)) = self.undo.pop() else {
                    return vec![Cmd::Toast("nothing to undo".into())];
                };
                let found = self
                    .columns
                    .iter()
                    .position(|c| c.status == to)
                    .and_then(|ci| self.columns[ci].cards.iter().position(|c| c.lead.id == id).map(|ri| (ci, ri)));
                let Some((ci, ri)) = found else {
                    return vec![Cmd::Toast("the lead of the last move is no longer on the board".into())];
                };
                self.col = ci;
                self.row = ri;
                // The exact reverse of that move: the backend checks it was this
                // user's last move of the lead, not whether the machine allows it.
                return self.start_move(id, from, MoveInput { undo: true, ..MoveInput::default() });
            }
            Action::Open => {
                return self.selected().map(|c| vec![Cmd::Push(Box::new(Screen::lead(c.lead.id)))]).unwrap_or_default();
            }
            Action::Filter => {
                self.typing = Some(self.filter.text.clone());
            }
            Action::Export => {
                let dir = cx.settings.export_dir.clone();
                let dir = if dir.as_os_str().is_empty() { std::path::PathBuf::from(".") } else { dir };
                return vec![Cmd::Send(
                    Lane::Dialog,
                    Request::Leads(LeadRequest::ExportLeads { filter: self.filter.clone(), dir }),
                )];
            }
            Action::NewLead => {
                return vec![Cmd::Popup(Box::new(Popup::Form(Box::new(crate::ui::lead_form::new_lead()))))];
            }
            Action::FilterMine
            | Action::FilterUnassigned
            | Action::FilterOverdue
            | Action::FilterSource
            | Action::FilterInterest
            | Action::FilterAge
            | Action::ClearFilter => return self.quick_filter(action),
            _ => {
                let len = self.columns.get(self.col).map_or(0, |c| c.cards.len());
                if let Some(r) = move_cursor(self.row, len, action, 10) {
                    self.row = r;
                }
                return self.maybe_more();
            }
        }
        Vec::new()
    }

    /// Asks for the next page of the selected column when the cursor nears its end.
    fn maybe_more(&mut self) -> Vec<Cmd> {
        let Some(col) = self.columns.get(self.col) else { return Vec::new() };
        if self.row + 10 < col.cards.len() || self.loading_more.contains(&col.status) {
            return Vec::new();
        }
        let Some(after) = col.next else { return Vec::new() };
        let status = col.status;
        self.loading_more.push(status);
        let req = Request::Leads(LeadRequest::BoardMore { status, after, limit: PAGE, filter: self.filter.clone() });
        vec![Cmd::Send(Lane::More(status as u8), req)]
    }

    /// The new-lead form matched open leads: open one, merge into one, or create
    /// (the lead as typed, kept from the submit).
    fn on_duplicates(&self, found: Vec<Lead>) -> Vec<Cmd> {
        let Some(fields) = &self.creating else { return Vec::new() };
        let create = |on_duplicate| {
            vec![Cmd::Send(
                Lane::Dialog,
                Request::Leads(LeadRequest::CreateLead { fields: Box::new(fields.clone()), on_duplicate }),
            )]
        };
        let mut items = Vec::new();
        for l in &found {
            let label = super::lead::label(l);
            items.push((format!("open {label}"), vec![Cmd::CloseDialogs, Cmd::Push(Box::new(Screen::lead(l.id)))]));
            items.push((format!("merge into {label}"), create(OnDuplicate::MergeInto(l.id, l.version))));
        }
        items.push(("create a separate lead anyway".to_string(), create(OnDuplicate::Create)));
        let note = "An open lead has the same email or phone.";
        vec![Cmd::Popup(Box::new(Popup::Choose(Chooser::new("Possible duplicate", items).with_note(note))))]
    }
}

const EDIT: Option<Permission> = Some(Permission::EditLeads);

impl Component for PipelineScreen {
    fn title(&self) -> String {
        "Pipeline".into()
    }

    fn contexts(&self) -> &'static [Context] {
        &[Context::Pipeline, Context::List]
    }

    fn offers(&self) -> &'static [Offer] {
        const C: &[Offer] = &[
            Offer::hint(Action::MoveForward, EDIT),
            Offer::hint(Action::MoveBack, EDIT),
            Offer::hint(Action::MoveTo, EDIT),
            Offer::hint(Action::Filter, None),
            Offer::key(Action::ToggleMark, EDIT),
            Offer::key(Action::Assign, EDIT),
            Offer::key(Action::Undo, EDIT),
            Offer::key(Action::NewLead, EDIT),
            Offer::key(Action::Export, Some(Permission::ExportData)),
        ];
        C
    }

    fn reload(&mut self, _cx: &Cx) -> Vec<Cmd> {
        vec![Cmd::Send(Lane::Load, self.load())]
    }

    fn on_action(&mut self, action: Action, cx: &Cx) -> Vec<Cmd> {
        self.act(action, cx)
    }

    fn on_reply(&mut self, lane: Lane, reply: Reply, cx: &Cx) -> Vec<Cmd> {
        self.width = cx.width;
        match (lane, reply) {
            (_, Reply::Leads(LeadReply::Board(columns, filter, dropped))) => {
                self.on_board(columns, filter);
                if let Some(why) = dropped {
                    return vec![Cmd::Error(format!("your saved board filter was dropped: {}", text::inert(&why)))];
                }
            }
            (_, Reply::Leads(LeadReply::BoardMore(status, page))) => self.on_more(status, page),
            (Lane::Write(n), Reply::Leads(LeadReply::LeadMoved(lead))) => return self.on_moved(n, *lead),
            (_, Reply::Leads(LeadReply::Duplicates(found))) => return self.on_duplicates(found),
            (_, Reply::Leads(LeadReply::Assignees(people))) => return self.on_assignees(people),
            (_, Reply::Leads(LeadReply::Bulk { done, refused })) => return self.on_bulk(done, refused),
            (_, Reply::Leads(LeadReply::LeadSaved(lead))) => {
                return vec![
                    Cmd::CloseDialogs,
                    Cmd::Toast(format!("lead {} saved", text::inert(&lead.full_name))),
                    Cmd::Push(Box::new(Screen::lead(lead.id))),
                ];
            }
            (_, Reply::Exported(n, path)) => {
                return vec![Cmd::Toast(format!("exported {n} leads to {}", text::inert(&path.display().to_string())))];
            }
            _ => {}
        }
        Vec::new()
    }

    fn on_error(&mut self, lane: Lane, _e: &StoreError, _cx: &Cx) -> Vec<Cmd> {
        match lane {
            Lane::Load => self.loaded = true,
            Lane::More(_) => self.loading_more.clear(),
            Lane::Write(n) => self.on_move_refused(n),
            Lane::Dialog => {}
        }
        Vec::new()
    }

    fn on_pointer(&mut self, pointer: crate::ui::mouse::Pointer) -> Vec<Action> {
        self.pointed(pointer)
    }

    fn on_call(&mut self, call: Call, cx: &Cx) -> Vec<Cmd> {
        self.width = cx.width;
        match call {
            Call::MoveLead { lead_id, to, input: None } => self.ask_or_move(lead_id, to, MoveInput::default(), cx),
            Call::MoveLead { lead_id, to, input: Some(input) } => self.start_move(lead_id, to, input),
            Call::Submit { tag: crate::ui::lead_form::NEW, values } => match crate::ui::lead_form::checked(&values) {
                Ok(fields) => {
                    self.creating = Some(fields.clone());
                    let req = Request::Leads(LeadRequest::CreateLead {
                        fields: Box::new(fields),
                        on_duplicate: OnDuplicate::Warn,
                    });
                    vec![Cmd::Send(Lane::Dialog, req)]
                }
                Err((field, why)) => vec![Cmd::FieldError { field, why }],
            },
            Call::Submit { .. } | Call::Picked { .. } | Call::Edited { .. } => Vec::new(),
        }
    }

    fn view(&self, f: &mut Frame, area: Rect, vx: &Vx) {
        self.draw(f, area, vx.theme, vx.now)
    }

    fn captures_text(&self) -> bool {
        self.typing.is_some()
    }

    fn on_text_key(&mut self, key: crossterm::event::KeyEvent, _cx: &Cx) -> Vec<Cmd> {
        self.text_key(key)
    }

    fn subtitle(&self) -> Option<String> {
        self.filter_label()
    }
}

fn names(stages: &[LeadStatus]) -> String {
    stages.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_fit_a_header() {
        assert_eq!(money(950), "950");
        assert_eq!(money(12_500), "12k");
        assert_eq!(money(4_250), "4.2k");
        assert_eq!(money(3_400_000), "3.4M");
    }

    #[test]
    fn letters_that_search_nothing_new_send_nothing() {
        use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
        let mut p = PipelineScreen::new(BTreeMap::new());
        p.on_board(Vec::new(), LeadFilter::default());
        p.typing = Some(String::new());
        let mut key = |c| p.text_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        assert!(key('s').is_empty(), "one letter: the same board as no search");
        assert!(key('a').is_empty(), "two letters: still the same board");
        assert_eq!(key('r').len(), 1, "three letters search");
        assert_eq!(key('a').len(), 1, "a longer word searches again");
        assert!(key(' ').is_empty(), "a space adds no word");
        assert_eq!(p.filter.text, "sara ", "every letter is kept on screen");
    }

    #[test]
    fn quick_filters_cycle_back_to_off() {
        let mut p = PipelineScreen::new(BTreeMap::new());
        let mut seen = Vec::new();
        for _ in 0..=Interest::ALL.len() {
            let o = p.quick_filter(Action::FilterInterest);
            assert!(matches!(
                o.as_slice(),
                [Cmd::Send(Lane::Load, Request::Leads(LeadRequest::Board { save: true, .. }))]
            ));
            seen.push(p.filter.interest);
        }
        assert_eq!(seen.last(), Some(&None));
        assert_eq!(seen[0], Some(Interest::ALL[0]));
        p.quick_filter(Action::FilterMine);
        assert_eq!(p.filter.assigned, Assigned::Me);
        p.quick_filter(Action::FilterUnassigned);
        assert_eq!(p.filter.assigned, Assigned::Unassigned);
        p.quick_filter(Action::ClearFilter);
        assert!(p.filter.is_empty());
    }
}
