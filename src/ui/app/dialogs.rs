//! Replies to forms and pick lists, and what picking a line does: the dialogs'
//! half of `App::update`, kept apart from key routing and screen handling.

use super::{App, Popup, Slot, describe_error};
use crate::backend::{Reply, Request};
use crate::store::StoreError;
use crate::ui::msg::Effect;
use crate::ui::screens::{Screen, ScreenId};

impl App {
    /// Sends a dialog's request on the current screen's dialog lane.
    pub(super) fn dialog_request(&mut self, req: Request) -> Effect {
        let id = self.screen().map_or(ScreenId::Dashboard, |s| s.id());
        self.request(Slot::Screen(id, crate::ui::screens::LANE_DIALOG), req)
    }

    /// The form on top, if any (under a pick list counts too).
    fn form_mut(&mut self) -> Option<&mut crate::ui::form::LeadForm> {
        self.popups.iter_mut().rev().find_map(|p| match p {
            Popup::Form(f) => Some(f.as_mut()),
            _ => None,
        })
    }

    /// A reply to a form or pick list.
    pub(super) fn on_dialog_reply(&mut self, result: Result<Reply, StoreError>) -> Vec<Effect> {
        use crate::ui::chooser::{Choice, Chooser};
        match result {
            Err(e) => {
                let why = describe_error(&e);
                match self.form_mut() {
                    // The form stays open with everything typed, and says why.
                    Some(form) => {
                        form.saving = false;
                        form.error = Some(why);
                    }
                    None => self.toast_error(why),
                }
                // Someone else changed the lead: show their version underneath, so
                // the next edit starts from it.
                if matches!(e, StoreError::Conflict { .. }) { self.reload_current() } else { Vec::new() }
            }
            Ok(Reply::LeadSaved(lead)) => {
                let was_new = self.form_mut().is_some_and(|f| f.mode == crate::ui::form::FormMode::New);
                self.popups.retain(|p| !matches!(p, Popup::Form(_) | Popup::Choose(_)));
                if was_new {
                    self.toast(format!("lead {} saved", crate::ui::text::inert(&lead.full_name)));
                    self.stack.push(Screen::Lead(Box::new(crate::ui::screens::lead::LeadScreen::new(lead.id))));
                } else {
                    self.toast("saved");
                    // A merge may have removed the lead on screen: follow the kept one.
                    if let Some(Screen::Lead(s)) = self.stack.last_mut() {
                        s.id = lead.id;
                    }
                }
                self.reload_current()
            }
            Ok(Reply::Duplicates(found)) => {
                let creating = self.form_mut().map(|f| {
                    f.saving = false;
                    f.mode == crate::ui::form::FormMode::New
                });
                let label = |l: &crate::store::leads::Lead| {
                    format!(
                        "#{} {} · {} · {}",
                        l.id,
                        l.full_name,
                        l.email.as_deref().or(l.phone.as_deref()).unwrap_or(""),
                        l.status
                    )
                };
                if creating == Some(true) {
                    let mut items = Vec::new();
                    for l in &found {
                        items.push((format!("open {}", label(l)), Choice::OpenLead(l.id)));
                        items.push((format!("merge into {}", label(l)), Choice::MergeInto(l.id, l.version)));
                    }
                    items.push(("create a separate lead anyway".to_string(), Choice::CreateAnyway));
                    let note = "An open lead has the same email or phone.";
                    self.popups.push(Popup::Choose(Chooser::new("Possible duplicate", items).with_note(note)));
                    return Vec::new();
                }
                if let Some(Screen::Messages(s)) = self.stack.last() {
                    let Some(m) = s.selected() else { return Vec::new() };
                    let (id, version) = (m.id, m.version);
                    let mut items = Vec::new();
                    for l in &found {
                        items.push((format!("open {}", label(l)), Choice::OpenLead(l.id)));
                        items.push((
                            format!("it is {} — link the message to it", label(l)),
                            Choice::LinkMessage { id, version, lead_id: l.id },
                        ));
                    }
                    items.push(("convert into a separate lead anyway".into(), Choice::ConvertAnyway { id, version }));
                    let note = "An open lead has the same email or phone.";
                    self.popups.push(Popup::Choose(Chooser::new("Possible duplicate", items).with_note(note)));
                    return Vec::new();
                }
                let Some(Screen::Lead(s)) = self.stack.last() else { return Vec::new() };
                let Some(me) = s.detail.as_ref().map(|d| (d.lead.id, d.lead.version)) else { return Vec::new() };
                if found.is_empty() {
                    self.toast("no open lead shares this lead's email, phone or WhatsApp");
                    return Vec::new();
                }
                let items = found
                    .iter()
                    .map(|l| (format!("merge {}", label(l)), Choice::MergeLeads(me, (l.id, l.version))))
                    .collect();
                let note = "The older lead is kept; notes and links move to it; the audit log keeps both.";
                self.popups.push(Popup::Choose(Chooser::new("Merge with…", items).with_note(note)));
                Vec::new()
            }
            Ok(Reply::Exported(n, path)) => {
                self.toast(format!("exported {n} leads to {}", crate::ui::text::inert(&path.display().to_string())));
                Vec::new()
            }
            Ok(Reply::MessageConverted(lead)) => {
                self.toast(format!(
                    "lead #{} {} created from the message",
                    lead.id,
                    crate::ui::text::inert(&lead.full_name)
                ));
                self.reload_current()
            }
            Ok(Reply::MessageSaved) => {
                self.toast("saved");
                self.reload_current()
            }
            Ok(Reply::Assignees(people)) => {
                let Some(Screen::Lead(s)) = self.stack.last() else { return Vec::new() };
                let Some((lead_id, version)) = s.detail.as_ref().map(|d| (d.lead.id, d.lead.version)) else {
                    return Vec::new();
                };
                let mut items = vec![("— unassigned".to_string(), Choice::Assign { lead_id, version, user: None })];
                items.extend(
                    people.into_iter().map(|(id, name)| (name, Choice::Assign { lead_id, version, user: Some(id) })),
                );
                self.popups.push(Popup::Choose(Chooser::new("Assign to…", items)));
                Vec::new()
            }
            Ok(_) => Vec::new(),
        }
    }

