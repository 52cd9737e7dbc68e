//! Slugs (BR-02): generated from a title, unique per entity type, editable.

/// A URL slug from a title: lower-case letters and digits (any script, so Arabic
/// titles keep readable slugs) joined by single hyphens. Never empty.
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.trim().chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() { "untitled".to_string() } else { slug }
}

/// The n-th candidate for a slug that is already taken: `base`, `base-2`, `base-3`, …
pub fn candidate(base: &str, attempt: u32) -> String {
    if attempt <= 1 { base.to_string() } else { format!("{base}-{attempt}") }
}

/// Checks a slug typed by a user.
pub fn validate(slug: &str) -> Result<(), &'static str> {
    if slug.is_empty() {
        return Err("a slug cannot be empty");
    }
    if slug != slugify(slug) {
        return Err("a slug holds only lower-case letters, digits and single hyphens");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("  Hello, World!  "), "hello-world");
        assert_eq!(slugify("React & Next.js — 2026"), "react-next-js-2026");
        assert_eq!(slugify("مرحبا بالعالم"), "مرحبا-بالعالم");
        assert_eq!(slugify("!!!"), "untitled");
        assert_eq!(candidate("intro", 1), "intro");
        assert_eq!(candidate("intro", 3), "intro-3");
        assert!(validate("hello-world").is_ok());
        assert!(validate("Hello World").is_err());
        assert!(validate("a--b").is_err());
    }
}
