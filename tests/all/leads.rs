//! Leads on both backends: BR-05 contact rule, BR-06 pipeline moves, notes,
//! permissions, optimistic concurrency and keyset pages.

use crate::common::{TestDb, team};
use staffroom::domain::lead::{LeadStatus, MoveInput, NoteType};
use staffroom_core::store::leads::{self, Lead, NewLead};
use staffroom_core::store::{Actor, Db, StoreError};

fn new_lead(name: &str) -> NewLead {
    NewLead {
        full_name: name.into(),
        email: Some(format!("{}@example.org", name.to_lowercase())),
        ..NewLead::default()
    }
}

fn lost() -> MoveInput {
    MoveInput { lost_reason: Some("price".into()), ..MoveInput::default() }
}

/// Walks a new lead to `stage` through legal moves (as an admin, who may reopen).
async fn lead_at(db: &Db, admin: &Actor, name: &str, stage: LeadStatus) -> Lead {
    use LeadStatus::*;
    let path: &[LeadStatus] = match stage {
        New => &[],
        Contacted => &[Contacted],
        Qualified => &[Contacted, Qualified],
        ProposalSent => &[Contacted, Qualified, ProposalSent],
        Nurturing => &[Contacted, Nurturing],
        ClosedWon => &[Contacted, Qualified, ProposalSent, ClosedWon],
        ClosedLost => &[ClosedLost],
    };
    let mut lead = leads::create(db, admin, new_lead(name)).await.unwrap();
    for to in path {
        lead = leads::move_to(db, admin, lead.id, lead.version, *to, &lost()).await.unwrap();
    }
    assert_eq!(lead.stage(), stage);
    lead
}

crate::on_both!(every_pipeline_move_is_allowed_or_refused_as_br06_says, |t: TestDb| async move {
    let team = team(&t.db).await;
    let mut n = 0;
    for &from in LeadStatus::ALL {
        for &to in LeadStatus::ALL {
            n += 1;
            let lead = lead_at(&t.db, &team.admin, &format!("Lead{n}"), from).await;
            let legal = from.allowed_moves(false).contains(&to);
            let result = leads::move_to(&t.db, &team.staff, lead.id, lead.version, to, &lost()).await;
            let stored = leads::get(&t.db, lead.id).await.unwrap();
            match result {
                Ok(after) => {
                    assert!(legal, "{from} -> {to} was accepted");
                    assert_eq!(stored.stage(), to);
                    assert_eq!(after.version, lead.version + 1);
                }
                Err(StoreError::Refused { reason }) => {
                    assert!(!legal, "{from} -> {to} was refused: {reason}");
                    assert_eq!(stored.stage(), from, "a refused move changes nothing");
                    assert_eq!(stored.version, lead.version);
                    let allowed: Vec<String> = from.allowed_moves(false).iter().map(|s| s.to_string()).collect();
                    if allowed.is_empty() {
                        assert!(reason.contains("admin-only") || reason.contains("none"), "{reason}");
                    } else {
                        assert!(reason.contains(&allowed.join(", ")), "refusal names the allowed moves: {reason}");
                    }
                }
                Err(other) => panic!("{from} -> {to}: unexpected {other:?}"),
            }
        }
    }
});

crate::on_both!(reopening_a_closed_lead_is_admin_only, |t: TestDb| async move {
    let team = team(&t.db).await;
    for stage in [LeadStatus::ClosedWon, LeadStatus::ClosedLost] {
        let lead = lead_at(&t.db, &team.admin, &format!("Closed{stage}"), stage).await;
        let err =
            leads::move_to(&t.db, &team.staff, lead.id, lead.version, LeadStatus::Contacted, &MoveInput::default())
                .await
                .unwrap_err();
        assert!(err.to_string().contains("admin-only"), "{err}");
        let reopened =
            leads::move_to(&t.db, &team.admin, lead.id, lead.version, LeadStatus::Contacted, &MoveInput::default())
                .await
                .unwrap();
        assert_eq!(reopened.stage(), LeadStatus::Contacted);
        assert_eq!(reopened.converted_at, None, "a reopened lead is no longer converted");
        assert_eq!(reopened.lost_reason, None);
    }
});

