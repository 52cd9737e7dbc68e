//! A throwaway PostgreSQL cluster for the whole test run.
//!
//! Started on first use (initdb ≈ 1 s), reachable only through a unix socket in its
//! own temp dir, one fresh database per test. A watchdog process stops and removes
//! the cluster when this test process exits — even when a test fails or the process
//! is killed — and clusters left behind by killed runs are removed on start.
//! No server binaries: the PostgreSQL half of each test is skipped with a loud
//! message, except under CI=true, where that is a failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

pub struct Cluster {
    pub dir: PathBuf,
    pub port: u16,
}

static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();
static NEXT_DB: AtomicU32 = AtomicU32::new(1);

const PREFIX: &str = "staffroom-pg.";

/// The cluster, or `None` (after a loud message) when PostgreSQL is not installed.
/// Panics when PostgreSQL should be there (CI) or failed to start.
pub fn cluster() -> Option<&'static Cluster> {
    let result = CLUSTER.get_or_init(start);
    match result {
        Ok(c) => Some(c),
        Err(why) if why.starts_with("no server binaries") && std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("\n!!!!!!!! SKIPPING PostgreSQL TESTS: {why} !!!!!!!!\n");
            None
        }
        Err(why) => panic!("PostgreSQL test cluster unavailable: {why}"),
    }
}

/// A URL for a brand-new empty database in the cluster.
pub async fn fresh_database_url() -> Option<String> {
    let c = cluster()?;
    let name = format!("t{}_{}", std::process::id(), NEXT_DB.fetch_add(1, Ordering::SeqCst));
    let admin = url(c, "postgres");
    let pool = sqlx::PgPool::connect(&admin).await.expect("connect to the test cluster");
    // The cluster's `staffroom_app` role, made once before any test database
    // migrates: two databases running 0013 at the same moment would both create it,
    // and the later fail on the role's unique name.
    static ROLE: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    ROLE.get_or_init(|| async {
        sqlx::query(
            "DO $$ BEGIN CREATE ROLE staffroom_app NOLOGIN; \
             EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$",
        )
        .execute(&pool)
        .await
        .expect("create the app role");
    })
    .await;
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&pool).await.expect("create test database");
    pool.close().await;
    Some(url(c, &name))
}

pub fn url(c: &Cluster, db: &str) -> String {
    format!("postgres://postgres@localhost:{}/{db}?host={}", c.port, c.dir.display())
}

/// Where the server binaries are: $STAFFROOM_PG_BIN, `pg_config --bindir`,
/// /usr/lib/postgresql/<newest>/bin, or the PATH.
pub fn find_bin() -> Option<PathBuf> {
    let has_initdb = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    if let Ok(dir) = std::env::var("STAFFROOM_PG_BIN") {
        return Some(PathBuf::from(dir)).filter(|d| has_initdb(d));
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if has_initdb(&dir) {
            return Some(dir);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, d)| has_initdb(d))
        .collect();
    versions.sort();
    if let Some((_, d)) = versions.pop() {
        return Some(d);
    }
    std::env::var_os("PATH").and_then(|p| std::env::split_paths(&p).find(|d| has_initdb(d)))
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

/// Runs a server binary, as the `postgres` OS user when we are root (initdb refuses root).
fn pg_command(bin: &Path, tool: &str, root: bool) -> Command {
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin.join(tool));
        c
    } else {
        Command::new(bin.join(tool))
    }
}

fn start() -> Result<Cluster, String> {
    let bin = find_bin().ok_or("no server binaries (initdb, pg_ctl) found; install postgresql to run these tests")?;
    let root = is_root();
    remove_stale_clusters(&bin, root);
    start_at(&bin, root, &std::process::id().to_string(), 5432, None)
}

/// A cluster that speaks only TLS over TCP on localhost: `ssl = on` with a
/// certificate for `localhost` signed by a CA made here, and `hostssl`-only access
/// (a connection without TLS is refused by the server itself).
pub struct TlsCluster {
    pub own: OwnCluster,
    /// The CA that signed the server's certificate.
    pub ca: PathBuf,
    /// A CA that did not.
    pub other_ca: PathBuf,
}

impl TlsCluster {
    /// `None` where the shared cluster is skipped (no server binaries).
    pub fn start(name: &str, port: u16) -> Option<TlsCluster> {
        cluster()?;
        let has_openssl = Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
        if !has_openssl && std::env::var("CI").as_deref() != Ok("true") {
            eprintln!("\n!!!!!!!! SKIPPING the TLS PostgreSQL test: no `openssl` to make its certificates !!!!!!!!\n");
            return None;
        }
        let bin = find_bin()?;
        let root = is_root();
        let c = start_at(&bin, root, &format!("{}-{name}", std::process::id()), port, Some(Tls))
            .unwrap_or_else(|why| panic!("TLS PostgreSQL cluster: {why}"));
        let tls = c.dir.join("tls");
        Some(TlsCluster {
            ca: tls.join("ca.pem"),
            other_ca: tls.join("other-ca.pem"),
            own: OwnCluster { cluster: c, bin, root },
        })
    }

    /// A URL over TCP to `host` with these extra parameters (`sslmode=…`).
    pub fn url(&self, host: &str, db: &str, params: &str) -> String {
        format!("postgres://postgres@{host}:{}/{db}?{params}", self.own.cluster.port)
    }
}

/// The TLS server's setup (`TlsCluster`).
#[derive(Clone, Copy)]
struct Tls;

