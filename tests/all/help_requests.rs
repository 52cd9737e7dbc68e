//! Help requests on both backends: every status move allowed or refused with the
//! allowed ones named, responding (who, when, status, audit row in the same
//! transaction), limits on a response, conflicts, permissions, newest-first keyset
//! pages with tabs, counts and a search where `%` and `_` are literal.

use crate::common::{Team, TestDb, actor, team};
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use staffroom::domain::help_request::{HelpStatus, MAX_RESPONSE_CHARS, RequesterType};
use staffroom::domain::permissions::Roles;
use staffroom_core::store::areas::help_requests::{self as help, HelpRequest, Query};
use staffroom_core::store::audit::{self, Verdict};
use staffroom_core::store::{Actor, Db, StoreError, now};

/// A request as the website leaves it (the TUI never creates one), raised at `at`.
async fn raise(db: &Db, user_id: i64, subject: &str, message: &str, at: DateTime<Utc>) -> HelpRequest {
    let sql = "INSERT INTO help_requests (user_id, subject, message, requester_type, created_at, updated_at) \
               VALUES ($1, $2, $3, 'student', $4, $4) RETURNING id";
    let id: i64 = staffroom_core::with_db!(db, p => {
        sqlx::query_scalar(sql).bind(user_id).bind(subject).bind(message).bind(at).fetch_one(p).await.unwrap()
    });
    help::get(db, id).await.unwrap()
}

async fn student(db: &Db, name: &str) -> Actor {
    actor(db, name, Roles { student: true, ..Roles::VIEWER }).await
}

/// A request raised now by a new student, walked to `status` by staff.
async fn request_at(db: &Db, team: &Team, subject: &str, status: HelpStatus) -> HelpRequest {
    let s = student(db, &format!("Student {subject}")).await;
    let h = raise(db, s.user_id.unwrap(), subject, "Please help.", now()).await;
    match status {
        HelpStatus::Pending => h,
        to => help::set_status(db, &team.staff, h.id, h.version, to).await.unwrap(),
    }
}

fn json(text: &Option<String>) -> Value {
    serde_json::from_str(text.as_deref().unwrap_or("null")).unwrap()
}

async fn audit_count(db: &Db) -> i64 {
    audit::count(db).await.unwrap()
}

crate::on_both!(every_move_is_allowed_or_refused_by_the_table, |t: TestDb| async move {
    let team = team(&t.db).await;
    for &from in HelpStatus::ALL {
        for &to in HelpStatus::ALL {
            let h = request_at(&t.db, &team, &format!("{from}-{to}"), from).await;
            let result = help::set_status(&t.db, &team.staff, h.id, h.version, to).await;
            if from.allowed_moves().contains(&to) {
                let after = result.unwrap();
                assert_eq!((after.status, after.version), (to, h.version + 1), "{from} -> {to}");
                let rows = audit::for_entity(&t.db, "help_request", h.id).await.unwrap();
                let last = rows.last().unwrap();
                assert_eq!((last.action.as_str(), last.actor_id), ("status_change", team.staff.user_id));
                assert_eq!(json(&last.new_values)["status"], to.as_str());
                assert_eq!(json(&last.old_values)["status"], from.as_str());
            } else {
                let err = result.unwrap_err();
                let allowed = from.allowed_moves().iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
                assert!(matches!(err, StoreError::Refused { .. }), "{from} -> {to}: {err}");
                assert_eq!(
                    err.to_string(),
                    format!("a help request cannot move from {from} to {to}; allowed from {from}: {allowed}")
                );
                assert_eq!(help::get(&t.db, h.id).await.unwrap().status, from, "nothing changed");
            }
        }
    }
    // Closing can be undone: closed -> in_progress.
    let h = request_at(&t.db, &team, "reopen", HelpStatus::Closed).await;
    assert_eq!(
        help::set_status(&t.db, &team.admin, h.id, h.version, HelpStatus::InProgress).await.unwrap().status,
        HelpStatus::InProgress
    );
});