crate::on_both!(closing_sets_converted_at_or_needs_a_reason, |t: TestDb| async move {
    let team = team(&t.db).await;
    let won = lead_at(&t.db, &team.admin, "Winner", LeadStatus::ClosedWon).await;
    assert!(won.converted_at.is_some(), "closed_won sets converted_at");

    let lead = lead_at(&t.db, &team.admin, "Loser", LeadStatus::Qualified).await;
    let err = leads::move_to(&t.db, &team.staff, lead.id, lead.version, LeadStatus::ClosedLost, &MoveInput::default())
        .await
        .unwrap_err();
    assert!(matches!(&err, StoreError::Invalid { field, .. } if field == "lost reason"), "{err:?}");
    assert_eq!(leads::get(&t.db, lead.id).await.unwrap().stage(), LeadStatus::Qualified);
    let closed =
        leads::move_to(&t.db, &team.staff, lead.id, lead.version, LeadStatus::ClosedLost, &lost()).await.unwrap();
    assert_eq!(closed.lost_reason.as_deref(), Some("price"));
});

crate::on_both!(a_lead_needs_one_way_to_reach_them, |t: TestDb| async move {
    let team = team(&t.db).await;
    let none = NewLead { full_name: "Ghost".into(), ..NewLead::default() };
    let err = leads::create(&t.db, &team.staff, none).await.unwrap_err();
    assert!(err.to_string().contains("at least one of email, phone or WhatsApp"), "{err}");
    let blank = NewLead { full_name: "Ghost".into(), email: Some("  ".into()), ..NewLead::default() };
    assert!(leads::create(&t.db, &team.staff, blank).await.is_err());
    let bad_phone = NewLead { full_name: "Ghost".into(), phone: Some("12".into()), ..NewLead::default() };
    let err = leads::create(&t.db, &team.staff, bad_phone).await.unwrap_err();
    assert!(matches!(&err, StoreError::Invalid { field, .. } if field == "phone"), "{err:?}");
    let wa = NewLead { full_name: "Ok".into(), whatsapp: Some("+20 100 123 4567".into()), ..NewLead::default() };
    let lead = leads::create(&t.db, &team.staff, wa).await.unwrap();
    assert_eq!(lead.whatsapp.as_deref(), Some("+201001234567"), "stored normalised");
    // The database refuses it too, should a future code path forget the rule.
    let raw = "INSERT INTO leads (full_name, created_at, updated_at) VALUES ('x', $1, $1)";
    let now = staffroom_core::store::now();
    let res = match &t.db {
        Db::Sqlite(p) => sqlx::query(raw).bind(now).execute(p).await.map(|_| ()),
        Db::Postgres(p) => sqlx::query(raw).bind(now).execute(p).await.map(|_| ()),
    };
    assert!(res.is_err(), "CHECK constraint enforces BR-05");
});

crate::on_both!(contact_notes_update_last_contact_but_general_notes_do_not, |t: TestDb| async move {
    let team = team(&t.db).await;
    let lead = leads::create(&t.db, &team.staff, new_lead("Noted")).await.unwrap();
    leads::add_note(&t.db, &team.staff, lead.id, NoteType::General, "internal remark").await.unwrap();
    let after_general = leads::get(&t.db, lead.id).await.unwrap();
    assert_eq!(after_general.last_contact_at, None);
    let note = leads::add_note(&t.db, &team.staff, lead.id, NoteType::Call, "called, interested").await.unwrap();
    let after_call = leads::get(&t.db, lead.id).await.unwrap();
    assert_eq!(after_call.last_contact_at, Some(note.created_at));
    assert_eq!(after_call.version, lead.version, "a note is not an edit of the lead");
    assert!(leads::add_note(&t.db, &team.staff, lead.id, NoteType::Call, "  ").await.is_err());
});

crate::on_both!(viewers_and_instructors_cannot_touch_leads, |t: TestDb| async move {
    let team = team(&t.db).await;
    let lead = leads::create(&t.db, &team.staff, new_lead("Guarded")).await.unwrap();
    for who in [&team.viewer, &team.instructor] {
        let err = leads::move_to(&t.db, who, lead.id, lead.version, LeadStatus::Contacted, &MoveInput::default())
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Refused { .. }), "{err:?}");
        assert!(err.to_string().contains("may not edit leads"), "{err}");
        assert!(leads::create(&t.db, who, new_lead("Nope")).await.is_err());
        assert!(leads::add_note(&t.db, who, lead.id, NoteType::Call, "hi").await.is_err());
    }
    assert_eq!(leads::get(&t.db, lead.id).await.unwrap().version, lead.version);
});