    /// A line picked from a pick list.
    pub(super) fn on_choice(&mut self, choice: crate::ui::chooser::Choice) -> Vec<Effect> {
        use crate::backend::OnDuplicate;
        use crate::ui::chooser::Choice;
        match choice {
            Choice::Assign { lead_id, version, user } => {
                let req = Request::AssignLead { id: lead_id, version, user_id: user };
                vec![self.request(Slot::Screen(ScreenId::Lead, crate::ui::screens::lead::LANE_EDIT), req)]
            }
            Choice::OpenLead(id) => {
                self.popups.retain(|p| !matches!(p, Popup::Form(_)));
                self.stack.push(Screen::Lead(Box::new(crate::ui::screens::lead::LeadScreen::new(id))));
                self.reload_current()
            }
            Choice::MergeInto(..) | Choice::CreateAnyway => {
                let how = match choice {
                    Choice::MergeInto(id, version) => OnDuplicate::MergeInto(id, version),
                    _ => OnDuplicate::Create,
                };
                let Some(form) = self.form_mut() else { return Vec::new() };
                match form.submit(how) {
                    Ok(req) => {
                        form.saving = true;
                        vec![self.dialog_request(req)]
                    }
                    Err(why) => {
                        form.error = Some(why);
                        Vec::new()
                    }
                }
            }
            Choice::MergeLeads(a, b) => vec![self.dialog_request(Request::MergeLeads { a, b })],
            Choice::LinkMessage { id, version, lead_id } => {
                vec![self.dialog_request(Request::LinkMessage { id, version, lead_id })]
            }
            Choice::ConvertAnyway { id, version } => {
                vec![self.dialog_request(Request::ConvertMessage { id, version, force: true })]
            }
            Choice::Copy(text) => {
                self.toast(format!("copied {} to your clipboard (OSC 52)", crate::ui::text::inert(&text)));
                vec![Effect::Copy(text)]
            }
        }
    }
}
