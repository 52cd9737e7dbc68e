//! About 40 leads in every pipeline stage, each with the notes, follow-ups and
//! audited moves (BR-06) that brought it there, back-dated over the last ~120 days:
//! the board's "days in stage" (since the last move, as the audit log tells it) ranges up to
//! 60 days, with every fourth open lead past its stage's rot limit.

use super::academy::Catalog;
use super::{Ctx, History, Staffer, insert, instant};
use crate::config::Config;
use crate::demo::assets::{Assets, nth};
use crate::demo::text::{HOSTILE_BIDI, HOSTILE_C1, HOSTILE_ESCAPES, Rng, long_message};
use crate::demo::timeline::{Timeline, stage_days};
use crate::domain::lead::{Interest, LeadStatus, NoteType, budget_estimate};
use crate::store::audit::Change;
use crate::store::{Result, StoreError, Tx};
use LeadStatus::*;
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use std::collections::BTreeMap;

/// The leads as later areas need them.
pub(super) struct Leads {
    pub all: Vec<(i64, String, LeadStatus)>,
}

impl Leads {
    pub fn by_name(&self, name: &str) -> Option<i64> {
        self.all.iter().find(|(_, n, _)| n == name).map(|(id, _, _)| *id)
    }

    pub fn with_status(&self, status: LeadStatus) -> Vec<i64> {
        self.all.iter().filter(|(_, _, s)| *s == status).map(|(id, _, _)| *id).collect()
    }
}

#[derive(Debug, Clone, Copy)]
enum FollowUp {
    None,
    /// Due this many days ago: shows as overdue.
    Overdue(i64),
    /// Due later today.
    Today,
    /// Due in this many days.
    Future(i64),
}

/// One lead to write, with the moves it went through after `new`.
struct Spec {
    name: String,
    email: Option<String>,
    phone: Option<String>,
    whatsapp: Option<String>,
    lead_type: &'static str,
    source: &'static str,
    message: String,
    interest: Interest,
    program: Option<i64>,
    path: Vec<LeadStatus>,
    lost_reason: Option<&'static str>,
    budget: Option<&'static str>,
    urgency: Option<&'static str>,
    /// Staffer id, or `None` for the unassigned inbox.
    assigned: Option<i64>,
    follow_up: FollowUp,
    /// Days in the current stage: since the last move, or since creation for `new`.
    stage_days: i64,
    /// A note written before any move (new leads get a general remark).
    first_note: Option<(NoteType, &'static str)>,
}

impl Spec {
    fn new(name: &str, email: Option<&str>, message: impl Into<String>, path: &[LeadStatus]) -> Spec {
        Spec {
            name: name.to_string(),
            email: email.map(str::to_string),
            phone: None,
            whatsapp: None,
            lead_type: "student",
            source: "website_form",
            message: message.into(),
            interest: Interest::Program,
            program: None,
            path: path.to_vec(),
            lost_reason: None,
            budget: None,
            urgency: None,
            assigned: None,
            follow_up: FollowUp::None,
            stage_days: 2,
            first_note: None,
        }
    }