crate::on_both!(a_stale_version_is_a_conflict_naming_who_changed_it, |t: TestDb| async move {
    let team = team(&t.db).await;
    let lead = leads::create(&t.db, &team.staff, new_lead("Contested")).await.unwrap();
    leads::move_to(&t.db, &team.admin, lead.id, lead.version, LeadStatus::Contacted, &MoveInput::default())
        .await
        .unwrap();
    let err =
        leads::move_to(&t.db, &team.staff, lead.id, lead.version, LeadStatus::ClosedLost, &lost()).await.unwrap_err();
    match &err {
        StoreError::Conflict { by, at, .. } => {
            assert_eq!(by.as_deref(), Some("Amira Admin"));
            assert!(at.is_some());
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(err.to_string().contains("changed by Amira Admin"), "{err}");
    assert_eq!(leads::get(&t.db, lead.id).await.unwrap().stage(), LeadStatus::Contacted, "nothing overwritten");
});

crate::on_both!(counts_and_keyset_pages_cover_every_lead_once, |t: TestDb| async move {
    let team = team(&t.db).await;
    for i in 0..23 {
        let lead = leads::create(&t.db, &team.staff, new_lead(&format!("P{i}"))).await.unwrap();
        if i % 3 == 0 {
            leads::move_to(&t.db, &team.staff, lead.id, lead.version, LeadStatus::Contacted, &MoveInput::default())
                .await
                .unwrap();
        }
    }
    let counts = staffroom_core::store::board::count_by_status(&t.db).await.unwrap();
    assert_eq!(counts.len(), LeadStatus::ALL.len());
    assert_eq!(counts[0], (LeadStatus::New, 15));
    assert_eq!(counts[1], (LeadStatus::Contacted, 8));
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = staffroom_core::store::board::page_by_status(&t.db, LeadStatus::New, after, 4).await.unwrap();
        assert!(page.rows.len() <= 4);
        seen.extend(page.rows.iter().map(|l| (l.updated_at, l.id)));
        match page.next {
            Some(k) => after = Some(k),
            None => break,
        }
    }
    assert_eq!(seen.len(), 15, "every lead exactly once");
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, sorted, "newest first");
    sorted.dedup();
    assert_eq!(sorted.len(), 15);
});

crate::on_both!(duplicates_match_normalised_contacts_of_open_leads, |t: TestDb| async move {
    let team = team(&t.db).await;
    let a = NewLead {
        full_name: "Dup".into(),
        email: Some("Dup@Example.org".into()),
        phone: Some("+20 100 000 1111".into()),
        ..NewLead::default()
    };
    let lead = leads::create(&t.db, &team.staff, a).await.unwrap();
    let by_email = leads::find_duplicates(&t.db, Some(" dup@example.ORG "), None).await.unwrap();
    assert_eq!(by_email.iter().map(|l| l.id).collect::<Vec<_>>(), vec![lead.id]);
    let by_phone = leads::find_duplicates(&t.db, None, Some("0020 100 000 1111")).await.unwrap();
    assert_eq!(by_phone.len(), 1);
    leads::move_to(&t.db, &team.staff, lead.id, lead.version, LeadStatus::ClosedLost, &lost()).await.unwrap();
    assert!(
        leads::find_duplicates(&t.db, Some("dup@example.org"), None).await.unwrap().is_empty(),
        "closed leads are not duplicates"
    );
});

crate::on_both!(undo_is_the_exact_reverse_of_my_own_last_moves_only, |t: TestDb| async move {
    use staffroom_core::store::lead_undo::undo_move;
    let team = team(&t.db).await;
    let (staff, admin) = (team.staff.clone(), team.admin.clone());
    // Staff closes a proposal as lost, then undoes: the reason goes, the stage returns,
    // although the forward machine never moves closed_lost back to proposal_sent.
    let l = lead_at(&t.db, &staff, "Undone", LeadStatus::ProposalSent).await;
    let closed = leads::move_to(&t.db, &staff, l.id, l.version, LeadStatus::ClosedLost, &lost()).await.unwrap();
    let back = undo_move(&t.db, &staff, l.id, closed.version, LeadStatus::ProposalSent).await.unwrap();
    assert_eq!((back.stage(), back.lost_reason.as_deref()), (LeadStatus::ProposalSent, None));
    assert_eq!(back.version, closed.version + 1, "versioned");
    // The move before it is next (the undo paired with the close), then none.
    let back = undo_move(&t.db, &staff, l.id, back.version, LeadStatus::Qualified).await.unwrap();
    assert_eq!(back.stage(), LeadStatus::Qualified);
    // A stale version is a conflict; someone else's move is not mine to undo.
    let err = undo_move(&t.db, &staff, l.id, closed.version, LeadStatus::Contacted).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    let theirs = leads::move_to(&t.db, &admin, l.id, back.version, LeadStatus::ProposalSent, &lost()).await.unwrap();
    let err = undo_move(&t.db, &staff, l.id, theirs.version, LeadStatus::Qualified).await.unwrap_err();
    assert!(err.to_string().contains("only your own last move"), "{err}");
    let trail = staffroom_core::store::audit::for_entity(&t.db, "lead", l.id).await.unwrap();
    assert_eq!(trail.iter().filter(|r| r.action == "undo").count(), 2, "each undo audited as one");
});
