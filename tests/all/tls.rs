//! TLS to PostgreSQL, against a real server that accepts nothing else: `sslmode`
//! and `sslrootcert` in the URL work as libpq's do.

use crate::pg::TlsCluster;
use staffroom_core::store::{Db, StoreError};

/// A TCP port nobody is listening on now.
fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().expect("its address").port()
}

async fn opened(url: &str) -> Result<Db, StoreError> {
    Db::open_as(url, staffroom_core::store::Access::Existing).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sslmode_require_and_verify_full_connect_and_a_wrong_ca_is_refused_by_name() {
    let Some(c) = TlsCluster::start("tls", free_port()) else { return };
    let setup = sqlx::PgPool::connect(&c.own.url("postgres")).await.expect("the harness's own socket");
    sqlx::query("CREATE DATABASE office").execute(&setup).await.expect("create the database");
    setup.close().await;

    // The server takes nothing but TLS: without it, it refuses.
    let plain = opened(&c.url("127.0.0.1", "office", "sslmode=disable")).await.map(|_| ()).unwrap_err();
    assert!(plain.to_string().contains("no encryption"), "{plain}");

    // Encrypted, the server unproven (libpq's `require`): connects, migrates, works.
    let db = opened(&c.url("127.0.0.1", "office", "sslmode=require")).await.expect("sslmode=require connects");
    assert_eq!(staffroom_core::store::users::count(&db).await.expect("a query over TLS"), 0);
    db.close().await;

    // Encrypted and proven: the right CA, and the name on the certificate.
    let ca = c.ca.display().to_string();
    let proven = c.url("localhost", "office", &format!("sslmode=verify-full&sslrootcert={ca}"));
    let db = opened(&proven).await.expect("verify-full with the right CA connects");
    db.close().await;

    // Another CA: refused, saying why, before anything is sent.
    let other = c.other_ca.display().to_string();
    let wrong = c.url("localhost", "office", &format!("sslmode=verify-full&sslrootcert={other}"));
    let refused = opened(&wrong).await.map(|_| ()).unwrap_err();
    let said = refused.to_string();
    assert!(said.contains(&format!("not signed by the CA in sslrootcert={other}")), "{said}");
    // A missing CA file is named too.
    let missing = c.url("localhost", "office", "sslmode=verify-full&sslrootcert=/nonexistent/ca.pem");
    let said = opened(&missing).await.map(|_| ()).unwrap_err().to_string();
    assert!(said.contains("cannot read sslrootcert=/nonexistent/ca.pem"), "{said}");
}
