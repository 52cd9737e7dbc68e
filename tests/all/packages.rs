//! Service packages on both backends: BR-02 slugs (derived, unique, a taken one
//! refused by name), per-field validation naming the field, EGP/USD prices in minor
//! units, audited and versioned edits with conflicts naming the other editor, J/K
//! reordering as one audited swap, activation, permissions, keyset pages, counts and
//! search.

use crate::common::{TestDb, team};
use serde_json::{Value, json};
use staffroom::domain::money::{Currency, Money};
use staffroom::domain::package::{PackageStatus, TargetAudience};
use staffroom_core::store::areas::packages::{self, Direction, Package, PackageFields, Query, field};
use staffroom_core::store::audit::{self, Verdict};
use staffroom_core::store::{Actor, Db, StoreError};

fn egp(minor: i64) -> Money {
    Money::new(Currency::Egp, minor)
}

fn usd(minor: i64) -> Money {
    Money::new(Currency::Usd, minor)
}

fn fields(name: &str) -> PackageFields {
    PackageFields {
        name: name.into(),
        description: Some(format!("{name}: what you get.")),
        features: vec!["Weekly call".into(), "Roadmap".into()],
        deliverables: vec!["Learning plan".into()],
        target_audience: TargetAudience::Student,
        duration_weeks: Some(4),
        prices: vec![usd(6_000), egp(300_000)],
        ..PackageFields::default()
    }
}

async fn create(db: &Db, admin: &Actor, name: &str) -> Package {
    packages::create(db, admin, fields(name)).await.unwrap()
}

fn json_of(text: &Option<String>) -> Value {
    serde_json::from_str(text.as_deref().unwrap_or("null")).unwrap()
}

async fn order(db: &Db) -> Vec<String> {
    packages::page(db, &Query::default(), None, 100).await.unwrap().rows.into_iter().map(|p| p.name).collect()
}

crate::on_both!(create_stores_every_field_and_both_prices, |t: TestDb| async move {
    let team = team(&t.db).await;
    let p = create(&t.db, &team.admin, "  1:1 Mentorship ").await;
    assert_eq!((p.name.as_str(), p.slug.as_str()), ("1:1 Mentorship", "1-1-mentorship"), "slug derived from the name");
    assert_eq!(p.features, vec!["Weekly call", "Roadmap"]);
    assert_eq!(p.deliverables, vec!["Learning plan"]);
    assert_eq!((p.target_audience, p.duration_weeks, p.is_active), (TargetAudience::Student, Some(4), true));
    assert_eq!(p.prices, vec![egp(300_000), usd(6_000)], "in currency order");
    assert_eq!(p.price(Currency::Egp).unwrap().to_string(), "EGP 3,000.00");
    assert_eq!((p.version, p.display_order, p.status()), (1, 1, PackageStatus::Active));
    assert_eq!(packages::get(&t.db, p.id).await.unwrap(), p);
    let second = create(&t.db, &team.admin, "Code Review").await;
    assert_eq!(second.display_order, 2, "new packages go last");

    let rows = audit::for_entity(&t.db, "service_package", p.id).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].action.as_str(), rows[0].actor_id), ("create", team.admin.user_id));
    let new = json_of(&rows[0].new_values);
    assert_eq!(new["prices"], json!({"EGP": 300_000, "USD": 6_000}));
    assert_eq!(new["slug"], "1-1-mentorship");
    // Arabic names keep readable slugs; a package may have no price at all.
    let ar =
        packages::create(&t.db, &team.admin, PackageFields { prices: vec![], ..fields("إرشاد فردي") }).await.unwrap();
    assert_eq!((ar.slug.as_str(), ar.prices.len()), ("إرشاد-فردي", 0));
});

