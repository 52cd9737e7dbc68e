//! Contact messages on both backends: newest-first pages with a status filter, every
//! status move, conflicts, conversion into a lead with the duplicate check, linking,
//! and permissions enforced by the store.

use crate::common::{TestDb, team};
use chrono::{DateTime, Duration, Utc};
use staffroom::domain::lead::LeadStatus;
use staffroom::domain::message::MessageStatus;
use staffroom_core::store::audit::{self, Verdict};
use staffroom_core::store::contact_messages::{self as messages, ContactMessage, Converted};
use staffroom_core::store::leads::{self, NewLead};
use staffroom_core::store::{Actor, Db, StoreError};

/// A message as the website's form leaves it (not through the store: the TUI never
/// creates messages), received at `at`.
pub(crate) async fn receive(
    db: &Db,
    name: &str,
    email: Option<&str>,
    phone: Option<&str>,
    at: DateTime<Utc>,
) -> ContactMessage {
    let sql = "INSERT INTO contact_messages (name, email, phone, subject, message, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id";
    let (subject, text) = ("Pricing", format!("Hello, I am {name}. How much is mentorship?"));
    let id: i64 = staffroom_core::with_db!(db, p => {
        sqlx::query_scalar(sql)
            .bind(name)
            .bind(email)
            .bind(phone)
            .bind(subject)
            .bind(&text)
            .bind(at)
            .fetch_one(p)
            .await
            .unwrap()
    });
    messages::get(db, id).await.unwrap()
}

/// A message received now with an email derived from the name.
async fn message(db: &Db, name: &str) -> ContactMessage {
    let email = format!("{}@example.org", name.to_lowercase());
    receive(db, name, Some(&email), None, staffroom_core::store::now()).await
}

/// Walks a new message to `status` through allowed moves.
async fn message_at(db: &Db, staff: &Actor, name: &str, status: MessageStatus) -> ContactMessage {
    let m = message(db, name).await;
    match status {
        MessageStatus::New => m,
        to => messages::set_status(db, staff, m.id, m.version, to).await.unwrap(),
    }
}

async fn lead_count(db: &Db) -> i64 {
    staffroom_core::store::board::count_by_status(db).await.unwrap().iter().map(|(_, n)| n).sum()
}

crate::on_both!(pages_are_newest_first_with_a_status_filter, |t: TestDb| async move {
    let team = team(&t.db).await;
    let start = staffroom_core::store::now() - Duration::hours(30);
    let (mut ids, mut resolved) = (Vec::new(), Vec::new());
    for i in 0..11 {
        // Two messages share each instant, so the id breaks the tie.
        let at = start + Duration::hours(i / 2);
        let m = receive(&t.db, &format!("M{i}"), Some(&format!("m{i}@example.org")), None, at).await;
        if i % 3 == 0 {
            messages::set_status(&t.db, &team.staff, m.id, m.version, MessageStatus::Resolved).await.unwrap();
            resolved.push(m.id);
        }
        ids.push(m.id);
    }
    let counts = messages::counts(&t.db).await.unwrap();
    assert_eq!(counts, vec![(MessageStatus::New, 7), (MessageStatus::InProgress, 0), (MessageStatus::Resolved, 4)]);

    for (status, expected) in [
        (None, ids.iter().rev().copied().collect::<Vec<_>>()),
        (Some(MessageStatus::New), ids.iter().rev().copied().filter(|id| !resolved.contains(id)).collect()),
        (Some(MessageStatus::Resolved), ids.iter().rev().copied().filter(|id| resolved.contains(id)).collect()),
        (Some(MessageStatus::InProgress), vec![]),
    ] {
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let page = messages::page(&t.db, status, after, 3).await.unwrap();
            assert!(page.rows.len() <= 3);
            assert!(page.rows.iter().all(|m| status.is_none_or(|s| m.state() == s)));
            seen.extend(page.rows.iter().map(|m| m.id));
            match page.next {
                Some(k) => after = Some(k),
                None => break,
            }
        }
        assert_eq!(seen, expected, "{status:?}: newest first, each message once");
    }
});

