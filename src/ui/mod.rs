//! Terminal presentation. For now: the sanitizer every piece of untrusted text goes
//! through before it reaches a terminal (CLI output today, the TUI's widgets later).

pub mod text;