crate::on_both!(slugs_are_derived_unique_and_a_taken_one_is_refused, |t: TestDb| async move {
    let team = team(&t.db).await;
    let a = create(&t.db, &team.admin, "Code Review").await;
    let b = create(&t.db, &team.admin, "Code review!").await;
    assert_eq!((a.slug.as_str(), b.slug.as_str()), ("code-review", "code-review-2"), "a derived slug is made free");

    let typed = PackageFields { slug: "code-review".into(), ..fields("Another review") };
    let err = packages::create(&t.db, &team.admin, typed).await.unwrap_err();
    assert!(matches!(&err, StoreError::Invalid { field: f, .. } if f == field::SLUG), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!("slug: 'code-review' is already used by package Code Review (#{}); choose another", a.id)
    );
    let err = packages::update(
        &t.db,
        &team.admin,
        b.id,
        b.version,
        PackageFields { slug: "code-review".into(), ..b.fields() },
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("already used by package Code Review"), "{err}");

    // Keeping one's own slug, or clearing it to derive it again, is not a clash.
    let same = packages::update(&t.db, &team.admin, a.id, a.version, a.fields()).await.unwrap();
    assert_eq!(same.slug, "code-review");
    let renamed = packages::update(
        &t.db,
        &team.admin,
        same.id,
        same.version,
        PackageFields { name: "Code Review Pro".into(), slug: String::new(), ..same.fields() },
    )
    .await
    .unwrap();
    assert_eq!(renamed.slug, "code-review-pro");
    let err = packages::create(&t.db, &team.admin, PackageFields { slug: "Code Review".into(), ..fields("X") })
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "slug: 'Code Review' is not a slug: a slug holds only lower-case letters, digits and single hyphens, e.g. code-review"
    );
});

crate::on_both!(each_field_is_validated_by_name, |t: TestDb| async move {
    let team = team(&t.db).await;
    let audits = audit::count(&t.db).await.unwrap();
    let cases: Vec<(PackageFields, &str, &str)> = vec![
        (PackageFields { name: "  ".into(), ..fields("x") }, field::NAME, "is needed"),
        (
            PackageFields { name: "n".repeat(121), ..fields("x") },
            field::NAME,
            "is 121 characters long; the limit is 120",
        ),
        (
            PackageFields { description: Some("d".repeat(5_001)), ..fields("x") },
            field::DESCRIPTION,
            "the limit is 5000",
        ),
        (PackageFields { features: vec!["f".repeat(201)], ..fields("x") }, field::FEATURES, "the limit is 200"),
        (
            PackageFields { deliverables: (0..31).map(|i| i.to_string()).collect(), ..fields("x") },
            field::DELIVERABLES,
            "has 31 items",
        ),
        (PackageFields { duration_weeks: Some(0), ..fields("x") }, field::WEEKS, "between 1 and 260"),
        (PackageFields { prices: vec![egp(-1)], ..fields("x") }, "price EGP", "cannot be negative"),
        (PackageFields { prices: vec![usd(100_000_000_000)], ..fields("x") }, "price USD", "too large"),
        (PackageFields { prices: vec![egp(1), egp(2)], ..fields("x") }, "price EGP", "given twice"),
    ];
    for (f, expected_field, why) in cases {
        let pure = f.validated().unwrap_err();
        let err = packages::create(&t.db, &team.admin, f).await.unwrap_err();
        let StoreError::Invalid { field, why: got } = &err else { panic!("{err}") };
        assert_eq!(field, expected_field, "{err}");
        assert!(got.contains(why), "{err}");
        assert_eq!(pure.to_string(), err.to_string(), "the form sees the store's message");
    }
    assert_eq!(audit::count(&t.db).await.unwrap(), audits, "nothing was written");
    // Typed prices: the form's parser names the field too.
    assert_eq!(packages::price_from_text(Currency::Egp, " 1,250.50 ").unwrap(), Some(egp(125_050)));
    assert_eq!(packages::price_from_text(Currency::Usd, "").unwrap(), None);
    let err = packages::price_from_text(Currency::Usd, "12.505").unwrap_err();
    assert!(matches!(&err, StoreError::Invalid { field, .. } if field == "price USD"));
    assert!(err.to_string().starts_with("price USD: has more than 2 decimals"), "{err}");
    let err = packages::price_from_text(Currency::Egp, "-5").unwrap_err();
    assert_eq!(err.to_string(), "price EGP: cannot be negative");
    // Lists are trimmed and blank items dropped.
    let p = packages::create(
        &t.db,
        &team.admin,
        PackageFields { features: vec![" a ".into(), "".into(), "a".into(), "b".into()], ..fields("Lists") },
    )
    .await
    .unwrap();
    assert_eq!(p.features, vec!["a", "b"]);
});