crate::on_both!(a_response_stores_who_and_when_and_resolves, |t: TestDb| async move {
    let team = team(&t.db).await;
    let sara = student(&t.db, "Sara Hassan").await;
    let h = raise(&t.db, sara.user_id.unwrap(), "Certificate name", "Can it show my Arabic name?", now()).await;
    assert_eq!(
        (h.requester_name.as_str(), h.requester_email.as_deref()),
        ("Sara Hassan", Some("sara.hassan@test.example"))
    );
    assert_eq!((h.status, h.requester_type, h.response.as_ref()), (HelpStatus::Pending, RequesterType::Student, None));
    let audits = audit_count(&t.db).await;

    let before = now();
    let after = help::respond(&t.db, &team.staff, h.id, h.version, "  Yes: we print both names. سارة حسن  ", None)
        .await
        .unwrap();
    assert_eq!(after.response.as_deref(), Some("Yes: we print both names. سارة حسن"), "trimmed");
    assert_eq!(after.status, HelpStatus::Resolved, "a response resolves by default");
    assert_eq!((after.responded_by, after.responder_name.as_deref()), (team.staff.user_id, Some("Sami Staff")));
    let at = after.responded_at.unwrap();
    assert!(at >= before && at <= now(), "responded_at is now");
    assert_eq!(after.updated_at, at);
    assert_eq!(after.version, h.version + 1);
    assert_eq!(help::get(&t.db, h.id).await.unwrap(), after, "what respond returns is what is stored");

    // Exactly one audit row, written with the change: it holds the stored instant.
    assert_eq!(audit_count(&t.db).await, audits + 1);
    let row = audit::for_entity(&t.db, "help_request", h.id).await.unwrap().pop().unwrap();
    assert_eq!((row.action.as_str(), row.actor_id), ("respond", team.staff.user_id));
    assert!(row.summary.contains("Certificate name") && row.summary.contains("pending -> resolved"), "{}", row.summary);
    let (old, new) = (json(&row.old_values), json(&row.new_values));
    assert_eq!((old["status"].as_str(), old["response"].clone()), (Some("pending"), Value::Null));
    assert_eq!(new["response"], "Yes: we print both names. سارة حسن");
    assert_eq!(new["responded_by"], team.staff.user_id.unwrap());
    let logged: DateTime<Utc> = serde_json::from_value(new["responded_at"].clone()).unwrap();
    assert_eq!(logged, at);
    assert!(matches!(audit::verify(&t.db, &mut |_| {}).await.unwrap(), Verdict::Intact { .. }));

    // A refused response writes neither the request nor an audit row.
    let err = help::respond(&t.db, &team.staff, h.id, h.version, "stale", None).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert_eq!(help::get(&t.db, h.id).await.unwrap(), after);
    assert_eq!(audit_count(&t.db).await, audits + 1);
});

crate::on_both!(a_response_can_choose_another_allowed_status, |t: TestDb| async move {
    let team = team(&t.db).await;
    let h = request_at(&t.db, &team, "recording", HelpStatus::Pending).await;
    let h = help::respond(&t.db, &team.staff, h.id, h.version, "Looking into it.", Some(HelpStatus::InProgress))
        .await
        .unwrap();
    assert_eq!(h.status, HelpStatus::InProgress);
    // A holding answer keeps it in progress; the next answer replaces it.
    let h =
        help::respond(&t.db, &team.admin, h.id, h.version, "Still on it.", Some(HelpStatus::InProgress)).await.unwrap();
    assert_eq!(
        (h.status, h.response.as_deref(), h.responder_name.as_deref()),
        (HelpStatus::InProgress, Some("Still on it."), Some("Amira Admin"))
    );
    let h = help::respond(&t.db, &team.staff, h.id, h.version, "Fixed and closed.", Some(HelpStatus::Closed))
        .await
        .unwrap();
    assert_eq!(h.status, HelpStatus::Closed);

    // From closed a response's default (resolved) is not a move; pending never is.
    let err = help::respond(&t.db, &team.staff, h.id, h.version, "Again", None).await.unwrap_err();
    assert_eq!(err.to_string(), "a help request cannot move from closed to resolved; allowed from closed: in_progress");
    let other = request_at(&t.db, &team, "pending", HelpStatus::InProgress).await;
    let err =
        help::respond(&t.db, &team.staff, other.id, other.version, "x", Some(HelpStatus::Pending)).await.unwrap_err();
    assert!(matches!(err, StoreError::Refused { .. }));
    assert!(err.to_string().contains("allowed from in_progress: in_progress, resolved, closed"), "{err}");
});

crate::on_both!(empty_or_overlong_responses_are_refused, |t: TestDb| async move {
    let team = team(&t.db).await;
    let h = request_at(&t.db, &team, "long", HelpStatus::Pending).await;
    let err = help::respond(&t.db, &team.staff, h.id, h.version, " \n\t ", None).await.unwrap_err();
    assert!(matches!(&err, StoreError::Invalid { field, .. } if field == "response"));
    assert_eq!(err.to_string(), "response: is needed");
    let long = "x".repeat(MAX_RESPONSE_CHARS + 1);
    let err = help::respond(&t.db, &team.staff, h.id, h.version, &long, None).await.unwrap_err();
    assert_eq!(err.to_string(), "response: is 10001 characters long; the limit is 10000");
    let most = "ع".repeat(MAX_RESPONSE_CHARS);
    let h = help::respond(&t.db, &team.staff, h.id, h.version, &most, None).await.unwrap();
    assert_eq!(h.response.unwrap().chars().count(), MAX_RESPONSE_CHARS, "the limit counts characters");
});

