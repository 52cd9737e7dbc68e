//! Lost updates: N editors save the same version of one record at once. Exactly
//! one write lands; every other is refused as a conflict naming who changed it,
//! and nothing is overwritten silently — on both backends.

use crate::common::{TestDb, actor};
use staffroom::domain::permissions::Roles;
use staffroom::store::StoreError;
use staffroom::store::case_studies::{self, CaseStudyFields};
use staffroom::store::posts::{self, PostDraft};

const EDITORS: usize = 8;

crate::on_both!(eight_editors_of_one_post_one_lands_the_rest_are_named_conflicts, |t: TestDb| async move {
    let mut editors = Vec::new();
    for i in 0..EDITORS {
        editors.push(actor(&t.db, &format!("Editor {i}"), Roles::STAFF).await);
    }
    let p = posts::save(
        &t.db,
        &editors[0],
        None,
        PostDraft { title: "Shared".into(), content: "v1".into(), ..Default::default() },
    )
    .await
    .unwrap();
    let mut tasks = Vec::new();
    for (i, who) in editors.into_iter().enumerate() {
        let (db, id, version) = (t.db.clone(), p.row.id, p.row.version);
        let draft = PostDraft { content: format!("written by editor {i}"), ..p.draft() };
        tasks.push(tokio::spawn(async move { (i, posts::save(&db, &who, Some((id, version)), draft).await) }));
    }
    let mut landed = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            (i, Ok(_)) => landed.push(i),
            (_, Err(e @ StoreError::Conflict { .. })) => {
                assert!(e.to_string().contains("changed by Editor "), "the conflict names the writer: {e}");
            }
            (i, Err(e)) => panic!("editor {i}: {e}"),
        }
    }
    assert_eq!(landed.len(), 1, "exactly one save lands: {landed:?}");
    let stored = posts::get(&t.db, p.row.id).await.unwrap();
    assert_eq!(stored.content, format!("written by editor {}", landed[0]), "the stored text is the one that landed");
    assert_eq!(stored.row.version, p.row.version + 1);
    let audited: i64 = staffroom::with_db!(&t.db, c => sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'post' AND action = 'update'").fetch_one(c).await.unwrap());
    assert_eq!(audited, 1, "one audit row for the one write");
});

crate::on_both!(eight_editors_of_one_case_study_one_lands, |t: TestDb| async move {
    let mut editors = Vec::new();
    for i in 0..EDITORS {
        editors.push(actor(&t.db, &format!("Writer {i}"), Roles::STAFF).await);
    }
    let base = CaseStudyFields {
        title: "Shared case".into(),
        project_type: "mvp".into(),
        client_type: "student".into(),
        ..Default::default()
    };
    let c = case_studies::save(&t.db, &editors[0], None, base.clone()).await.unwrap();
    let mut tasks = Vec::new();
    for (i, who) in editors.into_iter().enumerate() {
        let (db, id, version) = (t.db.clone(), c.row.id, c.row.version);
        let fields = CaseStudyFields { subtitle: Some(format!("by writer {i}")), ..base.clone() };
        tasks.push(tokio::spawn(async move { (i, case_studies::save(&db, &who, Some((id, version)), fields).await) }));
    }
    let mut landed = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            (i, Ok(_)) => landed.push(i),
            (_, Err(e @ StoreError::Conflict { .. })) => {
                assert!(e.to_string().contains("changed by Writer "), "{e}");
            }
            (i, Err(e)) => panic!("writer {i}: {e}"),
        }
    }
    assert_eq!(landed.len(), 1, "{landed:?}");
    let stored = case_studies::get(&t.db, c.row.id).await.unwrap();
    assert_eq!(stored.row.subtitle, Some(format!("by writer {}", landed[0])));
});
