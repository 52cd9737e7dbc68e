//! The crate's headless driver (`staffroom::ui::driver`), plus what only tests need:
//! a logged-in driver.

#[allow(unused_imports)]
pub use staffroom::ui::driver::{Driver, backend_settings, key, settings};
use staffroom::ui::screens::ScreenId;
use staffroom_core::store::Db;

/// A driver logged in as `email` (a `common::login_user`) on `screen`, toasts cleared.
pub async fn logged_in_on(db: &Db, email: &str, width: u16, height: u16, screen: ScreenId) -> Driver {
    let mut d = Driver::new(db.clone(), width, height);
    d.login(email, crate::common::PASSWORD).await;
    d.app.toasts.clear();
    let effects = d.app.open(screen);
    d.run(effects).await;
    d
}
