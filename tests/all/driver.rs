//! The crate's headless driver (`staffroom::ui::driver`), plus what only tests need:
//! snapshot normalising and a logged-in driver.

use staffroom::store::Db;
#[allow(unused_imports)]
pub use staffroom::ui::driver::{Driver, backend_settings, key, settings};
use staffroom::ui::screens::ScreenId;

/// Replaces times and dates (they move with the clock) so snapshots are stable.
pub fn normalize(screen: &str) -> String {
    let mut out = String::with_capacity(screen.len());
    let chars: Vec<char> = screen.chars().collect();
    let mut i = 0;
    let is = |i: usize, pat: &str| -> bool {
        pat.chars()
            .enumerate()
            .all(|(k, p)| chars.get(i + k).is_some_and(|c| if p == '9' { c.is_ascii_digit() } else { *c == p }))
    };
    while i < chars.len() {
        if is(i, "9999-99-99") {
            out.push_str("YYYY-MM-DD");
            i += 10;
        } else if is(i, "99:99") && !chars.get(i.wrapping_sub(1)).is_some_and(|c| c.is_ascii_digit()) {
            out.push_str("HH:MM");
            i += 5;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// A driver logged in as `email` (a `common::login_user`) on `screen`, toasts cleared.
pub async fn logged_in_on(db: &Db, email: &str, width: u16, height: u16, screen: ScreenId) -> Driver {
    let mut d = Driver::new(db.clone(), width, height);
    d.login(email, crate::common::PASSWORD).await;
    d.app.toasts.clear();
    let effects = d.app.open(screen);
    d.run(effects).await;
    d
}
