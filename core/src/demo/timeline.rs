//! When demo leads were created and moved, shared by the small demo and `--large`:
//! the board's "days in stage" comes from the last move in the audit log, so the
//! generators decide how long a lead has sat in its stage first and date its
//! earlier moves backwards from there.

use super::text::Rng;
use crate::domain::lead::LeadStatus;
use chrono::{DateTime, Duration, Utc};

/// No demo lead is older than this.
pub const OLDEST_DAYS: i64 = 120;

/// Days a lead has sat in its current stage, with one draw of `rng`: an open lead
/// within its stage's rot limit (1..=limit), or past it when `rotting`; a closed
/// lead up to 60 days since closing. Never more than 60.
pub fn stage_days(rng: &mut Rng, status: LeadStatus, rot_limit: Option<i64>, rotting: bool) -> i64 {
    let days = match rot_limit {
        Some(limit) if rotting => limit + 1 + rng.below(limit.max(5) as u64) as i64,
        Some(limit) => 1 + rng.below(limit.max(1) as u64) as i64,
        None if status.is_open() => 1 + rng.below(14) as i64,
        None => rng.below(61) as i64,
    };
    days.min(60)
}

/// A lead's creation and the instants of its `steps` moves, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub created: DateTime<Utc>,
    pub moves: Vec<DateTime<Utc>>,
}

impl Timeline {
    /// The last move (or, without moves, the creation) `stage_days` and one to nine
    /// hours before `now`; each earlier step 1–18 days before the next, squeezed so
    /// the lead is at most `OLDEST_DAYS` old.
    pub fn plan(now: DateTime<Utc>, rng: &mut Rng, stage_days: i64, steps: usize) -> Timeline {
        let mut at = now - Duration::days(stage_days) - Duration::minutes(60 + rng.below(8 * 60) as i64);
        let gaps: Vec<i64> =
            (0..steps).map(|_| 24 * 60 * (1 + rng.below(18) as i64) + rng.below(10 * 60) as i64).collect();
        let room = (at - (now - Duration::days(OLDEST_DAYS))).num_minutes().max(0);
        let total: i64 = gaps.iter().sum();
        let mut moves = Vec::with_capacity(steps);
        for gap in gaps {
            moves.push(at);
            // Squeezed gaps still keep a minute between steps.
            at -= Duration::minutes(if total > room { (gap * room / total).max(1) } else { gap });
        }
        moves.reverse();
        Timeline { created: at, moves }
    }

    /// The last change: the last move, or the creation.
    pub fn last(&self) -> DateTime<Utc> {
        self.moves.last().copied().unwrap_or(self.created)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_rise_after_creation_and_stay_in_the_window() {
        let now = crate::store::now();
        let mut rng = Rng::new(7);
        for n in 0..2_000 {
            let status = LeadStatus::ALL[n % LeadStatus::ALL.len()];
            let days = stage_days(&mut rng, status, Some(7), n % 3 == 0);
            assert!((1..=60).contains(&days));
            let t = Timeline::plan(now, &mut rng, days, n % 6);
            let mut prev = t.created;
            for at in &t.moves {
                assert!(*at > prev);
                prev = *at;
            }
            assert!(t.last() < now && now - t.last() >= Duration::days(days));
            assert!(now - t.created <= Duration::days(OLDEST_DAYS) + Duration::hours(9));
        }
    }
}