crate::on_both!(every_status_move_is_allowed_or_refused, |t: TestDb| async move {
    let team = team(&t.db).await;
    let mut n = 0;
    for &from in MessageStatus::ALL {
        for &to in MessageStatus::ALL {
            n += 1;
            let m = message_at(&t.db, &team.staff, &format!("S{n}"), from).await;
            let legal = from.allowed_moves().contains(&to);
            let result = messages::set_status(&t.db, &team.staff, m.id, m.version, to).await;
            let stored = messages::get(&t.db, m.id).await.unwrap();
            match result {
                Ok(after) => {
                    assert!(legal, "{from} -> {to} was accepted");
                    assert_eq!(after, stored);
                    assert_eq!(stored.state(), to);
                    assert_eq!(stored.version, m.version + 1);
                    assert_eq!(stored.resolved_at.is_some(), to == MessageStatus::Resolved, "{from} -> {to}");
                    let row = audit::for_entity(&t.db, "contact_message", m.id).await.unwrap().pop().unwrap();
                    assert_eq!(row.action, "status_change");
                    assert!(row.summary.contains(&format!("from {from} to {to}")), "{}", row.summary);
                }
                Err(StoreError::Refused { reason }) => {
                    assert!(!legal, "{from} -> {to} was refused: {reason}");
                    let allowed: Vec<&str> = from.allowed_moves().iter().map(|s| s.as_str()).collect();
                    assert!(reason.contains(&format!("allowed from {from}: {}", allowed.join(", "))), "{reason}");
                    assert_eq!(stored, m, "a refused move changes nothing");
                }
                Err(other) => panic!("{from} -> {to}: unexpected {other:?}"),
            }
        }
    }
});

crate::on_both!(reopening_clears_resolved_at, |t: TestDb| async move {
    let team = team(&t.db).await;
    let m = message_at(&t.db, &team.staff, "Reopened", MessageStatus::Resolved).await;
    assert!(m.resolved_at.is_some());
    let m = messages::set_status(&t.db, &team.staff, m.id, m.version, MessageStatus::InProgress).await.unwrap();
    assert_eq!(m.resolved_at, None);
    let m = messages::set_status(&t.db, &team.staff, m.id, m.version, MessageStatus::Resolved).await.unwrap();
    assert!(m.resolved_at.is_some());
});

