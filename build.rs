// The migrations are embedded with `sqlx::migrate!`: rebuild when one is added or
// edited, not only when Rust code changes.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