crate::on_both!(an_update_audits_only_changed_fields_and_conflicts_name_the_editor, |t: TestDb| async move {
    let team = team(&t.db).await;
    let other = staffroom_core::store::users::create(
        &t.db,
        &Actor::cli(),
        staffroom_core::store::users::NewUser {
            email: Some("omar.admin@test.example".into()),
            full_name: "Omar Admin".into(),
            roles: staffroom::domain::permissions::Roles::ADMIN,
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .actor();
    let p = create(&t.db, &team.admin, "MVP Sprint").await;
    let edited = packages::update(
        &t.db,
        &team.admin,
        p.id,
        p.version,
        PackageFields {
            prices: vec![egp(25_000_000), usd(6_000)],
            features: vec!["Discovery workshop".into()],
            ..p.fields()
        },
    )
    .await
    .unwrap();
    assert_eq!((edited.version, edited.prices.clone()), (2, vec![egp(25_000_000), usd(6_000)]));
    let row = audit::for_entity(&t.db, "service_package", p.id).await.unwrap().pop().unwrap();
    assert_eq!(row.action, "update");
    assert_eq!(
        json_of(&row.old_values),
        json!({"id": p.id, "prices": {"EGP": 300_000, "USD": 6_000}, "features": ["Weekly call", "Roadmap"]})
    );
    assert_eq!(
        json_of(&row.new_values),
        json!({"id": p.id, "prices": {"EGP": 25_000_000, "USD": 6_000}, "features": ["Discovery workshop"]})
    );
    // Dropping a currency removes that price.
    let edited = packages::update(
        &t.db,
        &other,
        p.id,
        edited.version,
        PackageFields { prices: vec![usd(1)], ..edited.fields() },
    )
    .await
    .unwrap();
    assert_eq!(edited.prices, vec![usd(1)]);

    // Amira still holds version 2: Omar's save wins, hers is refused naming him.
    let err = packages::update(&t.db, &team.admin, p.id, 2, PackageFields { name: "Mine".into(), ..p.fields() })
        .await
        .unwrap_err();
    let StoreError::Conflict { by, .. } = &err else { panic!("{err}") };
    assert_eq!(by.as_deref(), Some("Omar Admin"));
    assert!(err.to_string().starts_with("this service package was changed by Omar Admin at "), "{err}");
    assert_eq!(packages::get(&t.db, p.id).await.unwrap(), edited, "nothing was overwritten");
    assert!(matches!(
        packages::set_active(&t.db, &team.admin, p.id, 1, false).await.unwrap_err(),
        StoreError::Conflict { .. }
    ));
    assert!(matches!(audit::verify(&t.db, &mut |_| {}).await.unwrap(), Verdict::Intact { .. }));
});

crate::on_both!(reorder_swaps_with_the_neighbour_and_is_audited, |t: TestDb| async move {
    let team = team(&t.db).await;
    let a = create(&t.db, &team.admin, "A").await;
    let b = create(&t.db, &team.admin, "B").await;
    let c = create(&t.db, &team.admin, "C").await;
    assert_eq!(order(&t.db).await, vec!["A", "B", "C"]);

    let moved = packages::reorder(&t.db, &team.admin, c.id, c.version, Direction::Up).await.unwrap();
    // A place in the list is not an edit: no new version, no new updated_at.
    assert_eq!((moved.display_order, moved.version, moved.updated_at), (b.display_order, c.version, c.updated_at));
    assert_eq!(order(&t.db).await, vec!["A", "C", "B"]);
    let b_now = packages::get(&t.db, b.id).await.unwrap();
    assert_eq!((b_now.display_order, b_now.version), (c.display_order, b.version), "the neighbour moved too");
    for (id, from, to) in [(c.id, 3, 2), (b.id, 2, 3)] {
        let row = audit::for_entity(&t.db, "service_package", id).await.unwrap().pop().unwrap();
        assert_eq!((row.action.as_str(), row.actor_id), ("reorder", team.admin.user_id));
        assert_eq!(json_of(&row.old_values), json!({"id": id, "display_order": from}));
        assert_eq!(json_of(&row.new_values), json!({"id": id, "display_order": to}));
    }
    let row = audit::for_entity(&t.db, "service_package", c.id).await.unwrap().pop().unwrap();
    assert_eq!(row.summary, "moved service package C up, above B");

    let moved = packages::reorder(&t.db, &team.admin, moved.id, moved.version, Direction::Up).await.unwrap();
    assert_eq!(order(&t.db).await, vec!["C", "A", "B"]);
    let err = packages::reorder(&t.db, &team.admin, moved.id, moved.version, Direction::Up).await.unwrap_err();
    assert_eq!(err.to_string(), "service package C is already first");
    let b_now = packages::get(&t.db, b.id).await.unwrap();
    let err = packages::reorder(&t.db, &team.admin, b_now.id, b_now.version, Direction::Down).await.unwrap_err();
    assert_eq!(err.to_string(), "service package B is already last");
    let a_now = packages::get(&t.db, a.id).await.unwrap();
    packages::reorder(&t.db, &team.admin, a_now.id, a_now.version, Direction::Down).await.unwrap();
    assert_eq!(order(&t.db).await, vec!["C", "B", "A"]);
    // A move is relative to the order now: the version the list showed is enough,
    // and an edit opened before the moves still saves.
    packages::reorder(&t.db, &team.admin, a.id, a.version, Direction::Up).await.unwrap();
    assert_eq!(order(&t.db).await, vec!["C", "A", "B"]);
    packages::update(&t.db, &team.admin, b.id, b.version, b.fields()).await.unwrap();

    // Equal display orders (an import) are renumbered first, then swapped.
    staffroom_core::with_db!(&t.db, p => sqlx::query("UPDATE service_packages SET display_order = 7").execute(p).await.unwrap().rows_affected());
    let by_id = order(&t.db).await;
    assert_eq!(by_id, vec!["A", "B", "C"], "ties fall back to id order");
    let c_now = packages::get(&t.db, c.id).await.unwrap();
    packages::reorder(&t.db, &team.admin, c_now.id, c_now.version, Direction::Up).await.unwrap();
    assert_eq!(order(&t.db).await, vec!["A", "C", "B"]);
    let orders: Vec<i64> = packages::page(&t.db, &Query::default(), None, 10)
        .await
        .unwrap()
        .rows
        .iter()
        .map(|p| p.display_order)
        .collect();
    assert_eq!(orders, vec![1, 2, 3]);
    assert!(matches!(audit::verify(&t.db, &mut |_| {}).await.unwrap(), Verdict::Intact { .. }));
});

crate::on_both!(only_admins_edit_packages, |t: TestDb| async move {
    let team = team(&t.db).await;
    let p = create(&t.db, &team.admin, "Admin only").await;
    let audits = audit::count(&t.db).await.unwrap();
    for who in [&team.staff, &team.viewer, &team.instructor] {
        let refused = |r: staffroom_core::store::Result<Package>| {
            let err = r.unwrap_err();
            assert!(matches!(err, StoreError::Refused { .. }), "{err}");
            assert!(err.to_string().contains("may not manage settings"), "{err}");
        };
        refused(packages::create(&t.db, who, fields("Nope")).await);
        refused(packages::update(&t.db, who, p.id, p.version, p.fields()).await);
        refused(packages::set_active(&t.db, who, p.id, p.version, false).await);
        refused(packages::reorder(&t.db, who, p.id, p.version, Direction::Down).await);
    }
    assert_eq!(audit::count(&t.db).await.unwrap(), audits);
    assert_eq!(packages::get(&t.db, p.id).await.unwrap(), p);
});

crate::on_both!(pages_counts_tabs_and_search, |t: TestDb| async move {
    let team = team(&t.db).await;
    let mut all = Vec::new();
    let mut inactive = Vec::new();
    for i in 0..13 {
        let p = create(&t.db, &team.admin, &format!("Package {i:02}")).await;
        if i % 3 == 0 {
            let p = packages::set_active(&t.db, &team.admin, p.id, p.version, false).await.unwrap();
            assert!(!p.is_active);
            inactive.push(p.id);
        }
        all.push(p.id);
    }
    let last = packages::get(&t.db, all[12]).await.unwrap();
    let row = audit::for_entity(&t.db, "service_package", last.id).await.unwrap().pop().unwrap();
    assert_eq!(row.summary, "withdrew service package Package 12");
    assert_eq!(json_of(&row.new_values), json!({"id": last.id, "is_active": false}));
    assert_eq!(packages::counts(&t.db).await.unwrap(), vec![(PackageStatus::Active, 8), (PackageStatus::Inactive, 5)]);

    for (status, expected) in [
        (None, all.clone()),
        (Some(PackageStatus::Active), all.iter().copied().filter(|id| !inactive.contains(id)).collect::<Vec<_>>()),
        (Some(PackageStatus::Inactive), inactive.clone()),
    ] {
        for limit in [1, 3, 5, 13, 50] {
            let query = Query { status, search: None };
            let (mut seen, mut after) = (Vec::new(), None);
            loop {
                let page = packages::page(&t.db, &query, after, limit).await.unwrap();
                assert!(page.rows.iter().all(|p| p.prices.len() == 2), "prices come with every row");
                seen.extend(page.rows.iter().map(|p| p.id));
                match page.next {
                    Some(k) => after = Some(k),
                    None => break,
                }
            }
            assert_eq!(seen, expected, "{status:?} limit {limit}");
        }
    }

    let sale = packages::create(
        &t.db,
        &team.admin,
        PackageFields { description: Some("50% off_today".into()), ..fields("Sale") },
    )
    .await
    .unwrap();
    let find = |search: &str| {
        let db = t.db.clone();
        let query = Query { status: None, search: Some(search.into()) };
        async move { packages::page(&db, &query, None, 50).await.unwrap().rows.iter().map(|p| p.id).collect::<Vec<_>>() }
    };
    assert_eq!(find("50%").await, vec![sale.id], "% is literal");
    assert_eq!(find("f_t").await, vec![sale.id], "_ is literal");
    assert_eq!(find("e_").await, Vec::<i64>::new(), "an unescaped _ would match every \"e \"");
    assert_eq!(find("%").await, vec![sale.id]);
    assert_eq!(find("PACKAGE 1").await, vec![all[10], all[11], all[12]], "case-insensitive, in display order");
    assert_eq!(find("package-07").await, vec![all[7]], "the slug is searched");
    let active_search = Query { status: Some(PackageStatus::Active), search: Some("package 1".into()) };
    let ids: Vec<i64> =
        packages::page(&t.db, &active_search, None, 50).await.unwrap().rows.iter().map(|p| p.id).collect();
    assert_eq!(ids, vec![all[10], all[11]]);
    let back = packages::get(&t.db, all[12]).await.unwrap();
    let back = packages::set_active(&t.db, &team.admin, back.id, back.version, true).await.unwrap();
    assert_eq!(back.status(), PackageStatus::Active);
    let err = packages::get(&t.db, 999_999).await.unwrap_err();
    assert_eq!(err.to_string(), "service package #999999 was not found");
});

crate::on_both!(the_demo_packages_read_back_with_both_prices, |t: TestDb| async move {
    staffroom::demo::ensure(&t.db, false).await.unwrap();
    let rows = packages::page(&t.db, &Query::default(), None, 100).await.unwrap().rows;
    assert!(rows.len() >= 3, "{rows:?}");
    assert!(rows.iter().all(|p| p.price(Currency::Egp).is_some() && p.price(Currency::Usd).is_some()));
    assert!(rows.iter().all(|p| !p.features.is_empty()));
    let counts = packages::counts(&t.db).await.unwrap();
    assert!(counts.iter().all(|(_, n)| *n > 0), "active and inactive packages: {counts:?}");
    // The demo's rows are editable: a reorder and an edit go through.
    let admin = staffroom_core::store::users::find_by_email(&t.db, &staffroom::demo::demo_user("admin").email)
        .await
        .unwrap()
        .unwrap()
        .actor();
    let p = &rows[1];
    packages::reorder(&t.db, &admin, p.id, p.version, Direction::Up).await.unwrap();
    let p = packages::get(&t.db, p.id).await.unwrap();
    packages::update(&t.db, &admin, p.id, p.version, p.fields()).await.unwrap();
});
