//! Moves on the board: shown at once, sent, and settled by the backend's answer. A
//! second move of a card still on its way is chained after the first.

use super::{PendingMove, PipelineScreen};
use crate::backend::LeadRequest;
use crate::backend::Request;
use crate::domain::lead::{LeadStatus, MoveInput, prompt_for};
use crate::ui::app::Popup;
use crate::ui::cmd::{Cmd, Lane};
use crate::ui::screens::Cx;
use staffroom_core::protocol::leads::Card;
use staffroom_core::protocol::leads::Lead;

/// A move shown on the board and sent, not yet confirmed. Another move of the same
/// card meanwhile waits here (`then`) and is sent with the version the first one
/// returns, so pressing `L` twice quickly moves the card twice, never conflicts
/// with itself.
#[derive(Debug, Clone)]
pub(super) struct InFlight {
    pub(super) lane: u64,
    /// The card as it was before the move (restored if the move is refused).
    pub(super) card: Card,
    pub(super) from: LeadStatus,
    pub(super) from_index: usize,
    pub(super) to: LeadStatus,
    pub(super) then: Option<(LeadStatus, MoveInput)>,
    /// An undo (`u`): once confirmed it is not itself offered for undo.
    pub(super) undo: bool,
}

impl PipelineScreen {
    /// The backend confirmed a move: the card takes the stored lead (new version);
    /// a move chained meanwhile is sent now, with that version.
    pub(super) fn on_moved(&mut self, lane: u64, lead: Lead) -> Vec<Cmd> {
        let Some(pos) = self.in_flight.iter().position(|f| f.lane == lane) else { return Vec::new() };
        let f = self.in_flight.remove(pos);
        if !f.undo {
            self.undo.push((lead.id, f.from, f.to));
        }
        let mut confirmed = f.card.clone();
        confirmed.lead = lead.clone();
        confirmed.stage_since = lead.stage_since.unwrap_or(lead.updated_at);
        for col in &mut self.columns {
            for card in &mut col.cards {
                if card.lead.id == lead.id {
                    card.lead = Lead { status: card.lead.status.clone(), ..lead.clone() };
                    card.stage_since = lead.stage_since.unwrap_or(lead.updated_at);
                }
            }
        }
        match f.then {
            Some((next, input)) if next != f.to => {
                let from_index = self.position(lead.id).map_or(0, |(_, r)| r);
                self.send_move(confirmed, f.to, from_index, next, input)
            }
            _ => Vec::new(),
        }
    }

    /// The backend refused a move: put the card back where it was before it (and
    /// before any move chained after it).
    pub(super) fn on_move_refused(&mut self, lane: u64) {
        let Some(pos) = self.in_flight.iter().position(|f| f.lane == lane) else { return };
        let f = self.in_flight.remove(pos);
        if let Some((ci, ri)) = self.position(f.card.lead.id) {
            self.columns[ci].cards.remove(ri);
            self.columns[ci].count -= 1;
        }
        if let Some(from) = self.column_of(f.from) {
            let at = f.from_index.min(self.columns[from].cards.len());
            self.columns[from].cards.insert(at, f.card);
            self.columns[from].count += 1;
            self.col = from;
            self.row = at;
        }
    }

    /// Column and row of a lead's card.
    pub(super) fn position(&self, lead_id: i64) -> Option<(usize, usize)> {
        self.columns
            .iter()
            .enumerate()
            .find_map(|(ci, c)| c.cards.iter().position(|x| x.lead.id == lead_id).map(|ri| (ci, ri)))
    }

    /// Moves the lead's card to `to` now, or first asks for what the stage needs.
    pub(super) fn ask_or_move(&mut self, lead_id: i64, to: LeadStatus, input: MoveInput, cx: &Cx) -> Vec<Cmd> {
        let Some((ci, ri)) = self.position(lead_id) else {
            return vec![Cmd::Error("that lead is no longer on the board; nothing changed".into())];
        };
        let card = &self.columns[ci].cards[ri];
        match prompt_for(to, card.lead.budget_range.is_some()) {
            Some(prompt) => {
                let pending = PendingMove { lead_id, name: card.lead.full_name.clone(), to, prompt };
                vec![Cmd::Popup(Box::new(Popup::Prompt(crate::ui::prompt::MovePrompt::new(
                    pending,
                    &cx.settings.lost_reasons,
                ))))]
            }
            None => self.start_move(lead_id, to, input),
        }
    }

    /// Shows the move at once, then sends it, or chains it after a move of the same
    /// card still on its way. `on_moved`/`on_move_refused` settle it.
    pub(super) fn start_move(&mut self, lead_id: i64, to: LeadStatus, input: MoveInput) -> Vec<Cmd> {
        let Some((fi, from_index)) = self.position(lead_id) else { return Vec::new() };
        let Some(ti) = self.column_of(to) else { return Vec::new() };
        if fi == ti {
            return Vec::new();
        }
        let mut card = self.columns[fi].cards.remove(from_index);
        self.columns[fi].count -= 1;
        let before = card.clone();
        card.lead.status = to.as_str().to_string();
        self.columns[ti].cards.insert(0, card);
        self.columns[ti].count += 1;
        // The cursor follows the card; into a hidden (closed) column it stays in
        // the column the card left, on the card that took its place.
        if self.visible(self.width).contains(&ti) {
            self.col = ti;
            self.row = 0;
        } else {
            self.col = fi;
            self.row = from_index;
            self.settle_selection();
        }
        if let Some(f) = self.in_flight.iter_mut().find(|f| f.card.lead.id == lead_id) {
            f.then = Some((to, input));
            return Vec::new();
        }
        let from = before.lead.stage();
        self.send_move(before, from, from_index, to, input)
    }

    /// Records a move as in flight and sends it (the card is already shown moved).
    pub(super) fn send_move(
        &mut self,
        card: Card,
        from: LeadStatus,
        from_index: usize,
        to: LeadStatus,
        input: MoveInput,
    ) -> Vec<Cmd> {
        self.next_lane += 1;
        let lane = self.next_lane;
        let undo = input.undo;
        let request = Request::Leads(LeadRequest::MoveLead { id: card.lead.id, version: card.lead.version, to, input });
        self.in_flight.push(InFlight { lane, card, from, from_index, to, then: None, undo });
        vec![Cmd::Send(Lane::Write(lane), request)]
    }
}