crate::on_both!(a_stale_version_is_a_conflict_naming_who_changed_it, |t: TestDb| async move {
    let team = team(&t.db).await;
    let m = message(&t.db, "Contested").await;
    messages::set_status(&t.db, &team.admin, m.id, m.version, MessageStatus::InProgress).await.unwrap();
    let stored = messages::get(&t.db, m.id).await.unwrap();
    let before_leads = lead_count(&t.db).await;
    let stale = [
        messages::set_status(&t.db, &team.staff, m.id, m.version, MessageStatus::Resolved).await.map(|_| ()),
        messages::convert(&t.db, &team.staff, m.id, m.version, true).await.map(|_| ()),
    ];
    for err in stale {
        let err = err.unwrap_err();
        match &err {
            StoreError::Conflict { by, at, .. } => {
                assert_eq!(by.as_deref(), Some("Amira Admin"));
                assert!(at.is_some());
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
        assert!(err.to_string().contains("this contact message was changed by Amira Admin"), "{err}");
    }
    assert_eq!(messages::get(&t.db, m.id).await.unwrap(), stored, "nothing overwritten");
    assert_eq!(lead_count(&t.db).await, before_leads, "no lead from a stale convert");
});

crate::on_both!(convert_creates_a_linked_contact_form_lead_in_one_transaction, |t: TestDb| async move {
    let team = team(&t.db).await;
    let m =
        receive(&t.db, "Nadia", Some(" Nadia@Example.ORG "), Some("+20 100 555 1234"), staffroom_core::store::now())
            .await;
    let audit_before = audit::count(&t.db).await.unwrap();
    let Converted::Lead(lead) = messages::convert(&t.db, &team.staff, m.id, m.version, false).await.unwrap() else {
        panic!("no duplicates exist");
    };
    assert_eq!(lead.source, "contact_form");
    assert_eq!(lead.lead_type, "other");
    assert_eq!(lead.full_name, "Nadia");
    assert_eq!(lead.email.as_deref(), Some("nadia@example.org"), "stored normalised");
    assert_eq!(lead.phone.as_deref(), Some("+201005551234"));
    assert_eq!(lead.message.as_deref(), Some("Pricing\n\nHello, I am Nadia. How much is mentorship?"));
    assert_eq!(lead.stage(), LeadStatus::New);
    assert_eq!(lead.budget_estimate, None);
    assert_eq!(leads::get(&t.db, lead.id).await.unwrap(), lead);

    let after = messages::get(&t.db, m.id).await.unwrap();
    assert_eq!(after.lead_id, Some(lead.id));
    assert_eq!(after.state(), MessageStatus::InProgress, "a new message is being handled once converted");
    assert_eq!(after.version, m.version + 1);

    // Two audit rows, next to each other in the chain: the lead, then the message.
    assert_eq!(audit::count(&t.db).await.unwrap(), audit_before + 2);
    let lead_row = audit::for_entity(&t.db, "lead", lead.id).await.unwrap();
    let msg_row = audit::for_entity(&t.db, "contact_message", m.id).await.unwrap();
    assert_eq!((lead_row.len(), msg_row.len()), (1, 1));
    assert_eq!(lead_row[0].action, "create");
    assert_eq!(msg_row[0].action, "convert");
    assert_eq!(msg_row[0].id, lead_row[0].id + 1);
    assert_eq!(msg_row[0].actor_id, team.staff.user_id);
    assert!(msg_row[0].summary.contains(&format!("lead #{}", lead.id)), "{}", msg_row[0].summary);
    assert!(msg_row[0].new_values.as_deref().unwrap().contains(&format!("\"lead_id\":{}", lead.id)));
    assert!(matches!(audit::verify(&t.db, &mut |_| {}).await.unwrap(), Verdict::Intact { .. }));

    // A resolved message stays resolved when converted.
    let r = message_at(&t.db, &team.staff, "Late", MessageStatus::Resolved).await;
    let Converted::Lead(_) = messages::convert(&t.db, &team.admin, r.id, r.version, false).await.unwrap() else {
        panic!("no duplicates exist");
    };
    let r2 = messages::get(&t.db, r.id).await.unwrap();
    assert_eq!((r2.state(), r2.resolved_at), (MessageStatus::Resolved, r.resolved_at));
});

crate::on_both!(a_failed_convert_writes_nothing, |t: TestDb| async move {
    let team = team(&t.db).await;
    // The form let through an email that is no email: the lead would break BR-05 rules.
    let m = receive(&t.db, "Typo", Some("typo-at-example.org"), None, staffroom_core::store::now()).await;
    let audit_before = audit::count(&t.db).await.unwrap();
    let err = messages::convert(&t.db, &team.staff, m.id, m.version, true).await.unwrap_err();
    assert!(matches!(&err, StoreError::Invalid { field, .. } if field == "email"), "{err:?}");
    assert_eq!(messages::get(&t.db, m.id).await.unwrap(), m);
    assert_eq!(lead_count(&t.db).await, 0);
    assert_eq!(audit::count(&t.db).await.unwrap(), audit_before);
});

crate::on_both!(convert_warns_on_duplicates_and_changes_nothing_until_forced, |t: TestDb| async move {
    let team = team(&t.db).await;
    let existing = NewLead {
        full_name: "Omar".into(),
        email: Some("omar@example.org".into()),
        phone: Some("+20 100 123 4567".into()),
        ..NewLead::default()
    };
    let existing = leads::create(&t.db, &team.staff, existing).await.unwrap();
    let now = staffroom_core::store::now();
    // Same person, written differently: spaces and dashes, Arabic-Indic digits, case.
    let by_spaces = receive(&t.db, "Omar A.", None, Some("0020 100-123 4567"), now).await;
    let by_arabic = receive(&t.db, "عمر", None, Some("+٢٠١٠٠١٢٣٤٥٦٧"), now).await;
    let by_email = receive(&t.db, "Omar", Some(" OMAR@example.org"), Some("+44 20 7946 0000"), now).await;
    for m in [&by_spaces, &by_arabic, &by_email] {
        let leads_before = lead_count(&t.db).await;
        let audit_before = audit::count(&t.db).await.unwrap();
        match messages::convert(&t.db, &team.staff, m.id, m.version, false).await.unwrap() {
            Converted::Duplicates(d) => {
                assert_eq!(d.iter().map(|l| l.id).collect::<Vec<_>>(), vec![existing.id], "{}", m.name)
            }
            Converted::Lead(l) => panic!("{}: created lead #{} despite a duplicate", m.name, l.id),
        }
        assert_eq!(messages::get(&t.db, m.id).await.unwrap(), *m, "a warning changes nothing");
        assert_eq!(lead_count(&t.db).await, leads_before);
        assert_eq!(audit::count(&t.db).await.unwrap(), audit_before);
    }

    // The user says "it is someone else": force creates a second lead.
    let Converted::Lead(lead) =
        messages::convert(&t.db, &team.staff, by_spaces.id, by_spaces.version, true).await.unwrap()
    else {
        panic!("force never warns");
    };
    assert_ne!(lead.id, existing.id);
    assert_eq!(lead.phone.as_deref(), Some("+201001234567"));
    assert_eq!(messages::get(&t.db, by_spaces.id).await.unwrap().lead_id, Some(lead.id));

    // "It is lead X": link instead of converting.
    let linked =
        messages::link_to_lead(&t.db, &team.staff, by_arabic.id, by_arabic.version, existing.id).await.unwrap();
    assert_eq!(linked.lead_id, Some(existing.id));
    assert_eq!(linked.state(), MessageStatus::InProgress);
    assert_eq!(linked.version, by_arabic.version + 1);
    let row = audit::for_entity(&t.db, "contact_message", by_arabic.id).await.unwrap().pop().unwrap();
    assert_eq!(row.action, "link");
    assert!(row.summary.contains(&format!("lead #{}", existing.id)), "{}", row.summary);

    // A closed lead is not a duplicate.
    leads::move_to(
        &t.db,
        &team.staff,
        existing.id,
        existing.version,
        LeadStatus::ClosedLost,
        &staffroom::domain::lead::MoveInput { lost_reason: Some("price".into()), ..Default::default() },
    )
    .await
    .unwrap();
    assert!(matches!(
        messages::convert(&t.db, &team.staff, by_email.id, by_email.version, false).await.unwrap(),
        Converted::Lead(_)
    ));
});

crate::on_both!(converting_or_linking_twice_is_refused, |t: TestDb| async move {
    let team = team(&t.db).await;
    let m = message(&t.db, "Twice").await;
    let Converted::Lead(lead) = messages::convert(&t.db, &team.staff, m.id, m.version, false).await.unwrap() else {
        panic!("no duplicates exist");
    };
    let m = messages::get(&t.db, m.id).await.unwrap();
    let leads_before = lead_count(&t.db).await;
    let again = [
        messages::convert(&t.db, &team.staff, m.id, m.version, true).await.map(|_| ()),
        messages::convert(&t.db, &team.staff, m.id, m.version, false).await.map(|_| ()),
        messages::link_to_lead(&t.db, &team.staff, m.id, m.version, lead.id).await.map(|_| ()),
    ];
    for err in again {
        let err = err.unwrap_err();
        assert!(matches!(err, StoreError::Refused { .. }), "{err:?}");
        assert!(err.to_string().contains(&format!("already linked to lead #{}", lead.id)), "{err}");
    }
    assert_eq!(messages::get(&t.db, m.id).await.unwrap(), m);
    assert_eq!(lead_count(&t.db).await, leads_before);

    // Linking to a lead that does not exist is refused too.
    let other = message(&t.db, "Orphan").await;
    let err = messages::link_to_lead(&t.db, &team.staff, other.id, other.version, 9_999).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
    assert_eq!(messages::get(&t.db, other.id).await.unwrap(), other);
});

crate::on_both!(viewers_and_instructors_cannot_change_messages, |t: TestDb| async move {
    let team = team(&t.db).await;
    let m = message(&t.db, "Guarded").await;
    let lead = leads::create(
        &t.db,
        &team.staff,
        NewLead { full_name: "Target".into(), email: Some("target@example.org".into()), ..NewLead::default() },
    )
    .await
    .unwrap();
    let audit_before = audit::count(&t.db).await.unwrap();
    for who in [&team.viewer, &team.instructor] {
        let attempts = [
            messages::set_status(&t.db, who, m.id, m.version, MessageStatus::InProgress).await.map(|_| ()),
            messages::convert(&t.db, who, m.id, m.version, true).await.map(|_| ()),
            messages::convert(&t.db, who, m.id, m.version, false).await.map(|_| ()),
            messages::link_to_lead(&t.db, who, m.id, m.version, lead.id).await.map(|_| ()),
        ];
        for err in attempts {
            let err = err.unwrap_err();
            assert!(matches!(err, StoreError::Refused { .. }), "{err:?}");
            assert!(err.to_string().contains("may not edit leads"), "{err}");
        }
    }
    assert_eq!(messages::get(&t.db, m.id).await.unwrap(), m);
    assert_eq!(lead_count(&t.db).await, 1);
    assert_eq!(audit::count(&t.db).await.unwrap(), audit_before);
});
