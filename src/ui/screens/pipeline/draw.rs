//! Drawing the board: one column per stage, two lines per card.

use super::PipelineScreen;
use crate::domain::lead::LeadStatus;
use crate::text;
use crate::ui::theme::Theme;
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

impl PipelineScreen {
    pub(super) fn draw(&self, f: &mut Frame, area: Rect, theme: &Theme, now: DateTime<Utc>) {
        if !self.loaded {
            f.render_widget(Paragraph::new("Loading…").style(theme.dim), area);
            return;
        }
        let visible = self.visible(area.width);
        let areas = Layout::horizontal(vec![Constraint::Fill(1); visible.len().max(1)]).split(area);
        self.drawn.borrow_mut().clear();
        for (slot, &ci) in visible.iter().enumerate() {
            self.column(f, areas[slot], ci, theme, now);
        }
    }

    fn column(&self, f: &mut Frame, area: Rect, ci: usize, theme: &Theme, now: DateTime<Utc>) {
        let col = &self.columns[ci];
        let active = ci == self.col;
        let title = if col.budget > 0 {
            format!(" {} {} · {} ", stage_label(col.status), col.count, money(col.budget))
        } else {
            format!(" {} {} ", stage_label(col.status), col.count)
        };
        // The selected column shows by its title only: recolouring whole borders would
        // resend hundreds of cells per `h`/`l`, which is felt over SSH.
        let block = Block::bordered()
            .title(Span::styled(
                text::fit(&title, usize::from(area.width.saturating_sub(2))),
                if active { theme.selected } else { theme.title },
            ))
            .border_style(theme.border);
        let inner = block.inner(area);
        f.render_widget(block, area);
        let w = usize::from(inner.width);
        let per_card = 2usize;
        let fits = (usize::from(inner.height) / per_card).max(1);
        let start = if active { self.row.saturating_sub(fits - 1) } else { 0 };
        self.drawn.borrow_mut().push((inner, ci, start));
        let mut lines = Vec::new();
        for (ri, card) in col.cards.iter().enumerate().skip(start).take(fits) {
            let selected = active && ri == self.row;
            let l = &card.lead;
            let days = (now - card.stage_since).num_days().max(0);
            let overdue = l.next_follow_up_at.is_some_and(|t| t < now) && l.stage().is_open();
            let rot = self.rot_days.get(l.status.as_str()).is_some_and(|limit| days > *limit);
            let marks = format!("{}{}", if overdue { "!" } else { "" }, if rot { "*" } else { "" });
            let tail = format!(" {} {days}d{marks}", card.assignee.as_deref().unwrap_or("--"));
            let style = if selected { theme.selected } else { theme.base };
            let name = if self.marked.contains(&l.id) { format!("● {}", l.full_name) } else { l.full_name.clone() };
            lines.push(Line::from(Span::styled(text::pad(&name, w), style)));
            let info = format!("{}·{}", short(&l.source), short(&l.interested_in));
            let info_w = w.saturating_sub(text::width(&tail));
            lines.push(Line::from(vec![
                Span::styled(text::pad(&info, info_w), if selected { theme.selected } else { theme.dim }),
                Span::styled(
                    text::fit(&tail, w.saturating_sub(info_w)),
                    if selected {
                        theme.selected
                    } else if overdue || rot {
                        theme.alert
                    } else {
                        theme.dim
                    },
                ),
            ]));
        }
        if col.cards.is_empty() {
            lines.push(Line::styled(if self.filter.is_empty() { "—" } else { "— none match" }, theme.dim));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }
}

/// A budget sum for a narrow header: 950, 12.5k, 340k, 1.2M.
pub fn money(n: i64) -> String {
    if n < 1_000 {
        n.to_string()
    } else if n < 10_000 {
        format!("{:.1}k", n as f64 / 1e3)
    } else if n < 1_000_000 {
        format!("{}k", n / 1_000)
    } else {
        format!("{:.1}M", n as f64 / 1e6)
    }
}

/// Column titles.
pub fn stage_label(s: LeadStatus) -> &'static str {
    match s {
        LeadStatus::New => "New",
        LeadStatus::Contacted => "Contacted",
        LeadStatus::Qualified => "Qualified",
        LeadStatus::ProposalSent => "Proposal",
        LeadStatus::Nurturing => "Nurturing",
        LeadStatus::ClosedWon => "Won",
        LeadStatus::ClosedLost => "Lost",
    }
}

/// `website_form` → `website`: the first word of an enum value, for narrow cards.
fn short(value: &str) -> &str {
    value.split('_').next().unwrap_or(value)
}
