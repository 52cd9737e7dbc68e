//! The shape every simple area's list takes on its way to the generic record screen:
//! rows as display cells, a detail, the values a form starts from, and the status
//! tab counts. Each area's handler (help requests, packages, or a simple area's own
//! `areas::AreaDecl`) turns its store rows into these, so the screen needs no code
//! per area beyond its declaration.

use chrono::{DateTime, Utc};

/// Where a keyset page continues.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// Latest first: (a time such as created_at or starts_at, id).
    Time(DateTime<Utc>, i64),
    /// In display order: (display_order, id).
    Order(i64, i64),
    /// Sorted by a column the user chose: (its value, id).
    Sorted(super::page::SortValue, i64),
}

/// A list's columns: heading and width (0: takes the room left). Each area declares
/// them beside the function that makes its records' cells, so the two agree in one
/// file (the gate test checks every page's rows against them).
pub type Columns = &'static [(&'static str, u16)];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub id: i64,
    pub version: i64,
    /// The status tab it belongs to (its status's stored text).
    pub status: String,
    /// One per column of the area's `COLUMNS`, in order.
    pub cells: Vec<String>,
    /// Labelled values for the detail pane; long texts keep their line breaks.
    pub detail: Vec<(String, String)>,
    /// Field key → current value, for an edit form.
    pub values: Vec<(&'static str, String)>,
}

impl Record {
    pub fn value(&self, key: &str) -> &str {
        self.values.iter().find(|(k, _)| *k == key).map_or("", |(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordPage {
    /// Rows per status (first page only), in the declaration's tab order.
    pub counts: Option<Vec<(String, i64)>>,
    pub rows: Vec<Record>,
    pub next: Option<Cursor>,
    /// A next page (appended) rather than the first.
    pub more: bool,
    /// The sort in force (`None`: the list's own order).
    pub sorted: Option<super::page::Sort>,
    /// The columns the list may be sorted by (empty: only its own order).
    pub sortable: Vec<&'static str>,
}
