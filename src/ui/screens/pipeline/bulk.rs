//! Marked cards: `space` marks cards (as the moderation queue does); `m` and `a`
//! then move or assign every marked card after a confirm with the count. The
//! backend changes each lead in its own transaction with its audit row and names
//! every refusal (someone changed the lead meanwhile, a move its stage does not
//! allow); the board then reloads as stored.

use super::PipelineScreen;
use crate::backend::{LeadRequest, Request};
use crate::domain::lead::{LeadStatus, prompt_for};
use crate::text;
use crate::ui::app::Popup;
use crate::ui::chooser::Chooser;
use crate::ui::cmd::{Cmd, Lane};
use staffroom_core::protocol::leads::Lead;

impl PipelineScreen {
    /// Marks or unmarks the selected card, and moves down to the next one.
    pub(super) fn toggle_mark(&mut self) {
        let Some(id) = self.selected().map(|c| c.lead.id) else { return };
        if !self.marked.remove(&id) {
            self.marked.insert(id);
        }
        let len = self.columns.get(self.col).map_or(0, |c| c.cards.len());
        self.row = (self.row + 1).min(len.saturating_sub(1));
    }

    /// What a bulk change applies to: the marked cards still on the board, else the
    /// selected one; (id, version, stage) each, as the board shows them.
    fn bulk_items(&self) -> Vec<&Lead> {
        let cards = self.columns.iter().flat_map(|c| c.cards.iter());
        if self.marked.is_empty() {
            return self.selected().map(|c| &c.lead).into_iter().collect();
        }
        cards.filter(|c| self.marked.contains(&c.lead.id)).map(|c| &c.lead).collect()
    }

    /// `m` with cards marked: the stages every marked card may move to without a
    /// question of its own, each confirmed with the count.
    pub(super) fn bulk_move(&mut self, can_reopen: bool) -> Vec<Cmd> {
        let leads = self.bulk_items();
        let items: Vec<(i64, i64)> = leads.iter().map(|l| (l.id, l.version)).collect();
        let mut targets: Vec<LeadStatus> = LeadStatus::ALL.to_vec();
        for l in &leads {
            let allowed = l.stage().allowed_moves(can_reopen);
            targets.retain(|t| allowed.contains(t) && prompt_for(*t, l.budget_range.is_some()).is_none());
        }
        if targets.is_empty() {
            return vec![Cmd::Toast(
                "no stage takes all the marked leads without a question of its own (a lost reason, a follow-up \
                 date): move those one by one"
                    .into(),
            )];
        }
        let n = items.len();
        self.next_lane += 1;
        let lane = Lane::Write(self.next_lane);
        let choices = targets
            .into_iter()
            .map(|to| {
                let send = Cmd::Send(lane, Request::Leads(LeadRequest::MoveLeads { items: items.clone(), to }));
                let question = format!("Move {n} marked lead{} to {to}? Each moves on its own. (y/n)", plural(n));
                (to.as_str().to_string(), vec![Cmd::Popup(Box::new(Popup::Confirm { question, on_yes: vec![send] }))])
            })
            .collect();
        vec![Cmd::Popup(Box::new(Popup::Choose(Chooser::new(format!("Move {n} marked to…"), choices))))]
    }

    /// `a`: who the marked cards (or the selected one) go to; the list comes from
    /// the backend (`on_assignees`).
    pub(super) fn bulk_assign(&mut self) -> Vec<Cmd> {
        self.assigning = self.bulk_items().iter().map(|l| (l.id, l.version)).collect();
        if self.assigning.is_empty() {
            return Vec::new();
        }
        vec![Cmd::Send(Lane::Dialog, Request::Leads(LeadRequest::Assignees))]
    }

    /// The people a lead can be assigned to: pick one, then confirm with the count.
    pub(super) fn on_assignees(&mut self, people: Vec<(i64, String)>) -> Vec<Cmd> {
        let items = std::mem::take(&mut self.assigning);
        let n = items.len();
        self.next_lane += 1;
        let lane = Lane::Write(self.next_lane);
        let choice = |user_id: Option<i64>, name: &str| {
            let send = Cmd::Send(lane, Request::Leads(LeadRequest::AssignLeads { items: items.clone(), user_id }));
            let question = format!("Assign {n} lead{} to {}? Each on its own. (y/n)", plural(n), text::inert(name));
            let confirm = Popup::Confirm { question, on_yes: vec![send] };
            (text::inert(name), vec![Cmd::Popup(Box::new(confirm))])
        };
        let mut choices = vec![choice(None, "nobody (unassigned)")];
        choices.extend(people.iter().map(|(id, name)| choice(Some(*id), name)));
        vec![Cmd::Popup(Box::new(Popup::Choose(Chooser::new(format!("Assign {n} to…"), choices))))]
    }

    /// The backend's answer to a bulk change: what landed, each refusal by name,
    /// and the board as stored.
    pub(super) fn on_bulk(&mut self, done: Vec<Lead>, refused: Vec<String>) -> Vec<Cmd> {
        self.marked.clear();
        let mut cmds = vec![Cmd::CloseDialogs];
        let said = format!("{} lead{} changed", done.len(), plural(done.len()));
        if refused.is_empty() {
            cmds.push(Cmd::Toast(said));
        } else {
            let why: Vec<String> = refused.iter().map(|r| text::inert(r)).collect();
            cmds.push(Cmd::Error(format!("{said}; {} refused: {}", refused.len(), why.join("; "))));
        }
        cmds.push(Cmd::Send(Lane::Load, self.load()));
        cmds
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