    fn status(&self) -> LeadStatus {
        self.path.last().copied().unwrap_or(New)
    }
}

/// Hand-written leads: hostile text, Arabic, emoji, a 10 kB message, a client, a
/// partner, a duplicate pair, the lead converted from a contact message.
fn special_leads(ctx: &Ctx, cat: &Catalog) -> Vec<Spec> {
    let (staff, admin) = (Some(ctx.staff.id), Some(ctx.admin.id));
    let a: &'static Assets = ctx.a;
    let (text, notes) = (&a.leads, &a.leads.notes);
    let mut v = Vec::new();

    let mut s =
        Spec::new("Hossam Adel", Some("hossam.adel@example.com"), format!("{HOSTILE_ESCAPES} call me back now"), &[]);
    s.stage_days = 0;
    v.push(s);

    let mut s = Spec::new(
        "Accounts Payable",
        Some("billing@invoices.example.net"),
        format!("Dear customer, please open the attached {HOSTILE_BIDI} to settle your overdue balance."),
        &[],
    );
    s.lead_type = "other";
    s.source = "other";
    s.interest = Interest::Other;
    s.first_note = Some((NoteType::General, "Looks like phishing; do not open attachments."));
    s.stage_days = 5;
    v.push(s);

    let mut s = Spec::new(
        "Dina Samir",
        Some("dina.samir@example.com"),
        format!("Hi!! {HOSTILE_C1}I want the code review package"),
        &[Contacted],
    );
    s.source = "instagram";
    s.interest = Interest::CodeReview;
    s.assigned = staff;
    s.follow_up = FollowUp::Today;
    s.stage_days = 1;
    v.push(s);

    let mut s = Spec::new("Aly Mahmoud", Some("aly.mahmoud@example.com"), long_message(), &[Contacted, Qualified]);
    s.program = Some(cat.fullstack);
    s.assigned = staff;
    s.urgency = Some("this_month");
    s.follow_up = FollowUp::Today;
    s.stage_days = 4;
    v.push(s);

    // WhatsApp only: BR-05 needs just one way to reach the lead.
    let mut s = Spec::new("منى إبراهيم", None, nth(&text.messages_ar, 0), &[Contacted]);
    s.whatsapp = Some("+201112223334".into());
    s.source = "whatsapp";
    s.program = Some(cat.uiux);
    s.assigned = staff;
    s.follow_up = FollowUp::Overdue(3);
    s.first_note = Some((NoteType::General, nth(&notes.general, 2)));
    // Past the contacted stage's rot limit, and overdue.
    s.stage_days = 9;
    v.push(s);

    let mut s = Spec::new(
        "Mai Adel",
        Some("mai.adel@example.com"),
        "🚀 Ready to switch careers! ❤️ your bootcamp 🎓",
        &[Contacted, Qualified, ProposalSent, ClosedWon],
    );
    s.source = "referral";
    s.interest = Interest::Mentorship;
    s.assigned = admin;
    s.budget = Some(nth(&text.budgets, 1));
    s.stage_days = 12;
    v.push(s);

    let mut s = Spec::new(
        "Hany Fouad (Nile Logistics)",
        Some("hany@nile-logistics.example.com"),
        nth(&text.messages_en, 5),
        &[Contacted, Qualified, ProposalSent],
    );
    s.phone = Some("+20225550123".into());
    s.lead_type = "client";
    s.source = "referral";
    s.interest = Interest::MvpSprint;
    s.budget = Some(nth(&text.budgets, 3));
    s.urgency = Some("asap");
    s.assigned = admin;
    s.follow_up = FollowUp::Future(2);
    s.stage_days = 3;
    v.push(s);

    let mut s = Spec::new(
        "Reem Ashraf (Cairo Tech Hub)",
        Some("reem@cairotechhub.example.org"),
        "We run monthly meetups and would love to co-host a workshop with your students.",
        &[Contacted, Nurturing],
    );
    s.lead_type = "partner";
    s.source = "session";
    s.interest = Interest::Workshop;
    s.assigned = staff;
    s.follow_up = FollowUp::Future(20);
    s.stage_days = 18;
    v.push(s);

    // Converted from a contact message (see `contact_messages`).
    let mut s = Spec::new("Rania Fawzy", Some("rania.fawzy@example.com"), nth(&text.messages_en, 1), &[Contacted]);
    s.source = "contact_form";
    s.program = Some(cat.fullstack);
    s.assigned = staff;
    s.follow_up = FollowUp::Future(1);
    s.stage_days = 2;
    v.push(s);

    // A duplicate pair: same phone, both open. The board warns and offers a merge.
    let mut s = Spec::new("Omar Tarek", Some("omar.tarek@example.com"), nth(&text.messages_en, 7), &[]);
    s.phone = Some("+201001112233".into());
    s.source = "facebook";
    s.stage_days = 8;
    v.push(s);
    let mut s = Spec::new("Omar T.", None, "Same question as last week, any news?", &[]);
    s.phone = Some("+201001112233".into());
    s.source = "whatsapp";
    s.first_note = Some((NoteType::General, nth(&notes.general, 1)));
    s.stage_days = 1;
    v.push(s);

    let mut s = Spec::new(
        "Ingy Wahba",
        Some("ingy.wahba@example.com"),
        nth(&text.messages_en, 9),
        &[Contacted, Qualified, ProposalSent, ClosedLost],
    );
    s.lead_type = "client";
    s.interest = Interest::Program;
    s.lost_reason = Some("chose a competitor");
    s.assigned = admin;
    s.stage_days = 20;
    v.push(s);
    v
}

/// The rest of the ~40 leads, spread so every stage of the board is populated.
fn generated_leads(ctx: &mut Ctx, cat: &Catalog, rot_days: &BTreeMap<String, i64>) -> Vec<Spec> {
    // Stage paths (after `new`). Some tell a longer story: revived from nurturing, a
    // mis-click undone, lost at different stages.
    #[rustfmt::skip]
    let paths: Vec<Vec<LeadStatus>> = vec![
        vec![], vec![], vec![], vec![],
        vec![Contacted], vec![Contacted], vec![Contacted, Qualified, Contacted], vec![Contacted],
        vec![Contacted, Qualified], vec![Contacted, Qualified], vec![Contacted, Nurturing, Qualified],
        vec![Contacted, Qualified], vec![Contacted, Qualified],
        vec![Contacted, Qualified, ProposalSent], vec![Contacted, Qualified, ProposalSent],
        vec![Contacted, Qualified, ProposalSent, Qualified, ProposalSent], vec![Contacted, Qualified, ProposalSent],
        vec![Contacted, Nurturing], vec![Contacted, Qualified, Nurturing],
        vec![Contacted, Qualified, ProposalSent, Nurturing],
        vec![Contacted, Qualified, ProposalSent, ClosedWon], vec![Contacted, Qualified, ProposalSent, ClosedWon],
        vec![Contacted, Qualified, ProposalSent, ClosedWon], vec![Contacted, Qualified, ProposalSent, ClosedWon],
        vec![ClosedLost], vec![Contacted, ClosedLost], vec![Contacted, Qualified, ClosedLost],
        vec![Contacted, Nurturing, ClosedLost],
    ];
    #[rustfmt::skip]
    let follow_ups = [FollowUp::Overdue(2), FollowUp::Today, FollowUp::Future(3), FollowUp::None,
        FollowUp::Overdue(6), FollowUp::Future(9)];
    let sources = ["website_form", "instagram", "facebook", "referral", "whatsapp", "session", "import"];
    let programs = [cat.fullstack, cat.uiux, cat.data];
    let a: &'static Assets = ctx.a;
    let text = &a.leads;
    let mut out = Vec::new();
    for (n, path) in paths.into_iter().enumerate() {
        let rng = &mut ctx.rng;
        let first = rng.pick(&a.people.first_names).as_str();
        // Keep a name in one script: Arabic first names take Arabic family names.
        let lasts: Vec<&str> =
            a.people.last_names.iter().map(String::as_str).filter(|l| l.is_ascii() == first.is_ascii()).collect();
        let last = *rng.pick(&lasts);
        let arabic = !first.is_ascii();
        let email = if arabic {
            format!("lead{}@example.org", n + 1)
        } else {
            format!("{}.{}{}@example.com", first.to_lowercase(), last.to_lowercase().replace(' ', ""), n + 1)
        };
        let message = if arabic { rng.pick(&text.messages_ar) } else { rng.pick(&text.messages_en) };
        let mut s = Spec::new(&format!("{first} {last}"), (n % 5 != 0).then_some(email.as_str()), message, &path);
        let phone = format!("+2011{:08}", 30_000_000 + n * 1013);
        if n % 5 == 0 {
            s.whatsapp = Some(phone.clone());
        }
        if n % 2 == 0 {
            s.phone = Some(phone);
        }
        s.lead_type = if n % 6 == 5 { "client" } else { "student" };
        s.source = sources[n % sources.len()];
        s.interest = *rng.pick(Interest::ALL);
        s.program = (s.interest == Interest::Program).then(|| programs[n % 3]);
        s.budget = rng.chance(50).then(|| rng.pick(&text.budgets).as_str());
        s.urgency = Some(*rng.pick(&["asap", "this_month", "next_month", "exploring"]));
        s.assigned = match n % 4 {
            0 => None,
            3 => Some(ctx.admin.id),
            _ => Some(ctx.staff.id),
        };
        let status = s.status();
        if status == ClosedLost {
            s.lost_reason = Some(nth(&text.lost_reasons, n));
        }
        if status.is_open() {
            s.follow_up = follow_ups[n % follow_ups.len()];
        }
        // Every fourth open lead has sat past its stage's rot limit.
        s.stage_days = stage_days(&mut ctx.rng, status, rot_days.get(status.as_str()).copied(), n % 4 == 2);
        if s.path.is_empty() && n % 2 == 1 {
            s.first_note = Some((NoteType::General, nth(&text.notes.general, 0)));
        }
        out.push(s);
    }
    out
}

pub(super) async fn leads(tx: &mut Tx, ctx: &mut Ctx, cat: &Catalog) -> Result<Leads> {
    let rot_days = Config::defaults().map_err(|e| StoreError::Other(e.to_string()))?.pipeline.rot_days;
    let mut specs = special_leads(ctx, cat);
    specs.extend(generated_leads(ctx, cat, &rot_days));
    // A generator of its own for the clock, so the leads' names and fields stay as
    // they were when the timing changes.
    let mut clock = Rng::new(0x000c_10c4);
    let mut history = History::default();
    let mut all = Vec::new();
    for (n, spec) in specs.iter().enumerate() {
        let times = Timeline::plan(ctx.at, &mut clock, spec.stage_days, spec.path.len());
        let id = write_lead(tx, ctx, spec, n, &times, &mut history).await?;
        all.push((id, spec.name.clone(), spec.status()));
    }
    history.record(tx).await?;
    Ok(Leads { all })
}

/// The note logged with a move to `to` (before the move), by stage.
fn move_note(a: &Assets, to: LeadStatus, back: bool, n: usize, lost_reason: Option<&str>) -> (NoteType, String) {
    let notes = &a.leads.notes;
    match to {
        _ if back => (NoteType::General, notes.moved_back.clone()),
        Contacted if n.is_multiple_of(2) => (NoteType::Call, nth(&notes.call, n).into()),
        Contacted => (NoteType::Whatsapp, nth(&notes.whatsapp, n).into()),
        Qualified => (NoteType::Meeting, nth(&notes.meeting, n).into()),
        ProposalSent => (NoteType::Email, nth(&notes.email, 1).into()),
        Nurturing => (NoteType::General, notes.nurturing.clone()),
        ClosedWon => (NoteType::Email, notes.won.clone()),
        ClosedLost => (NoteType::General, format!("Closed as lost: {}.", lost_reason.unwrap_or("no reason given"))),
        New => (NoteType::Email, nth(&notes.email, 0).into()),
    }
}

async fn write_lead(
    tx: &mut Tx,
    ctx: &Ctx,
    s: &Spec,
    n: usize,
    times: &Timeline,
    history: &mut History,
) -> Result<i64> {
    let who: &Staffer = if s.assigned == Some(ctx.admin.id) { &ctx.admin } else { &ctx.staff };
    let created = times.created;

    // BR-06: every step of the story is an allowed move (never a reopen: not admin-only).
    let mut from = New;
    let mut notes: Vec<(NoteType, String, DateTime<Utc>)> = Vec::new();
    if let Some((t, text)) = s.first_note {
        notes.push((t, text.to_string(), created + Duration::minutes(20)));
    }
    let mut moves = Vec::new();
    for (i, (&to, &at)) in s.path.iter().zip(&times.moves).enumerate() {
        if !from.allowed_moves(false).contains(&to) {
            return Err(StoreError::Other(format!("demo lead {}: {from} -> {to} breaks BR-06", s.name)));
        }
        let back = from.back() == Some(to);
        let (t, text) = move_note(ctx.a, to, back, n + i, s.lost_reason);
        notes.push((t, text, at - Duration::minutes(15)));
        moves.push((from, to, at));
        from = to;
    }
    let status = s.status();
    let last_contact = notes.iter().filter(|(t, _, _)| t.is_contact()).map(|(_, _, at)| *at).max();
    // What `move_to` and a logged contact leave behind: the time of the last change.
    let updated = moves.last().map(|(_, _, at)| *at).into_iter().chain(last_contact).max().unwrap_or(created);
    let converted = moves.iter().find(|(_, to, _)| *to == ClosedWon).map(|(_, _, at)| *at);
    let end_of_today = instant(ctx.today, 23, 59);
    let follow_up = match s.follow_up {
        FollowUp::None => None,
        FollowUp::Overdue(d) => Some(ctx.days_ago(d)),
        // Later today, but never past midnight.
        FollowUp::Today => Some((ctx.at + Duration::hours(2)).min(end_of_today)),
        FollowUp::Future(d) => Some(ctx.in_days(d)),
    };
    let id = insert(
        tx,
        "leads",
        cols![
            "full_name" => &s.name, "email" => s.email.clone(), "phone" => s.phone.clone(),
            "whatsapp" => s.whatsapp.clone(),
            "lead_type" => s.lead_type, "source" => s.source, "message" => &s.message,
            "interested_in" => s.interest.as_str(),
            "program_id" => s.program, "status" => status.as_str(), "lost_reason" => s.lost_reason,
            "budget_range" => s.budget, "budget_estimate" => s.budget.and_then(budget_estimate),
            "urgency" => s.urgency, "assigned_to" => s.assigned, "next_follow_up_at" => follow_up,
            "converted_at" => converted,
            "last_contact_at" => last_contact, "version" => 1 + moves.len() as i64, "created_at" => created,
            "updated_at" => updated,
            "stage_since" => moves.last().map_or(created, |(_, _, at)| *at),
        ],
    )
    .await?;
    history.add(
        created,
        &who.actor,
        Change::new(
            "create",
            "lead",
            Some(id),
            format!("created lead {} (from {})", s.name, s.source.replace('_', " ")),
        )
        .with_new(json!({"id": id, "full_name": s.name, "email": s.email, "phone": s.phone,
                "whatsapp": s.whatsapp, "source": s.source, "status": "new"})),
    );
    for (t, text, at) in &notes {
        let note = insert(
            tx,
            "lead_notes",
            cols![
                "lead_id" => id, "note" => text, "note_type" => t.as_str(), "created_by" => who.id, "created_at" => *at,
            ],
        )
        .await?;
        history.add(
            *at,
            &who.actor,
            Change::new("create", "lead_note", Some(note), format!("{t} note on lead {}", s.name))
                .with_new(json!({"id": note, "lead_id": id, "note_type": t.as_str()})),
        );
    }
    for (from, to, at) in moves {
        history.add(at, &who.actor, move_change(id, &s.name, from, to, s.lost_reason));
    }
    Ok(id)
}

/// The audit entry of a move, as `store::leads::move_to` writes it.
fn move_change(id: i64, name: &str, from: LeadStatus, to: LeadStatus, lost: Option<&str>) -> Change {
    let reason = (to == ClosedLost).then_some(lost).flatten();
    Change::new("status_change", "lead", Some(id), format!("moved lead {name} from {from} to {to}")).diff(
        &json!({"id": id, "status": from.as_str(), "lost_reason": null}),
        &json!({"id": id, "status": to.as_str(), "lost_reason": reason}),
    )
}
