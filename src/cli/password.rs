//! Reading passwords for CLI commands: from an environment variable (scripts) or a
//! no-echo prompt, asked twice.

use anyhow::{Result, bail};
use std::io::IsTerminal;

/// The password from `env_var`, else a no-echo prompt on the terminal.
pub fn read_new_password(env_var: &str, prompt: &str) -> Result<String> {
    if let Ok(pw) = std::env::var(env_var) {
        return Ok(pw);
    }
    if !std::io::stdin().is_terminal() {
        bail!("no password: set {env_var} or run this command in a terminal");
    }
    let first = rpassword::prompt_password(format!("{prompt}: "))?;
    let second = rpassword::prompt_password("Again, to confirm: ")?;
    if first != second {
        bail!("the two passwords differ; nothing was changed");
    }
    Ok(first)
}
