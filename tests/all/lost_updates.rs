//! The security suite's content half: lost updates (N editors save the same
//! version of one record at once — exactly one write lands, every other is refused
//! as a conflict naming who changed it, nothing is overwritten silently) and
//! hostile or huge values in the content forms — on both backends.

use crate::common::{TestDb, actor};
use staffroom::domain::permissions::Roles;
use staffroom_core::store::StoreError;
use staffroom_core::store::areas::case_studies::{self, CaseStudyFields};
use staffroom_core::store::posts::{self, PostDraft};

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
    let audited: i64 = staffroom_core::with_db!(&t.db, c => sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity_type = 'post' AND action = 'update'").fetch_one(c).await.unwrap());
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

// Hostile text in every field the content forms write: escape sequences, bidi
// overrides and SQL metacharacters are stored as typed; a 10 MB string is refused
// naming the limit; nothing is built into SQL.
crate::on_both!(hostile_and_huge_values_in_the_content_forms, |t: TestDb| async move {
    let sami = actor(&t.db, "Sami Staff", Roles::STAFF).await;
    let hostile = "x'); DROP TABLE posts; -- \u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7} \u{202e}txt.exe %_\\";
    let huge = "a".repeat(10 * 1024 * 1024);
    let p = posts::save(
        &t.db,
        &sami,
        None,
        PostDraft {
            title: hostile.into(),
            excerpt: Some(hostile.into()),
            content: hostile.into(),
            tags: vec![hostile.chars().take(50).collect()],
            seo_title: Some(hostile.into()),
            seo_description: Some(hostile.into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let stored = posts::get(&t.db, p.row.id).await.unwrap();
    assert_eq!((stored.row.title.as_str(), stored.content.as_str()), (hostile, hostile), "stored as typed");
    assert_eq!(stored.row.seo_description.as_deref(), Some(hostile));
    let tables: i64 = staffroom_core::with_db!(&t.db, c => sqlx::query_scalar("SELECT COUNT(*) FROM posts").fetch_one(c).await.unwrap());
    assert_eq!(tables, 1, "the posts table is still there");
    for (draft, says) in [
        (PostDraft { content: huge.clone(), ..stored.draft() }, "at most 1000000"),
        (PostDraft { title: huge.clone(), ..stored.draft() }, "longer than 300"),
        (PostDraft { excerpt: Some(huge.clone()), ..stored.draft() }, "longer than 1000"),
        (PostDraft { seo_description: Some(huge.clone()), ..stored.draft() }, "longer than 500"),
    ] {
        let e = posts::save(&t.db, &sami, Some((p.row.id, stored.row.version)), draft).await.unwrap_err();
        assert!(e.to_string().contains(says), "{says}: {}", e.to_string().chars().take(200).collect::<String>());
    }
    let c = case_studies::save(
        &t.db,
        &sami,
        None,
        CaseStudyFields {
            title: hostile.into(),
            problem: Some(hostile.into()),
            project_type: "mvp".into(),
            client_type: "student".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(case_studies::get(&t.db, c.row.id).await.unwrap().row.problem.as_deref(), Some(hostile));
    let e = case_studies::save(
        &t.db,
        &sami,
        Some((c.row.id, c.row.version)),
        CaseStudyFields {
            title: "t".into(),
            problem: Some(huge),
            project_type: "mvp".into(),
            client_type: "student".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("longer than 20000"), "{}", e.to_string().chars().take(200).collect::<String>());
});
