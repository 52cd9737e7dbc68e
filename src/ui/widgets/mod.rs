//! Widgets shared by screens: the scrolling detail pane, the keyset-paged list
//! window, tabs with counts.

pub mod detail;
pub mod form;
mod form_view;
pub mod list;
pub mod shown;
pub mod tabs;