crate::on_both!(a_stale_version_names_who_changed_it, |t: TestDb| async move {
    let team = team(&t.db).await;
    let h = request_at(&t.db, &team, "stale", HelpStatus::Pending).await;
    help::set_status(&t.db, &team.admin, h.id, h.version, HelpStatus::InProgress).await.unwrap();
    let err = help::set_status(&t.db, &team.staff, h.id, h.version, HelpStatus::Closed).await.unwrap_err();
    let StoreError::Conflict { by, at, .. } = &err else { panic!("{err}") };
    assert_eq!((by.as_deref(), at.is_some()), (Some("Amira Admin"), true));
    assert!(err.to_string().starts_with("this help request was changed by Amira Admin at "), "{err}");
    let err = help::respond(&t.db, &team.staff, h.id, h.version, "hi", None).await.unwrap_err();
    assert!(err.to_string().contains("changed by Amira Admin"), "{err}");
});

crate::on_both!(viewers_and_instructors_may_not_write, |t: TestDb| async move {
    let team = team(&t.db).await;
    let h = request_at(&t.db, &team, "perm", HelpStatus::Pending).await;
    let audits = audit_count(&t.db).await;
    for who in [&team.viewer, &team.instructor] {
        let err = help::respond(&t.db, who, h.id, h.version, "hi", None).await.unwrap_err();
        assert!(matches!(err, StoreError::Refused { .. }), "{err}");
        assert!(err.to_string().contains("may not edit content"), "{err}");
        let err = help::set_status(&t.db, who, h.id, h.version, HelpStatus::InProgress).await.unwrap_err();
        assert!(matches!(err, StoreError::Refused { .. }), "{err}");
    }
    assert_eq!(help::get(&t.db, h.id).await.unwrap(), h);
    assert_eq!(audit_count(&t.db).await, audits);
    // Staff and admin may.
    let h = help::set_status(&t.db, &team.staff, h.id, h.version, HelpStatus::InProgress).await.unwrap();
    help::respond(&t.db, &team.admin, h.id, h.version, "done", None).await.unwrap();
});

crate::on_both!(pages_walk_newest_first_without_gaps_or_repeats, |t: TestDb| async move {
    let team = team(&t.db).await;
    let s = student(&t.db, "Pager").await;
    let start = now() - Duration::hours(40);
    let mut ids = Vec::new();
    let mut in_progress = Vec::new();
    for i in 0..23 {
        // Three requests share each instant, so the id breaks ties.
        let h = raise(&t.db, s.user_id.unwrap(), &format!("Request {i}"), "text", start + Duration::hours(i / 3)).await;
        if i % 4 == 0 {
            help::set_status(&t.db, &team.staff, h.id, h.version, HelpStatus::InProgress).await.unwrap();
            in_progress.push(h.id);
        }
        ids.push(h.id);
    }
    let newest_first: Vec<i64> = ids.iter().rev().copied().collect();
    for (status, expected) in [
        (None, newest_first.clone()),
        (Some(HelpStatus::InProgress), newest_first.iter().copied().filter(|id| in_progress.contains(id)).collect()),
        (Some(HelpStatus::Pending), newest_first.iter().copied().filter(|id| !in_progress.contains(id)).collect()),
        (Some(HelpStatus::Closed), Vec::new()),
    ] {
        for limit in [1, 4, 5, 23, 100] {
            let query = Query { status, search: None };
            let (mut seen, mut after, mut pages) = (Vec::new(), None, 0);
            loop {
                let page = help::page(&t.db, &query, after, limit).await.unwrap();
                assert!(page.rows.len() as i64 <= limit);
                seen.extend(page.rows.iter().map(|h| h.id));
                pages += 1;
                match page.next {
                    Some(k) => after = Some(k),
                    None => break,
                }
                assert!(pages < 100, "the walk ends");
            }
            assert_eq!(seen, expected, "{status:?} limit {limit}");
        }
    }
    let counts = help::counts(&t.db).await.unwrap();
    assert_eq!(
        counts,
        vec![
            (HelpStatus::Pending, 17),
            (HelpStatus::InProgress, 6),
            (HelpStatus::Resolved, 0),
            (HelpStatus::Closed, 0)
        ]
    );
});