/// A CA, a server certificate for localhost it signs, and a second CA, with the
/// `openssl` command line.
fn make_certificates(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let openssl = |args: &[&str]| -> Result<(), String> {
        let out = Command::new("openssl").args(args).current_dir(dir).output().map_err(|e| format!("openssl: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!("openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr)))
        }
    };
    let ext = "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n\
               extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n";
    std::fs::write(dir.join("server.ext"), ext).map_err(|e| e.to_string())?;
    for ca in ["ca", "other-ca"] {
        let (key, pem, subject) = (format!("{ca}.key"), format!("{ca}.pem"), format!("/CN=staffroom test {ca}"));
        openssl(&[
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", &key, "-out", &pem, "-subj",
            &subject,
        ])?;
    }
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost",
    ])?;
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "server.ext",
        "-out",
        "server.pem",
    ])?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir.join("server.key"), std::fs::Permissions::from_mode(0o600)).map_err(|e| e.to_string())
}

/// A cluster of a test's own, which it may stop and start again (an outage); the
/// shared one must stay up for the others. Removed with the test process.
pub struct OwnCluster {
    pub cluster: Cluster,
    bin: PathBuf,
    root: bool,
}

impl OwnCluster {
    /// `None` where the shared cluster is skipped (no server binaries).
    pub fn start(name: &str, port: u16) -> Option<OwnCluster> {
        cluster()?;
        let bin = find_bin()?;
        let root = is_root();
        let c = start_at(&bin, root, &format!("{}-{name}", std::process::id()), port, None)
            .unwrap_or_else(|why| panic!("own PostgreSQL cluster: {why}"));
        Some(OwnCluster { cluster: c, bin, root })
    }

    pub fn url(&self, db: &str) -> String {
        url(&self.cluster, db)
    }

    /// Stops the server (`-m fast`: open connections are cut, as an administrator's
    /// restart does; not `immediate`, which with this cluster's `fsync=off` would
    /// also lose the last commits).
    pub fn stop(&self) {
        let ok = pg_command(&self.bin, "pg_ctl", self.root)
            .arg("-D")
            .arg(self.cluster.dir.join("data"))
            .args(["-m", "fast", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "pg_ctl stop failed");
    }

    pub fn restart(&self) {
        pg_ctl_start(&self.bin, self.root, &self.cluster.dir, self.cluster.port, None).expect("pg_ctl start again");
    }
}

fn start_at(bin: &Path, root: bool, name: &str, port: u16, tls: Option<Tls>) -> Result<Cluster, String> {
    let dir = std::env::temp_dir().join(format!("{PREFIX}{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    std::fs::write(dir.join("owner"), std::process::id().to_string()).map_err(|e| e.to_string())?;
    if tls.is_some() {
        make_certificates(&dir.join("tls"))?;
    }
    if root {
        let ok = Command::new("chown").args(["-R", "postgres:postgres"]).arg(&dir).status().is_ok_and(|s| s.success());
        if !ok {
            return Err(format!("cannot chown {} to the postgres user", dir.display()));
        }
    }
    watchdog(bin, &dir, root);
    let out = pg_command(bin, "initdb", root)
        .arg("-D")
        .arg(dir.join("data"))
        .args(["--auth=trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync"])
        .output()
        .map_err(|e| format!("cannot run initdb: {e}"))?;
    if !out.status.success() {
        return Err(format!("initdb failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    if tls.is_some() {
        // The socket for the harness's own setup, and TLS for everyone else.
        let hba = "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostssl all all ::1/128 trust\n";
        std::fs::write(dir.join("data/pg_hba.conf"), hba).map_err(|e| e.to_string())?;
    }
    pg_ctl_start(bin, root, &dir, port, tls)?;
    Ok(Cluster { dir, port })
}

fn pg_ctl_start(bin: &Path, root: bool, dir: &Path, port: u16, tls: Option<Tls>) -> Result<(), String> {
    let mut opts = format!(
        "-k {} -p {port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
         -c max_connections=200",
        dir.display()
    );
    if tls.is_some() {
        let t = dir.join("tls");
        opts.push_str(&format!(
            " -c listen_addresses=localhost -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
            t.join("server.pem").display(),
            t.join("server.key").display()
        ));
    }
    let out = pg_command(bin, "pg_ctl", root)
        .arg("-D")
        .arg(dir.join("data"))
        .arg("-l")
        .arg(dir.join("log"))
        .args(["-w", "-o", &opts, "start"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run pg_ctl: {e}"))?;
    if !out.status.success() {
        let log = std::fs::read_to_string(dir.join("log")).unwrap_or_default();
        return Err(format!("pg_ctl start failed: {} {log}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(())
}

fn stop_script(bin: &Path, dir: &Path, root: bool) -> String {
    let run = if root { "runuser -u postgres -- " } else { "" };
    format!(
        "{run}{} -D {}/data -m immediate -w stop >/dev/null 2>&1; rm -rf {}",
        bin.join("pg_ctl").display(),
        dir.display(),
        dir.display()
    )
}

/// A detached shell that waits for this process to end, then stops the cluster.
fn watchdog(bin: &Path, dir: &Path, root: bool) {
    use std::os::unix::process::CommandExt;
    let script = format!(
        "while kill -0 {} 2>/dev/null; do sleep 0.5; done; {}",
        std::process::id(),
        stop_script(bin, dir, root)
    );
    let _ = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn();
}

/// Clusters whose owning test process is gone (killed before its watchdog ran).
fn remove_stale_clusters(bin: &Path, root: bool) {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for e in entries.flatten() {
        let name = e.file_name();
        if !name.to_string_lossy().starts_with(PREFIX) {
            continue;
        }
        let owner = std::fs::read_to_string(e.path().join("owner")).unwrap_or_default();
        let alive = !owner.trim().is_empty() && Path::new(&format!("/proc/{}", owner.trim())).exists();
        if !alive {
            let _ = Command::new("sh").args(["-c", &stop_script(bin, &e.path(), root)]).status();
        }
    }
}
