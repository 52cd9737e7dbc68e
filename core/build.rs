// The migrations are embedded with `sqlx::migrate!`: rebuild when one is added or
// edited, not only when Rust code changes. (Modules are listed in plain source: no
// folder is scanned.)
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