crate::on_both!(search_is_a_case_insensitive_substring_with_literal_wildcards, |t: TestDb| async move {
    let team = team(&t.db).await;
    let nour = student(&t.db, "Nour El-Sayed").await;
    let omar = student(&t.db, "Omar Farouk").await;
    let at = now() - Duration::minutes(10);
    let a = raise(&t.db, nour.user_id.unwrap(), "Refund 100% please", "I dropped out.", at).await;
    let b = raise(&t.db, omar.user_id.unwrap(), "Refund 100 EGP", "Charged twice.", at + Duration::minutes(1)).await;
    let c = raise(&t.db, omar.user_id.unwrap(), "file_name too long", "Upload fails", at + Duration::minutes(2)).await;
    let d = raise(&t.db, nour.user_id.unwrap(), "موعد التسجيل", "متى يبدأ التسجيل؟", at + Duration::minutes(3)).await;
    let e = raise(&t.db, omar.user_id.unwrap(), "filename", "C:\\path\\x", at + Duration::minutes(4)).await;
    let find = |search: &str, status: Option<HelpStatus>| {
        let db = t.db.clone();
        let query = Query { status, search: Some(search.to_string()) };
        async move { help::page(&db, &query, None, 50).await.unwrap().rows.iter().map(|h| h.id).collect::<Vec<_>>() }
    };
    assert_eq!(find("100%", None).await, vec![a.id], "% is literal");
    assert_eq!(find("%", None).await, vec![a.id]);
    assert_eq!(find("file_name", None).await, vec![c.id], "_ is literal");
    assert_eq!(find("\\path", None).await, vec![e.id], "backslash is literal");
    assert_eq!(find("REFUND", None).await, vec![b.id, a.id], "case-insensitive, newest first");
    assert_eq!(find("twice", None).await, vec![b.id], "the message is searched");
    assert_eq!(find("nour el", None).await, vec![d.id, a.id], "the requester's name is searched");
    assert_eq!(find("التسجيل", None).await, vec![d.id]);
    assert_eq!(find("   ", None).await.len(), 5, "a blank search is no search");
    help::set_status(&t.db, &team.staff, b.id, b.version, HelpStatus::Closed).await.unwrap();
    assert_eq!(find("refund", Some(HelpStatus::Pending)).await, vec![a.id], "search within a tab");
    // Paging a search.
    let query = Query { status: None, search: Some("refund".into()) };
    let first = help::page(&t.db, &query, None, 1).await.unwrap();
    assert_eq!(first.rows[0].id, b.id);
    let second = help::page(&t.db, &query, first.next, 1).await.unwrap();
    assert_eq!((second.rows[0].id, second.next), (a.id, None));
});

crate::on_both!(get_shows_the_user_reply_and_who_answered, |t: TestDb| async move {
    let team = team(&t.db).await;
    let h = request_at(&t.db, &team, "projector", HelpStatus::Pending).await;
    let h = help::respond(&t.db, &team.admin, h.id, h.version, "Replaced the cable.", None).await.unwrap();
    let replied = now();
    staffroom_core::with_db!(&t.db, p => {
        sqlx::query("UPDATE help_requests SET user_reply = $2, user_replied_at = $3 WHERE id = $1")
            .bind(h.id)
            .bind("Thanks, works now 👍")
            .bind(replied)
            .execute(p)
            .await
            .unwrap()
            .rows_affected()
    });
    let got = help::get(&t.db, h.id).await.unwrap();
    assert_eq!(got.user_reply.as_deref(), Some("Thanks, works now 👍"));
    assert_eq!(got.user_replied_at, Some(replied));
    assert_eq!(
        (got.responder_name.as_deref(), got.requester_name.as_str()),
        (Some("Amira Admin"), "Student projector")
    );
    let err = help::get(&t.db, 999_999).await.unwrap_err();
    assert_eq!(err.to_string(), "help request #999999 was not found");
});

crate::on_both!(the_demo_has_requests_in_every_status, |t: TestDb| async move {
    staffroom::demo::ensure(&t.db, false).await.unwrap();
    let counts = help::counts(&t.db).await.unwrap();
    assert!(counts.iter().all(|(_, n)| *n > 0), "{counts:?}");
    let rows = help::page(&t.db, &Query::default(), None, 100).await.unwrap().rows;
    assert!(rows.iter().any(|h| h.user_reply.is_some() && h.responder_name.is_some()));
    assert!(rows.iter().any(|h| h.subject.chars().any(|c| ('\u{600}'..='\u{6ff}').contains(&c))), "Arabic text");
    let arabic = Query { status: None, search: Some("التسجيل".into()) };
    assert!(!help::page(&t.db, &arabic, None, 10).await.unwrap().rows.is_empty());
});
