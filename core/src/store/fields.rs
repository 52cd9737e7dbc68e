//! Checks shared by the forms' text fields: a line of text (cleaned, empty is none
//! or refused, refused over its limit) and a web link.

use super::{Result, StoreError};

/// The longest link, in characters.
pub const MAX_URL_CHARS: usize = 2_000;

/// An optional field: cleaned, empty is none, refused over `max` characters.
pub fn optional(field: &'static str, value: Option<&str>, max: usize) -> Result<Option<String>> {
    let v = value.map(crate::domain::contact::clean).filter(|v| !v.is_empty());
    if v.as_ref().is_some_and(|v| v.chars().count() > max) {
        return Err(StoreError::invalid(field, format!("is longer than {max} characters")));
    }
    Ok(v)
}

/// A required field: cleaned, refused when empty or over `max` characters.
pub fn required(field: &'static str, value: &str, max: usize) -> Result<String> {
    match optional(field, Some(value), max)? {
        Some(v) => Ok(v),
        // The form's own word for it, so a refusal reads the same from either.
        None => Err(StoreError::invalid(field, "is needed")),
    }
}

/// An optional link: a web address (`http(s)://`) without spaces.
pub fn link(field: &'static str, value: Option<&str>) -> Result<Option<String>> {
    let v = optional(field, value, MAX_URL_CHARS)?;
    if let Some(url) = &v {
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) || url.contains(char::is_whitespace) {
            return Err(StoreError::invalid(field, "must be a web link starting with https:// and without spaces"));
        }
    }
    Ok(v)
}

/// A day within the office's range of days (`domain::dates`), else refused at `field`.
pub fn day(field: &'static str, value: chrono::NaiveDate) -> Result<chrono::NaiveDate> {
    crate::domain::dates::check(value).map_err(|why| StoreError::invalid(field, why))
}

/// An instant whose day is within the office's range of days.
pub fn instant(field: &'static str, value: chrono::DateTime<chrono::Utc>) -> Result<chrono::DateTime<chrono::Utc>> {
    crate::domain::dates::check_instant(value).map_err(|why| StoreError::invalid(field, why))
}

/// A day typed as `YYYY-MM-DD` within the range (a form's text field).
pub fn typed_day(field: &'static str, text: &str) -> Result<chrono::NaiveDate> {
    crate::domain::dates::parse_plain(text)
        .unwrap_or_else(|| Err("must be a day such as 2026-12-05".into()))
        .map_err(|why| StoreError::invalid(field, why))
}
