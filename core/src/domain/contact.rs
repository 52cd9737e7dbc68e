//! Contact details: the BR-05 rule, email and phone validation and normalisation.
//! Normalised forms are what duplicate detection compares.

/// BR-05: a lead needs at least one way to reach them.
pub fn has_contact(email: Option<&str>, phone: Option<&str>, whatsapp: Option<&str>) -> bool {
    [email, phone, whatsapp].iter().any(|v| v.map(|s| !s.trim().is_empty()).unwrap_or(false))
}

/// Lower-cases and trims an email, and checks its shape (one `@`, a dotted domain,
/// no spaces or control characters). Not a full RFC 5322 parser: good enough to catch
/// typos at the keyboard without refusing real addresses.
pub fn normalize_email(raw: &str) -> Result<String, &'static str> {
    let email = raw.trim().to_lowercase();
    let (local, domain) = email.split_once('@').ok_or("an email needs an @")?;
    if local.is_empty() || domain.contains('@') {
        return Err("an email needs exactly one @ with a name before it");
    }
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return Err("an email's domain needs a dot, like example.com");
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("an email cannot contain spaces");
    }
    Ok(email)
}

/// Normalises a phone number to `+` and digits (Arabic-Indic digits are accepted, a
/// leading `00` becomes `+`); spaces, dashes, dots and brackets are dropped.
/// A number needs 7 to 15 digits (E.164).
pub fn normalize_phone(raw: &str) -> Result<String, &'static str> {
    let mut digits = String::new();
    let mut plus = false;
    for (i, c) in raw.trim().chars().enumerate() {
        match c {
            '+' if i == 0 => plus = true,
            ' ' | '-' | '.' | '(' | ')' | '\u{a0}' => {}
            _ => match ascii_digit(c) {
                Some(d) => digits.push(d),
                None => return Err("a phone number may hold only digits, spaces, - . ( ) and a leading +"),
            },
        }
    }
    if !plus && digits.starts_with("00") {
        digits.drain(..2);
        plus = true;
    }
    if !(7..=15).contains(&digits.len()) {
        return Err("a phone number needs 7 to 15 digits");
    }
    Ok(if plus { format!("+{digits}") } else { digits })
}

/// `text` with its Arabic-Indic and Eastern Arabic-Indic digits as ASCII digits,
/// everything else unchanged: what a number, a rating or a searched phone typed on
/// an Arabic keyboard means.
pub fn ascii_digits(text: &str) -> String {
    text.chars().map(|c| ascii_digit(c).unwrap_or(c)).collect()
}

/// ASCII, Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹) digits as ASCII.
fn ascii_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '\u{660}'..='\u{669}' => char::from_digit(c as u32 - 0x660, 10),
        '\u{6f0}'..='\u{6f9}' => char::from_digit(c as u32 - 0x6f0, 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn br05_needs_one_contact() {
        assert!(!has_contact(None, None, None));
        assert!(!has_contact(Some(" "), Some(""), None));
        assert!(has_contact(None, None, Some("+201001234567")));
        assert!(has_contact(Some("a@b.co"), None, None));
    }

    #[test]
    fn emails() {
        assert_eq!(normalize_email("  Sara@Example.COM ").unwrap(), "sara@example.com");
        for bad in ["sara", "@x.com", "a@b", "a b@c.com", "a@@b.com", "a@b.com."] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones() {
        assert_eq!(normalize_phone("+20 100-123 4567").unwrap(), "+201001234567");
        assert_eq!(normalize_phone("0020 (100) 1234567").unwrap(), "+201001234567");
        assert_eq!(normalize_phone("٠١٠٠١٢٣٤٥٦٧").unwrap(), "01001234567");
        assert!(normalize_phone("12345").is_err());
        assert!(normalize_phone("call me").is_err());
        assert!(normalize_phone("+1 555 0100 ext 4").is_err());
    }
}

/// Free text as both backends can store it: PostgreSQL refuses the NUL character in
/// text, so it is dropped everywhere (it is never meaningful in a name or a note).
pub fn storable(text: &str) -> String {
    text.replace('\0', "")
}

/// Typed text as stored: NUL dropped, then trimmed (in that order, so a trailing
/// NUL does not keep the blanks before it).
pub fn clean(text: &str) -> String {
    storable(text).trim().to_string()
}

#[cfg(test)]
mod storable_tests {
    #[test]
    fn nul_is_dropped() {
        assert_eq!(super::storable("a\0b"), "ab");
        assert_eq!(super::clean("  Amal \0"), "Amal");
    }
}
