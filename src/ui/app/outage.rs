//! The database going away while the app is open: a banner instead of the header,
//! what was typed kept (a form waiting for its answer stays open), a probe every
//! two seconds, and on its return the screen reloaded and each write that failed
//! for the outage sent once more — its answer then shown like any other, so a write
//! is saved, or refused with a reason, never dropped silently.

use super::App;
use crate::backend::OfficeRequest;
use crate::backend::{ReqId, Request};
use crate::ui::cmd::Token;
use crate::ui::msg::Effect;
use chrono::{DateTime, Utc};
use staffroom_core::protocol::StoreError;

/// Ticks between probes (a tick is a quarter second).
const PROBE_EVERY: u32 = 8;

#[derive(Debug, Clone)]
pub struct Outage {
    pub since: DateTime<Utc>,
    /// The driver's words, for the toast (the banner stays short).
    pub why: String,
    probe_in: u32,
    probing: bool,
}

/// A write on its way, kept until answered so it can be sent again once.
#[derive(Debug, Clone)]
pub(super) struct Sent {
    req_id: ReqId,
    token: Token,
    request: Request,
    retried: bool,
}

/// A write is anything a screen sends that is not a load ("latest wins" loads are
/// asked again by the reload instead).
fn is_write(token: Token) -> bool {
    matches!(token, Token::Screen(_, lane) if !lane.supersedable())
}

impl App {
    /// Notes a request just sent, if it is a write.
    pub(super) fn remember(&mut self, req_id: ReqId, token: Token, request: &Request, retried: bool) {
        if is_write(token) {
            self.sent.push(Sent { req_id, token, request: request.clone(), retried });
        }
    }

    /// Writes failed for the outage and waiting for the database's return.
    pub fn waiting_writes(&self) -> usize {
        self.retry.len()
    }

    /// An answer arrived: is the database gone, or back? `true` when the answer is
    /// taken here (a write kept for its retry) and goes no further.
    pub(super) fn watch(
        &mut self,
        req_id: ReqId,
        result: &Result<crate::backend::Reply, StoreError>,
    ) -> (bool, Vec<Effect>) {
        let sent = self.sent.iter().position(|s| s.req_id == req_id).map(|i| self.sent.remove(i));
        match result {
            Err(StoreError::Unavailable(why)) => {
                let outage = self.outage.get_or_insert_with(|| Outage {
                    since: self.now,
                    why: why.clone(),
                    probe_in: PROBE_EVERY,
                    probing: false,
                });
                outage.probing = false;
                outage.why = why.clone();
                self.dirty = true;
                match sent {
                    Some(s) if !s.retried => {
                        self.retry.push(s);
                        (true, Vec::new())
                    }
                    _ => (false, Vec::new()),
                }
            }
            Ok(_) if self.outage.is_some() => (false, self.back()),
            // Any other answer to a probe: probe again later.
            Err(_) => {
                if let Some(o) = &mut self.outage {
                    o.probing = false;
                }
                (false, Vec::new())
            }
            Ok(_) => (false, Vec::new()),
        }
    }

    /// The database answered again: reload what is on screen, send the kept writes.
    fn back(&mut self) -> Vec<Effect> {
        self.outage = None;
        self.dirty = true;
        let waiting = std::mem::take(&mut self.retry);
        let n = waiting.len();
        self.toast(match n {
            0 => "The database is back".to_string(),
            1 => "The database is back; sending your change again".to_string(),
            n => format!("The database is back; sending your {n} changes again"),
        });
        let mut effects = self.reload_current();
        for s in waiting {
            effects.push(self.send_again(s.token, s.request));
        }
        effects
    }

    fn send_again(&mut self, token: Token, request: Request) -> Effect {
        let effect = self.request(token, request.clone());
        if let Effect::Send(cmd) = &effect
            && let Some(s) = self.sent.iter_mut().find(|s| s.req_id == cmd.req_id)
        {
            s.retried = true;
        }
        effect
    }

    /// On each tick while the database is away: a probe now and then.
    pub(super) fn probe_tick(&mut self) -> Vec<Effect> {
        if self.session.is_none() {
            return Vec::new();
        }
        let Some(o) = &mut self.outage else { return Vec::new() };
        if o.probing {
            return Vec::new();
        }
        o.probe_in = o.probe_in.saturating_sub(1);
        if o.probe_in > 0 {
            return Vec::new();
        }
        o.probe_in = PROBE_EVERY;
        o.probing = true;
        vec![self.request(Token::Probe, Request::Office(OfficeRequest::Ping))]
    }
}
