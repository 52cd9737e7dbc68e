//! Smaller defects found by trying staffroom as a new user (issue 21, item 17): each
//! test failed before its fix.

use crate::cli::{assert_one_clear_line, ok, staffroom};
use crate::common::{TestDb, team, temp_path};
use staffroom::domain::permissions::Roles;
use staffroom_core::store::lead_filter::{LeadFilter, Scope};
use staffroom_core::store::leads::{self, NewLead};
use staffroom_core::store::users::{self, NewUser, UserFields};
use staffroom_core::store::{Actor, Db, board};
use std::io::Read;
use std::process::{Command, Stdio};

async fn audit_rows(db: &Db) -> i64 {
    staffroom_core::with_db!(db, p => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log").fetch_one(p).await.unwrap()
    })
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let path = temp_path("db");
    let url = format!("sqlite://{}", path.display());
    ok(&staffroom(
        &["init", "--email", "boss@academy.test", "--name", "Boss", "--database-url", &url],
        &[("STAFFROOM_ADMIN_PASSWORD", "s3cret-pass")],
    ));
    // `staffroom user list | head -0`: the reader is gone before the first line.
    let mut child = Command::new(env!("CARGO_BIN_EXE_staffroom"))
        .args(["user", "list", "--database-url", &url])
        .env("HOME", std::env::temp_dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(err.is_empty(), "nothing said about the pipe: {err}");
    assert!(status.success(), "{status:?}");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn an_unknown_time_zone_or_a_key_clash_is_a_config_error_everywhere() {
    let file = temp_path("toml");
    let f = file.to_str().unwrap();
    std::fs::write(&file, "[display]\ntime_zone = \"Mars/Olympus\"\n").unwrap();
    assert_one_clear_line(&staffroom(&["config", "show", "--config", f], &[]), "display.time_zone");
    let db = temp_path("db");
    let url = format!("sqlite://{}", db.display());
    assert_one_clear_line(&staffroom(&["user", "list", "--config", f, "--database-url", &url], &[]), "Mars/Olympus");
    // Quit's key given to a move: both are named.
    std::fs::write(&file, "[keys.pipeline]\nmove_forward = [\"q\"]\n").unwrap();
    let out = staffroom(&["config", "show", "--config", f], &[]);
    assert_one_clear_line(&out, "keys.global.quit");
    assert!(String::from_utf8_lossy(&out.stderr).contains("keys.pipeline.move_forward"));
    let _ = std::fs::remove_file(&file);
}

crate::on_both!(the_cli_calls_a_student_a_student, |t: TestDb| async move {
    let new = NewUser {
        email: Some("laila@academy.test".into()),
        full_name: "Laila Student".into(),
        roles: Roles { student: true, ..Roles::VIEWER },
        ..NewUser::default()
    };
    users::create(&t.db, &Actor::cli(), new).await.unwrap();
    let list = ok(&staffroom(&["user", "list", "--database-url", &t.url], &[]));
    let line = list.lines().find(|l| l.contains("laila@academy.test")).unwrap();
    assert!(line.contains("student") && !line.contains("viewer"), "{line}");
});

crate::on_both!(arabic_indic_digits_are_phones_and_searches_alike, |t: TestDb| async move {
    let team = team(&t.db).await;
    // A user's phone typed on an Arabic keyboard is stored as a lead's is.
    let new = NewUser {
        email: Some("hala@academy.test".into()),
        phone: Some("+٢٠ ١٠٠ ١٢٣ ٤٥٦٧".into()),
        full_name: "Hala".into(),
        ..NewUser::default()
    };
    let u = users::create(&t.db, &Actor::cli(), new).await.unwrap();
    assert_eq!(u.phone.as_deref(), Some("+201001234567"));
    let fields = UserFields {
        full_name: u.full_name.clone(),
        email: u.email.clone(),
        phone: Some("۰۱۰۰۹۸۷۶۵۴۳".into()),
        roles: u.roles(),
    };
    let u = users::edit(&t.db, &team.admin, u.id, u.version, &fields).await.unwrap();
    assert_eq!(u.phone.as_deref(), Some("+201009876543"));
    let lead = leads::create(
        &t.db,
        &team.staff,
        NewLead { full_name: "Nour".into(), phone: Some("+201004445566".into()), ..NewLead::default() },
    )
    .await
    .unwrap();
    assert_eq!(lead.phone.as_deref(), Some("+201004445566"));
    // The board's search: Arabic-Indic digits find the stored phone.
    let search = LeadFilter { text: "٠١٠٠٤٤٤".into(), ..LeadFilter::default() };
    let found = board::load(&t.db, &Scope::new(search, team.staff.user_id), 10).await.unwrap();
    let ids: Vec<i64> = found.iter().flat_map(|c| c.cards.iter().map(|k| k.lead.id)).collect();
    assert_eq!(ids, vec![lead.id]);
});

crate::on_both!(setting_the_roles_a_user_has_changes_nothing, |t: TestDb| async move {
    ok(&staffroom(
        &["user", "add", "--email", "v@academy.test", "--name", "V", "--no-password", "--database-url", &t.url],
        &[],
    ));
    let before = users::find_by_email(&t.db, "v@academy.test").await.unwrap().unwrap();
    let rows = audit_rows(&t.db).await;
    ok(&staffroom(&["user", "roles", "v@academy.test", "viewer", "--database-url", &t.url], &[]));
    let after = users::find_by_email(&t.db, "v@academy.test").await.unwrap().unwrap();
    assert_eq!(after.version, before.version, "no new version");
    assert_eq!(audit_rows(&t.db).await, rows, "no audit row");
    // A real change still writes both.
    ok(&staffroom(&["user", "roles", "v@academy.test", "staff", "--database-url", &t.url], &[]));
    let staff = users::find_by_email(&t.db, "v@academy.test").await.unwrap().unwrap();
    assert_eq!(staff.version, before.version + 1);
    assert_eq!(audit_rows(&t.db).await, rows + 1);
});

#[test]
fn what_was_not_found_is_named_as_it_was_typed() {
    use staffroom_core::store::StoreError;
    assert_eq!(StoreError::not_found("lead", 42).to_string(), "lead #42 was not found");
    assert_eq!(StoreError::not_found("user", "nobody@x.test").to_string(), "user \"nobody@x.test\" was not found");
    assert_eq!(
        StoreError::not_found("cohort", "99999999999999999999").to_string(),
        "cohort \"99999999999999999999\" was not found"
    );
}

crate::on_both!(a_viewer_pressing_export_is_told_they_may_not_export, |t: TestDb| async move {
    crate::common::login_user(&t.db, "yo@academy.test", "Youssef Viewer", Roles::VIEWER).await;
    let mut d = staffroom::ui::driver::Driver::new(t.db.clone(), 80, 24);
    d.login("yo@academy.test", crate::common::PASSWORD).await;
    for screen in [staffroom::ui::screens::ScreenId::Pipeline, staffroom::ui::screens::ScreenId::Audit] {
        d.app.toasts.clear();
        let effects = d.app.open(screen);
        d.run(effects).await;
        d.shift('E').await;
        assert!(d.toasted("may not export"), "{screen:?}: {:?}", d.app.toasts);
        assert!(!d.toasted("edit leads"), "{screen:?}: {:?}", d.app.toasts);
    }
});
