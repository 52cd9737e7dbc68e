//! The terminal UI: pure state (`app`) updated by messages (`msg`), drawn by `view`
//! functions that never mutate, with keys from `keymap` and styles from `theme`.
//! `run` is the one place that touches the real terminal.

mod action_words;
pub mod app;
pub mod autosave;
pub mod chooser;
pub mod cmd;
pub mod diff;
pub mod driver;
pub mod external;
pub mod fuzzy;
pub mod keymap;
pub mod lead_form;
pub mod markdown;
pub mod mouse;
pub mod msg;
pub mod palette;
pub mod prompt;
pub mod records;
pub mod run;
pub mod screens;
pub mod theme;
pub mod view;
pub mod widgets;
