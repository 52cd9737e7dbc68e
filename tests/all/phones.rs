//! Phone numbers in E.164: `010 1234 5678` and `+20 10 1234 5678` are one number for
//! duplicates, search and WhatsApp links, in the office's region (EG by default);
//! numbers stored before are rewritten once when staffroom opens the database.

use crate::common::TestDb;
use staffroom_core::store::leads::{self, NewLead};
use staffroom_core::store::{Actor, Db, audit, phones};

fn lead(name: &str, phone: &str) -> NewLead {
    NewLead { full_name: name.into(), phone: Some(phone.into()), ..NewLead::default() }
}

crate::on_both!(every_way_of_writing_one_number_is_the_same_lead, |t: TestDb| async move {
    let first = leads::create(&t.db, &Actor::cli(), lead("Sara", "010 0123 4567")).await.unwrap();
    assert_eq!(first.phone.as_deref(), Some("+201001234567"), "stored in E.164");
    for written in ["+20 100 123 4567", "0020-100-123-4567", "٠١٠٠١٢٣٤٥٦٧"] {
        let found = leads::find_duplicates(&t.db, None, Some(written)).await.unwrap();
        assert_eq!(found.iter().map(|l| l.id).collect::<Vec<_>>(), vec![first.id], "{written}");
    }
    // The WhatsApp link is a valid wa.me address: the country code, no trunk 0.
    let links = staffroom::ui::screens::lead::links(&first);
    assert!(links.contains(&("WhatsApp", "https://wa.me/201001234567".to_string())), "{links:?}");
    // Not a number: refused at its field.
    let refused = leads::create(&t.db, &Actor::cli(), lead("Omar", "+999 12 345 678")).await.unwrap_err();
    assert!(refused.to_string().contains("phone"), "{refused}");
});

crate::on_both!(numbers_stored_before_are_rewritten_once_with_a_report_and_an_audit_row, |t: TestDb| async move {
    // As an older staffroom (or a website) left them.
    let at = staffroom_core::store::now();
    let ids: Vec<i64> = {
        let mut ids = Vec::new();
        for (name, phone, whatsapp) in [
            ("Nadia", Some("01001234567"), Some("٠١٠٠٩٨٧٦٥٤٣")),
            ("Karim", Some("call me maybe"), None),
            ("Lina", Some("+201005551234"), None),
        ] {
            let id: i64 = staffroom_core::with_db!(&t.db, p => {
                sqlx::query_scalar(
                    "INSERT INTO leads (full_name, phone, whatsapp, source, interested_in, lead_type, status, \
                     created_at, updated_at, stage_since) \
                     VALUES ($1, $2, $3, 'other', 'other', 'other', 'new', $4, $4, $4) RETURNING id",
                )
                .bind(name)
                .bind(phone)
                .bind(whatsapp)
                .bind(at)
                .fetch_one(p)
                .await
                .unwrap()
            });
            ids.push(id);
        }
        ids
    };
    let fixed = phones::normalise_existing(&t.db).await.unwrap();
    assert_eq!(fixed, None, "a new database had the fix when it was made");
    staffroom_core::with_db!(&t.db, p => {
        sqlx::query("DELETE FROM data_fixes").execute(p).await.unwrap().rows_affected()
    });
    let audit_before = audit::count(&t.db).await.unwrap();
    // The next staffroom to open it rewrites them.
    let reopened = Db::open(&t.url).await.unwrap();
    let nadia = leads::get(&reopened, ids[0]).await.unwrap();
    assert_eq!(nadia.phone.as_deref(), Some("+201001234567"));
    assert_eq!(nadia.whatsapp.as_deref(), Some("+201009876543"));
    assert_eq!(nadia.version, 1, "not an edit: a form open on it still saves");
    assert_eq!(leads::get(&reopened, ids[1]).await.unwrap().phone.as_deref(), Some("call me maybe"), "left as it was");
    assert_eq!(leads::get(&reopened, ids[2]).await.unwrap().phone.as_deref(), Some("+201005551234"));
    let report = phones::last_report(&reopened).await.unwrap().unwrap();
    assert!(report.starts_with("2 phone numbers rewritten as E.164"), "{report}");
    assert!(report.contains(&format!("leads #{} \"call me maybe\"", ids[1])), "{report}");
    assert_eq!(audit::count(&reopened).await.unwrap(), audit_before + 1, "one audit row");
    let (action, entity, client): (String, String, String) = staffroom_core::with_db!(&reopened, p => {
        sqlx::query_as("SELECT action, entity_type, client FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_one(p)
            .await
            .unwrap()
    });
    assert_eq!((action.as_str(), entity.as_str()), ("normalise", "phone_numbers"));
    assert!(client.ends_with(" migration"), "{client}");
    // Once only.
    let again = Db::open(&t.url).await.unwrap();
    assert_eq!(audit::count(&again).await.unwrap(), audit_before + 1);
    assert!(matches!(audit::verify(&again, &mut |_| {}).await.unwrap(), audit::Verdict::Intact { .. }));
});
